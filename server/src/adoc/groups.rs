//! ADOC group memberships: list, assign, remove.
//!
//! Both body forms are accepted: the runbook's `{"groupIds": [...]}` and the vendor spec's
//! `{"data": {"groups": [...]}}`. An unknown group fails the whole call (404, nothing changed);
//! removing a group the user is not in is reported, not an error, so a retry is harmless.

use std::collections::BTreeSet;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::AnyConnection;

use super::find_user;
use crate::audit::{Action, Dialect, Draft};
use crate::auth::Caller;
use crate::error::AppError;
use crate::input;
use crate::routes::Routes;
use crate::rules;
use crate::state::AppState;
use crate::store::access;

pub fn router() -> Routes {
    Routes::new()
        .get("/admin/api/users/{userId}/groups", list)
        .put("/admin/api/users/{userId}/assign-groups", assign)
        .put("/admin/api/users/{userId}/remove-groups", remove)
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> Result<Json<Value>, AppError> {
    caller.require_admin()?;
    let mut conn = app.pool.acquire().await?;
    find_user(&mut conn, &user_id).await?;
    Ok(Json(
        json!({"groups": access::groups_of(&mut conn, &user_id).await?}),
    ))
}

/// Upper bound on ids per call, to keep the `IN (…)` lists reasonable.
const MAX_IDS: usize = 1000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GroupsBody {
    group_ids: Option<Vec<String>>,
    data: Option<GroupsData>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsData {
    groups: Vec<String>,
}

impl GroupsBody {
    /// The group ids of either form: exactly one form, at least one id, duplicates dropped.
    fn parse(body: &[u8]) -> Result<Vec<String>, AppError> {
        let body: GroupsBody = input::json(body)?;
        let ids = match (body.group_ids, body.data) {
            (Some(ids), None) => ids,
            (None, Some(data)) => data.groups,
            (Some(_), Some(_)) => {
                return Err(AppError::BadRequest(
                    "give either groupIds or data.groups, not both".into(),
                ));
            }
            (None, None) => {
                return Err(AppError::BadRequest(
                    "missing groupIds: send {\"groupIds\": [\"group-…\"]}".into(),
                ));
            }
        };
        if ids.is_empty() {
            return Err(AppError::BadRequest(
                "groupIds is empty: name at least one group".into(),
            ));
        }
        if ids.len() > MAX_IDS {
            return Err(AppError::BadRequest(format!(
                "groupIds: at most {MAX_IDS} groups per call"
            )));
        }
        let mut seen = BTreeSet::new();
        Ok(ids
            .into_iter()
            .filter(|id| seen.insert(id.clone()))
            .collect())
    }
}

/// Fails with a 404 naming the ids that are not groups.
async fn require_groups(conn: &mut AnyConnection, ids: &[String]) -> Result<(), AppError> {
    let known = access::existing(conn, ids).await?;
    let unknown: Vec<&str> = ids
        .iter()
        .filter(|id| !known.contains(*id))
        .map(String::as_str)
        .collect();
    match unknown.as_slice() {
        [] => Ok(()),
        [one] => Err(AppError::NotFound(format!(
            "group {one} not found; nothing was changed"
        ))),
        many => Err(AppError::NotFound(format!(
            "groups {} not found; nothing was changed",
            many.join(", ")
        ))),
    }
}

async fn assign(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let draft = Draft::new(&caller, Dialect::Adoc, Action::GroupsAssign).target(&user_id);
    let prepared = caller
        .require_admin()
        .and_then(|()| GroupsBody::parse(&body));
    let result = app.writer.run(draft, prepared, move |conn, draft, ids| {
        Box::pin(async move {
            let target = find_user(conn, &user_id).await?;
            rules::may_change_user(&caller, &target)?;
            require_groups(conn, &ids).await?;
            let before: BTreeSet<String> = access::groups_of(conn, &user_id)
                .await?
                .into_iter()
                .map(|g| g.group_id)
                .collect();
            let (already, added): (Vec<String>, Vec<String>) =
                ids.into_iter().partition(|id| before.contains(id));
            access::add(conn, &user_id, &added).await?;
            draft.note("added", added);
            draft.note("alreadyMember", already);
            Ok(json!({"userId": user_id, "groups": access::groups_of(conn, &user_id).await?}))
        })
    });
    Ok(Json(result.await?))
}

async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let draft = Draft::new(&caller, Dialect::Adoc, Action::GroupsRemove).target(&user_id);
    let prepared = caller
        .require_admin()
        .and_then(|()| GroupsBody::parse(&body));
    let result = app.writer.run(draft, prepared, move |conn, draft, ids| {
        Box::pin(async move {
            let target = find_user(conn, &user_id).await?;
            rules::may_change_user(&caller, &target)?;
            require_groups(conn, &ids).await?;
            let before: BTreeSet<String> = access::groups_of(conn, &user_id)
                .await?
                .into_iter()
                .map(|g| g.group_id)
                .collect();
            let (removed, not_member): (Vec<String>, Vec<String>) =
                ids.into_iter().partition(|id| before.contains(id));
            access::remove(conn, &user_id, &removed).await?;
            draft.note("removed", removed.clone());
            draft.note("notMember", not_member.clone());
            Ok(json!({
                "userId": user_id,
                "groups": access::groups_of(conn, &user_id).await?,
                "removed": removed,
                "notMember": not_member,
            }))
        })
    });
    Ok(Json(result.await?))
}
