//! The wizard's first step: read the person's whole access (in parallel, each read recorded)
//! and keep it as the run's snapshot.

use super::execute::{OnMissing, Runner};
use crate::dialect::{adoc, td};
use crate::error::ApiError;
use crate::http::{Clock, Request, Transport};
use crate::model::{Dialect, User};
use crate::snapshot::{Provenance, Section, Snapshot};
use crate::time::rfc3339;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub async fn take<T: Transport, C: Clock>(
    runner: &Runner<'_, T, C>,
    step: usize,
) -> Result<Value, ApiError> {
    let (target, operator, endpoint) = {
        let journal = runner.journal().borrow();
        (
            journal.plan.target.clone(),
            journal.operator.clone(),
            journal.endpoint.clone(),
        )
    };
    let dialect = runner.dialect();
    let provenance = Provenance {
        taken_at: rfc3339(runner.now_ms()),
        taken_by: operator,
        endpoint,
        dialect,
    };
    let read =
        |request: Request| async move { runner.send(step, request, OnMissing::Fail).await?.json() };

    let snapshot = match dialect {
        Dialect::Adoc => {
            let (user, keys, groups, roles, permissions, pipelines) = futures::join!(
                read(adoc::get_user(&target.id)),
                runner.list_keys(step),
                read(adoc::list_groups(&target.id)),
                read(adoc::roles(&target.id)),
                read(adoc::permissions(&target.id)),
                read(adoc::pipelines_owned_by(&target.email)),
            );
            Snapshot {
                provenance,
                user: adoc::parse_user(&user?)?,
                api_keys: section(keys),
                groups: section(groups.and_then(|v| adoc::parse_groups(&v))),
                roles: section(roles.and_then(|v| adoc::parse_roles(&v))),
                permissions: section(permissions.and_then(|v| adoc::parse_permissions(&v))),
                pipelines: section(pipelines.and_then(|v| adoc::parse_pipelines(&v))),
            }
        }
        Dialect::Td => {
            let (users, keys) =
                futures::join!(read(td::list_users()), read(td::list_keys(&target.email)));
            let user: User = td::parse_users(&users?)?
                .into_iter()
                .find(|user| user.email.eq_ignore_ascii_case(&target.email))
                .ok_or_else(|| ApiError::NotFound {
                    message: format!("no user {}", target.email),
                })?;
            Snapshot {
                provenance,
                user,
                api_keys: section(keys.and_then(|v| td::parse_keys(&v))),
                groups: Section::NotOffered,
                roles: Section::NotOffered,
                permissions: Section::NotOffered,
                pipelines: Section::NotOffered,
            }
        }
    };
    Ok(snapshot.to_json())
}

fn section<T: DeserializeOwned>(read: Result<Vec<T>, ApiError>) -> Section<T> {
    match read {
        Ok(items) => Section::Read(items),
        Err(error) => Section::Failed(format!("{} ({error})", error.plain_words())),
    }
}
