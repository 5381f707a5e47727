//! The user's own fields and attributes, as the platform returned them.

use crate::format::short_time;
use leptos::prelude::*;
use offboard_engine::model::User;

/// The user's own fields and attributes.
#[component]
pub fn Details(user: User) -> impl IntoView {
    let row = |term: &'static str, value: String| view! { <dt>{term}</dt><dd>{value}</dd> };
    let attributes = user.attributes.clone();
    view! {
        <section class="card section" aria-labelledby="section-details">
            <h2 id="section-details">"Details"</h2>
            <dl class="details">
                {row("User id", user.id.clone())}
                {row("Email", user.email.clone())}
                {row("Account role", user.account_role.map_or("unknown".into(), |r| r.to_string()))}
                {user.known_status().map(|status| row("Status", status.label().to_string()))}
                {user.identity_provider.clone().map(|idp| row("Identity provider", format!("{idp} (SCIM)")))}
                {row("Created", short_time(user.created_on.as_deref().unwrap_or_default()))}
                {row("Last access", short_time(user.last_access_on.as_deref().unwrap_or_default()))}
            </dl>
            {(!attributes.is_empty()).then(|| view! {
                <h3>"Attributes"</h3>
                <dl class="details">
                    {attributes.into_iter().map(|(name, values)| row_owned(name, values.join(", "))).collect_view()}
                </dl>
            })}
        </section>
    }
}

fn row_owned(term: String, value: String) -> impl IntoView {
    view! { <dt>{term}</dt><dd>{value}</dd> }
}
