//! What a step leaves to read once it ran: the documented access after step 1, the evidence of
//! each verification after the verify step (and the pipelines check after the transfer).

use super::kind::StepKind;
use crate::components::verification::VerificationView;
use crate::pages::wizard::snapshot_view::SnapshotView;
use crate::runs::RunHandle;
use leptos::prelude::*;
use offboard_engine::run::plan::CheckKind;

#[component]
pub fn StepResults(run: RunHandle, kind: StepKind) -> impl IntoView {
    match kind {
        StepKind::Document => {
            let snapshot = run.select(|journal| journal.snapshot.clone());
            (move || {
                snapshot.get().map(|snapshot| {
                    view! { <h3>"Access documented"</h3><SnapshotView snapshot=snapshot /> }
                })
            })
            .into_any()
        }
        StepKind::Verify | StepKind::TransferPipelines => {
            let pipelines_only = kind == StepKind::TransferPipelines;
            let verifications = run.select(move |journal| {
                journal
                    .verifications
                    .iter()
                    .filter(|v| {
                        v.checks.iter().all(|c| c.kind == CheckKind::NoPipelines) == pipelines_only
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            });
            (move || {
                let verifications = verifications.get();
                let count = verifications.len();
                (count > 0).then(|| {
                    view! {
                        <div class="evidence">
                            <h3>{if count > 1 { format!("Verifications ({count})") } else { "Verification".to_string() }}</h3>
                            {verifications.into_iter().rev().map(|verification| view! { <VerificationView verification=verification /> }).collect_view()}
                        </div>
                    }
                })
            })
            .into_any()
        }
        _ => ().into_any(),
    }
}
