//! Keyboard focus after a navigation: to the new screen's heading.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// After every navigation (not the first page load, where the reader starts at the top anyway),
/// keyboard focus goes to the new screen's `h1`, so a keyboard or screen-reader user lands on
/// what changed instead of on the link that led there (or on nothing, when that link is gone).
///
/// Screens render their heading once their data arrives, and some replace a "Loading…"
/// heading, so for a short while after the navigation the heading is focused whenever focus is
/// still where the navigation left it (the link or button, or nowhere: the body or `main`,
/// e.g. because the focused heading was replaced). A person who has moved focus elsewhere in
/// the meantime is never pulled back.
#[component]
pub fn FocusOnNavigation() -> impl IntoView {
    /// How long after a navigation the heading is still looked for.
    const SETTLE_MS: f64 = 3_000.0;
    const POLL_MS: u64 = 50;
    let location = use_location();
    let generation = StoredValue::new(0u32);
    crate::reactive::effect(move || {
        // Read, not just tracked: a memo computes (and reports a change) only when read.
        let _ = (location.pathname.get(), location.search.get());
        let current = generation.get_value() + 1;
        generation.set_value(current);
        if current == 1 {
            return; // the first page load
        }
        let origin = document().active_element();
        leptos::task::spawn_local(async move {
            let until = crate::api::now_ms() + SETTLE_MS;
            while crate::api::now_ms() < until {
                // A newer navigation has its own loop.
                if generation.try_get_value() != Some(current) {
                    return;
                }
                focus_heading_unless_moved(origin.as_ref());
                crate::api::sleep(POLL_MS).await;
            }
        });
    });
}

/// Focuses `main h1` unless the person has put focus somewhere other than `origin`.
fn focus_heading_unless_moved(origin: Option<&web_sys::Element>) {
    let document = document();
    let active = document.active_element();
    let untouched = match &active {
        None => true,
        Some(active) => {
            active.tag_name() == "BODY" || active.id() == "main" || Some(active) == origin
        }
    };
    if !untouched {
        return;
    }
    let heading = document
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        // Focusable by script only: headings stay out of the Tab order. Every screen's `h1`
        // carries the attribute; this covers one that does not.
        if !heading.has_attribute("tabindex") {
            let _ = heading.set_attribute("tabindex", "-1");
        }
        let _ = heading.focus();
    }
}
