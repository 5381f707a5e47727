//! With several platforms connected: the person on each of them, side by side (account, role,
//! state, keys and groups), read at once and matched by email. "Show on this platform" makes
//! that platform the current one and opens the person there.

use crate::components::no_such_person::is_missing;
use crate::everywhere::{self, Found};
use crate::format::access_counts;
use crate::loaded::Loaded;
use crate::routes;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use offboard_engine::error::ApiError;

/// Nothing with one platform connected; else one card per platform, the current one first.
#[component]
pub fn Everywhere(reference: String) -> impl IntoView {
    let session = use_session();
    let connections = session.everywhere();
    (connections.len() > 1).then(|| {
        let count = connections.len();
        let reads = Loaded::new(move || {
            let (connections, reference) = (connections.clone(), reference.clone());
            async move { Ok::<_, ApiError>(everywhere::read(connections, reference).await) }
        });
        let cards = move || match reads.get() {
            None => view! {
                <p class="muted loading" role="status">{format!("Looking on {count} platforms…")}</p>
            }
            .into_any(),
            Some(found) => found
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(index, found)| view! { <PlatformCard found=found current=index == 0 /> })
                .collect_view()
                .into_any(),
        };
        view! {
            <section class="card everywhere" aria-labelledby="everywhere-title">
                <h2 id="everywhere-title">"On every connected platform"</h2>
                <div class="everywhere-grid">{cards}</div>
            </section>
        }
    })
}

#[component]
fn PlatformCard(found: Found, current: bool) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let connection = found.connection;
    let place = format!("{} · {}", connection.dialect().label(), connection.host());
    let body = match found.read {
        Ok(inventory) => {
            let user = inventory.user;
            let status = user
                .known_status()
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| "account present".to_string());
            let access = access_counts(
                connection.dialect(),
                inventory.keys.len(),
                inventory.groups.len(),
            );
            let show = (!current).then(|| {
                let name = connection.name.clone();
                let to = routes::user(user.reference(connection.dialect()));
                let label = format!("Show on {name}");
                view! {
                    <button type="button" class="quiet" on:click=move |_| {
                        session.switch_to(&name);
                        navigate(&to, Default::default());
                    }>{label}</button>
                }
            });
            view! {
                <p><strong>{user.name.clone()}</strong>" · "{user.email.clone()}</p>
                <p>{format!("{} · {status}", user.account_role.map_or("unknown role", |r| r.as_str()))}</p>
                <p>{access}</p>
                {show}
            }
            .into_any()
        }
        Err(error) if is_missing(&error) => {
            view! { <p class="muted">"No such person on this platform."</p> }.into_any()
        }
        Err(error) => view! { <p class="notice notice-error">{error.plain_words()}</p> }.into_any(),
    };
    let class = if current {
        "platform-card current"
    } else {
        "platform-card"
    };
    view! {
        <article class=class aria-label=connection.name.clone()>
            <h3>{connection.name.clone()}{current.then_some(" (this page)")}</h3>
            <p class="hint">{place}</p>
            {body}
        </article>
    }
}
