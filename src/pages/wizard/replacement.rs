//! Choosing a person from the directory: the replacement who is "handed off to" (ADOC), or the
//! user who gets reassigned API keys (TD). Search by name or email in the directory already
//! loaded for this session; the choice is checked against the platform before it is used.

use crate::api;
use crate::pages::directory::Directory;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::error::ApiError;
use offboard_engine::model::User;

/// Suggestions shown under the field.
const SUGGESTIONS: usize = 6;

/// A text field with matching people listed under it as buttons (keyboard: Tab to one, Enter).
#[component]
pub fn PersonPicker(
    /// The field's label, e.g. "Handed off to".
    label: &'static str,
    id: &'static str,
    /// The email typed or chosen.
    value: RwSignal<String>,
    /// The departing person's email: never suggested.
    exclude: String,
    /// Suggest only enabled people (ADOC: a disabled person cannot own pipelines).
    #[prop(optional)]
    enabled_only: bool,
) -> impl IntoView {
    let directory = expect_context::<Directory>();
    let matches = Memo::new(move |_| {
        let typed = value.get();
        let needle = typed.trim().to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        directory.index.with(|index| {
            let everyone: Vec<u32> = (0..index.len() as u32).collect();
            let mut found: Vec<User> = index
                .filter(&everyone, &needle)
                .into_iter()
                .map(|i| index.user(i))
                .filter(|user| !user.email.eq_ignore_ascii_case(&exclude))
                .filter(|user| !enabled_only || user.enabled != Some(false))
                .take(SUGGESTIONS + 1)
                .cloned()
                .collect();
            // Once the exact person is chosen, the list has done its job.
            if found.len() == 1 && found[0].email.eq_ignore_ascii_case(typed.trim()) {
                found.clear();
            }
            found
        })
    });
    let hint_id = format!("{id}-hint");
    view! {
        <label for=id>{label}</label>
        <input id=id type="text" autocomplete="off" spellcheck="false" aria-describedby=hint_id.clone()
            placeholder="Search by name or email"
            prop:value=move || value.get()
            on:input=move |event| value.set(event_target_value(&event)) />
        <span id=hint_id class="hint">"Type part of a name or email, then choose the person below (or type their exact email)."</span>
        {move || {
            let found = matches.get();
            // Tracked: "No one matches “fir”" must follow the typing even while the (empty)
            // list of matches stays the same.
            let typed = value.get();
            let typed = typed.trim();
            let loaded = directory.index.with_untracked(|index| index.len());
            if found.is_empty() && !typed.is_empty() && !typed.contains('@') {
                let words = if loaded == 0 {
                    "The directory is still loading…".to_string()
                } else {
                    format!("No one among the {loaded} people loaded matches “{typed}”.")
                };
                return Some(view! { <p class="hint" role="status">{words}</p> }.into_any());
            }
            (!found.is_empty()).then(|| {
                let more = found.len() > SUGGESTIONS;
                view! {
                    <ul class="suggestions" aria-label=format!("People matching “{}”", value.get_untracked().trim())>
                        {found.into_iter().take(SUGGESTIONS).map(|user| {
                            let email = user.email.clone();
                            // The name comes from the visible text, completed by hidden words:
                            // "Choose Riley Replacement (replacement@company.com, restricted)".
                            view! {
                                <li>
                                    <button type="button" class="suggestion"
                                        on:click=move |_| {
                                            value.set(email.clone());
                                            // The list goes away with the choice: keep the keyboard in the field.
                                            super::step_card::focus_later(id.to_string());
                                        }>
                                        <span class="visually-hidden">"Choose "</span>
                                        <strong>{user.name.clone()}</strong>
                                        <span class="visually-hidden">" ("</span>
                                        <span class="muted">{user.email.clone()}</span>
                                        {user.account_role.map(|role| view! {
                                            <span class="visually-hidden">", "</span>
                                            <span class="badge badge-role">{role.as_str()}</span>
                                        })}
                                        <span class="visually-hidden">")"</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                        {more.then(|| view! { <li class="hint">"More people match: type more of the name or email."</li> })}
                    </ul>
                }
                .into_any()
            })
        }}
    }
}

/// Checks the chosen person against the platform (a fresh read): they exist, are not the
/// person leaving, and (ADOC) are enabled. Returns them, or what is wrong in plain words.
pub async fn check_person(
    connection: &Connection,
    typed: &str,
    departing_email: &str,
    needs_enabled: bool,
) -> Result<User, Problem> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(Problem::Words("Choose a person.".into()));
    }
    let found = api::with_platform(connection, async |platform| platform.find_user(typed).await)
        .await
        .map_err(|error| match error {
            ApiError::NotFound { .. } => Problem::Words(format!(
                "There is no user “{typed}” on this platform. Choose someone from the list."
            )),
            other => Problem::Api(other),
        })?;
    if found.email.eq_ignore_ascii_case(departing_email) {
        return Err(Problem::Words(format!(
            "{} is the person leaving: choose someone else.",
            found.email
        )));
    }
    if needs_enabled && found.enabled == Some(false) {
        return Err(Problem::Words(format!(
            "{} is disabled and cannot take anything over: choose an enabled person.",
            found.email
        )));
    }
    Ok(found)
}

/// Why a choice or a form cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A mistake in what was entered, said plainly.
    Words(String),
    /// The platform could not answer.
    Api(ApiError),
}

/// Shows a [`Problem`] as an alert.
#[component]
pub fn ProblemNotice(problem: Problem) -> impl IntoView {
    use crate::components::error_notice::{ApiErrorNotice, ErrorNotice};
    match problem {
        Problem::Words(words) => view! { <ErrorNotice summary=words /> }.into_any(),
        Problem::Api(error) => view! { <ApiErrorNotice error=error /> }.into_any(),
    }
}
