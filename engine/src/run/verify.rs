//! Verification: each fact that must hold once access is gone, decided from a fresh read, with
//! the read itself kept as evidence ("GET …/api-keys → 0 keys").

use super::execute::{OnMissing, Runner};
use super::journal::{Check, Verification};
use super::plan::{Action, CheckKind, check_calls};
use crate::dialect::{adoc, td};
use crate::error::ApiError;
use crate::http::{Clock, Request, Transport};
use crate::words;
use serde_json::Value;

/// Runs `checks` as part of `step`: their reads go out together (a read shared by two checks is
/// made once), then each check is judged from what came back.
pub async fn run_checks<T: Transport, C: Clock>(
    runner: &Runner<'_, T, C>,
    step: usize,
    checks: &[CheckKind],
) -> Verification {
    let target = runner.journal().borrow().plan.target.clone();
    let mut reads: Vec<(CheckKind, Request)> = Vec::new();
    for check in checks {
        for request in check_calls(check, &target) {
            if !reads
                .iter()
                .any(|(_, known)| known.line() == request.line())
            {
                reads.push((check.clone(), request));
            }
        }
    }
    // A few reads at most: a list, searched by line, is all the lookup needs.
    let answers: Vec<(String, Result<Value, ApiError>)> =
        futures::future::join_all(reads.into_iter().map(|(check, request)| async move {
            let line = request.line();
            (line, read(runner, step, &check, request).await)
        }))
        .await;
    let results = checks
        .iter()
        .filter_map(|check| {
            let line = check_calls(check, &target).into_iter().next()?.line();
            let (_, answer) = answers.iter().find(|(read, _)| *read == line)?;
            let (passed, mut evidence) = match answer {
                Ok(value) => judge(check, value, &target.email),
                Err(error) => (false, format!("could not read: {}", error.plain_words())),
            };
            if let CheckKind::KeysReassigned { to, .. } = check {
                // Reassigned keys carry their new owner's role: say which, from the user list.
                let users = td::list_users().line();
                let role = answers
                    .iter()
                    .find(|(read, _)| *read == users)
                    .and_then(|(_, answer)| answer.as_ref().ok())
                    .and_then(|value| td::parse_users(value).ok())
                    .and_then(|users| {
                        users
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
                evidence: format!("{line} → {evidence}"),
            })
        })
        .collect();
    Verification {
        at_ms: runner.now_ms(),
        checks: results,
    }
}

/// Makes the check's read. For TD, a 404 on the removed user's key list means "no such user, so
/// no keys": the answer then reads as an empty list.
async fn read<T: Transport, C: Clock>(
    runner: &Runner<'_, T, C>,
    step: usize,
    check: &CheckKind,
    request: Request,
) -> Result<Value, ApiError> {
    // A removed or deleted user's key list answers 404: no such user, so no keys. And a 404 on
    // the account is exactly what "deleted" looks like.
    let deletes = runner
        .journal()
        .borrow()
        .plan
        .steps
        .iter()
        .any(|step| matches!(step.action, Action::DeleteUser));
    let td = request.path.starts_with("/v3/");
    let gone_is_empty = matches!(check, CheckKind::NoKeys) && (td || deletes);
    let gone_is_answer = matches!(check, CheckKind::UserDeleted);
    let on_missing = if gone_is_empty || gone_is_answer {
        OnMissing::Done
    } else {
        OnMissing::Fail
    };
    let answer = runner.send(step, request, on_missing).await?;
    let value = answer.json()?;
    Ok(match (value.is_null(), td) {
        (true, true) if gone_is_empty => serde_json::json!({"apikeys": []}),
        (true, false) if gone_is_empty => serde_json::json!({"data": [], "meta": {"total": 0}}),
        (true, _) if gone_is_answer => serde_json::json!({"gone": true}),
        _ => value,
    })
}

/// Decides one check from what was read; returns whether it holds and the evidence in words.
pub fn judge(check: &CheckKind, value: &Value, email: &str) -> (bool, String) {
    match check {
        CheckKind::Disabled => match adoc::parse_user(value) {
            Ok(user) => (
                user.enabled == Some(false),
                format!(
                    "\"enabled\": {}",
                    user.enabled.map_or("absent".into(), |e| e.to_string())
                ),
            ),
            Err(error) => (false, error.to_string()),
        },
        CheckKind::UserDeleted => match value.get("gone") {
            Some(Value::Bool(true)) => (true, "404: no such account".to_string()),
            _ => (
                false,
                format!(
                    "the account is still there (\"enabled\": {})",
                    value
                        .get("enabled")
                        .map_or("absent".into(), Value::to_string)
                ),
            ),
        },
        CheckKind::Enabled => match adoc::parse_user(value) {
            Ok(user) => (
                user.enabled == Some(true),
                format!(
                    "\"enabled\": {}",
                    user.enabled.map_or("absent".into(), |e| e.to_string())
                ),
            ),
            Err(error) => (false, error.to_string()),
        },
        CheckKind::GroupsRestored { groups } => match adoc::parse_groups(value) {
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
        CheckKind::OffboardingRecorded => match adoc::parse_user(value) {
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
        CheckKind::NoKeys => {
            let keys = if value.get("apikeys").is_some() {
                td::parse_keys(value).map(|keys| keys.into_iter().map(|k| k.id).collect::<Vec<_>>())
            } else {
                adoc::parse_keys_page(value)
                    .map(|page| page.items.into_iter().map(|k| k.id).collect())
            };
            count_is_zero(keys, "key")
        }
        CheckKind::NoGroups => count_is_zero(
            adoc::parse_groups(value).map(|g| g.into_iter().map(|g| g.id).collect()),
            "group",
        ),
        CheckKind::NoPermissions => count_is_zero(
            adoc::parse_permissions(value).map(|p| p.into_iter().map(|p| p.name).collect()),
            "permission",
        ),
        CheckKind::NoPipelines => count_is_zero(
            adoc::parse_pipelines(value).map(|p| p.into_iter().map(|p| p.uid).collect()),
            "pipeline",
        ),
        CheckKind::UserRemoved => match td::parse_users(value) {
            Ok(users) => {
                let present = users
                    .iter()
                    .any(|user| user.email.eq_ignore_ascii_case(email));
                let verdict = if present {
                    "still listed"
                } else {
                    "not listed"
                };
                (
                    !present,
                    format!("{} users, {email} {verdict}", users.len()),
                )
            }
            Err(error) => (false, error.to_string()),
        },
        CheckKind::KeysReassigned { to, keys } => match td::parse_keys(value) {
            Ok(listed) => {
                let missing: Vec<&String> = keys
                    .iter()
                    .filter(|key| !listed.iter().any(|l| &l.id == *key))
                    .collect();
                let evidence = if missing.is_empty() {
                    format!(
                        "{} listed under {to}: {}",
                        words::count(keys.len(), "key"),
                        keys.join(", ")
                    )
                } else {
                    format!(
                        "not listed under {to}: {}",
                        missing
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                (missing.is_empty(), evidence)
            }
            Err(error) => (false, error.to_string()),
        },
    }
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
