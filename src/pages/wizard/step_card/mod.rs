//! One step of the wizard: what it does and why, the exact calls it will make, the decision it
//! needs (departure form, what happens to TD keys, the replacement), a confirm button, the calls
//! as they are made, and the result (snapshot, verification evidence). A step can run only when
//! every step before it is done or skipped; a failed step offers to run again, and skipping
//! takes a typed reason.

use super::departure_form::DepartureForm;
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
use offboard_engine::run::edit;
use offboard_engine::run::journal::StepStatus;
use offboard_engine::run::plan::CheckKind;
use offboard_engine::run::report::tally;
use offboard_engine::run::verdict::step_retry_may_help;
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

/// `1, "key"` → `"1 key"`; `2, "key"` → `"2 keys"`; `0, "read"` → `"no reads"`.
pub fn plural(n: usize, noun: &str) -> String {
    match n {
        0 => format!("no {noun}s"),
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
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

/// What a step card shows about its step, read in one go from the journal.
#[derive(Clone, PartialEq)]
struct Card {
    status: StepStatus,
    /// Every step before it is done or skipped.
    reachable: bool,
    /// Its decision is made (departure form, TD key choice, replacement).
    ready: bool,
    calls: usize,
}

impl Card {
    /// The step to act on now: reachable, not finished, not running.
    fn open(&self) -> bool {
        self.reachable && !self.status.is_finished() && self.status != StepStatus::Running
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

    // Each piece of the card reads one memo computed straight from the journal. (A view that
    // reads two memos, one derived from the other, can miss a change: the inner one is brought
    // up to date while checking the outer one, and then no longer reports having changed.)
    let why = Memo::new(move |_| run.with(|journal| journal.plan.steps[index].why.clone()));
    let status = Memo::new(move |_| run.with(|journal| journal.steps[index].status.clone()));
    let counts = Memo::new(move |_| run.with(|journal| tally(journal, index)));

    // Set by the step's own decision (departure form, TD key choice); the button shows when set.
    let decided = RwSignal::new(true);
    let replacement = Memo::new(move |_| run.with(|journal| journal.plan.replacement()));
    let transfer = id == "transfer-ownership";
    // Step 6 with nobody to hand to is ready when step 1 found no pipelines; should some turn up
    // by the time it runs (the step then fails), a replacement is asked for after all.
    let nothing_to_hand_over = Memo::new(move |_| {
        run.with(|journal| {
            transfer
                && edit::nothing_to_hand_over(journal)
                && !matches!(journal.steps[index].status, StepStatus::Failed { .. })
        })
    });
    let ready = move || {
        if transfer {
            run.with(|journal| journal.plan.replacement().is_some()) || nothing_to_hand_over.get()
        } else {
            decided.get()
        }
    };
    let card = Memo::new(move |_| {
        let ready = ready();
        run.with(|journal| Card {
            status: journal.steps[index].status.clone(),
            reachable: journal.steps[..index]
                .iter()
                .all(|s| s.status.is_finished()),
            ready,
            calls: journal.calls_of(index).count(),
        })
    });
    let open = Memo::new(move |_| card.with(Card::open));
    let has_calls = Memo::new(move |_| card.with(|card| card.calls > 0));

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
                        let inventory = edit::documented(journal);
                        let departure = journal.plan.departure();
                        let keys = journal.plan.key_disposal();
                        edit::redraw(journal, &inventory, &departure, keys);
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
        card.with(|card| {
            let (class, _) = status_word(&card.status);
            let current = if card.open() { " step-current" } else { "" };
            format!("card step step-{class}{current}")
        })
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
                    let confirmed = run.with(|journal| journal.plan.departure_confirmed());
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
                    None if nothing_to_hand_over.get() => {
                        let name = run.with(|journal| journal.plan.target.name.clone());
                        view! {
                            <p>{format!("{name} owned no pipelines when their access was documented: there is nothing to hand over. This step checks that none has been created since.")}</p>
                        }
                        .into_any()
                    }
                    // Asked only once it is this step's turn: step 2 normally chooses (its form
                    // would otherwise be on the page twice).
                    None if open.get() => {
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
    };
    // Re-rendered only when what it shows changes (not on every call the step makes), so a form
    // being filled in keeps its state.
    let decision_key = Memo::new(move |_| {
        (
            open.get(),
            status.get().is_finished(),
            run.with(|journal| journal.plan.departure_confirmed()),
            replacement.get(),
            nothing_to_hand_over.get(),
        )
    });
    let decision = move || {
        let _ = decision_key.get(); // read, not just tracked: a memo computes when read
        untrack(decision.clone())
    };

    // The exact calls, once the step's decision is made (a PUT with an empty reason is not the
    // call it will make); not for a skipped step; open while it is the step to do.
    let preview_state = Memo::new(move |_| {
        let ready = ready();
        run.with(|journal| {
            let state = &journal.steps[index].status;
            let mut requests = journal.plan.steps[index].preview(&journal.plan);
            // Two checks that read the same thing read it once (the verification shares reads).
            requests.dedup();
            let shown = ready && !matches!(state, StepStatus::Skipped { .. });
            let reachable = journal.steps[..index]
                .iter()
                .all(|s| s.status.is_finished());
            let current = reachable && !state.is_finished() && *state != StepStatus::Running;
            let expanded = current && requests.len() <= 2;
            (shown, expanded, requests, state.is_finished())
        })
    });
    let preview = {
        let connection = connection.clone();
        move || {
            let (shown, expanded, requests, finished) = preview_state.get();
            if !shown {
                return (!finished).then(|| {
                    view! { <p class="hint">"The exact call is shown here once the choice this step needs is made."</p> }.into_any()
                });
            }
            Some(view! { <RequestPreview requests=requests connection=connection.clone() open=expanded /> }.into_any())
        }
    };

    let progress = move || {
        let counts = counts.get();
        let calls = counts.reads + counts.changes;
        let reads = plural(counts.reads, "read");
        let changes = match (counts.changes, counts.failed) {
            (0, _) => reads,
            (n, 0) => format!("{} made, {reads}", plural(n, "change")),
            (n, failed) => format!("{}, {failed} failed, {reads}", plural(n, "change")),
        };
        match status.get() {
            StepStatus::Running => Some(view! {
                <p class="step-progress" role="status"><span class="spinner" aria-hidden="true"></span>{format!("Running: {changes} so far…")}</p>
            }.into_any()),
            StepStatus::Done => Some(view! {
                <p class="step-result ok" role="status">{format!("✓ Done: {changes}.")}</p>
            }.into_any()),
            StepStatus::Failed { summary } => {
                let next = if run.with(|journal| step_retry_may_help(journal, index)) {
                    "Run it again to finish the job (what is already done is not repeated), or skip it with a reason."
                } else {
                    "The platform refused this by rule, so running it again would be refused again. Skip it with a reason: the report names what is left and who must act."
                };
                Some(view! {
                    <div class="notice notice-error" role="alert">
                        <p><strong>"This step did not finish: "</strong>{summary}</p>
                        <p>{format!("{changes}. {next}")}</p>
                    </div>
                }.into_any())
            }
            StepStatus::Skipped { reason } => Some(view! {
                <p class="step-result skipped">"Skipped: " <q>{reason}</q></p>
            }.into_any()),
            StepStatus::Pending if calls > 0 => Some(view! {
                <div class="notice notice-warn">
                    <p>{format!("This step was interrupted (the tab was closed or reloaded) after {}. They are kept below. Continuing first lists what is left, so nothing already done is sent again.", plural(calls, "call"))}</p>
                </div>
            }.into_any()),
            StepStatus::Pending => None,
        }
    };

    let controls = {
        let label = confirm_label(&id);
        move || {
            let card = card.get();
            if !card.open() {
                return (!card.reachable && !card.status.is_finished()).then(|| {
                    view! { <p class="hint waiting">{format!("Available once step {index} is done or skipped.")}</p> }.into_any()
                });
            }
            if !card.ready {
                return None;
            }
            if matches!(card.status, StepStatus::Failed { .. })
                && !untrack(|| run.with(|journal| step_retry_may_help(journal, index)))
            {
                // A refusal by rule: no "Retry" that can only be refused again.
                return None;
            }
            let text = match card.status {
                StepStatus::Failed { .. } => format!("Retry step {number}"),
                _ if card.calls > 0 => format!("Continue step {number}"),
                // Nothing to transfer: what the step does is the check.
                _ if nothing_to_hand_over.get() && replacement.get().is_none() => {
                    "Check no pipelines are left".to_string()
                }
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

    // Where access lingers after removal (TD's streaming ingest), the check is offered again.
    let lingers = dialect.api().lingers_for_seconds().is_some();
    let reverify = (lingers && id == "verify").then(|| {
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
                    <summary>{move || format!("Calls made ({})", card.with(|card| card.calls))}</summary>
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
