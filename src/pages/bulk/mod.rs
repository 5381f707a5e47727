//! `/bulk`: offboarding many people at once from a CSV (pasted or chosen as a file). Nothing
//! runs before every row is checked: the file is read (a file that is not a list of people is
//! refused whole), every person is looked up on the platform and the rows that must not run
//! say why; a dry run lists every call; then, after one confirmation, the rest run a few at a
//! time (see `run`). A bulk run interrupted by a reload is offered to continue.

mod check;
mod dry_run;
mod run;
mod session;

use crate::components::error_notice::ApiErrorNotice;
use crate::components::modal::Modal;
use crate::session::Connection;
use dry_run::DryRun;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::bulk::{self, RowPreview};
use offboard_engine::error::ApiError;
use run::{BulkRun, BulkRunView};
use session::Session;
use wasm_bindgen::JsCast;

const EXAMPLE: &str = "email,reason,handed_off_to,mode\nfirst.last@company.com,Team closed,replacement@company.com,disable";

#[component]
pub fn BulkPage(connection: Connection) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<ApiError>);
    let checking = RwSignal::new(false);
    let checked = RwSignal::new(None::<Vec<RowPreview>>);
    let confirming = RwSignal::new(false);
    let run = RwSignal::new_local(None::<BulkRun>);
    let connection = StoredValue::new(connection);
    let (endpoint, dialect) =
        connection.with_value(|c| (c.base_url.clone(), c.dialect().as_str().to_string()));
    let interrupted = RwSignal::new(session::load(&endpoint, &dialect));
    let owner = Owner::current().expect("rendered inside the app");

    // Reads the file and checks every row; `then` gets the previews (start a run, or show them).
    let check_rows = move |then: Box<dyn FnOnce(Vec<RowPreview>)>| {
        refused.set(None);
        failed.set(None);
        let rows = match bulk::parse(&text.get_untracked()) {
            Ok(rows) => rows,
            Err(why) => return refused.set(Some(why)),
        };
        checking.set(true);
        let connection = connection.get_value();
        spawn_local(async move {
            let previews = check::check(&connection, &rows).await;
            let _ = checking.try_set(false);
            match previews {
                Ok(previews) => then(previews),
                Err(error) => {
                    let _ = failed.try_set(Some(error));
                }
            }
        });
    };
    let check = move |_| check_rows(Box::new(move |previews| checked.set(Some(previews))));
    let start = move |previews: Vec<RowPreview>, session: Session| {
        let started = owner.with(|| BulkRun::start(previews, connection.get_value(), session));
        run.set(Some(started));
        interrupted.set(None);
    };
    let confirm = {
        let (start, endpoint, dialect) = (start.clone(), endpoint.clone(), dialect.clone());
        move |_| {
            confirming.set(false);
            let previews = checked.get_untracked().unwrap_or_default();
            let session = Session {
                endpoint: endpoint.clone(),
                dialect: dialect.clone(),
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
        let previews = checked.get()?;
        run.with(Option::is_none).then(|| {
            let will_run = previews.iter().filter(|p| p.runs()).count();
            let total = previews.len();
            view! {
                <section class="card bulk-preview" aria-labelledby="bulk-preview-title">
                    <h2 id="bulk-preview-title" tabindex="-1">"Check"</h2>
                    <p role="status">{format!("{total} people: {will_run} will run, {} will not.", total - will_run)}</p>
                    <PreviewTable previews=previews.clone() />
                    <DryRun connection=connection.get_value() previews=previews.clone() />
                    <div class="actions">
                        <button type="button" on:click=start_over>"Change the file"</button>
                        <button type="button" class="danger" disabled=will_run == 0 aria-haspopup="dialog"
                            on:click=move |_| confirming.set(true)>{format!("Offboard {will_run} people")}</button>
                    </div>
                </section>
            }
        })
    };
    let confirm_dialog = move || {
        confirming.get().then(|| {
            let count = checked.with(|c| c.as_ref().map_or(0, |p| p.iter().filter(|p| p.runs()).count()));
            let platform = connection.with_value(|c| format!("{} at {}", c.dialect().label(), c.host()));
            let close = Callback::new(move |()| confirming.set(false));
            let confirm = confirm.clone();
            view! {
                <Modal labelled_by="bulk-confirm-title" on_close=close>
                    <h2 id="bulk-confirm-title">{format!("Offboard {count} people?")}</h2>
                    <p>{format!("Each one's access is taken away on {platform} as their row says, {} at a time, and verified. The rows that will not run are left alone.", run::PEOPLE_AT_ONCE)}</p>
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
            <p class="lead">"Offboard many people at once: every row is checked against the platform first, a dry run lists every call, and each person's run is verified and kept with its report."</p>
            {resume_offer}
            {move || refused.get().map(|why| view! { <p class="notice notice-error" role="alert">{why}</p> })}
            {move || failed.get().map(|error| view! { <ApiErrorNotice error=error /> })}
            {input}
        </section>
        {preview}
        {running}
        {confirm_dialog}
    }
}

/// Each row: who it is, what it will do, or why it will not run.
#[component]
fn PreviewTable(previews: Vec<RowPreview>) -> impl IntoView {
    let rows = previews
        .into_iter()
        .map(|preview| {
            let (class, state) = match preview.runs() {
                true => ("verdict-pass", "Ready".to_string()),
                false => (
                    "verdict-fail",
                    preview.flags.iter().map(|f| f.describe()).collect::<Vec<_>>().join(" "),
                ),
            };
            let name = preview.person.as_ref().map_or("—".to_string(), |p| p.name.clone());
            view! {
                <tr>
                    <td class="num">{preview.row.line}</td>
                    <th scope="row">{name}<br /><span class="muted">{preview.row.who.clone()}</span></th>
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
                    <th scope="col">"Line"</th><th scope="col">"Person"</th><th scope="col">"Mode"</th>
                    <th scope="col">"Check"</th><th scope="col">"Note"</th>
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
