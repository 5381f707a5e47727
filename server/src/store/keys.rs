//! API keys: listing, creation, deletion and reassignment. The secret's hash is written here and
//! read only by authentication; no function returns it.

use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The two kinds of key: master keys call the APIs, write-only keys only ingest data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum KeyType {
    #[serde(rename = "MASTER", alias = "master")]
    Master,
    #[serde(rename = "WRITE_ONLY", alias = "write_only")]
    WriteOnly,
}

impl KeyType {
    /// ADOC's (and the database's) word.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Master => "MASTER",
            KeyType::WriteOnly => "WRITE_ONLY",
        }
    }

    /// TD's word.
    pub fn td_str(self) -> &'static str {
        match self {
            KeyType::Master => "master",
            KeyType::WriteOnly => "write_only",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "MASTER" | "master" => Some(KeyType::Master),
            "WRITE_ONLY" | "write_only" => Some(KeyType::WriteOnly),
            _ => None,
        }
    }
}

/// A stored key, without its secret.
#[derive(Debug, Clone)]
pub struct KeyRow {
    pub access_key: String,
    pub user_id: String,
    pub key_type: KeyType,
    pub description: String,
    pub created_at: String,
    pub valid_till: Option<String>,
}

macro_rules! key_select {
    () => {
        "SELECT access_key, user_id, key_type, description, created_at, valid_till FROM api_keys"
    };
}

fn from_row(row: &AnyRow) -> Result<KeyRow, sqlx::Error> {
    let key_type: String = row.try_get("key_type")?;
    Ok(KeyRow {
        access_key: row.try_get("access_key")?,
        user_id: row.try_get("user_id")?,
        key_type: KeyType::parse(&key_type)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown key type {key_type:?}").into()))?,
        description: row.try_get("description")?,
        created_at: row.try_get("created_at")?,
        valid_till: row.try_get("valid_till")?,
    })
}

pub async fn by_access_key(
    conn: &mut AnyConnection,
    access_key: &str,
) -> Result<Option<KeyRow>, sqlx::Error> {
    let row = sqlx::query(concat!(key_select!(), " WHERE access_key = $1"))
        .bind(access_key.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The key of `user_id` named by its public id or by its whole secret (TD lets either be sent).
pub async fn of_user_by_id_or_secret(
    conn: &mut AnyConnection,
    user_id: &str,
    id_or_secret: &str,
    secret_hash: &str,
) -> Result<Option<KeyRow>, sqlx::Error> {
    let row = sqlx::query(concat!(
        key_select!(),
        " WHERE user_id = $1 AND (access_key = $2 OR secret_hash = $3)"
    ))
    .bind(user_id.to_owned())
    .bind(id_or_secret.to_owned())
    .bind(secret_hash.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn count_of(conn: &mut AnyConnection, user_id: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM api_keys WHERE user_id = $1")
        .bind(user_id.to_owned())
        .fetch_one(&mut *conn)
        .await?;
    row.try_get("n")
}

/// A page of the keys of `user_id`, ordered by creation time then id.
pub async fn page_of(
    conn: &mut AnyConnection,
    user_id: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<KeyRow>, sqlx::Error> {
    let rows = sqlx::query(concat!(
        key_select!(),
        " WHERE user_id = $1 ORDER BY created_at, access_key LIMIT $2 OFFSET $3"
    ))
    .bind(user_id.to_owned())
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// All keys of `user_id`, in the same order.
pub async fn all_of(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<KeyRow>, sqlx::Error> {
    page_of(conn, user_id, 0, i64::MAX).await
}

/// Stores a new key with the hash of its secret.
pub async fn insert(
    conn: &mut AnyConnection,
    key: &KeyRow,
    secret_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_keys (access_key, user_id, key_type, secret_hash, description, created_at, valid_till) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(key.access_key.clone())
    .bind(key.user_id.clone())
    .bind(key.key_type.as_str())
    .bind(secret_hash.to_owned())
    .bind(key.description.clone())
    .bind(key.created_at.clone())
    .bind(key.valid_till.clone())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, access_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM api_keys WHERE access_key = $1")
        .bind(access_key.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes every key of `user_id`; returns their ids.
pub async fn delete_all_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let ids: Vec<String> = all_of(conn, user_id)
        .await?
        .into_iter()
        .map(|k| k.access_key)
        .collect();
    sqlx::query("DELETE FROM api_keys WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(ids)
}

/// Moves every key of `from` to `to`; returns their ids.
pub async fn reassign_all(
    conn: &mut AnyConnection,
    from: &str,
    to: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let ids: Vec<String> = all_of(conn, from)
        .await?
        .into_iter()
        .map(|k| k.access_key)
        .collect();
    sqlx::query("UPDATE api_keys SET user_id = $1 WHERE user_id = $2")
        .bind(to.to_owned())
        .bind(from.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(ids)
}
