//! `/runs/:id`: a finished run's report read back from this browser's journals, so a screen can
//! point to "the earlier report" (e.g. when a person is found already offboarded), with the
//! platform's audit log of the person beneath it.

use crate::components::audit_trail::AuditTrail;
use crate::pages::wizard::report_view::ReportView;
use crate::routes;
use crate::runs::{RunHandle, storage};
use crate::session::Connection;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use offboard_engine::run::journal::Journal;
use offboard_engine::time::rfc3339;

#[component]
pub fn RunReportPage(connection: Connection) -> impl IntoView {
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    match storage::load(&id) {
        Some(journal) => {
            let target = journal.plan.target.clone();
            let back = routes::user(&target.reference);
            let audit = audit_of_run(&connection, &journal);
            let run = RunHandle::new(journal);
            view! {
                <nav class="breadcrumb no-print" aria-label="Breadcrumb">
                    <a href=routes::DIRECTORY>"Directory"</a>" › "<a href=back>{target.reference.clone()}</a>" › "<span>"Report"</span>
                </nav>
                <h1 tabindex="-1">{format!("Report: {}", target.name)}</h1>
                <ReportView run=run />
                {audit}
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

/// The platform's audit log of the run's person, the run's own events marked; only when this
/// connection is to the platform the run was made on.
fn audit_of_run(connection: &Connection, journal: &Journal) -> AnyView {
    let same_platform = connection.base_url.trim_end_matches('/')
        == journal.endpoint.trim_end_matches('/')
        && connection.dialect() == journal.plan.dialect;
    if !same_platform {
        return view! {
            <section class="card section audit-trail">
                <h2>"Audit log"</h2>
                <p class="muted">{format!("This run was made on {}; connect to it to see its audit log for this person.", journal.endpoint)}</p>
            </section>
        }
        .into_any();
    }
    let finished = journal
        .last_step_ended_at_ms()
        .unwrap_or(journal.created_at_ms);
    let during = (rfc3339(journal.created_at_ms), rfc3339(finished));
    view! { <AuditTrail connection=connection.clone() person=journal.plan.target.as_user() during=during /> }
        .into_any()
}
