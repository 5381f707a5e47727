//! The `offboard` binary against the real reference server (in this process, on its own SQLite
//! file per test): what it prints, what it changes, and its exit status. The server's own
//! answers and audit log are the evidence, never the command's word alone.

use serde_json::Value;
use sha2::Digest;
use std::process::Output;
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::net::TcpListener;

const OWNER: (&str, &str) = ("demo-owner-ak", "demo-owner-sk");
const ADMIN: (&str, &str) = ("demo-admin-ak", "demo-admin-sk");
const TD_OWNER: &str = "1/demo-owner-master";

/// A reference server with the demo data, and a folder for journals and reports.
struct Platform {
    base: String,
    dir: TempDir,
    http: reqwest::Client,
}

impl Platform {
    async fn start() -> Self {
        Self::with_chaos(None).await
    }

    /// `chaos`: the server's `--chaos` spec, e.g. `latency-ms=20` to slow every answer.
    async fn with_chaos(chaos: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = format!("sqlite://{}", dir.path().join("platform.db").display());
        let mut config = offboard_server::ServerConfig::new(database);
        config.demo = true;
        config.demo_users = 5;
        config.chaos = chaos.map(|spec| spec.parse().expect("chaos spec"));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("port");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(offboard_server::serve(config, listener));
        let platform = Self {
            base,
            dir,
            http: reqwest::Client::new(),
        };
        for _ in 0..200 {
            if let Ok(answer) = platform.http.get(platform.url("/healthz")).send().await
                && answer.status().is_success()
            {
                return platform;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the reference server did not start");
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// An ADOC read as the account owner, asked again while `--chaos` answers with a fault.
    async fn adoc(&self, path: &str) -> Value {
        for _ in 0..50 {
            let answer = self
                .http
                .get(self.url(path))
                .header("accessKey", OWNER.0)
                .header("secretKey", OWNER.1)
                .send()
                .await
                .expect("server answers");
            if ![429, 500, 503].contains(&answer.status().as_u16()) {
                return answer.json().await.expect("JSON");
            }
        }
        panic!("{path} kept failing");
    }

    /// Every audit event about `target`, oldest first.
    async fn audit(&self, target: &str) -> Vec<Value> {
        let events = self
            .adoc(&format!("/audit/api/v1/events?target={target}&limit=1000"))
            .await;
        events["events"].as_array().cloned().unwrap_or_default()
    }

    /// `offboard` with the owner's ADOC keys in its environment (and nothing else of ours).
    async fn offboard(&self, args: &[&str]) -> Run {
        self.offboard_with(
            args,
            &[
                ("OFFBOARD_ACCESS_KEY", OWNER.0),
                ("OFFBOARD_SECRET_KEY", OWNER.1),
            ],
        )
        .await
    }

    async fn offboard_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let started = Instant::now();
        let output = command(args, env).output().await.expect("offboard runs");
        Run::from(output, started.elapsed())
    }
}

fn command(args: &[&str], env: &[(&str, &str)]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_offboard"));
    command.args(args).kill_on_drop(true);
    for name in [
        "OFFBOARD_ACCESS_KEY",
        "OFFBOARD_SECRET_KEY",
        "OFFBOARD_API_KEY",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command
}

/// What one `offboard` command did.
struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Run {
    fn from(output: Output, took: Duration) -> Self {
        Self {
            status: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            took,
        }
    }

    fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("the report is JSON ({e}): {}\n{}", self.stdout, self.stderr)
        })
    }

    fn assert_status(&self, status: i32) {
        assert_eq!(
            self.status,
            Some(status),
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
    }
}

/// The changes (anything but reads) the audit log holds about `target`.
fn changes(events: &[Value]) -> usize {
    events.len()
}

fn emergency(base: &str, user: &str) -> Vec<String> {
    [
        "run",
        "--dialect",
        "adoc",
        "--base-url",
        base,
        "--user",
        user,
        "--mode",
        "emergency",
    ]
    .map(String::from)
    .to_vec()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_prints_every_call_and_changes_nothing() {
    let platform = Platform::start().await;
    let mut args = emergency(&platform.base, "heavy@company.com");
    args[0] = "plan".into();
    let run = platform.offboard(&strs(&args)).await;
    run.assert_status(0);
    assert!(
        run.stdout
            .contains("Dry run, nothing is changed. Emergency lockout of"),
        "{}",
        run.stdout
    );
    assert_says(&run.stdout, "PUT /admin/api/users/user-heavy {");
    for key in ["AK-heavy-001", "AK-heavy-200"] {
        let revoke = format!("DELETE /admin/api/users/api-keys/{key}\n");
        assert!(run.stdout.contains(&revoke), "{revoke} in {}", run.stdout);
    }
    assert!(
        run.stdout
            .contains("PUT /admin/api/users/user-heavy/remove-groups")
    );
    assert_eq!(
        changes(&platform.audit("user-heavy").await),
        0,
        "nothing changed"
    );
    let keys = platform
        .adoc("/admin/api/users/user-heavy/api-keys?size=1")
        .await;
    assert_eq!(keys["meta"]["total"], 200);

    // `run --dry-run` is the same dry run.
    args[0] = "run".into();
    args.push("--dry-run".into());
    let again = platform.offboard(&strs(&args)).await;
    again.assert_status(0);
    assert_eq!(again.stdout, run.stdout);
    assert_eq!(changes(&platform.audit("user-heavy").await), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_run_leaves_no_key_no_group_and_a_disabled_account() {
    let platform = Platform::start().await;
    let run = platform
        .offboard(&strs(&emergency(&platform.base, "user-heavy")))
        .await;
    run.assert_status(0);
    let report = run.report();
    assert_eq!(report["verdict"]["outcome"], "verified", "{report:#}");
    // Notified when the command started: the removal is timed against every control.
    let evidence = &report["evidence"];
    assert!(evidence["accessRemovedAt"].is_string(), "{evidence:#}");
    assert_eq!(evidence["controls"][0]["status"], "met", "{evidence:#}");
    assert_says(&run.stderr, "Access removed and verified");
    assert_says(&run.stderr, "200/200 keys revoked");
    for secret in [OWNER.1, "demo-user123-sk-abc"] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }

    // The platform agrees.
    let user = platform.adoc("/admin/api/users/user-heavy").await;
    assert_eq!(user["enabled"], false);
    let keys = platform.adoc("/admin/api/users/user-heavy/api-keys").await;
    assert_eq!(keys["meta"]["total"], 0);
    let groups = platform.adoc("/admin/api/users/user-heavy/groups").await;
    assert_eq!(groups["groups"].as_array().map(Vec::len), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_midway_finishes_from_its_journal_doing_nothing_twice() {
    // Every answer 20 ms late, so the 200 revocations take long enough to be interrupted.
    let platform = Platform::with_chaos(Some("latency-ms=20")).await;
    let journal = platform.file("heavy.journal.json");
    let mut args = emergency(&platform.base, "user-heavy");
    args.extend(["--journal".into(), journal.clone()]);
    let env = [
        ("OFFBOARD_ACCESS_KEY", OWNER.0),
        ("OFFBOARD_SECRET_KEY", OWNER.1),
    ];
    let mut child = command(&strs(&args), &env)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("offboard starts");
    let mut deleted = 0;
    for _ in 0..500 {
        deleted = key_deletions(&platform).await.len();
        if deleted >= 30 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().await.expect("killed");
    assert!(
        (30..200).contains(&deleted),
        "killed midway, after {deleted} deletions"
    );
    let killed_at = key_deletions(&platform).await.len();
    assert!(
        killed_at < 200,
        "the kill left keys to revoke ({killed_at} deleted)"
    );

    let resumed = platform.offboard(&strs(&args)).await;
    resumed.assert_status(0);
    assert_says(&resumed.stderr, "continuing the run in");
    assert_eq!(resumed.report()["verdict"]["outcome"], "verified");

    // Nothing twice: each key deleted once (each deletion found its key), one disable.
    let deletions = key_deletions(&platform).await;
    let mut keys: Vec<&str> = deletions.iter().map(|(key, _)| key.as_str()).collect();
    assert!(
        deletions.iter().all(|(_, outcome)| outcome == "ok"),
        "{deletions:?}"
    );
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(
        (keys.len(), deletions.len()),
        (200, 200),
        "every key deleted exactly once"
    );
    let events = platform.audit("user-heavy").await;
    let disables = events
        .iter()
        .filter(|e| e["action"] == "user.update")
        .count();
    assert_eq!(disables, 1, "the account was disabled once");
}

/// The `api_key.delete` events of `user-heavy`: (key, outcome).
async fn key_deletions(platform: &Platform) -> Vec<(String, String)> {
    platform
        .audit("user-heavy")
        .await
        .iter()
        .filter(|e| e["action"] == "api_key.delete")
        .map(|e| {
            let text = |field: &str| e[field].as_str().unwrap_or_default().to_string();
            (text("subject"), text("outcome"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_or_missing_credentials_stop_before_anything_with_plain_words() {
    let platform = Platform::start().await;
    let args = emergency(&platform.base, "user-123");
    let wrong = platform
        .offboard_with(
            &strs(&args),
            &[
                ("OFFBOARD_ACCESS_KEY", OWNER.0),
                ("OFFBOARD_SECRET_KEY", "not-the-secret"),
            ],
        )
        .await;
    wrong.assert_status(3);
    assert_says(&wrong.stderr, "did not accept these credentials");
    assert!(!wrong.stderr.contains("not-the-secret"));
    assert!(wrong.stdout.is_empty(), "no report: {}", wrong.stdout);

    let missing = platform
        .offboard_with(&strs(&args), &[("OFFBOARD_ACCESS_KEY", OWNER.0)])
        .await;
    missing.assert_status(2);
    assert_says(&missing.stderr, "OFFBOARD_SECRET_KEY");

    // A credentials file works as the environment does.
    let file = platform.file("keys.env");
    std::fs::write(
        &file,
        format!(
            "OFFBOARD_ACCESS_KEY={}\nOFFBOARD_SECRET_KEY={}\n",
            OWNER.0, OWNER.1
        ),
    )
    .unwrap();
    let mut planned = args.clone();
    planned[0] = "plan".into();
    planned.extend(["--credentials-file".into(), file]);
    let from_file = platform.offboard_with(&strs(&planned), &[]).await;
    from_file.assert_status(0);

    assert_eq!(changes(&platform.audit("user-123").await), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rules_and_unknown_people_stop_a_run_before_it_starts() {
    let platform = Platform::start().await;
    let admin = [
        ("OFFBOARD_ACCESS_KEY", ADMIN.0),
        ("OFFBOARD_SECRET_KEY", ADMIN.1),
    ];
    let owner = platform
        .offboard_with(&strs(&emergency(&platform.base, "user-owner")), &admin)
        .await;
    owner.assert_status(3);
    assert_says(&owner.stderr, "may not be offboarded");

    let nobody = platform
        .offboard(&strs(&emergency(&platform.base, "nobody@company.com")))
        .await;
    nobody.assert_status(3);
    assert_says(&nobody.stderr, "no one is nobody@company.com");
    assert_eq!(changes(&platform.audit("user-owner").await), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_in_the_past_starts_at_once_and_in_the_future_waits_for_it() {
    let platform = Platform::start().await;
    let mut past = emergency(&platform.base, "user-123");
    past.extend(["--at".into(), "2000-01-01T00:00:00Z".into()]);
    let run = platform.offboard(&strs(&past)).await;
    run.assert_status(0);
    assert!(
        run.stderr
            .contains("2000-01-01T00:00:00Z has passed: starting now"),
        "{}",
        run.stderr
    );

    let start = time_in(Duration::from_secs(3));
    let mut future = emergency(&platform.base, "replacement@company.com");
    future.extend(["--at".into(), start]);
    let before = platform.audit("user-456").await.len();
    let waited = platform.offboard(&strs(&future)).await;
    waited.assert_status(0);
    assert_says(&waited.stderr, "waiting until");
    assert!(
        waited.took >= Duration::from_millis(2_500),
        "waited {:?}",
        waited.took
    );
    assert!(platform.audit("user-456").await.len() > before);
}

/// RFC 3339 (UTC) for `from_now` from now, to the second rounded up.
fn time_in(from_now: Duration) -> String {
    let at = std::time::SystemTime::now() + from_now + Duration::from_secs(1);
    let ms = at
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as f64;
    offboard_engine::time::rfc3339(ms)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guided_steps_document_disable_hand_over_and_verify() {
    let platform = Platform::start().await;
    let base = &platform.base;
    let guided = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "--dialect",
            "adoc",
            "--base-url",
            base,
            "--user",
            "first.last@company.com",
            "--mode",
            "wizard-steps",
            "--reason",
            "Moved to another company",
        ];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    // user-123 owns two pipelines: someone must take them over.
    let unnamed = platform.offboard(&strs(&guided(&[]))).await;
    unnamed.assert_status(2);
    assert_says(&unnamed.stderr, "owns 2 pipelines");
    assert_eq!(changes(&platform.audit("user-123").await), 0);

    let run = platform
        .offboard(&strs(&guided(&[
            "--replacement",
            "replacement@company.com",
        ])))
        .await;
    run.assert_status(0);
    let report = run.report();
    assert_eq!(report["verdict"]["outcome"], "verified", "{report:#}");
    let user = platform.adoc("/admin/api/users/user-123").await;
    assert_eq!(user["enabled"], false);
    assert_eq!(user["attributes"]["reason"][0], "Moved to another company");
    assert_eq!(
        user["attributes"]["handedOffTo"][0],
        "replacement@company.com"
    );
    let owned = platform
        .adoc("/torch-pipeline/api/pipelines?owner=first.last@company.com")
        .await;
    assert_eq!(owned["pipelines"].as_array().map(Vec::len), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn treasure_data_keys_move_to_a_stronger_role_only_when_accepted() {
    let platform = Platform::start().await;
    let env = [("OFFBOARD_API_KEY", TD_OWNER)];
    let delete = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "--dialect",
            "td",
            "--base-url",
            &platform.base,
            "--user",
            "first.last@company.com",
            "--mode",
            "delete",
            "--keys",
            "reassign",
        ];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let refused = platform.offboard_with(&strs(&delete(&[])), &env).await;
    refused.assert_status(2);
    assert_says(&refused.stderr, "--accept-key-escalation");

    let report = platform.file("td-report.json");
    let accepted = platform
        .offboard_with(
            &strs(&delete(&["--accept-key-escalation", "--report", &report])),
            &env,
        )
        .await;
    // The user is gone, but their keys live on under the owner: not "verified", and said so.
    accepted.assert_status(1);
    assert!(accepted.stdout.is_empty(), "the report went to the file");
    let text = std::fs::read_to_string(&report).unwrap();
    let written: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written["verdict"]["outcome"], "keys-live-on", "{written:#}");
    // The digest printed is the file's.
    let digest = format!("{:x}", sha2::Sha256::digest(text.as_bytes()));
    let said = format!("Report SHA-256: {digest}");
    assert_says(&accepted.stderr, &said);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_of_another_run_is_not_continued() {
    let platform = Platform::start().await;
    let journal = platform.file("run.journal.json");
    let mut first = emergency(&platform.base, "user-123");
    first.extend(["--journal".into(), journal.clone()]);
    platform.offboard(&strs(&first)).await.assert_status(0);

    // The same journal again: the run is finished, so its report again, nothing sent.
    let before = platform.audit("user-123").await.len();
    let again = platform.offboard(&strs(&first)).await;
    again.assert_status(0);
    assert_eq!(platform.audit("user-123").await.len(), before);

    let mut other = emergency(&platform.base, "replacement@company.com");
    other.extend(["--journal".into(), journal]);
    let refused = platform.offboard(&strs(&other)).await;
    refused.assert_status(2);
    assert_says(&refused.stderr, "the journal holds another run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_checks_every_row_then_offboards_the_rest_once_each() {
    let platform = Platform::start().await;
    let csv = platform.file("leavers.csv");
    std::fs::write(
        &csv,
        "email,reason,handed_off_to,mode\n\
         first.last@company.com,Team closed,replacement@company.com,disable\n\
         user.0001@company.com,,,emergency\n\
         nobody@company.com,,,emergency\n\
         owner@company.com,,,emergency\n\
         user.0002@company.com,\"Contract ended, not renewed\",,disable\n",
    )
    .unwrap();
    let journals = platform.file("journals");
    let bulk = |extra: &[&str]| {
        let mut args = vec![
            "bulk",
            "--dialect",
            "adoc",
            "--base-url",
            &platform.base,
            "--csv",
            &csv,
        ];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };

    // The dry run says what each row would do, and which will not run and why.
    let dry = platform.offboard(&strs(&bulk(&["--dry-run"]))).await;
    dry.assert_status(1);
    assert!(
        dry.stderr
            .contains("line 4  nobody@company.com  emergency  will not run: No such person"),
        "{}",
        dry.stderr
    );
    assert_says(
        &dry.stderr,
        "line 5  owner@company.com  emergency  will not run: You cannot remove or lock out your own account.",
    );
    assert!(
        dry.stderr.contains("3 of 5 rows will run; 2 will not"),
        "{}",
        dry.stderr
    );
    assert!(
        dry.stdout
            .contains("line 2: Guided offboarding of first.last@company.com: "),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .contains("line 3: Emergency lockout of user.0001@company.com: "),
        "{}",
        dry.stdout
    );
    assert_eq!(
        changes(&platform.audit("user-123").await),
        0,
        "a dry run changes nothing"
    );

    // The run: the three that may, each verified; the result names every row.
    let run = platform
        .offboard(&strs(&bulk(&[
            "--journal-dir",
            &journals,
            "--people-at-once",
            "2",
        ])))
        .await;
    run.assert_status(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "line,who,mode,result,detail,report");
    let expected = [
        "2,first.last@company.com,disable,verified,Access removed and verified.,",
        "3,user.0001@company.com,emergency,verified,",
        "4,nobody@company.com,emergency,not run,No such person",
        "5,owner@company.com,emergency,not run,",
        "6,user.0002@company.com,disable,verified,",
    ];
    for (line, prefix) in lines[1..].iter().zip(expected) {
        assert!(line.starts_with(prefix), "{prefix} in\n{}", run.stdout);
    }
    // Each person's progress is named, and each report written beside the journals.
    assert!(
        run.stderr
            .contains("first.last@company.com: [1/6] Document current access"),
        "{}",
        run.stderr
    );
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{journals}/line-2-first.last@company.com.report.json"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(report["verdict"]["outcome"], "verified");
    let user = platform.adoc("/admin/api/users/user-123").await;
    assert_eq!(user["enabled"], false);
    assert_eq!(user["attributes"]["reason"][0], "Team closed");
    let owned = platform
        .adoc("/torch-pipeline/api/pipelines?owner=replacement@company.com")
        .await;
    assert_eq!(owned["pipelines"].as_array().map(Vec::len), Some(3));
    let owner = platform.adoc("/admin/api/users/user-owner").await;
    assert_eq!(
        owner["enabled"], true,
        "a row the rules forbid is never sent"
    );

    // Started again with the same journals: every finished run is reported again, nothing sent.
    let before = platform.audit("user-123").await.len();
    let again = platform
        .offboard(&strs(&bulk(&["--journal-dir", &journals])))
        .await;
    again.assert_status(1);
    assert_eq!(
        again
            .stdout
            .lines()
            .filter(|l| l.contains(",verified,"))
            .count(),
        3
    );
    assert_eq!(platform.audit("user-123").await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_file_that_is_not_a_list_of_people_stops_before_anything() {
    let platform = Platform::start().await;
    let csv = platform.file("typo.csv");
    std::fs::write(&csv, "emial,reason\nfirst.last@company.com,bye\n").unwrap();
    let run = platform
        .offboard(&[
            "bulk",
            "--dialect",
            "adoc",
            "--base-url",
            &platform.base,
            "--csv",
            &csv,
            "--dry-run",
        ])
        .await;
    run.assert_status(2);
    assert_says(&run.stderr, "Unknown column \u{201c}emial\u{201d}");
    let missing = platform
        .offboard(&[
            "bulk",
            "--dialect",
            "adoc",
            "--base-url",
            &platform.base,
            "--csv",
            &csv,
        ])
        .await;
    missing.assert_status(2);
    assert_says(&missing.stderr, "--journal-dir");
}

/// Asserts `output` says `wanted`, showing all of it when it does not.
fn assert_says(output: &str, wanted: &str) {
    assert!(output.contains(wanted), "{wanted:?} in:\n{output}");
}

/// A row whose run deleted the person is not "no such person" when the same file runs again:
/// its journal says what it did, and nothing is sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_deletion_run_again_is_reported_from_its_journal_not_as_no_such_person() {
    let platform = Platform::start().await;
    let csv = platform.file("deleted.csv");
    std::fs::write(&csv, "email,mode\nuser.0001@company.com,delete\n").unwrap();
    let journals = platform.file("journals");
    let args = [
        "bulk",
        "--dialect",
        "adoc",
        "--base-url",
        &platform.base,
        "--csv",
        &csv,
        "--journal-dir",
        &journals,
    ];
    let first = platform.offboard(&args).await;
    first.assert_status(0);
    let before = platform.audit("user-gen-0001").await.len();
    let again = platform.offboard(&args).await;
    again.assert_status(0);
    assert!(
        again
            .stdout
            .contains("2,user.0001@company.com,delete,verified,"),
        "{}",
        again.stdout
    );
    assert_eq!(
        platform.audit("user-gen-0001").await.len(),
        before,
        "nothing sent again"
    );
}
