//! The TD dialect, endpoint by endpoint.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn show_and_list_users() {
    let server = Server::demo().await;
    let me = server.td("GET", "/v3/user/show", TD_OWNER, None).await;
    me.expect(200);
    let created = me.body["created_at"].clone();
    let updated = me.body["updated_at"].clone();
    assert_eq!(
        me.body,
        json!({"id": 1, "email": "owner@company.com", "name": "Olivia Owner", "first_name": "Olivia",
               "last_name": "Owner", "account_owner": true, "administrator": true,
               "created_at": created, "updated_at": updated, "scim_managed": false})
    );
    let list = server.td("GET", "/v3/user/list", TD_ADMIN, None).await;
    list.expect(200);
    let emails = column(&list.body["users"], "email");
    assert_eq!(emails.len(), 12);
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);
    let user123 = list.body["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["email"] == "first.last@company.com"))
        .cloned();
    assert_eq!(
        user123.as_ref().map(|u| u["administrator"].clone()),
        Some(json!(false))
    );
    assert_eq!(list.header("cache-control"), Some("no-store"));
    // The extension names a SCIM-managed account's identity provider.
    let scim = list.body["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["email"] == "scim.user@company.com"))
        .cloned()
        .unwrap();
    assert_eq!(scim["scim_managed"], true);
    assert_eq!(scim["identity_provider"], "Okta");
}

#[tokio::test]
async fn key_list_shows_public_ids_only() {
    let server = Server::demo().await;
    let reply = server
        .td(
            "GET",
            "/v3/user/apikey/list/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    reply.expect(200);
    assert_eq!(
        reply.body["apikeys"],
        json!([{"id": "AK-abc123", "type": "master", "created_at": "2023-03-01T09:01:00Z"},
               {"id": "AK-def456", "type": "write_only", "created_at": "2023-03-01T09:02:00Z"}])
    );
    // Users list their own keys; not others'.
    server
        .td(
            "GET",
            "/v3/user/apikey/list/first.last@company.com",
            "demo-user123-sk-abc",
            None,
        )
        .await
        .expect(200);
    server
        .td(
            "GET",
            "/v3/user/apikey/list/owner@company.com",
            "demo-user123-sk-abc",
            None,
        )
        .await
        .expect(403);
    let unknown = server
        .td(
            "GET",
            "/v3/user/apikey/list/ghost@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    unknown.expect(404);
    assert!(unknown.message().contains("ghost@company.com"));
    assert_eq!(unknown.body["status_code"], 404);
}

#[tokio::test]
async fn add_key_form_in_body_or_query() {
    let server = Server::demo().await;
    let added = server
        .td(
            "POST",
            "/v3/user/apikey/add/first.last@company.com",
            TD_ADMIN,
            Some("type=write_only"),
        )
        .await;
    added.expect(200);
    assert_eq!(added.body["type"], "write_only");
    let key = added.body["apikey"].as_str().expect("key").to_owned();
    assert!(key.starts_with("4/"), "TD keys carry the user's id: {key}");
    let by_query = server
        .td(
            "POST",
            "/v3/user/apikey/add/first.last@company.com?type=master",
            TD_ADMIN,
            None,
        )
        .await;
    by_query.expect(200);
    assert_eq!(by_query.body["type"], "master");
    let default = server
        .td(
            "POST",
            "/v3/user/apikey/add/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    assert_eq!(default.body["type"], "master");
    let master = default.body["apikey"].as_str().expect("key").to_owned();
    // The new master key works at once, in both dialects' TD form.
    let me = server.td("GET", "/v3/user/show", &master, None).await;
    me.expect(200);
    assert_eq!(me.body["email"], "first.last@company.com");
    let list = server
        .td(
            "GET",
            "/v3/user/apikey/list/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    assert_eq!(list.body["apikeys"].as_array().map(Vec::len), Some(5));
    assert!(!list.text.contains(&master));
    server
        .td(
            "POST",
            "/v3/user/apikey/add/first.last@company.com",
            TD_ADMIN,
            Some("type=root"),
        )
        .await
        .expect(400);
    server
        .td(
            "POST",
            "/v3/user/apikey/add/first.last@company.com",
            TD_ADMIN,
            Some("kind=master"),
        )
        .await
        .expect(400);
    server
        .td(
            "POST",
            "/v3/user/apikey/add/ghost@company.com",
            TD_ADMIN,
            None,
        )
        .await
        .expect(404);
    // Self-service for one's own keys; not for others'.
    server
        .td(
            "POST",
            "/v3/user/apikey/add/first.last@company.com",
            "demo-user123-sk-abc",
            None,
        )
        .await
        .expect(200);
    server
        .td(
            "POST",
            "/v3/user/apikey/add/replacement@company.com",
            "demo-user123-sk-abc",
            None,
        )
        .await
        .expect(403);
}

#[tokio::test]
async fn remove_key_by_public_id_or_whole_key() {
    let server = Server::demo().await;
    let by_id = server
        .td(
            "POST",
            "/v3/user/apikey/remove/first.last@company.com",
            TD_ADMIN,
            Some("apikey=AK-def456"),
        )
        .await;
    by_id.expect(200);
    assert_eq!(
        by_id.body,
        json!({"user": "first.last@company.com", "apikey": "AK-def456"})
    );
    let by_key = server
        .td(
            "POST",
            "/v3/user/apikey/remove/first.last@company.com?apikey=demo-user123-sk-abc",
            TD_ADMIN,
            None,
        )
        .await;
    by_key.expect(200);
    assert_eq!(by_key.body["apikey"], "AK-abc123");
    assert!(!by_key.text.contains("demo-user123-sk-abc"));
    let again = server
        .td(
            "POST",
            "/v3/user/apikey/remove/first.last@company.com",
            TD_ADMIN,
            Some("apikey=AK-def456"),
        )
        .await;
    again.expect(404);
    // Not that user's key.
    server
        .td(
            "POST",
            "/v3/user/apikey/remove/first.last@company.com",
            TD_ADMIN,
            Some("apikey=AK-rep001"),
        )
        .await
        .expect(404);
    let missing = server
        .td(
            "POST",
            "/v3/user/apikey/remove/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    missing.expect(400);
    assert!(missing.message().contains("apikey"));
    // A whole key that was not found is never echoed.
    let secret = server
        .td(
            "POST",
            "/v3/user/apikey/remove/replacement@company.com",
            TD_ADMIN,
            Some("apikey=1%2Fsecret-value"),
        )
        .await;
    secret.expect(404);
    assert!(!secret.text.contains("secret-value"));
}

#[tokio::test]
async fn remove_user_deletes_keys_by_default() {
    let server = Server::demo().await;
    let reply = server
        .td(
            "POST",
            "/v3/user/remove/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.body, json!({"user": "first.last@company.com"}));
    server
        .td(
            "GET",
            "/v3/user/apikey/list/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await
        .expect(404);
    server
        .adoc("DELETE", "/admin/api/users/api-keys/AK-abc123", ADMIN, None)
        .await
        .expect(404);
    let again = server
        .td(
            "POST",
            "/v3/user/remove/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    again.expect(404);
}

#[tokio::test]
async fn remove_user_reassigns_keys_to_a_chosen_user() {
    let server = Server::demo().await;
    let reply = server
        .td(
            "POST",
            "/v3/user/remove/first.last@company.com",
            TD_ADMIN,
            Some("api_keys=reassign&reassign_to=replacement%40company.com"),
        )
        .await;
    reply.expect(200);
    let keys = server
        .td(
            "GET",
            "/v3/user/apikey/list/replacement@company.com",
            TD_ADMIN,
            None,
        )
        .await;
    let ids = column(&keys.body["apikeys"], "id");
    assert!(
        ids.contains(&"AK-abc123".to_owned()) && ids.contains(&"AK-def456".to_owned()),
        "{ids:?}"
    );
    let adoc = server
        .get("/admin/api/users/user-456/api-keys", ADMIN)
        .await;
    assert_eq!(adoc.body["meta"]["total"], 4);
    // The reassigned key now acts as its new owner.
    let me = server
        .td("GET", "/v3/user/show", "demo-user123-sk-abc", None)
        .await;
    assert_eq!(me.body["email"], "replacement@company.com");
}

#[tokio::test]
async fn remove_user_reassigns_keys_to_the_owner_by_default() {
    let server = Server::demo().await;
    server
        .td(
            "POST",
            "/v3/user/remove/first.last@company.com?api_keys=reassign",
            TD_ADMIN,
            None,
        )
        .await
        .expect(200);
    let keys = server
        .get("/admin/api/users/user-owner/api-keys", OWNER)
        .await;
    assert!(column(&keys.body["data"], "accessKey").contains(&"AK-abc123".to_owned()));
}

#[tokio::test]
async fn remove_user_form_is_validated() {
    let server = Server::demo().await;
    for form in [
        "api_keys=keep",
        "reassign_to=replacement@company.com",
        "api_keys=reassign&reassign_to=ghost@company.com",
        "api_keys=reassign&reassign_to=first.last@company.com",
        "api_key=delete",
    ] {
        let reply = server
            .td(
                "POST",
                "/v3/user/remove/first.last@company.com",
                TD_ADMIN,
                Some(form),
            )
            .await;
        reply.expect(400);
        assert!(!reply.message().is_empty(), "{form}");
    }
    server
        .td(
            "GET",
            "/v3/user/apikey/list/first.last@company.com",
            TD_ADMIN,
            None,
        )
        .await
        .expect(200);
}
