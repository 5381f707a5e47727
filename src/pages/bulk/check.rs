//! Checking a bulk file against the platform before anything runs: every person and every
//! replacement or keys' heir the rows name is looked up (a few at a time), then the engine
//! flags the rows that must not run (`bulk::preview`).

use crate::api;
use crate::session::Connection;
use futures::StreamExt;
use offboard_engine::bulk::{self, BulkRow, Checks, RowPreview};
use offboard_engine::dialect::KeyDisposal;
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use std::collections::{BTreeMap, BTreeSet};

/// How many people are looked up at once.
const LOOKUPS_AT_ONCE: usize = 6;

/// The rows previewed; an error when the platform could not be asked about someone (a missing
/// person is a flag on their row, not an error).
pub async fn check(connection: &Connection, rows: &[BulkRow]) -> Result<Vec<RowPreview>, ApiError> {
    let named: BTreeSet<String> = rows
        .iter()
        .flat_map(|row| {
            let heir = match &row.keys {
                KeyDisposal::Reassign(Some(heir)) => Some(heir.clone()),
                _ => None,
            };
            [Some(row.who.clone()), row.handed_off_to.clone(), heir]
        })
        .flatten()
        .filter(|who| !who.is_empty())
        .collect();
    let client = api::client(connection);
    let platform = offboard_engine::platform::Platform::new(&client, connection.dialect());
    let lookups = named.into_iter().map(|who| {
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
    let people: Vec<Option<User>> = rows
        .iter()
        .map(|row| found.get(&row.who).cloned().flatten())
        .collect();
    let checks = Checks {
        actor: connection.identity.user.as_ref(),
        reassigns_keys: connection.dialect().api().reassigns_keys(),
        accept_escalation: false,
    };
    let lookup = |email: &str| found.get(email).cloned().flatten();
    Ok(bulk::preview(rows, &people, lookup, &checks))
}
