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
                keys_of(runner, step, &target.id),
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

/// Every key on every page (user-heavy has 200).
async fn keys_of<T: Transport, C: Clock>(
    runner: &Runner<'_, T, C>,
    step: usize,
    id: &str,
) -> Result<Vec<crate::model::ApiKey>, ApiError> {
    let mut keys = Vec::new();
    let mut page = 0;
    loop {
        let value = runner
            .send(
                step,
                adoc::list_keys(id, page, adoc::KEYS_PAGE),
                OnMissing::Fail,
            )
            .await?
            .json()?;
        let parsed = adoc::parse_keys_page(&value)?;
        let more =
            crate::dialect::has_next_page(page, adoc::KEYS_PAGE, parsed.items.len(), parsed.total);
        keys.extend(parsed.items);
        if !more {
            return Ok(keys);
        }
        page += 1;
    }
}

fn section<T: DeserializeOwned>(read: Result<Vec<T>, ApiError>) -> Section<T> {
    match read {
        Ok(items) => Section::Read(items),
        Err(error) => Section::Failed(format!("{} ({error})", error.plain_words())),
    }
}
