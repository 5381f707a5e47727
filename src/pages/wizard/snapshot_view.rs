//! Step 1's result: the snapshot the engine took and the journal keeps, summarised on screen
//! (who, and what they could reach) and offered as the JSON document to file.

use crate::download;
use leptos::prelude::*;
use serde_json::Value;

/// Long lists (a 200-key account) show this many items on screen; the download has them all.
const SHOWN: usize = 12;

#[component]
pub fn SnapshotView(snapshot: Value) -> impl IntoView {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_string();
    let user = &snapshot["user"];
    let taken = format!(
        "Taken {} by {}.",
        text(&snapshot["takenAt"]),
        text(&snapshot["takenBy"])
    );
    let person = format!("{} <{}>", text(&user["name"]), text(&user["email"]));
    let enabled = match user["enabled"].as_bool() {
        Some(true) => "enabled",
        Some(false) => "disabled",
        None => "exists",
    };
    let attributes: Vec<String> = user["attributes"]
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(name, values)| {
                    let values: Vec<String> = values
                        .as_array()
                        .map(|v| v.iter().map(text).collect())
                        .unwrap_or_default();
                    format!("{name}: {}", values.join(", "))
                })
                .collect()
        })
        .unwrap_or_default();
    let sections = [
        ("API keys", "apiKeys", "id", "keyType"),
        ("Groups", "groups", "id", "name"),
        ("Roles", "roles", "name", "source"),
        ("Permissions", "permissions", "name", "role"),
        ("Pipelines", "pipelines", "uid", "name"),
    ];
    // Each item is kept whole on screen: ids such as `AK-abc123` and types such as `write-only`
    // must not break at their hyphen (see `.item` in the stylesheet).
    let rows: Vec<(String, Result<Vec<String>, String>)> = sections
        .iter()
        .filter_map(|(label, key, id, extra)| {
            let section = &snapshot[*key];
            if section.is_string() {
                return None; // not offered by this platform (TD: keys only)
            }
            let Some(items) = section.as_array() else {
                let error = snapshot["errors"][*key]
                    .as_str()
                    .unwrap_or("could not be read");
                return Some((
                    label.to_string(),
                    Err(format!("could not be read: {error}")),
                ));
            };
            let mut shown: Vec<String> = items
                .iter()
                .take(SHOWN)
                .map(|item| {
                    let more = text(&item[*extra]);
                    if more.is_empty() {
                        text(&item[*id])
                    } else {
                        format!("{} ({more})", text(&item[*id]))
                    }
                })
                .collect();
            if items.len() > SHOWN {
                shown.push(format!("and {} more", items.len() - SHOWN));
            }
            if shown.is_empty() {
                shown.push("none".to_string());
            }
            Some((format!("{label} ({})", items.len()), Ok(shown)))
        })
        .collect();
    let json = serde_json::to_string_pretty(&snapshot).unwrap_or_default();
    let file_name = format!(
        "snapshot-{}.json",
        text(&user["id"]).replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
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
