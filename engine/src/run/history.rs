//! The history of runs, as the runs page lists them and exports them: one line per run, read
//! from its journal (who ran it, on whom, where, when, the verdict, and the time from
//! notification to access removed), with the search that page offers.

use super::evidence::evidence;
use super::journal::Journal;
use super::plan::RunKind;
use super::verdict::{Outcome, verdict};
use crate::model::Dialect;
use crate::snapshot::csv;
use crate::time::rfc3339;

/// One run, summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    pub id: String,
    pub kind: RunKind,
    pub dialect: Dialect,
    pub endpoint: String,
    /// Who ran it ("Olivia Owner <owner@company.com>").
    pub operator: String,
    pub name: String,
    pub email: String,
    /// What the platform's paths call the person (ADOC id, TD email).
    pub reference: String,
    pub started_at_ms: f64,
    /// When its last step ended, once every step has.
    pub finished_at_ms: Option<f64>,
    pub outcome: Outcome,
    pub headline: String,
    pub notified_at_ms: Option<f64>,
    /// From notification to the last change that took access away, once verified.
    pub removal_ms: Option<f64>,
}

/// Where a run stands, as the page filters and colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Steps are left (interrupted, or still running in another tab).
    Unfinished,
    Verified,
    /// Removed, but reassigned keys work on for someone else.
    KeysLiveOn,
    /// Access is left, or was never read back.
    AccessLeft,
}

impl RunSummary {
    pub fn of(journal: &Journal) -> Self {
        let plan = &journal.plan;
        let verdict = verdict(journal);
        let finished_at_ms = journal.finished_at_ms();
        let removal_ms = super::report::is_offboarding(plan.kind)
            .then(|| evidence(journal).removal_ms())
            .flatten();
        RunSummary {
            id: journal.id.clone(),
            kind: plan.kind,
            dialect: plan.dialect,
            endpoint: journal.endpoint.clone(),
            operator: journal.operator.clone(),
            name: plan.target.name.clone(),
            email: plan.target.email.clone(),
            reference: plan.target.reference.clone(),
            started_at_ms: journal.created_at_ms,
            finished_at_ms,
            outcome: verdict.outcome,
            headline: verdict.headline,
            notified_at_ms: journal.notified_at_ms,
            removal_ms,
        }
    }

    pub fn standing(&self) -> Standing {
        match (self.finished_at_ms, self.outcome) {
            (None, _) => Standing::Unfinished,
            (Some(_), Outcome::Verified) => Standing::Verified,
            (Some(_), Outcome::KeysLiveOn) => Standing::KeysLiveOn,
            (Some(_), Outcome::AccessLeft | Outcome::NotVerified) => Standing::AccessLeft,
        }
    }

    /// The verdict as a list says it: the headline once finished.
    pub fn verdict_words(&self) -> &str {
        match self.standing() {
            Standing::Unfinished => "Not finished",
            _ => &self.headline,
        }
    }

    /// Whether every word of `query` is found (ignoring case) in the person, the reference,
    /// who ran it, the platform or the run's id.
    pub fn matches(&self, query: &str) -> bool {
        let haystack = [
            self.name.as_str(),
            self.email.as_str(),
            self.reference.as_str(),
            self.operator.as_str(),
            self.endpoint.as_str(),
            self.dialect.label(),
            self.kind.label(),
            self.id.as_str(),
        ]
        .join(" ")
        .to_lowercase();
        query
            .split_whitespace()
            .all(|word| haystack.contains(&word.to_lowercase()))
    }
}

impl RunKind {
    /// What the run is called on screen and in exports.
    pub fn label(self) -> &'static str {
        match self {
            RunKind::Wizard => "Guided offboarding",
            RunKind::Emergency => "Emergency lockout",
            RunKind::Verification => "Verification",
            RunKind::Deletion => "Deletion",
            RunKind::Reactivation => "Reactivation",
        }
    }
}

/// Every run, one row each, for a spreadsheet or an auditor's request.
pub fn to_csv(runs: &[RunSummary]) -> String {
    let header = [
        "id",
        "kind",
        "platform",
        "endpoint",
        "run_by",
        "person",
        "email",
        "reference",
        "started",
        "finished",
        "verdict",
        "notified",
        "notified_to_access_removed_s",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    let time = |at: Option<f64>| at.map(rfc3339).unwrap_or_default();
    for run in runs {
        rows.push(vec![
            run.id.clone(),
            run.kind.label().to_string(),
            run.dialect.label().to_string(),
            run.endpoint.clone(),
            run.operator.clone(),
            run.name.clone(),
            run.email.clone(),
            run.reference.clone(),
            rfc3339(run.started_at_ms),
            time(run.finished_at_ms),
            run.verdict_words().to_string(),
            time(run.notified_at_ms),
            run.removal_ms
                .map(|ms| ((ms / 1000.0).round() as u64).to_string())
                .unwrap_or_default(),
        ]);
    }
    csv(&rows)
}
