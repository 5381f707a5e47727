//! Journals kept in `localStorage`, so a reloaded or closed tab can resume a run, plus an index
//! of them. A journal holds no credential (see `offboard_engine::run::journal`); credentials are
//! never written here.

use offboard_engine::json::{Fields, FromJson, Read};
use offboard_engine::run::journal::Journal;
use serde::Serialize;
use serde_json::Value;

const INDEX_KEY: &str = "offboard.runs";
const RUN_PREFIX: &str = "offboard.run.";
/// Older finished runs are dropped beyond this many; an unfinished run is never dropped (a
/// lockout or a bulk run may continue it).
pub const KEEP: usize = 20;

/// What the index says about one run, enough to offer "resume".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunEntry {
    pub id: String,
    pub endpoint: String,
    pub dialect: String,
    pub reference: String,
    pub name: String,
    pub kind: String,
    pub complete: bool,
    pub updated_at_ms: f64,
}

impl FromJson for RunEntry {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(RunEntry {
            id: fields.req("id")?,
            endpoint: fields.req("endpoint")?,
            dialect: fields.req("dialect")?,
            reference: fields.req("reference")?,
            name: fields.req("name")?,
            kind: fields.req("kind")?,
            complete: fields.req("complete")?,
            updated_at_ms: fields.req("updatedAtMs")?,
        })
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn index() -> Vec<RunEntry> {
    local_storage()
        .and_then(|storage| storage.get_item(INDEX_KEY).ok().flatten())
        .and_then(|raw| serde_json::from_str::<Value>(&raw).ok())
        .and_then(|value| Vec::<RunEntry>::from_json(&value).ok())
        .unwrap_or_default()
}

pub fn save(journal: &Journal) {
    let Some(storage) = local_storage() else {
        return;
    };
    let _ = storage.set_item(&format!("{RUN_PREFIX}{}", journal.id), &journal.to_json());
    let mut entries = index();
    entries.retain(|entry| entry.id != journal.id);
    entries.insert(
        0,
        RunEntry {
            id: journal.id.clone(),
            endpoint: journal.endpoint.clone(),
            dialect: journal.plan.dialect.as_str().to_string(),
            reference: journal.plan.target.reference.clone(),
            name: journal.plan.target.name.clone(),
            kind: format!("{:?}", journal.plan.kind).to_lowercase(),
            complete: journal.is_complete(),
            updated_at_ms: js_sys::Date::now(),
        },
    );
    let mut finished = 0;
    let (entries, dropped): (Vec<RunEntry>, Vec<RunEntry>) =
        entries.into_iter().partition(|entry| {
            finished += usize::from(entry.complete);
            !entry.complete || finished <= KEEP
        });
    for dropped in dropped {
        let _ = storage.remove_item(&format!("{RUN_PREFIX}{}", dropped.id));
    }
    if let Ok(raw) = serde_json::to_string(&entries) {
        let _ = storage.set_item(INDEX_KEY, &raw);
    }
}

pub fn load(id: &str) -> Option<Journal> {
    let raw = local_storage()?
        .get_item(&format!("{RUN_PREFIX}{id}"))
        .ok()
        .flatten()?;
    Journal::restore(&raw)
}

/// Every run this browser keeps (a journal that no longer reads back is left out).
pub fn journals() -> Vec<Journal> {
    index().iter().filter_map(|entry| load(&entry.id)).collect()
}

pub fn discard(id: &str) {
    let Some(storage) = local_storage() else {
        return;
    };
    let _ = storage.remove_item(&format!("{RUN_PREFIX}{id}"));
    let mut entries = index();
    entries.retain(|entry| entry.id != id);
    if let Ok(raw) = serde_json::to_string(&entries) {
        let _ = storage.set_item(INDEX_KEY, &raw);
    }
}

/// The newest finished run (any kind) for this person on this platform: the earlier report a
/// screen can point to.
pub fn latest_finished(endpoint: &str, dialect: &str, reference: &str) -> Option<RunEntry> {
    index().into_iter().find(|entry| {
        entry.complete
            && entry.endpoint == endpoint
            && entry.dialect == dialect
            && entry.reference == reference
    })
}

/// The groups the newest offboarding run in this browser recorded for this person, with the
/// run they come from: the wizard's snapshot (id and name), else the lockout's plan (ids, as
/// read just before it removed them).
pub fn recorded_groups(
    endpoint: &str,
    dialect: &str,
    reference: &str,
) -> Option<(RunEntry, Vec<(String, String)>)> {
    use offboard_engine::run::plan::Action;
    index()
        .into_iter()
        .filter(|entry| {
            matches!(entry.kind.as_str(), "wizard" | "emergency")
                && entry.endpoint == endpoint
                && entry.dialect == dialect
                && entry.reference == reference
        })
        .find_map(|entry| {
            let journal = load(&entry.id)?;
            let from_snapshot: Vec<(String, String)> = journal
                .snapshot
                .as_ref()
                .map(|snapshot| snapshot.groups.items())
                .unwrap_or_default()
                .iter()
                .map(|group| (group.id.clone(), group.name.clone()))
                .collect();
            let groups = if from_snapshot.is_empty() {
                journal
                    .plan
                    .steps
                    .iter()
                    .find_map(|step| match &step.action {
                        Action::LockOut { groups, .. } => Some(groups.clone()),
                        _ => None,
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .map(|id| (id.clone(), id))
                    .collect()
            } else {
                from_snapshot
            };
            (!groups.is_empty()).then_some((entry, groups))
        })
}

/// The unfinished run of `kind` for this person on this platform, if one was left behind.
pub fn unfinished(endpoint: &str, dialect: &str, reference: &str, kind: &str) -> Option<Journal> {
    index()
        .into_iter()
        .filter(|entry| !entry.complete && entry.kind == kind)
        .find(|entry| {
            entry.endpoint == endpoint && entry.dialect == dialect && entry.reference == reference
        })
        .and_then(|entry| load(&entry.id))
}
