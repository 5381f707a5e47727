//! The app's emergency lockout (*a*): open `/emergency?user=user-heavy`, connect if asked,
//! press "Lock out now", and time until the verdict (role=status saying "Locked out"). Then the
//! server is asked what access is left, the same check as the runbook baseline's, and the app's
//! calls are read from its page for the browser's floor to replay.
//!
//! Found by what a person sees (the button's name, the verdict's role and words), so the screen
//! can change shape freely. Until it exists, the section says "not available yet" and why,
//! rather than printing a number.

use crate::floor::AppCalls;
use crate::report::{Stats, ms, secs};
use crate::runbook::{Condition, TARGET_USER, end_state};
use crate::support::Browser;
use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// How long the screen may take to offer "Lock out now" (connect included).
const SCREEN_PATIENCE: Duration = Duration::from_secs(30);
/// How long a lockout may take before the bench gives up on it.
const LOCKOUT_PATIENCE: Duration = Duration::from_secs(120);

/// Resolves when some role=status element says "Locked out"; reports when, in page time, and
/// when the capture-phase click listener installed before the click saw the click.
const VERDICT_JS: &str = r#"
const done = arguments[arguments.length - 1];
const find = () => Array.from(document.querySelectorAll('[role=status]'))
  .find(e => e.textContent.includes('Locked out'));
const finish = (el) => done({
  verdictAt: performance.now(),
  clickAt: window.__benchClickAt ?? null,
  text: el.textContent.trim().replace(/\s+/g, ' '),
});
const now = find();
if (now) { finish(now); return; }
const observer = new MutationObserver(() => {
  const el = find();
  if (el) { observer.disconnect(); finish(el); }
});
observer.observe(document.body,
  {subtree: true, childList: true, characterData: true, attributes: true});
"#;

/// Also empties the resource-timing buffer and makes it large enough for a few hundred calls
/// (the default keeps 250), so the requests after the click can be counted, and records long
/// tasks (main thread busy > 50 ms), which show when the page rather than the network is slow.
const CLICK_LISTENER_JS: &str = r#"
performance.setResourceTimingBufferSize(100000);
performance.clearResourceTimings();
window.__benchLongTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__benchLongTasks.push([e.startTime, e.duration]);
}).observe({type: 'longtask'});
window.__benchClickAt = null;
document.addEventListener('click', () => {
  if (window.__benchClickAt === null) window.__benchClickAt = performance.now();
}, {capture: true, once: true});
"#;

/// The API requests the page made between the click and the verdict, as [start, end] pairs
/// in page time (Resource Timing), and the durations of the long tasks in that time.
const REQUESTS_JS: &str = r#"
const [from, to] = arguments;
const requests = performance.getEntriesByType('resource')
  .filter(e => (e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest')
    && e.startTime >= from && e.startTime <= to)
  .map(e => [e.startTime, e.responseEnd]);
const longTasks = (window.__benchLongTasks || [])
  .filter(([start]) => start >= from && start <= to).map(([, duration]) => duration);
return {requests, longTasks};
"#;

/// What the section found.
pub enum Outcome {
    NotAvailable(String),
    Measured(Measured),
}

/// The app's figure in one condition, and its calls for the floor to replay.
pub struct Measured {
    /// *a*: the median of [`RUNS`] lockouts, click → verdict in the page (ms).
    pub a_ms: f64,
    pub calls: AppCalls,
}

/// Lockouts per condition, each on a fresh server and browser; *a* is their median.
const RUNS: usize = 3;

/// Runs the section; `baseline_ms` is *b* from the runbook section of the same condition (none
/// if that section failed).
pub async fn run(condition: Condition, baseline_ms: Option<f64>) -> Result<Outcome, String> {
    println!("   a, the app's emergency lockout of {TARGET_USER}, click → verdict, {RUNS} runs");
    let mut walls = Vec::new();
    let mut last = None;
    for run in 1..=RUNS {
        let server = condition.server().await;
        let browser = Browser::open(&server).await;
        let outcome = drive(&browser, false).await;
        let calls = match &outcome {
            Ok(Driven::Done(lockout)) => match lockout.click_at {
                Some(click) => Some(crate::floor::app_calls(&browser, click).await),
                None => None,
            },
            _ => None,
        };
        let _ = browser.client.clone().close().await;
        let lockout = match outcome? {
            Driven::NotAvailable(reason) => {
                println!("   not available yet: {reason}");
                return Ok(Outcome::NotAvailable(reason));
            }
            Driven::Done(lockout) => lockout,
        };
        let state = end_state(&server.base).await?;
        if !state.locked_out() {
            return Err(format!(
                "run {run}: the app said “{}” but {TARGET_USER} still has access: {}",
                lockout.verdict,
                state.describe()
            ));
        }
        let audit = crate::runbook::audit_summary(&server.base).await?;
        println!(
            "   run {run}: {} (in the page {}, the app's own figure {}); server: {}; audit: {audit}",
            ms(lockout.wall_ms),
            lockout.page_ms.map_or("—".into(), ms),
            lockout.app_ms.map_or("—".into(), ms),
            state.describe(),
        );
        if let Some(requests) = &lockout.requests {
            println!("      {requests}");
        }
        // In the page, as the floor is timed; WebDriver's own round trips are not the app's.
        walls.push(lockout.page_ms.unwrap_or(lockout.wall_ms));
        last = Some((lockout, calls));
    }
    println!(
        "   where the page's time goes, one more lockout under Chrome's CPU profiler: {}",
        profiled(condition).await?
    );
    let (lockout, calls) = last.ok_or("no lockout ran")?;
    println!("   verdict: “{}”", lockout.verdict);
    let a = Stats::of(&walls).ok_or("no lockout")?.median;
    match baseline_ms {
        Some(b) => println!(
            "   a = {} (median, in the page: click event → verdict in the DOM)   b = {}   a/b = {:.3}",
            ms(a),
            ms(b),
            a / b
        ),
        None => println!("   a = {} (median); a/b: no baseline", ms(a)),
    }
    let calls =
        calls.ok_or("the click was not seen in the page, so its calls cannot be read")??;
    Ok(Outcome::Measured(Measured { a_ms: a, calls }))
}

pub enum Driven {
    NotAvailable(String),
    Done(Lockout),
}

pub struct Lockout {
    pub verdict: String,
    pub wall_ms: f64,
    /// The click, in page time (`performance.now()`), if the page saw it.
    click_at: Option<f64>,
    /// Where the page's time went, when the lockout was profiled.
    profile: Option<String>,
    page_ms: Option<f64>,
    app_ms: Option<f64>,
    /// How the page spent the time on the network, in words.
    requests: Option<String>,
}

/// Drives one lockout; `profiled`: under the CPU profiler, from the click to the verdict.
pub async fn drive(browser: &Browser, profiled: bool) -> Result<Driven, String> {
    browser
        .visit(&format!("/emergency?user={TARGET_USER}"))
        .await;
    let button = match find_lock_button(browser).await? {
        Ok(button) => button,
        Err(reason) => {
            browser.screenshot("bench-emergency-unavailable").await;
            return Ok(Driven::NotAvailable(reason));
        }
    };
    let timeouts = fantoccini::wd::TimeoutConfiguration::new(
        Some(LOCKOUT_PATIENCE),
        Some(Duration::from_secs(60)),
        Some(Duration::ZERO),
    );
    browser
        .client
        .update_timeouts(timeouts)
        .await
        .map_err(|e| e.to_string())?;
    browser
        .client
        .execute(CLICK_LISTENER_JS, vec![])
        .await
        .map_err(|e| e.to_string())?;

    let profiling = match profiled {
        true => Some(Profiling::start(browser).await),
        false => None,
    };
    eprintln!("bench: pressing “Lock out now”");
    let clicked = Instant::now();
    button
        .click()
        .await
        .map_err(|e| format!("clicking “Lock out now”: {e}"))?;
    let answer = browser
        .client
        .execute_async(VERDICT_JS, vec![])
        .await
        .map_err(|e| {
            format!(
                "no role=status saying “Locked out” within {} of the click: {e}",
                secs(LOCKOUT_PATIENCE)
            )
        })?;
    let wall_ms = clicked.elapsed().as_secs_f64() * 1000.0;
    let profile = match profiling {
        Some(profiling) => Some(profiling.finish(browser, wall_ms).await),
        None => None,
    };
    browser.screenshot("bench-emergency-verdict").await;

    let (page_ms, requests) = match (answer["verdictAt"].as_f64(), answer["clickAt"].as_f64()) {
        (Some(verdict), Some(click)) => (
            Some(verdict - click),
            requests(browser, click, verdict).await,
        ),
        _ => (None, None),
    };
    Ok(Driven::Done(Lockout {
        verdict: answer["text"].as_str().unwrap_or_default().to_string(),
        wall_ms,
        click_at: answer["clickAt"].as_f64(),
        profile,
        page_ms,
        app_ms: app_figure(browser).await,
        requests,
    }))
}

/// One more lockout, not timed, under the DevTools CPU profiler (sampling every 100 µs) and
/// the page's own counters (`Performance.getMetrics`): how the page's main thread spent the
/// lockout, so a cost of the app's own shows where it is.
async fn profiled(condition: Condition) -> Result<String, String> {
    let server = condition.server().await;
    let browser = Browser::open(&server).await;
    browser.cdp("Performance.enable", json!({})).await;
    browser.cdp("Profiler.enable", json!({})).await;
    browser
        .cdp("Profiler.setSamplingInterval", json!({"interval": 100}))
        .await;
    let outcome = drive(&browser, true).await;
    let _ = browser.client.clone().close().await;
    let Driven::Done(lockout) = outcome? else {
        return Err("the profiled lockout did not run".into());
    };
    lockout.profile.ok_or_else(|| "no profile".to_string())
}

/// From just before the click to just after the verdict: the main thread's counters and the
/// samples of the CPU profile that `start` began.
struct Profiling {
    before: std::collections::BTreeMap<String, f64>,
}

impl Profiling {
    async fn start(browser: &Browser) -> Self {
        let before = metrics(browser).await;
        browser.cdp("Profiler.start", json!({})).await;
        Profiling { before }
    }

    async fn finish(self, browser: &Browser, wall_ms: f64) -> String {
        let profile = browser.cdp("Profiler.stop", json!({})).await;
        let after = metrics(browser).await;
        let spent = |name: &str| {
            let delta = after.get(name).copied().unwrap_or(0.0)
                - self.before.get(name).copied().unwrap_or(0.0);
            ms(delta * 1000.0)
        };
        format!(
            "{} click → verdict; main thread busy {} (script {}, layout {}, style {}); \
             CPU profile: {}",
            ms(wall_ms),
            spent("TaskDuration"),
            spent("ScriptDuration"),
            spent("LayoutDuration"),
            spent("RecalcStyleDuration"),
            profile_shares(&profile["profile"])
        )
    }
}

/// `Performance.getMetrics` as name → value (durations in seconds).
async fn metrics(browser: &Browser) -> std::collections::BTreeMap<String, f64> {
    let answer = browser.cdp("Performance.getMetrics", json!({})).await;
    answer["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| Some((m["name"].as_str()?.to_string(), m["value"].as_f64()?)))
        .collect()
}

/// A CPU profile's samples by where they fell: idle, the app's wasm, its JS glue, the garbage
/// collector, and the browser's own work ("program").
pub fn profile_shares(profile: &Value) -> String {
    let mut kind_of = std::collections::HashMap::new();
    let mut name_of = std::collections::HashMap::new();
    for node in profile["nodes"].as_array().into_iter().flatten() {
        let frame = &node["callFrame"];
        let name = frame["functionName"].as_str().unwrap_or_default();
        let url = frame["url"].as_str().unwrap_or_default();
        let kind = match name {
            "(idle)" => "idle",
            "(program)" => "browser",
            "(garbage collector)" => "GC",
            _ if url.ends_with(".wasm") || name.starts_with("$") || name.starts_with("wasm-") => {
                "wasm"
            }
            _ if url.ends_with(".js") => "JS glue",
            _ => "other script",
        };
        let id = node["id"].as_u64().unwrap_or(0);
        kind_of.insert(id, kind);
        name_of.insert(id, if name.is_empty() { "(anonymous)" } else { name });
    }
    let samples: Vec<u64> = profile["samples"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    if samples.is_empty() {
        return "no samples".into();
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for id in &samples {
        let kind = kind_of.get(id).copied().unwrap_or("other script");
        match counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((kind, 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let share = |n: usize| 100.0 * n as f64 / samples.len() as f64;
    let kinds = counts
        .iter()
        .map(|(kind, n)| format!("{kind} {:.0} %", share(*n)))
        .collect::<Vec<_>>()
        .join(", ");
    // The functions that were running most (self time), the idle time aside.
    let mut by_function: Vec<(&str, usize)> = Vec::new();
    for id in &samples {
        let name = name_of.get(id).copied().unwrap_or("?");
        match by_function.iter_mut().find(|(f, _)| *f == name) {
            Some((_, n)) => *n += 1,
            None => by_function.push((name, 1)),
        }
    }
    by_function.retain(|(name, _)| *name != "(idle)");
    by_function.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let top = by_function
        .iter()
        .take(8)
        .map(|(name, n)| format!("{name} {:.0} %", share(*n)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{kinds}; busiest: {top}")
}

/// Waits for "Lock out now", connecting through the Connect screen if the app asks.
/// The outer error is a harness failure; the inner one is why the screen is not there.
async fn find_lock_button(browser: &Browser) -> Result<Result<Element, String>, String> {
    let started = Instant::now();
    let mut connected = false;
    while started.elapsed() < SCREEN_PATIENCE {
        if let Some(button) = find(
            browser,
            "//button[normalize-space()='Lock out now' or @aria-label='Lock out now']",
        )
        .await
        {
            return Ok(Ok(button));
        }
        if !connected
            && find(browser, "//label[normalize-space()='Access key']")
                .await
                .is_some()
        {
            browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
            connected = true;
        }
        let body = browser.body_text().await;
        if body.contains("Page not found") {
            return Ok(Err(format!(
                "{} shows “Page not found” (the app has no emergency screen)",
                browser.path().await
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let body = browser.body_text().await;
    let said: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let said: String = said.chars().take(300).collect();
    Ok(Err(format!(
        "no “Lock out now” button within {} at {}; the page said: {said}",
        secs(SCREEN_PATIENCE),
        browser.path().await
    )))
}

/// The first element at `xpath`, now, without waiting.
async fn find(browser: &Browser, xpath: &str) -> Option<Element> {
    browser.client.find(Locator::XPath(xpath)).await.ok()
}

/// The page's API requests from click to verdict: how many, how long each, how many at once.
async fn requests(browser: &Browser, click: f64, verdict: f64) -> Option<String> {
    let answer = browser
        .client
        .execute(REQUESTS_JS, vec![click.into(), verdict.into()])
        .await
        .ok()?;
    let long_tasks: Vec<f64> = answer["longTasks"]
        .as_array()?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    let spans: Vec<(f64, f64)> = answer["requests"]
        .as_array()?
        .iter()
        .filter_map(|pair| Some((pair[0].as_f64()?, pair[1].as_f64()?)))
        .collect();
    let durations: Vec<f64> = spans.iter().map(|(start, end)| end - start).collect();
    let stats = Stats::of(&durations)?;
    // Most requests in flight at once: sweep the start and end points in time order.
    let mut points: Vec<(f64, i32)> = spans
        .iter()
        .flat_map(|&(start, end)| [(start, 1), (end, -1)])
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0, 0);
    for (_, step) in points {
        now += step;
        most = most.max(now);
    }
    let average = durations.iter().sum::<f64>() / (verdict - click);
    Some(format!(
        "browser requests click → verdict: {}; each median {}, p95 {}, max {}; \
         up to {most} in flight, {average:.1} on average\n   \
         main-thread long tasks (> 50 ms) click → verdict: {}, {} in all",
        spans.len(),
        ms(stats.median),
        ms(stats.p95),
        ms(stats.max),
        long_tasks.len(),
        // An empty f64 sum is -0.0, which would print as "-0.0 ms".
        ms(long_tasks.iter().fold(0.0, |sum, d| sum + d))
    ))
}

/// The app's own click-to-verdict figure, if it shows one; it may land just after the verdict.
async fn app_figure(browser: &Browser) -> Option<f64> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        let value = browser
            .client
            .execute(
                "const e = document.querySelector('[data-total-ms]');\
                 return e ? e.getAttribute('data-total-ms') : null;",
                vec![],
            )
            .await
            .ok()?;
        if let Value::String(text) = value {
            return text.trim().parse().ok();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}
