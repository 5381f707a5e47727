//! The browser's floor (*c*): the app's own calls, replayed by a plain JavaScript `fetch` loop
//! in the same Chromium against a fresh server in the same condition. Whatever the app takes
//! beyond it is the app's own cost (planning, journal, rendering, JSON), not the network's.
//!
//! The replay keeps the run's order of dependence: the app's calls fall into waves (a wave
//! begins when no call is in flight: the disable, the burst of deletes, the lists that check
//! what is left, the verification), each wave starts when the one before has ended, and never
//! more calls are in flight than the app had. Its timings come from the app's page: Resource Timing's start and end of
//! each fetch, matched in order to the run's journal (which has the method and body).

use crate::report::{Stats, ms};
use crate::runbook::Condition;
use crate::support::Browser;
use serde_json::{Value, json};

const RUNS: usize = 3;

/// After the app's lockout: its calls in the order it started them, each with its method, path,
/// body and its start and end in page time, and how many it had in flight at most.
const APP_CALLS_JS: &str = r#"
const [clickAt] = arguments;
const journal = Object.keys(localStorage)
  .filter(k => k.startsWith('offboard.run.'))
  .map(k => JSON.parse(localStorage.getItem(k)))
  .find(j => j.plan && j.plan.kind === 'emergency');
if (!journal) return {error: 'no emergency journal in localStorage'};
const calls = journal.calls.slice().sort((a, b) => a.seq - b.seq);
const fetches = performance.getEntriesByType('resource')
  .filter(e => e.initiatorType === 'fetch' && e.startTime >= clickAt)
  .sort((a, b) => a.startTime - b.startTime);
if (fetches.length !== calls.length)
  return {error: `${calls.length} calls in the journal but ${fetches.length} fetches after the click (retries?)`};
const out = [];
for (let i = 0; i < calls.length; i++) {
  const c = calls[i], f = fetches[i];
  // gloo-net leaves a `&` after a query it rebuilt.
  if (!decodeURI(f.name).replace(/&$/, '').endsWith(decodeURI(c.path)))
    return {error: `call ${i} is ${c.path} in the journal but ${f.name} in Resource Timing`};
  out.push({method: c.method, path: c.path, body: c.body, start: f.startTime, end: f.responseEnd});
}
return {calls: out, peak: (journal.concurrency || {}).peak || 6,
        protocol: (journal.concurrency || {}).protocol || '?'};
"#;

/// Replays `calls` (see [`APP_CALLS_JS`]) wave by wave with at most `limit` in flight;
/// resolves with the wall time from the first start to the last end, and the calls that did not
/// answer 2xx/404. A wave is a stretch of the app's run with calls in flight all along: the next
/// one began only after every call before it had ended, so it may depend on them.
const REPLAY_JS: &str = r#"
const [calls, limit, headers] = arguments;
const done = arguments[arguments.length - 1];
const waves = [];
let openUntil = -Infinity;
for (const c of calls) {
  if (c.start > openUntil) waves.push([]);
  waves[waves.length - 1].push(c);
  openUntil = Math.max(openUntil, c.end);
}
const failures = [];
const send = (c) => {
  const init = {method: c.method, headers: Object.assign({Accept: 'application/json'}, headers),
                redirect: 'manual'};
  if (c.body) {
    const json = /^\s*[\[{]/.test(c.body);
    init.headers['Content-Type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
    init.body = json ? JSON.stringify(JSON.parse(c.body)) : c.body;
  }
  return fetch(c.path, init).then(r => r.text().then(() => r.status)).catch(() => 0).then(status => {
    if (!(status >= 200 && status < 300) && status !== 404) failures.push(`${c.method} ${c.path} → ${status}`);
  });
};
const wave = (list) => new Promise(resolve => {
  let next = 0, left = list.length;
  const pump = () => {
    while (next < list.length && next - (list.length - left) < limit) {
      send(list[next++]).then(() => { left--; if (left === 0) resolve(); else pump(); });
    }
  };
  pump();
});
const t0 = performance.now();
(async () => {
  for (const list of waves) await wave(list);
  done({ms: performance.now() - t0, failures, waves: waves.map(w => w.length)});
})();
"#;

/// The app's calls, read from its page right after its lockout.
pub struct AppCalls {
    calls: Value,
    pub peak: usize,
    pub protocol: String,
    /// The app's span from its first call's start to its last call's end (page time).
    pub span_ms: f64,
}

/// Reads the app's calls from the page that has just finished a lockout clicked at `click_at`.
pub async fn app_calls(browser: &Browser, click_at: f64) -> Result<AppCalls, String> {
    let answer = browser
        .client
        .execute(APP_CALLS_JS, vec![click_at.into()])
        .await
        .map_err(|e| e.to_string())?;
    if let Some(error) = answer["error"].as_str() {
        return Err(format!("cannot read the app's calls: {error}"));
    }
    let calls = answer["calls"].clone();
    let list = calls.as_array().ok_or("no calls")?;
    let first = list
        .iter()
        .filter_map(|c| c["start"].as_f64())
        .reduce(f64::min);
    let last = list
        .iter()
        .filter_map(|c| c["end"].as_f64())
        .reduce(f64::max);
    Ok(AppCalls {
        span_ms: last.zip(first).map_or(0.0, |(l, f)| l - f),
        peak: answer["peak"].as_u64().unwrap_or(6) as usize,
        protocol: answer["protocol"].as_str().unwrap_or("?").to_string(),
        calls,
    })
}

/// Replays `app` [`RUNS`] times, each against a fresh server in `condition`, in one browser;
/// returns the median wall time (ms).
pub async fn run(condition: Condition, app: &AppCalls) -> Result<f64, String> {
    let count = app.calls.as_array().map_or(0, Vec::len);
    println!(
        "   c, the browser's floor: a plain fetch loop in Chromium replays the app's {count} calls, \
         wave by wave as the app sent them, up to {} at once ({})",
        app.peak, app.protocol
    );
    let mut times = Vec::new();
    let mut waves = String::new();
    for run in 1..=RUNS {
        let server = condition.server().await;
        let browser = Browser::open(&server).await;
        // Same origin as the API, so no CORS: a JSON page with no script of its own.
        browser.visit("/healthz").await;
        let headers = json!({"accessKey": "demo-owner-ak", "secretKey": "demo-owner-sk"});
        let answer = browser
            .client
            .execute_async(REPLAY_JS, vec![app.calls.clone(), app.peak.into(), headers])
            .await
            .map_err(|e| format!("replay {run}: {e}"));
        let _ = browser.client.clone().close().await;
        let answer = answer?;
        let failures = answer["failures"].as_array().map_or(0, Vec::len);
        if failures > 0 {
            return Err(format!(
                "replay {run}: {failures} calls failed, e.g. {}",
                answer["failures"][0]
            ));
        }
        times.push(answer["ms"].as_f64().ok_or("replay gave no time")?);
        waves = answer["waves"].to_string();
    }
    let median = Stats::of(&times).ok_or("no replay")?.median;
    let each: Vec<String> = times.iter().map(|t| ms(*t)).collect();
    println!(
        "   c = median of {RUNS} replays: {}   (each: {}; calls per wave {waves}; the app's own \
         calls spanned {})",
        ms(median),
        each.join(", "),
        ms(app.span_ms)
    );
    Ok(median)
}
