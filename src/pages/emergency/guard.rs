//! Who may not be locked out from here, said before anything is sent. The server enforces the
//! same rule (`offboard_engine::policy`); showing it first saves an on-call person a failed run.

use crate::session::Connection;
use offboard_engine::model::User;
use offboard_engine::policy::{self, Account};

#[derive(Debug, Clone, PartialEq)]
pub enum Guard {
    Allowed,
    /// The policy refuses, in plain words.
    Refused(String),
    /// The identity provider owns the account and its groups; keys can still be revoked.
    ScimManaged {
        identity_provider: String,
    },
}

pub fn guard(connection: &Connection, target: &User) -> Guard {
    let actor = connection.identity.user.as_ref().map(Account::from);
    if let Some(refusal) = policy::refusal(actor, Account::from(target)) {
        return Guard::Refused(refusal.to_string());
    }
    match policy::identity_provider_of(target.scim_managed, target.identity_provider.as_deref()) {
        Some(identity_provider) => Guard::ScimManaged { identity_provider },
        None => Guard::Allowed,
    }
}
