//! Before the steps: the start screen that creates the run's journal, and the guard that may
//! refuse it (the rule the server enforces, asked of the engine's policy).

use super::scim_notice::ScimNotice;
use crate::format::today;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::model::User;
use offboard_engine::policy::{self, Account, Refusal};
use offboard_engine::run::edit;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::Inventory;

/// Why the connected person may not offboard this one, if they may not: the rule the server
/// enforces (`policy::refusal`), shown before anything is tried.
pub fn refusal(connection: &Connection, target: Account<'_>) -> Option<Refusal> {
    policy::refusal(connection.identity.user.as_ref().map(Account::from), target)
}

/// The journal a new run starts with (see `edit::start_wizard`): the engine's plan drawn with
/// the form's defaults, the clock started now, and the steps a SCIM user's identity provider
/// owns marked as not possible here.
pub fn new_journal(user: &User, connection: &Connection) -> Journal {
    let inventory = Inventory {
        user: user.clone(),
        ..Inventory::default()
    };
    edit::start_wizard(
        connection.dialect(),
        &inventory,
        &today(),
        crate::session::operator(connection),
        connection.base_url.clone(),
        js_sys::Date::now(),
    )
}

#[component]
pub fn StartCard(
    user: User,
    connection: Connection,
    on_start: impl Fn(Journal) + Clone + 'static,
) -> impl IntoView {
    let dialect = connection.dialect();
    let preview = new_journal(&user, &connection);
    let titles: Vec<String> = preview.plan.steps.iter().map(|s| s.title.clone()).collect();
    let scim = preview
        .plan
        .leaves_steps_to_identity_provider()
        .then(|| preview.plan.target.identity_provider_name());
    let name = user.name.clone();
    let start = move |_| on_start(new_journal(&user, &connection));
    view! {
        <section class="card wizard-start" aria-labelledby="wizard-title">
            <h1 id="wizard-title" tabindex="-1">{format!("Guided offboarding: {name}")}</h1>
            <p class="lead">
                "Follow the steps in order. Each one says what it does and why, shows the exact calls before they are made, and asks you to confirm. "
                "Nothing is skipped unless you type why. At the end you get a report to file."
            </p>
            {scim.map(|idp| view! { <ScimNotice idp=idp /> })}
            <ol class="step-titles">{titles.into_iter().map(|title| view! { <li>{title}</li> }).collect_view()}</ol>
            <p class="hint">{if super::clock::has_target(dialect) {
                "The runbook's target: complete within 1 hour of departure notification. The clock starts when you start (you can set the notification time on the next screen)."
            } else {
                "A clock shows how long since the departure was notified (Treasure Data's runbook sets no time target). It starts when you start; you can set the notification time on the next screen."
            }}</p>
            <button type="button" class="primary" on:click=start>"Start offboarding"</button>
        </section>
    }
}
