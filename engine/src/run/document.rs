//! The wizard's first step: read the person's whole access (in parallel, each read recorded)
//! and keep it as the run's snapshot.

use super::execute::Runner;
use crate::error::ApiError;
use crate::http::{Clock, Request, Transport};
use crate::snapshot::{Provenance, Section, Snapshot};
use crate::time::rfc3339;
use serde_json::Value;

pub async fn take<T: Transport, C: Clock>(
    runner: &Runner<'_, T, C>,
    step: usize,
) -> Result<Snapshot, ApiError> {
    let (target, operator, endpoint) = {
        let journal = runner.journal().borrow();
        (
            journal.plan.target.clone(),
            journal.operator.clone(),
            journal.endpoint.clone(),
        )
    };
    let api = runner.api();
    let provenance = Provenance {
        taken_at: rfc3339(runner.now_ms()),
        taken_by: operator,
        endpoint,
        dialect: api.dialect(),
    };
    // A part of access the dialect lacks is not read at all, and says so in the snapshot.
    let read = |request: Option<Request>| async move {
        match request {
            Some(request) => Some(runner.read(step, request).await.and_then(|a| a.json())),
            None => None,
        }
    };
    let (user, keys, groups, roles, permissions, pipelines) = futures::join!(
        async {
            let request = api.find_user(&target.reference);
            runner.read(step, request).await?.json()
        },
        runner.list_keys(step),
        read(api.list_groups(&target)),
        read(api.list_roles(&target)),
        read(api.list_permissions(&target)),
        read(api.owned_pipelines(&target)),
    );
    Ok(Snapshot {
        provenance,
        user: api.pick_user(&target.reference, &user?)?,
        api_keys: section(Some(keys)),
        groups: section(parsed(groups, |v| api.parse_groups(v))),
        roles: section(parsed(roles, |v| api.parse_roles(v))),
        permissions: section(parsed(permissions, |v| api.parse_permissions(v))),
        pipelines: section(parsed(pipelines, |v| api.parse_pipelines(v))),
    })
}

fn parsed<T>(
    read: Option<Result<Value, ApiError>>,
    parse: impl Fn(&Value) -> Result<Vec<T>, ApiError>,
) -> Option<Result<Vec<T>, ApiError>> {
    read.map(|answer| answer.and_then(|value| parse(&value)))
}

fn section<T>(read: Option<Result<Vec<T>, ApiError>>) -> Section<T> {
    match read {
        None => Section::NotOffered,
        Some(Ok(items)) => Section::Read(items),
        Some(Err(error)) => Section::Failed(format!("{} ({error})", error.plain_words())),
    }
}
