//! `offboard`: the console's engine as a command line, for scheduled and scripted offboarding.
//!
//! The same plans, rules, runner, journal, verification and report as the browser console; a
//! native HTTP transport instead of `fetch`. Progress goes to stderr, the report (JSON) to
//! stdout or `--report`, and the exit status says whether access was removed and verified.

mod args;
mod bulk;
mod credentials;
mod dry_run;
mod journal_file;
mod native;
mod offboarding;
mod progress;
mod schedule;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One thread: the engine's futures are not `Send` (they are a browser's), and a run is
    // bound by the platform's answers, not by this process.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("offboard: cannot start: {error}");
            return ExitCode::from(3);
        }
    };
    let outcome = runtime.block_on(async {
        match &cli.command {
            Command::Plan(target) => offboarding::plan(target).await,
            Command::Run(run) => offboarding::run(run).await,
            Command::Bulk(bulk) => bulk::run(bulk).await,
        }
    });
    outcome.unwrap_or_else(|failure| {
        eprintln!("offboard: {}", failure.message);
        ExitCode::from(failure.status)
    })
}
