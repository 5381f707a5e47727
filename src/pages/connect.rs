//! The Connect screen: choose a dialect, a base URL and credentials; check them with a real call
//! and say who they belong to, or why they do not work, in plain words.

use crate::api;
use crate::components::error_notice::ErrorNotice;
use crate::pages::emergency::prefetch;
use crate::routes;
use crate::session::{Connection, Credentials, Identity, use_session};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use offboard_engine::congestion::DEFAULT_CAP;
use offboard_engine::credentials::CredentialField;
use offboard_engine::model::Dialect;
use offboard_engine::platform::ConnectError;
use std::collections::BTreeMap;

/// The highest cap the form takes: past it a platform's own limit on streams (commonly 100 on
/// HTTP/2) decides anyway.
const MAX_IN_FLIGHT: usize = 256;

/// What the form holds when the person presses Connect.
#[derive(Clone)]
struct Attempt {
    /// As typed in "Name" (empty: Connect names it after the dialect and host).
    name: String,
    base_url: String,
    credentials: Credentials,
    remember: bool,
    /// As typed in "Most calls at once".
    max_in_flight: String,
    /// Where the person goes once connected (`?next=`).
    next: Option<String>,
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

    let dialect = RwSignal::new(Dialect::ALL[0]);
    let base_url = RwSignal::new(this_origin());
    let name = RwSignal::new(String::new());
    // Typed values by field id: switching the platform back and forth keeps what was typed.
    let values = RwSignal::new(BTreeMap::<&'static str, String>::new());
    let reveal = RwSignal::new(false);
    let remember = RwSignal::new(false);
    let max_in_flight = RwSignal::new(DEFAULT_CAP.to_string());

    let connect = Action::new_local(|attempt: &Attempt| {
        let attempt = attempt.clone();
        async move { check(attempt).await }
    });

    // On success: keep the connection and go where the person was heading (a deep link such
    // as /emergency?user=… leads through here and comes back).
    crate::reactive::effect(move || {
        if let Some(Ok(connection)) = connect.value().get() {
            session.connect(connection);
            let next = query.with_untracked(|q| q.get("next"));
            navigate(routes::after_connect(next.as_deref()), Default::default());
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let dialect = dialect.get_untracked();
        let typed = values.with_untracked(|values| {
            dialect
                .api()
                .credential_fields()
                .iter()
                .map(|field| values.get(field.id).cloned().unwrap_or_default())
                .collect()
        });
        let credentials = Credentials::new(dialect, typed);
        connect.dispatch(Attempt {
            name: name.get_untracked(),
            base_url: base_url
                .get_untracked()
                .trim()
                .trim_end_matches('/')
                .to_string(),
            credentials,
            remember: remember.get_untracked(),
            max_in_flight: max_in_flight.get_untracked(),
            next: query.with_untracked(|q| q.get("next")),
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

    // Already connected: this form adds another platform beside the ones listed.
    let adding = move || session.connections.with(|all| !all.is_empty());
    view! {
        <section class="connect card" aria-labelledby="connect-title">
            <h1 id="connect-title" tabindex="-1">
                {move || if adding() { "Connect another platform" } else { "Connect to a platform" }}
            </h1>
            <p class="lead">
                "Offboard calls the platform's admin API from this browser. Your key stays in this tab's memory."
            </p>
            <Connected />
            <form on:submit=submit novalidate>
                <fieldset class="dialects">
                    <legend>"Platform"</legend>
                    {Dialect::ALL.into_iter().map(|choice| view! {
                        <label class="choice">
                            <input type="radio" name="dialect" value=choice.as_str()
                                prop:checked=move || dialect.get() == choice
                                on:change=move |_| dialect.set(choice) />
                            <span>{choice.label()}</span>
                        </label>
                    }).collect_view()}
                </fieldset>

                <label for="base-url">"Base URL"</label>
                <input id="base-url" type="url" autocomplete="url" required
                    aria-describedby="base-url-hint"
                    prop:value=move || base_url.get()
                    on:input=move |ev| base_url.set(event_target_value(&ev)) />
                <p id="base-url-hint" class="hint">"The API's root. Default: the server this console came from."</p>

                <label for="connection-name">"Name (optional)"</label>
                <input id="connection-name" type="text" autocomplete="off" spellcheck="false"
                    aria-describedby="connection-name-hint" placeholder="e.g. ADOC prod"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
                <p id="connection-name-hint" class="hint">
                    "How screens and reports name this platform when several are connected. Empty: its kind and host."
                </p>

                {move || {
                    dialect
                        .get()
                        .api()
                        .credential_fields()
                        .iter()
                        .map(|field| credential_input(field, values, reveal))
                        .collect_view()
                }}

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

                <details class="advanced">
                    <summary>"Advanced"</summary>
                    <label for="max-in-flight">"Most calls at once"</label>
                    <input id="max-in-flight" type="number" inputmode="numeric" min="1" max=MAX_IN_FLIGHT.to_string()
                        aria-describedby="max-in-flight-hint"
                        prop:value=move || max_in_flight.get()
                        on:input=move |ev| max_in_flight.set(event_target_value(&ev)) />
                    <p id="max-in-flight-hint" class="hint">
                        "Runs send up to this many calls at once over HTTP/2, fewer as soon as the platform answers 429 or 503; over HTTP/1.1 the browser allows six. Lower it for a platform with a tight rate limit."
                    </p>
                </details>

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
    let max_in_flight = validate(&attempt).map_err(Failure::Form)?;
    let mut connection = Connection {
        name: attempt.name.trim().to_string(),
        base_url: attempt.base_url,
        credentials: attempt.credentials,
        identity: Identity { user: None },
        remembered: attempt.remember,
        max_in_flight,
    };
    // Heading for a lockout: the person is read while the credentials are checked.
    if let Some(who) = attempt.next.as_deref().and_then(routes::emergency_person) {
        prefetch::start(&connection, &who);
    }
    let user = api::with_platform(&connection, async |platform| platform.who_am_i().await)
        .await
        .map_err(|error| {
            prefetch::forget();
            Failure::Platform(error)
        })?;
    connection.identity = Identity { user };
    Ok(connection)
}

/// The platforms already connected, each with "Disconnect": Connect adds to them.
#[component]
fn Connected() -> impl IntoView {
    let session = use_session();
    move || {
        let all = session.connections.get();
        (!all.is_empty()).then(|| {
            view! {
                <div class="connected">
                    <h2>"Connected"</h2>
                    <ul class="connected-list">
                        {all.into_iter().map(|connection| {
                            let name = connection.name.clone();
                            let label = format!("Disconnect {name}");
                            view! {
                                <li>
                                    <span><strong>{connection.name.clone()}</strong>
                                        {format!(" — {} at {}, as {}", connection.dialect().label(), connection.host(), connection.identity.describe())}</span>
                                    <button type="button" class="quiet" aria-label=label
                                        on:click=move |_| session.disconnect(&name)>"Disconnect"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Checks the form; on success, the cap on calls in flight.
fn validate(attempt: &Attempt) -> Result<usize, String> {
    // As the browser parses it, which is how every call will be addressed.
    let web_address = web_sys::Url::new(attempt.base_url.trim())
        .ok()
        .filter(|url| {
            matches!(url.protocol().as_str(), "http:" | "https:") && !url.hostname().is_empty()
        });
    if web_address.is_none() {
        return Err("Enter the base URL with its scheme, e.g. https://acme.acceldata.app".into());
    }
    if let Some(ask) = attempt.credentials.missing() {
        return Err(ask.to_string());
    }
    match attempt.max_in_flight.trim().parse::<usize>() {
        Ok(cap) if (1..=MAX_IN_FLIGHT).contains(&cap) => Ok(cap),
        _ => Err(format!(
            "Enter how many calls may run at once, a whole number from 1 to {MAX_IN_FLIGHT}."
        )),
    }
}

/// One credential field of the chosen platform: a secret is hidden unless "Show secret" is on.
fn credential_input(
    field: &'static CredentialField,
    values: RwSignal<BTreeMap<&'static str, String>>,
    reveal: RwSignal<bool>,
) -> impl IntoView {
    let id = field.id;
    let kind = move || match field.secret && !reveal.get() {
        true => "password",
        false => "text",
    };
    let autocomplete = if field.secret {
        "current-password"
    } else {
        "username"
    };
    let hint_id = format!("{id}-hint");
    view! {
        <label for=id>{field.label}</label>
        <input id=id type=kind autocomplete=autocomplete spellcheck="false" required
            aria-describedby=field.hint.map(|_| hint_id.clone())
            prop:value=move || values.with(|values| values.get(id).cloned().unwrap_or_default())
            on:input=move |ev| values.update(|values| { values.insert(id, event_target_value(&ev)); }) />
        {field.hint.map(|hint| view! { <p id=hint_id class="hint">{hint}</p> })}
    }
}

fn this_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
