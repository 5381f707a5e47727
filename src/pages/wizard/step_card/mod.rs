//! One step of the wizard: what it does and why, the exact calls it will make, the decision it
//! needs (departure form, what happens to TD keys, the replacement), a confirm button, the calls
//! as they are made, and the result (snapshot, verification evidence). A step can run only when
//! every step before it is done or skipped; a failed step offers to run again, and skipping
//! takes a typed reason.
//!
//! The card is the frame every step shares; what differs by the step's action (its decision,
//! its results, its button's words) is in [`kind`], [`decision`] and [`results`].

mod decision;
mod kind;
mod progress;
mod results;

use super::reverify::Reverify;
use super::skip::SkipStep;
use crate::components::call_list::CallList;
use crate::components::platform_silent::PlatformSilent;
use crate::components::request_preview::RequestPreview;
use crate::runs::{RunHandle, StepState};
use crate::session::Connection;
use decision::{Decision, StepDecision};
use kind::StepKind;
use leptos::prelude::*;
use offboard_engine::run::edit;
use offboard_engine::run::journal::StepStatus;
use offboard_engine::run::verdict::step_retry_may_help;
use progress::{StepProgress, status_word};
use results::StepResults;
use wasm_bindgen::JsCast;

/// Moves keyboard focus to the element with `id` once the page has rendered the change that
/// brought it (headings carry `tabindex="-1"` so they can take focus).
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document()
            .get_element_by_id(&id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// After a step ends: focus the next step to do (the same one if it failed), or the report.
pub fn focus_next(run: RunHandle) {
    let next = run.with(|journal| journal.next_step());
    focus_later(next.map_or_else(|| "report".to_string(), |index| format!("step-{index}")));
}

#[component]
pub fn StepCard(run: RunHandle, index: usize, connection: Connection) -> impl IntoView {
    let (kind, title, dialect) = run.with(|journal| {
        let step = &journal.plan.steps[index];
        (
            StepKind::of(&step.action),
            step.title.clone(),
            journal.plan.dialect,
        )
    });
    let number = index + 1;
    let heading_id = format!("step-{index}");
    let labelled_by = heading_id.clone();

    // Every piece of the card reads its own derived signal of the journal, so it re-renders
    // only when what it shows changes, not on each of the run's calls. Each is derived from the
    // journal itself, never from another of them (see `ready`).
    let why = run.select(move |journal| journal.plan.steps[index].why.clone());
    let state = run.step(index);
    let status = run.select(move |journal| journal.steps[index].status.clone());
    let open = run.select(move |journal| StepState::of(journal, index).open());
    let has_calls = run.select(move |journal| journal.calls_of(index).next().is_some());
    // Set by the step's own form (departure, TD key choice); the button shows when set.
    let decided = RwSignal::new(true);
    let decision = run.select(move |journal| Decision::of(journal, index, kind));
    // A closure, not a memo: a view that reads a memo and another derived from it can miss a
    // change (the inner one is brought up to date while the outer is checked, and then no
    // longer reports having changed), and the controls read `decision` too.
    let ready = move || decision.with(|decision| decision.ready(kind)) && decided.get();

    let alive = StoredValue::new(());
    // Stored, so the handler stays `Copy` for the controls that re-render it.
    let stored_connection = StoredValue::new(connection.clone());
    let confirm = move |_| {
        stored_connection.with_value(|connection| {
            run.run(connection, Some(index), move || {
                if alive.try_get_value().is_none() {
                    return; // the page was left while the step ran
                }
                if kind == StepKind::Document {
                    // Step 1 documented the access: the later steps' previews name what it found.
                    run.update(|journal| {
                        if journal.snapshot.is_some() {
                            let inventory = edit::documented(journal);
                            let departure = journal.plan.departure();
                            let keys = journal.plan.key_disposal();
                            edit::redraw(journal, &inventory, &departure, keys);
                        }
                    });
                }
                focus_next(run);
            })
        });
    };

    let badge = move || {
        let (class, word) = status_word(&status.get());
        view! { <span class=format!("badge step-badge step-badge-{class}")>{word}</span> }
    };
    let card_class = move || {
        state.with(|state| {
            let (class, _) = status_word(&state.status);
            let current = if state.open() { " step-current" } else { "" };
            format!("card step step-{class}{current}")
        })
    };

    // The exact calls, once the step's decision is made (a PUT with an empty reason is not the
    // call it will make); not for a skipped step; open while it is the step to do.
    let requests = run.select(move |journal| {
        let mut requests = journal.plan.steps[index].preview(&journal.plan);
        // Two checks that read the same thing read it once (the verification shares reads).
        requests.dedup();
        requests
    });
    let preview = {
        let connection = connection.clone();
        move || {
            let (status, open) = (status.get(), open.get());
            if !ready() || matches!(status, StepStatus::Skipped { .. }) {
                return (!status.is_finished()).then(|| {
                    view! { <p class="hint">"The exact call is shown here once the choice this step needs is made."</p> }.into_any()
                });
            }
            let requests = requests.get();
            let expanded = open && requests.len() <= 2;
            Some(view! { <RequestPreview requests=requests connection=connection.clone() open=expanded /> }.into_any())
        }
    };

    let controls = {
        let confirm_id = format!("step-{index}-confirm");
        let retry_may_help = run.select(move |journal| step_retry_may_help(journal, index));
        move || {
            let state = state.get();
            if !state.open() {
                return (!state.reachable && !state.status.is_finished()).then(|| {
                    view! { <p class="hint waiting">{format!("Available once step {index} is done or skipped.")}</p> }.into_any()
                });
            }
            if !ready() {
                return None;
            }
            let failed = matches!(state.status, StepStatus::Failed { .. });
            if failed && !retry_may_help.get() {
                // A refusal by rule: no "Retry" that can only be refused again.
                return None;
            }
            let text = match () {
                _ if failed => format!("Retry step {number}"),
                _ if state.calls() > 0 => format!("Continue step {number}"),
                // Nothing to transfer: what the step does is the check.
                _ if decision.with(Decision::only_checks) => {
                    "Check no pipelines are left".to_string()
                }
                _ => kind.confirm_label().to_string(),
            };
            Some(view! {
                <button type="button" id=confirm_id.clone() class="primary" disabled=move || run.busy() on:click=confirm>{text}</button>
            }.into_any())
        }
    };

    // Where access lingers after removal (TD's streaming ingest), the check is offered again.
    let lingers = dialect.api().lingers_for_seconds().is_some();
    let reverify = (lingers && kind == StepKind::Verify).then(|| {
        let removal = run.with(|journal| journal.plan.step_index("remove-user"));
        removal.map(|removal| view! { <Reverify run=run connection=connection.clone() step=index removal=removal /> })
    });

    view! {
        <li class=card_class aria-labelledby=labelled_by>
            <div class="step-head">
                <h2 id=heading_id tabindex="-1">
                    <span class="step-number">{format!("Step {number}")}</span>" "{title}
                </h2>
                {badge}
            </div>
            <p class="why">{move || why.get()}</p>
            <StepDecision run=run index=index kind=kind decision=decision decided=decided connection=connection.clone() />
            {preview}
            {reverify}
            <StepProgress run=run index=index state=state />
            {move || (status.get() == StepStatus::Running).then(|| view! { <PlatformSilent run=run /> })}
            <div class="step-actions no-print">
                {controls}
                {move || open.get().then(|| view! { <SkipStep run=run step=index /> })}
            </div>
            {move || has_calls.get().then(|| view! {
                <details class="step-calls" prop:open=move || matches!(status.get(), StepStatus::Running | StepStatus::Failed { .. })>
                    <summary>{move || format!("Calls made ({})", state.with(|state| state.calls()))}</summary>
                    <CallList run=run step=index />
                </details>
            })}
            <StepResults run=run kind=kind />
        </li>
    }
}
