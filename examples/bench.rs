//! `make bench`: the figures the issues ask for, measured on this machine in one run.
//!
//! 1. shipped size of `dist/` (raw and brotli) against 200 kB;
//! 2. directory keystroke latency at 10,000 users in headless Chromium against 50 ms p95;
//! 3. to 6. the emergency lockout of `user-heavy` in four conditions (loopback and 20 ms per
//!    call, each over HTTP/1.1 and over HTTPS with HTTP/2): the app's lockout (*a*), the ADOC
//!    runbook's Emergency Offboarding by a plain HTTP client one call at a time (*b*), and the
//!    browser's floor (*c*), a plain fetch loop replaying the app's calls; a/b and a/c side by
//!    side at the end;
//! 7. twenty each of a lockout, a wizard revoke step and a TD removal against a server failing
//!    a fifth of its calls: x/20, median and max;
//! 8. a cold load of the emergency screen on an emulated slow phone: bytes on the wire and the
//!    wait until "Lock out now" can be pressed, against 3 s;
//! 9. bulk offboarding of 500 people (5 keys and 3 groups each) in the console, in the four
//!    conditions of 3–6, against 10 s on loopback and 20 s at 20 ms per call over HTTP/2, with
//!    the server's end state checked and the browser's floor for the same calls beside it.
//!
//! Every section starts the reference server in-process on a fresh SQLite database with the demo
//! data (the browser-test harness, reused), so runs are comparable. The report goes to stdout,
//! progress to stderr. A section that cannot measure says why and makes the exit code non-zero;
//! it never prints a figure it did not measure.

#[path = "../tests/browser/support.rs"]
#[allow(dead_code)] // the bench uses only part of the browser-test harness
mod support;

#[path = "bench/bulk.rs"]
mod bulk;
#[path = "bench/chaos.rs"]
mod chaos;
#[path = "bench/cold_load.rs"]
mod cold_load;
#[path = "bench/directory.rs"]
mod directory;
#[path = "bench/emergency.rs"]
mod emergency;
#[path = "bench/floor.rs"]
mod floor;
#[path = "bench/report.rs"]
mod report;
#[path = "bench/runbook.rs"]
mod runbook;
#[path = "bench/size.rs"]
mod size;

use report::Table;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const COMMAND: &str = "cargo run --release -p offboard --example bench   (make bench)";
const CHROMIUM: &str = "/usr/bin/chromium";

#[tokio::main]
async fn main() -> ExitCode {
    let started = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dist = root.join("dist");
    // Refuse to start rather than measure something else: each check names its fix.
    if let Err(problem) = preflight(&dist) {
        eprintln!("bench: cannot run: {problem}");
        return ExitCode::FAILURE;
    }

    header(root);
    let failures = std::cell::RefCell::new(Vec::new());
    let section = |name: &str, result: Result<(), String>| {
        if let Err(error) = result {
            println!("   ERROR: {error}");
            failures.borrow_mut().push(format!("{name}: {error}"));
        }
        println!();
    };

    // `BENCH_ONLY=7,8` measures just those sections (1 to 9).
    let only: Option<Vec<u32>> = std::env::var("BENCH_ONLY").ok().map(|list| {
        list.split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect()
    });
    let wanted = |n: u32| only.as_ref().is_none_or(|only| only.contains(&n));
    if wanted(1) {
        section("shipped size", size::run(&dist));
    }
    if wanted(2) {
        section("directory keystroke", directory::run().await);
    }
    let mut unavailable = None;
    let mut floors = Table::new(&[
        "condition",
        "a (app)",
        "b (runbook)",
        "c (floor)",
        "a/b",
        "a/c",
        "goals",
    ]);
    for condition in runbook::CONDITIONS {
        if !wanted(condition.section) {
            continue;
        }
        println!(
            "{}. Emergency lockout of user-heavy, {}: the app (a), the runbook way (b), the browser's floor (c)",
            condition.section, condition.words
        );
        let baseline = runbook::run(condition).await;
        let b = baseline.as_ref().ok().copied();
        if let Err(error) = &baseline {
            println!("   ERROR (b): {error}");
            failures
                .borrow_mut()
                .push(format!("runbook baseline, {}: {error}", condition.words));
        }
        let a = match emergency::run(condition, b).await {
            Ok(emergency::Outcome::Measured(measured)) => Some(measured),
            Ok(emergency::Outcome::NotAvailable(reason)) => {
                unavailable = Some(reason);
                None
            }
            Err(error) => {
                println!("   ERROR (a): {error}");
                failures
                    .borrow_mut()
                    .push(format!("emergency lockout, {}: {error}", condition.words));
                None
            }
        };
        let c = match &a {
            Some(measured) => match floor::run(condition, &measured.calls).await {
                Ok(c) => Some(c),
                Err(error) => {
                    println!("   ERROR (c): {error}");
                    failures
                        .borrow_mut()
                        .push(format!("floor, {}: {error}", condition.words));
                    None
                }
            },
            None => None,
        };
        let a = a.map(|measured| measured.a_ms);
        floors.row(floor_row(condition, a, b, c));
        println!();
    }
    if (3..=6).any(wanted) {
        println!(
            "Sections 3–6 side by side (medians; the goals: a/c ≤ 1.2 everywhere, and over HTTP/2 at 20 ms a ≤ 350 ms and a/b ≤ 0.08)"
        );
        floors.print(3);
        println!();
    }
    if wanted(7) {
        section("runs under faults", chaos::run().await);
    }
    if wanted(8) {
        section("cold load on a phone", cold_load::run().await);
    }
    if wanted(9) {
        section("bulk offboarding", bulk::run().await);
    }

    println!("bench took {}", report::secs(started.elapsed()));
    if let Some(reason) = unavailable {
        println!("emergency lockout not measured: {reason}");
    }
    let failures = failures.into_inner();
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("bench: {} section(s) failed:", failures.len());
        for failure in &failures {
            eprintln!("  - {failure}");
        }
        ExitCode::FAILURE
    }
}

fn preflight(dist: &Path) -> Result<(), String> {
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the app first (`make app`)",
            dist.display()
        ));
    }
    let has_wasm = std::fs::read_dir(dist).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "wasm"))
    });
    if !has_wasm {
        return Err(format!(
            "{} has no .wasm: build the app first (`make app`)",
            dist.display()
        ));
    }
    if !Path::new(CHROMIUM).is_file() {
        return Err(format!("{CHROMIUM} is missing: `make install-chromium`"));
    }
    for (tool, install) in [
        ("chromedriver", "make install-chromium"),
        ("brotli", "make install-brotli"),
    ] {
        if which(tool).is_none() {
            return Err(format!("`{tool}` is not on PATH: `{install}`"));
        }
    }
    Ok(())
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(tool))
            .find(|candidate| candidate.is_file())
    })
}

/// One condition's row of the side-by-side table, with the goals it is held to.
fn floor_row(
    condition: runbook::Condition,
    a: Option<f64>,
    b: Option<f64>,
    c: Option<f64>,
) -> Vec<String> {
    let figure = |value: Option<f64>| value.map_or("—".to_string(), report::ms);
    let ratio = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) if y > 0.0 => format!("{:.2}", x / y),
        _ => "—".to_string(),
    };
    let mut goals = Vec::new();
    if let (Some(a), Some(c)) = (a, c) {
        goals.push(format!("a/c ≤ 1.2 {}", report::pass(a / c <= 1.2)));
    }
    if condition.tls && condition.chaos.is_some() {
        if let Some(a) = a {
            goals.push(format!("a ≤ 350 ms {}", report::pass(a <= 350.0)));
        }
        if let (Some(a), Some(b)) = (a, b) {
            goals.push(format!("a/b ≤ 0.08 {}", report::pass(a / b <= 0.08)));
        }
    }
    vec![
        condition.words.to_string(),
        figure(a),
        figure(b),
        figure(c),
        ratio(a, b),
        ratio(a, c),
        goals.join(", "),
    ]
}

/// What produced the figures: command, date, machine, browser and source revision.
fn header(root: &Path) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let chromium =
        output(Command::new(CHROMIUM).arg("--version")).unwrap_or_else(|| "version unknown".into());
    let revision =
        output(
            Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["rev-parse", "--short", "HEAD"]),
        )
        .map(|rev| {
            let dirty = output(
                Command::new("git")
                    .arg("-C")
                    .arg(root)
                    .args(["status", "--porcelain"]),
            )
            .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{rev} + uncommitted changes")
            } else {
                rev
            }
        })
        .unwrap_or_else(|| "unknown".into());

    println!("Offboard benchmarks");
    println!("  command   {COMMAND}");
    println!("  date      {}", report::utc_now());
    // Other work on the machine skews the figures; the load average says how much there was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into());
    println!("  machine   {cores} cores, {cpu}; load average at start {load}");
    println!("  browser   {chromium}, headless, 1280×900, via chromedriver");
    println!("  server    offboard-server in-process (release), fresh SQLite per section");
    println!("  revision  {revision}");
    println!();
}

/// A command's trimmed stdout, if it ran and succeeded.
fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(std::process::Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
