//! The ADOC (Acceldata) dialect: `/admin/api/users…`, `/authz/api/v1/users…`,
//! `/torch-pipeline/api/pipelines`. Auth by `accessKey`/`secretKey` headers; errors in Spring's
//! shape. This module holds the wire objects; each submodule owns one group of endpoints.

mod authz;
mod groups;
mod keys;
mod pipelines;
mod users;

use serde::Serialize;
use sqlx::AnyConnection;

use crate::error::AppError;
use crate::routes::Routes;
use crate::store::keys::KeyRow;
use crate::store::users::{Attributes, UserRow};
use crate::store::{access, users as user_store};

pub fn router() -> Routes {
    Routes::new()
        .merge(users::router())
        .merge(keys::router())
        .merge(groups::router())
        .merge(authz::router())
        .merge(pipelines::router())
}

/// ADOC's `User` object.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    user_id: String,
    email: String,
    first_name: String,
    last_name: String,
    enabled: bool,
    scim_managed: bool,
    /// Extension: who manages the user through SCIM.
    identity_provider: Option<String>,
    /// Extension: owner, admin or restricted.
    account_role: &'static str,
    attributes: Attributes,
    groups: Vec<String>,
    roles: Vec<String>,
    created_on: String,
    last_access_on: Option<String>,
}

/// ADOC `User` objects for `rows`, in the same order, with their groups and roles (one query).
pub async fn users_json(
    conn: &mut AnyConnection,
    rows: Vec<UserRow>,
) -> Result<Vec<User>, sqlx::Error> {
    let ids: Vec<String> = rows.iter().map(|row| row.user_id.clone()).collect();
    let mut summaries = access::summaries(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (groups, roles) = summaries.remove(&row.user_id).unwrap_or_default();
            User {
                user_id: row.user_id,
                email: row.email,
                first_name: row.first_name,
                last_name: row.last_name,
                enabled: row.enabled,
                scim_managed: row.scim_managed,
                identity_provider: row.identity_provider,
                account_role: row.account_role.as_str(),
                attributes: row.attributes,
                groups: groups.into_iter().collect(),
                roles: roles.into_iter().collect(),
                created_on: row.created_on,
                last_access_on: row.last_access_on,
            }
        })
        .collect())
}

/// One ADOC `User`.
pub async fn user_json(conn: &mut AnyConnection, row: UserRow) -> Result<User, AppError> {
    users_json(conn, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("a user vanished while being shown".into()))
}

/// ADOC's `ApiKey` object (never a secret).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    access_key: String,
    user_id: String,
    #[serde(rename = "type")]
    key_type: &'static str,
    description: String,
    created_at: String,
    valid_till: Option<String>,
}

impl From<KeyRow> for ApiKey {
    fn from(key: KeyRow) -> Self {
        ApiKey {
            access_key: key.access_key,
            user_id: key.user_id,
            key_type: key.key_type.as_str(),
            description: key.description,
            created_at: key.created_at,
            valid_till: key.valid_till,
        }
    }
}

/// Paging metadata of list responses.
#[derive(Debug, Serialize)]
pub struct Meta {
    page: i64,
    size: i64,
    total: i64,
}

/// The user `user_id`, or a 404 naming it.
pub async fn find_user(conn: &mut AnyConnection, user_id: &str) -> Result<UserRow, AppError> {
    user_store::by_id(conn, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {user_id} not found")))
}
