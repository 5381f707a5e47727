//! The one confirmation before a lockout: who, what they can reach, what will happen, and the
//! guard's verdict on whether it may happen at all.

use super::guard::{Guard, guard};
use crate::components::request_preview::RequestPreview;
use crate::format::access_counts;
use crate::format::today;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::platform::Capability;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};

/// The one confirmation: who, what they can reach, what will happen.
#[component]
pub fn Confirm(
    connection: Connection,
    inventory: Inventory,
    start: impl Fn(Journal) + Clone + 'static,
) -> impl IntoView {
    let person = inventory.user.clone();
    let verdict = guard(&connection, &person);
    let dialect = connection.dialect();
    let counts = access_counts(dialect, inventory.keys.len(), inventory.groups.len());
    // What will happen, as the engine plans it: each step's title and why.
    let shown = plan::emergency(dialect, &inventory, &today());
    let steps: Vec<String> = shown
        .steps
        .iter()
        .map(|step| format!("{}. {}", step.title, step.why))
        .collect();
    let start = {
        let connection = connection.clone();
        let inventory = inventory.clone();
        move |_: leptos::ev::MouseEvent| {
            let plan = plan::emergency(connection.dialect(), &inventory, &today());
            let operator = crate::session::operator(&connection);
            let mut journal = Journal::new(
                plan,
                operator,
                connection.base_url.clone(),
                js_sys::Date::now(),
            );
            journal.notified_at_ms = Some(js_sys::Date::now());
            start(journal);
        }
    };
    let (title, button) = match &verdict {
        Guard::ScimManaged { .. } => (
            format!("Revoke every API key of {}?", person.name),
            "Revoke keys now",
        ),
        _ => (format!("Lock out {}?", person.name), "Lock out now"),
    };
    let role = person.account_role.map_or("unknown role", |r| r.as_str());
    let preview: Vec<_> = shown
        .steps
        .iter()
        .flat_map(|step| step.preview(&shown))
        .collect();
    let preview = view! { <RequestPreview requests=preview connection=connection.clone() /> };
    view! {
        <div class="card confirm">
            <h2>{title}</h2>
            <dl class="details">
                <dt>"Name"</dt><dd>{person.name.clone()}</dd>
                <dt>"Email"</dt><dd>{person.email.clone()}</dd>
                <dt>"Role"</dt><dd>{role}</dd>
                <dt>"Access"</dt><dd>{counts}</dd>
            </dl>
            {match verdict.clone() {
                Guard::Refused(reason) => view! {
                    <div class="notice notice-error" role="alert"><p>{reason}</p></div>
                }.into_any(),
                Guard::ScimManaged { identity_provider } => view! {
                    <div class="notice notice-warn" role="alert">
                        <p>{match dialect.offers(Capability::Disable) {
                            true => format!("{} is managed by {identity_provider} through SCIM: disable the account and remove its groups in {identity_provider}. Offboard can revoke the API keys here, because keys are not managed by {identity_provider}.", person.email),
                            false => format!("{} is managed by {identity_provider} through SCIM: the platform refuses to remove the account, so remove it in {identity_provider}. Offboard can revoke the API keys here, one by one, because keys are not managed by {identity_provider}.", person.email),
                        }}</p>
                    </div>
                    <WhatHappens steps=steps.clone() />
                    <button type="button" class="danger big" on:click=start.clone()>{button}</button>
                    {preview}
                }.into_any(),
                Guard::Allowed => view! {
                    <WhatHappens steps=steps.clone() />
                    <button type="button" class="danger big" on:click=start.clone()>{button}</button>
                    {preview}
                }.into_any(),
            }}
            <p class="hint">{format!("Connected to {} as {}.", connection.host(), connection.identity.describe())}</p>
        </div>
    }
}

#[component]
fn WhatHappens(steps: Vec<String>) -> impl IntoView {
    view! {
        <ol class="what-happens">
            {steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}
        </ol>
    }
}
