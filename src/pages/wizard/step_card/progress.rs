//! A step's progress line: running with its counts, done, failed with what to do next, skipped
//! with its reason, or interrupted by a closed tab.

use crate::runs::{RunHandle, StepState};
use leptos::prelude::*;
use offboard_engine::run::journal::StepStatus;
use offboard_engine::run::verdict::step_retry_may_help;

/// The status's CSS class and its badge's word.
pub fn status_word(status: &StepStatus) -> (&'static str, &'static str) {
    match status {
        StepStatus::Pending => ("pending", "To do"),
        StepStatus::Running => ("running", "Running…"),
        StepStatus::Done => ("done", "Done"),
        StepStatus::Failed { .. } => ("failed", "Needs attention"),
        StepStatus::Skipped { .. } => ("skipped", "Skipped"),
    }
}

/// `1, "key"` → `"1 key"`; `2, "key"` → `"2 keys"`; `0, "read"` → `"no reads"`.
fn plural(n: usize, noun: &str) -> String {
    match n {
        0 => format!("no {noun}s"),
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

#[component]
pub fn StepProgress(run: RunHandle, index: usize, state: Memo<StepState>) -> impl IntoView {
    let retry_may_help = run.select(move |journal| step_retry_may_help(journal, index));
    move || {
        let StepState { status, tally, .. } = state.get();
        let reads = plural(tally.reads, "read");
        let changes = match (tally.changes, tally.failed) {
            (0, _) => reads,
            (n, 0) => format!("{} made, {reads}", plural(n, "change")),
            (n, failed) => format!("{}, {failed} failed, {reads}", plural(n, "change")),
        };
        let calls = tally.reads + tally.changes;
        match status {
            StepStatus::Running => Some(view! {
                <p class="step-progress" role="status"><span class="spinner" aria-hidden="true"></span>{format!("Running: {changes} so far…")}</p>
            }.into_any()),
            StepStatus::Done => Some(view! {
                <p class="step-result ok" role="status">{format!("✓ Done: {changes}.")}</p>
            }.into_any()),
            StepStatus::Failed { summary } => {
                let next = if retry_may_help.get() {
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
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(plural(0, "read"), "no reads");
        assert_eq!(plural(1, "key"), "1 key");
        assert_eq!(plural(3, "call"), "3 calls");
    }
}
