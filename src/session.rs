//! The connections to platforms: each with its name, dialect, base URL, credentials and who they
//! belong to. Several may be connected at once (an ADOC tenant and a Treasure Data account of
//! the same company); one of them is the *current* platform, which the directory, the user page
//! and the wizard work on, while a lockout or a bulk run may reach every one.
//!
//! Credentials live in memory. Only when the person ticks "remember in this tab" are they written
//! to `sessionStorage` (gone when the tab closes); never to `localStorage`, and never logged:
//! [`Credentials`]' `Debug` masks the secrets.

use leptos::prelude::*;
use offboard_engine::congestion::DEFAULT_CAP;
pub use offboard_engine::credentials::Credentials;
use offboard_engine::json::{Fields, FromJson, Read};
use offboard_engine::model::{Dialect, User};
use serde::Serialize;
use serde_json::Value;

const STORAGE_KEY: &str = "offboard.connections";

/// Who the credentials belong to, as the platform said when connecting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identity {
    /// `None` when the platform has no "who am I" endpoint.
    pub user: Option<User>,
}

impl Identity {
    pub fn describe(&self) -> String {
        match &self.user {
            Some(user) => match user.account_role {
                Some(role) => format!("{} ({role})", user.name),
                None => user.name.clone(),
            },
            None => "an administrator (this platform does not say who)".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Connection {
    /// What the admin calls this platform ("ADOC prod", "TD EU"): unique among the connections.
    pub name: String,
    pub base_url: String,
    pub credentials: Credentials,
    pub identity: Identity,
    pub remembered: bool,
    /// The most calls a run keeps in flight (the admin's cap on the congestion window).
    pub max_in_flight: usize,
}

impl Connection {
    pub fn dialect(&self) -> Dialect {
        self.credentials.dialect()
    }

    /// The base URL's host (with its port, if any), as the browser parses it: for the header
    /// chip and notices. Connect accepted only a URL the browser parses, so the fallback to
    /// the URL as typed is for a remembered connection from an older build.
    pub fn host(&self) -> String {
        web_sys::Url::new(&self.base_url).map_or_else(|_| self.base_url.clone(), |url| url.host())
    }

    /// The name Connect gives a platform the admin did not name: "Treasure Data · host:port".
    pub fn default_name(&self) -> String {
        format!("{} · {}", self.dialect().label(), self.host())
    }

    /// Whether `other` reaches the same platform as the same kind of client (connecting to it
    /// again replaces it rather than adding a twin).
    pub fn same_platform(&self, other: &Connection) -> bool {
        self.base_url == other.base_url && self.dialect() == other.dialect()
    }
}

/// Who is at the controls, as snapshots and reports name them: "Olivia Owner <owner@company.com>".
pub fn operator(connection: &Connection) -> String {
    match &connection.identity.user {
        Some(user) => format!("{} <{}>", user.name, user.email),
        None => connection.identity.describe(),
    }
}

/// The app-wide session: every connected platform, and the current one.
#[derive(Clone, Copy)]
pub struct Session {
    /// The platform the directory, user page and wizard work on.
    pub connection: RwSignal<Option<Connection>>,
    /// Every connected platform, in the order they were connected.
    pub connections: RwSignal<Vec<Connection>>,
}

impl Session {
    /// Creates the session, restoring remembered connections from this tab's storage.
    pub fn provide() -> Self {
        let (connections, current) = load_remembered();
        let current = current
            .and_then(|name| connections.iter().find(|c| c.name == name).cloned())
            .or_else(|| connections.first().cloned());
        let session = Session {
            connection: RwSignal::new(current),
            connections: RwSignal::new(connections),
        };
        provide_context(session);
        session
    }

    /// Adds a platform (or replaces the connection to the same platform, as new credentials
    /// for it do) and makes it the current one.
    pub fn connect(&self, mut connection: Connection) {
        self.connections.update(|connections| {
            connections.retain(|c| !c.same_platform(&connection));
            connection.name = unique_name(connection.name.trim(), &connection, connections);
            connections.push(connection.clone());
        });
        self.connection.set(Some(connection));
        self.persist();
    }

    /// Makes the named platform the current one.
    pub fn switch_to(&self, name: &str) {
        let chosen = self
            .connections
            .with_untracked(|all| all.iter().find(|c| c.name == name).cloned());
        if chosen.is_some() {
            self.connection.set(chosen);
            self.persist();
        }
    }

    /// Forgets one platform; the first remaining becomes current if it was.
    pub fn disconnect(&self, name: &str) {
        self.connections
            .update(|connections| connections.retain(|c| c.name != name));
        let was_current = self
            .connection
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.name == name));
        if was_current {
            let next = self.connections.with_untracked(|all| all.first().cloned());
            self.connection.set(next);
        }
        self.persist();
    }

    /// Forgets every platform.
    pub fn sign_out(&self) {
        forget();
        self.connections.set(Vec::new());
        self.connection.set(None);
    }

    /// Every connection, the current one first (a lockout lists it first).
    pub fn everywhere(&self) -> Vec<Connection> {
        let current = self.connection.get_untracked();
        let mut all = self.connections.get_untracked();
        if let Some(current) = current {
            all.retain(|c| c.name != current.name);
            all.insert(0, current);
        }
        all
    }

    /// Keeps the remembered connections (only those the admin asked to remember) in this
    /// tab's storage, with which one is current.
    fn persist(&self) {
        let remembered: Vec<Connection> = self
            .connections
            .with_untracked(|all| all.iter().filter(|c| c.remembered).cloned().collect());
        if remembered.is_empty() {
            forget();
            return;
        }
        let current = self
            .connection
            .with_untracked(|c| c.as_ref().map(|c| c.name.clone()));
        remember(&serde_json::json!({ "current": current, "connections": remembered }));
    }
}

/// The name a new connection gets: the admin's, or the default, made unique with " (2)" …
fn unique_name(typed: &str, connection: &Connection, others: &[Connection]) -> String {
    let base = match typed.is_empty() {
        true => connection.default_name(),
        false => typed.to_string(),
    };
    let taken = |name: &str| others.iter().any(|c| c.name == name);
    (1..)
        .map(|n| match n {
            1 => base.clone(),
            n => format!("{base} ({n})"),
        })
        .find(|name| !taken(name))
        .expect("an unused name")
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The remembered connections and the name of the current one; nothing when none were kept
/// (or what was kept no longer reads).
fn load_remembered() -> (Vec<Connection>, Option<String>) {
    let Some(raw) = session_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
        return (Vec::new(), None);
    };
    let Ok(kept) = serde_json::from_str::<Value>(&raw) else {
        return (Vec::new(), None);
    };
    let connections = kept["connections"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|c| Connection::from_json(c).ok())
                .collect()
        })
        .unwrap_or_default();
    let current = kept["current"].as_str().map(str::to_string);
    (connections, current)
}

fn remember(kept: &Value) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(STORAGE_KEY, &kept.to_string());
    }
}

fn forget() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

// Reading a remembered connection back: the JSON `Serialize` writes, read by hand (see
// `offboard_engine::json` for why).

impl FromJson for Identity {
    fn from_json(value: &Value) -> Read<Self> {
        Ok(Identity {
            user: Fields::of(value)?.opt("user")?,
        })
    }
}

impl FromJson for Connection {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        Ok(Connection {
            name: fields.req("name")?,
            base_url: fields.req("base_url")?,
            credentials: fields.req("credentials")?,
            identity: fields.req("identity")?,
            remembered: fields.req("remembered")?,
            max_in_flight: fields.opt("max_in_flight")?.unwrap_or(DEFAULT_CAP),
        })
    }
}
