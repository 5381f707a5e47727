//! The connection to a platform: dialect, base URL, credentials and who they belong to.
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

const STORAGE_KEY: &str = "offboard.connection";

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
}

/// Who is at the controls, as snapshots and reports name them: "Olivia Owner <owner@company.com>".
pub fn operator(connection: &Connection) -> String {
    match &connection.identity.user {
        Some(user) => format!("{} <{}>", user.name, user.email),
        None => connection.identity.describe(),
    }
}

/// The app-wide session: the current connection, if any.
#[derive(Clone, Copy)]
pub struct Session {
    pub connection: RwSignal<Option<Connection>>,
}

impl Session {
    /// Creates the session, restoring a remembered connection from this tab's storage.
    pub fn provide() -> Self {
        let session = Session {
            connection: RwSignal::new(load_remembered()),
        };
        provide_context(session);
        session
    }

    pub fn connect(&self, connection: Connection) {
        if connection.remembered {
            remember(&connection);
        } else {
            forget();
        }
        self.connection.set(Some(connection));
    }

    pub fn sign_out(&self) {
        forget();
        self.connection.set(None);
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn load_remembered() -> Option<Connection> {
    let raw = session_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    Connection::from_json(&serde_json::from_str(&raw).ok()?).ok()
}

fn remember(connection: &Connection) {
    if let (Some(storage), Ok(raw)) = (session_storage(), serde_json::to_string(connection)) {
        let _ = storage.set_item(STORAGE_KEY, &raw);
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
            base_url: fields.req("base_url")?,
            credentials: fields.req("credentials")?,
            identity: fields.req("identity")?,
            remembered: fields.req("remembered")?,
            max_in_flight: fields.opt("max_in_flight")?.unwrap_or(DEFAULT_CAP),
        })
    }
}
