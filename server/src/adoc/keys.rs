//! ADOC API keys: list a user's keys, create one (extension), revoke one.
//!
//! Revoking someone else's key is a change under the policy; revoking one's own is allowed.
//! Keys of SCIM-managed users can be revoked: the identity provider does not manage keys.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{ApiKey, Meta, find_user};
use crate::audit::{Action, Dialect, Draft};
use crate::auth::{self, Caller};
use crate::clock;
use crate::error::{AppError, to_json};
use crate::input;
use crate::routes::Routes;
use crate::rules;
use crate::state::AppState;
use crate::store::keys::{self, KeyRow, KeyType};

pub fn router() -> Routes {
    Routes::new()
        .get("/admin/api/users/{userId}/api-keys", list)
        .post("/admin/api/users/{userId}/api-keys", create)
        .delete("/admin/api/users/api-keys/{accessKey}", revoke)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    page: Option<i64>,
    size: Option<i64>,
}

#[derive(Debug, Serialize)]
struct KeyPage {
    data: Vec<ApiKey>,
    meta: Meta,
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<KeyPage>, AppError> {
    caller.require_admin()?;
    let query: PageQuery = input::query(query.as_deref())?;
    let page = query.page.unwrap_or(0);
    let size = query.size.unwrap_or(20);
    if page < 0 {
        return Err(AppError::BadRequest("page must be 0 or more".into()));
    }
    if !(1..=100).contains(&size) {
        return Err(AppError::BadRequest(
            "size must be between 1 and 100".into(),
        ));
    }
    let mut conn = app.pool.acquire().await?;
    find_user(&mut conn, &user_id).await?;
    let total = keys::count_of(&mut conn, &user_id).await?;
    let offset = page.saturating_mul(size);
    let data = keys::page_of(&mut conn, &user_id, offset, size).await?;
    Ok(Json(KeyPage {
        data: data.into_iter().map(ApiKey::from).collect(),
        meta: Meta { page, size, total },
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewKey {
    #[serde(rename = "type")]
    key_type: KeyType,
    description: Option<String>,
}

/// The one response that carries a secret: the key just created.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreatedKey {
    #[serde(flatten)]
    key: ApiKey,
    secret_key: String,
}

/// Extension: creates a key for the caller, or (administrators) for a user they may change.
async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let draft = Draft::new(&caller, Dialect::Adoc, Action::ApiKeyCreate)
        .target(&user_id)
        .ok_status(201);
    let prepared = caller
        .require_admin()
        .and_then(|()| input::json::<NewKey>(&body));
    let result = app.writer.run(draft, prepared, move |conn, draft, new| {
        Box::pin(async move {
            let target = find_user(conn, &user_id).await?;
            if target.user_id != caller.user_id {
                rules::may_change_access(&caller, &target)?;
            }
            let secret = auth::new_secret(None);
            let key = KeyRow {
                access_key: auth::new_access_key(),
                user_id: target.user_id,
                key_type: new.key_type,
                description: new.description.unwrap_or_default(),
                created_at: clock::now(),
                valid_till: None,
            };
            keys::insert(conn, &key, &auth::hash_secret(&secret)).await?;
            draft.subject = Some(key.access_key.clone());
            draft.note("type", key.key_type.as_str());
            to_json(&CreatedKey {
                key: ApiKey::from(key),
                secret_key: secret,
            })
        })
    });
    Ok((StatusCode::CREATED, Json(result.await?)))
}

async fn revoke(
    State(app): State<AppState>,
    caller: Caller,
    Path(access_key): Path<String>,
) -> Result<Json<Value>, AppError> {
    let draft = Draft::new(&caller, Dialect::Adoc, Action::ApiKeyDelete).subject(&access_key);
    let prepared = caller.require_admin();
    let result = app.writer.run(draft, prepared, move |conn, draft, ()| {
        Box::pin(async move {
            let key = keys::by_access_key(conn, &access_key)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("API key {access_key} not found")))?;
            draft.target_user_id = Some(key.user_id.clone());
            if key.user_id != caller.user_id {
                let owner = find_user(conn, &key.user_id).await?;
                rules::may_change_access(&caller, &owner)?;
            }
            keys::delete(conn, &access_key).await?;
            draft.note("type", key.key_type.as_str());
            Ok(json!({"accessKey": access_key, "userId": key.user_id, "deleted": true}))
        })
    });
    Ok(Json(result.await?))
}
