//! Treasure Data step 2's choice: what happens to the removed user's API keys. The options are
//! the TD console's delete-user modal's: "Delete API Keys" (Treasure Data's recommendation, and
//! the default here) or "Reassign API Keys" to the account owner or to another user, with the
//! runbook's warning that reassigned keys gain the new owner's permissions.

use super::replacement::{PersonPicker, Problem, ProblemNotice, check_person};
use crate::components::key_options::{KeyChoice, KeyOptions, account_owner};
use crate::pages::directory::Directory;
use crate::runs::RunHandle;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::dialect::td::KeyDisposal;
use offboard_engine::model::User;
use offboard_engine::run::edit;

#[component]
pub fn TdKeys(
    run: RunHandle,
    connection: Connection,
    /// Set when the plan carries the choice shown: the step may run.
    ready: RwSignal<bool>,
    step: usize,
) -> impl IntoView {
    let owner = account_owner(expect_context::<Directory>());
    let (initial, target) =
        run.with(|journal| (journal.plan.key_disposal(), journal.plan.target.clone()));
    let other = RwSignal::new(String::new());
    let choice = RwSignal::new(match &initial {
        KeyDisposal::Delete => KeyChoice::Delete,
        KeyDisposal::Reassign(None) => KeyChoice::ToOwner,
        KeyDisposal::Reassign(Some(to)) => {
            let is_owner = owner
                .with_untracked(|o| o.as_ref().is_some_and(|o| o.email.eq_ignore_ascii_case(to)));
            if is_owner {
                KeyChoice::ToOwner
            } else {
                other.set(to.clone());
                KeyChoice::ToOther
            }
        }
    });
    let problem = RwSignal::new(None::<Problem>);
    let owner_disposal = move || KeyDisposal::Reassign(owner.get().map(|o: User| o.email));
    // The step may run when the plan carries exactly the choice shown (another user counts once
    // checked, the other two choices apply at once).
    crate::reactive::effect(move || {
        let planned = run.with(|journal| journal.plan.key_disposal());
        let now = match choice.get() {
            KeyChoice::Delete => planned == KeyDisposal::Delete,
            KeyChoice::ToOwner => planned == owner_disposal(),
            KeyChoice::ToOther => {
                matches!(&planned, KeyDisposal::Reassign(Some(to)) if to.eq_ignore_ascii_case(other.get().trim()))
            }
        };
        if ready.get_untracked() != now {
            ready.set(now);
        }
    });

    let apply = move |keys: KeyDisposal| {
        run.update(|journal| {
            let inventory = edit::documented(journal);
            let departure = journal.plan.departure();
            edit::redraw(journal, &inventory, &departure, keys);
        });
    };
    let pick = move |picked: KeyChoice| {
        choice.set(picked);
        problem.set(None);
        match picked {
            KeyChoice::Delete => apply(KeyDisposal::Delete),
            KeyChoice::ToOwner => apply(owner_disposal()),
            KeyChoice::ToOther => {}
        }
    };
    // The owner may arrive with the directory after the choice was made: name them in the call.
    crate::reactive::effect(move || {
        if owner.get().is_some()
            && choice.get_untracked() == KeyChoice::ToOwner
            && !locked_now_untracked(run, step)
        {
            apply(owner_disposal());
        }
    });

    let check = {
        let connection = connection.clone();
        let departing = target.email.clone();
        Action::new_local(move |typed: &String| {
            let (connection, departing, typed) =
                (connection.clone(), departing.clone(), typed.clone());
            async move { check_person(&connection, &typed, &departing, false).await }
        })
    };
    crate::reactive::effect(move || match check.value().get() {
        None => {}
        Some(Err(found)) => problem.set(Some(found)),
        Some(Ok(person)) => {
            problem.set(None);
            other.set(person.email.clone());
            apply(KeyDisposal::Reassign(Some(person.email)));
            super::step_card::focus_later(format!("step-{step}-confirm"));
        }
    });

    let locked = move || locked_now(run, step);
    let (exclude, name) = (target.email.clone(), target.name.clone());
    let warning = move || {
        view! {
            <div class="notice notice-warn" role="note">
                <p><strong>"Reassigned keys gain the new owner's permissions."</strong>
                {format!(" The keys of {name} keep working, with the permissions of whoever receives them: if they go to an administrator, they become administrator keys, which might be far greater permissions than intended. Test all the security implications first.")}</p>
            </div>
        }
    };
    let other_user = move || {
        let exclude = exclude.clone();
        (!locked()).then(|| view! {
            <form class="indent" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                check.dispatch(other.get_untracked());
            }>
                <PersonPicker label="New owner of the keys" id="keys-to" value=other exclude=exclude />
                {move || problem.get().map(|found| view! { <ProblemNotice problem=found /> })}
                <button type="submit" disabled=move || check.pending().get()>
                    {move || if check.pending().get() { "Checking…" } else { "Use this person" }}
                </button>
            </form>
        })
    };

    view! {
        <fieldset class="td-keys" disabled=locked>
            <legend>"What happens to their API keys?"</legend>
            <KeyOptions name="td-keys" choice=choice on_pick=Callback::new(pick) owner=owner
                delete_hint="Any script or tool using the keys fails at once; streaming ingest may keep working for up to one minute, until its cache expires. Treasure Data recommends this for security."
                reassigning=ViewFn::from(warning) other=ViewFn::from(other_user) />
        </fieldset>
    }
}

/// Whether the step has run (or is running): its choice can no longer change.
fn locked_now(run: RunHandle, step: usize) -> bool {
    run.busy() || run.with(|journal| journal.steps[step].status.is_finished())
}

/// [`locked_now`] without subscribing the caller to the journal.
fn locked_now_untracked(run: RunHandle, step: usize) -> bool {
    untrack(|| locked_now(run, step))
}
