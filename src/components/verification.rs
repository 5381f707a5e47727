//! A verification: each check as pass or fail, with the answer it read as evidence.

use leptos::prelude::*;
use offboard_engine::run::journal::Verification;
use offboard_engine::time::rfc3339;

#[component]
pub fn VerificationView(verification: Verification) -> impl IntoView {
    let at = rfc3339(verification.at_ms);
    view! {
        <div class="verification">
            <p class="hint">{format!("Checked at {at}")}</p>
            <ul class="checks">
                {verification.checks.into_iter().map(|check| {
                    let (class, mark, word) = if check.passed { ("check pass", "✓", "Pass") } else { ("check fail", "✗", "Fail") };
                    view! {
                        <li class=class>
                            <span class="mark" aria-hidden="true">{mark}</span>
                            <span class="visually-hidden">{word}": "</span>
                            <strong>{check.label}</strong>
                            <code class="evidence">{check.evidence}</code>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
