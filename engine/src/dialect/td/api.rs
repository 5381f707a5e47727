//! [`Td`]'s answers to [`DialectApi`]: emails in paths, one list for everything, and only users
//! and API keys (no groups, roles, permissions, pipelines or disabled state).

use super::{KeyDisposal, Td, calls};
use crate::credentials::CredentialField;
use crate::dialect::{Capability, Dialect, DialectApi, find_in};
use crate::error::ApiError;
use crate::http::Request;
use crate::model::{ApiKey, Page, User};
use crate::run::plan::{CheckKind, Departure, Inventory, Step, Target};
use serde_json::Value;

impl DialectApi for Td {
    fn dialect(&self) -> Dialect {
        Dialect::Td
    }

    fn name(&self) -> &'static str {
        "td"
    }

    fn label(&self) -> &'static str {
        "Treasure Data"
    }

    fn offers(&self, _capability: Capability) -> bool {
        false
    }

    fn credential_fields(&self) -> &'static [CredentialField] {
        &[CredentialField {
            id: "api-key",
            label: "API key",
            secret: true,
            hint: Some("A master key of an administrator or the account owner, e.g. 1/abcdef…"),
        }]
    }

    /// `Authorization: TD1 <key>`.
    fn auth_headers(&self, values: &[String]) -> Vec<(&'static str, String)> {
        let key = values.first().cloned().unwrap_or_default();
        vec![("Authorization", format!("TD1 {key}"))]
    }

    fn missing_credentials(&self) -> &'static str {
        "Enter the API key."
    }

    /// Keeps the key's account prefix (`1/`) so people can tell keys apart, and hides the rest.
    fn mask_secret(&self, secret: &str) -> String {
        match secret.split_once('/') {
            Some((prefix, _)) if prefix.len() <= 6 => format!("{prefix}/••••••••"),
            _ => crate::credentials::mask(),
        }
    }

    /// Streaming ingest may keep working for up to one minute after a key is gone.
    fn lingers_for_seconds(&self) -> Option<u32> {
        Some(60)
    }

    fn reference<'a>(&self, user: &'a User) -> &'a str {
        &user.email
    }

    fn who_am_i(&self) -> Request {
        calls::show_caller()
    }

    fn parse_who_am_i(&self, value: &Value) -> Result<User, ApiError> {
        calls::parse_user(value)
    }

    fn users_page_size(&self) -> Option<u64> {
        None
    }

    /// TD lists every user at once and does not search; `first` beyond 0 is an empty page.
    fn list_users(&self, _first: u64, _search: Option<&str>) -> Request {
        calls::list_users()
    }

    fn parse_users_page(&self, value: &Value) -> Result<Page<User>, ApiError> {
        let users = calls::parse_users(value)?;
        let total = users.len() as u64;
        Ok(Page {
            items: users,
            total: Some(total),
        })
    }

    /// TD has no single-user endpoint: the list is searched.
    fn find_user(&self, _needle: &str) -> Request {
        calls::list_users()
    }

    fn pick_user(&self, needle: &str, value: &Value) -> Result<User, ApiError> {
        find_in(needle, calls::parse_users(value)?)
    }

    fn keys_page_size(&self) -> Option<u64> {
        None
    }

    fn list_keys(&self, reference: &str, _page: u64) -> Request {
        calls::list_keys(reference)
    }

    fn parse_keys_page(&self, value: &Value) -> Result<Page<ApiKey>, ApiError> {
        let keys = calls::parse_keys(value)?;
        let total = keys.len() as u64;
        Ok(Page {
            items: keys,
            total: Some(total),
        })
    }

    fn revoke_key(&self, reference: &str, key: &str) -> Request {
        calls::remove_key(reference, key)
    }

    /// A removed user's key list answers 404: no such user, so no keys.
    fn missing_user_has_no_keys(&self) -> bool {
        true
    }

    fn reassigns_keys(&self) -> bool {
        true
    }

    fn remove_user(&self, target: &Target, keys: &KeyDisposal) -> Option<Request> {
        Some(calls::remove_user(&target.email, keys))
    }

    fn access_facts(&self) -> Vec<CheckKind> {
        vec![CheckKind::UserRemoved, CheckKind::NoKeys]
    }

    fn check_reassigned_keys(&self, to: &str) -> String {
        format!("Check the keys are listed under {to}")
    }

    fn wizard_steps(
        &self,
        target: &Target,
        inventory: &Inventory,
        _departure: &Departure,
        keys: KeyDisposal,
    ) -> Vec<Step> {
        super::plans::wizard(target, inventory, keys)
    }

    fn emergency_steps(&self, target: &Target, inventory: &Inventory, _date: &str) -> Vec<Step> {
        super::plans::emergency(target, inventory)
    }

    fn deletion_steps(
        &self,
        _target: &Target,
        inventory: &Inventory,
        keys: KeyDisposal,
    ) -> Vec<Step> {
        super::plans::deletion(inventory, keys)
    }
}
