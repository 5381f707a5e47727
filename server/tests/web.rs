//! The HTTP surface: static app + CSP, CORS, chaos, OpenAPI coverage, health, start-up
//! behaviour, and one test over a real TCP port.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::Request;
use base64::Engine;
use common::*;
use offboard_server::{ServerConfig, endpoints};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const INDEX: &str = r#"<!DOCTYPE html><html><head><link rel="modulepreload" href="/app.js"><script type="module">import init from '/app.js'; init('/app_bg.wasm');</script></head><body></body></html>"#;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("index.html"), INDEX).expect("index");
    std::fs::write(
        dir.path().join("app.js"),
        "export default function init() {}",
    )
    .expect("js");
    dir
}

fn get(path: &str) -> Request<Body> {
    Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn static_app_pages_carry_the_csp_with_the_inline_script_hash() {
    let site = site();
    let dir = site.path().to_owned();
    let server = Server::with(|c| {
        c.static_dir = Some(dir);
        c.connect_src = vec!["https://adoc.example.com".into()];
    })
    .await;
    let script = "import init from '/app.js'; init('/app_bg.wasm');";
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
    for path in ["/", "/users/user-123", "/emergency?user=user-123"] {
        let page = server.send(get(path)).await;
        page.expect(200);
        assert_eq!(page.text, INDEX, "{path}");
        let csp = page.header("content-security-policy").expect("csp");
        assert_eq!(
            csp,
            format!(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'; style-src 'self'; \
                 img-src 'self' data:; connect-src 'self' https://adoc.example.com; object-src 'none'; frame-ancestors 'none'; \
                 base-uri 'none'; form-action 'self'"
            )
        );
        assert_eq!(page.header("x-frame-options"), Some("DENY"));
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    }
    let js = server.send(get("/app.js")).await;
    js.expect(200);
    assert!(js.header("content-security-policy").is_none());
    // API paths never fall back to the page.
    let api = server.send(get("/admin/api/nope")).await;
    api.expect(404);
    assert_eq!(api.body["status"], 404);
    server.send(get("/v3/nope")).await.expect(404);
    assert_eq!(
        server.send(get("/healthz")).await.body,
        json!({"status": "ok"})
    );
}

/// The build's hashed files go out precompressed to browsers that take brotli or gzip, and are
/// cached for a year; the page that names them is revalidated on every load.
#[tokio::test]
async fn hashed_files_are_sent_precompressed_and_cached_and_the_page_is_revalidated() {
    let site = site();
    let wasm = "app-0123456789abcdef_bg.wasm";
    std::fs::write(site.path().join(wasm), b"raw wasm bytes").unwrap();
    std::fs::write(site.path().join(format!("{wasm}.br")), b"brotli bytes").unwrap();
    std::fs::write(site.path().join(format!("{wasm}.gz")), b"gzip bytes").unwrap();
    let dir = site.path().to_owned();
    let server = Server::with(|c| c.static_dir = Some(dir)).await;
    let with_encoding = |encoding: &str| {
        Request::builder()
            .uri(format!("/{wasm}"))
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap()
    };
    for (accepted, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "raw wasm bytes"),
    ] {
        let reply = server.send(with_encoding(accepted)).await;
        reply.expect(200);
        assert_eq!(reply.header("content-encoding"), encoding, "{accepted}");
        assert_eq!(reply.text, body, "{accepted}");
        assert_eq!(reply.header("content-type"), Some("application/wasm"));
        assert_eq!(
            reply.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        assert!(
            reply
                .header("vary")
                .is_some_and(|v| v.contains("accept-encoding"))
        );
    }
    // A file without a build hash may change under the same name: not cached for a year.
    let js = server.send(get("/app.js")).await;
    assert_ne!(
        js.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    for path in ["/", "/index.html", "/users/user-123"] {
        let page = server.send(get(path)).await;
        assert_eq!(page.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn app_paths_that_only_look_like_api_namespaces_get_the_app_and_api_paths_json() {
    let site = site();
    let dir = site.path().to_owned();
    let server = Server::with(|c| c.static_dir = Some(dir)).await;
    // Client-side routes, known or not: the app answers (and shows its own not-found page).
    for path in ["/audit", "/admin", "/foo", "/audit/", "/users/nobody"] {
        let page = server.send(get(path)).await;
        page.expect(200);
        assert_eq!(page.text, INDEX, "{path}");
        assert!(page.header("content-security-policy").is_some(), "{path}");
    }
    // The API's namespaces still answer JSON, with or without a matching endpoint.
    let events = server.send(get("/audit/api/v1/events")).await;
    assert_eq!(events.status.as_u16(), 401, "{}", events.text);
    assert_eq!(events.body["status"], 401);
    for path in [
        "/audit/api/nope",
        "/admin/api/nope",
        "/authz/api/nope",
        "/v3/nope",
    ] {
        let reply = server.send(get(path)).await;
        reply.expect(404);
        assert!(
            reply.message().starts_with("no endpoint"),
            "{path}: {}",
            reply.text
        );
    }
    let listed = server.get("/audit/api/v1/events", OWNER).await;
    listed.expect(200);
    assert!(listed.body.is_object(), "{}", listed.text);
}

#[tokio::test]
async fn static_dir_without_index_is_a_start_error() {
    let dir = tempfile::tempdir().expect("dir");
    let mut config = ServerConfig::new(format!(
        "sqlite://{}",
        dir.path().join("db.sqlite").display()
    ));
    config.static_dir = Some(dir.path().join("missing"));
    assert!(offboard_server::app(config).await.is_err());
}

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method("OPTIONS")
        .uri("/admin/api/users/user-123")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .header(
            "Access-Control-Request-Headers",
            "accesskey,secretkey,content-type",
        )
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn cors_allows_listed_origins_only() {
    let server = Server::with(|c| c.cors_origins = vec!["http://localhost:3000".into()]).await;
    let allowed = server.send(preflight("http://localhost:3000")).await;
    assert!(allowed.status.is_success(), "{}", allowed.status);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let methods = allowed
        .header("access-control-allow-methods")
        .unwrap_or_default()
        .to_owned();
    assert!(
        methods.contains("PUT") && methods.contains("DELETE"),
        "{methods}"
    );
    let headers = allowed
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        headers.contains("accesskey") && headers.contains("secretkey"),
        "{headers}"
    );

    let other = server.send(preflight("http://evil.example")).await;
    assert!(other.header("access-control-allow-origin").is_none());

    let mut request = adoc_request("GET", "/admin/api/users/current", OWNER, None);
    request
        .headers_mut()
        .insert("Origin", "http://localhost:3000".parse().expect("origin"));
    let actual = server.send(request).await;
    actual.expect(200);
    assert_eq!(
        actual.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert!(
        actual
            .header("access-control-expose-headers")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .contains("retry-after")
    );
    // The listed origin may read the call's Resource Timing (nextHopProtocol); nobody else.
    assert_eq!(
        actual.header("timing-allow-origin"),
        Some("http://localhost:3000")
    );
    let mut request = adoc_request("GET", "/admin/api/users/current", OWNER, None);
    request
        .headers_mut()
        .insert("Origin", "http://evil.example".parse().expect("origin"));
    let foreign = server.send(request).await;
    assert!(foreign.header("timing-allow-origin").is_none());
    assert!(foreign.header("access-control-allow-origin").is_none());
    let same_origin = server.get("/admin/api/users/current", OWNER).await;
    assert!(same_origin.header("timing-allow-origin").is_none());

    // Without --cors-origin, nobody cross-origin.
    let plain = Server::demo().await;
    assert!(
        plain
            .send(preflight("http://localhost:3000"))
            .await
            .header("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn chaos_faults_one_path_before_the_handler() {
    let server = Server::with(|c| {
        c.chaos = Some(
            "error-rate=1,statuses=503,retry-after-s=3,path=/admin/api/users/user-123,seed=7"
                .parse()
                .expect("spec"),
        );
    })
    .await;
    let faulted = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            OWNER,
            Some(r#"{"enabled": false}"#),
        )
        .await;
    faulted.expect(503);
    assert_eq!(faulted.header("retry-after"), Some("3"));
    assert_eq!(faulted.header("cache-control"), Some("no-store"));
    assert_eq!(faulted.body["status"], 503);
    assert!(faulted.message().contains("nothing was changed"));
    // Elsewhere, no faults; and the faulted call changed nothing, nor audited anything.
    let other = server.get("/admin/api/users/user-456", OWNER).await;
    other.expect(200);
    let users = server
        .get("/admin/api/users/list?searchString=first.last", OWNER)
        .await;
    assert_eq!(users.body["users"][0]["enabled"], true);
    assert_eq!(audit_events(&server).await, Vec::<Value>::new());
    server.send(get("/healthz")).await.expect(200);
}

#[tokio::test]
async fn chaos_statuses_and_td_shape() {
    let server = Server::with(|c| {
        c.chaos = Some("error-rate=1,statuses=429,path=/v3/".parse().expect("spec"));
    })
    .await;
    let reply = server.td("GET", "/v3/user/show", TD_OWNER, None).await;
    reply.expect(429);
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert_eq!(reply.body["status_code"], 429);
    server
        .get("/admin/api/users/current", OWNER)
        .await
        .expect(200);
}

#[tokio::test]
async fn chaos_max_in_flight_refuses_the_excess_with_429_and_retry_after() {
    let server = Server::with(|c| {
        c.chaos = Some(
            "max-in-flight=2,latency-ms=100,retry-after-s=2"
                .parse()
                .expect("spec"),
        );
    })
    .await;
    // Ten at once: two are admitted (each held 100 ms by the latency), the rest refused at once.
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let router = server.router.clone();
        calls.spawn(async move {
            let response = tower::ServiceExt::oneshot(
                router,
                adoc_request("GET", "/admin/api/users/current", OWNER, None),
            )
            .await
            .expect("infallible");
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            (status, retry_after, body)
        });
    }
    let replies = calls.join_all().await;
    let ok = replies.iter().filter(|(status, ..)| *status == 200).count();
    let refused: Vec<_> = replies
        .iter()
        .filter(|(status, ..)| *status == 429)
        .collect();
    assert!(ok >= 2, "at least the two admitted succeed: {replies:?}");
    assert!(!refused.is_empty(), "some are refused: {replies:?}");
    assert_eq!(ok + refused.len(), 10, "{replies:?}");
    for (_, retry_after, body) in &refused {
        assert_eq!(retry_after.as_deref(), Some("2"));
        // The dialect's error shape, saying nothing was changed.
        assert_eq!(body["status"], 429);
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("nothing was changed"),
            "{body}"
        );
    }
    // One at a time never meets the limit.
    for _ in 0..10 {
        server
            .get("/admin/api/users/current", OWNER)
            .await
            .expect(200);
    }
    // /healthz is outside the limit (and the latency).
    server.send(get("/healthz")).await.expect(200);
}

#[tokio::test]
async fn chaos_max_in_flight_frees_a_slot_when_a_request_is_abandoned() {
    let server = Server::with(|c| {
        c.chaos = Some("max-in-flight=1,latency-ms=5000".parse().expect("spec"));
    })
    .await;
    // A request held by the latency, then dropped (its client went away) half-way.
    let held = tower::ServiceExt::oneshot(
        server.router.clone(),
        adoc_request("GET", "/admin/api/users/current", OWNER, None),
    );
    let abandoned = tokio::time::timeout(std::time::Duration::from_millis(100), held).await;
    assert!(abandoned.is_err(), "still in its latency");
    // Its slot is free again: the next one is admitted (and waits out its own latency).
    // (A refusal would come back at once; an admitted request sleeps for 5 s.)
    let next = tokio::time::timeout(
        std::time::Duration::from_millis(1000),
        server.get("/admin/api/users/current", OWNER),
    )
    .await;
    assert!(
        next.is_err(),
        "admitted, so held by the latency rather than refused"
    );
}

#[tokio::test]
async fn chaos_latency_delays_requests() {
    let server = Server::with(|c| c.chaos = Some("latency-ms=150".parse().expect("spec"))).await;
    let started = std::time::Instant::now();
    server
        .get("/admin/api/users/current", OWNER)
        .await
        .expect(200);
    assert!(started.elapsed().as_millis() >= 150);
}

/// Every (method, path) of `openapi.json`.
fn documented() -> BTreeSet<(String, String)> {
    let doc: Value =
        serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            out.insert((method.to_uppercase(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn openapi_documents_exactly_the_served_endpoints() {
    let served: BTreeSet<(String, String)> = endpoints()
        .into_iter()
        .map(|e| (e.method.to_owned(), e.path.to_owned()))
        .collect();
    let documented = documented();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty(),
        "served but not in openapi.json: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "in openapi.json but not served: {unserved:?}"
    );

    // And the server hands out that document without credentials.
    let server = Server::demo().await;
    let reply = server.send(get("/openapi.json")).await;
    reply.expect(200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(
        reply.body["info"]["title"],
        "Offboard reference admin API server"
    );
    // Every documented endpoint answers something other than "no such endpoint".
    for (method, path) in &documented {
        let path = path
            .replace("{userId}", "user-123")
            .replace("{accessKey}", "AK-nope")
            .replace("{email}", "ghost@company.com");
        let request = Request::builder()
            .method(method.as_str())
            .uri(&path)
            .body(Body::empty())
            .expect("request");
        let reply = server.send(request).await;
        assert!(
            !reply.message().starts_with("no endpoint"),
            "{method} {path}"
        );
        assert_ne!(reply.status.as_u16(), 405, "{method} {path}");
    }
}

#[tokio::test]
async fn demo_loads_only_into_an_empty_database() {
    let server = Server::demo().await;
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", OWNER, None)
        .await
        .expect(200);
    // Start again on the same file: nothing is reloaded or duplicated.
    let mut config = ServerConfig::new(server.database_url.clone());
    config.demo = true;
    config.demo_users = 50;
    let again = offboard_server::app(config).await.expect("restart");
    let restarted = Server {
        router: again,
        database_url: server.database_url.clone(),
        dir: tempfile::tempdir().expect("dir"),
    };
    assert_eq!(
        restarted.get("/admin/api/users/count", OWNER).await.body["count"],
        12
    );
    restarted
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", OWNER, None)
        .await
        .expect(404);
    // The chain continues where it stopped.
    restarted
        .adoc("DELETE", "/admin/api/users/api-keys/AK-def456", OWNER, None)
        .await
        .expect(200);
    assert!(
        offboard_server::verify_audit(&server.database_url)
            .await
            .expect("verify")
            .is_intact()
    );
    assert_eq!(
        audit_events(&restarted).await.len(),
        3,
        "delete, the refused retry, delete"
    );
}

#[tokio::test]
async fn generated_users_are_numbered_and_varied() {
    let server = Server::with(|c| c.demo_users = 12_000).await;
    let count = server
        .get("/admin/api/users/count?searchString=user-gen-", OWNER)
        .await;
    assert_eq!(count.body["count"], 12_000);
    let first = server.get("/admin/api/users/user-gen-00001", OWNER).await;
    first.expect(200);
    assert_eq!(first.body["email"], "user.00001@company.com");
    assert_eq!(first.body["accountRole"], "restricted");
    let keys = server
        .get("/admin/api/users/user-gen-00001/api-keys", OWNER)
        .await;
    let types: Vec<String> = column(&keys.body["data"], "type");
    assert_eq!(types.len(), 2);
    assert!(types.contains(&"MASTER".to_owned()) && types.contains(&"WRITE_ONLY".to_owned()));
    let page = server
        .get("/admin/api/users/list?searchString=user-gen&max=50", OWNER)
        .await;
    let names: BTreeSet<String> = column(&page.body["users"], "lastName")
        .into_iter()
        .collect();
    assert!(names.len() > 5, "varied names: {names:?}");
    let access: BTreeSet<String> = column(&page.body["users"], "lastAccessOn")
        .into_iter()
        .collect();
    assert!(access.len() > 40, "varied last access");
}

#[tokio::test]
async fn a_missing_sqlite_file_is_created() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("fresh.db");
    assert!(!path.exists());
    let _router = offboard_server::app(ServerConfig::new(format!("sqlite://{}", path.display())))
        .await
        .expect("start");
    assert!(path.exists());
}

/// One HTTP/1.1 request over a real socket; returns status line and body.
async fn http(addr: std::net::SocketAddr, request: &str) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.expect("read");
    let status = raw.lines().next().unwrap_or_default().to_owned();
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn serves_over_a_real_tcp_port() {
    let dir = tempfile::tempdir().expect("dir");
    let mut config = ServerConfig::new(format!("sqlite://{}", dir.path().join("tcp.db").display()));
    config.demo = true;
    config.demo_users = 3;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(offboard_server::serve(config, listener));

    let mut ready = false;
    for _ in 0..100 {
        let (status, _) = http(
            addr,
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        if status.contains("200") {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready, "server did not come up");
    let body = r#"{"enabled": false}"#;
    let (status, text) = http(
        addr,
        &format!(
            "PUT /admin/api/users/user-123 HTTP/1.1\r\nHost: x\r\naccessKey: demo-owner-ak\r\nsecretKey: demo-owner-sk\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert!(status.contains("200"), "{status} {text}");
    assert!(text.contains(r#""enabled":false"#));
    let (status, _) = http(
        addr,
        "POST /v3/user/remove/first.last@company.com HTTP/1.1\r\nHost: x\r\nAuthorization: TD1 1/demo-owner-master\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(status.contains("200"), "{status}");
    server.abort();
}
