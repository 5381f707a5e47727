//! The vendor runbooks' calls (Acceldata's "Offboard a User", Treasure Data's "Deleting Users"),
//! exactly as written, against the demo data.
//! Where a runbook's literal call cannot work (placeholders such as `AK-key1`, the bare pipeline
//! body), the test pins down the clear answer the server gives instead.

mod common;

use common::*;
use serde_json::json;

// ---- ADOC "Offboard a User" ----

#[tokio::test]
async fn step_1_document_current_access() {
    let server = Server::demo().await;
    // GET /admin/api/users/user-123
    let user = server.get("/admin/api/users/user-123", OWNER).await;
    user.expect(200);
    assert_eq!(user.body["enabled"], true);
    // GET /authz/api/v1/users/user-123/roles
    let roles = server
        .get("/authz/api/v1/users/user-123/roles", OWNER)
        .await;
    roles.expect(200);
    assert_eq!(
        column(&roles.body["roles"], "id"),
        ["data-engineer", "pipeline-owner", "prod-reader"]
    );
    // GET /admin/api/users/user-123/api-keys
    let keys = server
        .get("/admin/api/users/user-123/api-keys", OWNER)
        .await;
    keys.expect(200);
    assert_eq!(
        column(&keys.body["data"], "accessKey"),
        ["AK-abc123", "AK-def456"]
    );
}

#[tokio::test]
async fn step_2_disable_account_with_offboarding_attributes() {
    let server = Server::demo().await;
    let body = r#"{ "enabled": false, "attributes": { "status": ["OFFBOARDED"], "offboardDate": ["2024-12-05"], "reason": ["Voluntary - New Job"], "handedOffTo": ["replacement@company.com"] }}"#;
    let reply = server
        .adoc("PUT", "/admin/api/users/user-123", OWNER, Some(body))
        .await;
    reply.expect(200);
    assert_eq!(reply.body["enabled"], false);
    assert_eq!(
        reply.body["attributes"],
        json!({"status": ["OFFBOARDED"], "offboardDate": ["2024-12-05"],
               "reason": ["Voluntary - New Job"], "handedOffTo": ["replacement@company.com"]})
    );
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(401);
}

#[tokio::test]
async fn immediate_action_disable() {
    let server = Server::demo().await;
    // PUT /admin/api/users/user-123{ "enabled": false}
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            OWNER,
            Some(r#"{ "enabled": false}"#),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body["enabled"], false);
}

#[tokio::test]
async fn immediate_action_revoke_all_api_keys() {
    let server = Server::demo().await;
    // GET /admin/api/users/user-123/api-keys
    server
        .get("/admin/api/users/user-123/api-keys", OWNER)
        .await
        .expect(200);
    // DELETE /admin/api/users/api-keys/AK-abc123, DELETE /admin/api/users/api-keys/AK-def456
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", OWNER, None)
        .await
        .expect(200);
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-def456", OWNER, None)
        .await
        .expect(200);
    let keys = server
        .get("/admin/api/users/user-123/api-keys", OWNER)
        .await;
    assert_eq!(keys.body["meta"]["total"], 0);
}

#[tokio::test]
async fn step_3_revoke_api_keys_placeholders_are_unknown_keys() {
    let server = Server::demo().await;
    server
        .get("/admin/api/users/user-123/api-keys", OWNER)
        .await
        .expect(200);
    // DELETE /admin/api/users/api-keys/AK-key1 and AK-key2 are placeholders: 404 naming them.
    for key in ["AK-key1", "AK-key2"] {
        let reply = server
            .adoc(
                "DELETE",
                &format!("/admin/api/users/api-keys/{key}"),
                OWNER,
                None,
            )
            .await;
        reply.expect(404);
        assert!(reply.message().contains(key));
    }
}

#[tokio::test]
async fn step_4_remove_group_memberships_exactly_as_written_names_unknown_groups() {
    let server = Server::demo().await;
    // PUT /admin/api/users/user-123/remove-groups { "groupIds": ["all", "groups", "user", "was", "in"]}
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            OWNER,
            Some(r#"{ "groupIds": ["all", "groups", "user", "was", "in"]}"#),
        )
        .await;
    reply.expect(404);
    assert!(
        reply.message().contains("all, groups, user, was, in"),
        "{}",
        reply.message()
    );
}

#[tokio::test]
async fn immediate_action_remove_from_all_groups() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            OWNER,
            Some(r#"{ "groupIds": [ "group-data-eng", "group-pipeline-owners", "group-prod-access" ]}"#),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body["groups"], json!([]));
    assert_eq!(
        reply.body["removed"],
        json!([
            "group-data-eng",
            "group-pipeline-owners",
            "group-prod-access"
        ])
    );
}

#[tokio::test]
async fn step_5_verify_access_removed() {
    let server = Server::demo().await;
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            OWNER,
            Some(r#"{ "enabled": false}"#),
        )
        .await
        .expect(200);
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            OWNER,
            Some(r#"{ "groupIds": [ "group-data-eng", "group-pipeline-owners", "group-prod-access" ]}"#),
        )
        .await
        .expect(200);
    // GET /authz/api/v1/users/permissions?userId=user-123 → empty
    let permissions = server
        .get("/authz/api/v1/users/permissions?userId=user-123", OWNER)
        .await;
    permissions.expect(200);
    assert_eq!(permissions.body["permissions"], json!([]));
    // GET /admin/api/users/user-123 → enabled: false
    let user = server.get("/admin/api/users/user-123", OWNER).await;
    assert_eq!(user.body["enabled"], false);
}

#[tokio::test]
async fn step_6_update_ownership_bare_body_is_a_clear_400() {
    let server = Server::demo().await;
    // PUT /torch-pipeline/api/pipelines { "meta": { "owner": "replacement@company.com" }}
    let reply = server
        .adoc(
            "PUT",
            "/torch-pipeline/api/pipelines",
            OWNER,
            Some(r#"{ "meta": { "owner": "replacement@company.com" }}"#),
        )
        .await;
    reply.expect(400);
    assert!(
        reply.message().contains("names no pipeline"),
        "{}",
        reply.message()
    );
    assert!(reply.message().contains("\"pipeline\""));
    // The form that works names the pipeline.
    server
        .adoc(
            "PUT",
            "/torch-pipeline/api/pipelines",
            OWNER,
            Some(r#"{"pipeline": {"uid": "pl-customer-360", "meta": { "owner": "replacement@company.com" }}}"#),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn emergency_offboarding() {
    let server = Server::demo().await;
    // 1. PUT /admin/api/users/user-123 {"enabled": false}
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            OWNER,
            Some(r#"{"enabled": false}"#),
        )
        .await
        .expect(200);
    // 2. DELETE /admin/api/users/api-keys/AK-* (all keys): `AK-*` itself is no key…
    let literal = server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-*", OWNER, None)
        .await;
    literal.expect(404);
    assert!(literal.message().contains("AK-*"));
    // …so each key is listed and deleted.
    let keys = server
        .get("/admin/api/users/user-123/api-keys", OWNER)
        .await;
    for key in column(&keys.body["data"], "accessKey") {
        server
            .adoc(
                "DELETE",
                &format!("/admin/api/users/api-keys/{key}"),
                OWNER,
                None,
            )
            .await
            .expect(200);
    }
    // 3. PUT /admin/api/users/user-123/remove-groups {"groupIds": [...all]}
    let groups = server.get("/admin/api/users/user-123/groups", OWNER).await;
    let all = serde_json::to_string(&column(&groups.body["groups"], "groupId")).expect("json");
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            OWNER,
            Some(&format!(r#"{{"groupIds": {all}}}"#)),
        )
        .await
        .expect(200);
    let permissions = server
        .get("/authz/api/v1/users/permissions?userId=user-123", OWNER)
        .await;
    assert_eq!(permissions.body["permissions"], json!([]));
    assert_eq!(
        server
            .get("/admin/api/users/user-123/api-keys", OWNER)
            .await
            .body["meta"]["total"],
        0
    );
    let events = audit_events(&server).await;
    assert_eq!(
        events.len(),
        5,
        "disable, the refused AK-*, two key deletions, groups"
    );
}

// ---- TD "Deleting Users" ----

#[tokio::test]
async fn td_v3_remove_user_as_in_the_example_call() {
    let server = Server::demo().await;
    // curl --request POST '…/v3/user/remove/first.last@company.com' --header 'Accept: application/json'
    //      --header 'Authorization: TD1 …'
    let reply = server
        .send(
            axum::http::Request::builder()
                .method("POST")
                .uri("/v3/user/remove/first.last@company.com")
                .header("Accept", "application/json")
                .header("Authorization", format!("TD1 {TD_OWNER}"))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body, json!({"user": "first.last@company.com"}));
    // "When the user is deleted, all of their API keys are deleted as well."
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(401);
    server
        .get("/admin/api/users/user-123", OWNER)
        .await
        .expect(404);
}
