//! ADOC authorization views: a user's roles (with the group granting each) and permissions
//! (with the role granting each). Step 5 of the runbook reads these to verify access is gone.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::find_user;
use crate::auth::Caller;
use crate::error::AppError;
use crate::input;
use crate::routes::Routes;
use crate::state::AppState;
use crate::store::access;

pub fn router() -> Routes {
    Routes::new()
        .get("/authz/api/v1/users/{userId}/roles", roles)
        .get("/authz/api/v1/users/permissions", permissions)
}

async fn roles(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> Result<Json<Value>, AppError> {
    caller.require_admin()?;
    let mut conn = app.pool.acquire().await?;
    find_user(&mut conn, &user_id).await?;
    let roles: Vec<Value> = access::roles_of(&mut conn, &user_id)
        .await?
        .into_iter()
        .map(|grant| {
            json!({
                "id": grant.role_id,
                "name": grant.name,
                "description": grant.description,
                "source": grant.source_group,
            })
        })
        .collect();
    Ok(Json(json!({"roles": roles})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PermissionsQuery {
    user_id: String,
}

async fn permissions(
    State(app): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    caller.require_admin()?;
    let query: PermissionsQuery = input::query(query.as_deref())?;
    let mut conn = app.pool.acquire().await?;
    find_user(&mut conn, &query.user_id).await?;
    let permissions: Vec<Value> = access::permissions_of(&mut conn, &query.user_id)
        .await?
        .into_iter()
        .map(|(permission, role)| json!({"permission": permission, "role": role}))
        .collect();
    Ok(Json(
        json!({"userId": query.user_id, "permissions": permissions}),
    ))
}
