//! The TD (Treasure Data) dialect under `/v3/`: `Authorization: TD1 <key>`, form fields, errors
//! as `{error, message, status_code}`. This module holds the wire objects; the submodules own
//! the endpoints.
//!
//! TD has no "disabled" state: a user exists or not, so TD lists every stored user.

mod keys;
mod users;

use serde::Serialize;
use sqlx::AnyConnection;

use crate::error::AppError;
use crate::routes::Routes;
use crate::store::keys::KeyRow;
use crate::store::users::{self as user_store, UserRow};

pub fn router() -> Routes {
    Routes::new().merge(users::router()).merge(keys::router())
}

/// TD's user object.
#[derive(Debug, Serialize)]
pub struct User {
    id: i64,
    email: String,
    name: String,
    first_name: String,
    last_name: String,
    account_owner: bool,
    /// True for admins and the owner (the owner administers too).
    administrator: bool,
    created_at: String,
    updated_at: String,
    /// Extension (TD's own API has no such field): the account is owned by an identity
    /// provider through SCIM, so removing it here is refused.
    scim_managed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity_provider: Option<String>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.td_id,
            name: format!("{} {}", row.first_name, row.last_name),
            email: row.email,
            first_name: row.first_name,
            last_name: row.last_name,
            account_owner: row.account_role == offboard_engine::policy::AccountRole::Owner,
            administrator: row.account_role.is_administrator(),
            created_at: row.created_on,
            updated_at: row.updated_on,
            scim_managed: row.scim_managed,
            identity_provider: row.identity_provider,
        }
    }
}

/// TD's key listing entry: the public id, never the key itself (TD lists whole keys).
#[derive(Debug, Serialize)]
pub struct Key {
    id: String,
    #[serde(rename = "type")]
    key_type: &'static str,
    created_at: String,
}

impl From<KeyRow> for Key {
    fn from(key: KeyRow) -> Self {
        Key {
            id: key.access_key,
            key_type: key.key_type.td_str(),
            created_at: key.created_at,
        }
    }
}

/// The user with `email`, or a 404 naming it.
pub async fn find_user(conn: &mut AnyConnection, email: &str) -> Result<UserRow, AppError> {
    user_store::by_email(conn, email)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {email} not found")))
}
