//! The same server on PostgreSQL, against the server `OFFBOARD_TEST_POSTGRES_URL` names (one
//! where the user may create databases). `make test` starts a throwaway cluster for it
//! (`scripts/with-postgres.sh`); each run works in a fresh database it drops afterwards.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::*;
use offboard_server::ServerConfig;
use serde_json::json;
use sqlx::{Connection, Executor};

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base.rsplit_once('/').unwrap_or((base, ""));
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

#[tokio::test]
async fn the_runbook_and_the_audit_chain_on_postgres() {
    let Ok(admin_url) = std::env::var("OFFBOARD_TEST_POSTGRES_URL") else {
        // `make test` always provides one (scripts/with-postgres.sh); in CI a skip would hide
        // a broken PostgreSQL path, so it fails there instead.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the PostgreSQL test: use `make test`"
        );
        eprintln!(
            "OFFBOARD_TEST_POSTGRES_URL not set: skipping the PostgreSQL test (make test runs it)"
        );
        return;
    };
    sqlx::any::install_default_drivers();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let name = format!("offboard_test_{}_{nanos}", std::process::id());
    let mut admin = sqlx::AnyConnection::connect(&admin_url)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create database");
    let url = with_database(&admin_url, &name);

    let mut config = ServerConfig::new(url.clone());
    config.demo = true;
    config.demo_users = 200;
    let router = offboard_server::app(config)
        .await
        .expect("server on PostgreSQL");
    let server = Server {
        router,
        database_url: url.clone(),
        dir: tempfile::tempdir().expect("dir"),
    };

    // Reads, search and paging.
    let list = server
        .get("/admin/api/users/list?searchString=FIRST&max=5", ADMIN)
        .await;
    list.expect(200);
    assert_eq!(column(&list.body["users"], "userId"), ["user-123"]);
    assert_eq!(
        server.get("/admin/api/users/count", ADMIN).await.body["count"],
        207
    );
    // The runbook.
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            OWNER,
            Some(r#"{"enabled": false, "attributes": {"status": ["OFFBOARDED"]}}"#),
        )
        .await
        .expect(200);
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(401);
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", OWNER, None)
        .await
        .expect(200);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            OWNER,
            Some(r#"{"groupIds": ["group-data-eng", "group-pipeline-owners", "group-prod-access", "group-analysts"]}"#),
        )
        .await
        .expect(200);
    let permissions = server
        .get("/authz/api/v1/users/permissions?userId=user-123", OWNER)
        .await;
    assert_eq!(permissions.body["permissions"], json!([]));
    // A failing statement inside a batch must not poison it (PostgreSQL aborts the transaction
    // until the savepoint is rolled back).
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            OWNER,
            Some(r#"{"groupIds": ["group-nope"]}"#),
        )
        .await
        .expect(404);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-owner",
            ADMIN,
            Some(r#"{"enabled": false}"#),
        )
        .await
        .expect(403);
    // Concurrent calls share commits.
    let mut tasks = tokio::task::JoinSet::new();
    for n in 1..=30 {
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
    assert!(tasks.join_all().await.iter().all(|s| *s == 200));
    // TD remove with reassignment.
    server
        .td("POST", "/v3/user/remove/first.last@company.com?api_keys=reassign&reassign_to=replacement@company.com", TD_OWNER, None)
        .await
        .expect(200);
    let keys = server
        .td(
            "GET",
            "/v3/user/apikey/list/replacement@company.com",
            TD_OWNER,
            None,
        )
        .await;
    assert!(column(&keys.body["apikeys"], "id").contains(&"AK-def456".to_owned()));

    let events = audit_events(&server).await;
    assert_eq!(events.len(), 3 + 2 + 30 + 1);
    let verdict = offboard_server::verify_audit(&url).await.expect("verify");
    assert!(verdict.is_intact(), "{verdict:?}");
    assert_eq!(verdict.events, 36);

    // PostgreSQL cannot store or even compare text with a NUL character: such input is the
    // caller's 400, not a failed query's 500 (found by `make fuzz` run against PostgreSQL).
    for reply in [
        server.get("/admin/api/users/user-123%00", OWNER).await,
        server
            .get("/admin/api/users/count?searchString=%00", OWNER)
            .await,
        server
            .adoc(
                "PUT",
                "/admin/api/users/user-456/assign-groups",
                OWNER,
                Some(r#"{"groupIds": ["\u0000"]}"#),
            )
            .await,
        server
            .td(
                "POST",
                "/v3/user/apikey/remove/replacement@company.com",
                TD_OWNER,
                Some("apikey=%00"),
            )
            .await,
    ] {
        reply.expect(400);
    }
    let verdict = offboard_server::verify_audit(&url).await.expect("verify");
    assert!(verdict.is_intact(), "{verdict:?}");

    drop(server);
    // Let the pool's connections close before dropping the database.
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {name} WITH (FORCE)"
        )))
        .await
        .expect("drop database");
}

#[test]
fn database_names_are_replaced_in_urls() {
    assert_eq!(
        with_database("postgres://u@h:5433/postgres", "x"),
        "postgres://u@h:5433/x"
    );
    assert_eq!(
        with_database("postgres://u@h/postgres?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
}
