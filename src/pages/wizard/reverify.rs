//! Treasure Data: "Streaming ingest may continue to work for up to one minute until the cache
//! expires." So the verification is made again, automatically, one minute after the user was
//! removed; the countdown shows when, and the second verification is appended to the journal
//! (and so to the report) like the first.
//!
//! The minute is real: the shipped app has no shorter test delay. The browser test moves the
//! page's clock forward instead (time is read from `Date.now()` only, see `clock::ticking_now`).

use super::clock::ticking_now;
use crate::format::{local_clock, stopwatch};
use crate::runs::RunHandle;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::run::journal::StepStatus;

/// How long streaming ingest may keep a removed user's keys working.
pub const CACHE_MS: f64 = 60_000.0;

#[component]
pub fn Reverify(
    run: RunHandle,
    connection: Connection,
    /// The verify step.
    step: usize,
    /// The removal step, whose end starts the minute.
    removal: usize,
) -> impl IntoView {
    let now = ticking_now();
    // (when the minute is up, verifications made, the first made after it: time and verdict),
    // read in one go so the view depends on one memo.
    let state = Memo::new(move |_| {
        run.with(|journal| {
            let removal = &journal.steps[removal];
            let due = (removal.status == StepStatus::Done)
                .then_some(removal.finished_at_ms)
                .flatten()
                .map(|at| at + CACHE_MS);
            let after = due.and_then(|due| {
                journal
                    .verifications
                    .iter()
                    .find(|v| v.at_ms >= due)
                    .map(|v| (v.at_ms, v.passed()))
            });
            (due, journal.verifications.len(), after)
        })
    });
    let started = StoredValue::new(false);
    crate::reactive::effect(move || {
        let (due, count, after) = state.get();
        let Some(due) = due else { return };
        if count == 0 || after.is_some() || now.get() < due || started.get_value() || run.busy() {
            return;
        }
        started.set_value(true);
        run.run(&connection, Some(step), || {});
    });

    move || {
        let (due, count, after) = state.get();
        match (due, after) {
            (Some(_), Some((at, passed))) => {
                let result = if passed {
                    "every check passed"
                } else {
                    "some checks failed (see below)"
                };
                let words = if count > 1 {
                    format!(
                        "Checked again automatically at {}, one minute after the removal: {result}.",
                        local_clock(at)
                    )
                } else {
                    format!(
                        "Verified at {}, more than a minute after the removal, when streaming ingest had stopped: {result}.",
                        local_clock(at)
                    )
                };
                view! { <p class="notice notice-ok reverify" role="status">{words}</p> }.into_any()
            }
            (Some(due), None) if count > 0 => view! {
                <p class="notice notice-warn reverify" role="status">
                    "Streaming ingest may keep working for up to one minute after the removal. "
                    <strong role="timer" aria-live="off">{move || format!("Checking again automatically in {}", stopwatch(due - now.get()))}</strong>
                    {format!(" (at {}). Keep this page open.", local_clock(due))}
                </p>
            }
            .into_any(),
            _ => view! {
                <p class="notice notice-warn reverify">
                    "Streaming ingest may keep working for up to one minute after the removal, so Offboard checks again automatically one minute after the user is removed."
                </p>
            }
            .into_any(),
        }
    }
}
