//! The router and the layout around every screen: a header naming the connection, the guard
//! that sends people without a connection through Connect and back, and keyboard focus moved to
//! each new screen's heading.

use crate::pages::connect::ConnectPage;
use crate::pages::directory::{Directory, DirectoryPage};
use crate::pages::emergency::EmergencyPage;
use crate::pages::run_report::RunReportPage;
use crate::pages::user::UserPage;
use crate::pages::wizard::WizardPage;
use crate::session::{Session, use_session};
use leptos::prelude::*;
use leptos_router::components::{A, Redirect, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;
use wasm_bindgen::JsCast;

#[component]
pub fn App() -> impl IntoView {
    Session::provide();
    Directory::provide();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <FocusOnNavigation />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/connect") view=ConnectPage />
                    <Route path=path!("/users") view=|| view! { <RequireConnection><DirectoryPage /></RequireConnection> } />
                    <Route path=path!("/users/:reference/offboard") view=|| view! { <RequireConnection><WizardPage /></RequireConnection> } />
                    <Route path=path!("/users/:reference") view=|| view! { <RequireConnection><UserPage /></RequireConnection> } />
                    <Route path=path!("/emergency") view=|| view! { <RequireConnection><EmergencyPage /></RequireConnection> } />
                    <Route path=path!("/runs/:id") view=|| view! { <RequireConnection><RunReportPage /></RequireConnection> } />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // Connect without `?next=`: the guard of the page being left sees the connection go and
    // would send the person back there after connecting (see `RequireConnection`).
    let sign_out = move |_| {
        session.sign_out();
        navigate("/connect", Default::default());
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">"Offboard"</A>
            {move || session.connection.get().map(|connection| {
                let sign_out = sign_out.clone();
                view! {
                    <nav aria-label="Main">
                        <A href="/users">"Directory"</A>
                        <A href="/emergency" attr:class="nav-emergency">"Emergency"</A>
                    </nav>
                    <p class="connection" aria-label="Connection">
                        <span class="who">"Connected as " <strong>{connection.identity.describe()}</strong></span>
                        <span class="where">{format!("{} · {}", connection.dialect().label(), connection.host())}</span>
                    </p>
                    <button type="button" class="quiet" on:click=sign_out>"Sign out"</button>
                }
            })}
        </header>
    }
}

/// `/`: the directory when connected, else Connect.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    move || {
        if session.connection.with(Option::is_some) {
            view! { <Redirect path="/users" /> }
        } else {
            view! { <Redirect path="/connect" /> }
        }
    }
}

/// Renders `children` when connected; otherwise leads through Connect and back here.
#[component]
pub fn RequireConnection(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || {
        if session.connection.with(Option::is_some) {
            children().into_any()
        } else {
            // Signing out clears the connection and navigates to Connect in one event; this
            // guard re-renders after that navigation. It must not then add `?next=/connect`.
            if location.pathname.get_untracked() == "/connect" {
                return ().into_any();
            }
            // The router's `search` comes without its leading `?`.
            let search = location.search.get_untracked();
            let here = match search.is_empty() {
                true => location.pathname.get_untracked(),
                false => format!("{}?{search}", location.pathname.get_untracked()),
            };
            let next = offboard_engine::http::encode_component(&here);
            view! { <Redirect path=format!("/connect?next={next}") /> }.into_any()
        }
    }
}

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
fn FocusOnNavigation() -> impl IntoView {
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

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1 tabindex="-1">"Page not found"</h1>
            <p>"There is no such page in Offboard. " <A href="/">"Go to the start"</A></p>
        </section>
    }
}
