//! Who may delete or reactivate whom, in the words shown beside a blocked control: the shared
//! policy (the server enforces the same) plus the SCIM rule.

use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::model::User;
use offboard_engine::policy::{self, Account, Refusal};

/// The rule that keeps the connected person from doing `verb` ("delete", "reactivate") to
/// `user`, if one does.
pub fn blocking_rule(connection: &Connection, user: &User, verb: &str) -> Option<String> {
    let actor = connection.identity.user.as_ref().map(Account::from);
    if let Some(refusal) = policy::refusal(actor, Account::from(user)) {
        return Some(match refusal {
            Refusal::OwnAccount => format!("You cannot {verb} your own account."),
            Refusal::AccountOwner => format!("Nobody can {verb} the account owner."),
            Refusal::AdminOnAdmin => {
                format!("Administrators can {verb} restricted users only: ask the account owner.")
            }
            other => other.to_string(),
        });
    }
    policy::identity_provider_of(user.scim_managed, user.identity_provider.as_deref())
        .map(|idp| format!("Managed by {idp} through SCIM: {verb} this account in {idp}."))
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
