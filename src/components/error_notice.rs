//! An error in plain words, with the technical detail one click away.

use leptos::prelude::*;
use offboard_engine::error::ApiError;

#[component]
pub fn ErrorNotice(
    /// What went wrong and what to do, for someone who is not an API expert.
    #[prop(into)]
    summary: String,
    /// The call, status and server message, for whoever debugs it.
    #[prop(default = None)]
    detail: Option<String>,
) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            <p>{summary}</p>
            {detail.map(|detail| view! {
                <details>
                    <summary>"Technical detail"</summary>
                    <pre>{detail}</pre>
                </details>
            })}
        </div>
    }
}

/// The notice for an [`ApiError`].
#[component]
pub fn ApiErrorNotice(error: ApiError) -> impl IntoView {
    view! { <ErrorNotice summary=error.plain_words() detail=Some(error.to_string()) /> }
}
