//! Why the connected person may not offboard this one (the rule the server enforces), in place
//! of the wizard.

use leptos::prelude::*;
use offboard_engine::policy::Refusal;

#[component]
pub fn Refused(refusal: Refusal, name: String, back: String) -> impl IntoView {
    view! {
        <section class="card wizard-refused" aria-labelledby="refused-title">
            <h1 id="refused-title" tabindex="-1">{format!("You cannot offboard {name}")}</h1>
            <div class="notice notice-error" role="alert"><p>{refusal.to_string()}</p></div>
            <p><a href=back>"Back to the person"</a></p>
        </section>
    }
}
