//! ADOC users: who am I, the directory (list, count), one user, its partial update (the
//! runbook's "disable, don't delete"), and removal.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Meta, User, find_user, user_json, users_json};
use crate::audit::{Action, Dialect, Draft};
use crate::auth::Caller;
use crate::clock;
use crate::error::{AppError, to_json};
use crate::input;
use crate::routes::Routes;
use crate::rules;
use crate::state::AppState;
use crate::store::keys;
use crate::store::users::{self, Attributes, Filter};

pub fn router() -> Routes {
    Routes::new()
        .get("/admin/api/users/current", current)
        .get("/admin/api/users/list", list)
        .get("/admin/api/users/count", count)
        .get("/admin/api/users/{userId}", show)
        .put("/admin/api/users/{userId}", update)
        .delete("/admin/api/users/{userId}/remove-user", remove)
}

/// Extension: the caller as a `User` (any master key, restricted users too).
async fn current(State(app): State<AppState>, caller: Caller) -> Result<Json<User>, AppError> {
    caller.require_master()?;
    let mut conn = app.pool.acquire().await?;
    let row = find_user(&mut conn, &caller.user_id).await?;
    Ok(Json(user_json(&mut conn, row).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListQuery {
    first: Option<i64>,
    max: Option<i64>,
    search_string: Option<String>,
    enabled: Option<bool>,
}

#[derive(Debug, Serialize)]
struct UserPage {
    users: Vec<User>,
    meta: Meta,
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<UserPage>, AppError> {
    caller.require_admin()?;
    let query: ListQuery = input::query(query.as_deref())?;
    let first = query.first.unwrap_or(0);
    let max = query.max.unwrap_or(50);
    if first < 0 {
        return Err(AppError::BadRequest("first must be 0 or more".into()));
    }
    if !(1..=1000).contains(&max) {
        return Err(AppError::BadRequest(
            "max must be between 1 and 1000".into(),
        ));
    }
    let filter = Filter {
        search: query.search_string,
        enabled: query.enabled,
    };
    let mut conn = app.pool.acquire().await?;
    let total = users::count(&mut conn, &filter).await?;
    let rows = users::page(&mut conn, &filter, first, max).await?;
    let users = users_json(&mut conn, rows).await?;
    Ok(Json(UserPage {
        users,
        meta: Meta {
            page: first / max,
            size: max,
            total,
        },
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CountQuery {
    search_string: Option<String>,
    /// Not in the ADOC spec; accepted so a count can match a filtered list.
    enabled: Option<bool>,
}

async fn count(
    State(app): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    caller.require_admin()?;
    let query: CountQuery = input::query(query.as_deref())?;
    let filter = Filter {
        search: query.search_string,
        enabled: query.enabled,
    };
    let mut conn = app.pool.acquire().await?;
    Ok(Json(
        json!({"count": users::count(&mut conn, &filter).await?}),
    ))
}

async fn show(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> Result<Json<User>, AppError> {
    caller.require_admin()?;
    let mut conn = app.pool.acquire().await?;
    let row = find_user(&mut conn, &user_id).await?;
    Ok(Json(user_json(&mut conn, row).await?))
}

/// The body of `PUT /admin/api/users/{userId}`. `attributes` replaces the whole map (as
/// Keycloak does), so a client that wants to keep other attributes merges them itself.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UserPatch {
    enabled: Option<bool>,
    attributes: Option<Attributes>,
    first_name: Option<String>,
    last_name: Option<String>,
}

impl UserPatch {
    fn parse(body: &[u8]) -> Result<Self, AppError> {
        let patch: UserPatch = input::json(body)?;
        if patch.enabled.is_none()
            && patch.attributes.is_none()
            && patch.first_name.is_none()
            && patch.last_name.is_none()
        {
            return Err(AppError::BadRequest(
                "the update is empty: give at least one of enabled, attributes, firstName, lastName".into(),
            ));
        }
        for (field, value) in [
            ("firstName", &patch.first_name),
            ("lastName", &patch.last_name),
        ] {
            // Characters, as the message (and openapi.json's maxLength) say, not UTF-8 bytes.
            if value
                .as_deref()
                .is_some_and(|v| v.trim().is_empty() || v.chars().count() > 200)
            {
                return Err(AppError::BadRequest(format!(
                    "{field} must be 1 to 200 characters"
                )));
            }
        }
        Ok(patch)
    }
}

/// Records `field` changing from `before` to `after`, if it does.
fn note_change(changes: &mut Map<String, Value>, field: &str, before: Value, after: Value) {
    if before != after {
        changes.insert(field.to_owned(), json!({"from": before, "to": after}));
    }
}

async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let draft = Draft::new(&caller, Dialect::Adoc, Action::UserUpdate).target(&user_id);
    let prepared = caller
        .require_admin()
        .and_then(|()| UserPatch::parse(&body));
    let result = app.writer.run(draft, prepared, move |conn, draft, patch| {
        Box::pin(async move {
            let before = find_user(conn, &user_id).await?;
            rules::may_change_user(&caller, &before)?;
            let mut after = before.clone();
            if let Some(enabled) = patch.enabled {
                after.enabled = enabled;
            }
            if let Some(attributes) = patch.attributes {
                after.attributes = attributes;
            }
            if let Some(first) = patch.first_name {
                after.first_name = first.trim().to_owned();
            }
            if let Some(last) = patch.last_name {
                after.last_name = last.trim().to_owned();
            }
            after.updated_on = clock::now();
            users::update(conn, &after).await?;
            let mut changes = Map::new();
            note_change(
                &mut changes,
                "enabled",
                json!(before.enabled),
                json!(after.enabled),
            );
            note_change(
                &mut changes,
                "attributes",
                json!(before.attributes),
                json!(after.attributes),
            );
            note_change(
                &mut changes,
                "firstName",
                json!(before.first_name),
                json!(after.first_name),
            );
            note_change(
                &mut changes,
                "lastName",
                json!(before.last_name),
                json!(after.last_name),
            );
            draft.note("changes", changes);
            to_json(&user_json(conn, after).await?)
        })
    });
    Ok(Json(result.await?))
}

/// Deletes the user, their keys and memberships. Pipelines keep their owner email.
async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let draft = Draft::new(&caller, Dialect::Adoc, Action::UserRemove).target(&user_id);
    let prepared = caller.require_admin();
    let result = app.writer.run(draft, prepared, move |conn, draft, ()| {
        Box::pin(async move {
            let target = find_user(conn, &user_id).await?;
            rules::may_change_user(&caller, &target)?;
            let deleted = keys::delete_all_of(conn, &user_id).await?;
            users::delete(conn, &user_id).await?;
            draft.subject = Some(target.email.clone());
            draft.note("email", target.email);
            draft.note("apiKeys", "delete");
            draft.note("deletedKeys", deleted);
            Ok(json!({"userId": user_id, "removed": true}))
        })
    });
    Ok(Json(result.await?))
}
