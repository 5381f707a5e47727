//! Section 7, runs under faults: twenty each of the emergency lockout of `user-heavy`, the guided
//! wizard's revoke step for `user-heavy`, and a Treasure Data removal of `first.last`, each on a
//! fresh server that fails a fifth of its API calls (500, 503, and 429 with `Retry-After: 1`) and
//! answers every call 50 ms late. A run counts only if the app says it passed **and** the server,
//! asked afterwards, agrees. `make test` runs each twice; this is the figure with enough runs to
//! mean something.

use crate::emergency::{Driven, drive};
use crate::report::{Stats, Table, ms, pass};
use crate::runbook::{EndState, TARGET_USER, end_state};
use crate::support::{Browser, Setup, TestServer};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The fault mix the hardening issue names.
const CHAOS: &str = "error-rate=0.2,latency-ms=50,retry-after-s=1";
/// Runs of each kind by default; `BENCH_CHAOS_RUNS` changes it (e.g. 3 for a quick look).
const RUNS: usize = 20;
/// Reads that chaos may fail before the bench gives up on knowing the server's state.
const STATE_READS: usize = 30;
/// How long one run may take before it counts as failed.
const RUN_PATIENCE: Duration = Duration::from_secs(120);

/// What one run ended with.
struct Outcome {
    wall_ms: f64,
    /// The app's own words for how it ended.
    app: String,
    app_passed: bool,
    /// What the server said afterwards, and whether that is the goal.
    server: String,
    server_agrees: bool,
}

#[derive(Clone, Copy)]
enum Kind {
    Lockout,
    WizardRevoke,
    TdRemoval,
}

impl Kind {
    fn words(self) -> &'static str {
        match self {
            Kind::Lockout => {
                "ADOC emergency lockout of user-heavy (200 keys, 50 groups), click → verdict"
            }
            Kind::WizardRevoke => {
                "ADOC wizard's revoke step for user-heavy (200 keys), click → step done"
            }
            Kind::TdRemoval => "TD emergency removal of first.last (2 keys), click → verdict",
        }
    }

    async fn run_once(self) -> Result<Outcome, String> {
        let server = TestServer::start(Setup {
            chaos: Some(CHAOS),
            ..Setup::default()
        })
        .await;
        let mut browser = Browser::open(&server).await;
        // The wizard's earlier steps are slow under faults too.
        browser.patience = RUN_PATIENCE;
        let outcome = match self {
            Kind::Lockout => lockout(&browser, &server).await,
            Kind::WizardRevoke => wizard_revoke(&browser, &server).await,
            Kind::TdRemoval => td_removal(&browser, &server).await,
        };
        let _ = browser.client.clone().close().await;
        outcome
    }
}

pub async fn run() -> Result<(), String> {
    let runs = std::env::var("BENCH_CHAOS_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(RUNS);
    println!("7. Under faults (--chaos {CHAOS}), {runs} runs of each, fresh demo database per run");
    let mut problems = Vec::new();
    for (letter, kind) in [
        ("a", Kind::Lockout),
        ("b", Kind::WizardRevoke),
        ("c", Kind::TdRemoval),
    ] {
        println!("   7{letter}. {}", kind.words());
        let mut table = Table::new(&["run", "time", "the app said", "the server afterwards", "ok"]);
        let (mut times, mut good) = (Vec::new(), 0);
        for i in 1..=runs {
            eprintln!("bench: under faults, 7{letter} run {i}/{runs}");
            let outcome = kind.run_once().await?;
            let ok = outcome.app_passed && outcome.server_agrees;
            good += usize::from(ok);
            times.push(outcome.wall_ms);
            table.row(vec![
                i.to_string(),
                ms(outcome.wall_ms),
                outcome.app,
                outcome.server,
                pass(ok).into(),
            ]);
        }
        table.print(6);
        let stats = Stats::of(&times).ok_or("no run finished")?;
        println!(
            "      ended right: {good}/{runs}   median {}   max {}   {}",
            ms(stats.median),
            ms(stats.max),
            pass(good == runs)
        );
        if good < runs {
            problems.push(format!(
                "7{letter}: {} of {runs} runs did not end right",
                runs - good
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

async fn lockout(browser: &Browser, server: &TestServer) -> Result<Outcome, String> {
    let lockout = match drive(browser, false).await? {
        Driven::Done(lockout) => lockout,
        Driven::NotAvailable(reason) => return Err(reason),
    };
    let state = patient_end_state(server).await?;
    Ok(Outcome {
        wall_ms: lockout.wall_ms,
        app_passed: lockout.verdict.contains("passed"),
        app: short(&lockout.verdict),
        server: state.describe(),
        server_agrees: state.locked_out(),
    })
}

async fn wizard_revoke(browser: &Browser, server: &TestServer) -> Result<Outcome, String> {
    browser.wizard_to_the_revoke_step(TARGET_USER).await;
    let revoke = browser.button("Revoke all API keys").await;
    let clicked = Instant::now();
    revoke.click().await.map_err(|e| e.to_string())?;
    let said = wait_for_text(
        browser,
        &["✓ Done: 200 changes made", "This step did not finish"],
    )
    .await?;
    let wall_ms = clicked.elapsed().as_secs_f64() * 1000.0;
    let said = match said.starts_with('✓') {
        true => said,
        // The step's own words, so a miss can be told from a harness fault.
        false => {
            browser.screenshot("bench-faults-wizard-miss").await;
            let page = browser.body_text().await;
            let from = page.find("did not finish").unwrap_or(0);
            page[from..]
                .chars()
                .take(160)
                .collect::<String>()
                .replace('\n', " ")
        }
    };
    let keys = patient_get(
        server,
        &format!("/admin/api/users/{TARGET_USER}/api-keys?size=1"),
    )
    .await?;
    let left = keys["meta"]["total"].as_u64().ok_or("no meta.total")?;
    let deletions = server.owner().key_deletions(TARGET_USER).await;
    let sent = deletions.len();
    let mut deleted: Vec<&str> = deletions.iter().map(|(key, _)| key.as_str()).collect();
    deleted.sort();
    deleted.dedup();
    Ok(Outcome {
        wall_ms,
        app_passed: said.starts_with('✓'),
        app: said,
        server: format!(
            "{left} keys left, {} deleted, {sent} deletions",
            deleted.len()
        ),
        server_agrees: left == 0 && deleted.len() == 200 && sent == 200,
    })
}

async fn td_removal(browser: &Browser, server: &TestServer) -> Result<Outcome, String> {
    browser
        .visit("/emergency?user=first.last@company.com")
        .await;
    browser.connect_td("1/demo-owner-master").await;
    let button = browser.button("Lock out now").await;
    let clicked = Instant::now();
    button.click().await.map_err(|e| e.to_string())?;
    let said = wait_for_text(browser, &["Locked out in", "Not locked out"]).await?;
    let wall_ms = clicked.elapsed().as_secs_f64() * 1000.0;
    let verdict = browser.body_text().await;
    let (status, _) = server
        .owner()
        .get_through_faults("/admin/api/users/user-123")
        .await;
    Ok(Outcome {
        wall_ms,
        app_passed: said == "Locked out in" && verdict.contains("passed"),
        app: short(&said),
        server: if status == 404 {
            "user-123 gone".into()
        } else {
            format!("user-123 answers {status}")
        },
        server_agrees: status == 404,
    })
}

/// Waits until the page shows one of `texts`, and returns the one it shows.
async fn wait_for_text(browser: &Browser, texts: &[&str]) -> Result<String, String> {
    let started = Instant::now();
    while started.elapsed() < RUN_PATIENCE {
        let page = browser.body_text().await;
        if let Some(found) = texts.iter().find(|text| page.contains(**text)) {
            return Ok(found.to_string());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(format!("none of {texts:?} within {RUN_PATIENCE:?}"))
}

fn short(text: &str) -> String {
    text.chars().take(60).collect()
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

/// A 200 answer's body as the demo owner, read through the faults.
async fn patient_get(server: &TestServer, path: &str) -> Result<Value, String> {
    match server.owner().get_through_faults(path).await {
        (200, body) => Ok(body),
        (status, _) => Err(format!("{path} answered {status} through the faults")),
    }
}
