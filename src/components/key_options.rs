//! Treasure Data's choice of what happens to a removed person's API keys, as its console's
//! delete-user modal offers it: delete them (Treasure Data's recommendation, and Offboard's
//! default) or reassign them, to the account owner (preselected, as the console does) or to
//! another user. The wizard's "remove user" step and the delete dialog both ask it.

use crate::pages::directory::Directory;
use leptos::prelude::*;
use offboard_engine::model::User;
use offboard_engine::policy::AccountRole;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChoice {
    Delete,
    ToOwner,
    ToOther,
}

/// The account owner, once the session's directory has them: who "to the account owner" means.
pub fn account_owner(directory: Directory) -> Memo<Option<User>> {
    Memo::new(move |_| {
        directory.index.with(|index| {
            (0..index.len() as u32)
                .map(|i| index.user(i))
                .find(|user| user.account_role == Some(AccountRole::Owner))
                .cloned()
        })
    })
}

/// The radio buttons: delete, or reassign to the owner or to another user. What a screen says
/// around them (the warning, the picker for another user) comes in `reassigning` and `other`.
#[component]
pub fn KeyOptions(
    /// The radio groups' name (two screens' groups must not share one).
    name: &'static str,
    choice: RwSignal<KeyChoice>,
    on_pick: Callback<KeyChoice>,
    owner: Memo<Option<User>>,
    /// What deleting means, under its option.
    delete_hint: &'static str,
    /// Shown above "Reassign to" while reassigning (the permissions warning).
    #[prop(optional, into)]
    reassigning: Option<ViewFn>,
    /// Shown while "To another user" is chosen: who, and the check of them.
    other: ViewFn,
) -> impl IntoView {
    let to = format!("{name}-to");
    let option = move |group: String, value: KeyChoice, label: Signal<String>| {
        view! {
            <label class="choice">
                <input type="radio" name=group prop:checked=move || choice.get() == value
                    on:change=move |_| on_pick.run(value) />
                <span>{label}</span>
            </label>
        }
    };
    let owner_label = Signal::derive(move || match owner.get() {
        Some(owner) => format!("To the account owner, {} ({})", owner.name, owner.email),
        None => "To the account owner".to_string(),
    });
    view! {
        {option(name.to_string(), KeyChoice::Delete, Signal::stored("Delete API Keys (recommended)".to_string()))}
        <p class="hint indent">{delete_hint}</p>
        <label class="choice">
            <input type="radio" name=name prop:checked=move || choice.get() != KeyChoice::Delete
                on:change=move |_| on_pick.run(KeyChoice::ToOwner) />
            <span>"Reassign API Keys"</span>
        </label>
        {move || (choice.get() != KeyChoice::Delete).then(|| view! {
            <div class="indent">
                {reassigning.as_ref().map(|warning| warning.run())}
                <fieldset>
                    <legend>"Reassign to"</legend>
                    {option(to.clone(), KeyChoice::ToOwner, owner_label)}
                    {option(to.clone(), KeyChoice::ToOther, Signal::stored("To another user".to_string()))}
                    {let other = other.clone(); move || (choice.get() == KeyChoice::ToOther).then(|| other.run())}
                </fieldset>
            </div>
        })}
    }
}
