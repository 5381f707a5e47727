//! Emergency lockout (`/emergency?user=<id or email>`): one confirmation, then the person's
//! access is gone in seconds, with proof. Built for an on-call person on a phone.

mod guard;
mod timeline;

use crate::api;
use crate::components::already_offboarded::AlreadyOffboarded;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::no_such_person::{NoSuchPerson, is_missing};
use crate::components::request_preview::RequestPreview;
use crate::format::today;
use crate::runs::{RunHandle, storage};
use crate::session::{Connection, use_session};
use guard::{Guard, guard};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use offboard_engine::error::ApiError;
use offboard_engine::http::encode_component;
use offboard_engine::platform::Capability;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};
use offboard_engine::words;
use timeline::Timeline;

#[component]
pub fn EmergencyPage() -> impl IntoView {
    let query = use_query_map();
    let who = move || {
        query
            .with(|q| q.get("user"))
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
    };
    view! {
        <section class="emergency">
            <h1 tabindex="-1">"Emergency lockout"</h1>
            {move || match who() {
                None => view! { <FindPerson /> }.into_any(),
                Some(who) => view! { <Lockout who=who /> }.into_any(),
            }}
        </section>
    }
}

/// Without a `user` in the link, or when no one has that id or email: ask who.
#[component]
fn FindPerson(
    /// What was looked for last, to correct rather than retype.
    #[prop(optional, into)]
    typed: String,
) -> impl IntoView {
    let navigate = use_navigate();
    let typed = RwSignal::new(typed);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let who = typed.get_untracked();
        if !who.trim().is_empty() {
            navigate(
                &format!("/emergency?user={}", encode_component(who.trim())),
                Default::default(),
            );
        }
    };
    view! {
        <form class="card" on:submit=submit>
            <label for="emergency-who">"Who must be locked out?"</label>
            <input id="emergency-who" type="text" autocomplete="off" spellcheck="false" placeholder="User id or email"
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            <button type="submit" class="primary">"Find"</button>
        </form>
    }
}

/// Loads who will be locked out, checks the guards, asks once, then runs.
#[component]
fn Lockout(who: String) -> impl IntoView {
    let session = use_session();
    let Some(connection) = session.connection.get_untracked() else {
        return ().into_any();
    };
    let inventory = {
        let connection = connection.clone();
        let who = who.clone();
        crate::loaded::Loaded::new(move || load(connection.clone(), who.clone()))
    };
    let run = RwSignal::new_local(None::<RunHandle>);
    // Set when the person chooses to lock out someone who already looks offboarded.
    let anyway = RwSignal::new(false);
    // The run outlives the confirmation that starts it, so its signals belong to this page.
    let owner = Owner::current().expect("rendered inside the app");

    let body = move || match inventory.get() {
        None => view! { <p class="muted" role="status">{format!("Finding {who}…")}</p> }.into_any(),
        // Keeps the search so a mistyped address is corrected here, on the phone, in one go.
        Some(Err(error)) if is_missing(&error) => view! {
            <div class="notice notice-warn" role="alert">
                <NoSuchPerson who=who.clone() connection=connection.clone() />
            </div>
            <FindPerson typed=who.clone() />
        }
        .into_any(),
        Some(Err(error)) => view! { <ApiErrorNotice error=error /> }.into_any(),
        Some(Ok(found)) => match run.get() {
            Some(handle) => {
                view! { <Timeline run=handle connection=connection.clone() inventory=found /> }
                    .into_any()
            }
            None => {
                let owner = owner.clone();
                let start = move |journal| run.set(Some(owner.with(|| RunHandle::new(journal))));
                if plan::looks_offboarded(connection.dialect(), &found) && !anyway.get() {
                    let verify = {
                        let (connection, found) = (connection.clone(), found.clone());
                        Callback::new(move |()| {
                            let plan = plan::verification(connection.dialect(), &found);
                            start(Journal::new(
                                plan,
                                crate::session::operator(&connection),
                                connection.base_url.clone(),
                                js_sys::Date::now(),
                            ));
                        })
                    };
                    let earlier = storage::latest_finished(
                        &connection.base_url,
                        connection.dialect().as_str(),
                        found.user.reference(connection.dialect()),
                    );
                    return view! {
                        <AlreadyOffboarded user=found.user.clone() earlier=earlier on_verify=verify
                            anyway=("Lock out anyway", Callback::new(move |()| anyway.set(true))) />
                    }
                    .into_any();
                }
                view! { <Confirm connection=connection.clone() inventory=found start=start /> }
                    .into_any()
            }
        },
    };
    view! { <div>{body}</div> }.into_any()
}

/// The one confirmation: who, what they can reach, what will happen.
#[component]
fn Confirm(
    connection: Connection,
    inventory: Inventory,
    start: impl Fn(Journal) + Clone + 'static,
) -> impl IntoView {
    let person = inventory.user.clone();
    let verdict = guard(&connection, &person);
    let dialect = connection.dialect();
    let counts = if dialect.offers(Capability::Groups) {
        format!(
            "{} · {}",
            words::count(inventory.keys.len(), "API key"),
            words::count(inventory.groups.len(), "group")
        )
    } else {
        words::count(inventory.keys.len(), "API key")
    };
    // What will happen, as the engine plans it: each step's title and why.
    let shown = plan::emergency(dialect, &inventory, &today());
    let steps: Vec<String> = shown
        .steps
        .iter()
        .map(|step| format!("{}. {}", step.title, step.why))
        .collect();
    let start = {
        let connection = connection.clone();
        let inventory = inventory.clone();
        move |_: leptos::ev::MouseEvent| {
            let plan = plan::emergency(connection.dialect(), &inventory, &today());
            let operator = crate::session::operator(&connection);
            let mut journal = Journal::new(
                plan,
                operator,
                connection.base_url.clone(),
                js_sys::Date::now(),
            );
            journal.notified_at_ms = Some(js_sys::Date::now());
            start(journal);
        }
    };
    let (title, button) = match &verdict {
        Guard::ScimManaged { .. } => (
            format!("Revoke every API key of {}?", person.name),
            "Revoke keys now",
        ),
        _ => (format!("Lock out {}?", person.name), "Lock out now"),
    };
    let role = person.account_role.map_or("unknown role", |r| r.as_str());
    let preview: Vec<_> = shown
        .steps
        .iter()
        .flat_map(|step| step.preview(&shown))
        .collect();
    let preview = view! { <RequestPreview requests=preview connection=connection.clone() /> };
    view! {
        <div class="card confirm">
            <h2>{title}</h2>
            <dl class="details">
                <dt>"Name"</dt><dd>{person.name.clone()}</dd>
                <dt>"Email"</dt><dd>{person.email.clone()}</dd>
                <dt>"Role"</dt><dd>{role}</dd>
                <dt>"Access"</dt><dd>{counts}</dd>
            </dl>
            {match verdict.clone() {
                Guard::Refused(reason) => view! {
                    <div class="notice notice-error" role="alert"><p>{reason}</p></div>
                }.into_any(),
                Guard::ScimManaged { identity_provider } => view! {
                    <div class="notice notice-warn" role="alert">
                        <p>{match dialect.offers(Capability::Disable) {
                            true => format!("{} is managed by {identity_provider} through SCIM: disable the account and remove its groups in {identity_provider}. Offboard can revoke the API keys here, because keys are not managed by {identity_provider}.", person.email),
                            false => format!("{} is managed by {identity_provider} through SCIM: the platform refuses to remove the account, so remove it in {identity_provider}. Offboard can revoke the API keys here, one by one, because keys are not managed by {identity_provider}.", person.email),
                        }}</p>
                    </div>
                    <WhatHappens steps=steps.clone() />
                    <button type="button" class="danger big" on:click=start.clone()>{button}</button>
                    {preview}
                }.into_any(),
                Guard::Allowed => view! {
                    <WhatHappens steps=steps.clone() />
                    <button type="button" class="danger big" on:click=start.clone()>{button}</button>
                    {preview}
                }.into_any(),
            }}
            <p class="hint">{format!("Connected to {} as {}.", connection.host(), connection.identity.describe())}</p>
        </div>
    }
}

#[component]
fn WhatHappens(steps: Vec<String>) -> impl IntoView {
    view! {
        <ol class="what-happens">
            {steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}
        </ol>
    }
}

/// The person and their keys (and groups, ADOC), read at once so the confirmation shows counts
/// and the lockout can start revoking without listing first.
async fn load(connection: Connection, who: String) -> Result<Inventory, ApiError> {
    api::with_platform(&connection, async |platform| {
        let user = platform.find_user(&who).await?;
        let (keys, groups) = futures::join!(platform.keys(&user), async {
            if platform.offers(Capability::Groups) {
                platform.groups(&user).await
            } else {
                Ok(Vec::new())
            }
        });
        Ok(Inventory {
            keys: keys?.into_iter().map(|key| key.id).collect(),
            groups: groups?.into_iter().map(|group| group.id).collect(),
            pipelines: Vec::new(),
            user,
        })
    })
    .await
}
