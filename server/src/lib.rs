//! `offboard-server`: the reference admin API server of Offboard.
//!
//! It speaks the two seed dialects (ADOC under `/admin`, `/authz`, `/torch-pipeline`; TD under
//! `/v3`) over **one** store, with real authentication, the shared policy of
//! [`offboard_engine::policy`], and a hash-chained audit log written in the same transaction as
//! every change. `docs/API.md` is the wire contract; `openapi.json` describes it machine-readably.
//!
//! The library is what the browser tests and benchmarks start in-process: [`app`] builds the
//! router (connecting, migrating and loading demo data on the way), [`serve_on`] serves a router on
//! a listener (plain HTTP, or HTTPS with HTTP/2 by ALPN, see [`TlsSetup`]) until a shutdown future
//! resolves, [`serve`] does both until Ctrl-C or SIGTERM, and [`verify_audit`] recomputes the audit
//! chain for `offboard-server audit verify`.

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
mod tls;
mod web;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use audit::{AuditVerdict, BrokenLink};
pub use chaos::ChaosSpec;
pub use config::ServerConfig;
pub use demo::{DemoSet, GeneratedAccess};
pub use error::StartError;
pub use routes::Endpoint;
pub use tls::{SelfSignedCertificate, TlsSetup, self_signed_certificate};

/// Builds the whole application: connects to the database, runs the migrations, loads the demo
/// data when asked and the database is empty, starts the single writer task, and returns the
/// router (API, static app, CORS, chaos).
pub async fn app(config: ServerConfig) -> Result<Router, StartError> {
    let state = state::AppState::start(&config).await?;
    web::build(state, &config)
}

/// Serves [`app`] on `listener` (over HTTPS when `config.tls` says so) until Ctrl-C or SIGTERM,
/// finishing requests in flight.
pub async fn serve(config: ServerConfig, listener: TcpListener) -> Result<(), StartError> {
    let tls = config.tls.clone();
    serve_on(
        app(config).await?,
        listener,
        tls.as_ref(),
        shutdown_signal(),
    )
    .await
}

/// Serves an already built [`app`] over plain HTTP until Ctrl-C or SIGTERM (so a caller can report
/// readiness in between).
pub async fn serve_router(router: Router, listener: TcpListener) -> Result<(), StartError> {
    serve_on(router, listener, None, shutdown_signal()).await
}

/// Serves `router` on `listener` until `shutdown` resolves, then stops accepting connections and
/// returns once the requests in flight are answered.
///
/// Without `tls`, plain HTTP (`axum::serve`). With `tls`, HTTPS offering `h2` and `http/1.1`
/// by ALPN, so browsers use HTTP/2; the router and so every header (CSP, CORS, `no-store`, chaos)
/// is the same, and no `Strict-Transport-Security` is sent. A certificate that cannot be loaded is
/// an error before anything is served (check it earlier with [`TlsSetup::check`]).
pub async fn serve_on(
    router: Router,
    listener: TcpListener,
    tls: Option<&TlsSetup>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let local = listener.local_addr().ok();
    let Some(tls) = tls else {
        if let Some(addr) = local {
            tracing::info!("listening on http://{addr}");
        }
        return axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(StartError::Io);
    };
    let config = tls::rustls_config(tls, local)?;
    if let Some(addr) = local {
        tracing::info!("listening on https://{addr} (HTTP/2 and HTTP/1.1)");
    }
    let handle = axum_server::Handle::<std::net::SocketAddr>::new();
    let server = axum_server::Server::from_listener(listener)
        .acceptor(axum_server::tls_rustls::RustlsAcceptor::new(config))
        .handle(handle.clone())
        .serve(router.into_make_service());
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => return result.map_err(StartError::Io),
        () = shutdown => {}
    }
    // Stop accepting, let each connection finish what it is answering (HTTP/2 gets a GOAWAY),
    // and wait for them all, as `axum::serve`'s graceful shutdown does.
    handle.graceful_shutdown(None);
    server.await.map_err(StartError::Io)
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

/// Resolves on Ctrl-C or (on Unix) SIGTERM: the shutdown future [`serve`] and the binary use.
pub async fn shutdown_signal() {
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
