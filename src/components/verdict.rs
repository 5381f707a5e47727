//! The engine's verdict on screen: the headline, the summary, and every fact that does not hold
//! with the evidence read and what must happen next (where, and who must act). The wizard's
//! report and the emergency lockout both show it, so the two can never disagree.

use leptos::prelude::*;
use offboard_engine::run::verdict::{FactState, Verdict};

/// The facts left open, as a list a person can act on (nothing when every fact holds).
#[component]
pub fn OpenFacts(verdict: Verdict) -> impl IntoView {
    let open: Vec<_> = verdict.open_facts().cloned().collect();
    (!open.is_empty()).then(|| {
        view! {
            <ul class="open-facts" aria-label="What is left">
                {open.into_iter().map(|fact| {
                    let state = match fact.state {
                        FactState::NotChecked => "Not checked",
                        _ => "Left",
                    };
                    view! {
                        <li>
                            <strong>{format!("{state}: {}", fact.label)}</strong>
                            {fact.evidence.map(|evidence| view! { <code class="evidence">{evidence}</code> })}
                            {fact.to_do.map(|to_do| view! { <span class="to-do">{to_do}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}
