//! Hostile input against every endpoint: path traversal and SQL metacharacters in ids and
//! search strings, oversized bodies, garbage and oversized credentials. Each must get a 4xx in
//! its dialect's error shape (or, for a read, a plain answer about nothing), never a 5xx, and
//! nothing may change.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use offboard_server::endpoints;
use serde_json::Value;

/// Ids an attacker (or a confused script) might put where a user id or key goes, percent-encoded
/// as they would travel in a path.
const HOSTILE_IDS: [&str; 9] = [
    "..%2F..%2Fetc%2Fpasswd",
    "%FF%FE",
    "..",
    "%27%20OR%20%271%27%3D%271",
    "user-123%27%3B%20DROP%20TABLE%20users%3B--",
    "%25",
    "user-123%00",
    "%E2%80%AEmoc.ynapmoc%40tsal.tsrif",
    "%F0%9F%92%A5",
];

/// What the store holds, read through the API: any change shows here.
async fn state(server: &Server) -> Value {
    let mut seen = serde_json::Map::new();
    for path in [
        "/admin/api/users/list?first=0&max=100",
        "/admin/api/users/user-123",
        "/admin/api/users/user-123/api-keys?size=100",
        "/admin/api/users/user-123/groups",
        "/torch-pipeline/api/pipelines?owner=first.last@company.com",
    ] {
        let reply = server.get(path, OWNER).await;
        seen.insert(path.into(), reply.body.clone());
    }
    Value::Object(seen)
}

/// A reply is acceptable when it is not a server error and, if an error, comes in the
/// dialect's shape (a message to show).
#[track_caller]
fn refused_or_harmless(reply: &Reply, what: &str) {
    let status = reply.status.as_u16();
    assert!(status < 500, "{what}: {status} {}", reply.text);
    if status >= 400 {
        assert!(
            !reply.message().is_empty(),
            "{what}: {status} without a message in the dialect's shape: {}",
            reply.text
        );
    }
}

/// The status codes `openapi.json` documents for `method path`.
fn documented_statuses(method: &str, path: &str) -> Vec<u16> {
    let doc: Value =
        serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is JSON");
    doc["paths"][path][method.to_lowercase()]["responses"]
        .as_object()
        .map(|responses| responses.keys().filter_map(|s| s.parse().ok()).collect())
        .unwrap_or_default()
}

fn with_id(template: &str, id: &str) -> String {
    template
        .replace("{userId}", id)
        .replace("{accessKey}", id)
        .replace("{email}", id)
}

#[tokio::test]
async fn hostile_ids_in_every_path_are_refused_and_change_nothing() {
    let server = Server::demo().await;
    let before = state(&server).await;
    let mut sent = 0;
    for endpoint in endpoints() {
        if !endpoint.path.contains('{') {
            continue;
        }
        for id in HOSTILE_IDS {
            let path = with_id(endpoint.path, id);
            let reply = if path.starts_with("/v3/") {
                server.td(endpoint.method, &path, TD_OWNER, Some("")).await
            } else {
                let body = (endpoint.method != "GET").then_some(r#"{"enabled":false}"#);
                server.adoc(endpoint.method, &path, OWNER, body).await
            };
            refused_or_harmless(&reply, &format!("{} {path}", endpoint.method));
            // And the spec says it can happen (a NUL or non-UTF-8 id is a 400 on every one).
            assert!(
                documented_statuses(endpoint.method, endpoint.path)
                    .contains(&reply.status.as_u16()),
                "{} {path}: {} is not in openapi.json",
                endpoint.method,
                reply.status
            );
            sent += 1;
        }
    }
    assert!(sent > 50, "{sent} hostile calls");
    assert_eq!(
        state(&server).await,
        before,
        "a hostile id changed something"
    );
}

#[tokio::test]
async fn search_strings_are_text_not_sql_or_wildcards() {
    let server = Server::demo().await;
    for (search, what) in [
        ("%25", "a LIKE wildcard"),
        ("_", "a LIKE single-character wildcard"),
        ("%27%20OR%20%271%27%3D%271", "an SQL injection"),
        ("%5C", "a backslash"),
        ("%22%29%3B--", "a quote, bracket and comment"),
    ] {
        let reply = server
            .get(
                &format!("/admin/api/users/list?searchString={search}"),
                OWNER,
            )
            .await;
        reply.expect(200);
        assert_eq!(
            reply.body["meta"]["total"], 0,
            "{what} matched users: {}",
            reply.text
        );
    }
    // A real search still finds what it should.
    let reply = server
        .get("/admin/api/users/list?searchString=first.last", OWNER)
        .await;
    reply.expect(200);
    assert_eq!(reply.body["meta"]["total"], 1);
}

#[tokio::test]
async fn a_ten_megabyte_body_is_refused_whole() {
    let server = Server::demo().await;
    let before = state(&server).await;
    let huge = format!(
        r#"{{"enabled":false,"attributes":{{"x":["{}"]}}}}"#,
        "a".repeat(10 * 1024 * 1024)
    );
    let reply = server
        .adoc("PUT", "/admin/api/users/user-123", OWNER, Some(&huge))
        .await;
    assert_eq!(
        reply.status.as_u16(),
        413,
        "{}",
        &reply.text[..200.min(reply.text.len())]
    );
    assert!(
        !reply.message().is_empty(),
        "in ADOC's error shape: {}",
        reply.text
    );

    let form = format!("api_keys=delete&x={}", "a".repeat(10 * 1024 * 1024));
    let reply = server
        .td(
            "POST",
            "/v3/user/remove/first.last@company.com",
            TD_OWNER,
            Some(&form),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 413);
    assert!(
        !reply.message().is_empty(),
        "in TD's error shape: {}",
        reply.text
    );
    assert_eq!(state(&server).await, before);
}

#[tokio::test]
async fn garbage_and_oversized_credentials_are_401() {
    let server = Server::demo().await;
    let long = "k".repeat(64 * 1024);
    let adoc: [(&str, &str); 5] = [
        ("demo-owner-ak' OR '1'='1", "x' OR '1'='1"),
        ("demo-owner-ak", "demo-owner-sk' --"),
        (&long, "demo-owner-sk"),
        ("demo-owner-ak", &long),
        ("%00", "%00"),
    ];
    for (access, secret) in adoc {
        let request = Request::builder()
            .uri("/admin/api/users/current")
            .header("accessKey", access)
            .header("secretKey", secret)
            .body(Body::empty())
            .expect("request");
        let reply = server.send(request).await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "{access:.20}/{secret:.20}: {}",
            reply.text
        );
        assert!(!reply.message().is_empty());
    }
    let td = [
        "TD1 1/demo-owner-master' OR '1'='1".to_string(),
        format!("TD1 {long}"),
        "TD1".to_string(),
        "Bearer 1/demo-owner-master".to_string(),
        "TD1 1/".to_string(),
        "TD1 /demo-owner-master".to_string(),
    ];
    for authorization in td {
        let request = Request::builder()
            .uri("/v3/user/list")
            .header("Authorization", &authorization)
            .body(Body::empty())
            .expect("request");
        let reply = server.send(request).await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "{authorization:.30}: {}",
            reply.text
        );
        assert!(!reply.message().is_empty());
    }
}

#[tokio::test]
async fn the_app_never_serves_a_file_outside_its_folder() {
    let site = tempfile::tempdir().expect("dir");
    std::fs::write(
        site.path().join("index.html"),
        "<!DOCTYPE html><title>app</title>",
    )
    .expect("index");
    let secret = site
        .path()
        .parent()
        .expect("parent")
        .join("outside-secret.txt");
    std::fs::write(&secret, "not for the web").expect("secret");
    let dir = site.path().to_owned();
    let server = Server::with(|c| c.static_dir = Some(dir)).await;
    for path in [
        "/../outside-secret.txt",
        "/%2e%2e/outside-secret.txt",
        "/..%2Foutside-secret.txt",
        "/%2e%2e%2foutside-secret.txt",
        "/static/..%5C..%5Coutside-secret.txt",
        "/....//outside-secret.txt",
        "/..;/outside-secret.txt",
    ] {
        let request = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request");
        let reply = server.send(request).await;
        assert!(reply.status.as_u16() < 500, "{path}: {}", reply.status);
        assert!(
            !reply.text.contains("not for the web"),
            "{path} served a file outside the app"
        );
    }
    let _ = std::fs::remove_file(secret);
}

/// Text with a NUL character (U+0000), in a path id, a query parameter, a JSON field or a TD
/// form field, is a 400 naming where it was, on every backend, and changes nothing. Found by
/// `make fuzz` run against PostgreSQL, which cannot store or even compare such text and answered
/// 500 (`invalid byte sequence for encoding "UTF8": 0x00`); SQLite stored it.
#[tokio::test]
async fn nul_characters_are_refused_wherever_text_comes_in() {
    let server = Server::demo().await;
    let before = state(&server).await;
    let events = audit_events(&server).await.len();

    let reply = server.get("/admin/api/users/user-123%00", OWNER).await;
    reply.expect(400);
    assert!(reply.message().contains("NUL"), "{}", reply.text);
    assert_eq!(reply.body["path"], "/admin/api/users/user-123%00");

    let reply = server
        .get("/admin/api/users/count?searchString=first%00", OWNER)
        .await;
    reply.expect(400);
    assert!(reply.message().contains("searchString"), "{}", reply.text);

    for (path, body, field) in [
        (
            "/admin/api/users/user-123",
            r#"{"firstName": "First\u0000"}"#,
            "firstName",
        ),
        (
            "/admin/api/users/user-123",
            r#"{"attributes": {"location": ["Berlin", "\u0000"]}}"#,
            "attributes.location[1]",
        ),
        (
            "/admin/api/users/user-123/assign-groups",
            r#"{"groupIds": ["group-analysts\u0000"]}"#,
            "groupIds[0]",
        ),
    ] {
        let reply = server.adoc("PUT", path, OWNER, Some(body)).await;
        reply.expect(400);
        assert!(
            reply.message().contains(field) && reply.message().contains("NUL"),
            "{body}: {}",
            reply.text
        );
    }

    let reply = server
        .td(
            "POST",
            "/v3/user/apikey/remove/first.last@company.com",
            TD_OWNER,
            Some("apikey=AK-abc123%00"),
        )
        .await;
    reply.expect(400);
    assert_eq!(reply.body["status_code"], 400, "TD's shape: {}", reply.text);
    assert!(reply.message().contains("apikey"), "{}", reply.text);

    assert_eq!(state(&server).await, before, "a NUL changed something");
    // The refused bodies were attempts on a known path, recorded as such; the path was not.
    assert_eq!(audit_events(&server).await.len(), events + 4);
}
