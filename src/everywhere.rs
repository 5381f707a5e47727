//! One person on every connected platform: read on all of them at once, and matched by email
//! where an id is one platform's own.

use crate::components::no_such_person::is_missing;
use crate::pages::emergency::read_inventory;
use crate::session::Connection;
use futures::future::join_all;
use offboard_engine::error::ApiError;
use offboard_engine::run::plan::Inventory;

/// What one platform holds of the person: their account with its keys and groups, or why not.
#[derive(Clone)]
pub struct Found {
    pub connection: Connection,
    pub read: Result<Inventory, ApiError>,
}

/// Reads the person on every platform concurrently. Where the reference (an id is a platform's
/// own) finds no one but another platform found the person, that platform's email is tried too.
pub async fn read(connections: Vec<Connection>, who: String) -> Vec<Found> {
    let first = join_all(
        connections
            .iter()
            .map(|connection| read_inventory(connection.clone(), who.clone())),
    )
    .await;
    let email = first
        .iter()
        .flatten()
        .map(|inventory| inventory.user.email.clone())
        .find(|email| !email.is_empty() && !email.eq_ignore_ascii_case(who.trim()));
    let reads = connections.iter().zip(first).map(|(connection, read)| {
        let (connection, email) = (connection.clone(), email.clone());
        async move {
            match (read, email) {
                (Err(error), Some(email)) if is_missing(&error) => {
                    read_inventory(connection, email).await
                }
                (read, _) => read,
            }
        }
    });
    let reads = join_all(reads).await;
    connections
        .into_iter()
        .zip(reads)
        .map(|(connection, read)| Found { connection, read })
        .collect()
}
