//! The part of a report an auditor files: the moments of the run (notified, account closed,
//! last key revoked, access removed, verified), the time from notification to removal held
//! against each control, and the SHA-256 of the JSON report, so a paper copy and the file can
//! be matched. The engine decides every figure (`run::evidence`); this only lays them out.

use crate::digest::sha256_hex;
use crate::format::{duration_words, utc};
use crate::runs::RunHandle;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::run::evidence::{ControlStatus, evidence};
use offboard_engine::run::report;

#[component]
pub fn EvidenceView(run: RunHandle) -> impl IntoView {
    let found = run.select(evidence);
    // The digest of exactly the text "Download report (JSON)" saves.
    let json = run.select(report::to_json_text);
    let digest = RwSignal::new(None::<Option<String>>);
    Effect::new(move |_| {
        let text = json.get();
        spawn_local(async move {
            let _ = digest.try_set(Some(sha256_hex(&text).await));
        });
    });

    let moments = move || {
        let found = found.get();
        let mut rows = vec![("Notified", found.notified_at_ms)];
        if let Some((how, at)) = found.closed {
            rows.push((how.label(), Some(at)));
        }
        rows.extend([
            ("Last key revoked", found.last_key_revoked_at_ms),
            ("Access removed", found.access_removed_at_ms),
            ("Verified", found.verified_at_ms),
        ]);
        rows.into_iter()
            .map(|(moment, at)| {
                let after = at
                    .zip(found.notified_at_ms)
                    .filter(|_| moment != "Notified")
                    .map_or_else(|| "—".to_string(), |(at, n)| duration_words(at - n));
                view! {
                    <tr>
                        <th scope="row">{moment}</th>
                        <td>{at.map_or_else(|| "—".to_string(), utc)}</td>
                        <td>{after}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let controls = move || {
        found
            .get()
            .controls
            .into_iter()
            .map(|control| {
                let class = match control.status {
                    ControlStatus::Met => "control-met",
                    ControlStatus::NotMet => "control-not-met",
                    ControlStatus::NoFixedLimit | ControlStatus::Unknown => "control-open",
                };
                let word = control.status.label();
                view! {
                    <tr class=class>
                        <th scope="row">{control.control}</th>
                        <td>{control.requirement}</td>
                        <td><strong>{word}</strong></td>
                        <td>{control.finding}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let digest_text = move || {
        match digest.get() {
        None => "computing…".to_string(),
        Some(Some(hex)) => hex,
        Some(None) => "not available: the browser computes it only on a page served over HTTPS or from this machine".to_string(),
    }
    };
    // A verification or a reactivation removes nothing, so it has nothing to time.
    let offboarding = run.with(|journal| report::is_offboarding(journal.plan.kind));
    // Unique on a page with several platforms' runs.
    let title_id = run.with(|journal| format!("audit-evidence-{}", journal.id));
    let labelled_by = title_id.clone();
    view! {
        <section class="audit-evidence" aria-labelledby=labelled_by>
            <h3 id=title_id>{if offboarding { "Times and controls" } else { "Report file" }}</h3>
            <p class="digest">"SHA-256 of the JSON report: "<code class="mono">{digest_text}</code></p>
            {offboarding.then(|| view! {
                <table class="compact evidence-times">
                    <thead><tr>
                        <th scope="col">"Moment"</th><th scope="col">"Time (UTC)"</th><th scope="col">"After notification"</th>
                    </tr></thead>
                    <tbody>{moments}</tbody>
                </table>
                <table class="compact evidence-controls">
                    <thead><tr>
                        <th scope="col">"Control"</th><th scope="col">"Requirement"</th><th scope="col">"Result"</th><th scope="col">"Finding"</th>
                    </tr></thead>
                    <tbody>{controls}</tbody>
                </table>
            })}
        </section>
    }
}
