//! Before the steps: the guards (refusals in plain words), the offer to resume a run left
//! behind, and the start screen that creates the run's journal.

use super::clock::local_time;
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

/// A SCIM-managed ADOC user: what must happen in the identity provider, and what is done here.
#[component]
pub fn ScimNotice(idp: String) -> impl IntoView {
    view! {
        <div class="notice notice-warn" role="note">
            <p><strong>{format!("This person is managed by {idp} through SCIM.")}</strong>
            {format!(" Disable their account and remove their groups in {idp}: this platform refuses those changes for SCIM-managed users, so those two steps are marked as not possible here. Offboard still documents their access, revokes their API keys (keys are not managed by {idp}), verifies that no key is left, and hands their pipelines over.")}</p>
        </div>
    }
}

#[component]
pub fn ResumeOffer(
    journal: Journal,
    on_resume: impl Fn() + 'static,
    on_discard: impl Fn() + 'static,
) -> impl IntoView {
    let done = journal
        .steps
        .iter()
        .filter(|s| s.status.is_finished())
        .count();
    let total = journal.steps.len();
    let next = journal
        .next_step()
        .map(|index| journal.plan.steps[index].title.clone())
        .unwrap_or_default();
    let target = &journal.plan.target;
    let started = format!(
        "{} {}",
        offboard_engine::time::rfc3339(journal.created_at_ms)
            .get(..10)
            .unwrap_or_default(),
        local_time(journal.created_at_ms)
    );
    view! {
        <section class="card wizard-resume" aria-labelledby="resume-title">
            <h1 id="resume-title" tabindex="-1">{format!("Resume the offboarding of {}?", target.name)}</h1>
            <p>{format!("An offboarding of {} <{}> was started {} by {} and not finished: {done} of {total} steps are done.", target.name, target.email, started, journal.operator)}</p>
            <p>{format!("Next: {next}. Resuming continues where it stopped: calls that finished are not made again and no step is skipped.")}</p>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| on_resume()>"Resume"</button>
                <button type="button" on:click=move |_| on_discard()>"Discard and start over"</button>
            </div>
            <p class="hint">"Discarding forgets this run's record in this browser; what it already changed on the platform stays changed."</p>
        </section>
    }
}

#[component]
pub fn Refused(refusal: Refusal, name: String, back: String) -> impl IntoView {
    view! {
        <section class="card wizard-refused" aria-labelledby="refused-title">
            <h1 id="refused-title" tabindex="-1">{format!("You cannot offboard {name}")}</h1>
            <div class="notice notice-error" role="alert"><p>{refusal.to_string()}</p></div>
            <p><a href=back>"Back to the person"</a></p>
        </section>
    }
}
