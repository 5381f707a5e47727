//! The delete modal with several platforms connected: the person is looked up on the others,
//! each account that may be deleted is offered (ticked) beside this one, and the deletions run
//! concurrently with this platform's, each with its own run and report, under one verdict.
//! Elsewhere the keys are always deleted: reassigning them is a choice made on the platform
//! whose owner and heirs the modal shows.

use super::rules::blocking_rule;
use crate::components::no_such_person::is_missing;
use crate::components::run_progress::RunProgress;
use crate::download;
use crate::everywhere::{self, Found};
use crate::loaded::Loaded;
use crate::runs::RunHandle;
use crate::session::{Connection, operator};
use leptos::prelude::*;
use offboard_engine::dialect::td::KeyDisposal;
use offboard_engine::error::ApiError;
use offboard_engine::run::across::{self, Part, Standing};
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};
use offboard_engine::words;

/// One other platform in the modal: the account found there and whether to delete it too.
#[derive(Clone)]
pub struct Elsewhere {
    pub connection: Connection,
    pub standing: ElsewhereStanding,
    pub chosen: RwSignal<bool>,
}

#[derive(Clone)]
pub enum ElsewhereStanding {
    Deletable(Box<Inventory>),
    Blocked(String),
    NoAccount,
    Unreached(String),
}

/// Looks the person up on every connected platform but `here`.
pub fn look_elsewhere(others: Vec<Connection>, email: String) -> Loaded<Vec<Elsewhere>> {
    Loaded::new(move || {
        let (others, email) = (others.clone(), email.clone());
        async move {
            let found = everywhere::read(others, email).await;
            Ok::<_, ApiError>(found.into_iter().map(standing_of).collect())
        }
    })
}

fn standing_of(found: Found) -> Elsewhere {
    let Found { connection, read } = found;
    let standing = match read {
        Ok(inventory) => match blocking_rule(&connection, &inventory.user, "delete") {
            Some(rule) => ElsewhereStanding::Blocked(rule),
            None => ElsewhereStanding::Deletable(Box::new(inventory)),
        },
        Err(error) if is_missing(&error) => ElsewhereStanding::NoAccount,
        Err(error) => ElsewhereStanding::Unreached(error.plain_words()),
    };
    let chosen = RwSignal::new(matches!(standing, ElsewhereStanding::Deletable(_)));
    Elsewhere {
        connection,
        standing,
        chosen,
    }
}

/// The other platforms in the form: a ticked box for each account that may go too.
#[component]
pub fn ElsewhereChoices(elsewhere: Loaded<Vec<Elsewhere>>) -> impl IntoView {
    move || {
        match elsewhere.get() {
        None => view! { <p class="muted loading" role="status">"Looking on the other platforms…"</p> }
            .into_any(),
        Some(Err(_)) => ().into_any(),
        Some(Ok(all)) => view! {
            <fieldset class="elsewhere">
                <legend>"On the other connected platforms"</legend>
                {all.into_iter().map(|other| view! { <ElsewhereChoice other=other /> }).collect_view()}
            </fieldset>
        }
        .into_any(),
    }
    }
}

#[component]
fn ElsewhereChoice(other: Elsewhere) -> impl IntoView {
    let name = other.connection.name.clone();
    match other.standing {
        ElsewhereStanding::Deletable(inventory) => {
            let chosen = other.chosen;
            let what = format!(
                "Delete on {name} too ({}, {}; keys deleted)",
                inventory.user.name,
                words::count(inventory.keys.len(), "API key")
            );
            view! {
                <label class="choice">
                    <input type="checkbox" prop:checked=move || chosen.get()
                        on:change=move |ev| chosen.set(event_target_checked(&ev)) />
                    <span>{what}</span>
                </label>
            }
            .into_any()
        }
        ElsewhereStanding::Blocked(rule) => {
            view! { <p class="rule">{format!("{name}: not deleted here. {rule}")}</p> }.into_any()
        }
        ElsewhereStanding::NoAccount => {
            view! { <p class="hint">{format!("{name}: no such person; nothing to delete.")}</p> }
                .into_any()
        }
        ElsewhereStanding::Unreached(why) => view! {
            <p class="notice notice-error">{format!("{name} could not be read: {why}")}</p>
        }
        .into_any(),
    }
}

/// A deletion started on another platform.
#[derive(Clone)]
pub struct ElsewhereRun {
    pub name: String,
    pub run: Option<RunHandle>,
    pub standing: ElsewhereStanding,
}

/// Starts the chosen deletions elsewhere (under `owner`, so they outlive the form).
pub fn start_elsewhere(elsewhere: Vec<Elsewhere>, owner: Option<&Owner>) -> Vec<ElsewhereRun> {
    elsewhere
        .into_iter()
        .map(|other| {
            let name = other.connection.name.clone();
            let run = match &other.standing {
                ElsewhereStanding::Deletable(inventory) if other.chosen.get_untracked() => {
                    let connection = &other.connection;
                    let plan = plan::deletion(connection.dialect(), inventory, KeyDisposal::Delete);
                    let journal = Journal::new(
                        plan,
                        operator(connection),
                        connection.base_url.clone(),
                        js_sys::Date::now(),
                    );
                    let handle = match owner {
                        Some(owner) => owner.with(|| RunHandle::new(journal)),
                        None => RunHandle::new(journal),
                    };
                    handle.run(connection, None, || {});
                    Some(handle)
                }
                _ => None,
            };
            ElsewhereRun {
                name,
                run,
                standing: other.standing,
            }
        })
        .collect()
}

/// While and after the deletions: one verdict over every platform, then each other platform's
/// run (this platform's is shown by the modal itself).
#[component]
pub fn AcrossDeletion(here: (String, RunHandle), elsewhere: Vec<ElsewhereRun>) -> impl IntoView {
    let (here_name, here_run) = here;
    let runs: Vec<RunHandle> = std::iter::once(here_run)
        .chain(elsewhere.iter().filter_map(|e| e.run))
        .collect();
    let elsewhere = StoredValue::new(elsewhere);
    let here_name = StoredValue::new(here_name);
    // Lends the engine every platform's standing, this one first (journals borrowed).
    let with_parts = move |judge: &mut dyn FnMut(&[Part])| {
        let mine = here_run.with_untracked(Clone::clone);
        let theirs: Vec<Option<Journal>> = elsewhere.with_value(|all| {
            all.iter()
                .map(|e| e.run.map(|r| r.with_untracked(Clone::clone)))
                .collect()
        });
        here_name.with_value(|here_name| {
            elsewhere.with_value(|all| {
                let mut parts = vec![Part {
                    platform: here_name,
                    standing: Standing::Ran(&mine),
                }];
                for (other, journal) in all.iter().zip(&theirs) {
                    let standing = match (journal, &other.standing) {
                        (Some(journal), _) => Standing::Ran(journal),
                        (None, ElsewhereStanding::NoAccount) => Standing::NoAccount,
                        (None, ElsewhereStanding::Blocked(rule)) => Standing::Refused(rule),
                        (None, ElsewhereStanding::Unreached(why)) => Standing::Unreached(why),
                        (None, ElsewhereStanding::Deletable(_)) => Standing::NotRun,
                    };
                    parts.push(Part {
                        platform: &other.name,
                        standing,
                    });
                }
                judge(&parts);
            })
        });
    };
    let save = move |_| {
        let mut text = String::new();
        with_parts(&mut |parts| {
            let person = here_run.with_untracked(|j| j.plan.target.email.clone());
            let operator = here_run.with_untracked(|j| j.operator.clone());
            let started = here_run.with_untracked(|j| j.created_at_ms);
            text = across::to_json_text(&person, &operator, started, parts);
        });
        let started = here_run.with_untracked(|j| j.created_at_ms as u64);
        download::save(
            &format!("deletion-everywhere-{started}.json"),
            "application/json",
            &text,
        );
    };
    let verdict = move || {
        // Tracks every run, so the verdict comes once the last has ended.
        if runs.iter().any(|run| run.busy()) {
            return None;
        }
        let mut verdict = None;
        with_parts(&mut |parts| verdict = Some(across::verdict(parts)));
        let verdict = verdict?;
        let role = if verdict.passed() { "status" } else { "alert" };
        Some(view! {
            <div class=format!("verdict {}", verdict.tone()) role=role>
                <p>{format!("Every platform: {}", verdict.headline)}</p>
                <ul class="across-lines" aria-label="Each platform">
                    {verdict.lines.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
                </ul>
            </div>
            <div class="actions no-print">
                <button type="button" on:click=save>"Download the report for every platform (JSON)"</button>
            </div>
        })
    };
    let others = elsewhere.with_value(|all| {
        all.iter()
            .filter_map(|other| other.run.map(|run| (other.name.clone(), run)))
            .map(|(name, run)| {
                view! {
                    <section class="elsewhere-run">
                        <h3>{name}</h3>
                        <RunProgress run=run working="Deleting…" />
                    </section>
                }
            })
            .collect_view()
    });
    view! { {verdict} {others} }
}
