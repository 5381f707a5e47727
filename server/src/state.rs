//! The state every handler shares: the read pool, the writer, and the static app (if served).

use std::sync::Arc;

use sqlx::AnyPool;

use crate::config::ServerConfig;
use crate::db::{self, writer::Writer};
use crate::demo;
use crate::error::StartError;
use crate::web::StaticSite;

#[derive(Clone)]
pub struct AppState {
    /// Reads. WAL readers do not block the writer.
    pub pool: AnyPool,
    /// Every change, with its audit event.
    pub writer: Writer,
    /// The built browser app, when `--static` is given.
    pub site: Option<Arc<StaticSite>>,
}

impl AppState {
    /// Connects, migrates, loads demo data into an empty database if asked, starts the writer.
    pub async fn start(config: &ServerConfig) -> Result<Self, StartError> {
        let db::Connections { mut writer, pool } = db::connect(&config.database_url).await?;
        if config.demo {
            demo::load_if_empty(
                &mut writer,
                config.demo_users,
                config.demo_access,
                config.demo_set,
            )
            .await?;
        }
        let writer = Writer::start(writer).await?;
        Ok(Self {
            pool,
            writer,
            site: None,
        })
    }
}
