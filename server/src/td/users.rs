//! TD users: show the caller, list everyone, and remove a user, deleting or reassigning their
//! API keys (the extension that does what TD's console "Reassign API Keys" option does).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{User, find_user};
use crate::audit::{Action, Dialect, Draft};
use crate::auth::Caller;
use crate::error::AppError;
use crate::input;
use crate::routes::Routes;
use crate::rules;
use crate::state::AppState;
use crate::store::{keys, users};

pub fn router() -> Routes {
    Routes::new()
        .get("/v3/user/show", show)
        .get("/v3/user/list", list)
        .post("/v3/user/remove/{email}", remove)
}

async fn show(State(app): State<AppState>, caller: Caller) -> Result<Json<User>, AppError> {
    caller.require_master()?;
    let mut conn = app.pool.acquire().await?;
    Ok(Json(User::from(find_user(&mut conn, &caller.email).await?)))
}

async fn list(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, AppError> {
    caller.require_admin()?;
    let mut conn = app.pool.acquire().await?;
    let all: Vec<User> = users::all(&mut conn)
        .await?
        .into_iter()
        .map(User::from)
        .collect();
    Ok(Json(json!({"users": all})))
}

/// What happens to the removed user's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum KeysChoice {
    Delete,
    Reassign,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveForm {
    api_keys: Option<KeysChoice>,
    reassign_to: Option<String>,
}

impl RemoveForm {
    fn parse(query: Option<&str>, body: &[u8]) -> Result<(KeysChoice, Option<String>), AppError> {
        let form: RemoveForm = input::form(query, body)?;
        let choice = form.api_keys.unwrap_or(KeysChoice::Delete);
        if choice == KeysChoice::Delete && form.reassign_to.is_some() {
            // Refuse rather than silently delete keys the caller meant to keep.
            return Err(AppError::BadRequest(
                "reassign_to needs api_keys=reassign (the default, api_keys=delete, deletes the keys)".into(),
            ));
        }
        Ok((choice, form.reassign_to))
    }
}

async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let draft = Draft::new(&caller, Dialect::Td, Action::UserRemove).subject(&email);
    let prepared = caller
        .require_admin()
        .and_then(|()| RemoveForm::parse(query.as_deref(), &body));
    let result = app.writer.run(draft, prepared, move |conn, draft, (choice, reassign_to)| {
        Box::pin(async move {
            let target = find_user(conn, &email).await?;
            draft.target_user_id = Some(target.user_id.clone());
            rules::may_change_user(&caller, &target)?;
            match choice {
                KeysChoice::Delete => {
                    let deleted = keys::delete_all_of(conn, &target.user_id).await?;
                    draft.note("apiKeys", "delete");
                    draft.note("deletedKeys", deleted);
                }
                KeysChoice::Reassign => {
                    let heir = match &reassign_to {
                        Some(heir_email) => users::by_email(conn, heir_email).await?.ok_or_else(|| {
                            AppError::BadRequest(format!("reassign_to: {heir_email} is not a user"))
                        })?,
                        None => users::owner(conn)
                            .await?
                            .ok_or_else(|| AppError::BadRequest("there is no account owner to reassign the keys to".into()))?,
                    };
                    if heir.user_id == target.user_id {
                        return Err(AppError::BadRequest(
                            "reassign_to: the keys cannot be reassigned to the user being removed".into(),
                        ));
                    }
                    let moved = keys::reassign_all(conn, &target.user_id, &heir.user_id).await?;
                    draft.note("apiKeys", "reassign");
                    draft.note("reassignedTo", heir.user_id);
                    draft.note("reassignedKeys", moved);
                }
            }
            users::delete(conn, &target.user_id).await?;
            Ok(json!({"user": target.email}))
        })
    });
    Ok(Json(result.await?))
}
