//! The Connect screen: choose a dialect, a base URL and credentials; check them with a real call
//! and say who they belong to, or why they do not work, in plain words.

use crate::api;
use crate::components::error_notice::ErrorNotice;
use crate::session::{Connection, Credentials, Identity, use_session};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use offboard_engine::model::Dialect;
use offboard_engine::platform::ConnectError;

/// What the form holds when the person presses Connect.
#[derive(Clone)]
struct Attempt {
    base_url: String,
    credentials: Credentials,
    remember: bool,
}

/// Why an attempt did not connect: a form mistake (nothing was sent) or the platform's answer.
#[derive(Clone)]
enum Failure {
    Form(String),
    Platform(ConnectError),
}

#[component]
pub fn ConnectPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();

    let dialect = RwSignal::new(Dialect::Adoc);
    let base_url = RwSignal::new(this_origin());
    let access_key = RwSignal::new(String::new());
    let secret_key = RwSignal::new(String::new());
    let api_key = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let remember = RwSignal::new(false);

    let connect = Action::new_local(|attempt: &Attempt| {
        let attempt = attempt.clone();
        async move { check(attempt).await }
    });

    // On success: keep the connection and go where the person was heading (a deep link such
    // as /emergency?user=… leads through here and comes back).
    crate::reactive::effect(move || {
        if let Some(Ok(connection)) = connect.value().get() {
            session.connect(connection);
            let next = query
                .with_untracked(|q| q.get("next"))
                .filter(|next| next.starts_with('/'));
            navigate(
                &next.unwrap_or_else(|| "/users".to_string()),
                Default::default(),
            );
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let credentials = match dialect.get_untracked() {
            Dialect::Adoc => Credentials::Adoc {
                access_key: access_key.get_untracked().trim().to_string(),
                secret_key: secret_key.get_untracked().trim().to_string(),
            },
            Dialect::Td => Credentials::Td {
                api_key: api_key.get_untracked().trim().to_string(),
            },
        };
        connect.dispatch(Attempt {
            base_url: base_url
                .get_untracked()
                .trim()
                .trim_end_matches('/')
                .to_string(),
            credentials,
            remember: remember.get_untracked(),
        });
    };

    let failure = move || match connect.value().get() {
        Some(Err(Failure::Form(message))) => {
            Some(view! { <ErrorNotice summary=message /> }.into_any())
        }
        Some(Err(Failure::Platform(error))) => {
            let detail = match &error {
                ConnectError::Api(api) => Some(api.to_string()),
                ConnectError::NotAdministrator { .. } => None,
            };
            Some(view! { <ErrorNotice summary=error.plain_words() detail=detail /> }.into_any())
        }
        _ => None,
    };
    let secret_type = move || if reveal.get() { "text" } else { "password" };

    view! {
        <section class="connect card" aria-labelledby="connect-title">
            <h1 id="connect-title" tabindex="-1">"Connect to a platform"</h1>
            <p class="lead">
                "Offboard calls the platform's admin API from this browser. Your key stays in this tab's memory."
            </p>
            <form on:submit=submit novalidate>
                <fieldset class="dialects">
                    <legend>"Platform"</legend>
                    <label class="choice">
                        <input type="radio" name="dialect" value="adoc"
                            prop:checked=move || dialect.get() == Dialect::Adoc
                            on:change=move |_| dialect.set(Dialect::Adoc) />
                        <span>"Acceldata ADOC"</span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="dialect" value="td"
                            prop:checked=move || dialect.get() == Dialect::Td
                            on:change=move |_| dialect.set(Dialect::Td) />
                        <span>"Treasure Data"</span>
                    </label>
                </fieldset>

                <label for="base-url">"Base URL"</label>
                <input id="base-url" type="url" autocomplete="url" required
                    aria-describedby="base-url-hint"
                    prop:value=move || base_url.get()
                    on:input=move |ev| base_url.set(event_target_value(&ev)) />
                <p id="base-url-hint" class="hint">"The API's root. Default: the server this console came from."</p>

                <Show when=move || dialect.get() == Dialect::Adoc>
                    <label for="access-key">"Access key"</label>
                    <input id="access-key" type="text" autocomplete="username" spellcheck="false" required
                        prop:value=move || access_key.get()
                        on:input=move |ev| access_key.set(event_target_value(&ev)) />
                    <label for="secret-key">"Secret key"</label>
                    <input id="secret-key" type=secret_type autocomplete="current-password" spellcheck="false" required
                        prop:value=move || secret_key.get()
                        on:input=move |ev| secret_key.set(event_target_value(&ev)) />
                </Show>
                <Show when=move || dialect.get() == Dialect::Td>
                    <label for="api-key">"API key"</label>
                    <input id="api-key" type=secret_type autocomplete="current-password" spellcheck="false" required
                        aria-describedby="api-key-hint"
                        prop:value=move || api_key.get()
                        on:input=move |ev| api_key.set(event_target_value(&ev)) />
                    <p id="api-key-hint" class="hint">"A master key of an administrator or the account owner, e.g. 1/abcdef…"</p>
                </Show>

                <label class="choice">
                    <input type="checkbox" prop:checked=move || reveal.get()
                        on:change=move |ev| reveal.set(event_target_checked(&ev)) />
                    <span>"Show secret"</span>
                </label>
                <label class="choice">
                    <input type="checkbox" aria-describedby="remember-hint" prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev)) />
                    <span>"Remember in this tab"</span>
                </label>
                <p id="remember-hint" class="hint">
                    "Keeps the key in this tab's session storage until the tab closes or you sign out. Off: the key is forgotten on reload."
                </p>

                <div aria-live="polite">{failure}</div>
                <button type="submit" class="primary" disabled=move || connect.pending().get()>
                    {move || if connect.pending().get() { "Connecting…" } else { "Connect" }}
                </button>
            </form>
        </section>
    }
}

/// Validates the form, then asks the platform who the credentials belong to.
async fn check(attempt: Attempt) -> Result<Connection, Failure> {
    validate(&attempt).map_err(Failure::Form)?;
    let mut connection = Connection {
        base_url: attempt.base_url,
        credentials: attempt.credentials,
        identity: Identity { user: None },
        remembered: attempt.remember,
    };
    let user = api::with_platform(&connection, async |platform| platform.who_am_i().await)
        .await
        .map_err(Failure::Platform)?;
    connection.identity = Identity { user };
    Ok(connection)
}

fn validate(attempt: &Attempt) -> Result<(), String> {
    let url = &attempt.base_url;
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() <= "https://".len()
    {
        return Err("Enter the base URL with its scheme, e.g. https://acme.acceldata.app".into());
    }
    match &attempt.credentials {
        Credentials::Adoc {
            access_key,
            secret_key,
        } if access_key.is_empty() || secret_key.is_empty() => {
            Err("Enter both the access key and the secret key.".into())
        }
        Credentials::Td { api_key } if api_key.is_empty() => Err("Enter the API key.".into()),
        _ => Ok(()),
    }
}

fn this_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
