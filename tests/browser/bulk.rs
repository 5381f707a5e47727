//! Bulk offboarding in the console: a pasted CSV checked against the platform (the rows that
//! must not run say why), a dry run that changes nothing, the run a few people at a time with
//! each person verified, the result downloaded, and a run interrupted by a reload continued
//! without sending anything twice.

use crate::support::{Browser, Setup, TestServer};
use crate::wizard::downloaded;

const LEAVERS: &str = "email,reason,handed_off_to,mode\n\
first.last@company.com,Team closed,replacement@company.com,disable\n\
user.0001@company.com,,,emergency\n\
nobody@company.com,,,emergency\n\
owner@company.com,,,emergency\n\
heavy@company.com,,,emergency";

#[tokio::test]
async fn a_csv_is_checked_dry_run_then_everyone_who_may_is_offboarded_and_verified() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/bulk").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("Bulk offboarding").await;
    browser.fill("People (CSV)", LEAVERS).await;
    browser.press("Check these people").await;

    browser.see("5 people: 3 will run, 2 will not.").await;
    browser.see("No such person on this platform.").await;
    browser
        .see("You cannot remove or lock out your own account.")
        .await;
    browser.press("Dry run: list every call").await;
    browser
        .see("Line 2: Guided offboarding of first.last@company.com, 23 calls, 6 of them changes")
        .await;
    browser
        .see("Line 6: Emergency lockout of heavy@company.com, 208 calls, 202 of them changes")
        .await;
    browser.screenshot("bulk-check").await;
    let (_, events) = server.owner().get("/audit/api/v1/events?limit=1000").await;
    assert_eq!(
        events["events"],
        serde_json::json!([]),
        "a dry run changes nothing"
    );

    browser.press("Offboard 3 people").await;
    browser.see_role("dialog", "Offboard 3 people?").await;
    browser.press("Offboard them now").await;
    browser.see("3 of 3 people finished").await;
    browser.screenshot("bulk-done").await;
    assert_eq!(
        browser
            .body_text()
            .await
            .matches("Access removed and verified.")
            .count(),
        3,
        "{}",
        browser.body_text().await
    );

    // The platform agrees, and the rows that must not run were never sent.
    let owner = server.owner();
    for id in ["user-123", "user-gen-0001", "user-heavy"] {
        let (_, user) = owner.get(&format!("/admin/api/users/{id}")).await;
        assert_eq!(user["enabled"], false, "{id} disabled");
    }
    let (_, heavy_keys) = owner.get("/admin/api/users/user-heavy/api-keys").await;
    assert_eq!(heavy_keys["meta"]["total"], 0);
    let (_, left) = owner
        .get("/torch-pipeline/api/pipelines?owner=first.last%40company.com")
        .await;
    assert_eq!(left["pipelines"], serde_json::json!([]));
    let (_, me) = owner.get("/admin/api/users/user-owner").await;
    assert_eq!(me["enabled"], true);

    // The result, one line per person.
    browser.press("Download result (CSV)").await;
    let result = downloaded(&browser, "offboard-bulk-", ".csv").await;
    let lines: Vec<&str> = result.lines().collect();
    assert_eq!(lines.len(), 6, "{result}");
    assert_eq!(lines[0], "line,who,name,platform,mode,result,detail,run");
    let platform = format!(
        "Acceldata ADOC · {}",
        server.base.trim_start_matches("http://")
    );
    assert!(
        lines[1].starts_with(&format!(
            "2,first.last@company.com,First Last,{platform},disable,verified,"
        )),
        "{result}"
    );
    assert!(
        lines[3].starts_with(&format!(
            "4,nobody@company.com,,{platform},emergency,not run,No such person"
        )),
        "{result}"
    );
    assert!(lines[5].starts_with("6,heavy@company.com,"), "{result}");
    assert!(lines[5].contains(",emergency,verified,"), "{result}");

    // Each person's run is on the runs page like any other.
    browser.link("Runs").await.click().await.unwrap();
    browser.see("3 of 3 runs").await;
}

/// A server whose every answer is `chaos`'s latency late (so a run can be caught midway), a
/// browser connected as the owner, and `csv` checked and started (`people` of its rows run).
async fn bulk_run_started(csv: &str, people: usize, chaos: &'static str) -> (TestServer, Browser) {
    let server = TestServer::start(Setup {
        chaos: Some(chaos),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/bulk").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.fill("People (CSV)", csv).await;
    browser.press("Check these people").await;
    browser.press(&format!("Offboard {people} people")).await;
    browser.press("Offboard them now").await;
    (server, browser)
}

#[tokio::test]
async fn a_bulk_run_interrupted_by_a_reload_continues_and_sends_nothing_twice() {
    let csv = "email,mode\nheavy@company.com,emergency\nuser.0001@company.com,emergency";
    let (server, browser) = bulk_run_started(csv, 2, "latency-ms=20").await;
    let deleted = server
        .owner()
        .wait_for_key_deletions("user-heavy", 30)
        .await;
    assert!(deleted < 200, "reloaded midway ({deleted} keys deleted)");

    // A reload: the connection was in memory only, so Connect asks again, then the bulk run is
    // offered to continue.
    browser.client.refresh().await.unwrap();
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser
        .see("A bulk run from this browser was interrupted")
        .await;
    browser.screenshot("bulk-continue").await;
    browser.press("Continue the bulk run").await;
    browser.see("2 of 2 people finished").await;
    server
        .owner()
        .assert_each_key_deleted_once("user-heavy", 200)
        .await;
    let (_, user) = server.owner().get("/admin/api/users/user-heavy").await;
    assert_eq!(user["enabled"], false);
}

#[tokio::test]
async fn paused_no_one_new_starts_and_resumed_the_rest_run() {
    let csv = "email,mode\nheavy@company.com,emergency\nuser.0001@company.com,emergency\n\
               user.0002@company.com,emergency\nuser.0003@company.com,emergency";
    // Each answer 100 ms late: the three running take about half a second, time enough to pause.
    let (server, browser) = bulk_run_started(csv, 4, "latency-ms=100").await;
    // Three start at once; paused, the fourth waits while they finish.
    browser.press("Pause").await;
    browser.see("3 of 4 people finished").await;
    browser.see("Paused").await;
    let (_, waiting) = server.owner().get("/admin/api/users/user-gen-0003").await;
    assert_eq!(waiting["enabled"], true, "no one new started while paused");
    browser.press("Resume").await;
    browser.see("4 of 4 people finished").await;
    let (_, done) = server.owner().get("/admin/api/users/user-gen-0003").await;
    assert_eq!(done["enabled"], false);
}

/// A run of many people shows its lines a page at a time (a screen of hundreds of live lines
/// spends its time laying them out), and every line is still reachable.
#[tokio::test]
async fn a_long_run_shows_its_lines_a_page_at_a_time() {
    let server = TestServer::start(Setup {
        demo_users: Some(60),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/bulk").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    let csv: Vec<String> = std::iter::once("email,mode".to_string())
        .chain((1..=60).map(|n| format!("user.{n:04}@company.com,emergency")))
        .collect();
    browser.paste("People (CSV)", &csv.join("\n")).await;
    browser.press("Check these people").await;
    browser.see("60 people: 60 will run, 0 will not.").await;
    browser.press("Offboard 60 people").await;
    browser.press("Offboard them now").await;
    browser.see("60 of 60 people finished").await;
    browser.see("Showing 1–50 of 60").await;
    assert!(!browser.body_text().await.contains("user.0051@company.com"));
    browser.press("Next page").await;
    browser.see("Showing 51–60 of 60").await;
    browser.see("user.0060@company.com").await;
    browser.screenshot("bulk-second-page").await;
    assert!(
        browser
            .button("Next page")
            .await
            .attr("disabled")
            .await
            .unwrap()
            .is_some()
    );
    let (_, last) = server.owner().get("/admin/api/users/user-gen-0060").await;
    assert_eq!(last["enabled"], false);
}
