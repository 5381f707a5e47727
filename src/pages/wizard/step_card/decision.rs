//! The decision a step needs before it can run, and its record once it ran: the departure form
//! beside "disable", what happens to Treasure Data's keys before "remove user", and who takes
//! over the pipelines before "transfer".

use super::kind::StepKind;
use crate::pages::wizard::departure_form::DepartureForm;
use crate::pages::wizard::td_keys::TdKeys;
use crate::runs::{RunHandle, StepState};
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::run::edit;
use offboard_engine::run::journal::{Journal, StepStatus};

/// What the decision shown with a step depends on, read from the journal in one go: the view
/// is rebuilt only when one of these changes (so a form being filled in keeps its state).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    open: bool,
    finished: bool,
    departure_confirmed: bool,
    replacement: Option<String>,
    /// The transfer step with nobody to hand to, because step 1 found no pipelines. Should some
    /// turn up by the time it runs (the step then fails), a replacement is asked for after all.
    nothing_to_hand_over: bool,
    target_name: String,
}

impl Decision {
    pub fn of(journal: &Journal, index: usize, kind: StepKind) -> Self {
        let step = StepState::of(journal, index);
        Decision {
            open: step.open(),
            finished: step.status.is_finished(),
            departure_confirmed: journal.plan.departure_confirmed(),
            replacement: journal.plan.replacement(),
            nothing_to_hand_over: kind == StepKind::TransferPipelines
                && edit::nothing_to_hand_over(journal)
                && !matches!(step.status, StepStatus::Failed { .. }),
            target_name: journal.plan.target.name.clone(),
        }
    }

    /// Whether what the step needs decided is decided (the forms' own answers aside).
    pub fn ready(&self, kind: StepKind) -> bool {
        kind != StepKind::TransferPipelines
            || self.replacement.is_some()
            || self.nothing_to_hand_over
    }

    /// The transfer step has nothing to move: running it only checks none has appeared.
    pub fn only_checks(&self) -> bool {
        self.nothing_to_hand_over && self.replacement.is_none()
    }
}

#[component]
pub fn StepDecision(
    run: RunHandle,
    index: usize,
    kind: StepKind,
    decision: Memo<Decision>,
    /// Set by the step's form while its answers are confirmed.
    decided: RwSignal<bool>,
    connection: Connection,
) -> impl IntoView {
    move || -> Option<AnyView> {
        let connection = connection.clone();
        let decision = decision.get();
        match kind {
            StepKind::Disable => (!decision.finished || decision.departure_confirmed).then(|| {
                view! {
                    <WhyNotDelete />
                    <DepartureForm run=run connection=connection ready=decided step=index />
                }
                .into_any()
            }),
            StepKind::RemoveUser => Some(
                view! { <TdKeys run=run connection=connection ready=decided step=index /> }
                    .into_any(),
            ),
            StepKind::TransferPipelines => Some(match decision.replacement {
                Some(to) => {
                    view! { <p>"Pipelines go to " <strong>{to}</strong> "."</p> }.into_any()
                }
                None if decision.nothing_to_hand_over => view! {
                    <p>{format!("{} owned no pipelines when their access was documented: there is nothing to hand over. This step checks that none has been created since.", decision.target_name)}</p>
                }
                .into_any(),
                // Asked only once it is this step's turn: step 2 normally chooses (its form
                // would otherwise be on the page twice).
                None if decision.open => {
                    let own = RwSignal::new(false);
                    view! {
                        <p>"No replacement has been chosen yet: choose who takes over the pipelines."</p>
                        <DepartureForm run=run connection=connection ready=own step=index replacement_only=true />
                    }
                    .into_any()
                }
                None => ().into_any(),
            }),
            _ => None,
        }
    }
}

/// The runbook's "Why not delete?", beside the disable step.
#[component]
fn WhyNotDelete() -> impl IntoView {
    view! {
        <aside class="why-not-delete" aria-labelledby="why-not-delete">
            <h3 id="why-not-delete">"Why not delete?"</h3>
            <ul>
                <li>"Preserves audit history"</li>
                <li>"Maintains data lineage"</li>
                <li>"Compliance requirements"</li>
                <li>"Can reactivate if they return"</li>
            </ul>
        </aside>
    }
}
