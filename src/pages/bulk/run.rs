//! Running a checked bulk file: the lines that may run (a row on one platform), a few people at
//! a time on each platform, each line a run of its own (its journal kept, so it is on the runs
//! page and survives a reload); an overall progress bar and each line's state; pause (no one new
//! starts, whoever runs finishes), resume, retry what failed, and the result to download (CSV
//! and JSON, one line per person and platform).

use super::session::{self, Session};
use crate::download;
use crate::format::today;
use crate::pages::emergency::read_holdings;
use crate::routes;
use crate::runs::RunHandle;
use crate::session::Connection;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::bulk::{BulkMode, PlatformLine, RowPreview};
use offboard_engine::model::User;
use offboard_engine::run::edit;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Departure, Inventory, RunKind};
use offboard_engine::run::report;
use offboard_engine::run::verdict::retry_may_help;
use offboard_engine::snapshot::csv;
use serde_json::json;
use std::collections::BTreeMap;

/// Where one row stands.
#[derive(Clone)]
pub enum PersonState {
    /// The check found why it must not run.
    Held(String),
    /// The person has no account on this line's platform (they have one on another).
    Absent,
    Waiting,
    /// Reading the person before the run starts.
    Starting,
    Running(RunHandle),
    /// Ended; whether running it again could change its verdict, judged once as it ended (a
    /// screen asking each finished run again at every change would be quadratic in people).
    Finished {
        handle: RunHandle,
        retry_helps: bool,
    },
    /// The run could not start (the person could not be read).
    Failed(String),
}

/// A bulk run on screen. Cheap to copy.
#[derive(Clone, Copy)]
pub struct BulkRun {
    lines: StoredValue<Vec<PlatformLine>>,
    /// One signal per line, so a change redraws that line alone.
    states: StoredValue<Vec<RwSignal<PersonState, LocalStorage>>, LocalStorage>,
    /// Bumped at every change of any line: what counts over all lines tracks it.
    changes: RwSignal<u32>,
    /// (finished, of) among the lines that run, counted once per change however many views
    /// read it (the label, the bar and the buttons).
    tally: Memo<(usize, usize)>,
    pub paused: RwSignal<bool>,
    /// Every platform, in the order lines refer to them.
    connections: StoredValue<Vec<Connection>>,
    /// How many lines may run at once on each platform.
    at_once: StoredValue<Vec<usize>>,
    /// The page's owner: each person's run lives as long as the page, not as its row's view.
    owner: StoredValue<Owner, LocalStorage>,
    session: StoredValue<Session, LocalStorage>,
    /// Journals of an interrupted bulk run, by [`session::line_key`], to continue rather than
    /// start again.
    earlier: StoredValue<BTreeMap<String, Journal>, LocalStorage>,
}

impl BulkRun {
    /// Starts the lines that may run (continuing those `session` already has journals for).
    pub fn start(
        lines: Vec<PlatformLine>,
        connections: Vec<Connection>,
        at_once: Vec<usize>,
        session: Session,
    ) -> Self {
        let earlier: BTreeMap<String, Journal> = session
            .journals
            .iter()
            .filter_map(|(key, id)| Some((key.clone(), crate::runs::storage::load(id)?)))
            .collect();
        // A line that started before a reload goes on from its journal whatever the check
        // says now: the person it removed is no longer found, and that is its own doing.
        let started = |line: &PlatformLine| {
            let platform = session::platform_key(&connections[line.platform]);
            earlier.contains_key(&session::line_key(line.preview.row.line, &platform))
        };
        let states: Vec<PersonState> = lines
            .iter()
            .map(|line| match (started(line), line.absent, line.runs()) {
                (true, _, _) => PersonState::Waiting,
                (false, true, _) => PersonState::Absent,
                (false, false, true) => PersonState::Waiting,
                (false, false, false) => PersonState::Held(
                    line.preview
                        .flags
                        .iter()
                        .map(|flag| flag.describe())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            })
            .collect();
        session::save(&session);
        let states: StoredValue<Vec<RwSignal<PersonState, LocalStorage>>, LocalStorage> =
            StoredValue::new_local(states.into_iter().map(RwSignal::new_local).collect());
        let changes = RwSignal::new(0);
        let tally = Memo::new(move |_| {
            changes.track();
            states.with_value(|states| count_finished(states))
        });
        let run = BulkRun {
            lines: StoredValue::new(lines),
            states,
            changes,
            tally,
            paused: RwSignal::new(false),
            connections: StoredValue::new(connections),
            at_once: StoredValue::new(at_once),
            owner: StoredValue::new_local(Owner::current().expect("rendered inside the app")),
            session: StoredValue::new_local(session),
            earlier: StoredValue::new_local(earlier),
        };
        run.pump();
        run
    }

    pub fn lines(&self) -> Vec<PlatformLine> {
        self.lines.get_value()
    }

    /// The names of the platforms when there are several (a single platform goes unnamed).
    pub fn platform_names(&self) -> Option<Vec<String>> {
        self.connections
            .with_value(|all| (all.len() > 1).then(|| all.iter().map(|c| c.name.clone()).collect()))
    }

    fn connection_of(self, index: usize) -> Connection {
        let platform = self.lines.with_value(|lines| lines[index].platform);
        self.connections.with_value(|all| all[platform].clone())
    }

    /// Starts waiting lines while fewer than the platform's people at once run there and the
    /// run is not paused.
    fn pump(self) {
        if self.paused.get_untracked() {
            return;
        }
        let states = self.snapshot();
        let platform_of: Vec<usize> = self
            .lines
            .with_value(|lines| lines.iter().map(|l| l.platform).collect());
        let platforms = self.connections.with_value(Vec::len);
        let mut active = vec![0; platforms];
        for (state, platform) in states.iter().zip(&platform_of) {
            if matches!(state, PersonState::Starting | PersonState::Running(_)) {
                active[*platform] += 1;
            }
        }
        for (index, state) in states.iter().enumerate() {
            let platform = platform_of[index];
            let limit = self
                .at_once
                .with_value(|at_once| at_once.get(platform).copied().unwrap_or(3));
            if matches!(state, PersonState::Waiting) && active[platform] < limit {
                active[platform] += 1;
                self.set(index, PersonState::Starting);
                spawn_local(async move { self.launch(index).await });
            }
        }
    }

    fn set(self, index: usize, state: PersonState) {
        let Some(signal) = self.states.try_with_value(|states| states[index]) else {
            return; // the page is gone
        };
        let _ = signal.try_set(state);
        let _ = self.changes.try_update(|n| *n = n.wrapping_add(1));
    }

    /// One line's state, tracked.
    pub fn state(&self, index: usize) -> PersonState {
        self.states.with_value(|states| states[index]).get()
    }

    /// Every line's state now, untracked.
    fn snapshot(&self) -> Vec<PersonState> {
        self.states
            .with_value(|states| states.iter().map(|s| s.get_untracked()).collect())
    }

    pub fn pause(self) {
        self.paused.set(true);
    }

    pub fn resume(self) {
        self.paused.set(false);
        self.pump();
    }

    /// Runs again what a retry can change: runs whose verdict is not verified where a step
    /// failed for a passing reason, and people who could not be read.
    pub fn retry_failed(self) {
        for (index, state) in self.snapshot().into_iter().enumerate() {
            match state {
                PersonState::Finished {
                    handle,
                    retry_helps: true,
                } => {
                    self.set(index, PersonState::Running(handle));
                    let connection = self.connection_of(index);
                    handle.run(&connection, None, move || self.finished(index, handle));
                }
                PersonState::Failed(_) => self.set(index, PersonState::Waiting),
                _ => {}
            }
        }
        self.pump();
    }

    fn finished(self, index: usize, handle: RunHandle) {
        let retry_helps =
            handle.with_untracked(|j| !report::verdict(j).passed() && retry_may_help(j));
        self.set(
            index,
            PersonState::Finished {
                handle,
                retry_helps,
            },
        );
        // Once everyone has ended there is nothing to continue after a reload (the runs and
        // their reports stay on the runs page).
        if self.all_ended() {
            session::clear();
        }
        self.pump();
    }

    /// One line: its journal continued, or a new run drawn by the engine for the row's mode.
    async fn launch(self, index: usize) {
        let preview = self.lines.with_value(|lines| lines[index].preview.clone());
        let connection = self.connection_of(index);
        let row = &preview.row;
        let key = session::line_key(row.line, &session::platform_key(&connection));
        let departure = Departure {
            date: today(),
            reason: row.reason.clone(),
            handed_off_to: row.handed_off_to.clone().unwrap_or_default(),
        };
        let journal = match self
            .earlier
            .try_update_value(|earlier| earlier.remove(&key))
        {
            Some(Some(journal)) => journal,
            _ => match new_journal(&connection, &preview).await {
                Ok(journal) => journal,
                Err(why) => return self.set(index, PersonState::Failed(why)),
            },
        };
        let id = journal.id.clone();
        let Some(handle) = self
            .owner
            .try_with_value(|owner| owner.with(|| RunHandle::new(journal)))
        else {
            return; // the page is gone
        };
        self.session.update_value(|session| {
            session.journals.insert(key, id);
            session::save(session);
        });
        self.set(index, PersonState::Running(handle));
        let done = move || self.finished(index, handle);
        let guided =
            handle.with(|j| j.plan.kind == RunKind::Wizard && !j.plan.departure_confirmed());
        match guided {
            true => handle.run_guided(&connection, departure, row.keys.clone(), done),
            false => handle.run(&connection, None, done),
        }
    }

    /// (finished, of) among the lines that run.
    pub fn progress(&self) -> (usize, usize) {
        self.tally.get()
    }

    /// One line per person and platform: what happened, with the run's id (its report is on
    /// the runs page).
    pub fn result_csv(&self) -> String {
        let mut lines = vec![
            [
                "line", "who", "name", "platform", "mode", "result", "detail", "run",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for (line, state) in self.lines.get_value().iter().zip(self.snapshot()) {
            let (result, detail, run) = outcome(&state);
            let preview = &line.preview;
            lines.push(vec![
                preview.row.line.to_string(),
                preview.row.who.clone(),
                preview
                    .person
                    .as_ref()
                    .map_or(String::new(), |p| p.name.clone()),
                self.platform_name(line.platform),
                preview.row.mode.as_str().to_string(),
                result,
                detail,
                run,
            ]);
        }
        csv(&lines)
    }

    /// The same, with each run's whole report.
    pub fn result_json(&self) -> String {
        let people: Vec<_> = self
            .lines
            .get_value()
            .iter()
            .zip(self.snapshot())
            .map(|(line, state)| {
                let preview = &line.preview;
                let (result, detail, run) = outcome(&state);
                let report = match &state {
                    PersonState::Finished { handle, .. } => handle.with(report::to_json),
                    _ => serde_json::Value::Null,
                };
                json!({
                    "line": preview.row.line,
                    "who": preview.row.who,
                    "platform": self.platform_name(line.platform),
                    "mode": preview.row.mode.as_str(),
                    "result": result,
                    "detail": detail,
                    "run": run,
                    "report": report,
                })
            })
            .collect();
        serde_json::to_string_pretty(&json!({ "offboardBulk": 1, "people": people }))
            .unwrap_or_default()
    }

    /// A platform as result files name it (its name, which says its kind and host unless the
    /// admin named it).
    fn platform_name(&self, platform: usize) -> String {
        self.connections
            .with_value(|all| all[platform].name.clone())
    }

    /// Whether a retry could change anything (see [`BulkRun::retry_failed`]).
    pub fn any_to_retry(&self) -> bool {
        self.changes.track();
        self.states.with_value(|states| {
            states.iter().any(|state| {
                state.with_untracked(|state| {
                    matches!(
                        state,
                        PersonState::Failed(_)
                            | PersonState::Finished {
                                retry_helps: true,
                                ..
                            }
                    )
                })
            })
        })
    }

    /// Every row has ended: the bulk run is no longer offered to continue.
    pub fn all_ended(&self) -> bool {
        let (done, total) = self.progress();
        done == total
    }

    pub fn forget(&self) {
        session::clear();
    }

    pub fn save_results(&self) {
        let day = today();
        download::save(
            &format!("offboard-bulk-{day}.csv"),
            "text/csv",
            &self.result_csv(),
        );
    }

    pub fn save_results_json(&self) {
        let day = today();
        download::save(
            &format!("offboard-bulk-{day}.json"),
            "application/json",
            &self.result_json(),
        );
    }
}

/// (finished, of) among the lines that run (not those held or with no account there).
fn count_finished(states: &[RwSignal<PersonState, LocalStorage>]) -> (usize, usize) {
    let (mut done, mut total) = (0, 0);
    for state in states {
        state.with_untracked(|state| match state {
            PersonState::Held(_) | PersonState::Absent => {}
            PersonState::Finished { .. } | PersonState::Failed(_) => {
                done += 1;
                total += 1;
            }
            _ => total += 1,
        });
    }
    (done, total)
}

/// (result, detail, run id) of a row, as the result files say it.
pub fn outcome(state: &PersonState) -> (String, String, String) {
    match state {
        PersonState::Held(why) => ("not run".into(), why.clone(), String::new()),
        PersonState::Absent => (
            "no account".into(),
            "No such person on this platform; they have an account on another.".into(),
            String::new(),
        ),
        PersonState::Waiting | PersonState::Starting => {
            ("waiting".into(), String::new(), String::new())
        }
        PersonState::Failed(why) => ("did not start".into(), why.clone(), String::new()),
        PersonState::Running(handle) | PersonState::Finished { handle, .. } => {
            handle.with(|journal| {
                let verdict = report::verdict(journal);
                let word = match handle.busy() {
                    true => "running",
                    false => verdict.outcome.word(),
                };
                (word.to_string(), verdict.headline, journal.id.clone())
            })
        }
    }
}

/// The run the engine draws for a row: the guided steps start from the person alone (step 1
/// documents the rest); a lockout and a deletion read the keys and groups first. Someone who
/// already looks offboarded is verified instead of locked out again.
async fn new_journal(connection: &Connection, preview: &RowPreview) -> Result<Journal, String> {
    let dialect = connection.dialect();
    let operator = crate::session::operator(connection);
    let endpoint = connection.base_url.clone();
    let now = js_sys::Date::now();
    let person: User = preview.person.clone().ok_or("no such person")?;
    if preview.row.mode == BulkMode::Disable {
        let inventory = Inventory {
            user: person,
            ..Inventory::default()
        };
        return Ok(edit::start_wizard(
            dialect,
            &inventory,
            &today(),
            operator,
            endpoint,
            now,
        ));
    }
    let inventory = read_holdings(connection.clone(), person)
        .await
        .map_err(|error| error.plain_words())?;
    let plan = match preview.row.mode {
        BulkMode::Emergency if plan::looks_offboarded(dialect, &inventory) => {
            plan::verification(dialect, &inventory)
        }
        BulkMode::Emergency => plan::emergency(dialect, &inventory, &today()),
        _ => plan::deletion(dialect, &inventory, preview.row.keys.clone()),
    };
    let mut journal = Journal::new(plan, operator, endpoint, now);
    journal.notified_at_ms = Some(now);
    Ok(journal)
}

/// Lines shown at once: every line shown is laid out again as the runs change, so a page of
/// a few dozen keeps a run of hundreds of people light (measured for 500 people in one table:
/// 12 ms per layout, 21 s of a 52 s run).
const PAGE: usize = 50;

/// One line of the run: who, where, the mode, its live state and its report.
fn line_row(
    run: BulkRun,
    index: usize,
    line: PlatformLine,
    names: Option<&[String]>,
) -> impl IntoView + use<> {
    let preview = line.preview;
    let platform = names.map(|names| view! { <td>{names[line.platform].clone()}</td> });
    let state = move || run.state(index);
    let shown = move || {
        match state() {
        PersonState::Held(why) => view! { <span class="muted">{format!("Not run: {why}")}</span> }.into_any(),
        PersonState::Absent => view! { <span class="muted">"No account here: nothing to do."</span> }.into_any(),
        PersonState::Waiting => view! { <span class="muted">{move || if run.paused.get() { "Paused" } else { "Waiting" }}</span> }.into_any(),
        PersonState::Starting => view! { <span>"Reading the person…"</span> }.into_any(),
        PersonState::Failed(why) => view! { <span class="verdict-fail">{format!("Did not start: {why}")}</span> }.into_any(),
        PersonState::Running(handle) | PersonState::Finished { handle, .. } => view! { <PersonRun handle=handle /> }.into_any(),
    }
    };
    // Each link named apart: with several platforms a person has one report on each.
    let label = match names {
        Some(names) => format!(
            "Open the report of {} on {}",
            preview.row.who, names[line.platform]
        ),
        None => format!("Open the report of {}", preview.row.who),
    };
    let report = move || match state() {
        PersonState::Finished { handle, .. } | PersonState::Running(handle) => {
            let id = handle.with(|j| j.id.clone());
            let label = label.clone();
            Some(view! { <a href=routes::run(&id) aria-label=label>"Report"</a> })
        }
        _ => None,
    };
    view! {
        <tr>
            <td class="num">{preview.row.line}</td>
            <th scope="row">{preview.person.as_ref().map_or_else(|| "—".to_string(), |p| p.name.clone())}<br /><span class="muted">{preview.row.who.clone()}</span></th>
            {platform}
            <td>{preview.row.mode.as_str()}</td>
            <td>{shown}</td>
            <td>{report}</td>
        </tr>
    }
}

/// The run's progress and each person's state, with pause, resume, retry and the result.
#[component]
pub fn BulkRunView(run: BulkRun) -> impl IntoView {
    let progress = move || run.progress();
    let names = StoredValue::new(run.platform_names());
    let several = names.with_value(Option::is_some);
    let all = StoredValue::new(run.lines());
    let count = all.with_value(Vec::len);
    let page = RwSignal::new(0usize);
    let pages = count.div_ceil(PAGE).max(1);
    // Only the page shown is in the document: its lines are rebuilt when the page changes.
    let lines = move || {
        let first = page.get() * PAGE;
        all.with_value(|all| {
            all.iter()
                .enumerate()
                .skip(first)
                .take(PAGE)
                .map(|(index, line)| {
                    names.with_value(|names| line_row(run, index, line.clone(), names.as_deref()))
                })
                .collect_view()
        })
    };
    let at_last = move || page.get() + 1 >= pages;
    let pager = (pages > 1).then(|| {
        let shown = move || {
            let first = page.get() * PAGE;
            format!("Showing {}–{} of {count}", first + 1, (first + PAGE).min(count))
        };
        view! {
            <nav class="pager actions no-print" aria-label="Lines of the bulk run">
                <button type="button" disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous page"</button>
                <span role="status">{shown}</span>
                <button type="button" disabled=at_last
                    on:click=move |_| page.update(|p| *p = (*p + 1).min(pages - 1))>"Next page"</button>
            </nav>
        }
    });
    view! {
        <section class="card bulk-run" aria-labelledby="bulk-run-title">
            <h2 id="bulk-run-title">"Offboarding"</h2>
            <div class="bulk-progress">
                <label for="bulk-progress-bar">{move || { let (done, total) = progress(); match several {
                    true => format!("{done} of {total} offboardings finished"),
                    false => format!("{done} of {total} people finished"),
                } }}</label>
                <progress id="bulk-progress-bar" max=move || progress().1 value=move || progress().0></progress>
            </div>
            <div class="actions no-print">
                {move || match run.paused.get() {
                    false => view! { <button type="button" on:click=move |_| run.pause() disabled=move || run.all_ended()>"Pause"</button> }.into_any(),
                    true => view! { <button type="button" class="primary" on:click=move |_| run.resume()>"Resume"</button> }.into_any(),
                }}
                <button type="button" on:click=move |_| run.retry_failed() disabled=move || !run.any_to_retry()>"Retry failed"</button>
                <button type="button" on:click=move |_| run.save_results()>"Download result (CSV)"</button>
                <button type="button" on:click=move |_| run.save_results_json()>"Download result (JSON)"</button>
            </div>
            <div class="runs-table">
                <table class="compact">
                    <thead><tr>
                        <th scope="col">"Line"</th><th scope="col">"Person"</th>
                        {several.then(|| view! { <th scope="col">"Platform"</th> })}
                        <th scope="col">"Mode"</th><th scope="col">"State"</th><th scope="col"><span class="visually-hidden">"Report"</span></th>
                    </tr></thead>
                    <tbody>{lines}</tbody>
                </table>
            </div>
            {pager}
        </section>
    }
}

/// One person's run as it goes: the step running and its count, then the verdict.
#[component]
fn PersonRun(handle: RunHandle) -> impl IntoView {
    move || {
        handle.with(|journal| {
            if handle.busy() {
                let step = journal
                    .steps
                    .iter()
                    .position(|s| s.status == offboard_engine::run::journal::StepStatus::Running);
                let text = match step {
                    Some(index) => {
                        let title = &journal.plan.steps[index].title;
                        let done = report::progress(journal, index).describe();
                        format!(
                            "Running: {title}{}",
                            if done.is_empty() {
                                String::new()
                            } else {
                                format!(" ({done})")
                            }
                        )
                    }
                    None => "Running…".to_string(),
                };
                return view! { <span>{text}</span> }.into_any();
            }
            let verdict = report::verdict(journal);
            let class = match verdict.tone() {
                "pass" => "verdict-pass",
                "partial" => "verdict-partial",
                _ => "verdict-fail",
            };
            view! { <span class=class>{verdict.headline}</span> }.into_any()
        })
    }
}
