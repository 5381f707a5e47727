//! Authentication and the rules: 401s, write-only and restricted 403s on every endpoint, the
//! shared policy, SCIM, and keys failing on the very next request after a user is disabled.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use offboard_server::endpoints;

/// A concrete path for an endpoint template, using demo ids.
fn concrete(path: &str) -> String {
    path.replace("{userId}", "user-123")
        .replace("{accessKey}", "AK-abc123")
        .replace("{email}", "first.last@company.com")
}

fn is_meta(path: &str) -> bool {
    matches!(path, "/openapi.json" | "/healthz")
}

#[tokio::test]
async fn write_only_keys_get_403_on_every_endpoint() {
    let server = Server::demo().await;
    let mut checked = 0;
    for endpoint in endpoints().into_iter().filter(|e| !is_meta(e.path)) {
        let path = concrete(endpoint.path);
        let reply = if path.starts_with("/v3/") {
            server
                .td(endpoint.method, &path, TD_ADMIN_WRITE, Some(""))
                .await
        } else {
            server
                .adoc(
                    endpoint.method,
                    &path,
                    ADMIN2_WRITE_ONLY,
                    Some(r#"{"enabled":false}"#),
                )
                .await
        };
        assert_eq!(
            reply.status.as_u16(),
            403,
            "{} {path}: {}",
            endpoint.method,
            reply.text
        );
        assert_eq!(
            reply.message(),
            "write-only keys cannot call admin endpoints"
        );
        checked += 1;
    }
    assert!(checked >= 23, "checked {checked} endpoints");
    // The audit endpoint also refuses a TD write-only key.
    let reply = server
        .send(
            Request::builder()
                .uri("/audit/api/v1/events")
                .header("Authorization", format!("TD1 {TD_ADMIN_WRITE}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    reply.expect(403);
    // Nothing changed.
    assert_eq!(
        server.get("/admin/api/users/user-123", OWNER).await.body["enabled"],
        true
    );
}

#[tokio::test]
async fn restricted_users_get_403_on_admin_endpoints() {
    let server = Server::demo().await;
    for endpoint in endpoints().into_iter().filter(|e| !is_meta(e.path)) {
        let path = concrete(endpoint.path);
        let own = matches!(path.as_str(), "/admin/api/users/current" | "/v3/user/show");
        // TD key management of one's own keys is self-service.
        let td_self_service = path.starts_with("/v3/user/apikey/");
        if own || td_self_service || path.starts_with("/v3/") {
            continue;
        }
        let reply = server
            .adoc(
                endpoint.method,
                &path,
                USER456,
                Some(r#"{"enabled":false}"#),
            )
            .await;
        assert_eq!(
            reply.status.as_u16(),
            403,
            "{} {path}: {}",
            endpoint.method,
            reply.text
        );
        assert!(
            reply.message().contains("restricted"),
            "{}",
            reply.message()
        );
    }
    server
        .td("GET", "/v3/user/list", "demo-user456-sk-1", None)
        .await
        .expect(403);
    server
        .td(
            "POST",
            "/v3/user/remove/first.last@company.com",
            "demo-user456-sk-1",
            None,
        )
        .await
        .expect(403);
    // ...but they see themselves.
    server
        .get("/admin/api/users/current", USER456)
        .await
        .expect(200);
    server
        .td("GET", "/v3/user/show", "demo-user456-sk-1", None)
        .await
        .expect(200);
}

#[tokio::test]
async fn missing_or_bad_credentials_are_401() {
    let server = Server::demo().await;
    let no_headers = server
        .send(
            Request::builder()
                .uri("/admin/api/users/list")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    no_headers.expect(401);
    assert!(no_headers.message().contains("accessKey"));
    server
        .get("/admin/api/users/list", ("demo-owner-ak", "wrong"))
        .await
        .expect(401);
    server
        .get("/admin/api/users/list", ("no-such-key", "x"))
        .await
        .expect(401);
    let half = server
        .send(
            Request::builder()
                .uri("/admin/api/users/list")
                .header("accessKey", "demo-owner-ak")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    half.expect(401);
    assert!(half.message().contains("secretKey"));
    // TD dialect: its own header and error shape.
    let td = server.td("GET", "/v3/user/list", "1/wrong", None).await;
    td.expect(401);
    assert_eq!(td.body["status_code"], 401);
    assert_eq!(td.body["error"], "Unauthorized");
    let bearer = server
        .send(
            Request::builder()
                .uri("/v3/user/list")
                .header("Authorization", "Bearer 1/demo-owner-master")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    bearer.expect(401);
    assert!(bearer.message().contains("TD1"));
    // ADOC headers do not authenticate TD calls, nor TD headers ADOC calls.
    let crossed = server.adoc("GET", "/v3/user/list", OWNER, None).await;
    crossed.expect(401);
    let crossed = server
        .send(
            Request::builder()
                .uri("/admin/api/users/list")
                .header("Authorization", "TD1 1/demo-owner-master")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    crossed.expect(401);
}

#[tokio::test]
async fn expired_keys_are_401() {
    let server = Server::demo().await;
    let mut conn = sqlx_connect(&server.database_url).await;
    sqlx::query("UPDATE api_keys SET valid_till = '2020-01-01T00:00:00Z' WHERE access_key = 'demo-admin-ak'")
        .execute(&mut conn)
        .await
        .expect("update");
    let reply = server.get("/admin/api/users/current", ADMIN).await;
    reply.expect(401);
    assert!(reply.message().contains("expired"));
}

async fn sqlx_connect(url: &str) -> sqlx::AnyConnection {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(url).await.expect("connect")
}

#[tokio::test]
async fn disabled_users_keys_fail_on_the_very_next_request() {
    let server = Server::demo().await;
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(200);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            ADMIN,
            Some(r#"{"enabled": false}"#),
        )
        .await
        .expect(200);
    let reply = server.get("/admin/api/users/current", USER123).await;
    reply.expect(401);
    assert!(reply.message().contains("disabled"));
    server
        .td("GET", "/v3/user/show", "demo-user123-sk-abc", None)
        .await
        .expect(401);
}

#[tokio::test]
async fn deleted_users_keys_are_401() {
    let server = Server::demo().await;
    server
        .td(
            "POST",
            "/v3/user/remove/replacement@company.com",
            TD_ADMIN,
            None,
        )
        .await
        .expect(200);
    server
        .get("/admin/api/users/current", USER456)
        .await
        .expect(401);
    server
        .td("GET", "/v3/user/show", "demo-user456-sk-1", None)
        .await
        .expect(401);
}

#[tokio::test]
async fn admins_cannot_change_admins() {
    let server = Server::demo().await;
    let expected = "Administrators can change restricted users only; ask the account owner to change another administrator.";
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-admin2",
            ADMIN,
            Some(r#"{"enabled": false}"#),
        )
        .await;
    reply.expect(403);
    assert_eq!(reply.message(), expected);
    server
        .adoc(
            "DELETE",
            "/admin/api/users/api-keys/demo-admin2-ak",
            ADMIN,
            None,
        )
        .await
        .expect(403);
    server
        .adoc(
            "DELETE",
            "/admin/api/users/user-admin2/remove-user",
            ADMIN,
            None,
        )
        .await
        .expect(403);
    let td = server
        .td("POST", "/v3/user/remove/admin2@company.com", TD_ADMIN, None)
        .await;
    td.expect(403);
    assert_eq!(td.message(), expected);
    assert_eq!(td.body["status_code"], 403);
    // The owner can.
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-admin2",
            OWNER,
            Some(r#"{"enabled": false}"#),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn nobody_changes_themselves() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-admin",
            ADMIN,
            Some(r#"{"enabled": false}"#),
        )
        .await;
    reply.expect(403);
    assert_eq!(
        reply.message(),
        "You cannot remove or lock out your own account."
    );
    server
        .adoc(
            "DELETE",
            "/admin/api/users/user-owner/remove-user",
            OWNER,
            None,
        )
        .await
        .expect(403);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-admin/remove-groups",
            ADMIN,
            Some(r#"{"groupIds":["group-admins"]}"#),
        )
        .await
        .expect(403);
    server
        .td("POST", "/v3/user/remove/owner@company.com", TD_OWNER, None)
        .await
        .expect(403);
}

#[tokio::test]
async fn nobody_changes_the_owner() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-owner",
            ADMIN,
            Some(r#"{"enabled": false}"#),
        )
        .await;
    reply.expect(403);
    assert_eq!(
        reply.message(),
        "The account owner cannot be removed or locked out."
    );
    assert_eq!(reply.body["path"], "/admin/api/users/user-owner");
    server
        .adoc(
            "DELETE",
            "/admin/api/users/api-keys/demo-owner-ak",
            ADMIN,
            None,
        )
        .await
        .expect(403);
    server
        .td("POST", "/v3/user/remove/owner@company.com", TD_ADMIN, None)
        .await
        .expect(403);
    server
        .get("/admin/api/users/current", OWNER)
        .await
        .expect(200);
}

#[tokio::test]
async fn scim_users_are_changed_in_their_identity_provider() {
    let server = Server::demo().await;
    let message =
        "scim.user@company.com is managed by Okta through SCIM: change this user in Okta.";
    let put = server
        .adoc(
            "PUT",
            "/admin/api/users/user-scim",
            OWNER,
            Some(r#"{"enabled": false}"#),
        )
        .await;
    put.expect(403);
    assert_eq!(put.message(), message);
    let groups = server
        .adoc(
            "PUT",
            "/admin/api/users/user-scim/remove-groups",
            OWNER,
            Some(r#"{"groupIds":["group-data-eng"]}"#),
        )
        .await;
    groups.expect(403);
    assert_eq!(groups.message(), message);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-scim/assign-groups",
            OWNER,
            Some(r#"{"groupIds":["group-analysts"]}"#),
        )
        .await
        .expect(403);
    server
        .adoc(
            "DELETE",
            "/admin/api/users/user-scim/remove-user",
            OWNER,
            None,
        )
        .await
        .expect(403);
    let td = server
        .td(
            "POST",
            "/v3/user/remove/scim.user@company.com",
            TD_OWNER,
            None,
        )
        .await;
    td.expect(403);
    assert_eq!(td.message(), message);
    // Keys are not managed by the identity provider: they can be revoked.
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-scim01", ADMIN, None)
        .await
        .expect(200);
    server
        .td(
            "POST",
            "/v3/user/apikey/remove/scim.user@company.com",
            TD_ADMIN,
            Some("apikey=AK-scim02"),
        )
        .await
        .expect(200);
    assert_eq!(
        server.get("/admin/api/users/user-scim", OWNER).await.body["enabled"],
        true
    );
}

#[tokio::test]
async fn creating_keys_for_others_follows_the_policy() {
    let server = Server::demo().await;
    server
        .adoc(
            "POST",
            "/admin/api/users/user-admin2/api-keys",
            ADMIN,
            Some(r#"{"type":"MASTER"}"#),
        )
        .await
        .expect(403);
    server
        .adoc(
            "POST",
            "/admin/api/users/user-admin2/api-keys",
            OWNER,
            Some(r#"{"type":"MASTER"}"#),
        )
        .await
        .expect(201);
}
