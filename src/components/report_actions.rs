//! Downloading and printing a run's report.

use crate::download;
use crate::runs::RunHandle;
use leptos::prelude::*;
use offboard_engine::run::report;

#[component]
pub fn ReportActions(run: RunHandle) -> impl IntoView {
    let save_json = move |_| {
        let (name, text) = run.with(|journal| {
            (
                format!("{}.json", journal.id),
                report::to_json_text(journal),
            )
        });
        download::save(&name, "application/json", &text);
    };
    let save_csv = move |_| {
        let (name, text) =
            run.with(|journal| (format!("{}.csv", journal.id), report::to_csv(journal)));
        download::save(&name, "text/csv", &text);
    };
    view! {
        <div class="actions no-print">
            <button type="button" on:click=save_json>"Download report (JSON)"</button>
            <button type="button" on:click=save_csv>"Download timeline (CSV)"</button>
            <button type="button" on:click=|_| download::print()>"Print report"</button>
        </div>
    }
}
