//! ADOC pipelines: list (optionally by owner email) and change a pipeline's owner, step 6 of the
//! runbook.
//!
//! The update takes the vendor SDK's body `{"pipeline": {"uid": …, "meta": {"owner": …}}}`. The
//! runbook's bare `{"meta": {…}}` names no pipeline, so it gets a 400 that says so rather than
//! a guess at which pipeline was meant.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::audit::{Action, Dialect, Draft};
use crate::auth::Caller;
use crate::error::AppError;
use crate::input;
use crate::routes::Routes;
use crate::state::AppState;
use crate::store::pipelines::{self, Pipeline};
use crate::store::users;

pub fn router() -> Routes {
    Routes::new()
        .get("/torch-pipeline/api/pipelines", list)
        .put("/torch-pipeline/api/pipelines", set_owner)
}

fn pipeline_json(pipeline: Pipeline) -> Value {
    json!({
        "id": pipeline.id,
        "uid": pipeline.uid,
        "name": pipeline.name,
        "description": pipeline.description,
        "meta": {"owner": pipeline.owner_email},
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    owner: Option<String>,
}

async fn list(
    State(app): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    caller.require_admin()?;
    let query: ListQuery = input::query(query.as_deref())?;
    let mut conn = app.pool.acquire().await?;
    let list = pipelines::list(&mut conn, query.owner.as_deref()).await?;
    Ok(Json(
        json!({"pipelines": list.into_iter().map(pipeline_json).collect::<Vec<_>>()}),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerBody {
    pipeline: PipelineRef,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PipelineRef {
    uid: String,
    meta: PipelineMeta,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PipelineMeta {
    owner: String,
}

impl OwnerBody {
    fn parse(body: &[u8]) -> Result<Self, AppError> {
        // Recognise the runbook's form first, to answer it in words rather than "unknown field".
        let value: Value = input::json(body)?;
        if value.is_object() && value.get("pipeline").is_none() {
            return Err(AppError::BadRequest(
                "the body names no pipeline: send {\"pipeline\": {\"uid\": \"<pipeline uid>\", \
                 \"meta\": {\"owner\": \"<email>\"}}}"
                    .into(),
            ));
        }
        let body: OwnerBody = input::json(body)?;
        if body.pipeline.meta.owner.trim().is_empty() {
            return Err(AppError::BadRequest(
                "pipeline.meta.owner must be an email".into(),
            ));
        }
        Ok(body)
    }
}

async fn set_owner(
    State(app): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    let draft = Draft::new(&caller, Dialect::Adoc, Action::PipelineOwner);
    let prepared = caller
        .require_admin()
        .and_then(|()| OwnerBody::parse(&body));
    let result = app.writer.run(draft, prepared, move |conn, draft, body| {
        Box::pin(async move {
            let uid = body.pipeline.uid;
            let new_owner = body.pipeline.meta.owner.trim().to_owned();
            draft.subject = Some(uid.clone());
            let pipeline = pipelines::by_uid(conn, &uid)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("pipeline {uid} not found")))?;
            // The departing owner is the person this change is about.
            draft.target_user_id = users::by_email(conn, &pipeline.owner_email)
                .await?
                .map(|u| u.user_id);
            match users::by_email(conn, &new_owner).await? {
                Some(user) if user.enabled => {}
                Some(_) => {
                    return Err(AppError::BadRequest(format!(
                        "the new owner {new_owner} is disabled: pick an enabled user"
                    )));
                }
                None => {
                    return Err(AppError::BadRequest(format!(
                        "the new owner {new_owner} is not a user"
                    )));
                }
            }
            pipelines::set_owner(conn, &uid, &new_owner).await?;
            draft.note("from", pipeline.owner_email.clone());
            draft.note("to", new_owner.clone());
            Ok(pipeline_json(Pipeline {
                owner_email: new_owner,
                ..pipeline
            }))
        })
    });
    Ok(Json(result.await?))
}
