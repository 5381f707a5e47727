//! Skipping a step: only with a typed reason, which goes into the report. The control is
//! folded away under "Skip this step…" so it is never pressed by accident, and its button stays
//! disabled until a reason is typed (the journal refuses an empty one too).

use crate::runs::RunHandle;
use leptos::prelude::*;

#[component]
pub fn SkipStep(run: RunHandle, step: usize) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<&'static str>);
    let id = format!("step-{step}-skip-reason");
    let hint_id = format!("{id}-hint");
    let number = step + 1;
    let skip = move |_| {
        let typed = reason.get_untracked();
        let mut outcome = Ok(());
        run.update(|journal| outcome = journal.skip(step, &typed, js_sys::Date::now()));
        match outcome {
            Ok(()) => super::step_card::focus_next(run),
            Err(words) => refused.set(Some(words)),
        }
    };
    view! {
        <details class="skip no-print">
            <summary>"Skip this step…"</summary>
            <label for=id.clone()>{format!("Why is step {number} skipped?")}</label>
            <textarea id=id rows="2" aria-describedby=hint_id.clone()
                prop:value=move || reason.get()
                on:input=move |event| { reason.set(event_target_value(&event)); refused.set(None); }></textarea>
            <p id=hint_id class="hint">"Required: the reason goes into the report. Skipping leaves this part of the access in place."</p>
            {move || refused.get().map(|words| view! { <p class="field-error" role="alert">{words}</p> })}
            <button type="button" class="danger" on:click=skip
                disabled=move || reason.with(|r| r.trim().is_empty())>
                {format!("Skip step {number}")}
            </button>
        </details>
    }
}
