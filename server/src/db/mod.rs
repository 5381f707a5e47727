//! Database plumbing: connecting (SQLite or PostgreSQL through `sqlx::any`), the migrations, the
//! read pool, and the single [`writer`] that owns every change.
//!
//! Portability rules the whole crate follows so that one code path serves both databases:
//! `$1`-style placeholders; booleans stored as BIGINT 0/1 and times as RFC 3339 TEXT (the Any
//! driver decodes those identically on both); one migrations folder of plain SQL.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: a committed change (and its audit event)
//! survives a power cut, and WAL readers never block the writer nor the writer them.

pub mod writer;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use crate::error::StartError;

/// The embedded migrations (`server/migrations`).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

const READ_POOL_SIZE: u32 = 8;

/// Whether `url` names a SQLite database.
pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// `url` with SQLite's `mode=rwc` added when no mode is given, so a missing file is created.
fn creating_url(url: &str) -> String {
    if !is_sqlite(url) || url.contains("mode=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}mode=rwc")
}

fn options(url: &str) -> Result<AnyConnectOptions, StartError> {
    sqlx::any::install_default_drivers();
    url.parse()
        .map_err(|err| StartError::Config(format!("bad database URL: {err}")))
}

/// Per-connection settings. Only SQLite needs any: durability of every commit.
async fn configure(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        conn.execute("PRAGMA synchronous = FULL").await?;
    }
    Ok(())
}

/// The connection the writer owns, the read pool, with the schema migrated.
pub struct Connections {
    pub writer: AnyConnection,
    pub pool: AnyPool,
}

/// Connects (creating a missing SQLite file), switches SQLite to WAL and runs the migrations.
pub async fn connect(url: &str) -> Result<Connections, StartError> {
    let url = creating_url(url);
    let options = options(&url)?;
    let mut writer = AnyConnection::connect_with(&options).await?;
    if writer.backend_name().eq_ignore_ascii_case("sqlite") {
        // WAL is a property of the file; set it once, before any reader connects (switching
        // needs an exclusive lock that busy_timeout does not wait for).
        writer.execute("PRAGMA journal_mode = WAL").await?;
    }
    configure(&mut writer).await?;
    let pool = AnyPoolOptions::new()
        .max_connections(READ_POOL_SIZE)
        .after_connect(|conn, _meta| Box::pin(configure(conn)))
        .connect_with(options)
        .await?;
    // Through the pool: `Migrator::run` on a `&mut AnyConnection` makes the future non-`Send`
    // (sqlx's higher-ranked `Acquire` bound), and callers spawn `app()`.
    MIGRATOR.run(&pool).await?;
    Ok(Connections { writer, pool })
}

/// Connects to an existing database without creating or migrating it (`audit verify`).
pub async fn connect_existing(url: &str) -> Result<AnyConnection, StartError> {
    Ok(AnyConnection::connect_with(&options(url)?).await?)
}

/// `$first, $first+1, …` for `count` parameters: for `IN (…)` lists and multi-row inserts.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        assert_eq!(creating_url("sqlite://x.db"), "sqlite://x.db?mode=rwc");
        assert_eq!(
            creating_url("sqlite://x.db?cache=shared"),
            "sqlite://x.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            creating_url("sqlite://x.db?mode=ro"),
            "sqlite://x.db?mode=ro"
        );
        assert_eq!(creating_url("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn numbered_placeholders() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
    }
}
