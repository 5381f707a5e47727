//! ADOC step 2's form: offboard date, reason and who it is handed off to. Confirming it checks
//! the replacement on the platform, reads the departing account afresh (its other attributes
//! must be kept, and the server replaces the whole attribute map), and redraws the plan so the
//! step shows the exact `PUT` it will send.

use super::replacement::{PersonPicker, Problem, ProblemNotice, check_person};
use crate::api;
use crate::format::today;
use crate::runs::RunHandle;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::dialect::td::KeyDisposal;
use offboard_engine::run::edit;
use offboard_engine::run::plan::{Departure, Inventory};

/// A field the form cannot be confirmed without.
#[derive(Clone, Copy, PartialEq)]
enum Missing {
    Date,
    Reason,
    Replacement,
}

impl Missing {
    fn words(self, replacement_only: bool) -> &'static str {
        match self {
            Missing::Date => "Enter the offboard date.",
            Missing::Reason => "Enter the reason for the departure: it is recorded on the account.",
            Missing::Replacement if replacement_only => "Choose who takes over.",
            Missing::Replacement => "Choose who the work is handed off to.",
        }
    }
}

#[component]
pub fn DepartureForm(
    run: RunHandle,
    connection: Connection,
    /// Set while the form is confirmed and not being edited: the step may run.
    ready: RwSignal<bool>,
    /// The step whose confirm button takes focus once the details are used.
    step: usize,
    /// Ask only who takes over (for step 6 when step 2 was skipped).
    #[prop(optional)]
    replacement_only: bool,
) -> impl IntoView {
    let (current, target, nothing_owned) = run.with(|journal| {
        (
            journal.plan.departure(),
            journal.plan.target.clone(),
            edit::nothing_to_hand_over(journal),
        )
    });
    // Step 2 asks for a replacement only when there is something to hand over.
    let replacement_optional = nothing_owned && !replacement_only;
    let confirmed = move || {
        run.with(|journal| {
            if replacement_only {
                journal.plan.replacement().is_some()
            } else {
                journal.plan.departure_confirmed()
            }
        })
    };
    let editing = RwSignal::new(!confirmed());
    let date = RwSignal::new(if current.date.is_empty() {
        today()
    } else {
        current.date.clone()
    });
    let reason = RwSignal::new(current.reason.clone());
    let handed = RwSignal::new(current.handed_off_to.clone());
    let problem = RwSignal::new(None::<Problem>);
    // What the last attempt lacked. It is shown only while that field is still empty, so the
    // message goes as soon as the field is filled in, not at the next press of the button.
    let missing = RwSignal::new(None::<Missing>);
    let still_missing = Memo::new(move |_| {
        missing.get().filter(|field| match field {
            Missing::Date => date.with(|d| d.trim().is_empty()),
            Missing::Reason => reason.with(|r| r.trim().is_empty()),
            Missing::Replacement => handed.with(|h| h.trim().is_empty()),
        })
    });
    crate::reactive::effect(move || {
        let now = confirmed() && !editing.get();
        if ready.get_untracked() != now {
            ready.set(now);
        }
    });

    let check = {
        let connection = connection.clone();
        let target = target.clone();
        Action::new_local(move |entered: &Departure| {
            let (connection, target, entered) =
                (connection.clone(), target.clone(), entered.clone());
            async move {
                // No one named (allowed only when there is nothing to hand over): no one to check.
                let named = !entered.handed_off_to.trim().is_empty();
                let person = async {
                    match named {
                        true => {
                            check_person(&connection, &entered.handed_off_to, &target.email, true)
                                .await
                                .map(|person| person.email)
                        }
                        false => Ok(String::new()),
                    }
                };
                // The account as it is now: the PUT keeps every attribute it has.
                let leaving =
                    api::with_platform(&connection, async |p| p.find_user(&target.reference).await);
                let (person, leaving) = futures::join!(person, leaving);
                let person = person?;
                let leaving = leaving.map_err(Problem::Api)?;
                Ok::<_, Problem>((entered, person, leaving))
            }
        })
    };
    crate::reactive::effect(move || {
        let Some(outcome) = check.value().get() else {
            return;
        };
        match outcome {
            Err(found) => problem.set(Some(found)),
            Ok((entered, email, leaving)) => {
                problem.set(None);
                handed.set(email.clone());
                run.update(|journal| {
                    let inventory = Inventory {
                        user: leaving,
                        ..edit::documented(journal)
                    };
                    let departure = Departure {
                        handed_off_to: email,
                        ..entered
                    };
                    edit::redraw(journal, &inventory, &departure, KeyDisposal::Delete);
                });
                editing.set(false);
                super::step_card::focus_later(format!("step-{step}-confirm"));
            }
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let departure = Departure {
            date: date.get_untracked().trim().to_string(),
            reason: reason.get_untracked().trim().to_string(),
            handed_off_to: handed.get_untracked().trim().to_string(),
        };
        let lacking = if replacement_only {
            departure
                .handed_off_to
                .is_empty()
                .then_some(Missing::Replacement)
        } else if departure.date.is_empty() {
            Some(Missing::Date)
        } else if departure.reason.is_empty() {
            Some(Missing::Reason)
        } else if departure.handed_off_to.is_empty() && !replacement_optional {
            Some(Missing::Replacement)
        } else {
            None
        };
        missing.set(lacking);
        if lacking.is_some() {
            problem.set(None);
            return;
        }
        // Keep what step 2 recorded (or its defaults) when only the replacement is asked for.
        let departure = if replacement_only {
            Departure {
                handed_off_to: departure.handed_off_to,
                ..run.with(|j| j.plan.departure())
            }
        } else {
            departure
        };
        problem.set(None);
        check.dispatch(departure);
    };

    let exclude = target.email.clone();
    let summary = move || {
        let departure = run.with(|journal| journal.plan.departure());
        view! {
            <dl class="details departure-summary">
                {(!replacement_only).then(|| view! {
                    <dt>"Offboard date"</dt><dd>{departure.date.clone()}</dd>
                    <dt>"Reason"</dt><dd>{departure.reason.clone()}</dd>
                })}
                <dt>"Handed off to"</dt>
                <dd>{if departure.handed_off_to.is_empty() {
                    "no one: there is nothing to hand over".to_string()
                } else {
                    departure.handed_off_to.clone()
                }}</dd>
            </dl>
        }
    };
    let locked = move || run.with(|journal| journal.steps[step].status.is_finished()) || run.busy();

    move || {
        if !editing.get() {
            return view! {
                <div class="departure">
                    {summary}
                    {move || (!locked()).then(|| view! {
                        <button type="button" class="quiet" on:click=move |_| {
                            editing.set(true);
                            // The button goes away with the summary: take the keyboard to the form.
                            let first = if replacement_only { "pipelines-to" } else { "offboard-date" };
                            super::step_card::focus_later(first.to_string());
                        }>"Change details"</button>
                    })}
                </div>
            }
            .into_any();
        }
        let exclude = exclude.clone();
        view! {
            <form class="departure-form" on:submit=submit novalidate>
                {(!replacement_only).then(|| view! {
                    <div class="form-row">
                        <div>
                            <label for="offboard-date">"Offboard date"</label>
                            <input id="offboard-date" type="date" required
                                prop:value=move || date.get()
                                on:input=move |event| date.set(event_target_value(&event)) />
                        </div>
                        <div class="grow">
                            <label for="offboard-reason">"Reason"</label>
                            <input id="offboard-reason" type="text" list="offboard-reasons" required autocomplete="off"
                                placeholder="e.g. Voluntary - New Job"
                                aria-invalid=move || (still_missing.get() == Some(Missing::Reason)).to_string()
                                prop:value=move || reason.get()
                                on:input=move |event| reason.set(event_target_value(&event)) />
                            <datalist id="offboard-reasons">
                                <option value="Voluntary - New Job" />
                                <option value="Voluntary - Other" />
                                <option value="Involuntary" />
                                <option value="End of contract" />
                                <option value="Retirement" />
                            </datalist>
                        </div>
                    </div>
                })}
                {if replacement_only {
                    view! { <PersonPicker label="Hand the pipelines to" id="pipelines-to" value=handed exclude=exclude enabled_only=true /> }.into_any()
                } else if replacement_optional {
                    view! {
                        <PersonPicker label="Handed off to" id="handed-off-to" value=handed exclude=exclude enabled_only=true />
                        <p class="hint">{format!("Optional: {} owns no pipelines, so nothing has to be handed over. Name someone only to record who took over the work.", target.name)}</p>
                    }
                    .into_any()
                } else {
                    view! { <PersonPicker label="Handed off to" id="handed-off-to" value=handed exclude=exclude enabled_only=true /> }.into_any()
                }}
                {move || still_missing.get().map(|field| view! { <ProblemNotice problem=Problem::Words(field.words(replacement_only).to_string()) /> })}
                {move || problem.get().map(|found| view! { <ProblemNotice problem=found /> })}
                <button type="submit" disabled=move || check.pending().get()>
                    {move || if check.pending().get() { "Checking…" } else if replacement_only { "Use this person" } else { "Use these details" }}
                </button>
            </form>
        }
        .into_any()
    }
}
