//! The audit log: one hash-chained event per mutating call, its listing endpoint, and the chain
//! check behind `offboard-server audit verify`.
//!
//! Events are appended only by the writer ([`crate::db::writer`]), inside the same savepoint as
//! the change they describe, so a change never commits without its event. Refused or failed
//! mutating calls (400/403/404) are appended too, so an auditor sees attempts. No code path
//! updates or deletes an event.
//!
//! `hash = sha256_hex(prevHash + "\n" + canonical JSON of the event without prevHash/hash)`,
//! canonical JSON being keys sorted by their UTF-8 bytes, no whitespace; the first `prevHash` is
//! 64 zeros. Canonicalisation is written out here rather than trusting `serde_json`'s map order,
//! which a `preserve_order` feature elsewhere in the build could change.

use axum::Json;
use axum::extract::{RawQuery, State};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::auth::Caller;
use crate::clock;
use crate::error::AppError;
use crate::input;
use crate::routes::Routes;
use crate::state::AppState;

/// The `prevHash` of the first event.
pub use offboard_engine::audit::GENESIS;

/// Which dialect a call came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Adoc,
    Td,
}

impl Dialect {
    fn as_str(self) -> &'static str {
        match self {
            Dialect::Adoc => "adoc",
            Dialect::Td => "td",
        }
    }
}

/// What a mutating call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    UserUpdate,
    UserRemove,
    ApiKeyCreate,
    ApiKeyDelete,
    GroupsAssign,
    GroupsRemove,
    PipelineOwner,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::UserUpdate => "user.update",
            Action::UserRemove => "user.remove",
            Action::ApiKeyCreate => "api_key.create",
            Action::ApiKeyDelete => "api_key.delete",
            Action::GroupsAssign => "groups.assign",
            Action::GroupsRemove => "groups.remove",
            Action::PipelineOwner => "pipeline.owner",
        }
    }
}

/// How a mutating call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
    NotFound,
    Invalid,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::NotFound => "not_found",
            Outcome::Invalid => "invalid",
        }
    }

    /// The outcome recorded for a failed call, or `None` for failures that are not recorded
    /// (401: no known actor; 5xx and injected faults: the server's problem, not an attempt).
    pub fn for_error(err: &AppError) -> Option<Outcome> {
        match err {
            AppError::BadRequest(_) => Some(Outcome::Invalid),
            AppError::Forbidden(_) => Some(Outcome::Denied),
            AppError::NotFound(_) => Some(Outcome::NotFound),
            _ => None,
        }
    }
}

/// An event before the writer gives it a place in the chain. Handlers fill in what they know
/// up front; the change itself fills in the rest (e.g. whose key was deleted).
#[derive(Debug, Clone)]
pub struct Draft {
    actor_user_id: String,
    actor_key: String,
    dialect: Dialect,
    action: Action,
    pub target_user_id: Option<String>,
    pub subject: Option<String>,
    /// Always a JSON object.
    pub detail: Map<String, Value>,
    /// The HTTP status of a successful call (201 for creations).
    pub ok_status: u16,
}

impl Draft {
    pub fn new(caller: &Caller, dialect: Dialect, action: Action) -> Self {
        Self {
            actor_user_id: caller.user_id.clone(),
            actor_key: caller.access_key.clone(),
            dialect,
            action,
            target_user_id: None,
            subject: None,
            detail: Map::new(),
            ok_status: 200,
        }
    }

    pub fn target(mut self, user_id: impl Into<String>) -> Self {
        self.target_user_id = Some(user_id.into());
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn ok_status(mut self, status: u16) -> Self {
        self.ok_status = status;
        self
    }

    /// Adds one entry to the event's `detail`.
    pub fn note(&mut self, key: &str, value: impl Into<Value>) {
        self.detail.insert(key.to_owned(), value.into());
    }
}

/// The end of the chain: the last event's sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

impl Head {
    fn genesis() -> Self {
        Head {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }
}

/// One stored event, as the API shows it: the engine's, which the console reads back.
pub use offboard_engine::audit::AuditEvent as Event;

/// The hash `event` should carry given its content and `prev_hash` (the input is built by the
/// engine, as the console builds it to check the chain).
pub fn compute_hash(event: &Event) -> String {
    hex::encode(Sha256::digest(event.hash_input().as_bytes()))
}

/// JSON with object keys sorted by their UTF-8 bytes and no whitespace (the engine's).
pub use offboard_engine::audit::canonical_json;

const EVENT_COLUMNS: &str = "seq, occurred_at, actor_user_id, actor_key, dialect, action, \
     target_user_id, subject, outcome, status, detail, prev_hash, hash";

/// The current end of the chain (genesis for an empty log).
pub async fn load_head(conn: &mut AnyConnection) -> Result<Head, sqlx::Error> {
    let row = sqlx::query("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Head {
            seq: row.try_get("seq")?,
            hash: row.try_get("hash")?,
        }),
        None => Ok(Head::genesis()),
    }
}

/// Appends the event for `draft` after `head`; returns the new head. Runs on the writer's
/// connection inside the job's savepoint.
pub async fn append(
    conn: &mut AnyConnection,
    head: &Head,
    draft: &Draft,
    outcome: Outcome,
    status: u16,
    error: Option<String>,
) -> Result<Head, sqlx::Error> {
    let mut detail = draft.detail.clone();
    if let Some(message) = error {
        detail.insert("error".to_owned(), Value::String(message));
    }
    let mut event = Event {
        seq: head.seq + 1,
        at: clock::now(),
        actor_user_id: draft.actor_user_id.clone(),
        actor_key: draft.actor_key.clone(),
        dialect: draft.dialect.as_str().to_owned(),
        action: draft.action.as_str().to_owned(),
        target_user_id: draft.target_user_id.clone(),
        subject: draft.subject.clone(),
        outcome: outcome.as_str().to_owned(),
        status: i64::from(status),
        detail: Value::Object(detail),
        prev_hash: head.hash.clone(),
        hash: String::new(),
    };
    event.hash = compute_hash(&event);
    sqlx::query(
        "INSERT INTO audit_events (seq, occurred_at, actor_user_id, actor_key, dialect, action, \
         target_user_id, subject, outcome, status, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(event.seq)
    .bind(event.at.clone())
    .bind(event.actor_user_id.clone())
    .bind(event.actor_key.clone())
    .bind(event.dialect.clone())
    .bind(event.action.clone())
    .bind(event.target_user_id.clone())
    .bind(event.subject.clone())
    .bind(event.outcome.clone())
    .bind(event.status)
    .bind(canonical_json(&event.detail))
    .bind(event.prev_hash.clone())
    .bind(event.hash.clone())
    .execute(&mut *conn)
    .await?;
    Ok(Head {
        seq: event.seq,
        hash: event.hash,
    })
}

/// Reads an event row. A `detail` that is not JSON is kept as a string, so verification reports
/// a broken hash instead of failing to read.
fn event_from_row(row: &AnyRow) -> Result<Event, sqlx::Error> {
    let detail: String = row.try_get("detail")?;
    Ok(Event {
        seq: row.try_get("seq")?,
        at: row.try_get("occurred_at")?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor_key: row.try_get("actor_key")?,
        dialect: row.try_get("dialect")?,
        action: row.try_get("action")?,
        target_user_id: row.try_get("target_user_id")?,
        subject: row.try_get("subject")?,
        outcome: row.try_get("outcome")?,
        status: row.try_get("status")?,
        detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerdict {
    /// Events checked.
    pub events: u64,
    /// The hash of the last event (64 zeros for an empty log).
    pub head: String,
    /// The first event whose link does not hold, if any.
    pub broken: Option<BrokenLink>,
}

impl AuditVerdict {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// Recomputes every event's hash and link, in pages so a long log needs little memory.
pub async fn verify(conn: &mut AnyConnection) -> Result<AuditVerdict, sqlx::Error> {
    const PAGE: i64 = 1000;
    let mut head = Head::genesis();
    let mut events = 0u64;
    loop {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(head.seq)
            .bind(PAGE)
            .fetch_all(&mut *conn)
            .await?;
        let fetched = rows.len();
        for row in rows {
            let event = event_from_row(&row)?;
            let broken = |reason: String| AuditVerdict {
                events,
                head: head.hash.clone(),
                broken: Some(BrokenLink {
                    seq: event.seq,
                    reason,
                }),
            };
            if event.seq != head.seq + 1 {
                return Ok(broken(format!(
                    "expected seq {}: events are missing",
                    head.seq + 1
                )));
            }
            if event.prev_hash != head.hash {
                return Ok(broken(
                    "prevHash does not match the previous event's hash".to_owned(),
                ));
            }
            if compute_hash(&event) != event.hash {
                return Ok(broken(
                    "the event's content does not match its hash".to_owned(),
                ));
            }
            events += 1;
            head = Head {
                seq: event.seq,
                hash: event.hash,
            };
        }
        if fetched < PAGE as usize {
            return Ok(AuditVerdict {
                events,
                head: head.hash,
                broken: None,
            });
        }
    }
}

pub fn router() -> Routes {
    Routes::new().get("/audit/api/v1/events", list_events)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsQuery {
    after: Option<i64>,
    limit: Option<i64>,
    target: Option<String>,
}

#[derive(Debug, Serialize)]
struct EventsPage {
    events: Vec<Event>,
    head: String,
}

/// `GET /audit/api/v1/events`: events after a sequence number, oldest first, with the chain's
/// current head (read after the events, so it is never older than the page).
async fn list_events(
    State(app): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<EventsPage>, AppError> {
    caller.require_admin()?;
    let query: EventsQuery = input::query(query.as_deref())?;
    let after = query.after.unwrap_or(0);
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::BadRequest(
            "limit must be between 1 and 1000".into(),
        ));
    }
    let mut conn = app.pool.acquire().await?;
    let rows = match &query.target {
        Some(target) => {
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 AND target_user_id = $2 \
                 ORDER BY seq LIMIT $3"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(after)
                .bind(target.clone())
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?
        }
        None => {
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(after)
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    let events = rows
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let head = load_head(&mut conn).await?.hash;
    Ok(Json(EventsPage { events, head }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value = json!({"b": 1, "a": {"d": [true, null], "c": "x"}});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":"x","d":[true,null]},"b":1}"#
        );
    }

    #[test]
    fn hash_covers_previous_hash_and_content() {
        let mut event = Event {
            seq: 1,
            at: "2024-12-05T09:30:00Z".into(),
            actor_user_id: "user-owner".into(),
            actor_key: "demo-owner-ak".into(),
            dialect: "adoc".into(),
            action: "user.update".into(),
            target_user_id: Some("user-123".into()),
            subject: None,
            outcome: "ok".into(),
            status: 200,
            detail: json!({}),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let body = r#"{"action":"user.update","actorKey":"demo-owner-ak","actorUserId":"user-owner","at":"2024-12-05T09:30:00Z","detail":{},"dialect":"adoc","outcome":"ok","seq":1,"status":200,"subject":null,"targetUserId":"user-123"}"#;
        let expected = hex::encode(Sha256::digest(format!("{GENESIS}\n{body}").as_bytes()));
        assert_eq!(compute_hash(&event), expected);
        event.prev_hash = "1".repeat(64);
        assert_ne!(compute_hash(&event), expected);
    }
}
