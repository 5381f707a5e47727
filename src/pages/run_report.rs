//! `/runs/:id`: a finished run's report read back from this browser's journals, so a screen can
//! point to "the earlier report" (e.g. when a person is found already offboarded).

use crate::pages::wizard::report_view::ReportView;
use crate::routes;
use crate::runs::{RunHandle, storage};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RunReportPage() -> impl IntoView {
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    match storage::load(&id) {
        Some(journal) => {
            let target = journal.plan.target.clone();
            let back = routes::user(&target.reference);
            let run = RunHandle::new(journal);
            view! {
                <nav class="breadcrumb no-print" aria-label="Breadcrumb">
                    <a href=routes::DIRECTORY>"Directory"</a>" › "<a href=back>{target.reference.clone()}</a>" › "<span>"Report"</span>
                </nav>
                <h1 tabindex="-1">{format!("Report: {}", target.name)}</h1>
                <ReportView run=run />
            }
            .into_any()
        }
        None => view! {
            <section class="card">
                <h1 tabindex="-1">"Report not found"</h1>
                <p>"This browser keeps the last 20 runs; this one is not among them. A report downloaded or printed when the run ended is the record to look for."</p>
                <p><a href=routes::DIRECTORY>"Go to the directory"</a></p>
            </section>
        }
        .into_any(),
    }
}
