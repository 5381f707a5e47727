//! A step's progress line: running with its counts, done, failed with what to do next, skipped
//! with its reason, or interrupted by a closed tab.

use crate::runs::{RunHandle, StepState};
use leptos::prelude::*;
use offboard_engine::run::journal::StepStatus;
use offboard_engine::run::report::Tally;
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

/// What a finished step did. Done means the step's facts hold: a change that failed was made
/// good by the step's next pass (it lists what is left and removes it), so it is not "failed".
fn done_words(tally: &Tally) -> String {
    let reads = plural(tally.reads, "read");
    let made = plural(tally.succeeded, "change");
    match (tally.succeeded, tally.failed) {
        (0, 0) => reads,
        (_, 0) => format!("{made} made, {reads}"),
        (_, 1) => format!("{made} made, {reads}; 1 failed call was made good on the next pass"),
        (_, failed) => {
            format!("{made} made, {reads}; {failed} failed calls were made good on the next pass")
        }
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
            StepStatus::Done => {
                let done = done_words(&tally);
                Some(view! {
                    <p class="step-result ok" role="status">{format!("✓ Done: {done}.")}</p>
                }.into_any())
            }
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
    use super::*;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(plural(0, "read"), "no reads");
        assert_eq!(plural(1, "key"), "1 key");
        assert_eq!(plural(3, "call"), "3 calls");
    }

    #[test]
    fn a_done_step_counts_what_it_made_and_what_its_next_pass_made_good() {
        let tally = |succeeded, failed, reads| Tally {
            changes: succeeded + failed,
            succeeded,
            failed,
            reads,
            retried: 0,
        };
        assert_eq!(done_words(&tally(0, 0, 6)), "6 reads");
        assert_eq!(done_words(&tally(200, 0, 3)), "200 changes made, 3 reads");
        assert_eq!(
            done_words(&tally(200, 1, 4)),
            "200 changes made, 4 reads; 1 failed call was made good on the next pass"
        );
        assert_eq!(
            done_words(&tally(1, 2, 4)),
            "1 change made, 4 reads; 2 failed calls were made good on the next pass"
        );
    }
}
