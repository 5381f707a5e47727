//! A run on one platform with several connected: the person is looked up on the others, each
//! account the rules allow is offered (ticked) beside this one, and the runs there go at the
//! same time as this platform's, each with its own journal and report, under one verdict and
//! one report over every platform. The delete modal and the guided offboarding use it (the
//! emergency lockout has its own, built to confirm everything in one tap).

use crate::components::no_such_person::is_missing;
use crate::components::run_progress::RunProgress;
use crate::download;
use crate::everywhere::{self, Found};
use crate::loaded::Loaded;
use crate::runs::RunHandle;
use crate::session::{Connection, operator};
use leptos::prelude::*;
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use offboard_engine::run::across::{self, Part, Standing};
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::Inventory;
use offboard_engine::words;

/// One other platform: the account found there and whether to run there too.
#[derive(Clone)]
pub struct Elsewhere {
    pub connection: Connection,
    pub standing: ElsewhereStanding,
    pub chosen: RwSignal<bool>,
}

#[derive(Clone)]
pub enum ElsewhereStanding {
    /// The rules allow the run there.
    Allowed(Box<Inventory>),
    Blocked(String),
    NoAccount,
    Unreached(String),
}

/// The rule that keeps the connected admin from running on `user` there, in plain words.
pub type Rule = fn(&Connection, &User) -> Option<String>;

impl ElsewhereStanding {
    /// Where the platform stands in the verdict over every platform when no run was made
    /// there (an account the rules allow but nobody chose is "not run", never a quiet gap).
    pub fn without_run(&self) -> Standing<'_> {
        match self {
            ElsewhereStanding::Allowed(_) => Standing::NotRun,
            ElsewhereStanding::Blocked(rule) => Standing::Refused(rule),
            ElsewhereStanding::NoAccount => Standing::NoAccount,
            ElsewhereStanding::Unreached(why) => Standing::Unreached(why),
        }
    }
}

/// Looks the person up on `others` (every connected platform but this one).
pub fn look_elsewhere(
    others: Vec<Connection>,
    email: String,
    rule: Rule,
) -> Loaded<Vec<Elsewhere>> {
    Loaded::new(move || {
        let (others, email) = (others.clone(), email.clone());
        async move {
            let found = everywhere::read(others, email).await;
            Ok::<_, ApiError>(found.into_iter().map(|f| standing_of(f, rule)).collect())
        }
    })
}

fn standing_of(found: Found, rule: Rule) -> Elsewhere {
    let Found { connection, read } = found;
    let standing = match read {
        Ok(inventory) => match rule(&connection, &inventory.user) {
            Some(rule) => ElsewhereStanding::Blocked(rule),
            None => ElsewhereStanding::Allowed(Box::new(inventory)),
        },
        Err(error) if is_missing(&error) => ElsewhereStanding::NoAccount,
        Err(error) => ElsewhereStanding::Unreached(error.plain_words()),
    };
    let chosen = RwSignal::new(matches!(standing, ElsewhereStanding::Allowed(_)));
    Elsewhere {
        connection,
        standing,
        chosen,
    }
}

/// The other platforms in the form: a ticked box for each account the run may reach too,
/// labelled "{verb} on TD EU too (First Last, 2 API keys{what})".
#[component]
pub fn ElsewhereChoices(
    elsewhere: Loaded<Vec<Elsewhere>>,
    verb: &'static str,
    /// What else the box should say, e.g. "; keys deleted".
    what: &'static str,
) -> impl IntoView {
    move || {
        match elsewhere.get() {
        None => view! { <p class="muted loading" role="status">"Looking on the other platforms…"</p> }
            .into_any(),
        Some(Err(_)) => ().into_any(),
        Some(Ok(all)) => view! {
            <fieldset class="elsewhere">
                <legend>"On the other connected platforms"</legend>
                {all.into_iter().map(|other| view! { <ElsewhereChoice other=other verb=verb what=what /> }).collect_view()}
            </fieldset>
        }
        .into_any(),
    }
    }
}

#[component]
fn ElsewhereChoice(other: Elsewhere, verb: &'static str, what: &'static str) -> impl IntoView {
    let name = other.connection.name.clone();
    match other.standing {
        ElsewhereStanding::Allowed(inventory) => {
            let chosen = other.chosen;
            let what = format!(
                "{verb} on {name} too ({}, {}{what})",
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
            view! { <p class="rule">{format!("{name}: not from here. {rule}")}</p> }.into_any()
        }
        ElsewhereStanding::NoAccount => {
            view! { <p class="hint">{format!("{name}: no such person; nothing to do there.")}</p> }
                .into_any()
        }
        ElsewhereStanding::Unreached(why) => view! {
            <p class="notice notice-error">{format!("{name} could not be read: {why}")}</p>
        }
        .into_any(),
    }
}

/// A run started on another platform.
#[derive(Clone)]
pub struct ElsewhereRun {
    pub name: String,
    pub run: Option<RunHandle>,
    pub standing: ElsewhereStanding,
}

/// Starts the chosen runs elsewhere (under `owner`, so they outlive the form that started
/// them): `journal` draws each platform's run, `drive` sets it going.
pub fn start_elsewhere(
    elsewhere: Vec<Elsewhere>,
    owner: Option<&Owner>,
    journal: impl Fn(&Connection, &Inventory, String) -> Journal,
    drive: impl Fn(RunHandle, &Connection),
) -> Vec<ElsewhereRun> {
    elsewhere
        .into_iter()
        .map(|other| {
            let name = other.connection.name.clone();
            let run = match &other.standing {
                ElsewhereStanding::Allowed(inventory) if other.chosen.get_untracked() => {
                    let connection = &other.connection;
                    let drawn = journal(connection, inventory, operator(connection));
                    let handle = match owner {
                        Some(owner) => owner.with(|| RunHandle::new(drawn)),
                        None => RunHandle::new(drawn),
                    };
                    drive(handle, connection);
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

/// While and after the runs: one verdict over every platform with one report, then each other
/// platform's run (this platform's is shown by the screen itself).
#[component]
pub fn AcrossRuns(
    here: (String, RunHandle),
    elsewhere: Vec<ElsewhereRun>,
    /// What the other runs are doing, e.g. "Deleting…".
    working: &'static str,
    /// The report file's name begins with it, e.g. "deletion-everywhere".
    file: &'static str,
    /// When this platform's run is over, if not when it stops being busy (a guided run rests
    /// between its steps).
    #[prop(optional)]
    ready: Option<Signal<bool>>,
) -> impl IntoView {
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
                    let standing = match journal {
                        Some(journal) => Standing::Ran(journal),
                        None => other.standing.without_run(),
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
        download::save(&format!("{file}-{started}.json"), "application/json", &text);
    };
    let verdict = move || {
        // Tracks every run, so the verdict comes once the last has ended.
        if runs.iter().any(|run| run.busy()) || ready.is_some_and(|ready| !ready.get()) {
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
                        <RunProgress run=run working=working />
                    </section>
                }
            })
            .collect_view()
    });
    view! { {verdict} {others} }
}
