//! The person a link to the emergency screen names, read while Connect checks the credentials:
//! on a phone's slow network that is one round trip less between pressing Connect and "Lock out
//! now" (the check and the person's reads overlap instead of following each other).
//!
//! It only reads, with the credentials being checked, and it is used once: by the lockout page
//! of the same person on the same connection, within a minute. A failed Connect discards it.

use super::lockout::{Read, load};
use crate::api;
use crate::session::Connection;
use futures::FutureExt;
use futures::future::Shared;
use leptos::task::spawn_local;
use std::cell::RefCell;

/// How long a read made at Connect stands for the page that follows it.
const FRESH_MS: f64 = 60_000.0;

struct Prefetch {
    connection: Connection,
    who: String,
    read: Shared<Read>,
    started_ms: f64,
}

thread_local! {
    static PREFETCH: RefCell<Option<Prefetch>> = const { RefCell::new(None) };
}

/// Starts reading `who` on `connection` (the credentials Connect is checking).
pub fn start(connection: &Connection, who: &str) {
    let read = load(connection.clone(), who.to_string()).shared();
    // Driven from now on, not from when the page asks: that is the point.
    spawn_local(read.clone().map(drop));
    PREFETCH.set(Some(Prefetch {
        connection: connection.clone(),
        who: who.to_string(),
        read,
        started_ms: api::now_ms(),
    }));
}

/// Drops a read started for credentials that turned out not to connect.
pub fn forget() {
    PREFETCH.set(None);
}

/// The read started at Connect for `who` on `connection`, if there is a fresh one; taken, so a
/// later reload of the page reads afresh.
pub fn take(connection: &Connection, who: &str) -> Option<Shared<Read>> {
    let prefetch = PREFETCH.take()?;
    let same = prefetch.who == who
        && prefetch.connection.base_url == connection.base_url
        && prefetch.connection.credentials == connection.credentials
        && api::now_ms() - prefetch.started_ms < FRESH_MS;
    same.then_some(prefetch.read)
}
