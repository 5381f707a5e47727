//! The journal: everything about a run that must survive a reloaded or closed tab, and
//! everything its report is made of. It holds no secret: requests carry no credentials, and
//! bodies carry attributes and public ids only.
//!
//! Resuming is safe because steps reconcile (they list what is left before changing anything)
//! and because a change that finished is never sent again ([`Journal::finished_change`]).

use super::plan::{CheckKind, Plan};
use crate::congestion::ConcurrencyRecord;
use crate::http::{Method, Request};
use crate::json::{Fields, FromJson, Read};
use crate::snapshot::Snapshot;
use serde::Serialize;
use serde_json::Value;

/// Where a step stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum StepStatus {
    Pending,
    Running,
    Done,
    /// Finished, but something is left (failed calls, failed checks, or remaining items).
    Failed {
        summary: String,
    },
    /// Skipped by the person, with the reason they typed (it goes into the report).
    Skipped {
        reason: String,
    },
}

impl StepStatus {
    pub fn is_finished(&self) -> bool {
        matches!(self, StepStatus::Done | StepStatus::Skipped { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepState {
    pub status: StepStatus,
    pub started_at_ms: Option<f64>,
    pub finished_at_ms: Option<f64>,
}

/// How one call ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum CallOutcome {
    Running,
    Ok,
    /// The thing to remove was already gone (404 on a revoke): the goal holds.
    AlreadyDone,
    Failed {
        summary: String,
        detail: String,
    },
    /// The tab closed while it was in flight: whether it took effect is unknown, and the step's
    /// reconciliation finds out.
    Interrupted,
}

impl CallOutcome {
    pub fn succeeded(&self) -> bool {
        matches!(self, CallOutcome::Ok | CallOutcome::AlreadyDone)
    }
}

/// What a call was for, as the runner knew when it sent it: progress, report and verdict read
/// this, never the call's path or body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CallKind {
    /// A read: a list, an account, a check's evidence.
    Read,
    Disable,
    Enable,
    RevokeKey {
        key: String,
    },
    RemoveGroups {
        groups: Vec<String>,
    },
    AssignGroups {
        groups: Vec<String>,
    },
    TransferPipeline {
        uid: String,
    },
    /// TD: the user removed (their keys deleted or reassigned with them).
    RemoveUser,
    /// ADOC: the account deleted.
    DeleteUser,
}

impl CallKind {
    /// Whether the call changes something on the platform (a read changes nothing).
    pub fn is_change(&self) -> bool {
        *self != CallKind::Read
    }

    /// The call in a few words ("key revocation"), for a dialect that has no such call.
    pub fn noun(&self) -> &'static str {
        match self {
            CallKind::Read => "read",
            CallKind::Disable => "account disabling",
            CallKind::Enable => "account enabling",
            CallKind::RevokeKey { .. } => "key revocation",
            CallKind::RemoveGroups { .. } => "group removal",
            CallKind::AssignGroups { .. } => "group assignment",
            CallKind::TransferPipeline { .. } => "pipeline transfer",
            CallKind::RemoveUser => "user removal",
            CallKind::DeleteUser => "account deletion",
        }
    }
}

/// One HTTP call as made: the report's timeline row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    pub seq: u32,
    pub step: usize,
    pub kind: CallKind,
    pub method: Method,
    pub path: String,
    /// The request body as shown in previews (no credentials are ever in a body).
    pub body: String,
    pub started_at_ms: f64,
    pub duration_ms: f64,
    pub attempts: u32,
    pub status: Option<u16>,
    pub outcome: CallOutcome,
}

impl CallRecord {
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    fn is_same_change(&self, request: &Request) -> bool {
        self.method == request.method
            && self.path == request.path
            && self.body == request.body_text()
    }
}

/// One verification: a fact, whether it holds, and what was read to decide.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub kind: CheckKind,
    pub label: String,
    pub passed: bool,
    /// The call made and what it answered, e.g. `GET …/api-keys → 0 keys`.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub at_ms: f64,
    pub checks: Vec<Check>,
}

impl Verification {
    pub fn passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|check| check.passed)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Journal {
    /// Bumped when the format changes; older journals are not resumed.
    pub format: u32,
    pub id: String,
    pub plan: Plan,
    /// Who ran it ("Olivia Owner <owner@company.com>") and against which endpoint.
    pub operator: String,
    pub endpoint: String,
    pub created_at_ms: f64,
    /// Wizard: when the departure was notified; the runbook's one-hour clock starts there.
    pub notified_at_ms: Option<f64>,
    /// The "document current access" snapshot, once taken.
    pub snapshot: Option<Snapshot>,
    pub steps: Vec<StepState>,
    pub calls: Vec<CallRecord>,
    pub verifications: Vec<Verification>,
    /// How many calls were in flight at once, over which protocol, and how often the run backed
    /// off; `None` until a call was made.
    pub concurrency: Option<ConcurrencyRecord>,
}

/// 2: every call records its [`CallKind`]; the plan its decisions; the snapshot is typed.
pub const FORMAT: u32 = 2;

impl Journal {
    pub fn new(plan: Plan, operator: String, endpoint: String, now_ms: f64) -> Self {
        let steps = plan
            .steps
            .iter()
            .map(|_| StepState {
                status: StepStatus::Pending,
                started_at_ms: None,
                finished_at_ms: None,
            })
            .collect();
        let id = format!(
            "{}-{}-{}",
            kind_word(&plan),
            plan.target.reference,
            now_ms as u64
        );
        Self {
            format: FORMAT,
            id,
            plan,
            operator,
            endpoint,
            created_at_ms: now_ms,
            notified_at_ms: None,
            snapshot: None,
            steps,
            calls: Vec::new(),
            verifications: Vec::new(),
            concurrency: None,
        }
    }

    /// Reads a journal back, marking calls that were in flight when the tab went away.
    pub fn restore(json: &str) -> Option<Self> {
        let value: Value = serde_json::from_str(json).ok()?;
        let mut journal = Journal::from_json(&value).ok()?;
        if journal.format != FORMAT {
            return None;
        }
        for call in &mut journal.calls {
            if call.outcome == CallOutcome::Running {
                call.outcome = CallOutcome::Interrupted;
            }
        }
        for step in &mut journal.steps {
            if step.status == StepStatus::Running {
                step.status = StepStatus::Pending;
            }
        }
        Some(journal)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The earlier successful record of this exact change, if any: it must not be sent again.
    pub fn finished_change(&self, request: &Request) -> Option<&CallRecord> {
        if !request.method.is_mutating() {
            return None;
        }
        self.calls
            .iter()
            .find(|call| call.outcome.succeeded() && call.is_same_change(request))
    }

    /// The first step not yet finished; `None` when the run is complete.
    pub fn next_step(&self) -> Option<usize> {
        self.steps
            .iter()
            .position(|step| !step.status.is_finished())
    }

    pub fn is_complete(&self) -> bool {
        self.next_step().is_none()
    }

    pub fn calls_of(&self, step: usize) -> impl Iterator<Item = &CallRecord> {
        self.calls.iter().filter(move |call| call.step == step)
    }

    /// Marks `step` skipped; a reason is required because it goes into the report.
    pub fn skip(&mut self, step: usize, reason: &str, now_ms: f64) -> Result<(), &'static str> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err("Type why this step is skipped: the reason goes into the report.");
        }
        let state = self.steps.get_mut(step).ok_or("no such step")?;
        state.status = StepStatus::Skipped {
            reason: reason.to_string(),
        };
        state.finished_at_ms = Some(now_ms);
        Ok(())
    }

    /// When the last step to end ended (complete or not).
    pub fn last_step_ended_at_ms(&self) -> Option<f64> {
        self.steps
            .iter()
            .filter_map(|step| step.finished_at_ms)
            .reduce(f64::max)
    }

    /// When the run finished: its last step's end, once every step is done or skipped.
    pub fn finished_at_ms(&self) -> Option<f64> {
        self.last_step_ended_at_ms().filter(|_| self.is_complete())
    }

    pub fn latest_verification(&self) -> Option<&Verification> {
        self.verifications.last()
    }
}

fn kind_word(plan: &Plan) -> &'static str {
    match plan.kind {
        super::plan::RunKind::Wizard => "offboarding",
        super::plan::RunKind::Emergency => "emergency",
        super::plan::RunKind::Verification => "verification",
        super::plan::RunKind::Deletion => "deletion",
        super::plan::RunKind::Reactivation => "reactivation",
    }
}

// Reading the journal back: see `crate::json` (the JSON is the one `Serialize` writes).

crate::deserialize_from_json!(
    StepStatus,
    StepState,
    CallOutcome,
    CallKind,
    CallRecord,
    Check,
    Verification,
    Journal
);

impl FromJson for StepStatus {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(match fields.req::<String>("state")?.as_str() {
            "pending" => StepStatus::Pending,
            "running" => StepStatus::Running,
            "done" => StepStatus::Done,
            "failed" => StepStatus::Failed {
                summary: fields.req("summary")?,
            },
            "skipped" => StepStatus::Skipped {
                reason: fields.req("reason")?,
            },
            _ => return Err("unknown step state"),
        })
    }
}

impl FromJson for StepState {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(StepState {
            status: fields.req("status")?,
            started_at_ms: fields.opt("startedAtMs")?,
            finished_at_ms: fields.opt("finishedAtMs")?,
        })
    }
}

impl FromJson for CallOutcome {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(match fields.req::<String>("state")?.as_str() {
            "running" => CallOutcome::Running,
            "ok" => CallOutcome::Ok,
            "already-done" => CallOutcome::AlreadyDone,
            "failed" => CallOutcome::Failed {
                summary: fields.req("summary")?,
                detail: fields.req("detail")?,
            },
            "interrupted" => CallOutcome::Interrupted,
            _ => return Err("unknown call state"),
        })
    }
}

impl FromJson for CallKind {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(match fields.req::<String>("kind")?.as_str() {
            "read" => CallKind::Read,
            "disable" => CallKind::Disable,
            "enable" => CallKind::Enable,
            "revoke-key" => CallKind::RevokeKey {
                key: fields.req("key")?,
            },
            "remove-groups" => CallKind::RemoveGroups {
                groups: fields.req("groups")?,
            },
            "assign-groups" => CallKind::AssignGroups {
                groups: fields.req("groups")?,
            },
            "transfer-pipeline" => CallKind::TransferPipeline {
                uid: fields.req("uid")?,
            },
            "remove-user" => CallKind::RemoveUser,
            "delete-user" => CallKind::DeleteUser,
            _ => return Err("unknown call kind"),
        })
    }
}

impl FromJson for CallRecord {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(CallRecord {
            seq: fields.req("seq")?,
            step: fields.req("step")?,
            kind: fields.req("kind")?,
            method: fields.req("method")?,
            path: fields.req("path")?,
            body: fields.req("body")?,
            started_at_ms: fields.req("startedAtMs")?,
            duration_ms: fields.req("durationMs")?,
            attempts: fields.req("attempts")?,
            status: fields.opt("status")?,
            outcome: fields.req("outcome")?,
        })
    }
}

impl FromJson for Check {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Check {
            kind: fields.req("kind")?,
            label: fields.req("label")?,
            passed: fields.req("passed")?,
            evidence: fields.req("evidence")?,
        })
    }
}

impl FromJson for Verification {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Verification {
            at_ms: fields.req("atMs")?,
            checks: fields.req("checks")?,
        })
    }
}

impl FromJson for Journal {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Journal {
            format: fields.req("format")?,
            id: fields.req("id")?,
            plan: fields.req("plan")?,
            operator: fields.req("operator")?,
            endpoint: fields.req("endpoint")?,
            created_at_ms: fields.req("createdAtMs")?,
            notified_at_ms: fields.opt("notifiedAtMs")?,
            snapshot: fields.opt("snapshot")?,
            steps: fields.req("steps")?,
            calls: fields.req("calls")?,
            verifications: fields.req("verifications")?,
            concurrency: fields.opt("concurrency")?,
        })
    }
}
