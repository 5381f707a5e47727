//! The ADOC dialect, endpoint by endpoint, over a real SQLite database.

mod common;

use common::*;
use serde_json::json;

// ---- users ----

#[tokio::test]
async fn current_returns_the_caller_even_for_restricted_users() {
    let server = Server::demo().await;
    let me = server.get("/admin/api/users/current", USER123).await;
    me.expect(200);
    assert_eq!(me.body["userId"], "user-123");
    assert_eq!(me.body["accountRole"], "restricted");
    let owner = server.get("/admin/api/users/current", OWNER).await;
    assert_eq!(owner.body["accountRole"], "owner");
}

#[tokio::test]
async fn user_object_has_the_contract_shape() {
    let server = Server::demo().await;
    let user = server.get("/admin/api/users/user-123", ADMIN).await;
    user.expect(200);
    assert_eq!(
        user.body,
        json!({
            "userId": "user-123", "email": "first.last@company.com", "firstName": "First",
            "lastName": "Last", "enabled": true, "scimManaged": false, "identityProvider": null,
            "accountRole": "restricted",
            "attributes": {"department": ["Data Engineering"], "location": ["Berlin"]},
            "groups": ["group-data-eng", "group-pipeline-owners", "group-prod-access"],
            "roles": ["data-engineer", "pipeline-owner", "prod-reader"],
            "createdOn": "2023-03-01T09:00:00Z", "lastAccessOn": "2024-12-04T17:12:00Z"
        })
    );
    assert_eq!(user.header("cache-control"), Some("no-store"));
    let scim = server.get("/admin/api/users/user-scim", ADMIN).await;
    assert_eq!(scim.body["scimManaged"], true);
    assert_eq!(scim.body["identityProvider"], "Okta");
}

#[tokio::test]
async fn unknown_user_is_404_naming_it() {
    let server = Server::demo().await;
    let reply = server.get("/admin/api/users/user-nope", ADMIN).await;
    reply.expect(404);
    assert!(reply.message().contains("user-nope"));
    assert_eq!(reply.body["status"], 404);
    assert_eq!(reply.body["error"], "Not Found");
    assert_eq!(reply.body["path"], "/admin/api/users/user-nope");
    assert!(reply.body["timestamp"].is_string());
}

#[tokio::test]
async fn list_pages_by_email_with_meta() {
    let server = Server::demo().await;
    // 7 fixed users + 5 generated.
    let all = server.get("/admin/api/users/list", ADMIN).await;
    all.expect(200);
    assert_eq!(
        all.body["meta"],
        json!({"page": 0, "size": 50, "total": 12})
    );
    let emails = column(&all.body["users"], "email");
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);

    let page = server
        .get("/admin/api/users/list?first=4&max=2", ADMIN)
        .await;
    page.expect(200);
    assert_eq!(
        page.body["meta"],
        json!({"page": 2, "size": 2, "total": 12})
    );
    assert_eq!(column(&page.body["users"], "email"), emails[4..6].to_vec());

    let past_end = server
        .get("/admin/api/users/list?first=100&max=10", ADMIN)
        .await;
    past_end.expect(200);
    assert_eq!(past_end.body["users"], json!([]));
    assert_eq!(past_end.body["meta"]["total"], 12);

    let last = server
        .get("/admin/api/users/list?first=11&max=1000", ADMIN)
        .await;
    assert_eq!(column(&last.body["users"], "email").len(), 1);
}

#[tokio::test]
async fn list_rejects_bad_paging() {
    let server = Server::demo().await;
    for query in [
        "max=0",
        "max=1001",
        "first=-1",
        "max=abc",
        "bogus=1",
        "enabled=maybe",
    ] {
        let reply = server
            .get(&format!("/admin/api/users/list?{query}"), ADMIN)
            .await;
        reply.expect(400);
        let field = query.split('=').next().unwrap_or_default();
        assert!(
            reply.message().contains(field),
            "{query}: {}",
            reply.message()
        );
    }
}

#[tokio::test]
async fn search_is_a_case_insensitive_substring_of_id_email_and_names() {
    let server = Server::demo().await;
    let ids = |reply: &Reply| column(&reply.body["users"], "userId");
    assert_eq!(
        ids(&server
            .get("/admin/api/users/list?searchString=FIRST.LAST", ADMIN)
            .await),
        ["user-123"]
    );
    assert_eq!(
        ids(&server
            .get("/admin/api/users/list?searchString=harper", ADMIN)
            .await),
        ["user-heavy"]
    );
    assert_eq!(
        ids(&server
            .get("/admin/api/users/list?searchString=user-45", ADMIN)
            .await),
        ["user-456"]
    );
    assert_eq!(
        ids(&server
            .get("/admin/api/users/list?searchString=Scim", ADMIN)
            .await),
        ["user-scim"]
    );
    // LIKE wildcards match themselves.
    assert!(
        ids(&server
            .get("/admin/api/users/list?searchString=%25", ADMIN)
            .await)
        .is_empty()
    );
    let count = server
        .get("/admin/api/users/count?searchString=admin", ADMIN)
        .await;
    count.expect(200);
    assert_eq!(count.body, json!({"count": 2}));
    assert_eq!(
        server.get("/admin/api/users/count", ADMIN).await.body,
        json!({"count": 12})
    );
}

#[tokio::test]
async fn enabled_filter() {
    let server = Server::demo().await;
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-456",
            OWNER,
            Some(r#"{"enabled":false}"#),
        )
        .await
        .expect(200);
    let disabled = server
        .get("/admin/api/users/list?enabled=false", ADMIN)
        .await;
    assert_eq!(column(&disabled.body["users"], "userId"), ["user-456"]);
    assert_eq!(disabled.body["meta"]["total"], 1);
    let enabled = server
        .get("/admin/api/users/list?enabled=true", ADMIN)
        .await;
    assert_eq!(enabled.body["meta"]["total"], 11);
    assert_eq!(
        server
            .get("/admin/api/users/count?enabled=false", ADMIN)
            .await
            .body["count"],
        1
    );
}

#[tokio::test]
async fn update_disables_and_replaces_attributes() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            ADMIN,
            Some(
                r#"{"enabled": false, "attributes": {"status": ["OFFBOARDED"]}, "firstName": "F"}"#,
            ),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body["enabled"], false);
    assert_eq!(reply.body["firstName"], "F");
    assert_eq!(reply.body["attributes"], json!({"status": ["OFFBOARDED"]}));
    let again = server.get("/admin/api/users/user-123", ADMIN).await;
    assert_eq!(again.body["enabled"], false);
    assert_eq!(again.body["attributes"], json!({"status": ["OFFBOARDED"]}));
    // Re-enabling restores access.
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            ADMIN,
            Some(r#"{"enabled": true}"#),
        )
        .await
        .expect(200);
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(200);
}

#[tokio::test]
async fn update_rejects_bad_bodies_naming_the_field() {
    let server = Server::demo().await;
    let cases = [
        ("enabled=false", "not valid JSON"),
        ("", "empty"),
        ("{}", "empty"),
        (r#"{"enabled": "no"}"#, "enabled"),
        (
            r#"{"attributes": {"status": "OFFBOARDED"}}"#,
            "attributes.status",
        ),
        (r#"{"attributes": ["x"]}"#, "attributes"),
        (r#"{"enabled": false, "role": "admin"}"#, "role"),
        (r#"{"firstName": "  "}"#, "firstName"),
        ("[1]", "invalid type"),
    ];
    for (body, needle) in cases {
        let reply = server
            .adoc("PUT", "/admin/api/users/user-123", ADMIN, Some(body))
            .await;
        reply.expect(400);
        assert!(
            reply.message().contains(needle),
            "{body}: {}",
            reply.message()
        );
    }
    // Nothing changed.
    assert_eq!(
        server.get("/admin/api/users/user-123", ADMIN).await.body["enabled"],
        true
    );
}

/// "1 to 200 characters" counts characters, as openapi.json's maxLength does, not UTF-8 bytes:
/// a 200-character name in a script of three-byte characters is fine, 201 characters are not.
#[tokio::test]
async fn name_length_counts_characters_not_bytes() {
    let server = Server::demo().await;
    let longest = "\u{540d}".repeat(200);
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            ADMIN,
            Some(&json!({ "firstName": longest }).to_string()),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body["firstName"], longest.as_str());
    let too_long = "\u{540d}".repeat(201);
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123",
            ADMIN,
            Some(&json!({ "lastName": too_long }).to_string()),
        )
        .await;
    reply.expect(400);
    assert!(reply.message().contains("lastName"), "{}", reply.message());
}

#[tokio::test]
async fn update_of_unknown_user_is_404() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/ghost",
            ADMIN,
            Some(r#"{"enabled":false}"#),
        )
        .await;
    reply.expect(404);
    assert!(reply.message().contains("ghost"));
}

#[tokio::test]
async fn remove_user_deletes_user_keys_and_memberships_but_keeps_pipeline_owner() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "DELETE",
            "/admin/api/users/user-123/remove-user",
            ADMIN,
            None,
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body, json!({"userId": "user-123", "removed": true}));
    server
        .get("/admin/api/users/user-123", ADMIN)
        .await
        .expect(404);
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(401);
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-def456", ADMIN, None)
        .await
        .expect(404);
    let pipelines = server
        .get(
            "/torch-pipeline/api/pipelines?owner=first.last@company.com",
            ADMIN,
        )
        .await;
    assert_eq!(
        column(&pipelines.body["pipelines"], "uid"),
        ["pl-daily-sales", "pl-customer-360"]
    );
    // Again: the user is gone.
    server
        .adoc(
            "DELETE",
            "/admin/api/users/user-123/remove-user",
            ADMIN,
            None,
        )
        .await
        .expect(404);
}

// ---- API keys ----

#[tokio::test]
async fn keys_list_pages_in_creation_order() {
    let server = Server::demo().await;
    let first = server
        .get("/admin/api/users/user-heavy/api-keys", ADMIN)
        .await;
    first.expect(200);
    assert_eq!(
        first.body["meta"],
        json!({"page": 0, "size": 20, "total": 200})
    );
    let ids = column(&first.body["data"], "accessKey");
    assert_eq!(ids.first().map(String::as_str), Some("AK-heavy-001"));
    assert_eq!(ids.len(), 20);
    assert_eq!(first.body["data"][1]["type"], "WRITE_ONLY");
    let last = server
        .get(
            "/admin/api/users/user-heavy/api-keys?page=1&size=100",
            ADMIN,
        )
        .await;
    let ids = column(&last.body["data"], "accessKey");
    assert_eq!(ids.first().map(String::as_str), Some("AK-heavy-101"));
    assert_eq!(ids.last().map(String::as_str), Some("AK-heavy-200"));
    let beyond = server
        .get(
            "/admin/api/users/user-heavy/api-keys?page=2&size=100",
            ADMIN,
        )
        .await;
    assert_eq!(beyond.body["data"], json!([]));
    for query in ["size=0", "size=101", "page=-1", "page=x"] {
        server
            .get(
                &format!("/admin/api/users/user-heavy/api-keys?{query}"),
                ADMIN,
            )
            .await
            .expect(400);
    }
    server
        .get("/admin/api/users/nobody/api-keys", ADMIN)
        .await
        .expect(404);
}

#[tokio::test]
async fn key_objects_never_carry_secrets() {
    let server = Server::demo().await;
    let keys = server
        .get("/admin/api/users/user-123/api-keys", ADMIN)
        .await;
    assert_eq!(
        keys.body["data"][0],
        json!({"accessKey": "AK-abc123", "userId": "user-123", "type": "MASTER",
               "description": "Master key", "createdAt": "2023-03-01T09:01:00Z", "validTill": null})
    );
    assert!(!keys.text.contains("secret"));
}

#[tokio::test]
async fn create_key_returns_the_secret_once_and_it_works() {
    let server = Server::demo().await;
    let created = server
        .adoc(
            "POST",
            "/admin/api/users/user-123/api-keys",
            ADMIN,
            Some(r#"{"type":"MASTER","description":"ci"}"#),
        )
        .await;
    created.expect(201);
    let access = created.body["accessKey"]
        .as_str()
        .expect("accessKey")
        .to_owned();
    let secret = created.body["secretKey"]
        .as_str()
        .expect("secretKey")
        .to_owned();
    assert_eq!(created.body["description"], "ci");
    let listed = server
        .get("/admin/api/users/user-123/api-keys", ADMIN)
        .await;
    assert!(column(&listed.body["data"], "accessKey").contains(&access));
    assert!(!listed.text.contains(&secret));
    let access: &'static str = Box::leak(access.into_boxed_str());
    let secret: &'static str = Box::leak(secret.into_boxed_str());
    server
        .get("/admin/api/users/current", (access, secret))
        .await
        .expect(200);

    // An admin creates keys for themselves too.
    server
        .adoc(
            "POST",
            "/admin/api/users/user-admin/api-keys",
            ADMIN,
            Some(r#"{"type":"WRITE_ONLY"}"#),
        )
        .await
        .expect(201);
    for body in [
        "{}",
        r#"{"type":"ROOT"}"#,
        r#"{"type":"MASTER","x":1}"#,
        "nope",
    ] {
        server
            .adoc(
                "POST",
                "/admin/api/users/user-123/api-keys",
                ADMIN,
                Some(body),
            )
            .await
            .expect(400);
    }
    server
        .adoc(
            "POST",
            "/admin/api/users/ghost/api-keys",
            ADMIN,
            Some(r#"{"type":"MASTER"}"#),
        )
        .await
        .expect(404);
}

#[tokio::test]
async fn delete_key_then_404_on_retry() {
    let server = Server::demo().await;
    let reply = server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", ADMIN, None)
        .await;
    reply.expect(200);
    assert_eq!(
        reply.body,
        json!({"accessKey": "AK-abc123", "userId": "user-123", "deleted": true})
    );
    server
        .get("/admin/api/users/current", USER123)
        .await
        .expect(401);
    let again = server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", ADMIN, None)
        .await;
    again.expect(404);
    assert!(again.message().contains("AK-abc123"));
}

#[tokio::test]
async fn deleting_ones_own_key_is_allowed() {
    let server = Server::demo().await;
    server
        .adoc(
            "DELETE",
            "/admin/api/users/api-keys/demo-admin-ak",
            ADMIN,
            None,
        )
        .await
        .expect(200);
    server
        .get("/admin/api/users/current", ADMIN)
        .await
        .expect(401);
}

// ---- groups ----

#[tokio::test]
async fn groups_of_a_user() {
    let server = Server::demo().await;
    let reply = server.get("/admin/api/users/user-456/groups", ADMIN).await;
    reply.expect(200);
    assert_eq!(
        reply.body["groups"][0],
        json!({"groupId": "group-data-eng", "name": "Data Engineering",
               "description": "Members get the data-engineer role", "role": "data-engineer"})
    );
    assert_eq!(
        column(&reply.body["groups"], "groupId"),
        ["group-data-eng", "group-pipeline-owners"]
    );
    server
        .get("/admin/api/users/ghost/groups", ADMIN)
        .await
        .expect(404);
}

#[tokio::test]
async fn remove_groups_in_both_body_forms_reports_non_members() {
    let server = Server::demo().await;
    let runbook = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            ADMIN,
            Some(r#"{"groupIds": ["group-data-eng", "group-analysts"]}"#),
        )
        .await;
    runbook.expect(200);
    assert_eq!(runbook.body["removed"], json!(["group-data-eng"]));
    assert_eq!(runbook.body["notMember"], json!(["group-analysts"]));
    assert_eq!(
        column(&runbook.body["groups"], "groupId"),
        ["group-pipeline-owners", "group-prod-access"]
    );

    let vendor = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            ADMIN,
            Some(r#"{"data": {"groups": ["group-pipeline-owners", "group-prod-access"]}}"#),
        )
        .await;
    vendor.expect(200);
    assert_eq!(vendor.body["groups"], json!([]));
    assert_eq!(vendor.body["userId"], "user-123");

    // A retry is harmless.
    let retry = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            ADMIN,
            Some(r#"{"groupIds": ["group-prod-access"]}"#),
        )
        .await;
    retry.expect(200);
    assert_eq!(retry.body["removed"], json!([]));
    assert_eq!(retry.body["notMember"], json!(["group-prod-access"]));
}

#[tokio::test]
async fn unknown_group_fails_the_whole_call() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            ADMIN,
            Some(r#"{"groupIds": ["group-data-eng", "group-nope"]}"#),
        )
        .await;
    reply.expect(404);
    assert!(reply.message().contains("group-nope"));
    let groups = server.get("/admin/api/users/user-123/groups", ADMIN).await;
    assert_eq!(
        column(&groups.body["groups"], "groupId").len(),
        3,
        "nothing was removed"
    );
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/assign-groups",
            ADMIN,
            Some(r#"{"groupIds": ["group-nope"]}"#),
        )
        .await
        .expect(404);
}

#[tokio::test]
async fn group_bodies_are_validated() {
    let server = Server::demo().await;
    for path in [
        "/admin/api/users/user-123/remove-groups",
        "/admin/api/users/user-123/assign-groups",
    ] {
        for body in [
            r#"{"groupIds": []}"#,
            r#"{"data": {"groups": []}}"#,
            "{}",
            r#"{"groupIds": "group-data-eng"}"#,
            r#"{"groupIds": ["a"], "data": {"groups": ["b"]}}"#,
            r#"{"groups": ["group-data-eng"]}"#,
            "group-data-eng",
        ] {
            let reply = server.adoc("PUT", path, ADMIN, Some(body)).await;
            reply.expect(400);
            assert!(!reply.message().is_empty());
        }
    }
    let empty = server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            ADMIN,
            Some(r#"{"groupIds": []}"#),
        )
        .await;
    assert!(empty.message().contains("groupIds"));
}

#[tokio::test]
async fn assign_groups_restores_access_and_is_idempotent() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/admin/api/users/user-456/assign-groups",
            ADMIN,
            Some(r#"{"data": {"groups": ["group-prod-access", "group-data-eng"]}}"#),
        )
        .await;
    reply.expect(200);
    assert_eq!(
        column(&reply.body["groups"], "groupId"),
        [
            "group-data-eng",
            "group-pipeline-owners",
            "group-prod-access"
        ]
    );
    let user = server.get("/admin/api/users/user-456", ADMIN).await;
    assert_eq!(
        strings(&user.body["roles"]),
        ["data-engineer", "pipeline-owner", "prod-reader"]
    );
}

// ---- authz ----

#[tokio::test]
async fn roles_name_their_source_group() {
    let server = Server::demo().await;
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-456/assign-groups",
            ADMIN,
            Some(r#"{"groupIds": ["group-heavy-01"]}"#),
        )
        .await
        .expect(200);
    let reply = server
        .get("/authz/api/v1/users/user-456/roles", ADMIN)
        .await;
    reply.expect(200);
    // data-engineer comes from two groups, so it appears twice.
    assert_eq!(
        column(&reply.body["roles"], "source"),
        ["group-data-eng", "group-heavy-01", "group-pipeline-owners"]
    );
    assert_eq!(
        reply.body["roles"][0],
        json!({"id": "data-engineer", "name": "Data engineer",
               "description": "Reads and writes datasets, runs queries", "source": "group-data-eng"})
    );
    server
        .get("/authz/api/v1/users/ghost/roles", ADMIN)
        .await
        .expect(404);
}

#[tokio::test]
async fn permissions_follow_groups_and_vanish_without_them() {
    let server = Server::demo().await;
    let reply = server
        .get("/authz/api/v1/users/permissions?userId=user-123", ADMIN)
        .await;
    reply.expect(200);
    assert_eq!(reply.body["userId"], "user-123");
    assert!(reply.body["permissions"].as_array().is_some_and(|p| p.contains(&json!({"permission": "prod.read", "role": "prod-reader"}))));
    assert_eq!(reply.body["permissions"].as_array().map(Vec::len), Some(7));
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-123/remove-groups",
            ADMIN,
            Some(
                r#"{"groupIds": ["group-data-eng", "group-pipeline-owners", "group-prod-access"]}"#,
            ),
        )
        .await
        .expect(200);
    let after = server
        .get("/authz/api/v1/users/permissions?userId=user-123", ADMIN)
        .await;
    assert_eq!(after.body, json!({"userId": "user-123", "permissions": []}));
    let missing = server.get("/authz/api/v1/users/permissions", ADMIN).await;
    missing.expect(400);
    assert!(missing.message().contains("userId"));
    server
        .get("/authz/api/v1/users/permissions?userId=ghost", ADMIN)
        .await
        .expect(404);
}

// ---- pipelines ----

#[tokio::test]
async fn pipelines_list_by_owner() {
    let server = Server::demo().await;
    let all = server.get("/torch-pipeline/api/pipelines", ADMIN).await;
    all.expect(200);
    assert_eq!(all.body["pipelines"].as_array().map(Vec::len), Some(3));
    let mine = server
        .get(
            "/torch-pipeline/api/pipelines?owner=first.last@company.com",
            ADMIN,
        )
        .await;
    assert_eq!(
        mine.body["pipelines"][0],
        json!({"id": 1, "uid": "pl-daily-sales", "name": "Daily sales rollup",
               "description": "Aggregates yesterday's sales by region",
               "meta": {"owner": "first.last@company.com"}})
    );
    let nobody = server
        .get(
            "/torch-pipeline/api/pipelines?owner=nobody@company.com",
            ADMIN,
        )
        .await;
    assert_eq!(nobody.body["pipelines"], json!([]));
}

#[tokio::test]
async fn pipeline_owner_change_in_the_sdk_form() {
    let server = Server::demo().await;
    let reply = server
        .adoc(
            "PUT",
            "/torch-pipeline/api/pipelines",
            ADMIN,
            Some(r#"{"pipeline": {"uid": "pl-daily-sales", "meta": {"owner": "replacement@company.com"}}}"#),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body["meta"]["owner"], "replacement@company.com");
    assert_eq!(reply.body["uid"], "pl-daily-sales");
    let theirs = server
        .get(
            "/torch-pipeline/api/pipelines?owner=replacement@company.com",
            ADMIN,
        )
        .await;
    assert_eq!(
        column(&theirs.body["pipelines"], "uid"),
        ["pl-daily-sales", "pl-marketing-attribution"]
    );
}

#[tokio::test]
async fn pipeline_owner_change_errors() {
    let server = Server::demo().await;
    let unknown = server
        .adoc(
            "PUT",
            "/torch-pipeline/api/pipelines",
            ADMIN,
            Some(
                r#"{"pipeline": {"uid": "pl-nope", "meta": {"owner": "replacement@company.com"}}}"#,
            ),
        )
        .await;
    unknown.expect(404);
    assert!(unknown.message().contains("pl-nope"));
    let stranger = server
        .adoc("PUT", "/torch-pipeline/api/pipelines", ADMIN, Some(r#"{"pipeline": {"uid": "pl-daily-sales", "meta": {"owner": "stranger@else.com"}}}"#))
        .await;
    stranger.expect(400);
    assert!(stranger.message().contains("stranger@else.com"));
    server
        .adoc(
            "PUT",
            "/admin/api/users/user-456",
            OWNER,
            Some(r#"{"enabled": false}"#),
        )
        .await
        .expect(200);
    server
        .adoc("PUT", "/torch-pipeline/api/pipelines", ADMIN, Some(r#"{"pipeline": {"uid": "pl-daily-sales", "meta": {"owner": "replacement@company.com"}}}"#))
        .await
        .expect(400);
    for body in [
        r#"{"pipeline": {"uid": "pl-daily-sales"}}"#,
        r#"{"pipeline": {"uid": 1, "meta": {"owner": "a"}}}"#,
        "[]",
    ] {
        server
            .adoc("PUT", "/torch-pipeline/api/pipelines", ADMIN, Some(body))
            .await
            .expect(400);
    }
    let mine = server
        .get(
            "/torch-pipeline/api/pipelines?owner=first.last@company.com",
            ADMIN,
        )
        .await;
    assert_eq!(
        mine.body["pipelines"].as_array().map(Vec::len),
        Some(2),
        "nothing changed"
    );
}

#[tokio::test]
async fn unknown_api_routes_are_json_404s_and_wrong_methods_json_405s() {
    let server = Server::demo().await;
    let reply = server.get("/admin/api/nothing/here/at/all", ADMIN).await;
    reply.expect(404);
    assert_eq!(reply.body["status"], 404);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let wrong = server
        .adoc("PATCH", "/admin/api/users/user-123", ADMIN, Some("{}"))
        .await;
    wrong.expect(405);
    assert_eq!(wrong.body["error"], "Method Not Allowed");
}

// ---- a second platform ----

#[tokio::test]
async fn the_second_demo_set_shares_the_named_people_and_has_its_own() {
    let second = Server::with(|config| config.demo_set = offboard_server::DemoSet::Second).await;
    // The named people are on both platforms, with the same demo keys.
    second
        .get("/admin/api/users/user-123", OWNER)
        .await
        .expect(200);
    second
        .get("/admin/api/users/user-456", ADMIN)
        .await
        .expect(200);
    // user-heavy and the user.NNNN people are only on the main one; eu.NNNN only here.
    second
        .get("/admin/api/users/user-heavy", OWNER)
        .await
        .expect(404);
    second
        .get("/admin/api/users/user-gen-0001", OWNER)
        .await
        .expect(404);
    let eu = second.get("/admin/api/users/user-eu-0001", OWNER).await;
    eu.expect(200);
    assert_eq!(eu.body["email"], "eu.0001@company.com");
    let main = Server::demo().await;
    main.get("/admin/api/users/user-eu-0001", OWNER)
        .await
        .expect(404);
    main.get("/admin/api/users/user-heavy", OWNER)
        .await
        .expect(200);
}
