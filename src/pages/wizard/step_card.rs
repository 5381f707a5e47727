//! One step of the wizard: what it does and why, the exact calls it will make, the decision it
//! needs (departure form, what happens to TD keys, the replacement), a confirm button, the calls
//! as they are made, and the result (snapshot, verification evidence). A step can run only when
//! every step before it is done or skipped; a failed step offers to run again, and skipping
//! takes a typed reason.

use super::departure_form::DepartureForm;
use super::plan_edit::{self, departure_confirmed, departure_of, disposal_of};
use super::reverify::Reverify;
use super::skip::SkipStep;
use super::snapshot_view::SnapshotView;
use super::td_keys::TdKeys;
use crate::components::call_list::CallList;
use crate::components::request_preview::RequestPreview;
use crate::components::verification::VerificationView;
use crate::runs::RunHandle;
use crate::session::{Connection, use_session};
use leptos::prelude::*;
use offboard_engine::model::Dialect;
use offboard_engine::run::journal::StepStatus;
use offboard_engine::run::plan::CheckKind;
use offboard_engine::run::report::tally;
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

/// The button that runs a step, named for what it does.
fn confirm_label(id: &str) -> &'static str {
    match id {
        "document" => "Record current access",
        "disable" => "Disable the account",
        "revoke-keys" => "Revoke all API keys",
        "remove-groups" => "Remove all group memberships",
        "verify" => "Verify now",
        "transfer-ownership" => "Transfer the pipelines",
        "remove-user" => "Remove the user",
        _ => "Run this step",
    }
}

fn status_word(status: &StepStatus) -> (&'static str, &'static str) {
    match status {
        StepStatus::Pending => ("pending", "To do"),
        StepStatus::Running => ("running", "Running…"),
        StepStatus::Done => ("done", "Done"),
        StepStatus::Failed { .. } => ("failed", "Needs attention"),
        StepStatus::Skipped { .. } => ("skipped", "Skipped"),
    }
}

#[component]
pub fn StepCard(run: RunHandle, index: usize, connection: Connection) -> impl IntoView {
    let session = use_session();
    let (id, title, dialect) = run.with(|journal| {
        let step = &journal.plan.steps[index];
        (step.id.clone(), step.title.clone(), journal.plan.dialect)
    });
    let number = index + 1;
    let heading_id = format!("step-{index}");
    let labelled_by = heading_id.clone();
    let confirm_id = format!("step-{index}-confirm");

    let why = Memo::new(move |_| run.with(|journal| journal.plan.steps[index].why.clone()));
    let status = Memo::new(move |_| run.with(|journal| journal.steps[index].status.clone()));
    let reachable = Memo::new(move |_| {
        run.with(|journal| {
            journal.steps[..index]
                .iter()
                .all(|s| s.status.is_finished())
        })
    });
    let requests =
        Memo::new(move |_| run.with(|journal| journal.plan.steps[index].preview(&journal.plan)));
    let calls_made = Memo::new(move |_| run.with(|journal| journal.calls_of(index).count()));
    let has_calls = Memo::new(move |_| calls_made.get() > 0);
    let counts = Memo::new(move |_| run.with(|journal| tally(journal, index)));
    // Open to act on: reachable, not finished, not running.
    let open = Memo::new(move |_| {
        let status = status.get();
        reachable.get() && !status.is_finished() && status != StepStatus::Running
    });

    // Set by the step's own decision (departure form, TD key choice); the button shows when set.
    let decided = RwSignal::new(true);
    let replacement = Memo::new(move |_| run.with(|journal| plan_edit::replacement(&journal.plan)));
    let ready: Signal<bool> = if id == "transfer-ownership" {
        Signal::derive(move || replacement.get().is_some())
    } else {
        decided.into()
    };

    let alive = StoredValue::new(());
    let confirm = move |_| {
        let Some(connection) = session.connection.get_untracked() else {
            return;
        };
        run.run(&connection, Some(index), move || {
            if alive.try_get_value().is_none() {
                return; // the page was left while the step ran
            }
            if index == 0 {
                // Step 1 documented the access: the later steps' previews name what it found.
                run.update(|journal| {
                    if journal.snapshot.is_some() {
                        let inventory = plan_edit::documented(journal);
                        let departure = departure_of(&journal.plan);
                        let keys = disposal_of(&journal.plan);
                        plan_edit::redraw(journal, &inventory, &departure, keys);
                    }
                });
            }
            focus_next(run);
        });
    };

    let badge = move || {
        let (class, word) = status_word(&status.get());
        view! { <span class=format!("badge step-badge step-badge-{class}")>{word}</span> }
    };
    let card_class = move || {
        let (class, _) = status_word(&status.get());
        let current = if open.get() { " step-current" } else { "" };
        format!("card step step-{class}{current}")
    };

    // The decision the step needs before it can run (and its record once it ran).
    let decision = {
        let connection = connection.clone();
        let id = id.clone();
        move || -> Option<AnyView> {
            let connection = connection.clone();
            match id.as_str() {
                "disable" => {
                    let finished = status.get().is_finished();
                    let confirmed = run.with(|journal| departure_confirmed(&journal.plan));
                    (!finished || confirmed).then(|| {
                        view! {
                            <WhyNotDelete />
                            <DepartureForm run=run connection=connection ready=decided step=index />
                        }
                        .into_any()
                    })
                }
                "remove-user" => Some(
                    view! { <TdKeys run=run connection=connection ready=decided step=index /> }
                        .into_any(),
                ),
                "transfer-ownership" => Some(match replacement.get() {
                    Some(to) => {
                        view! { <p>"Pipelines go to " <strong>{to}</strong> "."</p> }.into_any()
                    }
                    None if !status.get().is_finished() => {
                        let own = RwSignal::new(false);
                        view! {
                            <p>"Step 2 chose no replacement: choose who takes over the pipelines."</p>
                            <DepartureForm run=run connection=connection ready=own step=index replacement_only=true />
                        }
                        .into_any()
                    }
                    None => ().into_any(),
                }),
                _ => None,
            }
        }
    };
    // Re-rendered only when what it shows changes (not on every call the step makes), so a form
    // being filled in keeps its state.
    let decision_key = Memo::new(move |_| {
        (
            status.get().is_finished(),
            run.with(|journal| departure_confirmed(&journal.plan)),
            replacement.get(),
        )
    });
    let decision = move || {
        let _ = decision_key.get(); // read, not just tracked: a memo computes when read
        untrack(decision.clone())
    };

    let preview = {
        let connection = connection.clone();
        move || {
            let requests = requests.get();
            let open = requests.len() <= 2;
            view! { <RequestPreview requests=requests connection=connection.clone() open=open /> }
        }
    };

    let progress = move || {
        let counts = counts.get();
        let changes = match (counts.changes, counts.failed) {
            (0, _) => format!("{} read(s) made", counts.reads),
            (n, 0) => format!("{n} change(s) made, {} read(s)", counts.reads),
            (n, failed) => format!("{n} change(s), {failed} failed, {} read(s)", counts.reads),
        };
        match status.get() {
            StepStatus::Running => Some(view! {
                <p class="step-progress" role="status"><span class="spinner" aria-hidden="true"></span>{format!("Running: {changes} so far…")}</p>
            }.into_any()),
            StepStatus::Done => Some(view! {
                <p class="step-result ok" role="status">{format!("✓ Done: {changes}.")}</p>
            }.into_any()),
            StepStatus::Failed { summary } => Some(view! {
                <div class="notice notice-error" role="alert">
                    <p><strong>"This step did not finish: "</strong>{summary}</p>
                    <p>{format!("{changes}. Run it again to finish the job (what is already done is not repeated), or skip it with a reason.")}</p>
                </div>
            }.into_any()),
            StepStatus::Skipped { reason } => Some(view! {
                <p class="step-result skipped">"Skipped: " <q>{reason}</q></p>
            }.into_any()),
            StepStatus::Pending if has_calls.get() => Some(view! {
                <div class="notice notice-warn">
                    <p>{format!("This step was interrupted (the tab was closed or reloaded) after {} call(s). They are kept below. Continuing first lists what is left, so nothing already done is sent again.", calls_made.get())}</p>
                </div>
            }.into_any()),
            StepStatus::Pending => None,
        }
    };

    let controls = {
        let label = confirm_label(&id);
        move || {
            if !open.get() {
                return (!reachable.get() && !status.get().is_finished()).then(|| {
                    view! { <p class="hint waiting">{format!("Available once step {index} is done or skipped.")}</p> }.into_any()
                });
            }
            if !ready.get() {
                return None;
            }
            let text = match status.get() {
                StepStatus::Failed { .. } => format!("Retry step {number}"),
                _ if has_calls.get() => format!("Continue step {number}"),
                _ => label.to_string(),
            };
            Some(view! {
                <button type="button" id=confirm_id.clone() class="primary" disabled=move || run.busy() on:click=confirm>{text}</button>
            }.into_any())
        }
    };

    let results = {
        let id = id.clone();
        move || -> Option<AnyView> {
            match id.as_str() {
                "document" => {
                    let snapshot = run.with(|journal| journal.snapshot.clone());
                    snapshot.map(|snapshot| {
                        view! { <h3>"Access documented"</h3><SnapshotView snapshot=snapshot /> }
                            .into_any()
                    })
                }
                "verify" | "transfer-ownership" => {
                    let pipelines_only = id == "transfer-ownership";
                    let verifications: Vec<_> = run.with(|journal| {
                        journal
                            .verifications
                            .iter()
                            .filter(|v| {
                                v.checks.iter().all(|c| c.kind == CheckKind::NoPipelines)
                                    == pipelines_only
                            })
                            .cloned()
                            .collect()
                    });
                    let count = verifications.len();
                    (count > 0).then(|| {
                        view! {
                            <div class="evidence">
                                <h3>{if count > 1 { format!("Verifications ({count})") } else { "Verification".to_string() }}</h3>
                                {verifications.into_iter().rev().map(|verification| view! { <VerificationView verification=verification /> }).collect_view()}
                            </div>
                        }
                        .into_any()
                    })
                }
                _ => None,
            }
        }
    };
    // Results change with the journal's verifications and snapshot only.
    let results_key = Memo::new(move |_| {
        run.with(|journal| (journal.snapshot.is_some(), journal.verifications.len()))
    });
    let results = move || {
        let _ = results_key.get();
        untrack(results.clone())
    };

    let reverify = (dialect == Dialect::Td && id == "verify").then(|| {
        let removal = run.with(|journal| plan_edit::step_index(&journal.plan, "remove-user"));
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
            {decision}
            {preview}
            {reverify}
            {progress}
            <div class="step-actions no-print">
                {controls}
                {move || open.get().then(|| view! { <SkipStep run=run step=index /> })}
            </div>
            {move || has_calls.get().then(|| view! {
                <details class="step-calls" prop:open=move || matches!(status.get(), StepStatus::Running | StepStatus::Failed { .. })>
                    <summary>{move || format!("Calls made ({})", calls_made.get())}</summary>
                    <CallList run=run step=index />
                </details>
            })}
            {results}
        </li>
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
