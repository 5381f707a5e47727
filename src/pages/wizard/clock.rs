//! The runbook's clock: "Complete within 1 hour of departure notification". When the person was
//! notified (editable, kept in the journal), how long is left, and an overdue state.
//!
//! The one-hour target is the ADOC runbook's. Treasure Data's runbook sets none, so a TD run's
//! clock only counts the time since notification and never calls it late.

use crate::format::{duration_words, local_clock, stopwatch};
use crate::runs::RunHandle;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::model::Dialect;
use offboard_engine::run::journal::Journal;
use wasm_bindgen::JsValue;

/// The runbook's target.
pub const HOUR_MS: f64 = 3_600_000.0;

/// Whether the dialect's runbook sets the one-hour target (ADOC's does, Treasure Data's none).
pub fn has_target(dialect: Dialect) -> bool {
    dialect.api().completion_target_minutes() == Some(60)
}

/// The time now (epoch ms), refreshed every second while the view that asked for it lives.
///
/// Time is read from `Date.now()` only, so a test can move the page's clock (as fake timers
/// do) instead of the app carrying a test-only delay.
pub fn ticking_now() -> ReadSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    spawn_local(async move {
        loop {
            crate::api::sleep(1000 - (js_sys::Date::now() as u64 % 1000)).await;
            if now.try_set(js_sys::Date::now()).is_some() {
                return; // the view is gone
            }
        }
    });
    now.read_only()
}

/// Epoch ms as the value of a `datetime-local` input, in the browser's time zone.
pub fn to_local_input(epoch_ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(epoch_ms));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// A `datetime-local` value (local time) as epoch ms; `None` if it is not a time.
pub fn from_local_input(value: &str) -> Option<f64> {
    if value.trim().is_empty() {
        return None;
    }
    // Without an offset, `Date` reads `YYYY-MM-DDTHH:MM` as local time, like the input means it.
    let ms = js_sys::Date::new(&JsValue::from_str(value.trim())).get_time();
    ms.is_finite().then_some(ms)
}

#[component]
pub fn Clock(run: RunHandle) -> impl IntoView {
    let now = ticking_now();
    let notified = Memo::new(move |_| run.with(|journal| journal.notified_at_ms));
    let finished = Memo::new(move |_| run.with(Journal::finished_at_ms));
    let problem = RwSignal::new(None::<&'static str>);
    let change = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        match from_local_input(&value) {
            Some(ms) if ms > js_sys::Date::now() + 60_000.0 => {
                problem.set(Some("The notification time cannot be in the future."))
            }
            Some(ms) => {
                problem.set(None);
                run.update(|journal| journal.notified_at_ms = Some(ms));
            }
            None => problem.set(Some("Enter the date and time the departure was notified.")),
        }
    };

    let target = has_target(run.with(|journal| journal.plan.dialect));

    // (class, headline, explanation)
    let state = move || {
        let Some(notified) = notified.get() else {
            let words = if target {
                "Enter when the departure was notified to start the one-hour clock."
            } else {
                "Enter when the departure was notified to start the clock."
            };
            return (
                "clock clock-unset",
                "No notification time".to_string(),
                words.to_string(),
            );
        };
        if !target {
            return match finished.get() {
                Some(done) => (
                    "clock clock-ok",
                    format!("Completed in {}", duration_words(done - notified)),
                    "After the departure was notified. Treasure Data's runbook sets no time target."
                        .to_string(),
                ),
                None => (
                    "clock clock-ok",
                    format!("{} since notification", stopwatch(now.get() - notified)),
                    "Treasure Data's runbook sets no time target: this is how long the departure \
                     has been waiting."
                        .to_string(),
                ),
            };
        }
        let deadline = notified + HOUR_MS;
        match finished.get() {
            Some(done) if done <= deadline => (
                "clock clock-ok",
                format!("Completed in {}", duration_words(done - notified)),
                "Within the runbook's one-hour target.".to_string(),
            ),
            Some(done) => (
                "clock clock-overdue",
                format!("Completed in {}", duration_words(done - notified)),
                format!(
                    "{} over the runbook's one-hour target.",
                    duration_words(done - deadline)
                ),
            ),
            None => {
                let left = deadline - now.get();
                if left >= 0.0 {
                    let class = if left < 15.0 * 60_000.0 {
                        "clock clock-soon"
                    } else {
                        "clock clock-ok"
                    };
                    (
                        class,
                        format!("{} left", stopwatch(left)),
                        format!(
                            "Complete within 1 hour of departure notification (by {}).",
                            local_clock(deadline)
                        ),
                    )
                } else {
                    (
                        "clock clock-overdue",
                        format!("Overdue by {}", stopwatch(-left)),
                        "The runbook's target was to complete within 1 hour of departure \
                         notification. Keep going: every step still takes access away."
                            .to_string(),
                    )
                }
            }
        }
    };

    view! {
        <section class=move || state().0 aria-label=if target { "One-hour clock" } else { "Clock" }>
            <div class="clock-time">
                <strong class="clock-headline" role="timer" aria-live="off">{move || state().1}</strong>
                <span class="clock-note">{move || state().2}</span>
            </div>
            <div class="clock-input">
                <label for="notified-at">"Notified at"</label>
                <input id="notified-at" type="datetime-local" aria-describedby="notified-at-hint"
                    prop:value=move || notified.get().map(to_local_input).unwrap_or_default()
                    on:change=change />
                <span id="notified-at-hint" class="hint">"When the departure was notified; the clock starts there."</span>
                {move || problem.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            </div>
        </section>
    }
}
