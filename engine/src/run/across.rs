//! One person across several platforms: the verdict and the report that cover every platform
//! the admin is connected to, in one piece.
//!
//! Each platform runs its own plan with its own journal (its own calls, checks and verdict);
//! this module only puts them side by side. The rule of the one-platform verdict carries over:
//! "verified" is said only when every platform where the person has an account verified. A
//! platform that could not be read, or where a rule forbids the change, is access left there,
//! never a silent gap; a platform that was searched and has no such person is named as such,
//! with the search that showed it.

use super::journal::Journal;
use super::report;
use super::verdict::{Outcome, Verdict};
use crate::time::rfc3339;
use crate::words;
use serde_json::{Value, json};

/// Where one platform stands for this person.
#[derive(Debug, Clone, Copy)]
pub enum Standing<'a> {
    /// A run was made there: its journal decides.
    Ran(&'a Journal),
    /// Searched, and no such person there: nothing to remove.
    NoAccount,
    /// The platform could not be read (the reason in plain words): nothing is known there.
    Unreached(&'a str),
    /// A rule forbids this change there (the refusal in plain words): the access stays.
    Refused(&'a str),
    /// The person has an account there, but no run was started on it.
    NotRun,
}

/// One platform, by the name the admin gave it.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    pub platform: &'a str,
    pub standing: Standing<'a>,
}

/// The verdict over every platform.
#[derive(Debug, Clone, PartialEq)]
pub struct AcrossVerdict {
    pub outcome: Outcome,
    /// One line: "Access removed and verified on 2 platforms." / "Access is left on TD EU."
    pub headline: String,
    /// Each platform in a sentence, in the order given.
    pub lines: Vec<String>,
    /// The platforms where something is left, unknown or not run.
    pub open_platforms: Vec<String>,
}

impl AcrossVerdict {
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Verified
    }

    /// "pass", "partial" or "fail", as the one-platform verdict colours itself.
    pub fn tone(&self) -> &'static str {
        match self.outcome {
            Outcome::Verified => "pass",
            Outcome::KeysLiveOn => "partial",
            Outcome::AccessLeft | Outcome::NotVerified => "fail",
        }
    }
}

/// How one platform's standing weighs in the overall outcome (higher is worse).
fn severity(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Verified => 0,
        Outcome::KeysLiveOn => 1,
        Outcome::NotVerified => 2,
        Outcome::AccessLeft => 3,
    }
}

/// A platform's outcome and its line, e.g. "TD EU: access is left — API keys: 2 left …".
fn judge(part: &Part) -> (Option<Outcome>, String) {
    let name = part.platform;
    match part.standing {
        Standing::Ran(journal) => {
            let verdict = report::verdict(journal);
            let line = describe(name, &verdict);
            (Some(verdict.outcome), line)
        }
        Standing::NoAccount => (None, format!("{name}: no such person; nothing to remove.")),
        Standing::Unreached(why) => (
            Some(Outcome::NotVerified),
            format!("{name}: not reached, so nothing is known there: {why}"),
        ),
        Standing::Refused(why) => (
            Some(Outcome::AccessLeft),
            format!("{name}: not changed: {why}"),
        ),
        Standing::NotRun => (
            Some(Outcome::NotVerified),
            format!("{name}: has an account, and no run was made there."),
        ),
    }
}

fn describe(name: &str, verdict: &Verdict) -> String {
    match verdict.passed() {
        true => format!("{name}: {} {}", verdict.headline, verdict.summary),
        false => {
            // "User removed: someone the platform allows … must do it there."
            let open: Vec<String> = verdict
                .open_facts()
                .map(|fact| {
                    let to_do = fact.to_do.as_deref().unwrap_or("not shown to hold");
                    let sentence = format!("{}: {to_do}", fact.label);
                    match sentence.ends_with('.') {
                        true => sentence,
                        false => format!("{sentence}."),
                    }
                })
                .collect();
            match open.is_empty() {
                true => format!("{name}: {} {}", verdict.headline, verdict.summary),
                false => format!("{name}: {} {}", verdict.headline, open.join(" ")),
            }
        }
    }
}

/// The verdict over every platform: the worst platform decides, and every platform is named.
pub fn verdict(parts: &[Part]) -> AcrossVerdict {
    let judged: Vec<(Option<Outcome>, String)> = parts.iter().map(judge).collect();
    let with_account = judged.iter().filter(|(o, _)| o.is_some()).count();
    let outcome = judged
        .iter()
        .filter_map(|(outcome, _)| *outcome)
        .max_by_key(|outcome| severity(*outcome))
        // Searched everywhere and found nowhere: nothing to take away is not proof of removal.
        .unwrap_or(Outcome::NotVerified);
    let open_platforms: Vec<String> = parts
        .iter()
        .zip(&judged)
        .filter(|(_, (outcome, _))| outcome.is_some_and(|o| o != Outcome::Verified))
        .map(|(part, _)| part.platform.to_string())
        .collect();
    let headline = if with_account == 0 {
        format!(
            "No account on any of the {} connected: nothing was removed.",
            words::count(parts.len(), "platform")
        )
    } else {
        match outcome {
            Outcome::Verified => format!(
                "Access removed and verified on {}.",
                match with_account {
                    1 => "the one platform with an account".to_string(),
                    2 => "both platforms with an account".to_string(),
                    n => format!("all {n} platforms with an account"),
                }
            ),
            _ => what_is_open(parts, &judged),
        }
    };
    AcrossVerdict {
        outcome,
        headline,
        lines: judged.into_iter().map(|(_, line)| line).collect(),
        open_platforms,
    }
}

/// "Access is left on ADOC dev; not verified on ADOC prod." Each platform under what it lacks.
fn what_is_open(parts: &[Part], judged: &[(Option<Outcome>, String)]) -> String {
    let on = |wanted: Outcome| -> Vec<String> {
        parts
            .iter()
            .zip(judged)
            .filter(|(_, (outcome, _))| *outcome == Some(wanted))
            .map(|(part, _)| part.platform.to_string())
            .collect()
    };
    let clauses: Vec<String> = [
        (Outcome::AccessLeft, "access is left on"),
        (Outcome::NotVerified, "not verified on"),
        (Outcome::KeysLiveOn, "reassigned keys live on at"),
    ]
    .into_iter()
    .filter_map(|(outcome, words)| {
        let platforms = on(outcome);
        (!platforms.is_empty()).then(|| format!("{words} {}", words::and_list(&platforms)))
    })
    .collect();
    let sentence = clauses.join("; ");
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => sentence,
    }
}

/// The one report of a run across platforms: the overall verdict, then each platform's own
/// report in full (calls, checks, evidence), so an auditor reads one file.
pub fn to_json(person: &str, operator: &str, started_at_ms: f64, parts: &[Part]) -> Value {
    let overall = verdict(parts);
    let platforms: Vec<Value> = parts
        .iter()
        .map(|part| {
            let (standing, detail, run) = match part.standing {
                Standing::Ran(journal) => ("ran", None, Some(report::to_json(journal))),
                Standing::NoAccount => ("no-account", None, None),
                Standing::Unreached(why) => ("unreached", Some(why), None),
                Standing::Refused(why) => ("refused", Some(why), None),
                Standing::NotRun => ("not-run", None, None),
            };
            json!({
                "platform": part.platform,
                "standing": standing,
                "detail": detail,
                "report": run,
            })
        })
        .collect();
    json!({
        "offboardAcrossReport": 1,
        "person": person,
        "operator": operator,
        "startedAt": rfc3339(started_at_ms),
        "verdict": {
            "passed": overall.passed(),
            "outcome": overall.outcome,
            "headline": overall.headline,
            "platforms": overall.lines,
            "open": overall.open_platforms,
        },
        "platforms": platforms,
    })
}

/// The report as a file holds it.
pub fn to_json_text(person: &str, operator: &str, started_at_ms: f64, parts: &[Part]) -> String {
    let mut text = serde_json::to_string_pretty(&to_json(person, operator, started_at_ms, parts))
        .unwrap_or_default();
    text.push('\n');
    text
}
