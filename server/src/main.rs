//! `offboard-server`: parses the flags and calls the library (`offboard_server::app`,
//! `serve_on`, `verify_audit`). Nothing else lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use offboard_server::{ChaosSpec, DemoSet, GeneratedAccess, ServerConfig, TlsSetup};
use tokio::net::TcpListener;

/// The reference admin API server of Offboard: the ADOC and TD dialects over one audited store.
#[derive(Debug, Parser)]
#[command(name = "offboard-server", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// `sqlite://FILE` (created if missing) or `postgres://…`.
    #[arg(long, global = true, default_value = "sqlite://offboard.db")]
    database: String,
    /// Load the demo data into an empty database (loopback addresses only).
    #[arg(long)]
    demo: bool,
    /// How many generated users the demo data has.
    #[arg(long, default_value_t = 100)]
    demo_users: usize,
    /// API keys each generated user has.
    #[arg(long, default_value_t = GeneratedAccess::DEMO.keys)]
    demo_keys_each: usize,
    /// Groups each generated user is in (at most 52).
    #[arg(long, default_value_t = GeneratedAccess::DEMO.groups)]
    demo_groups_each: usize,
    /// Which demo data set: `second` stands for a second platform of the same company (the
    /// named people are in both; other people in one only).
    #[arg(long, value_enum, default_value_t = DemoSet::Main)]
    demo_set: DemoSet,
    /// Serve the built browser app from this directory.
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Allow browsers on this origin to call the APIs (repeatable).
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    cors_origins: Vec<String>,
    /// Add this origin to the app page's CSP connect-src (repeatable).
    #[arg(long = "connect-src", value_name = "ORIGIN")]
    connect_src: Vec<String>,
    /// Fault injection, e.g. `error-rate=0.2,latency-ms=100,retry-after-s=1,max-in-flight=4`.
    #[arg(long, value_name = "SPEC")]
    chaos: Option<ChaosSpec>,
    /// Serve HTTPS (HTTP/2 and HTTP/1.1) with a certificate generated at start for localhost,
    /// 127.0.0.1, ::1 and the listening address (browsers warn about it).
    #[arg(long, value_enum, value_name = "KIND", conflicts_with_all = ["tls_cert", "tls_key"])]
    tls: Option<TlsKind>,
    /// Serve HTTPS (HTTP/2 and HTTP/1.1) with this PEM certificate chain (needs --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

/// The kinds of `--tls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TlsKind {
    /// A certificate generated at start and signed by nobody.
    SelfSigned,
}

impl Cli {
    /// What the TLS flags ask for (clap has already refused a lone or conflicting one).
    fn tls(&self) -> Option<TlsSetup> {
        match (&self.tls, &self.tls_cert, &self.tls_key) {
            (Some(TlsKind::SelfSigned), _, _) => Some(TlsSetup::SelfSigned),
            (None, Some(cert), Some(key)) => Some(TlsSetup::Files {
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ => None,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute the audit hash chain; exit 1 naming the first broken event.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Audit {
            command: AuditCommand::Verify,
        }) => verify(&cli.database).await,
        None => run(cli).await,
    }
}

async fn verify(database: &str) -> ExitCode {
    match offboard_server::verify_audit(database).await {
        Ok(verdict) => match verdict.broken {
            None => {
                println!(
                    "audit chain intact: {} events, head {}",
                    verdict.events, verdict.head
                );
                ExitCode::SUCCESS
            }
            Some(link) => {
                println!("audit chain broken at seq {}: {}", link.seq, link.reason);
                ExitCode::FAILURE
            }
        },
        Err(err) => {
            eprintln!("offboard-server audit verify: {err}");
            ExitCode::from(2)
        }
    }
}

/// Whether every address `listen` resolves to is a loopback address.
async fn is_loopback(listen: &str) -> bool {
    match tokio::net::lookup_host(listen).await {
        Ok(addrs) => {
            let addrs: Vec<_> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
    }
}

async fn run(cli: Cli) -> ExitCode {
    if cli.demo && !is_loopback(&cli.listen).await {
        eprintln!(
            "offboard-server: refusing --demo on {}: the demo keys are public, so demo data is \
             served on loopback addresses only (e.g. --listen 127.0.0.1:8080)",
            cli.listen
        );
        return ExitCode::from(2);
    }
    let tls = cli.tls();
    if let Some(tls) = &tls
        && let Err(err) = tls.check()
    {
        eprintln!("offboard-server: {err}");
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind(&cli.listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("offboard-server: cannot listen on {}: {err}", cli.listen);
            return ExitCode::FAILURE;
        }
    };
    let config = ServerConfig {
        database_url: cli.database,
        demo: cli.demo,
        demo_users: cli.demo_users,
        demo_set: cli.demo_set,
        demo_access: GeneratedAccess {
            keys: cli.demo_keys_each,
            groups: cli.demo_groups_each,
        },
        static_dir: cli.static_dir,
        cors_origins: cli.cors_origins,
        connect_src: cli.connect_src,
        chaos: cli.chaos,
        tls: tls.clone(),
    };
    let router = match offboard_server::app(config).await {
        Ok(router) => router,
        Err(err) => {
            eprintln!("offboard-server: {err}");
            return ExitCode::FAILURE;
        }
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    if tls == Some(TlsSetup::SelfSigned) {
        eprintln!(
            "offboard-server: note: --tls self-signed generated a certificate that nobody vouches \
             for, so browsers will warn about it; accept it once, or give your own with \
             --tls-cert FILE --tls-key FILE"
        );
    }
    // Printed once the server is ready: scripts may wait for this line.
    match listener.local_addr() {
        Ok(addr) => println!("offboard-server listening on {scheme}://{addr}"),
        Err(_) => println!("offboard-server listening on {scheme}://{}", cli.listen),
    }
    let served = offboard_server::serve_on(
        router,
        listener,
        tls.as_ref(),
        offboard_server::shutdown_signal(),
    )
    .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("offboard-server: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("offboard-server").chain(args.iter().copied()))
    }

    #[test]
    fn tls_flags() {
        assert_eq!(parse(&[]).expect("no flags").tls(), None);
        assert_eq!(
            parse(&["--tls", "self-signed"]).expect("self-signed").tls(),
            Some(TlsSetup::SelfSigned)
        );
        assert_eq!(
            parse(&["--tls-cert", "c.pem", "--tls-key", "k.pem"])
                .expect("files")
                .tls(),
            Some(TlsSetup::Files {
                cert: "c.pem".into(),
                key: "k.pem".into(),
            })
        );
        assert!(parse(&["--tls", "bogus"]).is_err());
        assert!(parse(&["--tls-cert", "c.pem"]).is_err(), "cert without key");
        assert!(parse(&["--tls-key", "k.pem"]).is_err(), "key without cert");
        assert!(
            parse(&[
                "--tls",
                "self-signed",
                "--tls-cert",
                "c.pem",
                "--tls-key",
                "k.pem"
            ])
            .is_err(),
            "both kinds"
        );
    }

    #[test]
    fn a_missing_certificate_file_is_a_plain_error() {
        let dir = tempfile::tempdir().expect("dir");
        let cert = dir.path().join("missing-cert.pem");
        let key = dir.path().join("missing-key.pem");
        let cli = parse(&[
            "--tls-cert",
            cert.to_str().expect("utf-8"),
            "--tls-key",
            key.to_str().expect("utf-8"),
        ])
        .expect("flags parse");
        let err = cli
            .tls()
            .expect("files")
            .check()
            .expect_err("missing")
            .to_string();
        assert!(
            err.starts_with(&format!(
                "--tls-cert {}: cannot read the TLS certificate: ",
                cert.display()
            )),
            "{err}"
        );
        assert!(err.contains("No such file"), "{err}");
    }
}
