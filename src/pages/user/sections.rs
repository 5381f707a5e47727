//! The access sections of the user page. Each renders its own loading, error and empty state,
//! so one failing call never blanks the others.

use crate::components::awaited::Awaited;
use crate::format::short_time;
use leptos::prelude::*;
use offboard_engine::model::{ApiKey, Group, Permission, Pipeline, Role};

pub use crate::loaded::Loaded;

/// A card with a heading (and a count once loaded) around one section's content.
#[component]
pub fn SectionCard<T: Clone + 'static>(
    title: &'static str,
    resource: Loaded<Vec<T>>,
    /// What to say when the list is empty.
    empty: &'static str,
    render: fn(Vec<T>) -> AnyView,
) -> impl IntoView {
    let heading_id = format!("section-{}", title.to_lowercase().replace(' ', "-"));
    let labelled_by = heading_id.clone();
    let count = move || match resource.get() {
        Some(Ok(items)) => format!(" ({})", items.len()),
        _ => String::new(),
    };
    let body = move |items: Vec<T>| match items.is_empty() {
        true => view! { <p class="muted">{empty}</p> }.into_any(),
        false => render(items),
    };
    view! {
        <section class="card section" aria-labelledby=labelled_by>
            <h2 id=heading_id>{title}<span class="count">{count}</span></h2>
            <Awaited read=resource loading="Loading…" ready=body />
        </section>
    }
}

pub fn keys_table(keys: Vec<ApiKey>) -> AnyView {
    view! {
        <table class="compact">
            <thead><tr><th scope="col">"Access key"</th><th scope="col">"Type"</th><th scope="col">"Created"</th><th scope="col">"Valid till"</th></tr></thead>
            <tbody>
                {keys.into_iter().map(|key| view! {
                    <tr>
                        // Whole, never broken at a hyphen ("AK-" / "abc123", "Write-" / "only").
                        <td class="mono nowrap">{key.id}</td>
                        <td class="nowrap">{key.key_type.label().to_string()}</td>
                        <td>{short_time(key.created_at.as_deref().unwrap_or_default())}</td>
                        <td>{key.valid_till.as_deref().map_or_else(|| "no expiry".to_string(), short_time)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

pub fn groups_list(groups: Vec<Group>) -> AnyView {
    view! {
        <ul class="items">
            {groups.into_iter().map(|group| view! {
                <li>
                    <span class="mono">{group.id.clone()}</span>
                    {(group.name != group.id).then(|| view! { " " <span>{group.name.clone()}</span> })}
                    {group.role.map(|role| view! { <span class="muted">{format!(" grants {role}")}</span> })}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

pub fn roles_list(roles: Vec<Role>) -> AnyView {
    view! {
        <ul class="items">
            {roles.into_iter().map(|role| view! {
                <li>
                    <strong>{role.name}</strong>
                    {role.source.map(|group| view! { <span class="muted">" from group " <span class="mono">{group}</span></span> })}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

pub fn permissions_list(permissions: Vec<Permission>) -> AnyView {
    view! {
        <ul class="items columns">
            {permissions.into_iter().map(|permission| view! {
                <li>
                    <span class="mono">{permission.name}</span>
                    {permission.role.map(|role| view! { <span class="muted">{format!(" via {role}")}</span> })}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

pub fn pipelines_list(pipelines: Vec<Pipeline>) -> AnyView {
    view! {
        <ul class="items">
            {pipelines.into_iter().map(|pipeline| view! {
                <li>
                    <strong>{pipeline.name}</strong>" "<span class="mono muted">{pipeline.uid}</span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
