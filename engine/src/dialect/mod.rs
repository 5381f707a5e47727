//! The admin-API dialects Offboard speaks, behind one trait.
//!
//! [`DialectApi`] is everything that differs between platforms: which requests read and change
//! what, how answers parse, how lists page, which parts of access exist at all, and which steps
//! each kind of run takes. The rest of the engine (platform reads, the runner, verification,
//! verdicts) and every screen go through it, so no code outside this module decides anything by
//! asking *which* dialect it is. A third dialect is one module implementing the trait, plus its
//! tests, and a variant in [`Dialect`].
//!
//! The trait is sans-I/O: it builds [`Request`]s and parses [`Value`]s, and the callers send
//! them. That keeps it object-safe (one `&'static dyn DialectApi` per dialect) and lets every
//! implementation be tested without a network.

pub mod adoc;
pub mod td;

use crate::credentials::CredentialField;
use crate::error::ApiError;
use crate::http::Request;
use crate::model::{ApiKey, Group, Page, Permission, Pipeline, Role, User};
use crate::run::plan::{CheckKind, Departure, Inventory, Step, Target};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use td::KeyDisposal;

/// Which admin API a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Acceldata Data Observability Cloud.
    Adoc,
    /// Treasure Data.
    Td,
}

impl Dialect {
    /// Every dialect, in the order a picker offers them.
    pub const ALL: [Dialect; 2] = [Dialect::Adoc, Dialect::Td];

    /// The dialect's implementation: the one place that maps a dialect to its behaviour.
    pub fn api(self) -> &'static dyn DialectApi {
        match self {
            Dialect::Adoc => &adoc::Adoc,
            Dialect::Td => &td::Td,
        }
    }

    /// The short name in URLs, journals and reports (`adoc`, `td`).
    pub fn as_str(self) -> &'static str {
        self.api().name()
    }

    /// The product name people know ("Acceldata ADOC").
    pub fn label(self) -> &'static str {
        self.api().label()
    }

    pub fn offers(self, capability: Capability) -> bool {
        self.api().offers(capability)
    }
}

impl crate::json::FromJson for Dialect {
    fn from_json(value: &Value) -> crate::json::Read<Self> {
        crate::json::variant(value, &Dialect::ALL, Dialect::as_str)
    }
}

/// The parts of a person's access a dialect may or may not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    Groups,
    Roles,
    Permissions,
    Pipelines,
    /// An enabled/disabled state (TD users simply exist or not).
    Disable,
}

impl Capability {
    /// What the capability is called in a sentence ("Treasure Data has no groups").
    pub fn noun(self) -> &'static str {
        match self {
            Capability::Groups => "groups",
            Capability::Roles => "roles",
            Capability::Permissions => "permissions",
            Capability::Pipelines => "pipelines",
            Capability::Disable => "disabled state",
        }
    }
}

/// What a dialect is: its requests, parsers, page sizes, parts of access and plans.
///
/// Methods for a part of access a dialect lacks ([`DialectApi::offers`] is false) keep their
/// default: no request (`None`) and a parse error, so a caller that did not ask `offers` first
/// gets a plain error rather than a wrong call.
pub trait DialectApi: Sync {
    fn dialect(&self) -> Dialect;
    /// The short name (`adoc`).
    fn name(&self) -> &'static str;
    /// The product name ("Acceldata ADOC").
    fn label(&self) -> &'static str;
    fn offers(&self, capability: Capability) -> bool;

    // --- credentials --------------------------------------------------------------------------

    /// What the connect form asks for, in order.
    fn credential_fields(&self) -> &'static [CredentialField];
    /// The headers every call carries, from values in the order of the fields.
    fn auth_headers(&self, values: &[String]) -> Vec<(&'static str, String)>;
    /// What to say when a field is left empty.
    fn missing_credentials(&self) -> &'static str;
    /// A secret as it may be shown (by default, nothing of it).
    fn mask_secret(&self, _secret: &str) -> String {
        crate::credentials::mask()
    }

    // --- how long offboarding may take ------------------------------------------------------

    /// The runbook's target for access to be gone after the departure is notified, if it sets
    /// one.
    fn completion_target_minutes(&self) -> Option<u32> {
        None
    }
    /// How long after removal a verification is worth repeating, where access can linger
    /// (Treasure Data's streaming ingest keeps working for up to a minute).
    fn lingers_for_seconds(&self) -> Option<u32> {
        None
    }

    /// What the dialect's paths take to name a user (ADOC: the id; TD: the email).
    fn reference<'a>(&self, user: &'a User) -> &'a str;

    // --- who am I ---------------------------------------------------------------------------

    /// The caller's own account.
    fn who_am_i(&self) -> Request;
    fn parse_who_am_i(&self, value: &Value) -> Result<User, ApiError>;
    /// When [`DialectApi::who_am_i`] answers 404: an administrator-only call that proves the key
    /// is an administrator's, without a name.
    fn admin_probe(&self) -> Option<Request> {
        None
    }

    // --- users ------------------------------------------------------------------------------

    /// How many users one directory page holds; `None` when one answer lists everyone.
    fn users_page_size(&self) -> Option<u64>;
    /// One page of users from index `first`, filtered by `search` where the platform searches.
    fn list_users(&self, first: u64, search: Option<&str>) -> Request;
    fn parse_users_page(&self, value: &Value) -> Result<Page<User>, ApiError>;
    /// The read that finds one user by id or email, whichever the person typed.
    fn find_user(&self, needle: &str) -> Request;
    /// The user `needle` names in the answer to [`DialectApi::find_user`]; `NotFound` if absent.
    fn pick_user(&self, needle: &str, value: &Value) -> Result<User, ApiError>;

    // --- API keys ---------------------------------------------------------------------------

    /// How many keys one page holds; `None` when one answer lists them all.
    fn keys_page_size(&self) -> Option<u64>;
    /// Page `page` of the keys of the user `reference` names.
    fn list_keys(&self, reference: &str, page: u64) -> Request;
    fn parse_keys_page(&self, value: &Value) -> Result<Page<ApiKey>, ApiError>;
    fn revoke_key(&self, reference: &str, key: &str) -> Request;
    /// Whether the key list of a user who no longer exists answers 404 (so: no keys).
    fn missing_user_has_no_keys(&self) -> bool;

    // --- parts of access some dialects have ---------------------------------------------------

    fn list_groups(&self, _target: &Target) -> Option<Request> {
        None
    }
    fn parse_groups(&self, _value: &Value) -> Result<Vec<Group>, ApiError> {
        Err(not_offered(self.label(), Capability::Groups))
    }
    fn remove_groups(&self, _target: &Target, _groups: &[String]) -> Option<Request> {
        None
    }
    fn assign_groups(&self, _target: &Target, _groups: &[String]) -> Option<Request> {
        None
    }
    fn list_roles(&self, _target: &Target) -> Option<Request> {
        None
    }
    fn parse_roles(&self, _value: &Value) -> Result<Vec<Role>, ApiError> {
        Err(not_offered(self.label(), Capability::Roles))
    }
    fn list_permissions(&self, _target: &Target) -> Option<Request> {
        None
    }
    fn parse_permissions(&self, _value: &Value) -> Result<Vec<Permission>, ApiError> {
        Err(not_offered(self.label(), Capability::Permissions))
    }
    fn owned_pipelines(&self, _target: &Target) -> Option<Request> {
        None
    }
    fn parse_pipelines(&self, _value: &Value) -> Result<Vec<Pipeline>, ApiError> {
        Err(not_offered(self.label(), Capability::Pipelines))
    }
    fn transfer_pipeline(&self, _uid: &str, _to: &str) -> Option<Request> {
        None
    }
    /// Deleting the account itself, where that is a call of its own (ADOC).
    fn delete_user(&self, _target: &Target) -> Option<Request> {
        None
    }
    /// Whether a removed user's keys can be reassigned to someone else instead of deleted.
    fn reassigns_keys(&self) -> bool {
        false
    }
    /// Removing the user with their keys deleted or reassigned, where removal is the lockout
    /// (TD).
    fn remove_user(&self, _target: &Target, _keys: &KeyDisposal) -> Option<Request> {
        None
    }

    // --- what offboarding means here ----------------------------------------------------------

    /// The facts that together mean "no access left": what every offboarding must prove.
    fn access_facts(&self) -> Vec<CheckKind>;
    /// What a deletion must prove (by default the same facts of access).
    fn deletion_facts(&self) -> Vec<CheckKind> {
        self.access_facts()
    }
    /// Whether the person looks offboarded already (offered a verification, not a second run).
    fn looks_offboarded(&self, _inventory: &Inventory) -> bool {
        false
    }
    /// What the person does about reassigned keys, for the verdict's to-do.
    fn check_reassigned_keys(&self, to: &str) -> String;

    // --- plans ------------------------------------------------------------------------------

    /// The guided offboarding's steps.
    fn wizard_steps(
        &self,
        target: &Target,
        inventory: &Inventory,
        departure: &Departure,
        keys: KeyDisposal,
    ) -> Vec<Step>;
    /// The emergency lockout's steps (`date`: today, recorded on the account where it can be).
    fn emergency_steps(&self, target: &Target, inventory: &Inventory, date: &str) -> Vec<Step>;
    /// The delete-user modal's steps.
    fn deletion_steps(
        &self,
        target: &Target,
        inventory: &Inventory,
        keys: KeyDisposal,
    ) -> Vec<Step>;
    /// Bringing a returning person back; `None` where a dialect cannot (nothing was disabled).
    fn reactivation_steps(
        &self,
        _target: &Target,
        _inventory: &Inventory,
        _date: &str,
        _by: &str,
        _groups: &[String],
    ) -> Option<Vec<Step>> {
        None
    }
}

/// The error for asking a dialect for a part of access it does not have.
pub fn not_offered(label: &str, capability: Capability) -> ApiError {
    ApiError::Shape {
        detail: format!("{label} has no {}", capability.noun()),
    }
}

/// How a page size and a page's contents decide whether another page follows; `size: None`
/// means the dialect lists everything in one answer.
pub fn has_next_page(
    page_index: u64,
    size: Option<u64>,
    items_on_page: usize,
    total: Option<u64>,
) -> bool {
    let Some(page_size) = size else {
        return false;
    };
    match total {
        Some(total) => (page_index + 1) * page_size < total && items_on_page > 0,
        None => items_on_page as u64 >= page_size,
    }
}

/// Every page of a paged list, fetched in order by `fetch(page)` until a short or last page.
pub async fn every_page<T, F, Fut>(size: Option<u64>, mut fetch: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, ApiError>>,
{
    let mut items = Vec::new();
    let mut page = 0;
    loop {
        let parsed = fetch(page).await?;
        let more = has_next_page(page, size, parsed.items.len(), parsed.total);
        items.extend(parsed.items);
        if !more {
            return Ok(items);
        }
        page += 1;
    }
}

/// The error for an answer that is JSON but lacks what every version of the dialect sends.
pub(crate) fn missing(what: &str) -> ApiError {
    ApiError::Shape {
        detail: format!("the answer has no {what}"),
    }
}

/// The user named by `needle` (an email, any case, or an id) among `users`.
pub(crate) fn find_in(needle: &str, users: Vec<User>) -> Result<User, ApiError> {
    let needle = needle.trim();
    users
        .into_iter()
        .find(|user| user.email.eq_ignore_ascii_case(needle) || user.id == needle)
        .ok_or_else(|| ApiError::NotFound {
            message: format!("no user {needle}"),
        })
}

#[cfg(test)]
mod tests;
