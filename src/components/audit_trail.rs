//! The platform's own audit log for one person, with its hash chain checked here, in the
//! browser, from the first event to the head the platform names: the console does not take
//! the platform's word that its log is intact. Shown on the user page and under a run's report;
//! a platform without the endpoint gets a plain note instead.

use crate::api;
use crate::components::awaited::Awaited;
use crate::digest::sha256_hex;
use crate::loaded::Loaded;
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::audit::{self, AuditEvent, ChainCheck};
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The log is read whole to check its chain; beyond this many pages (of 1,000 events) the
/// check stops and says so.
const MAX_PAGES: usize = 20;

/// What reading the log found.
#[derive(Debug, Clone)]
enum Trail {
    /// The platform has no such endpoint (404).
    NotOffered,
    Read {
        chain: ChainCheck,
        /// The hash of the last event, as the platform names it.
        server_head: String,
        /// Whether the browser could hash at all (Web Crypto needs HTTPS or this machine).
        checked: bool,
        /// The log is longer than what was read.
        capped: bool,
        /// The events about the person, oldest first.
        events: Vec<AuditEvent>,
    },
}

/// The audit log of `person`; `during` marks the events of one run (RFC 3339 start and end).
#[component]
pub fn AuditTrail(
    connection: Connection,
    person: User,
    #[prop(optional)] during: Option<(String, String)>,
) -> impl IntoView {
    let again = RwSignal::new(0_u32);
    let read = Loaded::new(move || {
        again.track();
        read_trail(connection.clone(), person.clone())
    });
    let shown =
        move |trail: Trail| view! { <TrailView trail=trail during=during.clone() again=again /> };
    view! {
        <section class="card section audit-trail" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit log"</h2>
            <Awaited read=read loading="Reading the platform's audit log and checking its chain…" ready=shown />
        </section>
    }
}

#[component]
fn TrailView(
    trail: Trail,
    during: Option<(String, String)>,
    again: RwSignal<u32>,
) -> impl IntoView {
    let Trail::Read {
        chain,
        server_head,
        checked,
        capped,
        events,
    } = trail
    else {
        return view! {
            <p class="muted">"This platform offers no audit log Offboard can read; its own console's audit log is the place to look."</p>
        }
        .into_any();
    };
    let verdict = match (&chain.broken, checked, capped) {
        (Some((seq, why)), _, _) => view! {
            <p class="notice notice-error" role="alert">{format!("The log's chain is broken at event {seq}: {why}. The log may have been altered: report this to the platform's owner.")}</p>
        }.into_any(),
        (None, false, _) => view! {
            <p class="notice notice-warn">"The chain could not be checked here: the browser computes SHA-256 only on a page served over HTTPS or from this machine."</p>
        }.into_any(),
        (None, true, true) => view! {
            <p class="notice notice-warn">{format!("The first {} events link up, but the log is longer than this page reads; check the rest with offboard-server audit verify.", chain.events)}</p>
        }.into_any(),
        (None, true, false) if chain.holds(&server_head) => view! {
            <p class="notice notice-ok" role="status">{format!("Chain verified here: all {} events link up, from the first to the head the platform names ({}…).", chain.events, &server_head[..server_head.len().min(12)])}</p>
        }.into_any(),
        (None, true, false) => view! {
            <p class="notice notice-error" role="alert">"The platform names a head the events read do not reach: events are missing from the log."</p>
        }.into_any(),
    };
    let within = |event: &AuditEvent| {
        during
            .as_ref()
            .is_some_and(|(from, to)| event.at[..] >= from[..] && event.at[..] <= to[..])
    };
    let in_run = events.iter().filter(|e| within(e)).count();
    let count = match (&during, events.len()) {
        (_, 0) => "No event about this person in the log.".to_string(),
        (Some(_), n) => {
            format!("{n} events about this person, {in_run} of them during this run (marked).")
        }
        (None, n) => format!("{n} events about this person, oldest first."),
    };
    let rows = events
        .iter()
        .map(|event| {
            let marked = within(event);
            let time = event.at.replace('T', " ").replace('Z', "");
            view! {
                <tr class:in-run=marked>
                    <td class="nowrap">{time}</td>
                    <td>{event.describe()}</td>
                    <td>{format!("{} ({})", event.outcome, event.status)}</td>
                    <td>{event.actor_user_id.clone()}</td>
                    <td class="num">{event.seq}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {verdict}
        <p class="muted">{count}</p>
        {(!events.is_empty()).then(|| view! {
            <div class="timeline-scroll" role="region" aria-label="Audit events" tabindex="0">
                <table class="compact">
                    <thead><tr>
                        <th scope="col">"Time (UTC)"</th><th scope="col">"Event"</th><th scope="col">"Outcome"</th>
                        <th scope="col">"By"</th><th scope="col">"#"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })}
        <button type="button" class="quiet no-print" on:click=move |_| again.update(|v| *v += 1)>"Check the log again"</button>
    }
    .into_any()
}

/// The log as far as it has been read and checked on one platform: a later read (another
/// person's page, "Check the log again") asks only for the events after it.
#[derive(Debug, Clone, Default)]
struct Checked {
    chain: ChainCheck,
    /// Every event read, in order (the chain's head is the last one's hash).
    events: Vec<AuditEvent>,
    /// The browser hashed them all (Web Crypto was there).
    hashed: bool,
}

thread_local! {
    /// Each platform's log as checked so far, by base URL (memory only, like the connection).
    static CHECKED: RefCell<BTreeMap<String, Checked>> = const { RefCell::new(BTreeMap::new()) };
}

/// The person's events, the log checked from where the last read left it; from the first
/// event again when the log no longer continues that one (the platform's store was replaced).
async fn read_trail(connection: Connection, person: User) -> Result<Trail, ApiError> {
    let client = api::client(&connection);
    let key = connection.base_url.clone();
    let earlier = CHECKED.with_borrow(|checked| checked.get(&key).cloned());
    let mut read = match extend(&client, earlier.clone().unwrap_or_default()).await? {
        Some(read) => read,
        None => return Ok(Trail::NotOffered),
    };
    let (checked, server_head, _) = &read;
    if earlier.is_some() && !checked.chain.holds(server_head) {
        read = match extend(&client, Checked::default()).await? {
            Some(read) => read,
            None => return Ok(Trail::NotOffered),
        };
    }
    let (checked, server_head, capped) = read;
    if !capped && checked.hashed {
        CHECKED.with_borrow_mut(|all| all.insert(key, checked.clone()));
    }
    Ok(Trail::Read {
        events: checked
            .events
            .iter()
            .filter(|event| event.concerns(&person))
            .cloned()
            .collect(),
        chain: checked.chain,
        server_head,
        checked: checked.hashed,
        capped,
    })
}

/// Reads the log's pages after what `checked` holds, checking each event's hash and link;
/// with the head the platform names and whether the page limit stopped it. `None`: the
/// platform has no such log.
async fn extend(
    client: &api::Api,
    mut checked: Checked,
) -> Result<Option<(Checked, String, bool)>, ApiError> {
    if checked.events.is_empty() {
        checked.hashed = true;
    }
    for _ in 0..MAX_PAGES {
        let after = checked.events.last().map_or(0, |last| last.seq);
        let value = match client.value(&audit::events_page(after)).await {
            Err(ApiError::NotFound { .. }) => return Ok(None),
            read => read?,
        };
        let (page, server_head) = audit::parse_page(&value)?;
        let full = page.len() as u64 == audit::PAGE;
        for event in page {
            match sha256_hex(&event.hash_input()).await {
                Some(hash) => checked.chain.link(&event, &hash),
                None => checked.hashed = false,
            }
            checked.events.push(event);
        }
        if !full {
            return Ok(Some((checked, server_head, false)));
        }
    }
    let head = checked.chain.head.clone();
    Ok(Some((checked, head, true)))
}
