//! The guided offboarding wizard (`/users/:reference/offboard`): the help-desk path through the
//! runbook, one step at a time, ending with the access provably gone and a report to file.
//!
//! This module picks the screen: an unfinished run of this wizard for this person (kept in
//! `localStorage`) is offered for resuming first; otherwise the person is read, the guards are
//! applied (nobody offboards themselves, the owner, or as an admin another admin), and the start
//! screen leads into the steps.

mod clock;
mod departure_form;
mod elsewhere;
mod refused;
pub(crate) mod replacement;
pub(crate) mod report_view;
mod resume_offer;
mod reverify;
mod run_view;
mod scim_notice;
mod skip;
mod snapshot_view;
mod start;
mod step_card;
mod td_keys;

use crate::api;
use crate::components::already_offboarded::AlreadyOffboarded;
use crate::components::awaited::Awaited;
use crate::components::error_notice::ApiErrorNotice;
use crate::components::no_such_person::{NoSuchPerson, is_missing};
use crate::pages::directory::Directory;
use crate::routes;
use crate::runs::{RunHandle, storage};
use crate::session::Connection;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use offboard_engine::error::ApiError;
use offboard_engine::policy::Account;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};
use refused::Refused;
use resume_offer::ResumeOffer;
use run_view::Wizard;
use start::{StartCard, refusal};

/// The `kind` runs of this wizard are stored under (see `runs::storage`).
const KIND: &str = "wizard";

#[component]
pub fn WizardPage(connection: Connection) -> impl IntoView {
    let reference = routes::reference(use_params_map().with_untracked(|p| p.get("reference")));
    // The pickers (replacement, new key owner) search the session's directory.
    expect_context::<Directory>().ensure_loaded(&connection);

    // Runs are created in an event handler; they belong to this page, so they are created under
    // its owner and go away with it.
    let owner = Owner::current();
    let run = RwSignal::new(None::<RunHandle>);
    let dialect = connection.dialect();
    let left_behind = RwSignal::new(storage::unfinished(
        &connection.base_url,
        dialect.as_str(),
        &reference,
        KIND,
    ));
    let user = {
        let connection = connection.clone();
        let reference = reference.clone();
        crate::loaded::Loaded::new(move || {
            let (connection, reference) = (connection.clone(), reference.clone());
            // The keys too: a disabled account with none left is already offboarded.
            async move {
                api::with_platform(&connection, async |p| {
                    let user = p.find_user(&reference).await?;
                    let keys = p.keys(&user).await?;
                    Ok(Inventory {
                        keys: keys.into_iter().map(|key| key.id).collect(),
                        user,
                        ..Inventory::default()
                    })
                })
                .await
            }
        })
    };
    // Set when the person chooses to offboard someone who already looks offboarded.
    let anyway = RwSignal::new(false);
    let begin = move |journal| {
        let handle = match &owner {
            Some(owner) => owner.with(|| RunHandle::new(journal)),
            None => RunHandle::new(journal),
        };
        run.set(Some(handle));
        step_card::focus_next(handle);
    };

    let user_link = routes::user(&reference);
    let screen = {
        let connection = connection.clone();
        let user_link = user_link.clone();
        let reference = reference.clone();
        move || {
            if let Some(handle) = run.get() {
                return view! { <Wizard run=handle connection=connection.clone() /> }.into_any();
            }
            if let Some(journal) = left_behind.get() {
                let target = &journal.plan.target;
                if let Some(refused) = refusal(&connection, Account::from(target)) {
                    return view! { <Refused refusal=refused name=target.name.clone() back=user_link.clone() /> }.into_any();
                }
                let discard = move || {
                    if let Some(journal) = left_behind.get_untracked() {
                        storage::discard(&journal.id);
                    }
                    left_behind.set(None);
                };
                let begin = begin.clone();
                let resume = move || {
                    if let Some(journal) = left_behind.get_untracked() {
                        begin(journal);
                    }
                };
                return view! { <ResumeOffer journal=journal on_resume=resume on_discard=discard /> }.into_any();
            }
            let failed = {
                let (reference, connection, user_link) =
                    (reference.clone(), connection.clone(), user_link.clone());
                Callback::new(move |error: ApiError| match is_missing(&error) {
                    true => view! {
                        <section class="card no-such-person">
                            <h1 tabindex="-1">"Person not found"</h1>
                            <NoSuchPerson who=reference.clone() connection=connection.clone() />
                        </section>
                    }
                    .into_any(),
                    false => view! {
                        <h1 tabindex="-1">"Guided offboarding"</h1>
                        <ApiErrorNotice error=error />
                        <p><a href=user_link.clone()>"Back to the person"</a></p>
                    }
                    .into_any(),
                })
            };
            let (connection, user_link, begin) =
                (connection.clone(), user_link.clone(), begin.clone());
            let found = move |found: Inventory| {
                match refusal(&connection, Account::from(&found.user)) {
                    Some(refused) => view! { <Refused refusal=refused name=found.user.name.clone() back=user_link.clone() /> }.into_any(),
                    None if plan::looks_offboarded(dialect, &found) && !anyway.get() => {
                        let begin = begin.clone();
                        let verify = {
                            let (connection, found) = (connection.clone(), found.clone());
                            Callback::new(move |()| {
                                let plan = plan::verification(dialect, &found);
                                begin(Journal::new(
                                    plan,
                                    crate::session::operator(&connection),
                                    connection.base_url.clone(),
                                    js_sys::Date::now(),
                                ));
                            })
                        };
                        let earlier = storage::latest_finished(&connection.base_url, dialect.as_str(), found.user.reference(dialect));
                        view! {
                            <AlreadyOffboarded user=found.user heading=true earlier=earlier on_verify=verify
                                anyway=("Offboard anyway", Callback::new(move |()| anyway.set(true))) />
                        }
                        .into_any()
                    }
                    None => view! { <StartCard user=found.user connection=connection.clone() on_start=begin.clone() /> }.into_any(),
                }
            };
            view! { <Awaited read=user loading="Loading the person…" failed=failed ready=found /> }
                .into_any()
        }
    };

    view! {
        <nav class="breadcrumb no-print" aria-label="Breadcrumb">
            <a href=routes::DIRECTORY>"Directory"</a>" › "<a href=user_link>{reference.clone()}</a>" › "<span>"Guided offboarding"</span>
        </nav>
        <div class="wizard">{screen}</div>
    }
    .into_any()
}
