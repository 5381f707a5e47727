//! Who may not be locked out from here, said before anything is sent. The server enforces the
//! same rule (`offboard_engine::policy`); showing it first saves an on-call person a failed run.

use crate::session::Connection;
use offboard_engine::model::User;
use offboard_engine::policy::{Party, Refusal, may_take_access};

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
    if let Some(actor) = &connection.identity.user {
        if actor.id == target.id || actor.email.eq_ignore_ascii_case(&target.email) {
            return Guard::Refused(Refusal::OwnAccount.to_string());
        }
        if let (Some(actor_role), Some(target_role)) = (actor.account_role, target.account_role) {
            let actor = Party {
                id: &actor.id,
                role: actor_role,
            };
            if let Err(refusal) = may_take_access(
                actor,
                Party {
                    id: &target.id,
                    role: target_role,
                },
            ) {
                return Guard::Refused(refusal.to_string());
            }
        }
    }
    if target.scim_managed {
        let identity_provider = target
            .identity_provider
            .clone()
            .unwrap_or_else(|| "the identity provider".into());
        return Guard::ScimManaged { identity_provider };
    }
    Guard::Allowed
}
