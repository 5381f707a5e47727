//! The guided offboarding with several platforms connected: once the departure is confirmed
//! here, the same departure (date, reason, replacement) offboards the person on the other
//! platforms too, each running its own guided steps unattended at the same time as the steps
//! here; the report at the end has one verdict over every platform.

use crate::components::elsewhere::{
    AcrossRuns, ElsewhereChoices, ElsewhereRun, look_elsewhere, start_elsewhere,
};
use crate::format::today;
use crate::runs::RunHandle;
use crate::session::{Connection, use_session};
use leptos::prelude::*;
use offboard_engine::dialect::td::KeyDisposal;
use offboard_engine::model::User;
use offboard_engine::policy::{self, Account};
use offboard_engine::run::edit;
use offboard_engine::run::plan::{Inventory, RunKind};

/// Who may not be offboarded from this connection there: the shared policy, in its words.
fn refused(connection: &Connection, user: &User) -> Option<String> {
    let actor = connection.identity.user.as_ref().map(Account::from);
    policy::refusal(actor, Account::from(user)).map(|refusal| refusal.to_string())
}

/// Nothing with one platform (or for a verification); else the other platforms, to offboard
/// there too once the departure is confirmed, and then their runs and the verdict over all.
#[component]
pub fn WizardElsewhere(run: RunHandle, connection: Connection) -> impl IntoView {
    let others: Vec<Connection> = use_session()
        .everywhere()
        .into_iter()
        .filter(|other| other.name != connection.name)
        .collect();
    let offboards = run.with_untracked(|j| j.plan.kind == RunKind::Wizard);
    (offboards && !others.is_empty()).then(|| {
        let email = run.with_untracked(|j| j.plan.target.email.clone());
        let elsewhere = look_elsewhere(others, email, refused);
        let started = RwSignal::new_local(None::<Vec<ElsewhereRun>>);
        let confirmed = run.select(|j| j.plan.departure_confirmed());
        let complete = run.select(|j| j.is_complete());
        let owner = Owner::current();
        let start = move |_| {
            let Some(Ok(found)) = elsewhere.get_untracked() else {
                return;
            };
            let departure = run.with_untracked(|j| j.plan.departure());
            let draw = |connection: &Connection, inventory: &Inventory, operator: String| {
                edit::start_wizard(
                    connection.dialect(),
                    inventory,
                    &today(),
                    operator,
                    connection.base_url.clone(),
                    js_sys::Date::now(),
                )
            };
            let drive = |handle: RunHandle, connection: &Connection| {
                handle.run_guided(connection, departure.clone(), KeyDisposal::Delete, || {})
            };
            started.set(Some(start_elsewhere(found, owner.as_ref(), draw, drive)));
        };
        let here = connection.name.clone();
        let body = move || match started.get() {
            None => view! {
                <p class="hint">"The same departure details offboard the person on the other platforms too: each runs its own guided steps unattended (documented, disabled or removed, keys deleted, verified) at the same time as the steps here, and the report covers every platform."</p>
                <ElsewhereChoices elsewhere=elsewhere verb="Offboard" what="; keys deleted" />
                <button type="button" class="primary" disabled=move || !confirmed.get() on:click=start.clone()>
                    "Offboard on the other platforms now"
                </button>
                {move || (!confirmed.get()).then(|| view! { <p class="hint">"Once the departure details are confirmed above."</p> })}
            }
            .into_any(),
            Some(runs) => view! {
                <AcrossRuns here=(here.clone(), run) elsewhere=runs working="Offboarding…"
                    file="offboarding-everywhere" ready=Signal::from(complete) />
            }
            .into_any(),
        };
        view! {
            <section class="card wizard-elsewhere" aria-labelledby="wizard-elsewhere-title">
                <h2 id="wizard-elsewhere-title">"Other platforms"</h2>
                {body}
            </section>
        }
    })
}
