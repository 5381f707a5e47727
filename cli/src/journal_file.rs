//! The run's journal on disk: written after every recorded change, whole and atomically
//! (a temporary file renamed over the old one), so a run killed at any moment leaves either the
//! journal before a change or the one after it, never half of one. It holds no credentials.

use offboard_engine::run::journal::Journal;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct JournalFile {
    path: PathBuf,
}

impl JournalFile {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal the file holds, if it exists; an error when it exists but is not a journal
    /// this version of Offboard can continue.
    pub fn load(&self) -> Result<Option<Journal>, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(format!("cannot read {}: {error}", self.path.display())),
        };
        Journal::restore(&text).map(Some).ok_or_else(|| {
            format!(
                "{} is not a journal this version of offboard can continue; give another --journal file",
                self.path.display()
            )
        })
    }

    pub fn save(&self, journal: &Journal) -> Result<(), String> {
        let temporary = self.path.with_extension("partial");
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(journal.to_json().as_bytes())?;
            // No fsync: a killed process loses nothing the kernel has, and a lockout changes
            // its journal hundreds of times (a sync each would cost seconds).
            std::fs::rename(&temporary, &self.path)
        };
        write().map_err(|error| format!("cannot write {}: {error}", self.path.display()))
    }
}
