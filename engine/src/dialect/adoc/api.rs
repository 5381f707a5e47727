//! [`Adoc`]'s answers to [`DialectApi`]: ids in paths, paged lists, and every part of access.

use super::{Adoc, calls};
use crate::credentials::CredentialField;
use crate::dialect::{Capability, Dialect, DialectApi, KeyDisposal, find_in};
use crate::error::ApiError;
use crate::http::Request;
use crate::model::{ApiKey, Group, Page, Permission, Pipeline, Role, User};
use crate::run::plan::{CheckKind, Departure, Inventory, Step, Target};
use serde_json::Value;

impl DialectApi for Adoc {
    fn dialect(&self) -> Dialect {
        Dialect::Adoc
    }

    fn name(&self) -> &'static str {
        "adoc"
    }

    fn label(&self) -> &'static str {
        "Acceldata ADOC"
    }

    fn offers(&self, _capability: Capability) -> bool {
        true
    }

    fn credential_fields(&self) -> &'static [CredentialField] {
        &[
            CredentialField {
                id: "access-key",
                label: "Access key",
                secret: false,
                hint: None,
            },
            CredentialField {
                id: "secret-key",
                label: "Secret key",
                secret: true,
                hint: None,
            },
        ]
    }

    /// The runbook's `accessKey` and `secretKey` headers.
    fn auth_headers(&self, values: &[String]) -> Vec<(&'static str, String)> {
        let value = |index: usize| values.get(index).cloned().unwrap_or_default();
        vec![("accessKey", value(0)), ("secretKey", value(1))]
    }

    fn missing_credentials(&self) -> &'static str {
        "Enter both the access key and the secret key."
    }

    /// "Complete within 1 hour of departure notification."
    fn completion_target_minutes(&self) -> Option<u32> {
        Some(60)
    }

    fn reference<'a>(&self, user: &'a User) -> &'a str {
        &user.id
    }

    /// ADOC has no documented "who am I"; the reference server's `users/current` extension
    /// answers it, and [`DialectApi::admin_probe`] covers a platform without it.
    fn who_am_i(&self) -> Request {
        calls::current_user()
    }

    fn parse_who_am_i(&self, value: &Value) -> Result<User, ApiError> {
        calls::parse_user(value)
    }

    fn admin_probe(&self) -> Option<Request> {
        Some(calls::count_users())
    }

    fn users_page_size(&self) -> Option<u64> {
        Some(calls::USERS_PAGE)
    }

    fn list_users(&self, first: u64, search: Option<&str>) -> Request {
        calls::list_users(first, calls::USERS_PAGE, search)
    }

    fn parse_users_page(&self, value: &Value) -> Result<Page<User>, ApiError> {
        calls::parse_users_page(value)
    }

    /// An email goes through the server's search (ids are not emails); anything else is an id.
    fn find_user(&self, needle: &str) -> Request {
        let needle = needle.trim();
        if needle.contains('@') {
            calls::list_users(0, calls::USERS_PAGE, Some(needle))
        } else {
            calls::get_user(needle)
        }
    }

    fn pick_user(&self, needle: &str, value: &Value) -> Result<User, ApiError> {
        if needle.contains('@') {
            find_in(needle, calls::parse_users_page(value)?.items)
        } else {
            calls::parse_user(value)
        }
    }

    fn keys_page_size(&self) -> Option<u64> {
        Some(calls::KEYS_PAGE)
    }

    fn list_keys(&self, reference: &str, page: u64) -> Request {
        calls::list_keys(reference, page, calls::KEYS_PAGE)
    }

    fn parse_keys_page(&self, value: &Value) -> Result<Page<ApiKey>, ApiError> {
        calls::parse_keys_page(value)
    }

    /// ADOC names a key by its access key alone.
    fn revoke_key(&self, _reference: &str, key: &str) -> Request {
        calls::delete_key(key)
    }

    /// A disabled user's keys are still listed; only a deleted one's answer 404 (which a
    /// deletion run expects, see `run::verify`).
    fn missing_user_has_no_keys(&self) -> bool {
        false
    }

    fn list_groups(&self, target: &Target) -> Option<Request> {
        Some(calls::list_groups(&target.id))
    }

    fn parse_groups(&self, value: &Value) -> Result<Vec<Group>, ApiError> {
        calls::parse_groups(value)
    }

    fn remove_groups(&self, target: &Target, groups: &[String]) -> Option<Request> {
        Some(calls::remove_groups(&target.id, groups))
    }

    fn assign_groups(&self, target: &Target, groups: &[String]) -> Option<Request> {
        Some(calls::assign_groups(&target.id, groups))
    }

    fn list_roles(&self, target: &Target) -> Option<Request> {
        Some(calls::roles(&target.id))
    }

    fn parse_roles(&self, value: &Value) -> Result<Vec<Role>, ApiError> {
        calls::parse_roles(value)
    }

    fn list_permissions(&self, target: &Target) -> Option<Request> {
        Some(calls::permissions(&target.id))
    }

    fn parse_permissions(&self, value: &Value) -> Result<Vec<Permission>, ApiError> {
        calls::parse_permissions(value)
    }

    fn owned_pipelines(&self, target: &Target) -> Option<Request> {
        Some(calls::pipelines_owned_by(&target.email))
    }

    fn parse_pipelines(&self, value: &Value) -> Result<Vec<Pipeline>, ApiError> {
        calls::parse_pipelines(value)
    }

    fn transfer_pipeline(&self, uid: &str, to: &str) -> Option<Request> {
        Some(calls::transfer_pipeline(uid, to))
    }

    fn delete_user(&self, target: &Target) -> Option<Request> {
        Some(calls::delete_user(&target.id))
    }

    fn access_facts(&self) -> Vec<CheckKind> {
        vec![
            CheckKind::Disabled,
            CheckKind::NoKeys,
            CheckKind::NoGroups,
            CheckKind::NoPermissions,
        ]
    }

    /// A deleted account has no state left to read but its absence and its keys'.
    fn deletion_facts(&self) -> Vec<CheckKind> {
        vec![CheckKind::UserDeleted, CheckKind::NoKeys]
    }

    /// Disabled with no API key left: the runbook's end state.
    fn looks_offboarded(&self, inventory: &Inventory) -> bool {
        inventory.user.enabled == Some(false) && inventory.keys.is_empty()
    }

    fn check_reassigned_keys(&self, to: &str) -> String {
        format!("Check the keys belong to {to}")
    }

    fn wizard_steps(
        &self,
        target: &Target,
        inventory: &Inventory,
        departure: &Departure,
        _keys: KeyDisposal,
    ) -> Vec<Step> {
        super::plans::wizard(target, inventory, departure)
    }

    fn emergency_steps(&self, target: &Target, inventory: &Inventory, date: &str) -> Vec<Step> {
        super::plans::emergency(target, inventory, date)
    }

    fn deletion_steps(
        &self,
        _target: &Target,
        inventory: &Inventory,
        _keys: KeyDisposal,
    ) -> Vec<Step> {
        super::plans::deletion(inventory)
    }

    fn reactivation_steps(
        &self,
        target: &Target,
        inventory: &Inventory,
        date: &str,
        by: &str,
        groups: &[String],
    ) -> Option<Vec<Step>> {
        Some(super::plans::reactivation(
            target, inventory, date, by, groups,
        ))
    }
}
