//! One read from the platform on screen, in its three states: a status line while it loads, the
//! error in plain words when it failed, the content once it arrived. Each section of a screen
//! has its own, so one failing call never blanks the others (a page-wide boundary would).

use crate::components::error_notice::ApiErrorNotice;
use crate::loaded::Loaded;
use leptos::prelude::*;
use offboard_engine::error::ApiError;

#[component]
pub fn Awaited<T, V>(
    read: Loaded<T>,
    /// What is being waited for ("Loading the person…"), announced to screen readers.
    #[prop(into)]
    loading: String,
    /// Shown instead of the plain error notice, where a screen says more (a person who does
    /// not exist, a heading above the notice).
    #[prop(optional)]
    failed: Option<Callback<ApiError, AnyView>>,
    /// The content, given the value read.
    ready: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match read.get() {
        None => view! { <p class="muted loading" role="status">{loading.clone()}</p> }.into_any(),
        Some(Err(error)) => match failed {
            Some(failed) => failed.run(error),
            None => view! { <ApiErrorNotice error=error /> }.into_any(),
        },
        Some(Ok(value)) => ready(value).into_any(),
    }
}
