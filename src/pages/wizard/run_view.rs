//! A run of the wizard on screen: who is being offboarded, the one-hour clock, the steps in
//! order, and the report once every step is done or skipped.

use super::clock::Clock;
use super::elsewhere::WizardElsewhere;
use super::report_view::ReportView;
use super::scim_notice::ScimNotice;
use super::step_card::StepCard;
use crate::runs::RunHandle;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::run::plan::RunKind;

#[component]
pub fn Wizard(run: RunHandle, connection: Connection) -> impl IntoView {
    let (count, target, dialect) = run.with(|journal| {
        (
            journal.steps.len(),
            journal.plan.target.clone(),
            journal.plan.dialect,
        )
    });
    let complete = Memo::new(move |_| run.with(|journal| journal.is_complete()));
    // A fresh verification of someone offboarded earlier changes nothing: no one-hour clock.
    let only_verifies = run.with(|journal| journal.plan.kind == RunKind::Verification);
    let scim = run
        .with(|journal| journal.plan.leaves_steps_to_identity_provider())
        .then(|| target.identity_provider_name());
    let subtitle = format!(
        "{} · {} · {}",
        target.email,
        target.role.map_or("role unknown", |role| role.as_str()),
        dialect.label()
    );
    view! {
        <div class="wizard-run">
            <div class="page-head wizard-head">
                <div>
                    <h1 tabindex="-1">{format!("{} {}", if only_verifies { "Verifying" } else { "Offboarding" }, target.name)}</h1>
                    <p class="subtitle">{subtitle}</p>
                </div>
            </div>
            <div class="no-print">
                {(!only_verifies).then(|| view! { <Clock run=run /> })}
                {scim.map(|idp| view! { <ScimNotice idp=idp /> })}
            </div>
            <ol class=move || if complete.get() { "wizard-steps no-print" } else { "wizard-steps" } aria-label="Steps">
                {(0..count).map(|index| view! { <StepCard run=run index=index connection=connection.clone() /> }).collect_view()}
            </ol>
            <WizardElsewhere run=run connection=connection.clone() />
            {move || complete.get().then(|| view! { <ReportView run=run /> })}
        </div>
    }
}
