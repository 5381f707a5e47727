//! The guard of every page that needs a connection: it hands the page the connection, or leads
//! through Connect and back to where the person was going.

use crate::routes;
use crate::session::{Connection, use_session};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// A page that needs a connection, handed the connection it runs on (pages never look it up).
pub fn connected<V: IntoView + 'static>(page: fn(Connection) -> V) -> impl IntoView {
    view! { <RequireConnection page=move |connection| page(connection).into_any() /> }
}

/// Renders `page` with the connection when connected; otherwise leads through Connect and back
/// here. A new connection (signing in again, with other credentials) renders the page afresh.
#[component]
fn RequireConnection(
    page: impl Fn(Connection) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || {
        if let Some(connection) = session.connection.get() {
            page(connection)
        } else {
            // Signing out clears the connection and navigates to Connect in one event; this
            // guard re-renders after that navigation. It must not then add `?next=/connect`.
            if location.pathname.get_untracked() == routes::CONNECT {
                return ().into_any();
            }
            // The router's `search` comes without its leading `?`.
            let search = location.search.get_untracked();
            let here = match search.is_empty() {
                true => location.pathname.get_untracked(),
                false => format!("{}?{search}", location.pathname.get_untracked()),
            };
            view! { <Redirect path=routes::connect_then(&here) /> }.into_any()
        }
    }
}
