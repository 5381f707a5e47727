//! The report a run ends with: who, whom, when, every call made, what was verified, and the
//! snapshot, as JSON to file and as a CSV timeline.

use super::journal::{CallOutcome, Check, Journal, StepStatus};
use crate::snapshot::csv;
use crate::time::rfc3339;
use serde_json::{Value, json};

/// Counts for one step, e.g. "200/200 keys revoked".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub changes: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub reads: usize,
    /// Calls that needed more than one attempt.
    pub retried: usize,
}

pub fn tally(journal: &Journal, step: usize) -> Tally {
    let mut tally = Tally::default();
    for call in journal.calls_of(step) {
        if call.attempts > 1 {
            tally.retried += 1;
        }
        if !call.method.is_mutating() {
            tally.reads += 1;
            continue;
        }
        tally.changes += 1;
        match call.outcome {
            CallOutcome::Ok | CallOutcome::AlreadyDone => tally.succeeded += 1,
            CallOutcome::Failed { .. } => tally.failed += 1,
            CallOutcome::Running | CallOutcome::Interrupted => {}
        }
    }
    tally
}

/// The run's verdict in one sentence, from the latest evidence for each fact checked. A run
/// can verify more than once (the wizard checks access, then that the pipelines moved; TD checks
/// again after a minute): a later reading of a fact supersedes an earlier one, and a fact read
/// only earlier still counts.
pub fn verdict(journal: &Journal) -> Option<(bool, String)> {
    let mut latest: Vec<&Check> = Vec::new();
    for check in journal.verifications.iter().flat_map(|v| &v.checks) {
        match latest.iter_mut().find(|seen| seen.kind == check.kind) {
            Some(seen) => *seen = check,
            None => latest.push(check),
        }
    }
    if latest.is_empty() {
        return None;
    }
    let failed: Vec<&str> = latest
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.label.as_str())
        .collect();
    Some(if failed.is_empty() {
        (true, format!("All {} checks passed.", latest.len()))
    } else {
        (false, format!("Failed: {}.", failed.join("; ")))
    })
}

pub fn to_json(journal: &Journal) -> Value {
    let plan = &journal.plan;
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .zip(&journal.steps)
        .enumerate()
        .map(|(index, (step, state))| {
            let counts = tally(journal, index);
            json!({
                "id": step.id,
                "title": step.title,
                "status": state.status,
                "startedAt": state.started_at_ms.map(rfc3339),
                "finishedAt": state.finished_at_ms.map(rfc3339),
                "durationMs": duration(state.started_at_ms, state.finished_at_ms),
                "changes": counts.changes,
                "succeeded": counts.succeeded,
                "failed": counts.failed,
            })
        })
        .collect();
    let calls: Vec<Value> = journal
        .calls
        .iter()
        .map(|call| {
            json!({
                "seq": call.seq,
                "step": plan.steps.get(call.step).map(|s| s.id.as_str()),
                "time": rfc3339(call.started_at_ms),
                "method": call.method,
                "path": call.path,
                "body": (!call.body.is_empty()).then_some(&call.body),
                "status": call.status,
                "durationMs": (call.duration_ms * 10.0).round() / 10.0,
                "attempts": call.attempts,
                "outcome": call.outcome,
            })
        })
        .collect();
    let verifications: Vec<Value> = journal
        .verifications
        .iter()
        .map(|v| json!({ "at": rfc3339(v.at_ms), "passed": v.passed(), "checks": v.checks }))
        .collect();
    let (passed, summary) = verdict(journal).unwrap_or((false, "Not verified yet.".into()));
    json!({
        "offboardReport": 1,
        "id": journal.id,
        "kind": plan.kind,
        "dialect": plan.dialect,
        "endpoint": journal.endpoint,
        "operator": journal.operator,
        "target": plan.target,
        "notifiedAt": journal.notified_at_ms.map(rfc3339),
        "startedAt": rfc3339(journal.created_at_ms),
        "finishedAt": journal.steps.iter().filter_map(|s| s.finished_at_ms).reduce(f64::max).map(rfc3339),
        "verdict": { "passed": passed, "summary": summary },
        "steps": steps,
        "calls": calls,
        "verifications": verifications,
        "snapshot": journal.snapshot,
    })
}

/// The timeline: one row per call.
pub fn to_csv(journal: &Journal) -> String {
    let mut rows = vec![
        [
            "time",
            "step",
            "method",
            "path",
            "status",
            "duration_ms",
            "attempts",
            "outcome",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for call in &journal.calls {
        let step = journal
            .plan
            .steps
            .get(call.step)
            .map_or("", |s| s.id.as_str());
        rows.push(vec![
            rfc3339(call.started_at_ms),
            step.to_string(),
            call.method.to_string(),
            call.path.clone(),
            call.status.map_or(String::new(), |s| s.to_string()),
            format!("{:.1}", call.duration_ms),
            call.attempts.to_string(),
            outcome_word(&call.outcome).to_string(),
        ]);
    }
    for (step, state) in journal.plan.steps.iter().zip(&journal.steps) {
        if let StepStatus::Skipped { reason } = &state.status {
            let at = state.finished_at_ms.map(rfc3339).unwrap_or_default();
            rows.push(vec![
                at,
                step.id.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("skipped: {reason}"),
            ]);
        }
    }
    csv(&rows)
}

pub fn outcome_word(outcome: &CallOutcome) -> &'static str {
    match outcome {
        CallOutcome::Running => "running",
        CallOutcome::Ok => "ok",
        CallOutcome::AlreadyDone => "already done",
        CallOutcome::Failed { .. } => "failed",
        CallOutcome::Interrupted => "interrupted",
    }
}

fn duration(started: Option<f64>, finished: Option<f64>) -> Option<f64> {
    Some(((finished? - started?) * 10.0).round() / 10.0)
}
