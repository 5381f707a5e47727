//! Who may delete or reactivate whom, in the words shown beside a blocked control: the shared
//! policy (the server enforces the same) plus the SCIM rule.

use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::model::User;
use offboard_engine::policy::{AccountRole, Party, Refusal, may_take_access};

/// The rule that keeps the connected person from doing `verb` ("delete", "reactivate") to
/// `user`, if one does.
pub fn blocking_rule(connection: &Connection, user: &User, verb: &str) -> Option<String> {
    if let Some(me) = &connection.identity.user {
        if me.id == user.id || me.email.eq_ignore_ascii_case(&user.email) {
            return Some(format!("You cannot {verb} your own account."));
        }
        if let Some(role) = me.account_role {
            let actor = Party { id: &me.id, role };
            let target = Party {
                id: &user.id,
                role: user.account_role.unwrap_or(AccountRole::Restricted),
            };
            if let Err(refusal) = may_take_access(actor, target) {
                return Some(match refusal {
                    Refusal::AccountOwner => format!("Nobody can {verb} the account owner."),
                    Refusal::AdminOnAdmin => format!(
                        "Administrators can {verb} restricted users only: ask the account owner."
                    ),
                    other => other.to_string(),
                });
            }
        }
    }
    user.scim_managed.then(|| {
        let idp = user
            .identity_provider
            .clone()
            .unwrap_or_else(|| "the identity provider".into());
        format!("Managed by {idp} through SCIM: {verb} this account in {idp}.")
    })
}

/// A control that may not be used here: shown disabled, with the rule that blocks it beside it
/// (never a dead button, never a silent hide).
#[component]
pub fn BlockedAction(
    label: &'static str,
    id: &'static str,
    class: &'static str,
    rule: String,
) -> impl IntoView {
    view! {
        <span class="blocked-action">
            <button type="button" class=class disabled aria-describedby=id>{label}</button>
            <span id=id class="rule">{rule}</span>
        </span>
    }
}
