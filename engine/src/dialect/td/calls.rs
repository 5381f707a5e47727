//! Treasure Data: the v3 user API of the "Deleting Users" runbook and parsers for its answers.
//!
//! TD has no disabled state and no groups: offboarding a TD user means removing them, with their
//! API keys deleted (the runbook's recommendation) or reassigned (the console's default, which
//! hands the keys the new owner's permissions).

use crate::dialect::missing;
use crate::error::ApiError;
use crate::http::{Body, Method, Request, encode_component as enc};
use crate::lenient::{flag, items, text};
use crate::model::{ApiKey, KeyType, User, display_name};
use crate::policy::AccountRole;
use serde::Serialize;
use serde_json::Value;

/// What happens to a removed user's API keys: the TD console's delete-user modal options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "to", rename_all = "kebab-case")]
pub enum KeyDisposal {
    /// "Delete API Keys": every script using them fails at once (streaming ingest within a minute).
    Delete,
    /// "Reassign API Keys" to this user (the account owner when `None`): the keys gain that
    /// user's permissions.
    Reassign(Option<String>),
}

crate::deserialize_from_json!(KeyDisposal);

impl crate::json::FromJson for KeyDisposal {
    fn from_json(value: &Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        match fields.req::<String>("kind")?.as_str() {
            "delete" => Ok(KeyDisposal::Delete),
            "reassign" => Ok(KeyDisposal::Reassign(fields.opt("to")?)),
            _ => Err("unknown key disposal"),
        }
    }
}

pub fn show_caller() -> Request {
    Request::get("/v3/user/show")
}

pub fn list_users() -> Request {
    Request::get("/v3/user/list")
}

pub fn list_keys(email: &str) -> Request {
    Request::get(format!("/v3/user/apikey/list/{}", enc(email)))
}

pub fn remove_key(email: &str, key_id: &str) -> Request {
    Request::new(
        Method::Post,
        format!("/v3/user/apikey/remove/{}", enc(email)),
        Body::Form(vec![("apikey".into(), key_id.into())]),
    )
}

/// `POST /v3/user/remove/<email>`, as the runbook writes it when keys are deleted; the
/// reference server's `api_keys=reassign` extension otherwise.
pub fn remove_user(email: &str, keys: &KeyDisposal) -> Request {
    let path = format!("/v3/user/remove/{}", enc(email));
    let fields = match keys {
        KeyDisposal::Delete => vec![],
        KeyDisposal::Reassign(to) => {
            let mut fields = vec![("api_keys".to_string(), "reassign".to_string())];
            if let Some(to) = to {
                fields.push(("reassign_to".to_string(), to.clone()));
            }
            fields
        }
    };
    let body = if fields.is_empty() {
        Body::None
    } else {
        Body::Form(fields)
    };
    Request::new(Method::Post, path, body)
}

pub fn parse_user(value: &Value) -> Result<User, ApiError> {
    let user = value.get("user").filter(|u| u.is_object()).unwrap_or(value);
    let email = text(user, &["email"]).ok_or_else(|| missing("user email"))?;
    let first_name = text(user, &["first_name", "firstName"]).unwrap_or_default();
    let last_name = text(user, &["last_name", "lastName"]).unwrap_or_default();
    let account_role = if flag(user, &["account_owner", "owner"]) == Some(true) {
        AccountRole::Owner
    } else if flag(user, &["administrator", "admin"]) == Some(true) {
        AccountRole::Admin
    } else {
        AccountRole::Restricted
    };
    Ok(User {
        id: text(user, &["id", "user_id"]).unwrap_or_else(|| email.clone()),
        name: display_name(
            &first_name,
            &last_name,
            text(user, &["name"]).as_deref(),
            &email,
        ),
        account_role: Some(account_role),
        created_on: text(user, &["created_at"]),
        last_access_on: text(user, &["last_login_at", "last_access_at"]),
        // The reference server's extension (TD's own API does not say): a user whose account
        // an identity provider owns. Without it, a refused removal tells the runner instead.
        scim_managed: flag(user, &["scim_managed", "scimManaged"]).unwrap_or(false),
        identity_provider: text(user, &["identity_provider", "identityProvider"]),
        email,
        first_name,
        last_name,
        ..User::default()
    })
}

pub fn parse_users(value: &Value) -> Result<Vec<User>, ApiError> {
    items(value, &["users"]).iter().map(parse_user).collect()
}

pub fn parse_keys(value: &Value) -> Result<Vec<ApiKey>, ApiError> {
    items(value, &["apikeys", "api_keys", "keys"])
        .iter()
        .map(|key| {
            let (id, key_type, created_at) = match key {
                // Real TD lists the keys themselves; the id is then the key.
                Value::String(id) => (id.clone(), KeyType::Master, None),
                _ => (
                    text(key, &["id", "key_id", "apikey"]).ok_or_else(|| missing("API key id"))?,
                    text(key, &["type"])
                        .map(|t| KeyType::parse(&t))
                        .unwrap_or(KeyType::Master),
                    text(key, &["created_at"]),
                ),
            };
            Ok(ApiKey {
                id,
                key_type,
                description: None,
                created_at,
                valid_till: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn remove_is_the_runbook_call_and_reassign_uses_the_extension() {
        let delete = remove_user("first.last@company.com", &KeyDisposal::Delete);
        assert_eq!(delete.line(), "POST /v3/user/remove/first.last@company.com");
        assert_eq!(delete.body, Body::None);
        let reassign = remove_user("a@b.c", &KeyDisposal::Reassign(Some("o@b.c".into())));
        assert_eq!(reassign.body_text(), "api_keys=reassign&reassign_to=o@b.c");
    }

    #[test]
    fn users_carry_their_role_from_the_flags() {
        let users = parse_users(&json!({"users": [
            {"id": 1, "email": "owner@company.com", "name": "Olivia Owner", "account_owner": true, "administrator": true},
            {"id": 2, "email": "admin@company.com", "first_name": "Adam", "last_name": "Admin", "administrator": true},
            {"id": 3, "email": "first.last@company.com"}]})).unwrap();
        let roles: Vec<_> = users.iter().map(|u| u.account_role.unwrap()).collect();
        assert_eq!(
            roles,
            vec![
                AccountRole::Owner,
                AccountRole::Admin,
                AccountRole::Restricted
            ]
        );
        assert_eq!(users[0].name, "Olivia Owner");
        assert_eq!(users[1].name, "Adam Admin");
        assert_eq!(users[2].enabled, None);
    }

    #[test]
    fn keys_parse_as_objects_or_bare_strings() {
        let keys = parse_keys(
            &json!({"apikeys": [{"id": "AK-abc123", "type": "write_only"}, "1/abcdef"]}),
        )
        .unwrap();
        assert_eq!(keys[0].key_type, KeyType::WriteOnly);
        assert_eq!(keys[1].id, "1/abcdef");
    }
}
