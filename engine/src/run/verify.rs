//! Verification: each fact that must hold once access is gone, decided from a fresh read, with
//! the read itself kept as evidence ("GET …/api-keys → 0 keys").

use super::execute::{OnMissing, Runner};
use super::journal::{CallKind, Check, Verification};
use super::plan::{Action, CheckKind, Plan, check_calls};
use crate::error::ApiError;
use crate::http::{Clock, Request, Transport};
use crate::words;
use serde_json::Value;

/// What a check's read came back with: the answer, or a 404 that the check reads as "gone".
pub type Read = Option<Value>;

/// Runs `checks` as part of `step`: their reads go out together (a read shared by two checks is
/// made once), then each check is judged from what came back.
pub async fn run_checks<T: Transport, C: Clock>(
    runner: &Runner<'_, T, C>,
    step: usize,
    checks: &[CheckKind],
) -> Verification {
    let plan = runner.journal().borrow().plan.clone();
    let mut reads: Vec<(CheckKind, Request)> = Vec::new();
    for check in checks {
        for request in check_calls(check, &plan) {
            if !reads
                .iter()
                .any(|(_, known)| known.line() == request.line())
            {
                reads.push((check.clone(), request));
            }
        }
    }
    // A few reads at most: a list, searched by line, is all the lookup needs.
    let answers: Vec<(String, Result<Read, ApiError>)> =
        futures::future::join_all(reads.into_iter().map(|(check, request)| async move {
            let line = request.line();
            (line, read(runner, step, &check, request).await)
        }))
        .await;
    let answer_to = |request: &Request| {
        answers
            .iter()
            .find(|(line, _)| *line == request.line())
            .map(|(_, answer)| answer)
    };
    let results = checks
        .iter()
        .filter_map(|check| {
            let calls = check_calls(check, &plan);
            let first = calls.first()?;
            let (passed, mut evidence) = match answer_to(first)? {
                Ok(read) => judge(check, read.as_ref(), &plan),
                Err(error) => (false, format!("could not read: {}", error.plain_words())),
            };
            if let (CheckKind::KeysReassigned { to, .. }, Some(users)) = (check, calls.get(1)) {
                // Reassigned keys carry their new owner's role: say which, from the user list.
                let role = answer_to(users)
                    .and_then(|answer| answer.as_ref().ok()?.as_ref())
                    .and_then(|value| plan.dialect.api().parse_users_page(value).ok())
                    .and_then(|page| {
                        page.items
                            .into_iter()
                            .find(|user| user.email.eq_ignore_ascii_case(to))
                    })
                    .and_then(|user| user.account_role);
                if let Some(role) = role {
                    evidence.push_str(&format!(", with the {role} role"));
                }
            }
            Some(Check {
                kind: check.clone(),
                label: check.label(),
                passed,
                evidence: format!("{} → {evidence}", first.line()),
            })
        })
        .collect();
    Verification {
        at_ms: runner.now_ms(),
        checks: results,
    }
}

/// Makes the check's read. A 404 is an answer where absence is what the check looks for: a
/// deleted account, or the key list of a user who no longer exists (so: no keys).
async fn read<T: Transport, C: Clock>(
    runner: &Runner<'_, T, C>,
    step: usize,
    check: &CheckKind,
    request: Request,
) -> Result<Read, ApiError> {
    let (deletes, no_user_no_keys) = {
        let journal = runner.journal().borrow();
        let plan = &journal.plan;
        (
            plan.steps
                .iter()
                .any(|step| matches!(step.action, Action::DeleteUser)),
            plan.dialect.api().missing_user_has_no_keys(),
        )
    };
    let gone_is_an_answer = match check {
        CheckKind::NoKeys => no_user_no_keys || deletes,
        CheckKind::UserDeleted => true,
        _ => false,
    };
    let on_missing = if gone_is_an_answer {
        OnMissing::Done
    } else {
        OnMissing::Fail
    };
    let value = runner
        .send(step, request, CallKind::Read, on_missing)
        .await?
        .json()?;
    // `AlreadyDone` (the 404) reads as JSON null.
    Ok(Some(value).filter(|value| !value.is_null()))
}

/// Decides one check from what was read (`None`: the 404 the check allows); returns whether it
/// holds and the evidence in words.
pub fn judge(check: &CheckKind, read: Option<&Value>, plan: &Plan) -> (bool, String) {
    let api = plan.dialect.api();
    let email = &plan.target.email;
    let Some(value) = read else {
        return match check {
            CheckKind::UserDeleted => (true, "404: no such account".to_string()),
            CheckKind::NoKeys => (true, words::count(0, "key")),
            _ => (false, "404: not found".to_string()),
        };
    };
    let user = || api.pick_user(&plan.target.reference, value);
    match check {
        CheckKind::Disabled => match user() {
            Ok(user) => (user.enabled == Some(false), enabled_evidence(user.enabled)),
            Err(error) => (false, error.to_string()),
        },
        CheckKind::UserDeleted => (
            false,
            format!(
                "the account is still there ({})",
                enabled_evidence(user().ok().and_then(|user| user.enabled))
            ),
        ),
        CheckKind::Enabled => match user() {
            Ok(user) => (user.enabled == Some(true), enabled_evidence(user.enabled)),
            Err(error) => (false, error.to_string()),
        },
        CheckKind::GroupsRestored { groups } => match api.parse_groups(value) {
            Ok(listed) => {
                let missing: Vec<&str> = groups
                    .iter()
                    .filter(|g| !listed.iter().any(|l| &l.id == *g))
                    .map(String::as_str)
                    .collect();
                let evidence = match missing.is_empty() {
                    true => format!("member of {}", groups.join(", ")),
                    false => format!("not a member of {}", missing.join(", ")),
                };
                (missing.is_empty(), evidence)
            }
            Err(error) => (false, error.to_string()),
        },
        CheckKind::OffboardingRecorded => match user() {
            Ok(user) => {
                // The hand-over is recorded when someone takes over; a person who owned
                // nothing to hand over has none, and that is complete.
                let wanted = ["status", "offboardDate", "reason"];
                let handed = user.attributes.contains_key("handedOffTo");
                let shown: Vec<String> = wanted
                    .iter()
                    .chain(handed.then_some(&"handedOffTo"))
                    .map(|name| {
                        format!(
                            "{name}: {}",
                            user.attributes
                                .get(*name)
                                .map_or("missing".into(), |v| v.join(", "))
                        )
                    })
                    .collect();
                let recorded = user.is_offboarded()
                    && wanted
                        .iter()
                        .all(|name| user.attributes.get(*name).is_some_and(|v| !v.is_empty()));
                (recorded, shown.join("; "))
            }
            Err(error) => (false, error.to_string()),
        },
        CheckKind::NoKeys => count_is_zero(
            api.parse_keys_page(value)
                .map(|page| page.items.into_iter().map(|k| k.id).collect()),
            "key",
        ),
        CheckKind::NoGroups => count_is_zero(
            api.parse_groups(value)
                .map(|g| g.into_iter().map(|g| g.id).collect()),
            "group",
        ),
        CheckKind::NoPermissions => count_is_zero(
            api.parse_permissions(value)
                .map(|p| p.into_iter().map(|p| p.name).collect()),
            "permission",
        ),
        CheckKind::NoPipelines => count_is_zero(
            api.parse_pipelines(value)
                .map(|p| p.into_iter().map(|p| p.uid).collect()),
            "pipeline",
        ),
        CheckKind::UserRemoved => match api.parse_users_page(value) {
            Ok(page) => {
                let present = page
                    .items
                    .iter()
                    .any(|user| user.email.eq_ignore_ascii_case(email));
                let verdict = if present {
                    "still listed"
                } else {
                    "not listed"
                };
                (
                    !present,
                    format!("{} users, {email} {verdict}", page.items.len()),
                )
            }
            Err(error) => (false, error.to_string()),
        },
        CheckKind::KeysReassigned { to, keys } => match api.parse_keys_page(value) {
            Ok(page) => {
                let missing: Vec<&str> = keys
                    .iter()
                    .filter(|key| !page.items.iter().any(|l| &l.id == *key))
                    .map(String::as_str)
                    .collect();
                let evidence = if missing.is_empty() {
                    format!(
                        "{} listed under {to}: {}",
                        words::count(keys.len(), "key"),
                        keys.join(", ")
                    )
                } else {
                    format!("not listed under {to}: {}", missing.join(", "))
                };
                (missing.is_empty(), evidence)
            }
            Err(error) => (false, error.to_string()),
        },
    }
}

fn enabled_evidence(enabled: Option<bool>) -> String {
    format!(
        "\"enabled\": {}",
        enabled.map_or("absent".into(), |e| e.to_string())
    )
}

fn count_is_zero(items: Result<Vec<String>, ApiError>, noun: &str) -> (bool, String) {
    match items {
        Ok(items) if items.is_empty() => (true, words::count(0, noun)),
        Ok(items) => {
            let shown: Vec<&str> = items.iter().take(5).map(String::as_str).collect();
            let more = match items.len() - shown.len() {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            (
                false,
                format!(
                    "{}: {}{more}",
                    words::count(items.len(), noun),
                    shown.join(", ")
                ),
            )
        }
        Err(error) => (false, error.to_string()),
    }
}
