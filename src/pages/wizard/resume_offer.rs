//! A run of this person's offboarding left unfinished in this browser: resume it where it
//! stopped, or discard its record and start over.

use crate::format::local_clock;
use leptos::prelude::*;
use offboard_engine::run::journal::Journal;

#[component]
pub fn ResumeOffer(
    journal: Journal,
    on_resume: impl Fn() + 'static,
    on_discard: impl Fn() + 'static,
) -> impl IntoView {
    let done = journal
        .steps
        .iter()
        .filter(|s| s.status.is_finished())
        .count();
    let total = journal.steps.len();
    let next = journal
        .next_step()
        .map(|index| journal.plan.steps[index].title.clone())
        .unwrap_or_default();
    let target = &journal.plan.target;
    let started = format!(
        "{} {}",
        offboard_engine::time::rfc3339(journal.created_at_ms)
            .get(..10)
            .unwrap_or_default(),
        local_clock(journal.created_at_ms)
    );
    view! {
        <section class="card wizard-resume" aria-labelledby="resume-title">
            <h1 id="resume-title" tabindex="-1">{format!("Resume the offboarding of {}?", target.name)}</h1>
            <p>{format!("An offboarding of {} <{}> was started {} by {} and not finished: {done} of {total} steps are done.", target.name, target.email, started, journal.operator)}</p>
            <p>{format!("Next: {next}. Resuming continues where it stopped: calls that finished are not made again and no step is skipped.")}</p>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| on_resume()>"Resume"</button>
                <button type="button" on:click=move |_| on_discard()>"Discard and start over"</button>
            </div>
            <p class="hint">"Discarding forgets this run's record in this browser; what it already changed on the platform stays changed."</p>
        </section>
    }
}
