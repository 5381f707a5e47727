//! While a run waits for a platform that stopped answering (the network dropped, the server is
//! restarting): says so plainly, and that the run goes on by itself when the platform is back,
//! instead of a spinner that looks stuck.

use crate::format::duration_words;
use crate::runs::{OUTAGE_PATIENCE_MS, RunHandle};
use leptos::prelude::*;

/// A blip shorter than this (one lost answer, retried at once) is not worth a notice.
const SHOW_AFTER_MS: f64 = 1_000.0;

#[component]
pub fn PlatformSilent(run: RunHandle) -> impl IntoView {
    // The notice appears once (announced once); only its counter changes while it lasts.
    let silent = Memo::new(move |_| run.silent_for_ms().is_some_and(|ms| ms >= SHOW_AFTER_MS));
    move || {
        silent.get().then(|| {
            view! {
                <div class="notice notice-warn platform-silent">
                    <p role="alert"><strong>"The platform is not answering."</strong>
                        {format!(" Offboard keeps trying by itself for up to {} and goes on where it stopped, sending nothing twice. Keep this page open.", duration_words(OUTAGE_PATIENCE_MS))}</p>
                    <p class="hint" aria-live="off">{move || format!("No answer for {}.", duration_words(run.silent_for_ms().unwrap_or_default()))}</p>
                </div>
            }
        })
    }
}
