//! TD API keys: list, add and remove a user's keys.
//!
//! Users manage their own keys; administrators manage the keys of users they may change (the
//! shared policy). Listings show public ids only; `add` is the one response with a whole key.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Key, find_user};
use crate::audit::{Action, Dialect, Draft};
use crate::auth::{self, Caller};
use crate::clock;
use crate::error::AppError;
use crate::input;
use crate::routes::Routes;
use crate::rules;
use crate::state::AppState;
use crate::store::keys::{self, KeyRow, KeyType};
use crate::store::users::UserRow;

pub fn router() -> Routes {
    Routes::new()
        .get("/v3/user/apikey/list/{email}", list)
        .post("/v3/user/apikey/add/{email}", add)
        .post("/v3/user/apikey/remove/{email}", remove)
}

/// Oneself, or (administrators) a user one may change.
fn may_manage_keys_of(caller: &Caller, target: &UserRow) -> Result<(), AppError> {
    if target.user_id == caller.user_id {
        return Ok(());
    }
    caller.require_admin()?;
    rules::may_change_access(caller, target)
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> Result<Json<Value>, AppError> {
    caller.require_master()?;
    if email != caller.email {
        caller.require_admin()?;
    }
    let mut conn = app.pool.acquire().await?;
    let target = find_user(&mut conn, &email).await?;
    let list: Vec<Key> = keys::all_of(&mut conn, &target.user_id)
        .await?
        .into_iter()
        .map(Key::from)
        .collect();
    Ok(Json(json!({"apikeys": list})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddForm {
    #[serde(rename = "type")]
    key_type: Option<KeyType>,
}

async fn add(
    State(app): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let mut draft = Draft::new(&caller, Dialect::Td, Action::ApiKeyCreate);
    draft.note("email", email.clone());
    let prepared = caller
        .require_master()
        .and_then(|()| input::form::<AddForm>(query.as_deref(), &body));
    let result = app.writer.run(draft, prepared, move |conn, draft, form| {
        Box::pin(async move {
            let target = find_user(conn, &email).await?;
            draft.target_user_id = Some(target.user_id.clone());
            may_manage_keys_of(&caller, &target)?;
            let secret = auth::new_secret(Some(target.td_id));
            let key = KeyRow {
                access_key: auth::new_access_key(),
                user_id: target.user_id,
                key_type: form.key_type.unwrap_or(KeyType::Master),
                description: String::new(),
                created_at: clock::now(),
                valid_till: None,
            };
            keys::insert(conn, &key, &auth::hash_secret(&secret)).await?;
            draft.subject = Some(key.access_key.clone());
            draft.note("type", key.key_type.as_str());
            Ok(json!({"apikey": secret, "id": key.access_key, "type": key.key_type.td_str()}))
        })
    });
    Ok(Json(result.await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveForm {
    apikey: String,
}

async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let mut draft = Draft::new(&caller, Dialect::Td, Action::ApiKeyDelete);
    draft.note("email", email.clone());
    let prepared = caller
        .require_master()
        .and_then(|()| input::form::<RemoveForm>(query.as_deref(), &body));
    let result = app.writer.run(draft, prepared, move |conn, draft, form| {
        Box::pin(async move {
            let target = find_user(conn, &email).await?;
            draft.target_user_id = Some(target.user_id.clone());
            may_manage_keys_of(&caller, &target)?;
            let given = form.apikey.trim().to_owned();
            // `apikey` may be a whole key, i.e. a secret: never echo it in messages or the log.
            let key = keys::of_user_by_id_or_secret(
                conn,
                &target.user_id,
                &given,
                &auth::hash_secret(&given),
            )
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no such API key for {email}")))?;
            keys::delete(conn, &key.access_key).await?;
            draft.subject = Some(key.access_key.clone());
            draft.note("type", key.key_type.as_str());
            Ok(json!({"user": target.email, "apikey": key.access_key}))
        })
    });
    Ok(Json(result.await?))
}
