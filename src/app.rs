//! The router and the layout around every screen: a header naming the connection, and the
//! guard that sends people without a connection through Connect and back.

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

#[component]
pub fn App() -> impl IntoView {
    Session::provide();
    Directory::provide();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
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

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is no such page in Offboard. " <A href="/">"Go to the start"</A></p>
        </section>
    }
}
