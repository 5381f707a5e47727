//! Honest verdicts: a run says "verified" only when every fact of access was read back and holds.
//! Each way a fact can be left — refused by the platform, skipped by the person, failed on the
//! way, reassigned, owned by an identity provider — is walked in the browser, the verdict is
//! checked to be not green and to name what is left, and the server's state is checked through
//! its own API. Then a person found already offboarded is offered the earlier report and a
//! fresh verification.

use crate::support::{Browser, Setup, TestServer};
use crate::wizard::{downloaded, full_screenshot, step_card};
use fantoccini::Locator;
use serde_json::Value;
use std::time::Duration;

/// Opens step `number`'s "Skip this step…" and skips it with `reason`.
async fn skip_step(browser: &Browser, number: usize, reason: &str) {
    let card = step_card(browser, number - 1).await;
    browser
        .find_within(&card, ".//summary[normalize-space()='Skip this step…']")
        .await
        .click()
        .await
        .unwrap();
    browser
        .fill(&format!("Why is step {number} skipped?"), reason)
        .await;
    browser.press(&format!("Skip step {number}")).await;
}

/// Waits (longer than a person-like wait: retries with backoff take seconds) for `text`.
async fn see_eventually(browser: &Browser, text: &str) {
    for _ in 0..300 {
        if browser.body_text().await.contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    browser.see(text).await;
}

async fn no_button(browser: &Browser, name: &str) {
    let found = browser
        .client
        .find_all(Locator::XPath(&format!(
            "//button[normalize-space()='{name}']"
        )))
        .await
        .unwrap();
    assert!(found.is_empty(), "no “{name}” button is offered");
}

async fn count(server: &TestServer, path: &str, field: &str) -> usize {
    let (status, body) = server.owner().get(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body[field].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_scim_user_whose_keys_alone_are_revoked_is_never_reported_verified() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-scim/offboard").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Start offboarding").await;
    browser.press("Record current access").await;
    browser.press("Revoke all API keys").await;
    browser.press("Verify now").await;
    // The verification reads every fact: the account's state shows as left, for Okta.
    browser.see("\"enabled\": true").await;
    skip_step(&browser, 6, "Owns no pipelines").await;

    let verdict = browser.see_role("status", "Access is left.").await;
    let text = verdict.text().await.unwrap();
    assert!(
        text.contains(
            "Disable this account in Okta: the platform refuses changes to SCIM-managed users."
        ),
        "{text}"
    );
    assert!(text.contains("Left: No group memberships left"), "{text}");
    assert!(text.contains("Left: No permissions left"), "{text}");
    assert!(
        !browser
            .body_text()
            .await
            .contains("Access removed and verified")
    );
    full_screenshot(&browser, "verdict-wizard-scim").await;

    // The report to file says the same.
    browser.press("Download report (JSON)").await;
    let report: Value =
        serde_json::from_str(&downloaded(&browser, "offboarding-user-scim-", ".json").await)
            .unwrap();
    assert_eq!(report["verdict"]["passed"], false);
    assert_eq!(report["verdict"]["outcome"], "access-left");
    let to_do: Vec<&str> = report["verdict"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|fact| fact["toDo"].as_str())
        .collect();
    assert!(to_do.iter().any(|t| t.contains("in Okta")), "{to_do:?}");
    browser.press("Download timeline (CSV)").await;
    let csv = downloaded(&browser, "offboarding-user-scim-", ".csv").await;
    assert!(
        csv.contains(",verdict,,Account disabled,,,,left: Disable this account in Okta"),
        "{csv}"
    );

    // What the server holds: keys gone, the account and its group left for Okta.
    let (_, account) = server.owner().get("/admin/api/users/user-scim").await;
    assert_eq!(account["enabled"], true);
    let (_, keys) = server
        .owner()
        .get("/admin/api/users/user-scim/api-keys")
        .await;
    assert_eq!(keys["meta"]["total"], 0);
    assert_eq!(
        count(&server, "/admin/api/users/user-scim/groups", "groups").await,
        1
    );

    // The emergency lockout of the same user agrees, and offers no retry of what is refused.
    // (A new page load: credentials live in the tab's memory only, so connect again.)
    browser.visit("/emergency?user=user-scim").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Revoke keys now").await;
    let verdict = browser.see_role("alert", "Not fully locked out").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("Disable this account in Okta"), "{text}");
    no_button(&browser, "Retry the rest").await;
    browser.screenshot("verdict-emergency-scim").await;
}

#[tokio::test]
async fn a_scim_td_user_has_every_key_revoked_and_is_sent_to_okta() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=scim.user@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    browser
        .see_role(
            "alert",
            "the platform refuses to remove the account, so remove it in Okta",
        )
        .await;
    browser.press("Revoke keys now").await;
    let verdict = browser.see_role("alert", "Not fully locked out").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("Remove this account in Okta"), "{text}");
    assert!(text.contains("Left: User removed"), "{text}");
    no_button(&browser, "Retry the rest").await;
    browser.see("2/2 keys revoked").await;
    browser.screenshot("verdict-td-scim").await;

    // Both keys are gone, one by one; the account stays for Okta to remove.
    let (_, keys) = server
        .owner()
        .get("/admin/api/users/user-scim/api-keys")
        .await;
    assert_eq!(keys["meta"]["total"], 0, "{keys}");
    let (status, _) = server.owner().get("/admin/api/users/user-scim").await;
    assert_eq!(status, 200);
    let (_, events) = server
        .owner()
        .get("/audit/api/v1/events?target=user-scim&limit=100")
        .await;
    let removals = events.to_string().matches("api_key.delete").count();
    assert!(removals >= 2, "each key revoked: {events}");
}

#[tokio::test]
async fn keys_reassigned_to_the_owner_live_on_and_the_verdict_says_so() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser
        .visit("/users/first.last@company.com/offboard")
        .await;
    browser.connect_td("1/demo-owner-master").await;
    browser.press("Start offboarding").await;
    browser.press("Record current access").await;
    browser.choose("Reassign API Keys").await;
    browser
        .see("api_keys=reassign&reassign_to=owner@company.com")
        .await;
    browser.press("Remove the user").await;
    browser.press("Verify now").await;
    let verdict = browser
        .see_role("status", "User removed; their API keys live on.")
        .await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("reassigned to owner@company.com"), "{text}");
    assert!(text.contains("with the owner role"), "{text}");
    assert!(
        !browser
            .body_text()
            .await
            .contains("Access removed and verified")
    );
    full_screenshot(&browser, "verdict-td-reassigned").await;

    let (_, keys) = server
        .owner()
        .get("/admin/api/users/user-owner/api-keys?size=100")
        .await;
    let listed = keys.to_string();
    assert!(
        listed.contains("AK-abc123") && listed.contains("AK-def456"),
        "{listed}"
    );
}

#[tokio::test]
async fn a_skipped_step_is_named_in_the_verdict_with_its_reason() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-123/offboard").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Start offboarding").await;
    browser.press("Record current access").await;
    skip_step(&browser, 2, "HR disables accounts").await;
    browser.press("Revoke all API keys").await;
    skip_step(&browser, 4, "Groups reviewed separately").await;
    browser.press("Verify now").await;
    skip_step(&browser, 6, "Handed over by the team").await;
    let verdict = browser.see_role("status", "Access is left.").await;
    let text = verdict.text().await.unwrap();
    assert!(
        text.contains("Step “Remove group memberships” was skipped (“Groups reviewed separately”)"),
        "{text}"
    );
    assert!(text.contains("“HR disables accounts”"), "{text}");
    full_screenshot(&browser, "verdict-skipped").await;

    let (_, account) = server.owner().get("/admin/api/users/user-123").await;
    assert_eq!(account["enabled"], true);
    assert_eq!(
        count(&server, "/admin/api/users/user-123/groups", "groups").await,
        3
    );
}

#[tokio::test]
async fn a_refused_change_is_quoted_and_not_offered_a_retry() {
    let server = TestServer::start(Setup {
        chaos: Some("error-rate=1,statuses=403,path=/admin/api/users/user-123/remove-groups"),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;
    let verdict = browser.see_role("alert", "Not fully locked out").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("Left: No group memberships left"), "{text}");
    assert!(text.contains("The platform refused the change"), "{text}");
    no_button(&browser, "Retry the rest").await;
    browser.screenshot("verdict-refused").await;
    assert_eq!(
        count(&server, "/admin/api/users/user-123/groups", "groups").await,
        3
    );
    let (_, account) = server.owner().get("/admin/api/users/user-123").await;
    assert_eq!(
        account["enabled"], false,
        "the rest of the lockout went through"
    );
}

#[tokio::test]
async fn a_failed_step_says_what_is_left_and_offers_a_retry() {
    let server = TestServer::start(Setup {
        chaos: Some("error-rate=1,statuses=500,path=/admin/api/users/user-123/remove-groups"),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;
    // Each failed call is retried with backoff before the step gives up.
    see_eventually(&browser, "Not fully locked out").await;
    let verdict = browser.see_role("alert", "Not fully locked out").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("Left: No group memberships left"), "{text}");
    assert!(text.contains("did not finish"), "{text}");
    browser.button("Retry the rest").await;
    browser.screenshot("verdict-failed").await;
    assert_eq!(
        count(&server, "/admin/api/users/user-123/groups", "groups").await,
        3
    );
    let (_, keys) = server
        .owner()
        .get("/admin/api/users/user-123/api-keys")
        .await;
    assert_eq!(keys["meta"]["total"], 0);
}

#[tokio::test]
async fn someone_already_offboarded_is_offered_the_earlier_report_and_a_fresh_check() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;

    // The wizard says so first, links the lockout's report, and verifies again on request.
    browser.visit("/users/user-123/offboard").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("First Last is already offboarded").await;
    browser.see("The account records the offboarding on").await;
    no_button(&browser, "Start offboarding").await;
    browser.screenshot("already-offboarded-wizard").await;
    browser
        .client
        .find(Locator::XPath(
            "//a[starts-with(normalize-space(), 'Open the earlier report (emergency lockout')]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.see("Report: First Last").await;
    browser
        .see_role("status", "Access removed and verified.")
        .await;
    assert!(
        browser
            .path()
            .await
            .starts_with("/runs/emergency-user-123-")
    );
    full_screenshot(&browser, "earlier-report").await;

    browser.visit("/users/user-123/offboard").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Verify again").await;
    browser.see("Verifying First Last").await;
    browser.press("Verify now").await;
    browser
        .see_role("status", "Access removed and verified.")
        .await;
    full_screenshot(&browser, "verified-again").await;

    // The emergency screen too; nothing is changed by verifying.
    let events_before = server
        .owner()
        .get("/audit/api/v1/events?target=user-123&limit=1000")
        .await
        .1;
    browser.visit("/emergency?user=user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("First Last is already offboarded").await;
    browser.press("Verify again").await;
    browser
        .see_role("status", "Still locked out: verified in")
        .await;
    browser.screenshot("already-offboarded-emergency").await;
    let events_after = server
        .owner()
        .get("/audit/api/v1/events?target=user-123&limit=1000")
        .await
        .1;
    assert_eq!(events_before, events_after, "verifying changes nothing");
}

#[tokio::test]
async fn on_a_phone_the_verdict_names_what_is_left() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open_phone(&server).await;
    browser.visit("/emergency?user=user-scim").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Revoke keys now").await;
    let verdict = browser.see_role("alert", "Not fully locked out").await;
    assert!(
        verdict
            .text()
            .await
            .unwrap()
            .contains("Disable this account in Okta")
    );
    browser.screenshot("verdict-emergency-scim-phone").await;
    let (_, keys) = server
        .owner()
        .get("/admin/api/users/user-scim/api-keys")
        .await;
    assert_eq!(keys["meta"]["total"], 0);
}
