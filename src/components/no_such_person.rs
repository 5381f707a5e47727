//! What a screen says when the person it was asked for does not exist on the platform: one
//! plain sentence in the console's own words (not the server's message spliced into one), and
//! where to look instead.

use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::error::ApiError;

/// Whether a read failed because the person is not on the platform.
pub fn is_missing(error: &ApiError) -> bool {
    matches!(error, ApiError::NotFound { .. })
}

/// "There is no user “x” on this platform", with a link to search the directory for it.
#[component]
pub fn NoSuchPerson(
    /// The id or email that was asked for, as typed.
    who: String,
    connection: Connection,
) -> impl IntoView {
    let search = crate::routes::directory_search(&who);
    view! {
        <p class="no-such-person">
            {format!(
                "There is no user with the id or email “{}” on {} ({}).",
                who.trim(),
                connection.host(),
                connection.dialect().label()
            )}
        </p>
        <p>"Check the spelling, or find the person in the directory: " <a href=search>"Search the directory"</a></p>
    }
}
