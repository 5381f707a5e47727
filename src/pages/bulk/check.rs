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
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use std::collections::BTreeMap;

/// How many people are looked up at once.
const LOOKUPS_AT_ONCE: usize = 6;

/// Every row on every platform; an error names the platform that could not be asked.
pub async fn check_everywhere(
    connections: &[Connection],
    rows: &[BulkRow],
) -> Result<Vec<PlatformLine>, (String, ApiError)> {
    let checked = join_all(connections.iter().map(|c| check(c, rows))).await;
    let per_platform = connections
        .iter()
        .zip(checked)
        .map(|(connection, previews)| previews.map_err(|e| (connection.name.clone(), e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(bulk::across_platforms(per_platform))
}

/// The rows previewed on one platform; an error when the platform could not be asked about someone (a missing
/// person is a flag on their row, not an error).
pub async fn check(connection: &Connection, rows: &[BulkRow]) -> Result<Vec<RowPreview>, ApiError> {
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
    Ok(bulk::preview_found(rows, &found, &checks))
}
