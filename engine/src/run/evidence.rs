//! What an auditor measures: when the departure was notified, when the account was closed, when
//! the last key was revoked, when access was gone and when that was verified; and the time from
//! notification to access removed, held against the runbook's target and the common controls.
//!
//! The times come from the journal's own records (each call's start and duration, each
//! verification's time), never from the clock at the time the report is drawn, so a report
//! drawn again months later says the same.

use super::journal::{CallKind, CallRecord, Journal};
use super::verdict::verdict;
use crate::dialect::KeyDisposal;
use crate::words::duration as duration_words;
use serde::Serialize;

const MINUTE_MS: f64 = 60_000.0;
const HOUR_MS: f64 = 60.0 * MINUTE_MS;

/// The moments of a run an auditor asks for (epoch ms; `None` when it did not happen).
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub notified_at_ms: Option<f64>,
    /// The account disabled (ADOC), the user removed (TD) or the account deleted, with which.
    pub closed: Option<(AccountClosed, f64)>,
    /// The last API key revoked: by its own call, or with the user it belonged to.
    pub last_key_revoked_at_ms: Option<f64>,
    /// The last change that took access away, once the verdict says none is left.
    pub access_removed_at_ms: Option<f64>,
    /// The verification that proved it, once the verdict passed.
    pub verified_at_ms: Option<f64>,
    pub controls: Vec<ControlResult>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountClosed {
    Disabled,
    Removed,
    Deleted,
}

impl AccountClosed {
    pub fn label(self) -> &'static str {
        match self {
            AccountClosed::Disabled => "Account disabled",
            AccountClosed::Removed => "User removed",
            AccountClosed::Deleted => "Account deleted",
        }
    }
}

/// One control's target and whether this run met it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlResult {
    pub control: &'static str,
    pub requirement: &'static str,
    /// The limit from notification to access removed, where the control sets a number.
    pub limit_ms: Option<f64>,
    pub status: ControlStatus,
    /// The finding in a sentence, beside the status (see [`ControlStatus::label`]).
    pub finding: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    Met,
    NotMet,
    /// The control names no number ("timely", "immediately"): the time is stated for the
    /// assessor to judge.
    NoFixedLimit,
    /// No notification time, so nothing can be measured against it.
    Unknown,
}

impl ControlStatus {
    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Met => "Met",
            ControlStatus::NotMet => "Not met",
            ControlStatus::NoFixedLimit => "No fixed limit",
            ControlStatus::Unknown => "Unknown",
        }
    }
}

/// The controls the report measures against, with the limit each sets (if any).
struct Control {
    name: &'static str,
    requirement: &'static str,
    limit_ms: Option<f64>,
}

const CONTROLS: [Control; 5] = [
    Control {
        name: "SOC 2 CC6.2",
        requirement: "Credentials removed when a user is no longer authorized, in the organisation's own time limit",
        limit_ms: None,
    },
    Control {
        name: "ISO/IEC 27001:2022 A.5.18",
        requirement: "Access rights removed on termination, as the access control policy sets",
        limit_ms: None,
    },
    Control {
        name: "NIST SP 800-53 PS-4, FedRAMP High",
        requirement: "System access disabled within 1 hour of termination",
        limit_ms: Some(HOUR_MS),
    },
    Control {
        name: "NIST SP 800-53 PS-4, FedRAMP Moderate",
        requirement: "System access disabled within 4 hours of termination",
        limit_ms: Some(4.0 * HOUR_MS),
    },
    Control {
        name: "PCI DSS v4.0 8.2.5",
        requirement: "Access for terminated users revoked immediately",
        limit_ms: None,
    },
];

pub fn evidence(journal: &Journal) -> Evidence {
    let finished = |call: &&CallRecord| call.outcome.succeeded();
    let end = |call: &CallRecord| call.started_at_ms + call.duration_ms;
    let changes = || journal.calls.iter().filter(finished);
    let closed = changes().find_map(|call| {
        let how = match call.kind {
            CallKind::Disable => AccountClosed::Disabled,
            CallKind::RemoveUser => AccountClosed::Removed,
            CallKind::DeleteUser => AccountClosed::Deleted,
            _ => return None,
        };
        Some((how, end(call)))
    });
    // Keys removed with their user (TD, deleted rather than reassigned) go at the removal.
    let keys_go_with_user = journal.plan.key_disposal() == KeyDisposal::Delete;
    let last_key_revoked_at_ms = changes()
        .filter(|call| match call.kind {
            CallKind::RevokeKey { .. } => true,
            CallKind::RemoveUser | CallKind::DeleteUser => keys_go_with_user,
            _ => false,
        })
        .map(end)
        .reduce(f64::max);
    let passed = verdict(journal).passed();
    let access_removed_at_ms = changes()
        .filter(|call| takes_access_away(&call.kind))
        .map(end)
        .reduce(f64::max)
        .filter(|_| passed);
    let verified_at_ms = journal
        .verifications
        .iter()
        .map(|v| v.at_ms)
        .reduce(f64::max)
        .filter(|_| passed);
    let notified_at_ms = journal.notified_at_ms;
    let elapsed = notified_at_ms.zip(access_removed_at_ms).map(|(n, r)| r - n);
    // The platform's own runbook first, where it sets a time (Acceldata: one hour).
    let runbook = journal
        .plan
        .dialect
        .api()
        .completion_target_minutes()
        .map(|minutes| Control {
            name: "The platform's offboarding runbook",
            requirement: match minutes {
                60 => "Offboarding completed within 1 hour of the departure notification",
                _ => "Offboarding completed within the runbook's time of the notification",
            },
            limit_ms: Some(f64::from(minutes) * MINUTE_MS),
        });
    let controls = runbook
        .iter()
        .chain(&CONTROLS)
        .map(|control| judge(control, notified_at_ms.is_some(), passed, elapsed))
        .collect();
    Evidence {
        notified_at_ms,
        closed,
        last_key_revoked_at_ms,
        access_removed_at_ms,
        verified_at_ms,
        controls,
    }
}

impl Evidence {
    /// From notification to the last change that took access away, once verified.
    pub fn removal_ms(&self) -> Option<f64> {
        Some(self.access_removed_at_ms? - self.notified_at_ms?)
    }

    /// From notification to the verification that proved it.
    pub fn verified_ms(&self) -> Option<f64> {
        Some(self.verified_at_ms? - self.notified_at_ms?)
    }
}

/// Changes that take access away (not reads, not bringing access back).
fn takes_access_away(kind: &CallKind) -> bool {
    matches!(
        kind,
        CallKind::Disable
            | CallKind::RevokeKey { .. }
            | CallKind::RemoveGroups { .. }
            | CallKind::RemoveUser
            | CallKind::DeleteUser
    )
}

fn judge(control: &Control, notified: bool, passed: bool, elapsed: Option<f64>) -> ControlResult {
    let (status, finding) = match (notified, passed, elapsed, control.limit_ms) {
        (false, _, _, _) => (
            ControlStatus::Unknown,
            "No notification time was recorded, so the time to removal is not known.".to_string(),
        ),
        (true, false, _, _) | (true, true, None, _) => (
            ControlStatus::NotMet,
            "Access is not proved removed: see the verdict.".to_string(),
        ),
        (true, true, Some(took), Some(limit)) if took <= limit => (
            ControlStatus::Met,
            format!(
                "Access removed {} after notification, within {}.",
                duration_words(took),
                duration_words(limit)
            ),
        ),
        (true, true, Some(took), Some(limit)) => (
            ControlStatus::NotMet,
            format!(
                "Access removed {} after notification, {} over the {} limit.",
                duration_words(took),
                duration_words(took - limit),
                duration_words(limit)
            ),
        ),
        (true, true, Some(took), None) => (
            ControlStatus::NoFixedLimit,
            format!(
                "Access removed {} after notification, for the assessor to judge.",
                duration_words(took)
            ),
        ),
    };
    ControlResult {
        control: control.name,
        requirement: control.requirement,
        limit_ms: control.limit_ms,
        status,
        finding,
    }
}
