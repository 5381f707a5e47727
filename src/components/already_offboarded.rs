//! Said first when a person is already offboarded (an ADOC account disabled with no API key):
//! what the account records about it, the earlier report where this browser has one, and a
//! fresh verification instead of a second offboarding.

use crate::runs::storage::RunEntry;
use leptos::prelude::*;
use offboard_engine::model::User;

#[component]
pub fn AlreadyOffboarded(
    user: User,
    /// The newest finished run for this person in this browser, if any.
    earlier: Option<RunEntry>,
    on_verify: Callback<()>,
    /// The way on regardless (e.g. "Offboard anyway" to hand over pipelines), with its label.
    anyway: (&'static str, Callback<()>),
    /// Whether the page's heading is this card's (the wizard) or the page's own (emergency).
    #[prop(default = false)]
    heading: bool,
) -> impl IntoView {
    let attribute = |name: &str| {
        user.attributes
            .get(name)
            .map(|values| values.join(", "))
            .filter(|value| !value.is_empty())
    };
    let recorded = match (attribute("offboardDate"), attribute("reason")) {
        (Some(date), Some(reason)) => Some(format!(
            "The account records the offboarding on {date}, reason “{reason}”."
        )),
        (Some(date), None) => Some(format!("The account records the offboarding on {date}.")),
        _ => None,
    };
    let title = format!("{} is already offboarded", user.name);
    let earlier = match earlier {
        Some(entry) => {
            let when = crate::format::utc(entry.updated_at_ms);
            let what = match entry.kind.as_str() {
                "emergency" => "emergency lockout",
                "verification" => "verification",
                _ => "guided offboarding",
            };
            view! {
                <p>
                    <a href=crate::routes::run(&entry.id)>{format!("Open the earlier report ({what}, {when})")}</a>
                </p>
            }
            .into_any()
        }
        None => view! { <p class="muted">"This browser has no earlier report for them (it may have been run elsewhere)."</p> }.into_any(),
    };
    let (anyway_label, on_anyway) = anyway;
    view! {
        <section class="card already-offboarded" aria-labelledby="already-title">
            {if heading {
                view! { <h1 id="already-title" tabindex="-1">{title}</h1> }.into_any()
            } else {
                view! { <h2 id="already-title" tabindex="-1">{title}</h2> }.into_any()
            }}
            <p>{format!("{} ({}) is disabled and has no API key left.", user.name, user.email)}
                {recorded.map(|text| format!(" {text}"))}</p>
            {earlier}
            <p>"Verify again to read every fact back (enabled, keys, groups, permissions) and get a fresh report. Nothing is changed."</p>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| on_verify.run(())>"Verify again"</button>
                <button type="button" class="quiet" on:click=move |_| on_anyway.run(())>{anyway_label}</button>
            </div>
        </section>
    }
}
