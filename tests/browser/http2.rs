//! The lockout over HTTPS with HTTP/2, as SaaS platforms speak it: the app learns the protocol
//! from its first answers, keeps more calls in flight than HTTP/1.1's six, backs off when the
//! platform rate-limits it, and still ends locked out with the server agreeing. The report says
//! which protocol it saw and how many calls it kept in flight.

use crate::support::{Browser, Setup, TestServer};
use crate::wizard::downloaded;
use fantoccini::Locator;
use serde_json::{Value, json};

/// How long a rate-limited lockout may take: every 429 waits its `Retry-After` of a second.
const RATE_LIMITED_PATIENCE: std::time::Duration = std::time::Duration::from_secs(90);

/// Locks out user-heavy (200 keys, 50 groups) on `server`, then returns the downloaded report.
async fn lock_out_heavy(browser: &Browser) -> Value {
    browser.visit("/emergency?user=heavy@company.com").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;
    let verdict = browser.see_role("status", "Locked out in").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("passed"), "{text}");
    browser.see("200/200 keys revoked").await;
    browser.press("Download report (JSON)").await;
    serde_json::from_str(&downloaded(browser, "", ".json").await).expect("report JSON")
}

/// A fresh demo server over HTTPS with HTTP/2, with `chaos`.
async fn http2_server(chaos: &'static str) -> TestServer {
    TestServer::start(Setup {
        tls: true,
        chaos: Some(chaos),
        ..Setup::default()
    })
    .await
}

/// user-heavy is disabled with no key and no group left, as the server tells it, and each of
/// the 200 keys was deleted once: a wider window sends nothing twice.
async fn assert_heavy_locked_out(server: &TestServer) {
    let owner = server.owner();
    owner.assert_each_key_deleted_once("user-heavy", 200).await;
    let (_, account) = owner
        .get_through_faults("/admin/api/users/user-heavy")
        .await;
    assert_eq!(account["enabled"], false);
    let (_, keys) = owner
        .get_through_faults("/admin/api/users/user-heavy/api-keys?size=100")
        .await;
    assert_eq!(keys["meta"]["total"], 0, "{keys}");
    let (_, groups) = owner
        .get_through_faults("/admin/api/users/user-heavy/groups")
        .await;
    assert_eq!(groups["groups"], json!([]));
}

#[tokio::test]
async fn over_http2_the_lockout_keeps_more_than_six_calls_in_flight_and_says_so() {
    // Calls that take a moment, as against a remote platform, so they overlap.
    let server = http2_server("latency-ms=20").await;
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let browser = Browser::open(&server).await;
    let report = lock_out_heavy(&browser).await;
    browser.see("over HTTP/2").await;
    browser.screenshot("http2-lockout-verdict").await;

    let concurrency = &report["concurrency"];
    assert_eq!(concurrency["protocol"], "h2", "{concurrency}");
    let peak = concurrency["peak"].as_u64().expect("peak");
    assert!(
        peak > 6,
        "over HTTP/2 more than six calls at once: {concurrency}"
    );
    assert_eq!(concurrency["backoffs"], 0, "{concurrency}");
    assert_heavy_locked_out(&server).await;
}

#[tokio::test]
async fn a_rate_limited_platform_is_backed_off_from_and_the_lockout_still_finishes() {
    // More than eight calls at once get 429 with Retry-After: 1.
    let server = http2_server("max-in-flight=8,latency-ms=20,retry-after-s=1").await;
    let mut browser = Browser::open(&server).await;
    browser.patience = RATE_LIMITED_PATIENCE;
    let report = lock_out_heavy(&browser).await;
    browser.see("backed off").await;
    browser.screenshot("http2-lockout-rate-limited").await;

    let concurrency = &report["concurrency"];
    assert_eq!(concurrency["protocol"], "h2", "{concurrency}");
    assert!(
        concurrency["backoffs"].as_u64().unwrap_or(0) >= 1,
        "429s halve the window: {concurrency}"
    );
    let limited = report["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .filter(|call| call["attempts"].as_u64().unwrap_or(1) > 1)
        .count();
    assert!(limited > 0, "some calls were answered 429 and retried");
    assert_heavy_locked_out(&server).await;
}

#[tokio::test]
async fn the_admins_cap_on_calls_in_flight_is_kept() {
    let server = http2_server("latency-ms=20").await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=heavy@company.com").await;
    // The cap lives under Connect's "Advanced"; a wrong value is explained and sends nothing.
    browser.choose("Acceldata ADOC").await;
    browser
        .client
        .find(Locator::XPath("//summary[normalize-space()='Advanced']"))
        .await
        .expect("Advanced")
        .click()
        .await
        .expect("open Advanced");
    browser.fill("Most calls at once", "0").await;
    browser.fill("Access key", "demo-owner-ak").await;
    browser.fill("Secret key", "demo-owner-sk").await;
    browser.press("Connect").await;
    browser
        .see("Enter how many calls may run at once, a whole number from 1 to 256.")
        .await;
    browser.screenshot("connect-advanced-max-in-flight").await;
    browser.fill("Most calls at once", "4").await;
    browser.press("Connect").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;
    browser.see("up to 4 at once over HTTP/2 (cap 4)").await;
    assert_heavy_locked_out(&server).await;
}
