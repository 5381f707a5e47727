//! What a SCIM-managed person's offboarding leaves to their identity provider.

use leptos::prelude::*;

/// A SCIM-managed ADOC user: what must happen in the identity provider, and what is done here.
#[component]
pub fn ScimNotice(idp: String) -> impl IntoView {
    view! {
        <div class="notice notice-warn" role="note">
            <p><strong>{format!("This person is managed by {idp} through SCIM.")}</strong>
            {format!(" Disable their account and remove their groups in {idp}: this platform refuses those changes for SCIM-managed users, so those two steps are marked as not possible here. Offboard still documents their access, revokes their API keys (keys are not managed by {idp}), verifies that no key is left, and hands their pipelines over.")}</p>
        </div>
    }
}
