//! Step 1's result: the snapshot the engine took and the journal keeps, summarised on screen
//! (who, and what they could reach) and offered as the JSON document to file.

use crate::download;
use leptos::prelude::*;
use offboard_engine::model::KeyType;
use offboard_engine::snapshot::{Section, Snapshot};

/// Long lists (a 200-key account) show this many items on screen; the download has them all.
const SHOWN: usize = 12;

/// One section's line: its label with the count, then the items shown, or why it could not be
/// read; `None` for a part of access the platform does not have.
type Row = (String, Result<Vec<String>, String>);

fn row<T>(label: &str, section: &Section<T>, item: impl Fn(&T) -> (String, String)) -> Option<Row> {
    let items = match section {
        Section::NotOffered => return None,
        Section::Failed(error) => {
            return Some((
                label.to_string(),
                Err(format!("could not be read: {error}")),
            ));
        }
        Section::Read(items) => items,
    };
    let mut shown: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|entry| match item(entry) {
            (id, more) if more.is_empty() => id,
            (id, more) => format!("{id} ({more})"),
        })
        .collect();
    if items.len() > SHOWN {
        shown.push(format!("and {} more", items.len() - SHOWN));
    }
    if shown.is_empty() {
        shown.push("none".to_string());
    }
    Some((format!("{label} ({})", items.len()), Ok(shown)))
}

/// A key's type as the snapshot document writes it ("master", "write-only").
fn key_type_word(key_type: &KeyType) -> String {
    match key_type {
        KeyType::Master => "master".into(),
        KeyType::WriteOnly => "write-only".into(),
        KeyType::Other(word) => word.clone(),
    }
}

#[component]
pub fn SnapshotView(snapshot: Snapshot) -> impl IntoView {
    let user = &snapshot.user;
    let taken = format!(
        "Taken {} by {}.",
        snapshot.provenance.taken_at, snapshot.provenance.taken_by
    );
    let person = format!("{} <{}>", user.name, user.email);
    let enabled = match user.enabled {
        Some(true) => "enabled",
        Some(false) => "disabled",
        None => "exists",
    };
    let attributes: Vec<String> = user
        .attributes
        .iter()
        .map(|(name, values)| format!("{name}: {}", values.join(", ")))
        .collect();
    let optional = |text: &Option<String>| text.clone().unwrap_or_default();
    // Each item is kept whole on screen: ids such as `AK-abc123` and types such as `write-only`
    // must not break at their hyphen (see `.item` in the stylesheet).
    let rows: Vec<Row> = [
        row("API keys", &snapshot.api_keys, |k| {
            (k.id.clone(), key_type_word(&k.key_type))
        }),
        row("Groups", &snapshot.groups, |g| {
            (g.id.clone(), g.name.clone())
        }),
        row("Roles", &snapshot.roles, |r| {
            (r.name.clone(), optional(&r.source))
        }),
        row("Permissions", &snapshot.permissions, |p| {
            (p.name.clone(), optional(&p.role))
        }),
        row("Pipelines", &snapshot.pipelines, |p| {
            (p.uid.clone(), p.name.clone())
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let json = serde_json::to_string_pretty(&snapshot.to_json()).unwrap_or_default();
    let file_name = format!(
        "snapshot-{}.json",
        user.id
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
    );
    view! {
        <div class="snapshot-view">
            <p class="hint">{taken}</p>
            <dl class="details">
                <dt>"Account"</dt><dd>{format!("{person}, {enabled}")}</dd>
                {(!attributes.is_empty()).then(|| view! { <dt>"Attributes"</dt><dd>{attributes.join("; ")}</dd> })}
                {rows.into_iter().map(|(label, listed)| match listed {
                    Err(problem) => view! { <dt>{label}</dt><dd>{problem}</dd> }.into_any(),
                    Ok(listed) => {
                        let count = listed.len();
                        view! {
                            <dt>{label}</dt>
                            <dd class="mono-list">
                                {listed.into_iter().enumerate().map(|(i, item)| view! {
                                    <span class="item">{item}</span>{(i + 1 < count).then_some(", ")}
                                }).collect_view()}
                            </dd>
                        }
                        .into_any()
                    }
                }).collect_view()}
            </dl>
            <div class="actions no-print">
                <button type="button" on:click=move |_| { download::save(&file_name, "application/json", &json); }>
                    "Download snapshot (JSON)"
                </button>
            </div>
        </div>
    }
}
