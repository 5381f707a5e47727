//! Acceldata ADOC: the calls of the "Offboard a User" runbook and tolerant parsers for their answers.
//!
//! Paths and bodies are exactly the runbook's (`PUT /admin/api/users/:id {"enabled": false, …}`,
//! `PUT …/remove-groups {"groupIds": […]}`), except where the runbook's own form cannot work: its
//! pipeline update names no pipeline, so the vendor SDK's `{"pipeline": {"uid", "meta"}}` is used.

use crate::dialect::missing;
use crate::error::ApiError;
use crate::http::{Body, Method, Request, encode_component as enc, with_query};
use crate::lenient::{self, attributes, count, flag, ids, items, text};
use crate::model::{ApiKey, Group, KeyType, Page, Permission, Pipeline, Role, User, display_name};
use crate::policy::AccountRole;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Page size used for users; the reference server allows up to 1000.
pub const USERS_PAGE: u64 = 500;
/// Page size used for API keys; the reference server allows up to 100.
pub const KEYS_PAGE: u64 = 100;

pub fn current_user() -> Request {
    Request::get("/admin/api/users/current")
}

pub fn count_users() -> Request {
    Request::get("/admin/api/users/count")
}

pub fn list_users(first: u64, max: u64, search: Option<&str>) -> Request {
    let search = search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Request::get(with_query(
        "/admin/api/users/list",
        &[
            ("first", Some(first.to_string())),
            ("max", Some(max.to_string())),
            ("searchString", search),
        ],
    ))
}

pub fn get_user(user_id: &str) -> Request {
    Request::get(format!("/admin/api/users/{}", enc(user_id)))
}

/// Runbook step 2: disable, don't delete, and record why in the user's attributes. The server
/// replaces the attribute map, so `attributes` must already include the ones to keep.
pub fn disable_user(user_id: &str, attributes: Option<&BTreeMap<String, Vec<String>>>) -> Request {
    let mut body = json!({ "enabled": false });
    if let Some(attributes) = attributes {
        body["attributes"] = lenient::attributes_value(attributes);
    }
    Request::new(
        Method::Put,
        format!("/admin/api/users/{}", enc(user_id)),
        Body::Json(body),
    )
}

/// `PUT /admin/api/users/:userId/assign-groups` in the runbook's body form.
pub fn assign_groups(user_id: &str, group_ids: &[String]) -> Request {
    Request::new(
        Method::Put,
        format!("/admin/api/users/{}/assign-groups", enc(user_id)),
        Body::Json(json!({ "groupIds": group_ids })),
    )
}

/// Re-enables the account, with `attributes` (which must keep the ones to keep).
pub fn enable_user(user_id: &str, attributes: &BTreeMap<String, Vec<String>>) -> Request {
    Request::new(
        Method::Put,
        format!("/admin/api/users/{}", enc(user_id)),
        Body::Json(json!({
            "enabled": true,
            "attributes": lenient::attributes_value(attributes),
        })),
    )
}

/// `DELETE /admin/api/users/:userId/remove-user`: the account is gone, with its keys.
pub fn delete_user(user_id: &str) -> Request {
    Request::new(
        Method::Delete,
        format!("/admin/api/users/{}/remove-user", enc(user_id)),
        Body::None,
    )
}

pub fn list_keys(user_id: &str, page: u64, size: u64) -> Request {
    Request::get(with_query(
        &format!("/admin/api/users/{}/api-keys", enc(user_id)),
        &[
            ("page", Some(page.to_string())),
            ("size", Some(size.to_string())),
        ],
    ))
}

pub fn delete_key(access_key: &str) -> Request {
    Request::new(
        Method::Delete,
        format!("/admin/api/users/api-keys/{}", enc(access_key)),
        Body::None,
    )
}

pub fn list_groups(user_id: &str) -> Request {
    Request::get(format!("/admin/api/users/{}/groups", enc(user_id)))
}

/// The runbook's form: `{"groupIds": […]}`.
pub fn remove_groups(user_id: &str, group_ids: &[String]) -> Request {
    Request::new(
        Method::Put,
        format!("/admin/api/users/{}/remove-groups", enc(user_id)),
        Body::Json(json!({ "groupIds": group_ids })),
    )
}

pub fn roles(user_id: &str) -> Request {
    Request::get(format!("/authz/api/v1/users/{}/roles", enc(user_id)))
}

pub fn permissions(user_id: &str) -> Request {
    Request::get(with_query(
        "/authz/api/v1/users/permissions",
        &[("userId", Some(user_id.to_string()))],
    ))
}

pub fn pipelines_owned_by(email: &str) -> Request {
    Request::get(with_query(
        "/torch-pipeline/api/pipelines",
        &[("owner", Some(email.to_string()))],
    ))
}

pub fn transfer_pipeline(uid: &str, new_owner_email: &str) -> Request {
    Request::new(
        Method::Put,
        "/torch-pipeline/api/pipelines",
        Body::Json(json!({ "pipeline": { "uid": uid, "meta": { "owner": new_owner_email } } })),
    )
}

pub fn parse_user(value: &Value) -> Result<User, ApiError> {
    let user = value.get("user").filter(|u| u.is_object()).unwrap_or(value);
    let id = text(user, &["userId", "id", "username"]).ok_or_else(|| missing("user id"))?;
    let email = text(user, &["email", "mail"]).unwrap_or_default();
    let first_name = text(user, &["firstName", "first_name"]).unwrap_or_default();
    let last_name = text(user, &["lastName", "last_name"]).unwrap_or_default();
    let name = display_name(
        &first_name,
        &last_name,
        text(user, &["name", "displayName"]).as_deref(),
        &email,
    );
    let account_role = text(user, &["accountRole", "role"]).and_then(|r| AccountRole::parse(&r));
    Ok(User {
        name,
        account_role,
        enabled: flag(user, &["enabled", "active"]),
        scim_managed: flag(user, &["scimManaged", "scim"]).unwrap_or(false),
        identity_provider: text(user, &["identityProvider", "idp"]),
        attributes: attributes(user.get("attributes")),
        groups: ids(items(user, &["groups"]), &["groupId", "id", "name"]),
        roles: ids(items(user, &["roles"]), &["name", "id", "roleId"]),
        created_on: text(user, &["createdOn", "createdAt", "created_at"]),
        last_access_on: text(user, &["lastAccessOn", "lastAccess", "lastLogin"]),
        id,
        email,
        first_name,
        last_name,
    })
}

pub fn parse_users_page(value: &Value) -> Result<Page<User>, ApiError> {
    let users = items(value, &["users", "data", "content"])
        .iter()
        .map(parse_user)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        items: users,
        total: meta_total(value),
    })
}

pub fn parse_count(value: &Value) -> Result<u64, ApiError> {
    value
        .as_u64()
        .or_else(|| count(value, &["count", "total"]))
        .ok_or_else(|| missing("count"))
}

pub fn parse_keys_page(value: &Value) -> Result<Page<ApiKey>, ApiError> {
    let keys = items(value, &["data", "apiKeys", "keys"])
        .iter()
        .map(|key| {
            let id = match key {
                Value::String(id) => id.clone(),
                _ => text(key, &["accessKey", "id", "key"]).ok_or_else(|| missing("accessKey"))?,
            };
            Ok(ApiKey {
                id,
                key_type: text(key, &["type", "keyType"])
                    .map(|t| KeyType::parse(&t))
                    .unwrap_or(KeyType::Master),
                description: text(key, &["description", "name"]),
                created_at: text(key, &["createdAt", "createdOn", "created_at"]),
                valid_till: text(key, &["validTill", "expiresAt", "expiry"]),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Page {
        items: keys,
        total: meta_total(value),
    })
}

pub fn parse_groups(value: &Value) -> Result<Vec<Group>, ApiError> {
    Ok(items(value, &["groups", "data"])
        .iter()
        .filter_map(|group| match group {
            Value::String(id) => Some(Group {
                id: id.clone(),
                name: id.clone(),
                description: None,
                role: None,
            }),
            _ => {
                let id = text(group, &["groupId", "id", "name"])?;
                Some(Group {
                    name: text(group, &["name", "groupName"]).unwrap_or_else(|| id.clone()),
                    description: text(group, &["description"]),
                    role: text(group, &["role", "roleName"]),
                    id,
                })
            }
        })
        .collect())
}

pub fn parse_roles(value: &Value) -> Result<Vec<Role>, ApiError> {
    Ok(items(value, &["roles", "data"])
        .iter()
        .filter_map(|role| match role {
            Value::String(name) => Some(Role {
                id: name.clone(),
                name: name.clone(),
                description: None,
                source: None,
            }),
            _ => {
                let id = text(role, &["id", "roleId", "name"])?;
                Some(Role {
                    name: text(role, &["name", "roleName"]).unwrap_or_else(|| id.clone()),
                    description: text(role, &["description"]),
                    source: text(role, &["source", "group", "groupId"]),
                    id,
                })
            }
        })
        .collect())
}

pub fn parse_permissions(value: &Value) -> Result<Vec<Permission>, ApiError> {
    Ok(items(value, &["permissions", "data"])
        .iter()
        .filter_map(|permission| match permission {
            Value::String(name) => Some(Permission {
                name: name.clone(),
                role: None,
            }),
            _ => Some(Permission {
                name: text(permission, &["permission", "name", "action"])?,
                role: text(permission, &["role", "roleId", "source"]),
            }),
        })
        .collect())
}

pub fn parse_pipelines(value: &Value) -> Result<Vec<Pipeline>, ApiError> {
    Ok(items(value, &["pipelines", "data", "content"])
        .iter()
        .filter_map(|pipeline| {
            let uid = text(pipeline, &["uid", "id"])?;
            let owner = pipeline.get("meta").and_then(|meta| text(meta, &["owner"]));
            Some(Pipeline {
                name: text(pipeline, &["name"]).unwrap_or_else(|| uid.clone()),
                description: text(pipeline, &["description"]),
                owner: owner.or_else(|| text(pipeline, &["owner"])),
                uid,
            })
        })
        .collect())
}

fn meta_total(value: &Value) -> Option<u64> {
    value
        .get("meta")
        .and_then(|meta| count(meta, &["total", "totalCount", "totalElements"]))
        .or_else(|| count(value, &["total", "totalElements"]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UserStatus;

    #[test]
    fn runbook_calls_are_built_as_the_runbook_writes_them() {
        let mut attrs = BTreeMap::new();
        attrs.insert("status".to_string(), vec!["OFFBOARDED".to_string()]);
        let disable = disable_user("user-123", Some(&attrs));
        assert_eq!(disable.line(), "PUT /admin/api/users/user-123");
        assert_eq!(
            disable.body,
            Body::Json(json!({"enabled": false, "attributes": {"status": ["OFFBOARDED"]}}))
        );
        assert_eq!(
            delete_key("AK-abc123").line(),
            "DELETE /admin/api/users/api-keys/AK-abc123"
        );
        let groups = remove_groups("user-123", &["group-data-eng".to_string()]);
        assert_eq!(
            groups.body,
            Body::Json(json!({"groupIds": ["group-data-eng"]}))
        );
        assert_eq!(
            permissions("user-123").line(),
            "GET /authz/api/v1/users/permissions?userId=user-123"
        );
        assert_eq!(
            list_keys("user-123", 1, 100).line(),
            "GET /admin/api/users/user-123/api-keys?page=1&size=100"
        );
        assert_eq!(
            list_users(0, 50, Some(" first.last ")).line(),
            "GET /admin/api/users/list?first=0&max=50&searchString=first.last"
        );
    }

    #[test]
    fn users_parse_from_the_documented_and_looser_shapes() {
        let documented = json!({"users": [{
            "userId": "user-123", "email": "first.last@company.com", "firstName": "First", "lastName": "Last",
            "enabled": false, "scimManaged": false, "accountRole": "restricted",
            "attributes": {"status": ["OFFBOARDED"]}, "groups": ["g1", {"groupId": "g2"}], "roles": ["r1"]
        }], "meta": {"page": 0, "size": 50, "total": 1}});
        let page = parse_users_page(&documented).unwrap();
        assert_eq!(page.total, Some(1));
        let user = &page.items[0];
        assert_eq!(user.name, "First Last");
        assert_eq!(user.groups, vec!["g1", "g2"]);
        assert_eq!(user.status(), UserStatus::Offboarded);
        assert_eq!(user.account_role, Some(AccountRole::Restricted));

        let loose = json!([{"id": 7, "email": "x@y.z", "enabled": "true"}]);
        let page = parse_users_page(&loose).unwrap();
        assert_eq!(page.items[0].id, "7");
        assert_eq!(page.items[0].name, "x@y.z");
        assert_eq!(page.total, None);
        assert!(parse_user(&json!({"email": "no-id@x"})).is_err());
    }

    #[test]
    fn keys_groups_roles_permissions_and_pipelines_parse() {
        let keys = parse_keys_page(&json!({"data": [
            {"accessKey": "AK-abc123", "type": "MASTER", "createdAt": "2024-01-01T00:00:00Z"},
            {"accessKey": "AK-def456", "type": "WRITE_ONLY"}], "meta": {"total": 2}}))
        .unwrap();
        assert_eq!(keys.items[1].key_type, KeyType::WriteOnly);
        assert_eq!(keys.total, Some(2));

        let groups = parse_groups(&json!({"groups": [{"groupId": "g", "name": "Data eng", "role": "data-engineer"}, "h"]})).unwrap();
        assert_eq!(
            (groups[0].name.as_str(), groups[1].id.as_str()),
            ("Data eng", "h")
        );

        let roles =
            parse_roles(&json!({"roles": [{"id": "r", "name": "Reader", "source": "g"}]})).unwrap();
        assert_eq!(roles[0].source.as_deref(), Some("g"));

        let permissions = parse_permissions(
            &json!({"permissions": ["a.read", {"permission": "b.write", "role": "r"}]}),
        )
        .unwrap();
        assert_eq!(permissions.len(), 2);
        assert!(
            parse_permissions(&json!({"userId": "u", "permissions": []}))
                .unwrap()
                .is_empty()
        );

        let pipelines = parse_pipelines(
            &json!({"pipelines": [{"uid": "pl-1", "name": "Daily", "meta": {"owner": "a@b"}}]}),
        )
        .unwrap();
        assert_eq!(pipelines[0].owner.as_deref(), Some("a@b"));
        assert_eq!(parse_count(&json!({"count": 3})).unwrap(), 3);
        assert_eq!(parse_count(&json!(4)).unwrap(), 4);
    }
}
