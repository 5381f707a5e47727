//! "Delete user" on the user page: the Treasure Data console's delete-user modal, with its key
//! options, and ADOC's account deletion after "disable, don't delete" is said first.
//!
//! Who may delete whom is the shared policy (owners delete admins and restricted users, admins
//! restricted users only, nobody themselves or the owner) plus the SCIM rule; a blocked control
//! says which rule blocks it. The modal restates what will happen to whom, asks for the email to
//! be typed, warns (and asks for an acknowledgement) when reassigned keys would gain a stronger
//! role, and then runs the engine's deletion plan: verified, with a report like every run.

use super::rules::{BlockedAction, blocking_rule};
use crate::components::elsewhere::{
    AcrossRuns, ElsewhereChoices, ElsewhereRun, look_elsewhere, start_elsewhere,
};
use crate::components::key_options::{KeyChoice, KeyOptions, account_owner};
use crate::components::modal::Modal;
use crate::components::run_progress::RunProgress;
use crate::pages::directory::Directory;
use crate::pages::wizard::replacement::{PersonPicker, Problem, ProblemNotice, check_person};
use crate::routes;
use crate::runs::RunHandle;
use crate::session::{Connection, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use offboard_engine::dialect::td::KeyDisposal;
use offboard_engine::model::{ApiKey, User};
use offboard_engine::platform::Capability;
use offboard_engine::policy::AccountRole;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};
use offboard_engine::words;

/// What the person leaving owns, as the user page read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Holdings {
    pub keys: Vec<ApiKey>,
    pub groups: Vec<String>,
    pub pipelines: usize,
}

#[component]
pub fn DeleteUser(connection: Connection, user: User, holdings: Holdings) -> impl IntoView {
    let opener = NodeRef::<leptos::html::Button>::new();
    let open = RwSignal::new(false);
    let close = Callback::new(move |()| {
        open.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    });
    if let Some(rule) = blocking_rule(&connection, &user, "delete") {
        return view! { <BlockedAction label="Delete user" id="delete-rule" class="danger-outline" rule=rule /> }
            .into_any();
    }
    view! {
        <button type="button" class="danger-outline" node_ref=opener aria-haspopup="dialog"
            on:click=move |_| open.set(true)>"Delete user"</button>
        {move || open.get().then(|| view! {
            <DeleteDialog connection=connection.clone() user=user.clone() holdings=holdings.clone() on_close=close />
        })}
    }
    .into_any()
}

#[component]
fn DeleteDialog(
    connection: Connection,
    user: User,
    holdings: Holdings,
    on_close: Callback<()>,
) -> impl IntoView {
    let dialect = connection.dialect();
    // Whether the platform lets the keys outlive the account under someone else (Treasure Data).
    let reassigns = dialect.api().reassigns_keys();
    let directory = expect_context::<Directory>();
    directory.ensure_loaded(&connection);
    let owner = account_owner(directory);
    // Offboard's default is Delete (Treasure Data's own recommendation); within Reassign, the
    // account owner is preselected, as Treasure Data's console does.
    let choice = RwSignal::new(KeyChoice::Delete);
    let other = RwSignal::new(String::new());
    let other_person = RwSignal::new(None::<User>);
    let problem = RwSignal::new(None::<Problem>);
    let typed = RwSignal::new(String::new());
    let acknowledged = RwSignal::new(false);
    let run = RwSignal::new(None::<RunHandle>);
    let page_owner = Owner::current();
    // With several platforms connected, the person's accounts on the others may go too.
    let others: Vec<Connection> = use_session()
        .everywhere()
        .into_iter()
        .filter(|other| other.name != connection.name)
        .collect();
    let elsewhere = (!others.is_empty()).then(|| {
        look_elsewhere(others, user.email.clone(), |connection, user| {
            blocking_rule(connection, user, "delete")
        })
    });
    let elsewhere_runs = RwSignal::new_local(None::<Vec<ElsewhereRun>>);

    let heir = move || match choice.get() {
        KeyChoice::Delete => None,
        KeyChoice::ToOwner => owner.get(),
        KeyChoice::ToOther => other_person.get(),
    };
    let leaving_role = user.account_role.unwrap_or(AccountRole::Restricted);
    let escalation = move || {
        heir()
            .and_then(|heir| heir.account_role.map(|role| (heir, role)))
            .filter(|(_, role)| leaving_role.escalates_to(*role))
    };
    let email = user.email.clone();
    let key_count = holdings.keys.len();
    let ready = {
        let email = email.clone();
        move || {
            typed.get().trim().eq_ignore_ascii_case(&email)
                && (escalation().is_none() || acknowledged.get())
                && (choice.get() != KeyChoice::ToOther || other_person.get().is_some())
                && run.get().is_none()
        }
    };
    let disposal = move || match choice.get_untracked() {
        KeyChoice::Delete => KeyDisposal::Delete,
        KeyChoice::ToOwner => KeyDisposal::Reassign(owner.get_untracked().map(|o| o.email)),
        KeyChoice::ToOther => KeyDisposal::Reassign(other_person.get_untracked().map(|o| o.email)),
    };
    let button_text = {
        let email = email.clone();
        move || {
            let keys = words::count(key_count, "key");
            match choice.get() {
                KeyChoice::Delete => format!("Delete {email} and {keys}"),
                _ => format!("Delete {email}, reassign {keys}"),
            }
        }
    };

    let start = {
        let (connection, user, holdings) = (connection.clone(), user.clone(), holdings.clone());
        let ready = ready.clone();
        move || {
            if !untrack(ready.clone()) {
                return; // Enter before the email is typed does nothing.
            }
            let inventory = Inventory {
                user: user.clone(),
                keys: holdings.keys.iter().map(|k| k.id.clone()).collect(),
                groups: holdings.groups.clone(),
                pipelines: Vec::new(),
            };
            let plan = plan::deletion(dialect, &inventory, disposal());
            let journal = Journal::new(
                plan,
                crate::session::operator(&connection),
                connection.base_url.clone(),
                js_sys::Date::now(),
            );
            let handle = match &page_owner {
                Some(owner) => owner.with(|| RunHandle::new(journal)),
                None => RunHandle::new(journal),
            };
            run.set(Some(handle));
            // Cancel, which had the focus, is gone: keep the keyboard in the dialog.
            request_animation_frame(|| {
                if let Some(title) = document()
                    .get_element_by_id("delete-title")
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
                {
                    let _ = title.focus();
                }
            });
            let connection_after = connection.clone();
            handle.run(&connection, None, move || {
                // The directory must not keep listing a deleted person.
                directory.reload(&connection_after);
            });
            if let Some(Ok(found)) = elsewhere.and_then(|loaded| loaded.get_untracked()) {
                // Elsewhere the keys are always deleted: reassigning them is chosen on the
                // platform whose owner and heirs this modal shows.
                let draw = |connection: &Connection, inventory: &Inventory, operator: String| {
                    let plan = plan::deletion(connection.dialect(), inventory, KeyDisposal::Delete);
                    Journal::new(
                        plan,
                        operator,
                        connection.base_url.clone(),
                        js_sys::Date::now(),
                    )
                };
                let drive = |handle: RunHandle, connection: &Connection| {
                    handle.run(connection, None, || {})
                };
                let runs = start_elsewhere(found, page_owner.as_ref(), draw, drive);
                elsewhere_runs.set(Some(runs));
            }
        }
    };
    let start_on_enter = {
        let start = start.clone();
        move |event: leptos::ev::KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                start();
            }
        }
    };

    let check = {
        let connection = connection.clone();
        let departing = user.email.clone();
        Action::new_local(move |typed: &String| {
            let (connection, departing, typed) =
                (connection.clone(), departing.clone(), typed.clone());
            async move { check_person(&connection, &typed, &departing, false).await }
        })
    };
    crate::reactive::effect(move || match check.value().get() {
        None => {}
        Some(Err(found)) => {
            problem.set(Some(found));
            other_person.set(None);
        }
        Some(Ok(person)) => {
            problem.set(None);
            other.set(person.email.clone());
            other_person.set(Some(person));
        }
    });
    let pick = move |picked: KeyChoice| {
        choice.set(picked);
        acknowledged.set(false);
        problem.set(None);
    };

    let other_user = move || {
        view! {
            <div class="indent">
                <PersonPicker label="New owner of the keys" id="delete-keys-to-person" value=other exclude=String::new() />
                {move || problem.get().map(|found| view! { <ProblemNotice problem=found /> })}
                {move || other_person.get().map(|p| view! { <p class="hint" role="status">{format!("Keys go to {} ({}, {}).", p.name, p.email, p.account_role.map_or("role unknown", |r| r.as_str()))}</p> })}
                <button type="button" disabled=move || check.pending().get()
                    on:click=move |_| { check.dispatch(other.get_untracked()); }>
                    {move || if check.pending().get() { "Checking…" } else { "Use this person" }}
                </button>
            </div>
        }
    };

    let close_unless_running = move |()| {
        let running = run
            .get_untracked()
            .is_some_and(|handle| untrack(|| handle.busy()));
        if !running {
            on_close.run(());
        }
    };
    let wizard_link = routes::wizard(user.reference(dialect));
    let role = user.account_role.map_or("role unknown", |r| r.as_str());
    let summary = match dialect.offers(Capability::Groups) {
        false => words::count(key_count, "API key"),
        true => format!(
            "{} · {} · {}",
            words::count(key_count, "API key"),
            words::count(holdings.groups.len(), "group"),
            words::count(holdings.pipelines, "owned pipeline")
        ),
    };
    let keys_listed = holdings.keys.clone();
    let name = user.name.clone();
    let connection_name = connection.name.clone();

    let form = move || {
        if let Some(handle) = run.get() {
            let navigate = use_navigate();
            let back = Callback::new(move |()| navigate(routes::DIRECTORY, Default::default()));
            let across = elsewhere_runs.get().map(|runs| {
                view! { <AcrossRuns here=(connection_name.clone(), handle) elsewhere=runs
                working="Deleting…" file="deletion-everywhere" /> }
            });
            let here = across
                .is_some()
                .then(|| view! { <h3>{connection_name.clone()}</h3> });
            return view! {
                {across}
                {here}
                <RunProgress run=handle working="Deleting…" finish=("Back to the directory", back) />
            }
            .into_any();
        }
        let (start, start_on_enter, ready, button_text) = (
            start.clone(),
            start_on_enter.clone(),
            ready.clone(),
            button_text.clone(),
        );
        let keys_listed = keys_listed.clone();
        let email = email.clone();
        view! {
            {(!reassigns).then(|| view! {
                <div class="notice notice-warn" role="note">
                    <p><strong>"The runbook says: disable, don't delete."</strong>" Disabling keeps the audit history and data lineage, meets compliance requirements, and lets the person be reactivated if they return. A deleted account cannot be brought back."</p>
                    <p><a href=wizard_link.clone()>"Use the guided offboarding instead (disables, keeps the account)"</a></p>
                </div>
            })}
            <ul class="consequences">
                {reassigns.then(|| view! { <li>"Deleting an API key makes every script or tool using it fail at once; streaming ingest may keep working for up to one minute, until its cache expires."</li> })}
                {reassigns.then(|| view! { <li>"A reassigned API key keeps working with the permissions of its new user, which may be far greater than intended."</li> })}
                {(!reassigns).then(|| view! { <li>"Every API key is revoked and every group membership removed first; then the account is deleted."</li> })}
                <li>"The account's access is documented first and kept with this run's report."</li>
            </ul>
            <fieldset class="key-options" disabled=!reassigns>
                <legend>"What happens to their API keys?"</legend>
                {(!reassigns).then(|| view! { <p class="rule">{format!("{} cannot reassign API keys: they are always revoked before the account is deleted.", dialect.label())}</p> })}
                <KeyOptions name="delete-keys" choice=choice on_pick=Callback::new(pick) owner=owner
                    delete_hint="Offboard's default, and Treasure Data's security recommendation: no key of theirs keeps working, with anyone's permissions."
                    other=ViewFn::from(other_user) />
            </fieldset>
            {let leaving = email.clone(); move || escalation().map(|(heir, role)| {
                let keys = keys_listed.clone();
                view! {
                    <div class="notice notice-error" role="alert">
                        <p><strong>{format!("These keys would gain the {role} role.")}</strong>
                        {format!(" {} is {}, stronger than {} ({leaving_role}):", heir.email, role, leaving)}</p>
                        <ul>{keys.into_iter().map(|key| view! { <li><code>{key.id}</code>{format!(" ({}) would act as {role}", key.key_type.label())}</li> }).collect_view()}</ul>
                        <label class="choice">
                            <input type="checkbox" prop:checked=move || acknowledged.get()
                                on:change=move |event| acknowledged.set(event_target_checked(&event)) />
                            <span>{format!("I understand these keys will work with {}'s {role} permissions.", heir.email)}</span>
                        </label>
                    </div>
                }
            })}
            {elsewhere.map(|elsewhere| view! { <ElsewhereChoices elsewhere=elsewhere verb="Delete" what="; keys deleted" /> })}
            <label for="delete-confirm">{format!("Type {} to confirm", email)}</label>
            <input id="delete-confirm" type="text" autocomplete="off" spellcheck="false"
                prop:value=move || typed.get() on:input=move |event| typed.set(event_target_value(&event))
                on:keydown=start_on_enter />
            <div class="actions">
                <button type="button" data-autofocus on:click=move |_| close_unless_running(())>"Cancel"</button>
                <button type="button" class="danger" disabled=move || !ready() on:click=move |_| start()>{button_text}</button>
            </div>
        }
        .into_any()
    };

    view! {
        <Modal labelled_by="delete-title" on_close=Callback::new(close_unless_running)>
            <h2 id="delete-title" tabindex="-1">{format!("Delete {name}?")}</h2>
            <dl class="details">
                <dt>"Name"</dt><dd><strong>{user.name.clone()}</strong></dd>
                <dt>"Email"</dt><dd>{user.email.clone()}</dd>
                <dt>"Role"</dt><dd>{role}</dd>
                <dt>"Access"</dt><dd>{summary}</dd>
            </dl>
            {form}
        </Modal>
    }
}
