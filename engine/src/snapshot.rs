//! The "document current access" snapshot (runbook step 1): everything a person can reach, who
//! recorded it, when and from where, as JSON for the audit trail and CSV for handover.
//!
//! A section that could not be read is kept as an error, not dropped: a snapshot that silently
//! lacks the permissions would mislead whoever files it.

use crate::json::{Fields, FromJson, Read};
use crate::model::{ApiKey, Dialect, Group, Permission, Pipeline, Role, User};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One part of the access, as read: the items, an error in words, or absent from the dialect.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "value")]
pub enum Section<T> {
    Read(Vec<T>),
    Failed(String),
    NotOffered,
}

impl<T> Section<T> {
    pub fn items(&self) -> &[T] {
        match self {
            Section::Read(items) => items,
            _ => &[],
        }
    }
}

/// Who took the snapshot, from which endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    pub taken_at: String,
    pub taken_by: String,
    pub endpoint: String,
    pub dialect: Dialect,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub provenance: Provenance,
    pub user: User,
    pub api_keys: Section<ApiKey>,
    pub groups: Section<Group>,
    pub roles: Section<Role>,
    pub permissions: Section<Permission>,
    pub pipelines: Section<Pipeline>,
}

impl Snapshot {
    /// The JSON document to download and keep with the run.
    pub fn to_json(&self) -> Value {
        let mut errors = BTreeMap::new();
        let mut section = |name: &str, value: Value, failure: Option<&String>| {
            if let Some(message) = failure {
                errors.insert(name.to_string(), message.clone());
            }
            value
        };
        let document = json!({
            "offboardSnapshot": 1,
            "takenAt": self.provenance.taken_at,
            "takenBy": self.provenance.taken_by,
            "endpoint": self.provenance.endpoint,
            "dialect": self.provenance.dialect,
            "user": self.user,
            "apiKeys": section("apiKeys", to_value(&self.api_keys), failure(&self.api_keys)),
            "groups": section("groups", to_value(&self.groups), failure(&self.groups)),
            "roles": section("roles", to_value(&self.roles), failure(&self.roles)),
            "permissions": section("permissions", to_value(&self.permissions), failure(&self.permissions)),
            "pipelines": section("pipelines", to_value(&self.pipelines), failure(&self.pipelines)),
        });
        let mut document = document;
        document["errors"] = json!(errors);
        document
    }

    /// One row per access item: `kind,id,name,source`. The user's row carries their state in
    /// `source` (empty where the platform has none, as for Treasure Data, so the CSV says no
    /// more than the JSON), then one `attribute` row per attribute value (name, value).
    pub fn to_csv(&self) -> String {
        let mut rows = vec![["kind", "id", "name", "source"].map(String::from).to_vec()];
        let user = &self.user;
        let state = user
            .known_status()
            .map(|status| status.label().to_string())
            .unwrap_or_default();
        rows.push(vec![
            "user".into(),
            user.id.clone(),
            format!("{} <{}>", user.name, user.email),
            state,
        ]);
        for (name, values) in &user.attributes {
            for value in values {
                rows.push(vec![
                    "attribute".into(),
                    name.clone(),
                    value.clone(),
                    String::new(),
                ]);
            }
        }
        for key in self.api_keys.items() {
            let source = key
                .created_at
                .clone()
                .map(|at| format!("created {at}"))
                .unwrap_or_default();
            rows.push(vec![
                "api_key".into(),
                key.id.clone(),
                key.key_type.label().to_string(),
                source,
            ]);
        }
        for group in self.groups.items() {
            rows.push(vec![
                "group".into(),
                group.id.clone(),
                group.name.clone(),
                "membership".into(),
            ]);
        }
        for role in self.roles.items() {
            let source = role
                .source
                .clone()
                .map(|g| format!("group {g}"))
                .unwrap_or_default();
            rows.push(vec![
                "role".into(),
                role.id.clone(),
                role.name.clone(),
                source,
            ]);
        }
        for permission in self.permissions.items() {
            let source = permission
                .role
                .clone()
                .map(|r| format!("role {r}"))
                .unwrap_or_default();
            rows.push(vec![
                "permission".into(),
                permission.name.clone(),
                permission.name.clone(),
                source,
            ]);
        }
        for pipeline in self.pipelines.items() {
            let source = pipeline
                .owner
                .clone()
                .map(|o| format!("owner {o}"))
                .unwrap_or_default();
            rows.push(vec![
                "pipeline".into(),
                pipeline.uid.clone(),
                pipeline.name.clone(),
                source,
            ]);
        }
        csv(&rows)
    }

    /// A file name such as `offboard-snapshot-user-123-2024-12-05T09-30-00Z`.
    pub fn file_stem(&self) -> String {
        let stamp: String = self
            .provenance
            .taken_at
            .chars()
            .map(|c| if c == ':' { '-' } else { c })
            .collect();
        let who: String = self
            .user
            .reference(self.provenance.dialect)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("offboard-snapshot-{who}-{stamp}")
    }
}

fn to_value<T: Serialize>(section: &Section<T>) -> Value {
    match section {
        Section::Read(items) => json!(items),
        Section::Failed(_) => Value::Null,
        Section::NotOffered => json!("not offered by this platform"),
    }
}

fn failure<T>(section: &Section<T>) -> Option<&String> {
    match section {
        Section::Failed(message) => Some(message),
        _ => None,
    }
}

// Reading a snapshot back from a journal: see `crate::json` (the JSON is the one `Serialize`
// writes, not the downloadable document of [`Snapshot::to_json`]).

impl<T: FromJson> FromJson for Section<T> {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(match fields.req::<String>("state")?.as_str() {
            "read" => Section::Read(fields.req("value")?),
            "failed" => Section::Failed(fields.req("value")?),
            "notOffered" => Section::NotOffered,
            _ => return Err("unknown section state"),
        })
    }
}

impl FromJson for Provenance {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Provenance {
            taken_at: fields.req("takenAt")?,
            taken_by: fields.req("takenBy")?,
            endpoint: fields.req("endpoint")?,
            dialect: fields.req("dialect")?,
        })
    }
}

impl FromJson for Snapshot {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Snapshot {
            provenance: fields.req("provenance")?,
            user: fields.req("user")?,
            api_keys: fields.req("apiKeys")?,
            groups: fields.req("groups")?,
            roles: fields.req("roles")?,
            permissions: fields.req("permissions")?,
            pipelines: fields.req("pipelines")?,
        })
    }
}

/// RFC 4180 CSV, with cells that a spreadsheet would run as a formula defused by a leading `'`.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(raw: &str) -> String {
    let defused = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_negative_number(raw) {
        format!("'{raw}")
    } else {
        raw.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// `-12` is data, not a formula: the guard must not mangle it.
fn is_negative_number(raw: &str) -> bool {
    raw.strip_prefix('-')
        .is_some_and(|rest| rest.parse::<f64>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KeyType;

    fn snapshot() -> Snapshot {
        Snapshot {
            provenance: Provenance {
                taken_at: "2024-12-05T09:30:00Z".into(),
                taken_by: "Olivia Owner <owner@company.com>".into(),
                endpoint: "http://127.0.0.1:8080".into(),
                dialect: Dialect::Adoc,
            },
            user: User {
                id: "user-123".into(),
                email: "first.last@company.com".into(),
                name: "First Last".into(),
                enabled: Some(true),
                attributes: BTreeMap::from([(
                    "department".to_string(),
                    vec!["Data Engineering".to_string()],
                )]),
                ..User::default()
            },
            api_keys: Section::Read(vec![ApiKey {
                id: "AK-abc123".into(),
                key_type: KeyType::Master,
                description: None,
                created_at: Some("2024-01-01".into()),
                valid_till: None,
            }]),
            groups: Section::Read(vec![Group {
                id: "group-data-eng".into(),
                name: "Data engineering".into(),
                description: None,
                role: None,
            }]),
            roles: Section::Read(vec![Role {
                id: "data-engineer".into(),
                name: "Data engineer".into(),
                description: None,
                source: Some("group-data-eng".into()),
            }]),
            permissions: Section::Failed("The platform had an internal error.".into()),
            pipelines: Section::Read(vec![Pipeline {
                uid: "pl-daily-sales".into(),
                name: "Daily sales, rollup".into(),
                description: None,
                owner: Some("first.last@company.com".into()),
            }]),
        }
    }

    #[test]
    fn json_keeps_provenance_items_and_errors() {
        let json = snapshot().to_json();
        assert_eq!(json["takenBy"], "Olivia Owner <owner@company.com>");
        assert_eq!(json["dialect"], "adoc");
        assert_eq!(json["apiKeys"][0]["id"], "AK-abc123");
        assert_eq!(json["permissions"], Value::Null);
        assert_eq!(
            json["errors"]["permissions"],
            "The platform had an internal error."
        );
        assert_eq!(json["user"]["email"], "first.last@company.com");
    }

    #[test]
    fn csv_has_one_row_per_item_with_its_source() {
        let csv = snapshot().to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "kind,id,name,source");
        assert_eq!(
            lines[1],
            "user,user-123,First Last <first.last@company.com>,enabled"
        );
        assert_eq!(lines[2], "attribute,department,Data Engineering,");
        assert!(lines.contains(&"api_key,AK-abc123,Master,created 2024-01-01"));
        assert!(lines.contains(&"role,data-engineer,Data engineer,group group-data-eng"));
        assert!(lines.contains(
            &"pipeline,pl-daily-sales,\"Daily sales, rollup\",owner first.last@company.com"
        ));
        assert_eq!(
            lines.len(),
            7,
            "the failed permissions section adds no rows"
        );
    }

    #[test]
    fn a_td_user_has_no_enabled_state_in_either_file() {
        let mut td = snapshot();
        td.provenance.dialect = Dialect::Td;
        td.user.enabled = None;
        td.user.id = "42".into();
        let json = td.to_json();
        assert!(json["user"].get("enabled").is_none(), "{}", json["user"]);
        let csv = td.to_csv();
        assert!(!csv.contains("enabled"), "{csv}");
        assert_eq!(
            csv.lines().nth(1),
            Some("user,42,First Last <first.last@company.com>,")
        );
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-12"), "-12");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            snapshot().file_stem(),
            "offboard-snapshot-user-123-2024-12-05T09-30-00Z"
        );
    }

    #[test]
    fn a_snapshot_reads_back_whole_from_a_journal() {
        let mut taken = snapshot();
        let key = taken.api_keys.items()[0].clone();
        taken.api_keys = Section::Read(vec![
            ApiKey {
                key_type: KeyType::WriteOnly,
                ..key.clone()
            },
            ApiKey {
                id: "AK-2".into(),
                key_type: KeyType::Other("import".into()),
                ..key
            },
        ]);
        taken.roles = Section::Failed("could not be read (500)".into());
        taken.pipelines = Section::NotOffered;
        let written = serde_json::to_value(&taken).unwrap();
        assert_eq!(Snapshot::from_json(&written), Ok(taken));
    }
}
