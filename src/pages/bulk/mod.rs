//! `/bulk`: offboarding many people at once from a CSV (pasted or chosen as a file), on every
//! connected platform. Nothing runs before every row is checked: the file is read (a file that
//! is not a list of people is refused whole), every person is looked up on each platform and
//! the lines (a row on one platform) that must not run say why; a dry run lists every call;
//! then, after one confirmation, the rest run a few at a time per platform (see `run`). A bulk
//! run interrupted by a reload is offered to continue.

mod check;
mod dry_run;
mod run;
mod session;

use crate::components::error_notice::ApiErrorNotice;
use crate::components::modal::Modal;
use crate::session::{Connection, use_session};
use dry_run::DryRun;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::bulk::{self, PlatformLine};
use offboard_engine::error::ApiError;
use run::{BulkRun, BulkRunView};
use session::Session;
use wasm_bindgen::JsCast;

const EXAMPLE: &str = "email,reason,handed_off_to,mode\nfirst.last@company.com,Team closed,replacement@company.com,disable";

#[component]
pub fn BulkPage() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<(String, ApiError)>);
    let checking = RwSignal::new(false);
    let checked = RwSignal::new(None::<Vec<PlatformLine>>);
    // People at once on each platform, as the check found the connection (see `check`).
    let at_once = RwSignal::new(Vec::<usize>::new());
    let confirming = RwSignal::new(false);
    let run = RwSignal::new_local(None::<BulkRun>);
    // Every connected platform, the current one first.
    let connections = StoredValue::new(use_session().everywhere());
    let platforms: Vec<String> =
        connections.with_value(|all| all.iter().map(session::platform_key).collect());
    let several = connections.with_value(|all| all.len() > 1);
    let interrupted = RwSignal::new(session::load(&platforms));
    let owner = Owner::current().expect("rendered inside the app");

    // Reads the file and checks every row; `then` gets the lines (start a run, or show them).
    let check_rows = move |then: Box<dyn FnOnce(Vec<PlatformLine>)>| {
        refused.set(None);
        failed.set(None);
        let rows = match bulk::parse(&text.get_untracked()) {
            Ok(rows) => rows,
            Err(why) => return refused.set(Some(why)),
        };
        checking.set(true);
        let connections = connections.get_value();
        spawn_local(async move {
            let previews = check::check_everywhere(&connections, &rows).await;
            let _ = checking.try_set(false);
            match previews {
                Ok(found) => {
                    at_once.set(found.at_once);
                    then(found.lines)
                }
                Err(error) => {
                    let _ = failed.try_set(Some(error));
                }
            }
        });
    };
    let check = move |_| check_rows(Box::new(move |previews| checked.set(Some(previews))));
    let start = move |lines: Vec<PlatformLine>, session: Session| {
        let started = owner.with(|| {
            BulkRun::start(
                lines,
                connections.get_value(),
                at_once.get_untracked(),
                session,
            )
        });
        run.set(Some(started));
        interrupted.set(None);
    };
    let confirm = {
        let start = start.clone();
        move |_| {
            confirming.set(false);
            let previews = checked.get_untracked().unwrap_or_default();
            let session = Session {
                platforms: platforms.clone(),
                csv: text.get_untracked(),
                journals: Default::default(),
            };
            start(previews, session);
        }
    };
    let continue_run = {
        let start = start.clone();
        move |_| {
            let Some(session) = interrupted.get_untracked() else {
                return;
            };
            text.set(session.csv.clone());
            let start = start.clone();
            check_rows(Box::new(move |previews| start(previews, session)));
        }
    };
    let discard = move |_| {
        session::clear();
        interrupted.set(None);
    };
    let start_over = move |_| {
        if let Some(finished) = run.get_untracked() {
            finished.forget();
        }
        run.set(None);
        checked.set(None);
    };

    let input = move || {
        (run.with(Option::is_none) && checked.with(Option::is_none)).then(|| {
            view! {
                <label for="bulk-csv">"People (CSV)"</label>
                <p class="hint" id="bulk-csv-hint">"A header row, then one person per line. Columns: email or user_id; optional reason, handed_off_to, mode (disable, emergency or delete; disable by default) and api_keys (delete, or reassign:<email> on Treasure Data)."</p>
                <textarea id="bulk-csv" rows="8" aria-describedby="bulk-csv-hint" placeholder=EXAMPLE
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <label for="bulk-file">"Or choose a CSV file"</label>
                <input id="bulk-file" type="file" accept=".csv,text/csv" on:change=move |ev| read_file(ev, text) />
                <div class="actions">
                    <button type="button" class="primary" on:click=check disabled=move || checking.get()>
                        {move || if checking.get() { "Checking…" } else { "Check these people" }}
                    </button>
                </div>
            }
        })
    };
    let preview = move || {
        let lines = checked.get()?;
        run.with(Option::is_none).then(|| {
            let will_run = lines.iter().filter(|l| l.runs()).count();
            let status = summary(&lines, several);
            view! {
                <section class="card bulk-preview" aria-labelledby="bulk-preview-title">
                    <h2 id="bulk-preview-title" tabindex="-1">"Check"</h2>
                    <p role="status">{status}</p>
                    <PreviewTable lines=lines.clone() connections=connections.get_value() />
                    <DryRun connections=connections.get_value() lines=lines.clone() />
                    <div class="actions">
                        <button type="button" on:click=start_over>"Change the file"</button>
                        <button type="button" class="danger" disabled=will_run == 0 aria-haspopup="dialog"
                            on:click=move |_| confirming.set(true)>{offboard_button(will_run, several)}</button>
                    </div>
                </section>
            }
        })
    };
    let confirm_dialog = move || {
        confirming.get().then(|| {
            let count = checked.with(|c| c.as_ref().map_or(0, |l| l.iter().filter(|l| l.runs()).count()));
            let places = connections.with_value(|all| {
                let named: Vec<String> = all.iter().map(|c| format!("{} ({} at {})", c.name, c.dialect().label(), c.host())).collect();
                offboard_engine::words::and_list(&named)
            });
            let close = Callback::new(move |()| confirming.set(false));
            let confirm = confirm.clone();
            let title = match several {
                true => format!("Run {count} offboardings?"),
                false => format!("Offboard {count} people?"),
            };
            view! {
                <Modal labelled_by="bulk-confirm-title" on_close=close>
                    <h2 id="bulk-confirm-title">{title}</h2>
                    <p>{format!("Each one's access is taken away on {places} as their row says, {}, and verified. The lines that will not run are left alone.", words_at_once(&connections.get_value(), &at_once.get_untracked()))}</p>
                    <div class="actions">
                        <button type="button" data-autofocus on:click=move |_| close.run(())>"Cancel"</button>
                        <button type="button" class="danger" on:click=confirm.clone()>"Offboard them now"</button>
                    </div>
                </Modal>
            }
        })
    };
    let running = move || {
        run.get().map(|run| {
            view! {
                <BulkRunView run=run />
                <div class="actions">
                    <button type="button" on:click=start_over disabled=move || !run.all_ended()>"Start another bulk run"</button>
                </div>
            }
        })
    };
    let resume_offer = move || {
        let session = interrupted.get()?;
        run.with(Option::is_none).then(|| {
            let started = session.journals.len();
            view! {
                <div class="notice notice-warn" role="status">
                    <p>{format!("A bulk run from this browser was interrupted ({started} people started). Continue it: each person's run goes on where it stopped and nothing is sent twice.")}</p>
                    <div class="actions">
                        <button type="button" class="primary" on:click=continue_run.clone()>"Continue the bulk run"</button>
                        <button type="button" on:click=discard>"Discard it"</button>
                    </div>
                </div>
            }
        })
    };

    view! {
        <section class="card bulk-page" aria-labelledby="bulk-title">
            <h1 id="bulk-title" tabindex="-1">"Bulk offboarding"</h1>
            <p class="lead">"Offboard many people at once, on every connected platform: every row is checked against each platform first, a dry run lists every call, and each run is verified and kept with its report."</p>
            {resume_offer}
            {move || refused.get().map(|why| view! { <p class="notice notice-error" role="alert">{why}</p> })}
            {move || failed.get().map(|(platform, error)| view! {
                <p class="notice-heading">{format!("{platform} could not be asked about these people:")}</p>
                <ApiErrorNotice error=error />
            })}
            {input}
        </section>
        {preview}
        {running}
        {confirm_dialog}
    }
}

/// "3 people at a time" on one platform; "3 people at a time on ADOC prod, 16 on TD EU".
fn words_at_once(connections: &[Connection], at_once: &[usize]) -> String {
    match (connections, at_once) {
        ([_], [n]) => format!("{n} people at a time"),
        _ => {
            let each: Vec<String> = connections
                .iter()
                .zip(at_once)
                .map(|(c, n)| format!("{n} on {}", c.name))
                .collect();
            format!("people at a time ({})", each.join(", "))
        }
    }
}

/// "3 people on 2 platforms: 5 lines will run, 1 will not, 1 has no account there."
fn summary(lines: &[PlatformLine], several: bool) -> String {
    let people = lines
        .iter()
        .map(|l| l.preview.row.line)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let will_run = lines.iter().filter(|l| l.runs()).count();
    let absent = lines.iter().filter(|l| l.absent).count();
    let held = lines.len() - will_run - absent;
    match several {
        false => format!("{people} people: {will_run} will run, {held} will not."),
        true => {
            let platforms = lines.iter().map(|l| l.platform).max().map_or(0, |p| p + 1);
            format!(
                "{people} people on {platforms} platforms: {will_run} lines will run, {held} will not, {absent} with no account there."
            )
        }
    }
}

fn offboard_button(will_run: usize, several: bool) -> String {
    match several {
        true => format!("Run {will_run} offboardings"),
        false => format!("Offboard {will_run} people"),
    }
}

/// Each line: who it is, on which platform, what it will do, or why it will not run.
#[component]
fn PreviewTable(lines: Vec<PlatformLine>, connections: Vec<Connection>) -> impl IntoView {
    let several = connections.len() > 1;
    let rows = lines
        .into_iter()
        .map(|line| {
            let preview = &line.preview;
            let (class, state) = match (line.absent, line.runs()) {
                (true, _) => ("muted", "No account here: nothing to do.".to_string()),
                (false, true) => ("verdict-pass", "Ready".to_string()),
                (false, false) => (
                    "verdict-fail",
                    preview.flags.iter().map(|f| f.describe()).collect::<Vec<_>>().join(" "),
                ),
            };
            let name = preview.person.as_ref().map_or("—".to_string(), |p| p.name.clone());
            let platform = several.then(|| view! { <td>{connections[line.platform].name.clone()}</td> });
            view! {
                <tr>
                    <td class="num">{preview.row.line}</td>
                    <th scope="row">{name}<br /><span class="muted">{preview.row.who.clone()}</span></th>
                    {platform}
                    <td>{preview.row.mode.as_str()}</td>
                    <td class=class>{state}</td>
                    <td>{preview.note.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="runs-table">
            <table class="compact">
                <thead><tr>
                    <th scope="col">"Line"</th><th scope="col">"Person"</th>
                    {several.then(|| view! { <th scope="col">"Platform"</th> })}
                    <th scope="col">"Mode"</th><th scope="col">"Check"</th><th scope="col">"Note"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Reads the chosen file into the text box (the check reads it from there).
fn read_file(event: leptos::ev::Event, text: RwSignal<String>) {
    let file = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    let Some(file) = file else {
        return;
    };
    spawn_local(async move {
        let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        if let Some(content) = read.ok().and_then(|value| value.as_string()) {
            let _ = text.try_set(content);
        }
    });
}
