//! Asks who must be locked out: without a `user` in the link, or after a search found no one.

use crate::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Without a `user` in the link, or when no one has that id or email: ask who.
#[component]
pub fn FindPerson(
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
            navigate(&routes::emergency(&who), Default::default());
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
