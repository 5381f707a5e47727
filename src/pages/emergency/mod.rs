//! Emergency lockout (`/emergency?user=<id or email>`): one confirmation, then the person's
//! access is gone in seconds, with proof. Built for an on-call person on a phone.

mod confirm;
mod everywhere;
mod find_person;
mod guard;
mod lockout;
pub mod prefetch;
mod resume;
mod timeline;

/// The person and their keys and groups, as a lockout reads them (bulk runs read the same).
pub(crate) use lockout::{read_holdings, read_inventory};

use crate::session::{Connection, use_session};
use everywhere::LockoutEverywhere;
use find_person::FindPerson;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use lockout::Lockout;

#[component]
pub fn EmergencyPage(connection: Connection) -> impl IntoView {
    let query = use_query_map();
    let who = move || {
        query
            .with(|q| q.get("user"))
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
    };
    // With several platforms connected, a lockout reaches every one of them.
    let session = use_session();
    view! {
        <section class="emergency">
            <h1 tabindex="-1">"Emergency lockout"</h1>
            {move || match (who(), session.connections.with(Vec::len)) {
                (None, _) => view! { <FindPerson /> }.into_any(),
                (Some(who), several) if several > 1 => {
                    view! { <LockoutEverywhere who=who connections=session.everywhere() /> }.into_any()
                }
                (Some(who), _) => view! { <Lockout who=who connection=connection.clone() /> }.into_any(),
            }}
        </section>
    }
}
