//! The verdict: whether a run took the person's access away, decided from the latest evidence
//! for *every* fact of access, never from which steps happened to run.
//!
//! The rule that matters most: "verified" is said only when each fact the platform has (ADOC:
//! enabled, keys, groups, permissions, and ownership when the run hands it over; Treasure Data:
//! the user and their keys) was read back and holds. A step that was skipped, refused or failed
//! never counts as passed; a fact never read is "not checked", not "fine". Whatever is left is
//! named with what must happen next, where, and who must act. Keys reassigned to another user
//! live on with that user's role, so such a removal is never plain green either.

use super::journal::{CallOutcome, Check, Journal, StepStatus};
use super::plan::{Action, CheckKind, Plan, RunKind, Step};
use crate::dialect::td::KeyDisposal;
use crate::model::Dialect;
use crate::words;
use serde::Serialize;

/// How the run ended, as far as the evidence shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every fact was read back and holds.
    Verified,
    /// The user is removed and nothing of theirs is left, but their keys were reassigned: they
    /// keep working with their new owner's role.
    KeysLiveOn,
    /// Some fact does not hold, or was never checked.
    AccessLeft,
    /// Nothing has been read back yet.
    NotVerified,
}

impl Outcome {
    /// The outcome in two words, as result files list it per person.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::KeysLiveOn => "keys live on",
            Outcome::AccessLeft => "access left",
            Outcome::NotVerified => "not verified",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactState {
    Holds,
    Left,
    NotChecked,
}

/// One fact of access and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fact {
    pub label: String,
    pub state: FactState,
    /// The read that decided it (`GET … → "enabled": true`), when it was read.
    pub evidence: Option<String>,
    /// What must happen, where and by whom, when it does not hold.
    pub to_do: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub outcome: Outcome,
    /// One line: "Access removed and verified." / "Access is left."
    pub headline: String,
    /// The detail in a sentence or two: the count of checks, or what is left.
    pub summary: String,
    pub facts: Vec<Fact>,
}

impl Verdict {
    /// Only a verified outcome passes: reassigned keys and anything left do not.
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Verified
    }

    /// The facts that do not hold (left or not checked).
    pub fn open_facts(&self) -> impl Iterator<Item = &Fact> {
        self.facts.iter().filter(|f| f.state != FactState::Holds)
    }

    /// "pass", "partial" or "fail": the class a screen colours the verdict with.
    pub fn tone(&self) -> &'static str {
        match self.outcome {
            Outcome::Verified => "pass",
            Outcome::KeysLiveOn => "partial",
            Outcome::AccessLeft | Outcome::NotVerified => "fail",
        }
    }
}

/// Every fact the run must prove: the dialect's facts of access, plus whatever the plan's
/// verifications and hand-overs add (the offboarding record, pipelines, reassigned keys).
pub fn required_facts(plan: &Plan) -> Vec<CheckKind> {
    let api = plan.dialect.api();
    let mut facts = match plan.kind {
        // Bringing someone back proves what it restored, not what an offboarding removed.
        RunKind::Reactivation => Vec::new(),
        RunKind::Deletion => api.deletion_facts(),
        _ => api.access_facts(),
    };
    let mut add = |fact: &CheckKind| {
        if !facts.contains(fact) {
            facts.push(fact.clone());
        }
    };
    for step in &plan.steps {
        match &step.action {
            Action::Verify { checks } => checks.iter().for_each(&mut add),
            Action::TransferPipelines { .. } => add(&CheckKind::NoPipelines),
            _ => {}
        }
    }
    facts
}

/// The latest reading of each fact (a later verification supersedes an earlier one).
fn latest_checks(journal: &Journal) -> Vec<&Check> {
    let mut latest: Vec<&Check> = Vec::new();
    for check in journal.verifications.iter().flat_map(|v| &v.checks) {
        match latest.iter_mut().find(|seen| seen.kind == check.kind) {
            Some(seen) => *seen = check,
            None => latest.push(check),
        }
    }
    latest
}

pub fn verdict(journal: &Journal) -> Verdict {
    let latest = latest_checks(journal);
    let facts: Vec<Fact> = required_facts(&journal.plan)
        .iter()
        .map(|kind| {
            let check = latest.iter().find(|check| check.kind == *kind);
            let state = match check {
                Some(check) if check.passed => FactState::Holds,
                Some(_) => FactState::Left,
                None => FactState::NotChecked,
            };
            Fact {
                label: kind.label(),
                state,
                evidence: check.map(|check| check.evidence.clone()),
                to_do: (state != FactState::Holds).then(|| to_do(journal, kind, state)),
            }
        })
        .collect();
    let open: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.state != FactState::Holds)
        .collect();
    let (outcome, headline, summary) = if journal.verifications.is_empty() {
        (
            Outcome::NotVerified,
            "Not verified yet.".to_string(),
            "Nothing has been read back from the platform yet.".to_string(),
        )
    } else if !open.is_empty() {
        let left = open.iter().filter(|f| f.state == FactState::Left).count();
        let headline = if journal.plan.kind == RunKind::Reactivation {
            "Not fully reactivated.".to_string()
        } else if left > 0 {
            "Access is left.".to_string()
        } else {
            "Not fully verified.".to_string()
        };
        let unchecked = open.len() - left;
        let mut parts = Vec::new();
        if left > 0 {
            parts.push(format!(
                "{left} of {} {} not hold",
                words::count(facts.len(), "fact"),
                if left == 1 { "does" } else { "do" }
            ));
        }
        if unchecked > 0 {
            parts.push(format!("{} not checked", words::count(unchecked, "fact")));
        }
        (
            Outcome::AccessLeft,
            headline,
            format!("{}.", parts.join("; ")),
        )
    } else if let Some(heir) = reassigned_to(journal) {
        let evidence = latest
            .iter()
            .find(|check| matches!(check.kind, CheckKind::KeysReassigned { .. }))
            .map(|check| format!(" Evidence: {}.", check.evidence))
            .unwrap_or_default();
        (
            Outcome::KeysLiveOn,
            "User removed; their API keys live on.".to_string(),
            format!(
                "The keys were reassigned to {heir} and keep working with {heir}'s role and permissions, not the departed person's{}.{evidence} Delete them if they are not needed.",
                journal
                    .plan
                    .target
                    .role
                    .map(|role| format!(" ({role})"))
                    .unwrap_or_default()
            ),
        )
    } else {
        let headline = match journal.plan.kind {
            RunKind::Reactivation => "Reactivated and verified.",
            _ => "Access removed and verified.",
        };
        (
            Outcome::Verified,
            headline.to_string(),
            words::all_checks_passed(facts.len()),
        )
    };
    Verdict {
        outcome,
        headline,
        summary,
        facts,
    }
}

/// Who now holds the removed user's keys, when the removal reassigned them.
fn reassigned_to(journal: &Journal) -> Option<String> {
    journal
        .plan
        .steps
        .iter()
        .zip(&journal.steps)
        .find_map(|(step, state)| match (&step.action, &state.status) {
            (Action::RemoveUser { keys }, StepStatus::Done) => match keys {
                KeyDisposal::Delete => None,
                KeyDisposal::Reassign(Some(to)) => Some(to.clone()),
                KeyDisposal::Reassign(None) => Some("the account owner".to_string()),
            },
            _ => None,
        })
}

/// Whether the step is the one that takes `fact` away.
fn addresses(step: &Step, fact: &CheckKind) -> bool {
    use CheckKind as F;
    match &step.action {
        Action::Disable { .. } => matches!(fact, F::Disabled | F::OffboardingRecorded),
        Action::RevokeKeys { .. } => *fact == F::NoKeys,
        Action::RemoveGroups { .. } => matches!(fact, F::NoGroups | F::NoPermissions),
        Action::LockOut { .. } => matches!(fact, F::NoKeys | F::NoGroups | F::NoPermissions),
        Action::TransferPipelines { .. } => *fact == F::NoPipelines,
        Action::RemoveUser { .. } => {
            matches!(fact, F::UserRemoved | F::NoKeys | F::KeysReassigned { .. })
        }
        Action::DeleteUser => matches!(fact, F::UserDeleted | F::NoKeys),
        Action::Reactivate { .. } => *fact == F::Enabled,
        Action::RestoreGroups { .. } => matches!(fact, F::GroupsRestored { .. }),
        Action::Document | Action::Verify { .. } => false,
    }
}

/// Whether this run has done what makes `fact` hold: a step that takes it away finished without
/// a refusal. A fact checked with no such step (skipped, refused, or none in the plan) is only
/// evidence of what is left.
pub fn expected_to_hold(journal: &Journal, fact: &CheckKind) -> bool {
    let done = journal
        .plan
        .steps
        .iter()
        .zip(&journal.steps)
        .any(|(step, state)| addresses(step, fact) && state.status == StepStatus::Done);
    done && refusal_for(journal, fact).is_none()
}

/// What must happen for `fact`, in words a help-desk person can act on.
fn to_do(journal: &Journal, fact: &CheckKind, state: FactState) -> String {
    let plan = &journal.plan;
    let target = &plan.target;
    let prefix = if state == FactState::NotChecked {
        "Not checked. "
    } else {
        ""
    };
    let refusal = refusal_for(journal, fact);
    let scim = target.scim_managed
        || refusal
            .as_deref()
            .is_some_and(|message| message.contains("SCIM"));
    if scim && fact.owned_by_identity_provider() {
        let idp = target.identity_provider_name();
        return format!(
            "{prefix}{} in {idp}: the platform refuses changes to SCIM-managed users.",
            idp_action(fact, plan.dialect)
        );
    }
    if let Some(message) = refusal {
        return format!(
            "{prefix}The platform refused the change: “{message}”. Someone the platform allows to change {} must do it there.",
            target.email
        );
    }
    let step = plan
        .steps
        .iter()
        .zip(&journal.steps)
        .find(|(step, _)| addresses(step, fact));
    let verify_again = "then verify again";
    match step {
        None => format!(
            "{prefix}This run does not change it: {} on {}, {verify_again}.",
            lower_first(&idp_action(fact, plan.dialect)),
            plan.dialect.label()
        ),
        Some((step, progress)) => match &progress.status {
            StepStatus::Skipped { reason } => format!(
                "{prefix}Step “{}” was skipped (“{reason}”): do it on {}, {verify_again}.",
                step.title,
                plan.dialect.label()
            ),
            StepStatus::Failed { summary } => format!(
                "{prefix}Step “{}” did not finish ({}): retry it, {verify_again}.",
                step.title,
                summary.trim_end_matches('.')
            ),
            StepStatus::Pending | StepStatus::Running => {
                format!("{prefix}Step “{}” has not run yet.", step.title)
            }
            StepStatus::Done if state == FactState::NotChecked => {
                format!("{prefix}Run the verification again: it reads every fact.")
            }
            StepStatus::Done => format!(
                "{prefix}Still there after step “{}” (something was added meanwhile): run it again, {verify_again}.",
                step.title
            ),
        },
    }
}

/// The platform's own words for a refused (401/403) change made for `fact`, if one was refused.
fn refusal_for(journal: &Journal, fact: &CheckKind) -> Option<String> {
    let steps: Vec<usize> = journal
        .plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, step)| addresses(step, fact))
        .map(|(index, _)| index)
        .collect();
    journal
        .calls
        .iter()
        .rev()
        .filter(|call| steps.contains(&call.step) && call.kind.is_change())
        .find_map(|call| match (&call.outcome, call.status) {
            (CallOutcome::Failed { detail, .. }, Some(401 | 403)) => Some(platform_message(detail)),
            _ => None,
        })
}

/// `403 Forbidden: <message>` → `<message>`: the error's display carries the status first.
fn platform_message(detail: &str) -> String {
    detail
        .split_once(": ")
        .map_or(detail, |(_, message)| message)
        .to_string()
}

/// What the person does about `fact` where the platform will not.
fn idp_action(fact: &CheckKind, dialect: Dialect) -> String {
    match fact {
        CheckKind::Disabled => "Disable this account".into(),
        CheckKind::OffboardingRecorded => "Record the offboarding on the account".into(),
        CheckKind::NoGroups => "Remove its group memberships".into(),
        CheckKind::NoPermissions => "Remove its groups (its permissions come from them)".into(),
        CheckKind::UserRemoved | CheckKind::UserDeleted => "Remove this account".into(),
        CheckKind::NoKeys => "Revoke its API keys".into(),
        CheckKind::NoPipelines => "Hand its pipelines over to the replacement".into(),
        CheckKind::Enabled => "Enable this account".into(),
        CheckKind::GroupsRestored { .. } => "Add it back to its groups".into(),
        CheckKind::KeysReassigned { to, .. } => dialect.api().check_reassigned_keys(to),
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether "retry" can change anything: a failed step is worth retrying unless every call it
/// failed on was refused by rule (401, 403, 400, 404), which a retry would only repeat.
pub fn retry_may_help(journal: &Journal) -> bool {
    journal
        .steps
        .iter()
        .enumerate()
        .filter(|(_, state)| matches!(state.status, StepStatus::Failed { .. }))
        .any(|(index, _)| step_retry_may_help(journal, index))
}

/// [`retry_may_help`] for one step.
pub fn step_retry_may_help(journal: &Journal, step: usize) -> bool {
    let failures: Vec<Option<u16>> = journal
        .calls_of(step)
        .filter_map(|call| match call.outcome {
            CallOutcome::Failed { .. } | CallOutcome::Interrupted => Some(call.status),
            _ => None,
        })
        .collect();
    // No failed call: the step found something left (a key created meanwhile), so going again
    // may finish it.
    failures.is_empty()
        || failures
            .iter()
            .any(|status| !matches!(status, Some(400 | 401 | 403 | 404 | 409 | 422)))
}

#[cfg(test)]
mod tests {
    //! Every way a fact can be left (refused, skipped, failed, reassigned, never checked) gives a
    //! verdict that is not green and names what is left.
    use super::*;
    use crate::http::Method;
    use crate::model::User;
    use crate::run::journal::CallKind;
    use crate::run::journal::{CallRecord, Verification};
    use crate::run::plan::{self, Departure, Inventory};

    fn person(scim: bool) -> User {
        User {
            id: "user-scim".into(),
            email: "scim.user@company.com".into(),
            name: "Sam Scim".into(),
            enabled: Some(true),
            scim_managed: scim,
            identity_provider: scim.then(|| "Okta".to_string()),
            ..User::default()
        }
    }

    fn departure() -> Departure {
        Departure {
            date: "2024-12-05".into(),
            reason: "Voluntary - New Job".into(),
            handed_off_to: "replacement@company.com".into(),
        }
    }

    fn journal(plan: Plan) -> Journal {
        Journal::new(plan, "Olivia".into(), "http://x".into(), 0.0)
    }

    fn check(kind: CheckKind, passed: bool, evidence: &str) -> Check {
        Check {
            label: kind.label(),
            kind,
            passed,
            evidence: evidence.into(),
        }
    }

    fn read_back(journal: &mut Journal, checks: Vec<Check>) {
        journal
            .verifications
            .push(Verification { at_ms: 1.0, checks });
    }

    fn index(journal: &Journal, id: &str) -> usize {
        journal.plan.steps.iter().position(|s| s.id == id).unwrap()
    }

    fn finish(journal: &mut Journal, id: &str, status: StepStatus) {
        let at = index(journal, id);
        journal.steps[at].status = status;
    }

    fn adoc_facts(enabled: bool, groups: usize) -> Vec<Check> {
        vec![
            check(CheckKind::Disabled, !enabled, "GET … → \"enabled\": true"),
            check(CheckKind::NoKeys, true, "GET … → 0 keys"),
            check(
                CheckKind::NoGroups,
                groups == 0,
                "GET … → 1 group: group-data-eng",
            ),
            check(
                CheckKind::NoPermissions,
                groups == 0,
                "GET … → 3 permissions",
            ),
        ]
    }

    /// The disable `PUT` of `step`, failed with `status`.
    fn failed_put(step: usize, status: u16, detail: &str) -> CallRecord {
        CallRecord {
            seq: 0,
            step,
            kind: CallKind::Disable,
            method: Method::Put,
            path: "/admin/api/users/user-scim".into(),
            body: String::new(),
            started_at_ms: 0.0,
            duration_ms: 1.0,
            attempts: 1,
            status: Some(status),
            outcome: CallOutcome::Failed {
                summary: "The call failed.".into(),
                detail: detail.into(),
            },
        }
    }

    fn fact<'a>(verdict: &'a Verdict, label: &str) -> &'a Fact {
        verdict.facts.iter().find(|f| f.label == label).unwrap()
    }

    #[test]
    fn a_scim_user_whose_keys_alone_are_gone_is_not_verified() {
        let inventory = Inventory {
            user: person(true),
            ..Inventory::default()
        };
        let mut journal = journal(plan::wizard(
            Dialect::Adoc,
            &inventory,
            &departure(),
            KeyDisposal::Delete,
        ));
        let reason = "Not possible in Offboard: managed by Okta through SCIM";
        for id in ["disable", "remove-groups"] {
            finish(
                &mut journal,
                id,
                StepStatus::Skipped {
                    reason: reason.into(),
                },
            );
        }
        finish(&mut journal, "revoke-keys", StepStatus::Done);
        read_back(&mut journal, adoc_facts(true, 1));
        let verdict = verdict(&journal);
        assert!(!verdict.passed());
        assert_eq!(verdict.outcome, Outcome::AccessLeft);
        assert_eq!(verdict.headline, "Access is left.");
        let disabled = fact(&verdict, "Account disabled");
        assert_eq!(disabled.state, FactState::Left);
        assert_eq!(
            disabled.to_do.as_deref(),
            Some(
                "Disable this account in Okta: the platform refuses changes to SCIM-managed users."
            )
        );
        assert!(
            fact(&verdict, "No group memberships left")
                .to_do
                .as_ref()
                .unwrap()
                .contains("in Okta")
        );
        assert_eq!(fact(&verdict, "No API keys left").state, FactState::Holds);
        // Nothing this run did is undone: the left facts are expected, not a failed step.
        assert!(!expected_to_hold(&journal, &CheckKind::Disabled));
        assert!(expected_to_hold(&journal, &CheckKind::NoKeys));
    }

    #[test]
    fn a_fact_never_read_is_not_checked_rather_than_passed() {
        // What the wizard used to verify for a SCIM user: the keys only.
        let inventory = Inventory {
            user: person(false),
            ..Inventory::default()
        };
        let mut journal = journal(plan::emergency(Dialect::Adoc, &inventory, "2024-12-05"));
        read_back(&mut journal, vec![check(CheckKind::NoKeys, true, "0 keys")]);
        let verdict = verdict(&journal);
        assert!(!verdict.passed());
        assert_eq!(verdict.headline, "Not fully verified.");
        assert_eq!(
            fact(&verdict, "Account disabled").state,
            FactState::NotChecked
        );
        assert_eq!(verdict.summary, "3 facts not checked.");
    }

    #[test]
    fn a_skipped_step_names_itself_and_its_reason() {
        let inventory = Inventory {
            user: person(false),
            ..Inventory::default()
        };
        let mut journal = journal(plan::wizard(
            Dialect::Adoc,
            &inventory,
            &departure(),
            KeyDisposal::Delete,
        ));
        finish(&mut journal, "disable", StepStatus::Done);
        finish(&mut journal, "revoke-keys", StepStatus::Done);
        finish(
            &mut journal,
            "remove-groups",
            StepStatus::Skipped {
                reason: "later".into(),
            },
        );
        read_back(&mut journal, adoc_facts(false, 1));
        let verdict = verdict(&journal);
        assert!(!verdict.passed());
        let to_do = fact(&verdict, "No group memberships left")
            .to_do
            .clone()
            .unwrap();
        assert_eq!(
            to_do,
            "Step “Remove group memberships” was skipped (“later”): do it on Acceldata ADOC, then verify again."
        );
    }

    #[test]
    fn a_refused_change_quotes_the_platform_and_is_not_offered_a_retry() {
        let inventory = Inventory {
            user: person(false),
            ..Inventory::default()
        };
        let mut journal = journal(plan::emergency(Dialect::Adoc, &inventory, "2024-12-05"));
        let disable = index(&journal, "disable");
        journal.calls.push(failed_put(
            disable,
            403,
            "403 Forbidden: admins can change restricted users only",
        ));
        finish(
            &mut journal,
            "disable",
            StepStatus::Failed {
                summary: "refused".into(),
            },
        );
        finish(&mut journal, "lock-out", StepStatus::Done);
        read_back(&mut journal, adoc_facts(true, 0));
        let verdict = verdict(&journal);
        assert!(!verdict.passed());
        let to_do = fact(&verdict, "Account disabled").to_do.clone().unwrap();
        assert!(
            to_do.contains("“admins can change restricted users only”"),
            "{to_do}"
        );
        assert!(
            !retry_may_help(&journal),
            "a refusal by rule does not change on retry"
        );
        assert!(!expected_to_hold(&journal, &CheckKind::Disabled));
    }

    #[test]
    fn a_transient_failure_is_offered_a_retry() {
        let inventory = Inventory {
            user: person(false),
            ..Inventory::default()
        };
        let mut journal = journal(plan::emergency(Dialect::Adoc, &inventory, "2024-12-05"));
        let disable = index(&journal, "disable");
        journal
            .calls
            .push(failed_put(disable, 503, "503 server error: busy"));
        finish(
            &mut journal,
            "disable",
            StepStatus::Failed {
                summary: "The platform had a problem.".into(),
            },
        );
        read_back(&mut journal, adoc_facts(true, 0));
        let verdict = verdict(&journal);
        assert!(!verdict.passed());
        let to_do = fact(&verdict, "Account disabled").to_do.clone().unwrap();
        assert!(
            to_do.starts_with("Step “Disable the account” did not finish"),
            "{to_do}"
        );
        assert!(retry_may_help(&journal));
    }

    #[test]
    fn reassigned_keys_live_on_and_are_not_plain_green() {
        let inventory = Inventory {
            user: User {
                id: "1".into(),
                ..person(false)
            },
            keys: vec!["AK-1".into()],
            ..Inventory::default()
        };
        let to = "owner@company.com".to_string();
        let mut journal = journal(plan::wizard(
            Dialect::Td,
            &inventory,
            &departure(),
            KeyDisposal::Reassign(Some(to.clone())),
        ));
        finish(&mut journal, "remove-user", StepStatus::Done);
        read_back(
            &mut journal,
            vec![
                check(CheckKind::UserRemoved, true, "not listed"),
                check(CheckKind::NoKeys, true, "0 keys"),
                check(
                    CheckKind::KeysReassigned {
                        to: to.clone(),
                        keys: vec!["AK-1".into()],
                    },
                    true,
                    "1 key listed under owner@company.com: AK-1, with the owner role",
                ),
            ],
        );
        let verdict = verdict(&journal);
        assert_eq!(verdict.outcome, Outcome::KeysLiveOn);
        assert!(!verdict.passed());
        assert_eq!(verdict.tone(), "partial");
        assert!(
            verdict.summary.contains("with the owner role"),
            "{}",
            verdict.summary
        );
    }

    #[test]
    fn every_fact_holding_is_verified_in_plain_words() {
        let inventory = Inventory {
            user: person(false),
            ..Inventory::default()
        };
        let mut journal = journal(plan::emergency(Dialect::Td, &inventory, "2024-12-05"));
        finish(&mut journal, "remove-user", StepStatus::Done);
        read_back(
            &mut journal,
            vec![
                check(CheckKind::UserRemoved, true, "not listed"),
                check(CheckKind::NoKeys, true, "0 keys"),
            ],
        );
        let verdict = verdict(&journal);
        assert!(verdict.passed());
        assert_eq!(verdict.headline, "Access removed and verified.");
        assert_eq!(verdict.summary, "Both checks passed.");
    }
}
