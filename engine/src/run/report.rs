//! The report a run ends with: who, whom, when, every call made, what was verified, the
//! snapshot, and the evidence auditors measure (see [`super::evidence`]), as JSON to file and
//! as a CSV timeline.

use super::evidence::{Evidence, evidence};
use super::journal::{CallKind, CallOutcome, Journal, StepStatus};
use super::plan::{Action, RunKind};
use super::verdict::{FactState, Verdict};
use crate::snapshot::{Snapshot, csv};
use crate::time::rfc3339;
use crate::words;
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
        if !call.kind.is_change() {
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

/// What one step has achieved so far, for a live timeline ("200/200 keys revoked").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub keys_revoked: usize,
    pub keys_attempted: usize,
    /// Of the keys revoked, those someone else had revoked first (their delete found them gone).
    pub keys_already_gone: usize,
    pub groups_removed: usize,
    pub pipelines_moved: usize,
    pub users_removed: usize,
    pub accounts_disabled: usize,
    pub accounts_enabled: usize,
    pub groups_restored: usize,
    pub checks_passed: usize,
    pub checks: usize,
}

pub fn progress(journal: &Journal, step: usize) -> Progress {
    let mut progress = Progress::default();
    let mut keys = std::collections::BTreeSet::new();
    let mut revoked = std::collections::BTreeSet::new();
    let mut revoked_here = std::collections::BTreeSet::new();
    for call in journal.calls_of(step) {
        let done = call.outcome.succeeded();
        match &call.kind {
            CallKind::RevokeKey { key } => {
                keys.insert(key);
                if done {
                    revoked.insert(key);
                }
                if call.outcome == CallOutcome::Ok {
                    revoked_here.insert(key);
                }
            }
            _ if !done => {}
            CallKind::Read => {}
            CallKind::RemoveGroups { groups } => progress.groups_removed += groups.len(),
            CallKind::AssignGroups { groups } => progress.groups_restored += groups.len(),
            CallKind::TransferPipeline { .. } => progress.pipelines_moved += 1,
            CallKind::RemoveUser | CallKind::DeleteUser => progress.users_removed += 1,
            CallKind::Disable => progress.accounts_disabled += 1,
            CallKind::Enable => progress.accounts_enabled += 1,
        }
    }
    progress.keys_attempted = keys.len();
    progress.keys_revoked = revoked.len();
    progress.keys_already_gone = revoked.difference(&revoked_here).count();
    let verifies = journal
        .plan
        .steps
        .get(step)
        .is_some_and(|s| matches!(s.action, Action::Verify { .. }));
    if let (true, Some(verification)) = (verifies, journal.latest_verification()) {
        progress.checks = verification.checks.len();
        progress.checks_passed = verification.checks.iter().filter(|c| c.passed).count();
    }
    progress
}

impl Progress {
    /// "200/200 keys revoked, 50 groups removed": only what the step touched.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.accounts_disabled > 0 {
            parts.push("account disabled".to_string());
        }
        if self.accounts_enabled > 0 {
            parts.push("account enabled".to_string());
        }
        if self.groups_restored > 0 {
            parts.push(format!(
                "{} restored",
                words::count(self.groups_restored, "group")
            ));
        }
        if self.keys_attempted > 0 {
            // Another admin (or a retry after a lost answer) may have revoked some first.
            let gone = match self.keys_already_gone {
                0 => String::new(),
                n => format!(" ({n} of them already gone)"),
            };
            parts.push(format!(
                "{}/{} revoked{gone}",
                self.keys_revoked,
                words::count(self.keys_attempted, "key")
            ));
        }
        if self.groups_removed > 0 {
            parts.push(format!(
                "{} removed",
                words::count(self.groups_removed, "group")
            ));
        }
        if self.pipelines_moved > 0 {
            parts.push(format!(
                "{} moved",
                words::count(self.pipelines_moved, "pipeline")
            ));
        }
        if self.users_removed > 0 {
            parts.push("user removed".to_string());
        }
        if self.checks > 0 {
            parts.push(format!(
                "{}/{} passed",
                self.checks_passed,
                words::count(self.checks, "check")
            ));
        }
        parts.join(", ")
    }
}

/// The run's verdict: see [`super::verdict`].
pub fn verdict(journal: &Journal) -> Verdict {
    super::verdict::verdict(journal)
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
    let verdict = verdict(journal);
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
        "finishedAt": journal.last_step_ended_at_ms().map(rfc3339),
        "verdict": {
            "passed": verdict.passed(),
            "outcome": verdict.outcome,
            "headline": verdict.headline,
            "summary": verdict.summary,
            "facts": verdict.facts,
        },
        "evidence": is_offboarding(plan.kind).then(|| evidence_json(&evidence(journal))),
        "steps": steps,
        "concurrency": journal.concurrency,
        "calls": calls,
        "verifications": verifications,
        "snapshot": journal.snapshot.as_ref().map(Snapshot::to_json),
    })
}

/// The report as the file holds it: the text downloaded, written by the command line, and
/// whose SHA-256 the printed copy carries (so the two can be matched).
pub fn to_json_text(journal: &Journal) -> String {
    let mut text = serde_json::to_string_pretty(&to_json(journal)).unwrap_or_default();
    text.push('\n');
    text
}

/// Runs that take access away carry the evidence auditors measure; a verification or a
/// reactivation has no removal to time.
pub fn is_offboarding(kind: RunKind) -> bool {
    matches!(
        kind,
        RunKind::Wizard | RunKind::Emergency | RunKind::Deletion
    )
}

fn evidence_json(evidence: &Evidence) -> Value {
    json!({
        "notifiedAt": evidence.notified_at_ms.map(rfc3339),
        "accountClosed": evidence.closed.map(|(how, at)| json!({ "how": how, "at": rfc3339(at) })),
        "lastKeyRevokedAt": evidence.last_key_revoked_at_ms.map(rfc3339),
        "accessRemovedAt": evidence.access_removed_at_ms.map(rfc3339),
        "verifiedAt": evidence.verified_at_ms.map(rfc3339),
        "notifiedToAccessRemovedMs": evidence.removal_ms().map(|ms| ms.round()),
        "notifiedToVerifiedMs": evidence.verified_ms().map(|ms| ms.round()),
        "controls": evidence.controls,
    })
}

/// The evidence as CSV rows: the moments, then one row per control with its finding.
fn evidence_rows(evidence: &Evidence) -> Vec<Vec<String>> {
    let time = |at: Option<f64>| at.map(rfc3339).unwrap_or_else(|| "—".to_string());
    let mut moments = vec![("Notified", time(evidence.notified_at_ms))];
    if let Some((how, at)) = evidence.closed {
        moments.push((how.label(), time(Some(at))));
    }
    moments.extend([
        ("Last key revoked", time(evidence.last_key_revoked_at_ms)),
        ("Access removed", time(evidence.access_removed_at_ms)),
        ("Verified", time(evidence.verified_at_ms)),
    ]);
    let row = |step: &str, what: &str, value: String| {
        vec![
            String::new(),
            step.to_string(),
            String::new(),
            what.to_string(),
            String::new(),
            String::new(),
            String::new(),
            value,
        ]
    };
    let mut rows: Vec<Vec<String>> = moments
        .into_iter()
        .map(|(what, at)| row("evidence", what, at))
        .collect();
    for control in &evidence.controls {
        let finding = format!("{}. {}", control.status.label(), control.finding);
        rows.push(row("control", control.control, finding));
    }
    rows
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
            tenths(call.duration_ms),
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
    if let Some(concurrency) = &journal.concurrency {
        rows.push(vec![
            String::new(),
            "concurrency".to_string(),
            String::new(),
            "calls in flight".to_string(),
            String::new(),
            String::new(),
            String::new(),
            concurrency.describe(),
        ]);
    }
    if is_offboarding(journal.plan.kind) {
        rows.extend(evidence_rows(&evidence(journal)));
    }
    // The verdict closes the timeline, one row per fact, so the CSV alone tells what is left.
    let verdict = verdict(journal);
    for fact in &verdict.facts {
        let state = match fact.state {
            FactState::Holds => "holds".to_string(),
            FactState::Left => format!("left: {}", fact.to_do.as_deref().unwrap_or_default()),
            FactState::NotChecked => {
                format!("not checked: {}", fact.to_do.as_deref().unwrap_or_default())
            }
        };
        rows.push(vec![
            String::new(),
            "verdict".to_string(),
            String::new(),
            fact.label.clone(),
            String::new(),
            String::new(),
            String::new(),
            state,
        ]);
    }
    rows.push(vec![
        String::new(),
        "verdict".to_string(),
        String::new(),
        verdict.headline.clone(),
        String::new(),
        String::new(),
        String::new(),
        verdict.summary.clone(),
    ]);
    csv(&rows)
}

/// `12.34` → `"12.3"`, without float formatting (which costs the wasm 10 kB).
fn tenths(ms: f64) -> String {
    let tenths = (ms.max(0.0) * 10.0).round() as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
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

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn keys_someone_else_revoked_first_are_said_to_be_gone() {
        let mine = Progress {
            keys_revoked: 200,
            keys_attempted: 200,
            groups_removed: 50,
            ..Progress::default()
        };
        assert_eq!(mine.describe(), "200/200 keys revoked, 50 groups removed");
        let shared = Progress {
            keys_already_gone: 87,
            ..mine
        };
        assert_eq!(
            shared.describe(),
            "200/200 keys revoked (87 of them already gone), 50 groups removed"
        );
    }
}
