//! A bulk run kept in this browser (`localStorage`, beside the runs' journals; no credentials):
//! the CSV it was started from and the journal each row's run writes, so that a reloaded or
//! closed tab can continue it, doing nothing twice (each person's journal says what was done).

use serde_json::{Value, json};
use std::collections::BTreeMap;

const KEY: &str = "offboard.bulk";

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub endpoint: String,
    pub dialect: String,
    pub csv: String,
    /// The file's line of each row that started → the id of its run's journal.
    pub journals: BTreeMap<usize, String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The bulk run left in this browser for this platform, if any.
pub fn load(endpoint: &str, dialect: &str) -> Option<Session> {
    let raw = storage()?.get_item(KEY).ok().flatten()?;
    let value: Value = serde_json::from_str(&raw).ok()?;
    let text = |name: &str| value.get(name)?.as_str().map(str::to_string);
    let journals = value
        .get("journals")?
        .as_object()?
        .iter()
        .filter_map(|(line, id)| Some((line.parse().ok()?, id.as_str()?.to_string())))
        .collect();
    let session = Session {
        endpoint: text("endpoint")?,
        dialect: text("dialect")?,
        csv: text("csv")?,
        journals,
    };
    (session.endpoint == endpoint && session.dialect == dialect).then_some(session)
}

pub fn save(session: &Session) {
    let journals: serde_json::Map<String, Value> = session
        .journals
        .iter()
        .map(|(line, id)| (line.to_string(), Value::String(id.clone())))
        .collect();
    let value = json!({
        "endpoint": session.endpoint,
        "dialect": session.dialect,
        "csv": session.csv,
        "journals": journals,
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
