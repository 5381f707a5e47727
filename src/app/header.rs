//! The bar on every screen: the product's name, the main navigation and, when connected, who
//! is connected to which platform (every platform, when several are, the current one pressed),
//! "Add a platform" and Sign out.

use crate::routes;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // Connect without `?next=`: the guard of the page being left sees the connection go and
    // would send the person back there after connecting (see `RequireConnection`).
    let sign_out = move |_| {
        session.sign_out();
        navigate(routes::CONNECT, Default::default());
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">"Offboard"</A>
            {move || session.connection.get().map(|connection| {
                let sign_out = sign_out.clone();
                view! {
                    <nav aria-label="Main">
                        <A href=routes::DIRECTORY>"Directory"</A>
                        <A href=routes::BULK>"Bulk"</A>
                        <A href=routes::RUNS>"Runs"</A>
                        <A href=routes::EMERGENCY attr:class="nav-emergency">"Emergency"</A>
                    </nav>
                    <p class="connection" aria-label="Connection">
                        <span class="who">"Connected as " <strong>{connection.identity.describe()}</strong></span>
                        <span class="where">{format!("{} · {}", connection.dialect().label(), connection.host())}</span>
                    </p>
                    <Platforms current=connection.name.clone() />
                    <A href=routes::CONNECT attr:class="add-platform">"Add a platform"</A>
                    <button type="button" class="quiet" on:click=sign_out>"Sign out"</button>
                }
            })}
        </header>
    }
}

/// With several platforms connected: one button each, the current one pressed; pressing another
/// makes it current (the page shown re-renders on it).
#[component]
fn Platforms(current: String) -> impl IntoView {
    let session = use_session();
    move || {
        let all = session.connections.get();
        (all.len() > 1).then(|| {
            let buttons = all
                .into_iter()
                .map(|connection| {
                    let pressed = connection.name == current;
                    let name = connection.name.clone();
                    let title = format!(
                        "{} at {}, as {}",
                        connection.dialect().label(),
                        connection.host(),
                        connection.identity.describe()
                    );
                    view! {
                        <li>
                            <button type="button" class="platform" aria-pressed=pressed.to_string() title=title
                                on:click=move |_| session.switch_to(&name)>{connection.name.clone()}</button>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="platforms" aria-label="Connected platforms">{buttons}</ul> }
        })
    }
}
