//! "Reactivate" on the user page (ADOC, a disabled account): the runbook's "can reactivate if
//! they return". A dialog says what will happen, lists the groups an earlier offboarding run in
//! this browser recorded (ticked, for review), says that API keys are never restored, and then
//! runs the engine's reactivation plan: verified, with a report.

use super::rules::{BlockedAction, blocking_rule};
use crate::components::modal::Modal;
use crate::components::run_progress::RunProgress;
use crate::format::today;
use crate::runs::{RunHandle, storage};
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::model::User;
use offboard_engine::platform::Capability;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::plan::{self, Inventory};
use offboard_engine::words;

#[component]
pub fn Reactivate(
    connection: Connection,
    user: User,
    /// Re-reads the page once the person is back.
    on_done: Callback<()>,
) -> impl IntoView {
    let offered = connection.dialect().offers(Capability::Disable) && user.enabled == Some(false);
    if !offered {
        return ().into_any();
    }
    let opener = NodeRef::<leptos::html::Button>::new();
    let open = RwSignal::new(false);
    let close = Callback::new(move |()| {
        open.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    });
    if let Some(rule) = blocking_rule(&connection, &user, "reactivate") {
        return view! { <BlockedAction label="Reactivate" id="reactivate-rule" class="" rule=rule /> }
            .into_any();
    }
    view! {
        <button type="button" node_ref=opener aria-haspopup="dialog" on:click=move |_| open.set(true)>"Reactivate"</button>
        {move || open.get().then(|| view! {
            <ReactivateDialog connection=connection.clone() user=user.clone() on_close=close on_done=on_done />
        })}
    }
    .into_any()
}

#[component]
fn ReactivateDialog(
    connection: Connection,
    user: User,
    on_close: Callback<()>,
    on_done: Callback<()>,
) -> impl IntoView {
    let recorded = storage::recorded_groups(
        &connection.base_url,
        connection.dialect().as_str(),
        &user.id,
    );
    let groups: Vec<(String, String)> = recorded
        .as_ref()
        .map(|(_, groups)| groups.clone())
        .unwrap_or_default();
    // Every recorded group starts ticked; the admin reviews and may untick.
    let chosen = RwSignal::new(groups.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
    let run = RwSignal::new(None::<RunHandle>);
    let page_owner = Owner::current();
    let email = user.email.clone();

    let start = {
        let (connection, user) = (connection.clone(), user.clone());
        move || {
            let inventory = Inventory {
                user: user.clone(),
                ..Inventory::default()
            };
            let by = connection.identity.user.as_ref().map_or_else(
                || crate::session::operator(&connection),
                |me| me.email.clone(),
            );
            let chosen = chosen.get_untracked();
            let dialect = connection.dialect();
            // Only offered where the dialect reactivates (see `offered` above).
            let Some(plan) = plan::reactivation(dialect, &inventory, &today(), &by, &chosen) else {
                return;
            };
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
            handle.run(&connection, None, || {});
        }
    };
    let button_text = move || {
        let count = chosen.with(Vec::len);
        match count {
            0 => format!("Reactivate {email}"),
            n => format!(
                "Reactivate {email} and restore {}",
                words::count(n, "group")
            ),
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
    let source = recorded.map(|(entry, _)| {
        let what = if entry.kind == "emergency" {
            "emergency lockout"
        } else {
            "guided offboarding"
        };
        let when = crate::format::utc(entry.updated_at_ms);
        format!("Recorded by the {what} of {when} in this browser.")
    });
    let name = user.name.clone();

    let body = move || {
        if let Some(handle) = run.get() {
            let finish = Callback::new(move |()| {
                on_close.run(());
                on_done.run(());
            });
            return view! { <RunProgress run=handle working="Reactivating…" finish=("Close", finish) /> }.into_any();
        }
        let start = start.clone();
        let groups = groups.clone();
        view! {
            <p>"Re-enables the account and records "<code>"status: REACTIVATED"</code>", today's date and you. The offboarding attributes (date, reason, hand-over) stay as history."</p>
            {if groups.is_empty() {
                view! { <p class="muted">"No offboarding run in this browser recorded their groups: add the groups they need after reactivating."</p> }.into_any()
            } else {
                view! {
                    <fieldset>
                        <legend>"Restore these groups?"</legend>
                        {source.clone().map(|text| view! { <p class="hint">{text}</p> })}
                        {groups.into_iter().map(|(id, label)| {
                            let for_check = id.clone();
                            let for_change = id.clone();
                            view! {
                                <label class="choice">
                                    <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&for_check))
                                        on:change=move |event| {
                                            let on = event_target_checked(&event);
                                            chosen.update(|c| {
                                                c.retain(|g| *g != for_change);
                                                if on { c.push(for_change.clone()); }
                                            });
                                        } />
                                    // The lockout records ids only: no name to repeat then.
                                    <span>{(label != id).then(|| format!("{label} "))}<code>{id.clone()}</code></span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }.into_any()
            }}
            <div class="notice notice-warn" role="note">
                <p><strong>"API keys are not restored."</strong>" They were secrets and were revoked; issue new keys to the person once they are back."</p>
            </div>
            <div class="actions">
                <button type="button" data-autofocus on:click=move |_| close_unless_running(())>"Cancel"</button>
                <button type="button" class="primary" on:click=move |_| start()>{button_text.clone()}</button>
            </div>
        }
        .into_any()
    };
    view! {
        <Modal labelled_by="reactivate-title" on_close=Callback::new(close_unless_running)>
            <h2 id="reactivate-title" tabindex="-1">{format!("Reactivate {name}?")}</h2>
            {body}
        </Modal>
    }
}
