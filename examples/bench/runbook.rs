//! Section 3, the runbook way: the ADOC runbook's Emergency Offboarding of `user-heavy`, done as
//! its steps say, by a plain HTTP client making one call at a time on one keep-alive connection.
//! This is the baseline *b* the app's emergency lockout is compared with. Also holds the
//! end-state check both sections use, so "done" means the same thing for both.

use crate::report::{Stats, Table, ms, thousands};
use crate::support::{Setup, TestServer};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub const TARGET_USER: &str = "user-heavy";
const RUNS: usize = 3;
/// The API's largest key page.
const KEY_PAGE: usize = 100;

/// An ADOC caller acting as the demo owner, timing every call it makes.
pub struct Adoc {
    http: reqwest::Client,
    base: String,
    pub calls: Vec<Call>,
}

pub struct Call {
    pub label: &'static str,
    pub elapsed: Duration,
}

impl Adoc {
    pub fn new(base: &str) -> Result<Self, String> {
        // One idle connection kept per host and calls awaited one by one: a single keep-alive
        // connection, as a person pasting curl commands (or a simple script) would have.
        // Over HTTPS (a `--tls` server, self-signed on loopback) ALPN picks HTTP/2.
        let builder = reqwest::Client::builder().pool_max_idle_per_host(1);
        let builder = if base.starts_with("https://") {
            builder.danger_accept_invalid_certs(true)
        } else {
            builder.http1_only()
        };
        let http = builder.build().map_err(|e| e.to_string())?;
        Ok(Adoc {
            http,
            base: base.to_string(),
            calls: Vec::new(),
        })
    }

    /// One call; any status but 2xx is an error naming the call.
    pub async fn call(
        &mut self,
        label: &'static str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let started = Instant::now();
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("accessKey", "demo-owner-ak")
            .header("secretKey", "demo-owner-sk");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        self.calls.push(Call {
            label,
            elapsed: started.elapsed(),
        });
        if !status.is_success() {
            return Err(format!("{method} {path} answered {status}: {text}"));
        }
        serde_json::from_str(&text).map_err(|e| format!("{method} {path}: not JSON ({e}): {text}"))
    }

    pub async fn get(&mut self, label: &'static str, path: &str) -> Result<Value, String> {
        self.call(label, Method::GET, path, None).await
    }
}

/// What is left of the user's access after a lockout.
#[derive(Debug)]
pub struct EndState {
    pub keys: u64,
    pub groups: usize,
    pub enabled: bool,
    pub permissions: usize,
}

impl EndState {
    pub fn locked_out(&self) -> bool {
        self.keys == 0 && self.groups == 0 && !self.enabled && self.permissions == 0
    }

    pub fn describe(&self) -> String {
        format!(
            "{} keys, {} groups, {}, {} permissions",
            self.keys,
            self.groups,
            if self.enabled { "enabled" } else { "disabled" },
            self.permissions
        )
    }
}

/// Reads the user's keys, groups, status and permissions with fresh, untimed calls.
pub async fn end_state(base: &str) -> Result<EndState, String> {
    let mut adoc = Adoc::new(base)?;
    let user = TARGET_USER;
    let keys = adoc
        .get(
            "check",
            &format!("/admin/api/users/{user}/api-keys?page=0&size=1"),
        )
        .await?;
    let groups = adoc
        .get("check", &format!("/admin/api/users/{user}/groups"))
        .await?;
    let profile = adoc
        .get("check", &format!("/admin/api/users/{user}"))
        .await?;
    let permissions = adoc
        .get(
            "check",
            &format!("/authz/api/v1/users/permissions?userId={user}"),
        )
        .await?;
    Ok(EndState {
        keys: keys["meta"]["total"]
            .as_u64()
            .ok_or("api-keys answer has no meta.total")?,
        groups: array_len(&groups["groups"], "groups")?,
        enabled: profile["enabled"]
            .as_bool()
            .ok_or("user answer has no `enabled`")?,
        permissions: array_len(&permissions["permissions"], "permissions")?,
    })
}

/// The server's audit log for the target user, counted by action and outcome, e.g.
/// `api_key.delete 200, groups.remove 1`: what a lockout actually changed, call by call, as
/// the server recorded it (so the runbook and the app can be compared on the same terms).
pub async fn audit_summary(base: &str) -> Result<String, String> {
    let mut adoc = Adoc::new(base)?;
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut after = 0;
    loop {
        let page = adoc
            .get(
                "audit",
                &format!("/audit/api/v1/events?target={TARGET_USER}&after={after}&limit=1000"),
            )
            .await?;
        let events = page["events"]
            .as_array()
            .ok_or("audit answer without events")?;
        for event in events {
            let mut name = event["action"].as_str().unwrap_or("?").to_string();
            if event["outcome"] != json!("ok") {
                name = format!("{name} ({})", event["outcome"].as_str().unwrap_or("?"));
            }
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, count)) => *count += 1,
                None => counts.push((name, 1)),
            }
        }
        match events.last().and_then(|e| e["seq"].as_i64()) {
            Some(seq) if events.len() == 1000 => after = seq,
            _ => break,
        }
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts.iter().map(|(n, c)| format!("{n} {c}")).collect();
    Ok(format!("{total} ({})", parts.join(", ")))
}

fn array_len(value: &Value, what: &str) -> Result<usize, String> {
    value
        .as_array()
        .map(Vec::len)
        .ok_or_else(|| format!("answer has no `{what}` list"))
}

/// One runbook pass on a fresh database.
struct Run {
    wall: Duration,
    calls: Vec<Call>,
    keys_found: usize,
    groups_found: usize,
}

/// The runbook's Emergency Offboarding, steps in its order, one call at a time.
async fn offboard(base: &str) -> Result<Run, String> {
    let user = TARGET_USER;
    let mut adoc = Adoc::new(base)?;
    let started = Instant::now();

    // Emergency step 1, "Immediate disable": no new session can start while access goes.
    adoc.call(
        "PUT user {enabled:false}",
        Method::PUT,
        &format!("/admin/api/users/{user}"),
        Some(json!({"enabled": false})),
    )
    .await?;

    // Emergency step 2, "Mass revoke": list every key (all pages first, so deleting does not
    // shift the pages), then revoke them one by one, the only way the API offers.
    let mut keys = Vec::new();
    for page in 0.. {
        let answer = adoc
            .get(
                "GET api-keys (page)",
                &format!("/admin/api/users/{user}/api-keys?page={page}&size={KEY_PAGE}"),
            )
            .await?;
        let data = answer["data"].as_array().ok_or("api-keys without data")?;
        keys.extend(
            data.iter()
                .filter_map(|key| key["accessKey"].as_str().map(String::from)),
        );
        let total = answer["meta"]["total"].as_u64().unwrap_or(0) as usize;
        if data.is_empty() || keys.len() >= total {
            break;
        }
    }
    for key in &keys {
        adoc.call(
            "DELETE api-key",
            Method::DELETE,
            &format!("/admin/api/users/api-keys/{key}"),
            None,
        )
        .await?;
    }

    // Emergency step 3, "Group removal": every membership in one call.
    let groups = adoc
        .get("GET groups", &format!("/admin/api/users/{user}/groups"))
        .await?;
    let group_ids: Vec<String> = groups["groups"]
        .as_array()
        .ok_or("groups answer without groups")?
        .iter()
        .filter_map(|g| g["groupId"].as_str().map(String::from))
        .collect();
    if !group_ids.is_empty() {
        adoc.call(
            "PUT remove-groups",
            Method::PUT,
            &format!("/admin/api/users/{user}/remove-groups"),
            Some(json!({"groupIds": group_ids})),
        )
        .await?;
    }

    // The workflow's Step 5, "Verify Access Removed": part of the job, so part of the time.
    let permissions = adoc
        .get(
            "GET permissions (verify)",
            &format!("/authz/api/v1/users/permissions?userId={user}"),
        )
        .await?;
    let profile = adoc
        .get("GET user (verify)", &format!("/admin/api/users/{user}"))
        .await?;
    let wall = started.elapsed();

    if permissions["permissions"]
        .as_array()
        .is_none_or(|p| !p.is_empty())
    {
        return Err(format!(
            "the runbook's verification still shows permissions: {permissions}"
        ));
    }
    if profile["enabled"] != json!(false) {
        return Err(format!("the runbook's verification shows: {profile}"));
    }
    Ok(Run {
        wall,
        calls: adoc.calls,
        keys_found: keys.len(),
        groups_found: group_ids.len(),
    })
}

/// Where the server is, as far as the client can tell: on loopback, or behind a network's
/// latency; and which protocol it speaks.
#[derive(Clone, Copy)]
pub struct Condition {
    /// The section's number in the report.
    pub section: u32,
    pub words: &'static str,
    /// The server's `--chaos` spec that creates the condition (`None`: as fast as loopback goes).
    pub chaos: Option<&'static str>,
    /// HTTPS with HTTP/2 by ALPN (`--tls self-signed`); plain HTTP/1.1 otherwise.
    pub tls: bool,
}

impl Condition {
    /// The reference server in this condition, on a fresh demo database.
    pub async fn server(self) -> TestServer {
        TestServer::start(Setup {
            chaos: self.chaos,
            tls: self.tls,
            ..Setup::default()
        })
        .await
    }
}

/// A remote SaaS API: every call waits 20 ms on the server, as a round trip would.
const REMOTE: Option<&str> = Some("latency-ms=20");

pub const CONDITIONS: [Condition; 4] = [
    Condition {
        section: 3,
        words: "loopback, HTTP/1.1",
        chaos: None,
        tls: false,
    },
    Condition {
        section: 4,
        words: "loopback, HTTP/2 (TLS)",
        chaos: None,
        tls: true,
    },
    Condition {
        section: 5,
        words: "20 ms per call, HTTP/1.1",
        chaos: REMOTE,
        tls: false,
    },
    Condition {
        section: 6,
        words: "20 ms per call, HTTP/2 (TLS)",
        chaos: REMOTE,
        tls: true,
    },
];

/// Runs the runbook [`RUNS`] times, each on a fresh demo database, prints the section and
/// returns the median wall time in ms (the baseline *b*).
pub async fn run(condition: Condition) -> Result<f64, String> {
    println!(
        "   b, the runbook way: ADOC Emergency Offboarding of {TARGET_USER} (200 keys, 50 groups)"
    );
    println!(
        "   reqwest, one keep-alive connection, one call at a time; fresh demo database per run"
    );
    let mut runs = Vec::new();
    let mut audit = String::new();
    let mut table = Table::new(&["run", "calls", "keys", "groups", "wall time", "end state"]);
    for i in 1..=RUNS {
        eprintln!("bench: runbook run {i}/{RUNS}");
        let server = condition.server().await;
        let run = offboard(&server.base).await?;
        let state = end_state(&server.base).await?;
        audit = audit_summary(&server.base).await?;
        if !state.locked_out() {
            return Err(format!(
                "run {i}: the runbook left access behind: {}",
                state.describe()
            ));
        }
        table.row(vec![
            i.to_string(),
            run.calls.len().to_string(),
            run.keys_found.to_string(),
            run.groups_found.to_string(),
            ms(run.wall.as_secs_f64() * 1000.0),
            state.describe(),
        ]);
        runs.push(run);
    }
    table.print(3);

    let walls: Vec<f64> = runs.iter().map(|r| r.wall.as_secs_f64() * 1000.0).collect();
    let median = Stats::of(&walls).ok_or("no runbook run")?.median;
    println!(
        "   b = median of {RUNS} runs: {}   ({} calls per run)",
        ms(median),
        thousands(runs[0].calls.len() as u64)
    );

    println!("   changes in the server's audit log, last run: {audit}");

    // Where the time goes, as the client sees each call (all runs together).
    println!("   per call, client-side, all {RUNS} runs:");
    let mut breakdown = Table::new(&["call", "count", "median", "p95", "max", "sum per run"]);
    let mut labels: Vec<&'static str> = Vec::new();
    for call in runs.iter().flat_map(|r| &r.calls) {
        if !labels.contains(&call.label) {
            labels.push(call.label);
        }
    }
    for label in labels {
        let sample: Vec<f64> = runs
            .iter()
            .flat_map(|r| &r.calls)
            .filter(|c| c.label == label)
            .map(|c| c.elapsed.as_secs_f64() * 1000.0)
            .collect();
        let Some(stats) = Stats::of(&sample) else {
            continue;
        };
        let per_run = sample.iter().sum::<f64>() / RUNS as f64;
        breakdown.row(vec![
            label.to_string(),
            (sample.len() / RUNS).to_string(),
            ms(stats.median),
            ms(stats.p95),
            ms(stats.max),
            ms(per_run),
        ]);
    }
    breakdown.print(5);
    Ok(median)
}
