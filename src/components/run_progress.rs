//! A short run inside a dialog (delete, reactivate): each step's state as it goes, then the
//! engine's verdict with its evidence, the report, and one way on.

use crate::components::report_actions::ReportActions;
use crate::components::verdict::OpenFacts;
use crate::components::verification::VerificationView;
use crate::runs::RunHandle;
use leptos::prelude::*;
use offboard_engine::run::journal::StepStatus;
use offboard_engine::run::report;

#[component]
pub fn RunProgress(
    run: RunHandle,
    /// Said while the run is going, e.g. "Deleting…".
    working: &'static str,
    /// The button once it is over: its label and what it does (none for a run shown beside
    /// another that has it).
    #[prop(optional)]
    finish: Option<(&'static str, Callback<()>)>,
) -> impl IntoView {
    let steps = move || {
        run.with(|journal| {
            journal
                .plan
                .steps
                .iter()
                .zip(&journal.steps)
                .enumerate()
                .map(|(index, (step, state))| {
                    let done = report::progress(journal, index).describe();
                    let word = match &state.status {
                        StepStatus::Pending => "waiting".to_string(),
                        StepStatus::Running => "running".to_string(),
                        StepStatus::Done => "done".to_string(),
                        StepStatus::Failed { summary } => format!("incomplete: {summary}"),
                        StepStatus::Skipped { reason } => format!("skipped: {reason}"),
                    };
                    let detail = if done.is_empty() { word } else { format!("{done} — {word}") };
                    view! { <li><strong>{step.title.clone()}</strong>" "<span class="phase-detail">{detail}</span></li> }
                })
                .collect_view()
        })
    };
    let verdict = move || {
        if run.busy() || run.with(|journal| journal.verifications.is_empty()) {
            return view! { <p class="verdict running" role="status">{working}</p> }.into_any();
        }
        let verdict = run.with(report::verdict);
        let tone = verdict.tone();
        // Reassigned keys are the outcome that was chosen: said, not alarmed.
        let role = if tone == "fail" { "alert" } else { "status" };
        let evidence = run.with(|journal| journal.latest_verification().cloned());
        view! {
            <div class=format!("verdict {tone}") role=role>
                <p>{format!("{} {}", verdict.headline, verdict.summary)}</p>
                <OpenFacts verdict=verdict />
            </div>
            {evidence.map(|verification| view! { <VerificationView verification=verification /> })}
        }
        .into_any()
    };
    let finish = finish.map(|(label, on_finish)| {
        view! {
            <div class="actions">
                <button type="button" class="primary" disabled=move || run.busy()
                    on:click=move |_| on_finish.run(())>{label}</button>
            </div>
        }
    });
    view! {
        <ol class="phases compact-phases">{steps}</ol>
        {verdict}
        {move || (!run.busy()).then(|| view! { <ReportActions run=run /> })}
        {finish}
    }
}
