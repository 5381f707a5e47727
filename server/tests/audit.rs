//! The audit log: one event per mutating call (attempts included), the hash chain, the listing
//! endpoint, `verify_audit` catching tampering, and group commit under concurrency.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::Connection;

fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<_> = map.keys().collect();
            keys.sort();
            let items: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&map[*k])))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// Recomputes the chain from the API's view, independently of the server's code.
fn check_chain(events: &[Value]) {
    let mut prev = "0".repeat(64);
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event["seq"], json!(i + 1));
        assert_eq!(event["prevHash"], json!(prev));
        let mut body = event.clone();
        if let Some(map) = body.as_object_mut() {
            map.remove("prevHash");
            map.remove("hash");
        }
        let hash = hex::encode(Sha256::digest(
            format!("{prev}\n{}", canonical(&body)).as_bytes(),
        ));
        assert_eq!(event["hash"], json!(hash), "event {}", i + 1);
        prev = hash;
    }
}

#[tokio::test]
async fn every_mutating_call_writes_one_chained_event() {
    let server = Server::demo().await;
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            ADMIN,
            Some(r#"{"enabled": false}"#),
        )
        .await
        .expect(200);
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", ADMIN, None)
        .await
        .expect(200);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            ADMIN,
            Some(r#"{"groupIds":["group-prod-access"]}"#),
        )
        .await
        .expect(200);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/assign-groups",
            ADMIN,
            Some(r#"{"groupIds":["group-analysts"]}"#),
        )
        .await
        .expect(200);
    server
        .adoc(
            "POST",
            "/admin/api/users/user-123/api-keys",
            ADMIN,
            Some(r#"{"type":"MASTER"}"#),
        )
        .await
        .expect(201);
    server
        .adoc("PUT", "/torch-pipeline/api/pipelines", ADMIN, Some(r#"{"pipeline":{"uid":"pl-daily-sales","meta":{"owner":"replacement@company.com"}}}"#))
        .await
        .expect(200);
    server
        .td(
            "POST",
            "/v3/user/apikey/add/replacement@company.com",
            TD_ADMIN,
            None,
        )
        .await
        .expect(200);
    server
        .td(
            "POST",
            "/v3/user/apikey/remove/replacement@company.com",
            TD_ADMIN,
            Some("apikey=AK-rep002"),
        )
        .await
        .expect(200);
    server
        .adoc(
            "DELETE",
            "/admin/api/users/user-456/remove-user",
            OWNER,
            None,
        )
        .await
        .expect(200);
    server
        .td(
            "POST",
            "/v3/user/remove/first.last@company.com",
            TD_OWNER,
            None,
        )
        .await
        .expect(200);
    // Reads are not recorded.
    server.get("/admin/api/users/list", ADMIN).await.expect(200);

    let events = audit_events(&server).await;
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "user.update",
            "api_key.delete",
            "groups.remove",
            "groups.assign",
            "api_key.create",
            "pipeline.owner",
            "api_key.create",
            "api_key.delete",
            "user.remove",
            "user.remove"
        ]
    );
    assert!(events.iter().all(|e| e["outcome"] == "ok"));
    let first = &events[0];
    assert_eq!(first["actorUserId"], "user-admin");
    assert_eq!(first["actorKey"], "demo-admin-ak");
    assert_eq!(first["dialect"], "adoc");
    assert_eq!(first["targetUserId"], "user-123");
    assert_eq!(first["status"], 200);
    assert_eq!(
        first["detail"],
        json!({"changes": {"enabled": {"from": true, "to": false}}})
    );
    assert_eq!(events[1]["subject"], "AK-abc123");
    assert_eq!(events[4]["status"], 201);
    assert_eq!(
        events[5]["targetUserId"], "user-123",
        "the pipeline's departing owner"
    );
    assert_eq!(events[6]["dialect"], "td");
    assert_eq!(events[6]["actorKey"], "td-admin-master");
    check_chain(&events);

    let verdict = offboard_server::verify_audit(&server.database_url)
        .await
        .expect("verify");
    assert!(verdict.is_intact(), "{verdict:?}");
    assert_eq!(verdict.events, 10);
    assert_eq!(verdict.head, events[9]["hash"].as_str().unwrap_or_default());
}

#[tokio::test]
async fn refused_and_failed_attempts_are_recorded_without_changes() {
    let server = Server::demo().await;
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-owner",
            ADMIN,
            Some(r#"{"enabled": false}"#),
        )
        .await
        .expect(403);
    server
        .adoc("PUT", "/admin/api/users/user-123", ADMIN, Some("not json"))
        .await
        .expect(400);
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-nope", ADMIN, None)
        .await
        .expect(404);
    server
        .adoc(
            "DELETE",
            "/admin/api/users/api-keys/AK-abc123",
            ADMIN2_WRITE_ONLY,
            None,
        )
        .await
        .expect(403);
    server
        .td(
            "POST",
            "/v3/user/remove/scim.user@company.com",
            TD_OWNER,
            None,
        )
        .await
        .expect(403);
    // 401s have no known actor and are not recorded.
    server
        .adoc(
            "DELETE",
            "/admin/api/users/api-keys/AK-abc123",
            ("x", "y"),
            None,
        )
        .await
        .expect(401);

    let events = audit_events(&server).await;
    let summary: Vec<(String, String, i64)> = events
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["outcome"].as_str().unwrap_or_default().to_owned(),
                e["status"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    let expected: Vec<(String, String, i64)> = [
        ("user.update", "denied", 403),
        ("user.update", "invalid", 400),
        ("api_key.delete", "not_found", 404),
        ("api_key.delete", "denied", 403),
        ("user.remove", "denied", 403),
    ]
    .iter()
    .map(|(a, o, s)| ((*a).to_owned(), (*o).to_owned(), *s))
    .collect();
    assert_eq!(summary, expected);
    assert_eq!(events[0]["targetUserId"], "user-owner");
    assert!(
        events[0]["detail"]["error"]
            .as_str()
            .is_some_and(|m| m.contains("owner"))
    );
    assert_eq!(events[3]["actorKey"], "demo-admin2-wo");
    assert_eq!(events[4]["targetUserId"], "user-scim");
    check_chain(&events);
    // Nothing changed.
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(200);
    server
        .get("/admin/api/users/current", OWNER)
        .await
        .expect(200);
}

#[tokio::test]
async fn events_listing_pages_and_filters() {
    let server = Server::demo().await;
    // Administrators only, Spring-shaped errors.
    let restricted = server.get("/audit/api/v1/events", USER456).await;
    restricted.expect(403);
    assert_eq!(restricted.body["path"], "/audit/api/v1/events");
    for _ in 0..3 {
        server
            .adoc(
                "PUT",
                "/admin/api/users/user-123",
                ADMIN,
                Some(r#"{"enabled": false}"#),
            )
            .await
            .expect(200);
        server
            .adoc(
                "PUT",
                "/admin/api/users/user-456",
                ADMIN,
                Some(r#"{"enabled": false}"#),
            )
            .await
            .expect(200);
    }
    let page = server
        .get("/audit/api/v1/events?after=2&limit=2", OWNER)
        .await;
    page.expect(200);
    let seqs: Vec<i64> = page.body["events"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["seq"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(seqs, [3, 4]);
    let all = audit_events(&server).await;
    assert_eq!(
        page.body["head"], all[5]["hash"],
        "head is the whole log's last hash"
    );
    let target = server
        .get("/audit/api/v1/events?target=user-456", ADMIN)
        .await;
    let seqs: Vec<i64> = target.body["events"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["seq"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(seqs, [2, 4, 6]);
    let past = server.get("/audit/api/v1/events?after=6", OWNER).await;
    assert_eq!(past.body["events"], json!([]));
    for query in ["limit=0", "limit=1001", "after=x", "nope=1"] {
        server
            .get(&format!("/audit/api/v1/events?{query}"), OWNER)
            .await
            .expect(400);
    }
    // Either dialect's credentials.
    let td = server
        .send(
            Request::builder()
                .uri("/audit/api/v1/events")
                .header("Authorization", format!("TD1 {TD_ADMIN}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    td.expect(200);
}

#[tokio::test]
async fn empty_log_has_genesis_head() {
    let server = Server::demo().await;
    let reply = server.get("/audit/api/v1/events", OWNER).await;
    assert_eq!(reply.body, json!({"events": [], "head": "0".repeat(64)}));
    let verdict = offboard_server::verify_audit(&server.database_url)
        .await
        .expect("verify");
    assert!(verdict.is_intact());
    assert_eq!(verdict.events, 0);
}

/// A demo server whose audit log holds three disables after its seed events.
async fn three_disabled() -> Server {
    let server = Server::demo().await;
    for user in ["user-123", "user-456", "user-heavy"] {
        server
            .adoc(
                "PUT",
                &format!("/admin/api/users/{user}"),
                ADMIN,
                Some(r#"{"enabled": false}"#),
            )
            .await
            .expect(200);
    }
    server
}

#[tokio::test]
async fn verify_detects_a_tampered_row() {
    let server = three_disabled().await;
    assert!(
        offboard_server::verify_audit(&server.database_url)
            .await
            .expect("verify")
            .is_intact()
    );
    let mut conn = sqlx::AnyConnection::connect(&server.database_url)
        .await
        .expect("connect");
    sqlx::query("UPDATE audit_events SET actor_user_id = 'user-123' WHERE seq = 2")
        .execute(&mut conn)
        .await
        .expect("tamper");
    let verdict = offboard_server::verify_audit(&server.database_url)
        .await
        .expect("verify");
    let broken = verdict.broken.expect("broken");
    assert_eq!(broken.seq, 2);
    assert_eq!(verdict.events, 1);
}

#[tokio::test]
async fn verify_detects_a_deleted_row() {
    let server = three_disabled().await;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&server.database_url)
        .await
        .expect("connect");
    sqlx::query("DELETE FROM audit_events WHERE seq = 2")
        .execute(&mut conn)
        .await
        .expect("tamper");
    let verdict = offboard_server::verify_audit(&server.database_url)
        .await
        .expect("verify");
    assert_eq!(verdict.broken.map(|b| b.seq), Some(3));
}

#[tokio::test]
async fn verify_detects_reordered_rows() {
    let server = three_disabled().await;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&server.database_url)
        .await
        .expect("connect");
    // Events 2 and 3 swap places, each row intact: only the order is a lie.
    for swap in [
        "UPDATE audit_events SET seq = 1000 WHERE seq = 2",
        "UPDATE audit_events SET seq = 2 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = 1000",
    ] {
        sqlx::query(swap).execute(&mut conn).await.expect("reorder");
    }
    let verdict = offboard_server::verify_audit(&server.database_url)
        .await
        .expect("verify");
    assert_eq!(verdict.broken.map(|b| b.seq), Some(2));
}

#[tokio::test]
async fn concurrent_calls_share_commits_and_keep_the_chain() {
    let server = Server::demo().await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 1..=60 {
        let router = server.router.clone();
        tasks.spawn(async move {
            use tower::ServiceExt;
            let request = adoc_request(
                "DELETE",
                &format!("/admin/api/users/api-keys/AK-heavy-{n:03}"),
                ADMIN,
                None,
            );
            router
                .oneshot(request)
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        });
    }
    let statuses = tasks.join_all().await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let keys = server
        .get("/admin/api/users/user-heavy/api-keys", ADMIN)
        .await;
    assert_eq!(keys.body["meta"]["total"], 140);
    let events = audit_events(&server).await;
    assert_eq!(events.len(), 60);
    check_chain(&events);
    assert!(
        offboard_server::verify_audit(&server.database_url)
            .await
            .expect("verify")
            .is_intact()
    );
}

#[tokio::test]
async fn a_failing_job_does_not_undo_its_batch_neighbours() {
    // Mixed successes and refusals submitted at once: each is atomic on its own.
    let server = Server::demo().await;
    let mut tasks = tokio::task::JoinSet::new();
    let calls = [
        ("DELETE", "/admin/api/users/api-keys/AK-heavy-001", None),
        ("DELETE", "/admin/api/users/api-keys/demo-owner-ak", None),
        (
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            Some(r#"{"groupIds":["group-data-eng","group-nope"]}"#),
        ),
        (
            "PUT",
            "/admin/api/users/user-123",
            Some(r#"{"enabled": false}"#),
        ),
        ("DELETE", "/admin/api/users/api-keys/AK-heavy-002", None),
        ("PUT", "/admin/api/users/user-456", Some("{")),
    ];
    for (method, path, body) in calls {
        let router = server.router.clone();
        tasks.spawn(async move {
            use tower::ServiceExt;
            let request = adoc_request(method, path, ADMIN, body);
            (
                path,
                router
                    .oneshot(request)
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0),
            )
        });
    }
    let mut results = tasks.join_all().await;
    results.sort();
    assert_eq!(
        results,
        [
            ("/admin/api/users/api-keys/AK-heavy-001", 200),
            ("/admin/api/users/api-keys/AK-heavy-002", 200),
            ("/admin/api/users/api-keys/demo-owner-ak", 403),
            ("/admin/api/users/user-123", 200),
            ("/admin/api/users/user-123/remove-groups", 404),
            ("/admin/api/users/user-456", 400),
        ]
    );
    let groups = server.get("/admin/api/users/user-123/groups", OWNER).await;
    assert_eq!(column(&groups.body["groups"], "groupId").len(), 3);
    assert_eq!(
        server.get("/admin/api/users/user-123", OWNER).await.body["enabled"],
        false
    );
    let events = audit_events(&server).await;
    assert_eq!(events.len(), 6);
    check_chain(&events);
}
