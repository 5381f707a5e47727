//! One person locked out on every connected platform in one run: the person is read on each
//! platform at once, one confirmation lists them all (with each platform's guard), then every
//! chosen platform runs its own lockout concurrently. One verdict covers them all, naming what is
//! left where; a platform that fails never stops the others; one report holds every platform.

use super::guard::{Guard, guard};
use super::timeline::Timeline;
use crate::api::now_ms;
use crate::components::awaited::Awaited;
use crate::components::elsewhere::ElsewhereStanding;
use crate::components::no_such_person::is_missing;
use crate::download;
use crate::everywhere::{self, Found};
use crate::format::access_counts;
use crate::format::{milliseconds, today};
use crate::loaded::Loaded;
use crate::runs::{RunHandle, storage};
use crate::session::{Connection, operator};
use leptos::prelude::*;
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use offboard_engine::run::across::{self, Part, Standing};
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};
use offboard_engine::words;

/// The journal kind of a lockout (see `storage::save`), as the one-platform lockout uses.
const KIND: &str = "emergency";

/// Where a platform stands before anything runs.
#[derive(Clone)]
enum Ahead {
    /// It can run: a fresh lockout, a check that an offboarded person stays so, or the rest of
    /// a lockout interrupted in this browser.
    Runs(Box<Ready>),
    NoAccount,
    Unreached(String),
    Refused(String),
}

/// A platform that can run: whom it reads, the run it will make, and what to know about it.
#[derive(Clone)]
struct Ready {
    inventory: Inventory,
    journal: Journal,
    note: Option<String>,
}

/// One platform in the confirmation.
#[derive(Clone)]
struct Platform {
    connection: Connection,
    ahead: Ahead,
    /// Chosen to run (only a platform that can run may be).
    chosen: RwSignal<bool>,
}

/// A platform while and after the run: its run, or why it has none.
#[derive(Clone)]
struct Running {
    name: String,
    run: Option<(RunHandle, Connection, Inventory)>,
    /// Without a run: where it stands (see `ElsewhereStanding::without_run`).
    standing: Option<ElsewhereStanding>,
}

#[component]
pub fn LockoutEverywhere(who: String, connections: Vec<Connection>) -> impl IntoView {
    let count = connections.len();
    let reads = {
        let who = who.clone();
        Loaded::new(move || {
            let (connections, who) = (connections.clone(), who.clone());
            async move { Ok::<_, ApiError>(everywhere::read(connections, who).await) }
        })
    };
    let started = RwSignal::new_local(None::<(f64, Vec<Running>)>);
    // The runs outlive the confirmation that starts them, so their signals belong to this page.
    let owner = Owner::current().expect("rendered inside the app");
    let ready = move |found: Vec<Found>| match started.get() {
        Some((at, platforms)) => {
            view! { <Progress started_at=at platforms=platforms /> }.into_any()
        }
        None => {
            let platforms: Vec<Platform> = found.into_iter().map(prepare).collect();
            let owner = owner.clone();
            let start = move |platforms: Vec<Platform>| {
                let at = now_ms();
                let running = owner.with(|| platforms.into_iter().map(begin).collect());
                started.set(Some((at, running)));
            };
            view! { <ConfirmEverywhere platforms=platforms start=start /> }.into_any()
        }
    };
    view! {
        <div>
            <Awaited read=reads loading=format!("Finding {who} on {count} platforms…") ready=ready />
        </div>
    }
}

/// What will happen on one platform, decided from what was read and the rules.
fn prepare(found: Found) -> Platform {
    let Found { connection, read } = found;
    let ahead = match read {
        Ok(inventory) => ahead_of(&connection, inventory),
        Err(error) if is_missing(&error) => Ahead::NoAccount,
        Err(error) => Ahead::Unreached(error.plain_words()),
    };
    let chosen = RwSignal::new(matches!(ahead, Ahead::Runs(_)));
    Platform {
        connection,
        ahead,
        chosen,
    }
}

fn ahead_of(connection: &Connection, inventory: Inventory) -> Ahead {
    let dialect = connection.dialect();
    let guard = guard(connection, &inventory.user);
    if let Guard::Refused(reason) = guard {
        return Ahead::Refused(reason);
    }
    let reference = inventory.user.reference(dialect).to_string();
    let fresh = |plan| Journal::new(plan, operator(connection), connection.base_url.clone(), 0.0);
    let (journal, note) = if let Some(journal) =
        storage::unfinished(&connection.base_url, dialect.as_str(), &reference, KIND)
    {
        let note = "Continues the lockout interrupted in this browser; nothing done is sent again.";
        (journal, Some(note.to_string()))
    } else if plan::looks_offboarded(dialect, &inventory) {
        let note = "Already looks offboarded: checks that every access stays removed.";
        (
            fresh(plan::verification(dialect, &inventory)),
            Some(note.to_string()),
        )
    } else {
        let note = match guard {
            Guard::ScimManaged { identity_provider } => Some(format!(
                "Managed by {identity_provider} through SCIM: Offboard revokes the API keys; the account itself is for {identity_provider}."
            )),
            _ => None,
        };
        (fresh(plan::emergency(dialect, &inventory, &today())), note)
    };
    Ahead::Runs(Box::new(Ready {
        inventory,
        journal,
        note,
    }))
}

/// Starts a chosen platform's run (its timeline mounts and drives it), or keeps why it has none.
fn begin(platform: Platform) -> Running {
    let name = platform.connection.name.clone();
    let chosen = platform.chosen.get_untracked();
    match platform.ahead {
        Ahead::Runs(ready) if chosen => {
            let Ready {
                inventory,
                mut journal,
                ..
            } = *ready;
            if journal.calls.is_empty() {
                // Stamped now: the click is when the lockout was ordered.
                journal.created_at_ms = js_sys::Date::now();
                journal.notified_at_ms = Some(js_sys::Date::now());
            }
            Running {
                name,
                run: Some((RunHandle::new(journal), platform.connection, inventory)),
                standing: None,
            }
        }
        Ahead::Runs(ready) => Running {
            name,
            run: None,
            standing: Some(ElsewhereStanding::Allowed(Box::new(ready.inventory))),
        },
        Ahead::NoAccount => Running {
            name,
            run: None,
            standing: Some(ElsewhereStanding::NoAccount),
        },
        Ahead::Unreached(why) => Running {
            name,
            run: None,
            standing: Some(ElsewhereStanding::Unreached(why)),
        },
        Ahead::Refused(why) => Running {
            name,
            run: None,
            standing: Some(ElsewhereStanding::Blocked(why)),
        },
    }
}

/// The one confirmation: each platform with what it holds of the person and what will happen.
#[component]
fn ConfirmEverywhere(
    platforms: Vec<Platform>,
    start: impl Fn(Vec<Platform>) + Clone + 'static,
) -> impl IntoView {
    let person = platforms.iter().find_map(|p| match &p.ahead {
        Ahead::Runs(ready) => Some(ready.inventory.user.clone()),
        _ => None,
    });
    let chosen_count = {
        let platforms = platforms.clone();
        move || platforms.iter().filter(|p| p.chosen.get()).count()
    };
    let title = match &person {
        Some(user) => format!(
            "Lock out {} on every platform?",
            if user.name.is_empty() {
                &user.email
            } else {
                &user.name
            }
        ),
        None => "No one to lock out".to_string(),
    };
    let rows = platforms
        .iter()
        .map(|platform| view! { <PlatformRow platform=platform.clone() /> })
        .collect_view();
    let press = {
        let platforms = platforms.clone();
        move |_| start(platforms.clone())
    };
    let button = {
        let chosen_count = chosen_count.clone();
        move || match chosen_count() {
            0 => "Choose a platform to lock out".to_string(),
            1 => "Lock out on 1 platform now".to_string(),
            n => format!("Lock out on {n} platforms now"),
        }
    };
    view! {
        <div class="card confirm confirm-everywhere">
            <h2>{title}</h2>
            {person.map(|user| view! { <PersonLine user=user /> })}
            <ul class="platform-rows" aria-label="Platforms">{rows}</ul>
            <button type="button" class="danger big" on:click=press
                disabled=move || chosen_count() == 0>{button}</button>
            <p class="hint">"Each platform runs its own steps at the same time; one that fails does not stop the others."</p>
        </div>
    }
}

#[component]
fn PersonLine(user: User) -> impl IntoView {
    view! { <p class="lead">{format!("{} · {}", user.name, user.email)}</p> }
}

/// One platform in the confirmation: a checkbox when it can run, else why not.
#[component]
fn PlatformRow(platform: Platform) -> impl IntoView {
    let connection = platform.connection.clone();
    let place = format!("{} at {}", connection.dialect().label(), connection.host());
    let name = connection.name.clone();
    let detail = match &platform.ahead {
        Ahead::Runs(ready) => {
            let Ready {
                inventory,
                journal,
                note,
            } = &**ready;
            let access = access_counts(
                connection.dialect(),
                inventory.keys.len(),
                inventory.groups.len(),
            );
            let steps: Vec<String> = journal.plan.steps.iter().map(|s| s.title.clone()).collect();
            let chosen = platform.chosen;
            view! {
                <label class="choice">
                    <input type="checkbox" prop:checked=move || chosen.get()
                        on:change=move |ev| chosen.set(event_target_checked(&ev)) />
                    <span><strong>{name}</strong>{format!(" — {place}")}</span>
                </label>
                <p class="platform-detail">{format!("{} ({}). {access}. {}.", inventory.user.name, inventory.user.account_role.map_or("unknown role", |r| r.as_str()), steps.join(", then "))}</p>
                {note.clone().map(|note| view! { <p class="hint">{note}</p> })}
            }
            .into_any()
        }
        Ahead::NoAccount => view! {
            <p><strong>{name}</strong>{format!(" — {place}: no such person here; nothing to do.")}</p>
        }
        .into_any(),
        Ahead::Unreached(why) => view! {
            <p><strong>{name}</strong>{format!(" — {place}: could not be read.")}</p>
            <p class="notice notice-error">{why.clone()}</p>
        }
        .into_any(),
        Ahead::Refused(why) => view! {
            <p><strong>{name}</strong>{format!(" — {place}: not allowed from here.")}</p>
            <p class="notice notice-error">{why.clone()}</p>
        }
        .into_any(),
    };
    view! { <li class="platform-row">{detail}</li> }
}

/// The runs as they happen: one verdict over every platform on top, then each platform's own
/// timeline (with its retry), and the one report once every run has ended.
#[component]
fn Progress(started_at: f64, platforms: Vec<Running>) -> impl IntoView {
    // Built first: each timeline starts its run as it is created, so the verdict below never
    // sees a run that has not begun.
    let timelines = platforms
        .iter()
        .filter_map(|p| p.run.clone().map(|run| (p.name.clone(), run)))
        .map(|(name, (run, connection, inventory))| {
            view! {
                <section class="platform-run">
                    <Timeline run=run connection=connection inventory=inventory platform=name />
                </section>
            }
        })
        .collect_view();
    let handles: Vec<RunHandle> = platforms
        .iter()
        .filter_map(|p| p.run.as_ref().map(|(run, ..)| *run))
        .collect();
    let finished_after = RwSignal::new(None::<f64>);
    {
        let handles = handles.clone();
        crate::reactive::effect(move || {
            let all_ended = handles.iter().all(|run| !run.busy());
            match all_ended {
                true if finished_after.get_untracked().is_none() => {
                    finished_after.set(Some(now_ms() - started_at))
                }
                true => {}
                false => finished_after.set(None),
            }
        });
    }
    let platforms = StoredValue::new(platforms);
    let person = platforms.with_value(|all| {
        all.iter().find_map(|p| {
            p.run
                .as_ref()
                .map(|(_, _, inventory)| inventory.user.clone())
        })
    });
    let verdict = move || {
        let Some(total) = finished_after.get() else {
            let count = handles.len();
            return view! {
                <p class="verdict running" role="status">{format!("Locking out on {}…", words::count(count, "platform"))}</p>
            }
            .into_any();
        };
        let verdict = platforms.with_value(|all| with_parts(all, across::verdict));
        let seconds = milliseconds(total);
        let headline = match verdict.passed() {
            true => format!("Locked out everywhere in {seconds}. {}", verdict.headline),
            false => format!("Not fully locked out after {seconds}. {}", verdict.headline),
        };
        let role = if verdict.passed() { "status" } else { "alert" };
        let tone = verdict.tone();
        view! {
            <div class=format!("verdict {tone}") role=role data-total-ms=(total.round() as u64).to_string()>
                <p>{headline}</p>
                <ul class="across-lines" aria-label="Each platform">
                    {verdict.lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any()
    };
    let save = move |_| {
        let (name, text) = platforms.with_value(|all| {
            let first = all.iter().find_map(|p| p.run.as_ref());
            let (person, operator) = first
                .map(|(_, connection, inventory)| {
                    (inventory.user.email.clone(), operator(connection))
                })
                .unwrap_or_default();
            let text = with_parts(all, |parts| {
                across::to_json_text(&person, &operator, started_at, parts)
            });
            (
                format!("emergency-everywhere-{}.json", started_at as u64),
                text,
            )
        });
        download::save(&name, "application/json", &text);
    };
    view! {
        <div class="lockout lockout-everywhere">
            {person.map(|user| view! { <h2>{format!("{} · {}", user.name, user.email)}</h2> })}
            {verdict}
            {timelines}
            {move || finished_after.get().map(|_| view! {
                <div class="actions no-print">
                    <button type="button" on:click=save>"Download the report for every platform (JSON)"</button>
                </div>
            })}
        </div>
    }
}

/// Lends the engine each platform's standing (the journals borrowed for the call).
fn with_parts<R>(platforms: &[Running], judge: impl FnOnce(&[Part]) -> R) -> R {
    let journals: Vec<Option<Journal>> = platforms
        .iter()
        .map(|p| p.run.as_ref().map(|(run, ..)| run.with(Clone::clone)))
        .collect();
    let parts: Vec<Part> = platforms
        .iter()
        .zip(&journals)
        .map(|(platform, journal)| Part {
            platform: &platform.name,
            standing: match (journal, &platform.standing) {
                (Some(journal), _) => Standing::Ran(journal),
                (None, Some(standing)) => standing.without_run(),
                (None, None) => Standing::NotRun,
            },
        })
        .collect();
    judge(&parts)
}
