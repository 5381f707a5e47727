//! Checking a bulk file against every connected platform before anything runs: on each
//! platform (all at once), every person and every replacement or keys' heir the rows name is
//! looked up (a few at a time), then the engine flags the rows that must not run there
//! (`bulk::preview`) and lays them out one line per person and platform
//! (`bulk::across_platforms`).

use crate::api;
use crate::session::Connection;
use futures::StreamExt;
use futures::future::join_all;
use offboard_engine::bulk::{self, BulkRow, Checks, PlatformLine, RowPreview};
use offboard_engine::congestion::Protocol;
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use std::collections::BTreeMap;

/// How many people are looked up at once.
const LOOKUPS_AT_ONCE: usize = 6;

/// How many people the run offboards at once on one platform: three over HTTP/1.1, whose six
/// connections three people's runs already keep busy; over HTTP/2 a quarter of the admin's
/// cap on calls in flight (a lockout has up to a few calls in flight at once), so the window
/// the platform allows is filled rather than walked through three people at a time.
pub fn people_at_once(protocol: Option<Protocol>, cap: usize) -> usize {
    match protocol {
        Some(protocol) if protocol.multiplexes() => (cap / 4).clamp(3, 32),
        _ => 3,
    }
}

/// A file checked on every platform: its lines, and how many people may run at once on each
/// platform (see [`people_at_once`]).
#[derive(Clone)]
pub struct Checked {
    pub lines: Vec<PlatformLine>,
    pub at_once: Vec<usize>,
}

/// Every row on every platform; an error names the platform that could not be asked.
pub async fn check_everywhere(
    connections: &[Connection],
    rows: &[BulkRow],
) -> Result<Checked, (String, ApiError)> {
    let checked = join_all(connections.iter().map(|c| check(c, rows))).await;
    let mut per_platform = Vec::new();
    let mut at_once = Vec::new();
    for (connection, answer) in connections.iter().zip(checked) {
        let (previews, protocol) = answer.map_err(|e| (connection.name.clone(), e))?;
        per_platform.push(previews);
        at_once.push(people_at_once(protocol, connection.max_in_flight));
    }
    Ok(Checked {
        lines: bulk::across_platforms(per_platform),
        at_once,
    })
}

/// The rows previewed on one platform; an error when the platform could not be asked about someone (a missing
/// person is a flag on their row, not an error).
/// With the protocol the platform answered over, once the browser said.
pub async fn check(
    connection: &Connection,
    rows: &[BulkRow],
) -> Result<(Vec<RowPreview>, Option<Protocol>), ApiError> {
    let client = api::client(connection);
    let platform = offboard_engine::platform::Platform::new(&client, connection.dialect());
    let lookups = bulk::named(rows).into_iter().map(|who| {
        let platform = &platform;
        async move {
            match platform.find_user(&who).await {
                Ok(user) => Ok((who, Some(user))),
                Err(ApiError::NotFound { .. }) => Ok((who, None)),
                Err(error) => Err(error),
            }
        }
    });
    let found: BTreeMap<String, Option<User>> = futures::stream::iter(lookups)
        .buffer_unordered(LOOKUPS_AT_ONCE)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let checks = Checks {
        actor: connection.identity.user.as_ref(),
        reassigns_keys: connection.dialect().api().reassigns_keys(),
        accept_escalation: false,
    };
    let protocol = client.concurrency().protocol;
    Ok((bulk::preview_found(rows, &found, &checks), protocol))
}
