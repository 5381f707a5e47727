//! Running a plan's steps: every call recorded in the journal, changes sent at most once, as
//! many requests in flight as the connection's congestion window allows (six over HTTP/1.1,
//! more over HTTP/2: see [`crate::congestion`]), and every step reconciling (it lists what is
//! left, removes it, and lists again) so that a retry, a resume or a key created mid-run all end
//! the same way.

use super::journal::{CallKind, CallOutcome, CallRecord, Journal, StepStatus};
use super::plan::Target;
use super::plan::{Action, CheckKind, Departure};
use super::verify;
use crate::client::{Client, parse_json};
use crate::congestion::ConcurrencyRecord;
use crate::dialect::{Capability, DialectApi, KeyDisposal, every_page, not_offered};
use crate::error::ApiError;
use crate::http::{Clock, Request, Response, Transport};
use crate::model::ApiKey;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::Value;
use std::cell::RefCell;

/// How many times a step lists and removes again before it reports what is left.
const ROUNDS: usize = 3;

/// A listing a step cannot go on without, asked again (up to [`ROUNDS`] times) while it fails
/// for a passing reason (5xx, 429, no answer). Each try already had the client's own attempts,
/// but under a platform failing one call in five, five failures in a row still come once in
/// 3,000 calls, and one failed listing would end a 200-key step that a removal failing the same
/// way would only have delayed (its key shows up in the next round's list).
async fn patiently<T, F, Fut>(read: F) -> Result<T, ApiError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let mut tries = 1;
    loop {
        match read().await {
            Err(error) if error.is_transient() && tries < ROUNDS => tries += 1,
            answer => return answer,
        }
    }
}

/// What a 404 means for a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnMissing {
    /// The thing to remove is already gone: the goal holds (revoking a key, removing a user).
    Done,
    /// The thing was needed: a 404 is an error.
    Fail,
}

/// A call's answer, once it is known to have reached its goal.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Response(Response),
    /// Already removed, or this exact change finished earlier in the run.
    AlreadyDone,
}

impl Answer {
    /// The JSON body (`null` when already done).
    pub fn json(&self) -> Result<Value, ApiError> {
        match self {
            Answer::Response(response) => parse_json(response),
            Answer::AlreadyDone => Ok(Value::Null),
        }
    }
}

pub struct Runner<'a, T, C> {
    client: &'a Client<T, C>,
    journal: &'a RefCell<Journal>,
    /// What the journal said of the calls in flight before this runner (a resumed run).
    earlier_concurrency: Option<ConcurrencyRecord>,
    on_change: &'a dyn Fn(),
}

impl<'a, T: Transport, C: Clock> Runner<'a, T, C> {
    /// `on_change` is called after every recorded change to the journal (to render, persist).
    pub fn new(
        client: &'a Client<T, C>,
        journal: &'a RefCell<Journal>,
        on_change: &'a dyn Fn(),
    ) -> Self {
        let earlier_concurrency = journal.borrow().concurrency;
        Self {
            client,
            journal,
            earlier_concurrency,
            on_change,
        }
    }

    /// Runs every step not yet finished, in order, continuing past a failed one: in an
    /// emergency each step still takes access away even if the one before left something.
    pub async fn run_remaining(&self) {
        let count = self.journal.borrow().steps.len();
        for index in 0..count {
            let finished = self.journal.borrow().steps[index].status.is_finished();
            if !finished {
                self.run_step(index).await;
            }
        }
    }

    /// The guided steps without a person at each one (a scheduled or bulk run): step 1
    /// documents access, the plan is redrawn from what it found with the departure decided
    /// beforehand (the disable call, the hand-over), then every step runs. A departure the
    /// journal already records (a continued run) is kept.
    pub async fn run_guided(&self, departure: &Departure, keys: KeyDisposal) {
        if !self.journal.borrow().plan.departure_confirmed() {
            let document = {
                let journal = self.journal.borrow();
                journal
                    .plan
                    .step_index("document")
                    .filter(|index| !journal.steps[*index].status.is_finished())
            };
            if let Some(index) = document {
                self.run_step(index).await;
            }
            let inventory = super::edit::documented(&self.journal.borrow());
            super::edit::redraw(&mut self.journal.borrow_mut(), &inventory, departure, keys);
            (self.on_change)();
        }
        self.run_remaining().await;
    }

    /// Runs (or re-runs) one step and returns how it ended.
    pub async fn run_step(&self, index: usize) -> StepStatus {
        let action = self.journal.borrow().plan.steps[index].action.clone();
        self.set_status(index, StepStatus::Running);
        let outcome = match action {
            Action::Document => self.document(index).await,
            Action::Disable { request } => self
                .send_once(index, request, CallKind::Disable, OnMissing::Fail)
                .await
                .map(drop)
                .map_err(summary),
            Action::RevokeKeys { .. } => self.revoke_keys(index).await,
            Action::RemoveGroups { .. } => self.remove_groups(index).await,
            Action::LockOut { keys, groups } => self.lock_out(index, keys, groups).await,
            Action::Verify { checks } => self.verify(index, &checks).await,
            Action::TransferPipelines { to, .. } => self.transfer_pipelines(index, &to).await,
            Action::RemoveUser { keys } => self.remove_user(index, &keys).await,
            Action::Reactivate { request } => self
                .send_once(index, request, CallKind::Enable, OnMissing::Fail)
                .await
                .map(drop)
                .map_err(summary),
            Action::RestoreGroups { groups } => {
                let request = self.api().assign_groups(&self.target(), &groups);
                let kind = CallKind::AssignGroups { groups };
                self.send_planned(index, request, kind, OnMissing::Fail)
                    .await
            }
            Action::DeleteUser => {
                let request = self.api().delete_user(&self.target());
                self.send_planned(index, request, CallKind::DeleteUser, OnMissing::Done)
                    .await
            }
        };
        let status = match outcome {
            Ok(()) => StepStatus::Done,
            Err(summary) => StepStatus::Failed { summary },
        };
        self.set_status(index, status.clone());
        status
    }

    /// Sends a change decided when the plan was drawn, unless it already finished in this run
    /// (a resumed run must not repeat it). Changes decided from a fresh listing use [`send`]:
    /// what was just listed is there now, whatever happened before.
    ///
    /// [`send`]: Runner::send
    pub async fn send_once(
        &self,
        step: usize,
        request: Request,
        kind: CallKind,
        on_missing: OnMissing,
    ) -> Result<Answer, ApiError> {
        if self.journal.borrow().finished_change(&request).is_some() {
            return Ok(Answer::AlreadyDone);
        }
        self.send(step, request, kind, on_missing).await
    }

    /// Reads as part of `step` (recorded like any call).
    pub async fn read(&self, step: usize, request: Request) -> Result<Answer, ApiError> {
        self.send(step, request, CallKind::Read, OnMissing::Fail)
            .await
    }

    /// Sends one request as part of `step`, recording it in the journal with what it is for.
    pub async fn send(
        &self,
        step: usize,
        request: Request,
        kind: CallKind,
        on_missing: OnMissing,
    ) -> Result<Answer, ApiError> {
        let seq = {
            let mut journal = self.journal.borrow_mut();
            let seq = journal.calls.len() as u32;
            journal.calls.push(CallRecord {
                seq,
                step,
                kind,
                method: request.method,
                path: request.path.clone(),
                body: request.body_text(),
                started_at_ms: self.client.clock().epoch_ms(),
                duration_ms: 0.0,
                attempts: 0,
                status: None,
                outcome: CallOutcome::Running,
            });
            seq
        };
        let sent = self.client.send(&request).await;
        let status = match &sent.result {
            Ok(response) => Some(response.status),
            Err(error) => error.status(),
        };
        let (outcome, answer) = match sent.result {
            Ok(response) => (CallOutcome::Ok, Ok(Answer::Response(response))),
            Err(ApiError::NotFound { .. }) if on_missing == OnMissing::Done => {
                (CallOutcome::AlreadyDone, Ok(Answer::AlreadyDone))
            }
            Err(error) => (
                CallOutcome::Failed {
                    summary: error.plain_words(),
                    detail: error.to_string(),
                },
                Err(error),
            ),
        };
        {
            let mut journal = self.journal.borrow_mut();
            let record = &mut journal.calls[seq as usize];
            record.duration_ms = sent.elapsed_ms;
            record.attempts = sent.attempts;
            record.status = status;
            record.outcome = outcome;
        }
        (self.on_change)();
        answer
    }

    /// Sends `requests` with as many in flight as the congestion window allows at each moment
    /// (it grows and shrinks as answers come back); answers come back in any order.
    /// `once`: skip changes that already finished (see [`Runner::send_once`]).
    async fn send_all(
        &self,
        step: usize,
        requests: Vec<(Request, CallKind, OnMissing)>,
        once: bool,
    ) -> Vec<Result<Answer, ApiError>> {
        let call = |(request, kind, on_missing)| async move {
            if once {
                self.send_once(step, request, kind, on_missing).await
            } else {
                self.send(step, request, kind, on_missing).await
            }
        };
        let mut waiting = requests.into_iter();
        let mut in_flight = FuturesUnordered::new();
        let mut answers = Vec::new();
        loop {
            while in_flight.len() < self.client.calls_in_flight_allowed() {
                match waiting.next() {
                    Some(request) => in_flight.push(call(request)),
                    None => break,
                }
            }
            match in_flight.next().await {
                Some(answer) => answers.push(answer),
                None => return answers,
            }
        }
    }

    /// Sends a one-off change of the plan (see [`Runner::send_once`]), or says the dialect has
    /// no such call.
    async fn send_planned(
        &self,
        step: usize,
        request: Option<Request>,
        kind: CallKind,
        on_missing: OnMissing,
    ) -> Result<(), String> {
        let request = request.ok_or_else(|| self.lacks(kind.noun()))?;
        self.send_once(step, request, kind, on_missing)
            .await
            .map(drop)
            .map_err(summary)
    }

    /// Why a step cannot run: the dialect has no such call (a plan drawn for another dialect).
    fn lacks(&self, what: &str) -> String {
        format!("{} has no {what}.", self.api().label())
    }

    pub(crate) fn target(&self) -> Target {
        self.journal.borrow().plan.target.clone()
    }

    pub(crate) fn api(&self) -> &'static dyn DialectApi {
        self.journal.borrow().plan.dialect.api()
    }

    fn set_status(&self, index: usize, status: StepStatus) {
        let now = self.client.clock().epoch_ms();
        {
            let mut journal = self.journal.borrow_mut();
            let state = &mut journal.steps[index];
            if status == StepStatus::Running {
                state.started_at_ms = Some(now);
                state.finished_at_ms = None;
            } else {
                state.finished_at_ms = Some(now);
            }
            state.status = status;
            let now = self.client.concurrency();
            if now.peak > 0 {
                journal.concurrency = Some(match self.earlier_concurrency {
                    Some(earlier) => earlier.then(now),
                    None => now,
                });
            }
        }
        (self.on_change)();
    }

    /// Every API key of the target (all pages), read as part of `step`.
    pub(crate) async fn list_keys(&self, step: usize) -> Result<Vec<ApiKey>, ApiError> {
        let api = self.api();
        let reference = self.target().reference;
        patiently(|| {
            every_page(api.keys_page_size(), |page| {
                let request = api.list_keys(&reference, page);
                async move {
                    let answer = self.read(step, request).await?;
                    api.parse_keys_page(&answer.json()?)
                }
            })
        })
        .await
    }

    async fn list_groups(&self, step: usize) -> Result<Vec<String>, ApiError> {
        let api = self.api();
        let request = api
            .list_groups(&self.target())
            .ok_or_else(|| not_offered(api.label(), Capability::Groups))?;
        let groups = patiently(|| async {
            let answer = self.read(step, request.clone()).await?;
            api.parse_groups(&answer.json()?)
        })
        .await?;
        Ok(groups.into_iter().map(|group| group.id).collect())
    }

    /// Lists the keys and revokes them, again until nothing is left (a key created meanwhile
    /// shows up in the next list).
    async fn revoke_keys(&self, step: usize) -> Result<(), String> {
        for _ in 0..ROUNDS {
            let keys: Vec<String> = self
                .list_keys(step)
                .await
                .map_err(summary)?
                .into_iter()
                .map(|key| key.id)
                .collect();
            if keys.is_empty() {
                return Ok(());
            }
            let (api, reference) = (self.api(), self.target().reference);
            let deletes = keys
                .iter()
                .map(|key| {
                    let kind = CallKind::RevokeKey { key: key.clone() };
                    (api.revoke_key(&reference, key), kind, OnMissing::Done)
                })
                .collect();
            self.send_all(step, deletes, false).await;
        }
        let left: Vec<String> = self
            .list_keys(step)
            .await
            .map_err(summary)?
            .into_iter()
            .map(|key| key.id)
            .collect();
        leftover(&left, "API key")
    }

    /// Treasure Data: removes the user, deleting or reassigning their keys. When the platform
    /// refuses the removal (a SCIM-managed user, say) and the keys were to be deleted anyway,
    /// every key is revoked one by one instead: key changes are allowed where the account is
    /// not, and a refused removal must not leave working keys behind.
    async fn remove_user(&self, step: usize, keys: &KeyDisposal) -> Result<(), String> {
        let removal = self
            .api()
            .remove_user(&self.target(), keys)
            .ok_or_else(|| self.lacks("user removal"))?;
        match self
            .send_once(step, removal, CallKind::RemoveUser, OnMissing::Done)
            .await
        {
            Ok(_) => Ok(()),
            Err(ApiError::Forbidden { message }) if *keys == KeyDisposal::Delete => {
                let revoked = match self.revoke_keys(step).await {
                    Ok(()) => "Every API key was revoked instead, one by one.".to_string(),
                    Err(left) => format!("Revoking the keys one by one instead: {left}"),
                };
                Err(format!(
                    "The platform refused to remove the user: “{message}”. {revoked}"
                ))
            }
            Err(error) => Err(summary(error)),
        }
    }

    async fn remove_groups(&self, step: usize) -> Result<(), String> {
        let target = self.target();
        for _ in 0..ROUNDS {
            let groups = self.list_groups(step).await.map_err(summary)?;
            if groups.is_empty() {
                return Ok(());
            }
            let removal = self
                .api()
                .remove_groups(&target, &groups)
                .ok_or_else(|| self.lacks(Capability::Groups.noun()))?;
            // A failure is left to the next round's list, which shows what is still there.
            let kind = CallKind::RemoveGroups { groups };
            let _ = self.send(step, removal, kind, OnMissing::Fail).await;
        }
        let left = self.list_groups(step).await.map_err(summary)?;
        leftover(&left, "group membership")
    }

    /// The emergency's middle: every known key and the known groups at once, then the usual
    /// reconciliation for anything created meanwhile.
    async fn lock_out(
        &self,
        step: usize,
        keys: Vec<String>,
        groups: Vec<String>,
    ) -> Result<(), String> {
        let (api, target) = (self.api(), self.target());
        let mut requests: Vec<(Request, CallKind, OnMissing)> = keys
            .iter()
            .map(|key| {
                let kind = CallKind::RevokeKey { key: key.clone() };
                (
                    api.revoke_key(&target.reference, key),
                    kind,
                    OnMissing::Done,
                )
            })
            .collect();
        if let Some(removal) = api
            .remove_groups(&target, &groups)
            .filter(|_| !groups.is_empty())
        {
            // First in the queue: one call that takes every permission away at once.
            let kind = CallKind::RemoveGroups { groups };
            requests.insert(0, (removal, kind, OnMissing::Fail));
        }
        // A resumed lockout lists first instead: a delete sent just before the tab closed may
        // have landed without its answer being kept, and is not sent again blind.
        let resumed = self.journal.borrow().calls_of(step).next().is_some();
        if !resumed {
            self.send_all(step, requests, true).await;
        }
        let (keys_left, groups_left) =
            futures::join!(self.revoke_keys(step), self.remove_groups(step));
        match (keys_left, groups_left) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(a), Err(b)) => Err(format!("{a} {b}")),
            (Err(problem), _) | (_, Err(problem)) => Err(problem),
        }
    }

    async fn transfer_pipelines(&self, step: usize, to: &str) -> Result<(), String> {
        let (api, target) = (self.api(), self.target());
        for _ in 0..ROUNDS {
            let listing = api
                .owned_pipelines(&target)
                .ok_or_else(|| self.lacks(Capability::Pipelines.noun()))?;
            let answer = self.read(step, listing).await.map_err(summary)?;
            let owned = api
                .parse_pipelines(&answer.json().map_err(summary)?)
                .map_err(summary)?;
            if owned.is_empty() {
                break;
            }
            let moves = owned
                .iter()
                .filter_map(|p| {
                    let kind = CallKind::TransferPipeline { uid: p.uid.clone() };
                    Some((api.transfer_pipeline(&p.uid, to)?, kind, OnMissing::Fail))
                })
                .collect();
            self.send_all(step, moves, false).await;
        }
        // The step's own check, kept as evidence in the report.
        let check = verify::run_checks(self, step, &[CheckKind::NoPipelines]).await;
        let passed = check.passed();
        self.journal.borrow_mut().verifications.push(check);
        (self.on_change)();
        if passed {
            Ok(())
        } else {
            Err("Some pipelines are still owned by this person.".into())
        }
    }

    /// Reads every fact back. The step fails when a fact this run did take away is still there
    /// (or could not be read): that is worth retrying. A fact left because its step was skipped,
    /// refused or is not this platform's to change (a SCIM user's account) is expected to be
    /// left: the step is done, and the verdict names what is left and who must act.
    async fn verify(&self, step: usize, checks: &[CheckKind]) -> Result<(), String> {
        let verification = verify::run_checks(self, step, checks).await;
        let failed = {
            let journal = self.journal.borrow();
            verification
                .checks
                .iter()
                .filter(|check| {
                    !check.passed
                        && (check.evidence.contains("→ could not read")
                            || super::verdict::expected_to_hold(&journal, &check.kind))
                })
                .count()
        };
        let total = verification.checks.len();
        self.journal.borrow_mut().verifications.push(verification);
        (self.on_change)();
        if failed == 0 {
            Ok(())
        } else {
            Err(format!("{failed} of {total} checks failed."))
        }
    }

    /// Runbook step 1: reads everything and keeps it as the run's snapshot.
    async fn document(&self, step: usize) -> Result<(), String> {
        let snapshot = super::document::take(self, step).await.map_err(summary)?;
        self.journal.borrow_mut().snapshot = Some(snapshot);
        (self.on_change)();
        Ok(())
    }

    pub(crate) fn journal(&self) -> &RefCell<Journal> {
        self.journal
    }

    pub(crate) fn now_ms(&self) -> f64 {
        self.client.clock().epoch_ms()
    }
}

fn summary(error: ApiError) -> String {
    error.plain_words()
}

fn leftover(left: &[String], what: &str) -> Result<(), String> {
    if left.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = left.iter().take(5).map(String::as_str).collect();
    let more = if left.len() > shown.len() {
        format!(" and {} more", left.len() - shown.len())
    } else {
        String::new()
    };
    Err(format!(
        "{} could not be removed: {}{more}.",
        crate::words::count(left.len(), what),
        shown.join(", ")
    ))
}
