//! Loads the whole directory into a [`DirectoryIndex`] kept for the session, so going back to
//! the directory is instant. ADOC pages arrive a few at a time after the first one tells the
//! total; TD sends everyone at once.

use super::index::DirectoryIndex;
use crate::api;
use crate::session::Connection;
use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use offboard_engine::platform::Platform;
use std::sync::Arc;

/// Pages requested at once after the first: enough to hide latency, few enough to leave
/// connections for the person's other clicks.
const PAGES_IN_FLIGHT: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Idle,
    Loading { loaded: usize, total: Option<u64> },
    Complete,
    Failed(ApiError),
}

/// The loaded directory, shared by every visit to the directory in this session.
#[derive(Clone, Copy)]
pub struct Directory {
    pub index: RwSignal<Arc<DirectoryIndex>>,
    pub progress: RwSignal<Progress>,
    /// Which connection the index belongs to, and which load is current (a refresh or a new
    /// connection makes older loads stop applying their pages).
    loaded_for: StoredValue<Option<String>>,
    generation: StoredValue<u64>,
}

impl Directory {
    pub fn provide() {
        provide_context(Directory {
            index: RwSignal::new(Arc::new(DirectoryIndex::default())),
            progress: RwSignal::new(Progress::Idle),
            loaded_for: StoredValue::new(None),
            generation: StoredValue::new(0),
        });
    }

    /// Starts loading unless this connection's directory is loaded or loading.
    pub fn ensure_loaded(self, connection: &Connection) {
        let key = connection_key(connection);
        let failed = matches!(self.progress.get_untracked(), Progress::Failed(_));
        if self.loaded_for.get_value().as_deref() == Some(key.as_str()) && !failed {
            return;
        }
        self.reload(connection);
    }

    /// Drops what is loaded and loads again.
    pub fn reload(self, connection: &Connection) {
        self.loaded_for.set_value(Some(connection_key(connection)));
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.index.set(Arc::new(DirectoryIndex::default()));
        self.progress.set(Progress::Loading {
            loaded: 0,
            total: None,
        });
        let connection = connection.clone();
        spawn_local(async move {
            let outcome = load(&connection, |users, total| {
                self.add(generation, users, total)
            })
            .await;
            if self.is_current(generation) {
                self.progress.set(match outcome {
                    Ok(()) => Progress::Complete,
                    Err(error) => Progress::Failed(error),
                });
            }
        });
    }

    /// Adds users found by a server-side search while the full list is still loading.
    pub fn add_found(self, users: Vec<User>) {
        self.index.update(|index| Arc::make_mut(index).merge(users));
    }

    fn add(self, generation: u64, users: Vec<User>, total: Option<u64>) {
        if !self.is_current(generation) {
            return;
        }
        self.index.update(|index| Arc::make_mut(index).merge(users));
        let loaded = self.index.with_untracked(|index| index.len());
        self.progress.set(Progress::Loading { loaded, total });
    }

    fn is_current(self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }
}

pub fn use_directory() -> Directory {
    expect_context::<Directory>()
}

fn connection_key(connection: &Connection) -> String {
    format!("{}|{}", connection.dialect().as_str(), connection.base_url)
}

async fn load(
    connection: &Connection,
    mut add: impl FnMut(Vec<User>, Option<u64>),
) -> Result<(), ApiError> {
    let client = api::client(connection);
    let platform = Platform::new(&client, connection.dialect());
    let (first, total) = platform.users_page(0, None).await?;
    let on_first_page = first.len() as u64;
    add(first, total);
    let paged = platform.users_page_size();
    let (Some(total), Some(page_size)) = (total, paged) else {
        return Ok(());
    };
    if on_first_page == 0 {
        return Ok(());
    }
    let offsets = (1..)
        .map(|page| page * page_size)
        .take_while(|first| *first < total);
    let mut pages = futures::stream::iter(offsets)
        .map(|first| platform.users_page(first, None))
        .buffer_unordered(PAGES_IN_FLIGHT);
    while let Some(page) = pages.next().await {
        let (users, _) = page?;
        add(users, Some(total));
    }
    Ok(())
}
