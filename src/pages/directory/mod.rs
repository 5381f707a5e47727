//! The user directory: every user with name, email, role, status and last access; search as you
//! type, sort by any column, deep links (`/users?q=…&sort=role&dir=desc`).

mod index;
mod loader;
mod table;

pub use loader::Directory;

use crate::components::error_notice::ApiErrorNotice;
use crate::format::thousands;
use crate::session::Connection;
use index::{Direction, SortKey};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use loader::{Progress, use_directory};
use std::sync::Arc;
use table::UserTable;

/// Wait after the last keystroke before asking the server to search (ADOC, while loading).
const SERVER_SEARCH_DELAY_MS: u64 = 250;

#[component]
pub fn DirectoryPage(connection: Connection) -> impl IntoView {
    let directory = use_directory();
    directory.ensure_loaded(&connection);

    let params = use_query_map().get_untracked();
    let query = RwSignal::new(params.get("q").unwrap_or_default());
    let sort = RwSignal::new((
        params
            .get("sort")
            .and_then(|s| SortKey::from_slug(&s))
            .unwrap_or(SortKey::Name),
        if params.get("dir").as_deref() == Some("desc") {
            Direction::Descending
        } else {
            Direction::Ascending
        },
    ));

    let order = Memo::new(move |_| {
        let (key, direction) = sort.get();
        directory
            .index
            .with(|index| Arc::new(index.sorted(key, direction)))
    });
    let rows = Memo::new(move |_| {
        let query = query.get();
        order.with(|order| {
            directory
                .index
                .with_untracked(|index| Arc::new(index.filter(order, &query)))
        })
    });

    crate::reactive::effect(move || replace_url(&query.get(), sort.get()));
    // A paged directory arrives a page at a time: the server's search answers sooner.
    if connection.dialect().api().users_page_size().is_some() {
        search_server_while_loading(query, &connection);
    }

    let summary = move || {
        let shown = rows.with(|rows| rows.len());
        let total = directory.index.with(|index| index.len());
        match directory.progress.get() {
            Progress::Loading {
                loaded,
                total: Some(total),
            } => {
                format!(
                    "Loading users… {} of {}",
                    thousands(loaded as u64),
                    thousands(total)
                )
            }
            Progress::Loading { .. } | Progress::Idle => "Loading users…".to_string(),
            _ if query.with(|q| q.trim().is_empty()) => {
                format!("{} users", thousands(total as u64))
            }
            _ => format!(
                "{} of {} users match",
                thousands(shown as u64),
                thousands(total as u64)
            ),
        }
    };
    let refresh_connection = connection.clone();
    let refresh = move |_| directory.reload(&refresh_connection);
    let failure = move || match directory.progress.get() {
        Progress::Failed(error) => Some(view! {
            <ApiErrorNotice error=error />
        }),
        _ => None,
    };
    // Nothing to list once everything has loaded: the message takes the table's place (a table
    // of headers over an empty box reads as broken). The table stays mounted, only hidden, so
    // clearing the search brings it back where it was.
    let nothing = Memo::new(move |_| {
        matches!(directory.progress.get(), Progress::Complete) && rows.with(|rows| rows.is_empty())
    });
    let empty = move || {
        nothing.get().then(|| {
            let searched = query.get();
            if searched.trim().is_empty() {
                view! { <p class="empty" role="status">"No users on this platform yet."</p> }.into_any()
            } else {
                view! {
                    <div class="empty card">
                        <p role="status">{format!("No one matches “{}”.", searched.trim())}</p>
                        <p class="hint">"Search looks in names, emails and user ids."</p>
                        <button type="button" on:click=move |_| query.set(String::new())>"Clear search"</button>
                    </div>
                }
                .into_any()
            }
        })
    };

    // With several platforms connected, an email typed here opens that person on all of them
    // (the directory lists the current platform's people only).
    let session = crate::session::use_session();
    let everywhere_link = move || {
        let typed = query.get();
        let email = typed.trim();
        let several = session.connections.with(|all| all.len() > 1);
        (several && email.contains('@')).then(|| {
            view! {
                <p class="hint everywhere-search">
                    <a href=crate::routes::user(email)>{format!("Look for {email} on every connected platform")}</a>
                </p>
            }
        })
    };
    view! {
        <section class="directory" aria-labelledby="directory-title">
            <div class="page-head">
                <h1 id="directory-title" tabindex="-1">"Directory"</h1>
                <p class="muted" role="status">{summary}</p>
                <button type="button" class="quiet" on:click=refresh>"Refresh"</button>
            </div>
            <label for="user-search">"Search users"</label>
            <input id="user-search" type="search" placeholder="Name, email or user id" autocomplete="off" spellcheck="false"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev)) />
            {everywhere_link}
            {failure}
            <div class="results" hidden=move || nothing.get()>
                <UserTable index=directory.index rows=rows sort=sort dialect=connection.dialect()
                    busy=Signal::derive(move || matches!(directory.progress.get(), Progress::Loading { .. })) />
            </div>
            {empty}
        </section>
    }
    .into_any()
}

/// While the full ADOC list is still arriving, also ask the server (`searchString`) so a match
/// on a page not yet loaded shows at once.
fn search_server_while_loading(query: RwSignal<String>, connection: &Connection) {
    let directory = use_directory();
    let connection = connection.clone();
    crate::reactive::effect(move || {
        let typed = query.get();
        let loading = matches!(directory.progress.get_untracked(), Progress::Loading { .. });
        if typed.trim().is_empty() || !loading {
            return;
        }
        let connection = connection.clone();
        spawn_local(async move {
            crate::api::sleep(SERVER_SEARCH_DELAY_MS).await;
            if query.try_get_untracked().as_deref() != Some(typed.as_str()) {
                return; // the person kept typing
            }
            let found = crate::api::with_platform(&connection, async |platform| {
                platform.users_page(0, Some(typed.trim())).await
            })
            .await;
            if let Ok((users, _)) = found {
                directory.add_found(users);
            }
        });
    });
}

/// Keeps the address bar in step with the search and sort, without a router navigation (which
/// would re-render the page on every keystroke).
fn replace_url(query: &str, (key, direction): (SortKey, Direction)) {
    let url = crate::routes::directory_view(
        query,
        (key != SortKey::Name).then(|| key.slug()),
        direction == Direction::Descending,
    );
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
