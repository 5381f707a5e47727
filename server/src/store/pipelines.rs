//! Pipelines, whose owner is an email (as in the ADOC runbook), so they outlive their owner.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub description: String,
    pub owner_email: String,
}

fn from_row(row: &AnyRow) -> Result<Pipeline, sqlx::Error> {
    Ok(Pipeline {
        id: row.try_get("id")?,
        uid: row.try_get("uid")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        owner_email: row.try_get("owner_email")?,
    })
}

/// All pipelines, or those of one owner, ordered by id.
pub async fn list(
    conn: &mut AnyConnection,
    owner: Option<&str>,
) -> Result<Vec<Pipeline>, sqlx::Error> {
    let rows = match owner {
        Some(owner) => {
            sqlx::query(
                "SELECT id, uid, name, description, owner_email FROM pipelines \
                 WHERE owner_email = $1 ORDER BY id",
            )
            .bind(owner.to_owned())
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query("SELECT id, uid, name, description, owner_email FROM pipelines ORDER BY id")
                .fetch_all(&mut *conn)
                .await?
        }
    };
    rows.iter().map(from_row).collect()
}

pub async fn by_uid(conn: &mut AnyConnection, uid: &str) -> Result<Option<Pipeline>, sqlx::Error> {
    let row =
        sqlx::query("SELECT id, uid, name, description, owner_email FROM pipelines WHERE uid = $1")
            .bind(uid.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn set_owner(
    conn: &mut AnyConnection,
    uid: &str,
    owner_email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE pipelines SET owner_email = $1 WHERE uid = $2")
        .bind(owner_email.to_owned())
        .bind(uid.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
