//! The platform's things as Offboard sees them, the same for both dialects: users, API keys,
//! groups, roles, permissions and pipelines. Dialect modules parse into these.

use crate::policy::AccountRole;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::dialect::Dialect;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// ADOC `userId`; TD's numeric `id` written out.
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// The name to show: "First Last", else the platform's `name`, else the email.
    pub name: String,
    pub account_role: Option<AccountRole>,
    /// `None` where the dialect has no such state (TD: a user exists or not). Left out of the
    /// JSON then, rather than written as `null`: snapshots and reports must not suggest a state
    /// the platform does not have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    pub scim_managed: bool,
    pub identity_provider: Option<String>,
    pub attributes: BTreeMap<String, Vec<String>>,
    pub groups: Vec<String>,
    pub roles: Vec<String>,
    pub created_on: Option<String>,
    pub last_access_on: Option<String>,
}

// Reading users back (the session, a run's snapshot): see `crate::json`.

crate::deserialize_from_json!(User);

impl crate::json::FromJson for AccountRole {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        crate::json::variant(
            value,
            &[
                AccountRole::Owner,
                AccountRole::Admin,
                AccountRole::Restricted,
            ],
            AccountRole::as_str,
        )
    }
}

impl crate::json::FromJson for User {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(User {
            id: fields.req("id")?,
            email: fields.req("email")?,
            first_name: fields.req("firstName")?,
            last_name: fields.req("lastName")?,
            name: fields.req("name")?,
            account_role: fields.opt("accountRole")?,
            enabled: fields.opt("enabled")?,
            scim_managed: fields.req("scimManaged")?,
            identity_provider: fields.opt("identityProvider")?,
            attributes: fields.req("attributes")?,
            groups: fields.req("groups")?,
            roles: fields.req("roles")?,
            created_on: fields.opt("createdOn")?,
            last_access_on: fields.opt("lastAccessOn")?,
        })
    }
}

impl crate::json::FromJson for KeyType {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        match value {
            serde_json::Value::String(word) if word == "master" => Ok(KeyType::Master),
            serde_json::Value::String(word) if word == "write-only" => Ok(KeyType::WriteOnly),
            other => Ok(KeyType::Other(
                crate::json::Fields::of(other)?.req("other")?,
            )),
        }
    }
}

impl crate::json::FromJson for ApiKey {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(ApiKey {
            id: fields.req("id")?,
            key_type: fields.req("keyType")?,
            description: fields.opt("description")?,
            created_at: fields.opt("createdAt")?,
            valid_till: fields.opt("validTill")?,
        })
    }
}

impl crate::json::FromJson for Group {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(Group {
            id: fields.req("id")?,
            name: fields.req("name")?,
            description: fields.opt("description")?,
            role: fields.opt("role")?,
        })
    }
}

impl crate::json::FromJson for Role {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(Role {
            id: fields.req("id")?,
            name: fields.req("name")?,
            description: fields.opt("description")?,
            source: fields.opt("source")?,
        })
    }
}

impl crate::json::FromJson for Permission {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(Permission {
            name: fields.req("name")?,
            role: fields.opt("role")?,
        })
    }
}

impl crate::json::FromJson for Pipeline {
    fn from_json(value: &serde_json::Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(Pipeline {
            uid: fields.req("uid")?,
            name: fields.req("name")?,
            description: fields.opt("description")?,
            owner: fields.opt("owner")?,
        })
    }
}

/// The one-word state shown in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserStatus {
    Enabled,
    Disabled,
    Offboarded,
    ScimManaged,
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Enabled => "enabled",
            UserStatus::Disabled => "disabled",
            UserStatus::Offboarded => "offboarded",
            UserStatus::ScimManaged => "SCIM-managed",
        }
    }
}

/// The attribute the runbook's step 2 sets on an offboarded user.
pub const OFFBOARDED: &str = "OFFBOARDED";

impl User {
    pub fn is_offboarded(&self) -> bool {
        self.attributes
            .get("status")
            .is_some_and(|values| values.iter().any(|v| v == OFFBOARDED))
    }

    /// Offboarded beats disabled beats SCIM-managed: the most important fact first.
    pub fn status(&self) -> UserStatus {
        match (self.enabled, self.is_offboarded(), self.scim_managed) {
            (Some(false), true, _) => UserStatus::Offboarded,
            (Some(false), false, _) => UserStatus::Disabled,
            (_, _, true) => UserStatus::ScimManaged,
            _ => UserStatus::Enabled,
        }
    }

    /// The state worth showing, or `None` when the platform has no state for this user (a
    /// Treasure Data user simply exists: no enabled flag, no offboarding record, no SCIM), so no
    /// screen or file calls them "enabled". [`User::status`] reads that case as enabled.
    pub fn known_status(&self) -> Option<UserStatus> {
        let stateless = self.enabled.is_none() && !self.is_offboarded() && !self.scim_managed;
        (!stateless).then(|| self.status())
    }

    /// The identifier the dialect's endpoints take in their paths: ADOC the user id, TD the email.
    pub fn reference(&self, dialect: Dialect) -> &str {
        dialect.api().reference(self)
    }

    /// Whether `needle` (already lower-case) occurs in the id, email or name.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || [&self.id, &self.email, &self.name]
                .iter()
                .any(|field| field.to_lowercase().contains(needle))
    }
}

/// Composes the display name from the parts a platform gave.
pub fn display_name(first: &str, last: &str, name: Option<&str>, email: &str) -> String {
    let joined = format!("{first} {last}");
    let joined = joined.trim();
    if !joined.is_empty() {
        joined.to_string()
    } else if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
        name.trim().to_string()
    } else {
        email.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyType {
    Master,
    WriteOnly,
    Other(String),
}

impl KeyType {
    pub fn parse(word: &str) -> Self {
        match word.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "master" => KeyType::Master,
            "write_only" | "writeonly" | "write" => KeyType::WriteOnly,
            other => KeyType::Other(other.to_string()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            KeyType::Master => "Master",
            KeyType::WriteOnly => "Write-only",
            KeyType::Other(word) => word,
        }
    }
}

/// An API key as listed: its public id, never its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: String,
    pub key_type: KeyType,
    pub description: Option<String>,
    pub created_at: Option<String>,
    pub valid_till: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The data role the group grants, where the platform says.
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Where the role comes from: the granting group's id.
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    pub name: String,
    /// The role that grants it, where the platform says.
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    pub uid: String,
    pub name: String,
    pub description: Option<String>,
    /// The owner's email, as in the runbook's `"owner": "replacement@company.com"`.
    pub owner: Option<String>,
}

/// One page of a paged list, with the total where the platform tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(enabled: Option<bool>, status: Option<&str>, scim: bool) -> User {
        let mut attributes = BTreeMap::new();
        if let Some(status) = status {
            attributes.insert("status".to_string(), vec![status.to_string()]);
        }
        User {
            enabled,
            attributes,
            scim_managed: scim,
            ..User::default()
        }
    }

    #[test]
    fn status_puts_the_most_important_fact_first() {
        assert_eq!(user(Some(true), None, false).status(), UserStatus::Enabled);
        assert_eq!(user(None, None, false).status(), UserStatus::Enabled);
        assert_eq!(user(None, None, false).known_status(), None, "TD: no state");
        assert_eq!(
            user(Some(true), None, false).known_status(),
            Some(UserStatus::Enabled)
        );
        assert_eq!(
            user(None, None, true).known_status(),
            Some(UserStatus::ScimManaged)
        );
        assert_eq!(
            user(Some(false), None, false).status(),
            UserStatus::Disabled
        );
        assert_eq!(
            user(Some(false), Some(OFFBOARDED), true).status(),
            UserStatus::Offboarded
        );
        assert_eq!(
            user(Some(true), None, true).status(),
            UserStatus::ScimManaged
        );
    }

    #[test]
    fn display_names_fall_back_sensibly() {
        assert_eq!(display_name("First", "Last", None, "e"), "First Last");
        assert_eq!(display_name("", "", Some("TD Name"), "e"), "TD Name");
        assert_eq!(display_name(" ", "", None, "a@b.c"), "a@b.c");
    }

    #[test]
    fn key_types_parse_from_either_dialect() {
        assert_eq!(KeyType::parse("WRITE_ONLY"), KeyType::WriteOnly);
        assert_eq!(KeyType::parse("write-only"), KeyType::WriteOnly);
        assert_eq!(KeyType::parse("master"), KeyType::Master);
        assert_eq!(KeyType::parse("import").label(), "import");
    }
}
