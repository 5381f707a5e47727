//! The router and the layout around every screen: the header, the routes (each page that needs
//! a connection behind [`require_connection`]'s guard), and keyboard focus moved to each new
//! screen's heading.

mod focus;
mod header;
mod require_connection;

use crate::pages::bulk::BulkPage;
use crate::pages::connect::ConnectPage;
use crate::pages::directory::{Directory, DirectoryPage};
use crate::pages::emergency::EmergencyPage;
use crate::pages::run_report::RunReportPage;
use crate::pages::runs::RunsPage;
use crate::pages::user::UserPage;
use crate::pages::wizard::WizardPage;
use crate::routes;
use crate::session::{Session, use_session};
use focus::FocusOnNavigation;
use header::Header;
use leptos::prelude::*;
use leptos_router::components::{A, Redirect, Route, Router, Routes};
use leptos_router::path;
use require_connection::connected;

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
                    <Route path=path!("/users") view=|| connected(|connection| view! { <DirectoryPage connection /> }) />
                    <Route path=path!("/users/:reference/offboard") view=|| connected(|connection| view! { <WizardPage connection /> }) />
                    <Route path=path!("/users/:reference") view=|| connected(|connection| view! { <UserPage connection /> }) />
                    <Route path=path!("/emergency") view=|| connected(|connection| view! { <EmergencyPage connection /> }) />
                    <Route path=path!("/bulk") view=|| connected(|_| view! { <BulkPage /> }) />
                    <Route path=path!("/runs") view=|| connected(|_| view! { <RunsPage /> }) />
                    <Route path=path!("/runs/:id") view=|| connected(|connection| view! { <RunReportPage connection /> }) />
                </Routes>
            </main>
        </Router>
    }
}

/// `/`: the directory when connected, else Connect.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    move || {
        if session.connection.with(Option::is_some) {
            view! { <Redirect path=routes::DIRECTORY /> }
        } else {
            view! { <Redirect path=routes::CONNECT /> }
        }
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
