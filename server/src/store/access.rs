//! Access: groups, memberships, and the roles and permissions they grant.
//!
//! A group grants one role; a role grants permissions. A user with no groups therefore has no
//! roles and no permissions, which is what step 5 of the ADOC runbook checks.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{AnyConnection, Row};

use crate::db::placeholders;

/// A group as both dialects show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub group_id: String,
    pub name: String,
    pub description: String,
    /// The role the group grants.
    pub role: String,
}

/// A role a user holds, and the group that grants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub role_id: String,
    pub name: String,
    pub description: String,
    pub source_group: String,
}

/// The groups of `user_id`, ordered by id.
pub async fn groups_of(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Group>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT g.group_id, g.name, g.description, g.role_id FROM memberships m \
         JOIN access_groups g ON g.group_id = m.group_id WHERE m.user_id = $1 ORDER BY g.group_id",
    )
    .bind(user_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Group {
                group_id: row.try_get("group_id")?,
                name: row.try_get("name")?,
                description: row.try_get("description")?,
                role: row.try_get("role_id")?,
            })
        })
        .collect()
}

/// Group ids and role ids of each of `user_ids` (sorted, without duplicates): what the ADOC
/// `User` object lists. One query for a whole page of users.
pub async fn summaries(
    conn: &mut AnyConnection,
    user_ids: &[String],
) -> Result<BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>, sqlx::Error> {
    let mut out: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    if user_ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT m.user_id, m.group_id, g.role_id FROM memberships m \
         JOIN access_groups g ON g.group_id = m.group_id WHERE m.user_id IN ({})",
        placeholders(1, user_ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in user_ids {
        query = query.bind(id.clone());
    }
    for row in query.fetch_all(&mut *conn).await? {
        let entry = out.entry(row.try_get("user_id")?).or_default();
        entry.0.insert(row.try_get("group_id")?);
        entry.1.insert(row.try_get("role_id")?);
    }
    Ok(out)
}

/// Which of `ids` name existing groups.
pub async fn existing(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<BTreeSet<String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    let sql = format!(
        "SELECT group_id FROM access_groups WHERE group_id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(id.clone());
    }
    query
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| row.try_get("group_id"))
        .collect()
}

/// Adds memberships (existing ones are kept as they are).
pub async fn add(
    conn: &mut AnyConnection,
    user_id: &str,
    group_ids: &[String],
) -> Result<(), sqlx::Error> {
    for group_id in group_ids {
        sqlx::query(
            "INSERT INTO memberships (user_id, group_id) VALUES ($1, $2) \
             ON CONFLICT (user_id, group_id) DO NOTHING",
        )
        .bind(user_id.to_owned())
        .bind(group_id.clone())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Removes memberships.
pub async fn remove(
    conn: &mut AnyConnection,
    user_id: &str,
    group_ids: &[String],
) -> Result<(), sqlx::Error> {
    if group_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM memberships WHERE user_id = $1 AND group_id IN ({})",
        placeholders(2, group_ids.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id.to_owned());
    for id in group_ids {
        query = query.bind(id.clone());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// The roles of `user_id` with the group granting each (a role granted by two groups appears
/// twice), ordered by role then group.
pub async fn roles_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<RoleGrant>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.role_id, r.name, r.description, g.group_id FROM memberships m \
         JOIN access_groups g ON g.group_id = m.group_id JOIN roles r ON r.role_id = g.role_id \
         WHERE m.user_id = $1 ORDER BY r.role_id, g.group_id",
    )
    .bind(user_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoleGrant {
                role_id: row.try_get("role_id")?,
                name: row.try_get("name")?,
                description: row.try_get("description")?,
                source_group: row.try_get("group_id")?,
            })
        })
        .collect()
}

/// `(permission, granting role)` pairs of `user_id`, each once, ordered.
pub async fn permissions_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT p.permission, p.role_id FROM memberships m \
         JOIN access_groups g ON g.group_id = m.group_id \
         JOIN role_permissions p ON p.role_id = g.role_id \
         WHERE m.user_id = $1 ORDER BY p.permission, p.role_id",
    )
    .bind(user_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("permission")?, row.try_get("role_id")?)))
        .collect()
}
