//! Emergency lockout (`/emergency?user=<id or email>`): one confirmation, then the person's
//! access is gone in seconds, with proof. Built for an on-call person on a phone.

mod confirm;
mod find_person;
mod guard;
mod lockout;
pub mod prefetch;
mod resume;
mod timeline;

/// The person and their keys and groups, as a lockout reads them (bulk runs read the same).
pub(crate) use lockout::read_inventory;

use crate::session::Connection;
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
    view! {
        <section class="emergency">
            <h1 tabindex="-1">"Emergency lockout"</h1>
            {move || match who() {
                None => view! { <FindPerson /> }.into_any(),
                Some(who) => view! { <Lockout who=who connection=connection.clone() /> }.into_any(),
            }}
        </section>
    }
}
