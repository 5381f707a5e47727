//! The platform's own audit log, as the reference server keeps it (`GET /audit/api/v1/events`,
//! an extension neither vendor's API has): its events, the hash chain that makes it
//! tamper-evident, and which events concern one person.
//!
//! `hash = sha256_hex(prevHash + "\n" + canonical JSON of the event without prevHash/hash)`,
//! the first `prevHash` being 64 zeros. The server and the console build that input with the
//! same code ([`AuditEvent::hash_input`], [`canonical_json`]); each computes the SHA-256 itself
//! (the console with the browser's Web Crypto), so the console checks the chain rather than
//! taking the server's word for it.

use crate::error::ApiError;
use crate::http::{Request, with_query};
use crate::json::{Fields, FromJson, Read};
use crate::model::User;
use serde::Serialize;
use serde_json::{Value, json};

/// The `prevHash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The largest page the endpoint serves.
pub const PAGE: u64 = 1000;

/// One event of the log, as the API shows it (the server serialises this very struct).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor_user_id: String,
    pub actor_key: String,
    pub dialect: String,
    pub action: String,
    pub target_user_id: Option<String>,
    pub subject: Option<String>,
    pub outcome: String,
    pub status: i64,
    pub detail: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The page of events after `after` (a sequence number; 0 for the first).
pub fn events_page(after: i64) -> Request {
    Request::get(with_query(
        "/audit/api/v1/events",
        &[
            ("after", Some(after.to_string())),
            ("limit", Some(PAGE.to_string())),
        ],
    ))
}

/// The events of one page and the log's head (the hash of its last event).
pub fn parse_page(value: &Value) -> Result<(Vec<AuditEvent>, String), ApiError> {
    let unexpected = |what: &str| ApiError::Shape {
        detail: format!("the audit log's page {what}"),
    };
    let fields = Fields::of(value).map_err(|_| unexpected("is not an object"))?;
    let events: Vec<Value> = fields
        .req("events")
        .map_err(|_| unexpected("has no events"))?;
    let events = events
        .iter()
        .map(AuditEvent::from_json)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| unexpected("has an event of another shape"))?;
    let head = fields.req("head").map_err(|_| unexpected("has no head"))?;
    Ok((events, head))
}

impl FromJson for AuditEvent {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(AuditEvent {
            seq: fields.req("seq")?,
            at: fields.req("at")?,
            actor_user_id: fields.req("actorUserId")?,
            actor_key: fields.req("actorKey")?,
            dialect: fields.req("dialect")?,
            action: fields.req("action")?,
            target_user_id: fields.opt("targetUserId")?,
            subject: fields.opt("subject")?,
            outcome: fields.req("outcome")?,
            status: fields.req("status")?,
            detail: fields.get("detail").clone(),
            prev_hash: fields.req("prevHash")?,
            hash: fields.req("hash")?,
        })
    }
}

impl AuditEvent {
    /// What the event's hash is the SHA-256 of.
    pub fn hash_input(&self) -> String {
        let body = json!({
            "seq": self.seq,
            "at": self.at,
            "actorUserId": self.actor_user_id,
            "actorKey": self.actor_key,
            "dialect": self.dialect,
            "action": self.action,
            "targetUserId": self.target_user_id,
            "subject": self.subject,
            "outcome": self.outcome,
            "status": self.status,
            "detail": self.detail,
        });
        format!("{}\n{}", self.prev_hash, canonical_json(&body))
    }

    /// Whether the event is about `person`: its target (ADOC id), or the email a Treasure Data
    /// call names (the removed user, or the owner of a deleted key).
    pub fn concerns(&self, person: &User) -> bool {
        let same_email = |text: Option<&str>| {
            text.is_some_and(|t| !person.email.is_empty() && t.eq_ignore_ascii_case(&person.email))
        };
        self.target_user_id.as_deref() == Some(person.id.as_str())
            || same_email(self.subject.as_deref())
            || same_email(self.detail.get("email").and_then(Value::as_str))
    }

    /// The event in words: "API key AK-abc123 deleted", "Groups removed".
    pub fn describe(&self) -> String {
        let what = match self.action.as_str() {
            "user.update" => "Account updated",
            "user.remove" => "User removed",
            "api_key.create" => "API key created",
            "api_key.delete" => "API key deleted",
            "groups.assign" => "Groups assigned",
            "groups.remove" => "Groups removed",
            "pipeline.owner" => "Pipeline owner changed",
            other => other,
        };
        match (&self.subject, self.action.as_str()) {
            (Some(subject), "api_key.delete" | "api_key.create" | "pipeline.owner") => {
                format!("{what}: {subject}")
            }
            _ => what.to_string(),
        }
    }
}

/// Walks the chain event by event, in order, from the first.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainCheck {
    /// Events checked so far.
    pub events: u64,
    /// The hash of the last event checked.
    pub head: String,
    /// The first link that does not hold: its sequence number and why.
    pub broken: Option<(i64, String)>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        Self {
            events: 0,
            head: GENESIS.to_string(),
            broken: None,
        }
    }
}

impl ChainCheck {
    /// Takes the next event, with the SHA-256 (hex) of its [`AuditEvent::hash_input`].
    pub fn link(&mut self, event: &AuditEvent, computed_hash: &str) {
        if self.broken.is_some() {
            return;
        }
        let expected_seq = self.events as i64 + 1;
        let reason = if event.seq != expected_seq {
            Some(format!("expected event {expected_seq}: events are missing"))
        } else if event.prev_hash != self.head {
            Some("it does not name the previous event's hash".to_string())
        } else if computed_hash != event.hash {
            Some("its content does not match its hash".to_string())
        } else {
            None
        };
        match reason {
            Some(reason) => self.broken = Some((event.seq, reason)),
            None => {
                self.events += 1;
                self.head = event.hash.clone();
            }
        }
    }

    /// Whether every event checked links up and the last is the head the server names.
    pub fn holds(&self, server_head: &str) -> bool {
        self.broken.is_none() && self.head == server_head
    }
}

/// JSON with object keys sorted by their UTF-8 bytes and no whitespace.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, prev_hash: &str, hash: &str) -> AuditEvent {
        AuditEvent {
            seq,
            at: "2024-12-05T09:30:00Z".into(),
            actor_user_id: "user-owner".into(),
            actor_key: "demo-owner-ak".into(),
            dialect: "adoc".into(),
            action: "api_key.delete".into(),
            target_user_id: Some("user-123".into()),
            subject: Some("AK-abc123".into()),
            outcome: "ok".into(),
            status: 200,
            detail: json!({}),
            prev_hash: prev_hash.into(),
            hash: hash.into(),
        }
    }

    #[test]
    fn the_hash_input_is_the_previous_hash_and_the_sorted_compact_event() {
        let input = event(1, GENESIS, "h1").hash_input();
        assert_eq!(
            input,
            format!(
                "{GENESIS}\n{}",
                r#"{"action":"api_key.delete","actorKey":"demo-owner-ak","actorUserId":"user-owner","at":"2024-12-05T09:30:00Z","detail":{},"dialect":"adoc","outcome":"ok","seq":1,"status":200,"subject":"AK-abc123","targetUserId":"user-123"}"#
            )
        );
        assert_eq!(
            canonical_json(&json!({"b": [1, {"d": 1, "c": 2}], "a": null})),
            r#"{"a":null,"b":[1,{"c":2,"d":1}]}"#
        );
    }

    #[test]
    fn the_chain_check_finds_a_gap_a_broken_link_and_altered_content() {
        let mut chain = ChainCheck::default();
        chain.link(&event(1, GENESIS, "h1"), "h1");
        chain.link(&event(2, "h1", "h2"), "h2");
        assert!(chain.holds("h2"));
        assert!(
            !chain.holds("h3"),
            "the server names a later head: events are missing"
        );

        let mut gap = ChainCheck::default();
        gap.link(&event(2, GENESIS, "h2"), "h2");
        assert_eq!(gap.broken.as_ref().map(|b| b.0), Some(2));

        let mut relinked = ChainCheck::default();
        relinked.link(&event(1, GENESIS, "h1"), "h1");
        relinked.link(&event(2, "hX", "h2"), "h2");
        assert!(relinked.broken.unwrap().1.contains("previous event's hash"));

        let mut altered = ChainCheck::default();
        altered.link(&event(1, GENESIS, "h1"), "not-h1");
        assert!(altered.broken.unwrap().1.contains("content"));
    }

    #[test]
    fn events_concern_a_person_by_id_or_by_the_email_a_call_names() {
        let person = User {
            id: "user-123".into(),
            email: "first.last@company.com".into(),
            ..User::default()
        };
        assert!(event(1, GENESIS, "h").concerns(&person));
        let td_removal = AuditEvent {
            target_user_id: None,
            subject: Some("First.Last@company.com".into()),
            ..event(1, GENESIS, "h")
        };
        assert!(td_removal.concerns(&User {
            id: "12".into(),
            ..person.clone()
        }));
        let td_key = AuditEvent {
            target_user_id: Some("user-456".into()),
            subject: Some("AK-x".into()),
            detail: json!({"email": "first.last@company.com"}),
            ..event(1, GENESIS, "h")
        };
        assert!(td_key.concerns(&person));
        let other = AuditEvent {
            target_user_id: Some("user-456".into()),
            ..event(1, GENESIS, "h")
        };
        assert!(!other.concerns(&person));
        assert_eq!(
            event(1, GENESIS, "h").describe(),
            "API key deleted: AK-abc123"
        );
    }
}
