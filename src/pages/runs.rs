//! `/runs`: every run started in this browser, read from the journals it keeps: who ran it, on
//! whom, where, when, the verdict and the time from notification to access removed. Searchable
//! and filtered by kind and verdict; each run's report opens again; all of them export as CSV;
//! a record is deleted after a confirmation. The engine sums each run up (`run::history`).

use crate::components::modal::Modal;
use crate::download;
use crate::format::{duration_words, milliseconds, short_time, today, utc};
use crate::routes;
use crate::runs::storage;
use leptos::prelude::*;
use offboard_engine::run::history::{RunSummary, Standing, to_csv};
use offboard_engine::run::plan::RunKind;
use offboard_engine::time::rfc3339;
use wasm_bindgen::JsCast;

const KINDS: [RunKind; 5] = [
    RunKind::Wizard,
    RunKind::Emergency,
    RunKind::Deletion,
    RunKind::Verification,
    RunKind::Reactivation,
];

const STANDINGS: [(Standing, &str); 4] = [
    (Standing::Verified, "Verified"),
    (Standing::KeysLiveOn, "Keys live on"),
    (Standing::AccessLeft, "Access left or not verified"),
    (Standing::Unfinished, "Not finished"),
];

#[component]
pub fn RunsPage() -> impl IntoView {
    // Bumped when a record is deleted, so the list is read again.
    let version = RwSignal::new(0_u32);
    let runs = Memo::new(move |_| {
        version.track();
        let mut runs: Vec<RunSummary> = storage::journals().iter().map(RunSummary::of).collect();
        runs.sort_by(|a, b| b.started_at_ms.total_cmp(&a.started_at_ms));
        runs
    });
    let query = RwSignal::new(String::new());
    // "" is any; else the index into KINDS / STANDINGS.
    let kind = RwSignal::new(String::new());
    let standing = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        let (query, kind, standing) = (query.get(), kind.get(), standing.get());
        let kind = kind
            .parse::<usize>()
            .ok()
            .and_then(|i| KINDS.get(i).copied());
        let standing = standing
            .parse::<usize>()
            .ok()
            .and_then(|i| STANDINGS.get(i).map(|(s, _)| *s));
        runs.get()
            .into_iter()
            .filter(|run| kind.is_none_or(|kind| run.kind == kind))
            .filter(|run| standing.is_none_or(|standing| run.standing() == standing))
            .filter(|run| run.matches(&query))
            .collect::<Vec<_>>()
    });
    let to_delete = RwSignal::new(None::<RunSummary>);
    let export = move |_| {
        let name = format!("offboard-runs-{}.csv", today());
        download::save(&name, "text/csv", &to_csv(&runs.get_untracked()));
    };

    let rows = move || {
        shown
            .get()
            .into_iter()
            .map(|run| view! { <RunRow run=run on_delete=move |run| to_delete.set(Some(run)) /> })
            .collect_view()
    };
    let table = move || {
        let total = runs.with(Vec::len);
        let count = shown.with(Vec::len);
        if total == 0 {
            return view! {
                <p class="empty">"No runs yet in this browser. A guided offboarding, a lockout, a deletion or a reactivation started here is listed here with its verdict, and its report can be opened again."</p>
            }
            .into_any();
        }
        if count == 0 {
            return view! { <p class="empty" role="status">{format!("None of the {total} runs matches these filters.")}</p> }
                .into_any();
        }
        view! {
            <p class="muted" role="status">{format!("{count} of {total} runs")}</p>
            <div class="runs-table">
                <table class="compact">
                    <thead><tr>
                        <th scope="col">"Person"</th><th scope="col">"Kind"</th><th scope="col">"Platform"</th>
                        <th scope="col">"Run by"</th><th scope="col">"Started (UTC)"</th>
                        <th scope="col">"Verdict"</th><th scope="col">"Notified → access removed"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let deleted = Callback::new(move |id: String| {
        storage::discard(&id);
        to_delete.set(None);
        version.update(|v| *v += 1);
        focus_by_id("runs-title");
    });
    let cancelled = Callback::new(move |id: String| {
        to_delete.set(None);
        focus_by_id(&delete_button_id(&id));
    });

    view! {
        <section class="card runs-page" aria-labelledby="runs-title">
            <h1 id="runs-title" tabindex="-1">"Runs"</h1>
            <p class="lead">{format!("Every offboarding, lockout, deletion, verification and reactivation started in this browser (the {} newest are kept), with its verdict. Open one to see its timeline and report again.", storage::KEEP)}</p>
            <div class="filters" role="search" aria-label="Filter runs">
                <div>
                    <label for="runs-search">"Search"</label>
                    <input id="runs-search" type="search" placeholder="Person, platform, who ran it…"
                        prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
                </div>
                <div>
                    <label for="runs-kind">"Kind"</label>
                    <select id="runs-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">"Any kind"</option>
                        {KINDS.iter().enumerate().map(|(i, kind)| view! { <option value=i.to_string()>{kind.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="runs-verdict">"Verdict"</label>
                    <select id="runs-verdict" on:change=move |ev| standing.set(event_target_value(&ev))>
                        <option value="">"Any verdict"</option>
                        {STANDINGS.iter().enumerate().map(|(i, (_, label))| view! { <option value=i.to_string()>{*label}</option> }).collect_view()}
                    </select>
                </div>
                <button type="button" on:click=export disabled=move || runs.with(Vec::is_empty)>"Export all (CSV)"</button>
            </div>
            {table}
        </section>
        {move || to_delete.get().map(|run| view! { <ConfirmDelete run=run on_delete=deleted on_cancel=cancelled /> })}
    }
}

/// One run's line, with its report and "Delete record".
#[component]
fn RunRow(run: RunSummary, on_delete: impl Fn(RunSummary) + 'static) -> impl IntoView {
    let (class, tone) = match run.standing() {
        Standing::Verified => ("verdict-pass", "pass"),
        Standing::KeysLiveOn => ("verdict-partial", "partial"),
        Standing::AccessLeft => ("verdict-fail", "fail"),
        Standing::Unfinished => ("verdict-open", "open"),
    };
    let removal = run.removal_ms.map_or_else(|| "—".to_string(), elapsed);
    let took = match run.finished_at_ms {
        Some(finished) => format!("took {}", elapsed(finished - run.started_at_ms)),
        None => "not finished".to_string(),
    };
    let host = run
        .endpoint
        .split_once("://")
        .map_or(run.endpoint.as_str(), |(_, host)| host)
        .to_string();
    let report = routes::run(&run.id);
    let button_id = delete_button_id(&run.id);
    let label = format!(
        "Delete the record of the {} of {}",
        run.kind.label().to_lowercase(),
        run.name
    );
    let open_label = format!(
        "Open the report of the {} of {}",
        run.kind.label().to_lowercase(),
        run.name
    );
    let deleting = run.clone();
    view! {
        <tr data-tone=tone>
            <th scope="row"><span class="name">{run.name.clone()}</span><br /><span class="muted">{run.email.clone()}</span></th>
            <td>{run.kind.label()}</td>
            <td>{run.dialect.label()}<br /><span class="muted">{host}</span></td>
            <td>{run.operator.clone()}</td>
            <td>
                <span class="nowrap">{short_time(&rfc3339(run.started_at_ms))}</span><br />
                <span class="muted">{took}</span>
            </td>
            <td class=class>{run.verdict_words().to_string()}</td>
            <td>{removal}</td>
            <td class="actions-cell">
                <a href=report aria-label=open_label>"Open report"</a>
                <button type="button" class="quiet danger-outline" id=button_id aria-label=label aria-haspopup="dialog"
                    on:click=move |_| on_delete(deleting.clone())>"Delete"</button>
            </td>
        </tr>
    }
}

/// "Delete record?": nothing changes on the platform; only this browser forgets the run.
#[component]
fn ConfirmDelete(
    run: RunSummary,
    on_delete: Callback<String>,
    on_cancel: Callback<String>,
) -> impl IntoView {
    let id = StoredValue::new(run.id.clone());
    let close = Callback::new(move |()| on_cancel.run(id.get_value()));
    view! {
        <Modal labelled_by="delete-run-title" on_close=close>
            <h2 id="delete-run-title">"Delete this run's record?"</h2>
            <p>{format!(
                "The record of the {} of {} <{}>, started {}, is removed from this browser. Nothing changes on {}. A report downloaded or printed earlier stays the record to keep.",
                run.kind.label().to_lowercase(), run.name, run.email, utc(run.started_at_ms), run.dialect.label()
            )}</p>
            <div class="actions">
                <button type="button" data-autofocus on:click=move |_| close.run(())>"Cancel"</button>
                <button type="button" class="danger" on:click=move |_| on_delete.run(id.get_value())>"Delete record"</button>
            </div>
        </Modal>
    }
}

/// "669 ms", "12.40 s", "4 min 12 s": a lockout's second is worth its milliseconds.
fn elapsed(ms: f64) -> String {
    match ms < 60_000.0 {
        true => milliseconds(ms),
        false => duration_words(ms),
    }
}

fn delete_button_id(run_id: &str) -> String {
    format!("delete-run-{run_id}")
}

fn focus_by_id(id: &str) {
    let id = id.to_string();
    request_animation_frame(move || {
        let element = document()
            .get_element_by_id(&id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}
