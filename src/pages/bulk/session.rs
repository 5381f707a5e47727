//! A bulk run kept in this browser (`localStorage`, beside the runs' journals; no credentials):
//! the platforms it ran on, the CSV it was started from and the journal each line's run writes
//! (a line is a row on one platform), so that a reloaded or closed tab can continue it, doing
//! nothing twice (each run's journal says what was done).

use crate::session::Connection;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const KEY: &str = "offboard.bulk";

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Each platform as [`platform_key`] names it, in the order the lines use.
    pub platforms: Vec<String>,
    pub csv: String,
    /// [`line_key`] of each line that started → the id of its run's journal.
    pub journals: BTreeMap<String, String>,
}

/// A platform as a kept bulk run names it: its dialect and address (never its credentials).
pub fn platform_key(connection: &Connection) -> String {
    format!("{} {}", connection.dialect().as_str(), connection.base_url)
}

/// One line of a bulk run: the file's line on one platform.
pub fn line_key(line: usize, platform: &str) -> String {
    format!("{line} {platform}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The bulk run left in this browser for exactly these platforms, if any.
pub fn load(platforms: &[String]) -> Option<Session> {
    let raw = storage()?.get_item(KEY).ok().flatten()?;
    let value: Value = serde_json::from_str(&raw).ok()?;
    let strings = |value: &Value| -> Option<Vec<String>> {
        value
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let journals = value
        .get("journals")?
        .as_object()?
        .iter()
        .filter_map(|(line, id)| Some((line.clone(), id.as_str()?.to_string())))
        .collect();
    let session = Session {
        platforms: strings(value.get("platforms")?)?,
        csv: value.get("csv")?.as_str()?.to_string(),
        journals,
    };
    (session.platforms == platforms).then_some(session)
}

pub fn save(session: &Session) {
    let value = json!({
        "platforms": session.platforms,
        "csv": session.csv,
        "journals": session.journals,
    });
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, &value.to_string());
    }
}

pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
