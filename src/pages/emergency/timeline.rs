//! The lockout as it happens: each phase with its counts and duration, the total from the
//! confirm click, and the verdict with its evidence. What failed is listed, with "retry the rest".

use crate::api::now_ms;
use crate::components::call_list::CallList;
use crate::components::evidence::EvidenceView;
use crate::components::platform_silent::PlatformSilent;
use crate::components::report_actions::ReportActions;
use crate::components::verdict::OpenFacts;
use crate::components::verification::VerificationView;
use crate::format::milliseconds;
use crate::runs::RunHandle;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::run::journal::{Journal, StepStatus};
use offboard_engine::run::plan::{Inventory, RunKind};
use offboard_engine::run::report;
use offboard_engine::run::verdict::{Outcome, retry_may_help};
use offboard_engine::time::rfc3339;

#[component]
pub fn Timeline(
    run: RunHandle,
    connection: Connection,
    inventory: Inventory,
    /// Set when the lockout is one platform of several: the timeline is titled by it.
    #[prop(optional, into)]
    platform: Option<String>,
) -> impl IntoView {
    // Mounted by the confirm click itself, so "now" is the click (or the click that continued
    // an interrupted lockout, whose time before the interruption is not counted).
    let started = StoredValue::new(now_ms());
    let continued = run.with(|journal| !journal.calls.is_empty());
    let total_ms = RwSignal::new(None::<f64>);
    // Kept in a StoredValue so `start` is Copy: it runs now and again on "Retry the rest".
    let connection = StoredValue::new(connection);
    let start = move || {
        started.set_value(now_ms());
        total_ms.set(None);
        connection.with_value(|connection| {
            run.run(connection, None, move || {
                let _ = total_ms.try_set(Some(now_ms() - started.get_value()));
            })
        });
    };
    start();
    let retry = move |_| start();

    let steps = run.with(|journal| journal.plan.steps.len());

    let verdict = move || {
        let Some(total) = total_ms.get() else {
            let live = run.with(live_summary);
            return view! { <p class="verdict running" role="status">{format!("Locking out… {live}")}</p> }.into_any();
        };
        let (verdict, retry_helps) =
            run.with(|journal| (report::verdict(journal), retry_may_help(journal)));
        let seconds = milliseconds(total);
        let total_attr = (total.round() as u64).to_string();
        let only_verified = run.with(|journal| journal.plan.kind == RunKind::Verification);
        let headline = match (verdict.outcome, only_verified) {
            (Outcome::Verified, false) if continued => format!(
                "Locked out: finished {seconds} after continuing. {}",
                verdict.summary
            ),
            (Outcome::Verified, false) => format!("Locked out in {seconds}. {}", verdict.summary),
            (Outcome::Verified, true) => {
                format!(
                    "Still locked out: verified in {seconds}. {}",
                    verdict.summary
                )
            }
            _ => format!(
                "Not fully locked out after {seconds}. {} {}",
                verdict.headline, verdict.summary
            ),
        };
        let tone = verdict.tone();
        // A refusal by rule is not offered a retry that can only be refused again.
        let retry = (!verdict.passed() && retry_helps).then(|| {
            view! {
                <button type="button" class="danger" on:click=retry>"Retry the rest"</button>
            }
        });
        let role = if verdict.passed() { "status" } else { "alert" };
        view! {
            <div class=format!("verdict {tone}") role=role data-total-ms=total_attr>
                <p>{headline}</p>
                <OpenFacts verdict=verdict />
                {retry}
            </div>
        }
        .into_any()
    };
    // Unique on a page that shows several platforms' timelines.
    let evidence_title = run.with(|journal| format!("evidence-{}", journal.id));
    let evidence = move || {
        total_ms.get()?;
        run.with(|journal| journal.latest_verification().cloned())
            .map(|verification| {
                view! {
                    <section class="card" aria-labelledby=evidence_title.clone()>
                        <h2 id=evidence_title.clone()>"Evidence"</h2>
                        <VerificationView verification=verification />
                        <EvidenceView run=run />
                    </section>
                }
            })
    };

    view! {
        <div class="lockout">
            <div class="print-only">
                {run.with(|journal| format!("Emergency lockout report {} — run by {} against {} ({}), started {}.",
                    journal.id, journal.operator, journal.endpoint, journal.plan.dialect.label(), rfc3339(journal.created_at_ms)))}
            </div>
            {match platform {
                Some(platform) => view! { <h2 class="platform-title">{format!("{platform} · {}", connection.with_value(|c| c.host()))}</h2> }.into_any(),
                None => view! { <h2>{format!("{} · {}", inventory.user.name, inventory.user.email)}</h2> }.into_any(),
            }}
            <PlatformSilent run=run />
            {verdict}
            <ol class="phases">
                {(0..steps).map(|index| view! { <Phase run=run index=index /> }).collect_view()}
            </ol>
            {move || {
                total_ms.get()?;
                run.with(|journal| journal.concurrency).map(|calls| {
                    view! { <p class="muted calls-in-flight">{format!("Calls in flight: {}.", calls.describe())}</p> }
                })
            }}
            {evidence}
            {move || total_ms.get().map(|_| view! { <ReportActions run=run /> })}
        </div>
    }
}

#[component]
fn Phase(run: RunHandle, index: usize) -> impl IntoView {
    let title = run.with(|journal| journal.plan.steps[index].title.clone());
    let line = move || {
        run.with(|journal| {
            let state = &journal.steps[index];
            let done = report::progress(journal, index).describe();
            let took = match (state.started_at_ms, state.finished_at_ms) {
                (Some(start), Some(end)) => format!(" in {}", milliseconds(end - start)),
                _ => String::new(),
            };
            let (class, word) = match &state.status {
                StepStatus::Pending => ("pending", "waiting".to_string()),
                StepStatus::Running => ("running", "running".to_string()),
                StepStatus::Done => ("done", "done".to_string()),
                StepStatus::Failed { summary } => ("failed", format!("incomplete: {summary}")),
                StepStatus::Skipped { reason } => ("skipped", format!("skipped: {reason}")),
            };
            let detail = if done.is_empty() {
                format!("{word}{took}")
            } else {
                format!("{done}{took} — {word}")
            };
            (class, detail)
        })
    };
    view! {
        <li class=move || format!("phase phase-{}", line().0)>
            <strong>{title}</strong>
            <span class="phase-detail">{move || line().1}</span>
            <CallList run=run step=index />
        </li>
    }
}

/// While running: the latest counts, so the status line moves.
fn live_summary(journal: &Journal) -> String {
    let current = journal
        .steps
        .iter()
        .position(|s| s.status == StepStatus::Running)
        .unwrap_or(0);
    report::progress(journal, current).describe()
}
