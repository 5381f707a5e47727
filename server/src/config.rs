//! The server's settings, as the binary's flags and the in-process tests give them.

use std::path::PathBuf;

use crate::chaos::ChaosSpec;
use crate::demo::{DemoSet, GeneratedAccess};
use crate::tls::TlsSetup;

/// Everything [`crate::app`] needs to build the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// `sqlite://file.db` (created if missing) or `postgres://…`.
    pub database_url: String,
    /// Load the demo data of `docs/API.md` into an empty database.
    pub demo: bool,
    /// How many `user-gen-NNNN` users the demo data generates.
    pub demo_users: usize,
    /// API keys and groups each generated user has (2 and 1 unless a benchmark wants more).
    pub demo_access: GeneratedAccess,
    /// Which demo data set (a second server stands for a second platform of the same company).
    pub demo_set: DemoSet,
    /// Serve the built browser app from this directory on the same origin.
    pub static_dir: Option<PathBuf>,
    /// Browser origins allowed to call the APIs cross-origin.
    pub cors_origins: Vec<String>,
    /// Extra origins for the app page's CSP `connect-src` (other platforms the console calls).
    pub connect_src: Vec<String>,
    /// Fault injection for tests.
    pub chaos: Option<ChaosSpec>,
    /// Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) instead of plain HTTP; used by
    /// [`crate::serve`] (callers of [`crate::serve_on`] pass it themselves).
    pub tls: Option<TlsSetup>,
}

impl ServerConfig {
    /// A server on `database_url` without demo data, static files, CORS, chaos or TLS.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            demo: false,
            demo_users: 100,
            demo_access: GeneratedAccess::default(),
            demo_set: DemoSet::Main,
            static_dir: None,
            cors_origins: Vec::new(),
            connect_src: Vec::new(),
            chaos: None,
            tls: None,
        }
    }
}
