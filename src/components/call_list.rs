//! The calls a step made, live: what, when, the answer, how long, how many attempts.

use crate::format::{milliseconds, thousands};
use crate::runs::RunHandle;
use leptos::prelude::*;
use offboard_engine::run::journal::{CallOutcome, CallRecord};
use offboard_engine::run::report::outcome_word;
use offboard_engine::time::rfc3339;

/// Beyond this many calls, only failed ones are listed (plus a count): a 200-key revocation
/// should not push the verdict off the screen.
const LIST_LIMIT: usize = 25;

#[component]
pub fn CallList(run: RunHandle, step: usize) -> impl IntoView {
    let calls = move || run.with(|journal| journal.calls_of(step).cloned().collect::<Vec<_>>());
    move || {
        let calls = calls();
        if calls.is_empty() {
            return None;
        }
        let total = calls.len();
        let shown: Vec<CallRecord> = if total > LIST_LIMIT {
            calls
                .into_iter()
                .filter(|call| matches!(call.outcome, CallOutcome::Failed { .. }))
                .collect()
        } else {
            calls
        };
        let note = (total > LIST_LIMIT).then(|| match shown.len() {
            0 => format!(
                "{} calls made, none failed. The report has every call.",
                thousands(total as u64)
            ),
            1 => format!(
                "{} calls made; the one that failed is listed below. The report has every call.",
                thousands(total as u64)
            ),
            failed => format!(
                "{} calls made; the {} that failed are listed below. The report has every call.",
                thousands(total as u64),
                thousands(failed as u64)
            ),
        });
        Some(view! {
            {note.map(|note| view! { <p class="hint">{note}</p> })}
            {(!shown.is_empty()).then(|| view! {
                <table class="calls-table compact">
                    <thead><tr>
                        <th scope="col">"Time"</th><th scope="col">"Call"</th><th scope="col">"Status"</th>
                        <th scope="col">"Took"</th><th scope="col">"Tries"</th><th scope="col">"Result"</th>
                    </tr></thead>
                    <tbody>{shown.into_iter().map(|call| view! { <CallRow call=call /> }).collect_view()}</tbody>
                </table>
            })}
        })
    }
}

#[component]
fn CallRow(call: CallRecord) -> impl IntoView {
    let time = rfc3339(call.started_at_ms);
    let clock = time.get(11..19).unwrap_or_default().to_string();
    let (class, problem) = match &call.outcome {
        CallOutcome::Failed { summary, detail } => {
            ("outcome-failed", Some((summary.clone(), detail.clone())))
        }
        CallOutcome::Ok | CallOutcome::AlreadyDone => ("outcome-ok", None),
        _ => ("outcome-pending", None),
    };
    // `data-label`: on a phone the header row is hidden and each cell shows its column's name
    // from this attribute (CSS `attr()`, which the CSP allows), so "200 12 ms 1 ok" is labelled.
    view! {
        <tr class=class>
            <td title=time data-label="Time">{clock}</td>
            <td data-label="Call"><code>{call.line()}</code>
                {problem.map(|(summary, detail)| view! {
                    <div class="call-problem">{summary}<details><summary>"Technical detail"</summary><pre>{detail}</pre></details></div>
                })}
            </td>
            <td data-label="Status">{call.status.map_or("—".to_string(), |s| s.to_string())}</td>
            <td data-label="Took">{milliseconds(call.duration_ms)}</td>
            <td data-label="Tries">{call.attempts}</td>
            <td data-label="Result">{outcome_word(&call.outcome)}</td>
        </tr>
    }
}
