//! Several platforms at once: two reference servers stand for one company's ADOC tenant and its
//! Treasure Data account, with the named people on both. Connect holds both, the user page
//! shows a person on each side by side, and one emergency run locks the person out everywhere.

use crate::emergency::assert_locked_out;
use crate::support::{Browser, Setup, TestServer};
use crate::wizard::downloaded;
use offboard_server::DemoSet;

/// The company's two platforms: "ADOC prod" serves the app; "TD EU" is another server whose
/// API the page may call (its CORS allows the app's origin, the app's CSP allows any local
/// port). `td_chaos` injects faults into the second only.
async fn two_platforms(td_chaos: Option<&'static str>) -> (TestServer, TestServer, Browser) {
    two_platforms_with(None, td_chaos).await
}

/// [`two_platforms`], with faults (`adoc_chaos`) in the first too.
async fn two_platforms_with(
    adoc_chaos: Option<&'static str>,
    td_chaos: Option<&'static str>,
) -> (TestServer, TestServer, Browser) {
    let adoc = TestServer::start(Setup {
        connect_src: vec!["http://127.0.0.1:*".into()],
        chaos: adoc_chaos,
        ..Setup::default()
    })
    .await;
    let td = TestServer::start(Setup {
        demo_set: DemoSet::Second,
        cors_origins: vec![adoc.base.clone()],
        chaos: td_chaos,
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&adoc).await;
    browser.visit("/connect").await;
    browser.fill("Name (optional)", "ADOC prod").await;
    // Remembered in this tab, so the test can open addresses directly (a page load).
    browser.choose("Remember in this tab").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("first.last@company.com").await;

    browser.follow("Add a platform").await;
    browser.see("Connect another platform").await;
    browser.fill("Base URL", &td.base).await;
    browser.fill("Name (optional)", "TD EU").await;
    browser.choose("Remember in this tab").await;
    browser.connect_td("1/demo-owner-master").await;
    browser.button("TD EU").await;
    (adoc, td, browser)
}

#[tokio::test]
async fn a_person_on_two_platforms_is_seen_side_by_side_and_locked_out_everywhere_in_one_run() {
    let (adoc, td, browser) = two_platforms(None).await;

    // Both platforms in the header, the one just connected current.
    let current = browser.button("TD EU").await;
    assert_eq!(
        current.attr("aria-pressed").await.unwrap().as_deref(),
        Some("true")
    );
    let other = browser.button("ADOC prod").await;
    assert_eq!(
        other.attr("aria-pressed").await.unwrap().as_deref(),
        Some("false")
    );

    // An email searched in the directory is looked for on every platform: this one on ADOC
    // only, where the current platform (TD EU) has no such person.
    browser.fill("Search users", "user.0001@company.com").await;
    browser.see("No one matches").await;
    browser
        .follow("Look for user.0001@company.com on every connected platform")
        .await;
    browser.see("Person not found").await;
    // Found on ADOC prod: its card offers to show the person there.
    browser.button("Show on ADOC prod").await;
    browser.screenshot("platforms-found-elsewhere").await;

    // The person on each platform, side by side; the ADOC card opens them there.
    browser.visit("/users/first.last@company.com").await;
    browser.see("On every connected platform").await;
    browser.see("TD EU (this page)").await;
    browser.see("2 API keys · 3 groups").await;
    browser.screenshot("platforms-user-side-by-side").await;
    browser.press("Show on ADOC prod").await;
    browser.see("ADOC prod (this page)").await;
    assert_eq!(browser.path().await, "/users/user-123");

    // One emergency run, both platforms at once.
    browser.follow("Emergency lockout").await;
    browser.see("Lock out First Last on every platform?").await;
    browser.screenshot("platforms-lockout-confirm").await;
    browser.press("Lock out on 2 platforms now").await;
    let verdict = browser.see_role("status", "Locked out everywhere in").await;
    let text = verdict.text().await.unwrap();
    assert!(
        text.contains("Access removed and verified on both platforms with an account"),
        "{text}"
    );
    assert!(text.contains("ADOC prod: "), "{text}");
    assert!(text.contains("TD EU: "), "{text}");
    browser.screenshot("platforms-lockout-done").await;

    // Each server agrees, through its own API.
    assert_locked_out(&adoc, "user-123").await;
    let (status, _) = td.owner().get("/admin/api/users/user-123").await;
    assert_eq!(status, 404, "removed from the second platform");

    // The one report holds both platforms' reports.
    browser
        .press("Download the report for every platform (JSON)")
        .await;
    assert!(browser.console_errors().await.is_empty());
}

#[tokio::test]
async fn a_platform_that_refuses_does_not_stop_the_other_and_the_verdict_names_it() {
    // The second platform refuses to remove users: its keys can go, the account stays.
    let (adoc, _td, browser) =
        two_platforms(Some("error-rate=1,statuses=403,path=/v3/user/remove")).await;
    browser
        .visit("/emergency?user=first.last@company.com")
        .await;
    browser.press("Lock out on 2 platforms now").await;
    let verdict = browser
        .see_role("alert", "Not fully locked out after")
        .await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("Access is left on TD EU."), "{text}");
    assert!(!text.contains("left on ADOC prod"), "{text}");
    browser.screenshot("platforms-lockout-one-left").await;
    assert_locked_out(&adoc, "user-123").await;
}

#[tokio::test]
async fn a_bulk_file_is_checked_and_run_on_both_platforms_one_line_per_person_and_platform() {
    let (adoc, td, browser) = two_platforms(None).await;
    // The current platform comes first: make it ADOC prod.
    browser.press("ADOC prod").await;
    browser.follow("Bulk").await;
    browser
        .fill(
            "People (CSV)",
            "email,mode\n\
             first.last@company.com,emergency\n\
             user.0001@company.com,emergency\n\
             eu.0001@company.com,emergency\n\
             nobody@company.com,emergency\n\
             owner@company.com,emergency\n\
             first.last@company.com,emergency",
        )
        .await;
    browser.press("Check these people").await;
    // On both: the first; only on ADOC: user.0001; only on TD: eu.0001; nowhere: nobody; the
    // owner is refused everywhere and the repeated row is flagged on both.
    browser
        .see("6 people on 2 platforms: 4 lines will run, 6 will not, 2 with no account there.")
        .await;
    let page = browser.body_text().await;
    assert_eq!(
        page.matches("No account here: nothing to do.").count(),
        2,
        "{page}"
    );
    assert_eq!(
        page.matches("No such person on this platform.").count(),
        2,
        "{page}"
    );
    assert_eq!(
        page.matches("You cannot remove or lock out your own account.")
            .count(),
        2,
        "{page}"
    );
    browser.screenshot("platforms-bulk-check").await;

    browser.press("Run 4 offboardings").await;
    browser.see_role("dialog", "Run 4 offboardings?").await;
    browser.press("Offboard them now").await;
    browser.see("4 of 4 offboardings finished").await;
    browser.screenshot("platforms-bulk-done").await;

    // Each server agrees through its own API; the rows that must not run were never sent.
    let (_, first) = adoc.owner().get("/admin/api/users/user-123").await;
    assert_eq!(first["enabled"], false);
    let (_, generated) = adoc.owner().get("/admin/api/users/user-gen-0001").await;
    assert_eq!(generated["enabled"], false);
    let (_, me) = adoc.owner().get("/admin/api/users/user-owner").await;
    assert_eq!(me["enabled"], true);
    for removed in ["user-123", "user-eu-0001"] {
        let (status, _) = td.owner().get(&format!("/admin/api/users/{removed}")).await;
        assert_eq!(status, 404, "{removed} removed from the second platform");
    }
    let (_, me) = td.owner().get("/admin/api/users/user-owner").await;
    assert_eq!(me["enabled"], true);

    // The result: one line per person and platform.
    browser.press("Download result (CSV)").await;
    let result = downloaded(&browser, "offboard-bulk-", ".csv").await;
    let lines: Vec<&str> = result.lines().collect();
    assert_eq!(lines.len(), 13, "{result}");
    assert!(
        lines[1].starts_with("2,first.last@company.com,First Last,ADOC prod,emergency,verified,"),
        "{result}"
    );
    assert!(
        lines[2].starts_with("2,first.last@company.com,First Last,TD EU,emergency,verified,"),
        "{result}"
    );
    assert!(
        lines[5].starts_with("4,eu.0001@company.com,,ADOC prod,emergency,no account,"),
        "{result}"
    );
}

#[tokio::test]
async fn the_delete_modal_deletes_the_person_on_both_platforms_under_one_verdict() {
    let (adoc, td, browser) = two_platforms(None).await;
    browser.press("ADOC prod").await;
    browser.visit("/users/user-123").await;
    browser.press("Delete user").await;
    let also = browser
        .field("Delete on TD EU too (First Last, 2 API keys; keys deleted)")
        .await;
    assert!(also.is_selected().await.unwrap(), "ticked by default");
    browser
        .fill(
            "Type first.last@company.com to confirm",
            "first.last@company.com",
        )
        .await;
    browser.screenshot("platforms-delete-modal").await;
    browser
        .press("Delete first.last@company.com and 2 keys")
        .await;
    let verdict = browser.see_role("status", "Every platform:").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("verified on both platforms"), "{text}");
    browser.screenshot("platforms-delete-done").await;
    browser
        .press("Download the report for every platform (JSON)")
        .await;
    let report = crate::wizard::downloaded(&browser, "deletion-everywhere-", ".json").await;
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["verdict"]["passed"], true);
    assert_eq!(report["platforms"][1]["platform"], "TD EU");
    assert_eq!(report["platforms"][1]["report"]["kind"], "deletion");
    for server in [&adoc, &td] {
        let (status, _) = server.owner().get("/admin/api/users/user-123").await;
        assert_eq!(status, 404, "deleted on {}", server.base);
    }
}

#[tokio::test]
async fn the_guided_offboarding_takes_the_same_departure_to_the_other_platform() {
    let (adoc, td, browser) = two_platforms(None).await;
    browser.press("ADOC prod").await;
    browser.visit("/users/user-123/offboard").await;
    browser.wizard_departure_to_riley().await;
    let also = browser
        .field("Offboard on TD EU too (First Last, 2 API keys; keys deleted)")
        .await;
    assert!(also.is_selected().await.unwrap());
    browser.press("Offboard on the other platforms now").await;
    browser.press("Disable the account").await;
    browser.press("Revoke all API keys").await;
    browser.press("Remove all group memberships").await;
    browser.press("Verify now").await;
    browser.press("Transfer the pipelines").await;
    let verdict = browser.see_role("status", "Every platform:").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("verified on both platforms"), "{text}");
    crate::wizard::full_screenshot(&browser, "platforms-wizard-done").await;

    let (_, first) = adoc.owner().get("/admin/api/users/user-123").await;
    assert_eq!(first["enabled"], false);
    let (status, _) = td.owner().get("/admin/api/users/user-123").await;
    assert_eq!(
        status, 404,
        "removed from the second platform with the same departure"
    );
}

#[tokio::test]
async fn a_bulk_run_on_two_platforms_reloaded_midway_finishes_with_nothing_sent_twice() {
    // Each ADOC answer 20 ms late: the 200-key lockout can be caught in the middle.
    let (adoc, td, browser) = two_platforms_with(Some("latency-ms=20"), None).await;
    browser.press("ADOC prod").await;
    browser.follow("Bulk").await;
    browser
        .fill(
            "People (CSV)",
            "email,mode\nheavy@company.com,emergency\nfirst.last@company.com,emergency",
        )
        .await;
    browser.press("Check these people").await;
    browser.press("Run 3 offboardings").await;
    browser.press("Offboard them now").await;
    let deleted = adoc.owner().wait_for_key_deletions("user-heavy", 30).await;
    assert!(deleted < 200, "reloaded midway ({deleted} keys deleted)");

    // Both connections were remembered in this tab: the reload keeps them, and the bulk run
    // on these two platforms is offered to continue.
    browser.client.refresh().await.unwrap();
    browser
        .see("A bulk run from this browser was interrupted")
        .await;
    browser.press("Continue the bulk run").await;
    browser.see("3 of 3 offboardings finished").await;
    adoc.owner()
        .assert_each_key_deleted_once("user-heavy", 200)
        .await;
    let (_, first) = adoc.owner().get("/admin/api/users/user-123").await;
    assert_eq!(first["enabled"], false);
    let (status, _) = td.owner().get("/admin/api/users/user-123").await;
    assert_eq!(status, 404);
}
