//! A lockout of this person that was interrupted in this browser (the tab closed, the phone
//! locked, the page reloaded): continue it where it stopped, or start over. Continuing lists
//! what is left first, so nothing already done is sent again.

use crate::format::local_clock;
use leptos::prelude::*;
use offboard_engine::run::journal::Journal;

#[component]
pub fn ResumeLockout(
    journal: Journal,
    on_resume: impl Fn() + 'static,
    on_start_over: impl Fn() + 'static,
) -> impl IntoView {
    let done = journal
        .steps
        .iter()
        .filter(|step| step.status.is_finished())
        .count();
    let total = journal.steps.len();
    let calls = journal.calls.len();
    let name = journal.plan.target.name.clone();
    let started = local_clock(journal.created_at_ms);
    view! {
        <section class="card lockout-resume" aria-labelledby="resume-title">
            <h2 id="resume-title">{format!("The lockout of {name} was interrupted")}</h2>
            <p>{format!("Started at {started} by {}: {done} of {total} steps done, {calls} calls made.", journal.operator)}</p>
            <p>"Continuing lists what is left first, so nothing already done is sent again."</p>
            <button type="button" class="danger big" on:click=move |_| on_resume()>"Continue the lockout"</button>
            <div class="actions">
                <button type="button" class="quiet" aria-describedby="start-over-hint" on:click=move |_| on_start_over()>"Start over"</button>
            </div>
            <p id="start-over-hint" class="hint">"Starting over reads their access afresh and asks again; what the interrupted lockout changed stays changed."</p>
        </section>
    }
}
