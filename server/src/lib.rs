//! `offboard-server`: the reference admin API server of Offboard.
//!
//! It speaks the two seed dialects (ADOC under `/admin`, `/authz`, `/torch-pipeline`; TD under
//! `/v3`) over **one** store, with real authentication, the shared policy of
//! [`offboard_engine::policy`], and a hash-chained audit log written in the same transaction as
//! every change. `docs/API.md` is the wire contract; `openapi.json` describes it machine-readably.
//!
//! The library is what the browser tests and benchmarks start in-process: [`app`] builds the
//! router (connecting, migrating and loading demo data on the way), [`serve`] runs it on a
//! listener, and [`verify_audit`] recomputes the audit chain for `offboard-server audit verify`.

mod adoc;
mod audit;
mod auth;
mod chaos;
mod clock;
mod config;
mod db;
mod demo;
mod error;
mod input;
mod meta;
mod routes;
mod rules;
mod state;
mod store;
mod td;
mod web;

use axum::Router;
use tokio::net::TcpListener;

pub use audit::{AuditVerdict, BrokenLink};
pub use chaos::ChaosSpec;
pub use config::ServerConfig;
pub use error::StartError;
pub use routes::Endpoint;

/// Builds the whole application: connects to the database, runs the migrations, loads the demo
/// data when asked and the database is empty, starts the single writer task, and returns the
/// router (API, static app, CORS, chaos).
pub async fn app(config: ServerConfig) -> Result<Router, StartError> {
    let state = state::AppState::start(&config).await?;
    web::build(state, &config)
}

/// Serves [`app`] on `listener` until Ctrl-C or SIGTERM, finishing requests in flight.
pub async fn serve(config: ServerConfig, listener: TcpListener) -> Result<(), StartError> {
    serve_router(app(config).await?, listener).await
}

/// Serves an already built [`app`] (so a caller can report readiness in between).
pub async fn serve_router(router: Router, listener: TcpListener) -> Result<(), StartError> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!("listening on http://{addr}");
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartError::Io)
}

/// Recomputes the audit hash chain of the database at `database_url`, without changing anything.
pub async fn verify_audit(database_url: &str) -> Result<AuditVerdict, StartError> {
    let mut conn = db::connect_existing(database_url).await?;
    Ok(audit::verify(&mut conn).await?)
}

/// Every endpoint the router serves (method and OpenAPI-style path), in registration order.
/// The OpenAPI test compares this list with `openapi.json`.
pub fn endpoints() -> Vec<Endpoint> {
    routes::all().endpoints().to_vec()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed we simply never shut down gracefully on Ctrl-C.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
