//! Every screen, in every state a person meets, passes axe-core with no violation and runs under
//! the app's Content Security Policy with nothing refused; the emergency lockout can be done by
//! keyboard alone with the focus visible, on a phone's 390 px and at 200 % zoom.
//!
//! One server and one browser walk all of a dialect's screens in turn (see `page_checks`), so
//! the walk costs one start-up, not one per screen.

use crate::page_checks::Checks;
use crate::support::{Browser, Setup, TestServer};
use serde_json::json;

/// Key revocations answer 200 ms late, so a lockout is still running when it is checked.
const SLOW_KEY_DELETES: &str = "latency-ms=200,path=/admin/api/users/api-keys/";

#[tokio::test]
async fn every_adoc_screen_passes_axe_and_the_csp() {
    let server = TestServer::start(Setup {
        chaos: Some(SLOW_KEY_DELETES),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    let mut checks = Checks::watch(&browser).await;

    browser.visit("/connect").await;
    browser.see("Connect to a platform").await;
    checks.screen(&browser, "connect").await;
    browser
        .connect_adoc("demo-owner-ak", "not-the-secret")
        .await;
    browser.see_role("alert", "").await;
    checks.screen(&browser, "connect-refused").await;
    browser.fill("Secret key", "demo-owner-sk").await;
    browser.press("Connect").await;
    browser.wait_for_heading_focus("Directory").await;
    checks.screen(&browser, "directory").await;
    browser.fill("Search users", "first.last").await;
    browser.link("First Last").await.click().await.unwrap();
    browser.see("API keys (2)").await;
    checks.screen(&browser, "user-page").await;

    browser.press("Delete user").await;
    browser.see_role("dialog", "Delete").await;
    checks.screen(&browser, "delete-modal").await;
    browser.press("Cancel").await;

    browser
        .link("Guided offboarding")
        .await
        .click()
        .await
        .unwrap();
    browser.see("Guided offboarding: First Last").await;
    checks.screen(&browser, "wizard-start").await;
    browser.press("Start offboarding").await;
    checks.screen(&browser, "wizard-step-1").await;
    browser.press("Record current access").await;
    browser.see("Access documented").await;
    checks.screen(&browser, "wizard-step-1-documented").await;
    browser.press("Use these details").await;
    browser
        .see_role("alert", "Enter the reason for the departure")
        .await;
    checks.screen(&browser, "wizard-step-2-errors").await;
    browser.fill("Reason", "Voluntary - New Job").await;
    browser.fill("Handed off to", "riley").await;
    checks
        .screen(&browser, "wizard-step-2-replacement-choices")
        .await;
    browser.screenshot("wizard-step-2-suggestions").await;
    browser
        .press("Choose Riley Replacement (replacement@company.com, restricted)")
        .await;
    browser.press("Use these details").await;
    browser.button("Disable the account").await;
    checks.screen(&browser, "wizard-step-2-put").await;
    browser.press("Disable the account").await;
    browser.button("Revoke all API keys").await;
    checks.screen(&browser, "wizard-step-3").await;
    browser.press("Revoke all API keys").await;
    browser.button("Remove all group memberships").await;
    browser.press("Remove all group memberships").await;
    browser.button("Verify now").await;
    browser.press("Verify now").await;
    browser.see("No permissions left").await;
    checks.screen(&browser, "wizard-step-5-verified").await;
    browser.press("Transfer the pipelines").await;
    browser.see("Access removed and verified.").await;
    checks.screen(&browser, "wizard-report").await;

    browser.link("user-123").await.click().await.unwrap();
    browser.see("Pipelines (0)").await;
    checks.screen(&browser, "user-page-offboarded").await;
    browser.press("Reactivate").await;
    browser.see_role("dialog", "Reactivate First Last?").await;
    checks.screen(&browser, "reactivate-modal").await;
    browser.press("Cancel").await;

    // In the app, not by address: a page load would forget the connection, as it should.
    browser.link("Emergency").await.click().await.unwrap();
    browser.field("Who must be locked out?").await;
    checks.screen(&browser, "emergency-find").await;
    browser
        .fill("Who must be locked out?", "nobody@company.com")
        .await;
    browser.press("Find").await;
    browser.see("There is no user with the id or email").await;
    checks.screen(&browser, "emergency-not-found").await;
    browser
        .fill("Who must be locked out?", "heavy@company.com")
        .await;
    browser.press("Find").await;
    browser.button("Lock out now").await;
    checks.screen(&browser, "emergency-confirm").await;
    browser.press("Lock out now").await;
    server.owner().wait_for_key_deletions("user-heavy", 6).await;
    checks.screen(&browser, "emergency-running").await;
    browser.see_role("status", "Locked out in").await;
    checks.screen(&browser, "emergency-verdict").await;

    browser.visit("/foo").await;
    browser.see("Page not found").await;
    checks.screen(&browser, "not-found").await;
    checks.finish();
}

#[tokio::test]
async fn every_td_screen_passes_axe_and_the_csp() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    let mut checks = Checks::watch(&browser).await;

    browser.visit("/connect").await;
    browser.choose("Treasure Data").await;
    checks.screen(&browser, "td-connect").await;
    browser.connect_td("1/demo-owner-master").await;
    browser.wait_for_heading_focus("Directory").await;
    checks.screen(&browser, "td-directory").await;
    browser.fill("Search users", "first.last").await;
    browser.link("First Last").await.click().await.unwrap();
    browser.see("API keys (2)").await;
    checks.screen(&browser, "td-user-page").await;
    browser.press("Delete user").await;
    browser.see_role("dialog", "Delete").await;
    browser.choose("Reassign API Keys").await;
    checks.screen(&browser, "td-delete-modal-reassign").await;
    browser.press("Cancel").await;

    browser
        .link("Guided offboarding")
        .await
        .click()
        .await
        .unwrap();
    browser.press("Start offboarding").await;
    browser.press("Record current access").await;
    browser.see("Access documented").await;
    checks.screen(&browser, "td-wizard-step-2").await;
    browser.press("Remove the user").await;
    browser.press("Verify now").await;
    browser.see("Offboarding report").await;
    checks.screen(&browser, "td-wizard-report").await;

    browser.link("Emergency").await.click().await.unwrap();
    browser
        .fill("Who must be locked out?", "replacement@company.com")
        .await;
    browser.press("Find").await;
    browser.button("Lock out now").await;
    checks.screen(&browser, "td-emergency-confirm").await;
    checks.finish();
}

/// The emergency lockout with the keyboard alone, as at 200 % zoom (a 1280 px window zoomed
/// twice is a 640 CSS px viewport at two device pixels per CSS pixel), then on a phone: nothing
/// is cut off sideways, every stop of the Tab key is visibly focused, and Enter locks out.
#[tokio::test]
async fn the_emergency_lockout_works_by_keyboard_at_200_percent_zoom_and_on_a_phone() {
    let server = TestServer::start(Setup::default()).await;
    let zoomed = Browser::open(&server).await;
    zoomed
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 640, "height": 450, "deviceScaleFactor": 2, "mobile": false}),
        )
        .await;
    let phone = Browser::open_phone(&server).await;
    for (browser, user, name) in [
        (&zoomed, "heavy@company.com", "zoom-200"),
        (&phone, "first.last@company.com", "phone"),
    ] {
        let mut checks = Checks::watch(browser).await;
        browser.visit(&format!("/emergency?user={user}")).await;
        browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
        browser.button("Lock out now").await;
        checks
            .screen(browser, &format!("emergency-confirm-{name}"))
            .await;
        assert_no_sideways_scroll(browser, name).await;
        browser
            .screenshot(&format!("emergency-keyboard-{name}"))
            .await;

        tab_to_with_visible_focus(browser, "Lock out now").await;
        browser
            .client
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E007}")
            .await
            .unwrap();
        browser.see_role("status", "Locked out in").await;
        checks
            .screen(browser, &format!("emergency-verdict-{name}"))
            .await;
        assert_no_sideways_scroll(browser, name).await;
        browser
            .screenshot(&format!("emergency-keyboard-{name}-done"))
            .await;
        checks.finish();
    }
}

/// Connecting, searching the directory and opening a person, by keyboard alone: typing, Tab
/// and Enter, the focus visible at every stop.
#[tokio::test]
async fn connecting_and_finding_a_person_work_by_keyboard_alone() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;
    browser.see("Connect to a platform").await;
    tab_to_with_visible_focus(&browser, "Access key").await;
    type_keys(&browser, "demo-owner-ak").await;
    tab_to_with_visible_focus(&browser, "Secret key").await;
    type_keys(&browser, "demo-owner-sk\u{E007}").await;
    browser.wait_for_heading_focus("Directory").await;
    tab_to_with_visible_focus(&browser, "Search users").await;
    type_keys(&browser, "first.last").await;
    tab_to_with_visible_focus(&browser, "First Last").await;
    type_keys(&browser, "\u{E007}").await;
    browser.see("API keys (2)").await;
    browser.wait_for_heading_focus("First Last").await;
    tab_to_with_visible_focus(&browser, "Guided offboarding").await;
    browser.screenshot("keyboard-user-page-focus").await;
    type_keys(&browser, "\u{E007}").await;
    browser
        .wait_for_heading_focus("Guided offboarding: First Last")
        .await;
}

/// Types into whatever has the focus, as a keyboard does.
async fn type_keys(browser: &Browser, keys: &str) {
    let focused = browser.client.active_element().await.unwrap();
    focused.send_keys(keys).await.unwrap();
}

/// The page is no wider than its viewport: nothing has to be scrolled to sideways.
async fn assert_no_sideways_scroll(browser: &Browser, name: &str) {
    let widths = browser
        .client
        .execute(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "{name}: the page is wider than the screen: {widths}"
    );
}

/// Presses Tab until `name` has the focus, checking at each stop that the focus can be seen
/// (an outline or a shadow drawn by `:focus-visible`).
async fn tab_to_with_visible_focus(browser: &Browser, name: &str) {
    for _ in 0..40 {
        browser
            .client
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E004}")
            .await
            .unwrap();
        let focus = browser
            .client
            .execute(
                "const a = document.activeElement; const s = getComputedStyle(a); \
                 const label = a.labels && a.labels.length ? a.labels[0].textContent : a.textContent; \
                 return [a.tagName, (a.getAttribute('aria-label') || label).trim(), \
                   a.matches(':focus-visible') && \
                   ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) \
                    || s.boxShadow !== 'none')];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            focus[2], true,
            "the focus on {} {} cannot be seen",
            focus[0], focus[1]
        );
        if focus[1] == name {
            return;
        }
    }
    panic!("Tab never reached {name:?}");
}
