//! Section 7, the emergency lockout under faults: twenty lockouts of `user-heavy`, each on a
//! fresh server that fails a fifth of its API calls (500, 503, and 429 with `Retry-After: 1`)
//! and answers every call 50 ms late. A run counts only if the app's verdict says verification
//! passed **and** the server, asked afterwards, agrees: disabled, 0 keys, 0 groups. `make test`
//! runs the same lockout twice; this is the figure with enough runs to mean something.

use crate::emergency::{Driven, drive};
use crate::report::{Stats, Table, ms, pass};
use crate::runbook::{EndState, TARGET_USER, end_state};
use crate::support::{Browser, Setup, TestServer};

/// The fault mix the hardening issue names.
const CHAOS: &str = "error-rate=0.2,latency-ms=50,retry-after-s=1";
/// Runs by default; `BENCH_CHAOS_RUNS` changes it (e.g. 3 for a quick look).
const RUNS: usize = 20;
/// Reads of the end state that chaos may fail before the bench gives up on knowing it.
const STATE_READS: usize = 30;

pub async fn run() -> Result<(), String> {
    let runs = std::env::var("BENCH_CHAOS_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(RUNS);
    println!(
        "7. Emergency lockout of {TARGET_USER} under faults (--chaos {CHAOS}), {runs} runs, \
         fresh demo database each"
    );
    let mut table = Table::new(&[
        "run",
        "click → verdict",
        "verdict",
        "server afterwards",
        "ok",
    ]);
    let mut times = Vec::new();
    let mut good = 0;
    for i in 1..=runs {
        eprintln!("bench: lockout under faults, run {i}/{runs}");
        let (verdict, wall_ms, state) = one_lockout().await?;
        let passed = verdict.contains("passed");
        let ok = passed && state.locked_out();
        good += usize::from(ok);
        times.push(wall_ms);
        table.row(vec![
            i.to_string(),
            ms(wall_ms),
            if passed { "passed" } else { "NOT passed" }.into(),
            state.describe(),
            pass(ok).into(),
        ]);
    }
    table.print(3);
    let stats = Stats::of(&times).ok_or("no run finished")?;
    println!(
        "   locked out with a true verdict: {good}/{runs}   median {}   max {}   {}",
        ms(stats.median),
        ms(stats.max),
        pass(good == runs)
    );
    if good == runs {
        Ok(())
    } else {
        Err(format!(
            "{} of {runs} runs did not end locked out with a true verdict",
            runs - good
        ))
    }
}

/// One lockout on a fresh faulty server: the verdict's words, the click-to-verdict time, and
/// what the server says is left.
async fn one_lockout() -> Result<(String, f64, EndState), String> {
    let server = TestServer::start(Setup {
        chaos: Some(CHAOS),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    let driven = drive(&browser).await;
    let _ = browser.client.clone().close().await;
    let lockout = match driven? {
        Driven::Done(lockout) => lockout,
        Driven::NotAvailable(reason) => return Err(reason),
    };
    Ok((
        lockout.verdict,
        lockout.wall_ms,
        patient_end_state(&server).await?,
    ))
}

/// The end state, read again until chaos lets all of its reads through.
async fn patient_end_state(server: &TestServer) -> Result<EndState, String> {
    let mut last = String::new();
    for _ in 0..STATE_READS {
        match end_state(&server.base).await {
            Ok(state) => return Ok(state),
            Err(error) => last = error,
        }
    }
    Err(format!(
        "the end state never read through the faults: {last}"
    ))
}
