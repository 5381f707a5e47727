//! The delete-user modal, walked as an admin walks it, each path followed by the server's state
//! read through its own API: Treasure Data with keys deleted, reassigned to the owner, and to an
//! admin behind the escalation acknowledgement; ADOC's delete after its advice; who may delete
//! whom (blocked in the UI with the rule shown, refused by the server too); and the modal by
//! keyboard alone (focus starts on Cancel, stays inside, Esc closes, focus returns).

use crate::support::{Browser, Setup, TestServer};
use fantoccini::Locator;
use std::time::Duration;

const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}";
const ESCAPE: &str = "\u{E00C}";
const ENTER: &str = "\u{E007}";

async fn active_text(browser: &Browser) -> String {
    browser
        .client
        .execute(
            "const a = document.activeElement; return (a.getAttribute('aria-label') || a.textContent || a.id || '').trim();",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn press_keys(browser: &Browser, keys: &str) {
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Waits until focus is on an element whose text is `text`.
async fn focus_is_on(browser: &Browser, text: &str) {
    for _ in 0..50 {
        if active_text(browser).await == text {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("focus is on “{}”, not “{text}”", active_text(browser).await);
}

async fn open_modal(browser: &Browser) {
    browser.press("Delete user").await;
    browser.see_role("dialog", "Delete").await;
}

/// The keys listed under an account, read through the ADOC side of the same store.
async fn keys_of(server: &TestServer, user_id: &str) -> String {
    let (status, body) = server
        .owner()
        .get(&format!("/admin/api/users/{user_id}/api-keys?size=100"))
        .await;
    assert_eq!(status, 200, "{body}");
    body.to_string()
}

#[tokio::test]
async fn td_delete_with_keys_deleted_then_reassigned_to_the_owner() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/first.last@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    open_modal(&browser).await;
    browser.see("Delete First Last?").await;
    browser
        .see("Deleting an API key makes every script or tool using it fail at once")
        .await;
    let delete = browser.field("Delete API Keys (recommended)").await;
    assert!(
        delete.is_selected().await.unwrap(),
        "Delete is Offboard's default"
    );
    let confirm = browser
        .button("Delete first.last@company.com and 2 keys")
        .await;
    assert!(
        !confirm.is_enabled().await.unwrap(),
        "disabled until the email is typed"
    );
    browser
        .fill("Type first.last@company.com to confirm", "first.last@")
        .await;
    press_keys(&browser, ENTER).await;
    assert!(!confirm.is_enabled().await.unwrap());
    assert_eq!(
        server.owner().get("/admin/api/users/user-123").await.0,
        200,
        "Enter did nothing early"
    );
    browser.screenshot("delete-modal-td").await;
    browser
        .fill(
            "Type first.last@company.com to confirm",
            "first.last@company.com",
        )
        .await;
    assert!(confirm.is_enabled().await.unwrap());
    confirm.click().await.unwrap();
    browser
        .see_role("status", "Access removed and verified.")
        .await;
    browser.screenshot("delete-modal-td-done").await;
    // The user and both keys are gone.
    assert_eq!(server.owner().get("/admin/api/users/user-123").await.0, 404);
    let (_, events) = server.owner().get("/audit/api/v1/events?limit=1000").await;
    assert!(
        events.to_string().contains("\"apiKeys\":\"delete\""),
        "{events}"
    );
    browser.press("Back to the directory").await;
    browser.see("Directory").await;

    // Reassign to the owner (preselected within Reassign): the keys are listed under the owner.
    browser.visit("/users/replacement@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    open_modal(&browser).await;
    browser.choose("Reassign API Keys").await;
    browser
        .see("To the account owner, Olivia Owner (owner@company.com)")
        .await;
    // The owner outranks a restricted user: the escalation must be acknowledged.
    browser
        .see_role("alert", "These keys would gain the owner role.")
        .await;
    browser
        .fill(
            "Type replacement@company.com to confirm",
            "replacement@company.com",
        )
        .await;
    let confirm = browser
        .button("Delete replacement@company.com, reassign 2 keys")
        .await;
    assert!(
        !confirm.is_enabled().await.unwrap(),
        "not before the acknowledgement"
    );
    browser.screenshot("delete-modal-escalation").await;
    browser
        .field("I understand these keys will work with owner@company.com's owner permissions.")
        .await
        .click()
        .await
        .unwrap();
    assert!(confirm.is_enabled().await.unwrap());
    confirm.click().await.unwrap();
    browser
        .see_role("status", "User removed; their API keys live on.")
        .await;
    let keys = keys_of(&server, "user-owner").await;
    assert!(
        keys.contains("AK-rep"),
        "the replacement's keys are the owner's now: {keys}"
    );
    assert_eq!(server.owner().get("/admin/api/users/user-456").await.0, 404);
}

#[tokio::test]
async fn td_reassign_to_an_admin_needs_the_acknowledgement() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/first.last@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    open_modal(&browser).await;
    browser.choose("Reassign API Keys").await;
    browser.choose("To another user").await;
    browser
        .fill("New owner of the keys", "admin2@company.com")
        .await;
    browser.press("Use this person").await;
    browser.see("Keys go to").await;
    browser
        .see_role("alert", "These keys would gain the admin role.")
        .await;
    browser.see("AK-abc123").await;
    browser
        .fill(
            "Type first.last@company.com to confirm",
            "first.last@company.com",
        )
        .await;
    let confirm = browser
        .button("Delete first.last@company.com, reassign 2 keys")
        .await;
    assert!(
        !confirm.is_enabled().await.unwrap(),
        "disabled until the acknowledgement is ticked"
    );
    browser
        .field("I understand these keys will work with admin2@company.com's admin permissions.")
        .await
        .click()
        .await
        .unwrap();
    confirm.click().await.unwrap();
    browser
        .see_role("status", "User removed; their API keys live on.")
        .await;
    browser.see("with the admin role").await;
    let keys = keys_of(&server, "user-admin2").await;
    assert!(
        keys.contains("AK-abc123") && keys.contains("AK-def456"),
        "{keys}"
    );
}

#[tokio::test]
async fn who_may_delete_whom_is_shown_and_enforced() {
    let server = TestServer::start(Setup::default()).await;
    // An admin may not delete an admin: the rule is beside the disabled control.
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-admin2").await;
    browser.connect_adoc("demo-admin-ak", "demo-admin-sk").await;
    browser
        .see("Administrators can delete restricted users only: ask the account owner.")
        .await;
    let button = browser.button("Delete user").await;
    assert!(!button.is_enabled().await.unwrap());
    browser.screenshot("delete-blocked-admin").await;
    // The server enforces the same rule on a direct call.
    let status = reqwest::Client::new()
        .delete(format!(
            "{}/admin/api/users/user-admin2/remove-user",
            server.base
        ))
        .header("accessKey", "demo-admin-ak")
        .header("secretKey", "demo-admin-sk")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 403);
    assert_eq!(
        server.owner().get("/admin/api/users/user-admin2").await.0,
        200
    );

    // Nobody deletes themselves; the owner cannot be deleted; SCIM goes to the identity provider.
    browser.visit("/users/user-owner").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("You cannot delete your own account.").await;
    assert!(
        !browser
            .button("Delete user")
            .await
            .is_enabled()
            .await
            .unwrap()
    );
    browser.visit("/users/user-scim").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser
        .see("Managed by Okta through SCIM: delete this account in Okta.")
        .await;
}

#[tokio::test]
async fn adoc_delete_advises_disabling_then_revokes_removes_and_deletes() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("API keys (2)").await;
    open_modal(&browser).await;
    browser
        .see("The runbook says: disable, don't delete.")
        .await;
    browser
        .link("Use the guided offboarding instead (disables, keeps the account)")
        .await;
    browser.see("Acceldata ADOC cannot reassign API keys").await;
    let reassign = browser.field("Reassign API Keys").await;
    assert!(
        !reassign.is_enabled().await.unwrap(),
        "no reassignment in ADOC"
    );
    browser
        .see("2 API keys · 3 groups · 2 owned pipelines")
        .await;
    browser.screenshot("delete-modal-adoc").await;
    browser
        .fill(
            "Type first.last@company.com to confirm",
            "first.last@company.com",
        )
        .await;
    browser
        .press("Delete first.last@company.com and 2 keys")
        .await;
    browser
        .see_role("status", "Access removed and verified.")
        .await;
    browser.see("404: no such account").await;
    browser.screenshot("delete-modal-adoc-done").await;
    // The run's report prints on its own, without the page behind the dialog.
    let pdf = browser
        .client
        .print(
            fantoccini::wd::PrintConfiguration::builder()
                .size(fantoccini::wd::PrintSize::A4)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let _ = std::fs::write(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/screenshots/delete-report-print.pdf"),
        pdf,
    );
    assert_eq!(server.owner().get("/admin/api/users/user-123").await.0, 404);
    let (_, events) = server
        .owner()
        .get("/audit/api/v1/events?target=user-123&limit=1000")
        .await;
    let events = events.to_string();
    assert!(
        events.contains("\"deletedKeys\":0") || events.matches("api_key.delete").count() >= 2,
        "{events}"
    );
}

#[tokio::test]
async fn the_modal_works_by_keyboard_alone() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/first.last@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    let opener = browser.button("Delete user").await;
    opener.send_keys(ENTER).await.unwrap();
    browser.see_role("dialog", "Delete First Last?").await;
    focus_is_on(&browser, "Cancel").await;
    // Tab from the last control wraps to the first, Shift+Tab from the first to the last.
    press_keys(&browser, TAB).await;
    let after_cancel = active_text(&browser).await;
    assert_ne!(after_cancel, "Cancel");
    for _ in 0..20 {
        press_keys(&browser, TAB).await;
        let inside: bool = browser
            .client
            .execute(
                "return !!document.activeElement.closest('[role=dialog]');",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert!(inside, "focus stays in the dialog");
    }
    press_keys(&browser, SHIFT_TAB).await;
    let inside: bool = browser
        .client
        .execute(
            "return !!document.activeElement.closest('[role=dialog]');",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    assert!(inside);
    browser.screenshot("delete-modal-keyboard").await;
    press_keys(&browser, ESCAPE).await;
    let gone = browser
        .client
        .find_all(Locator::Css("[role=dialog]"))
        .await
        .unwrap();
    assert!(gone.is_empty(), "Esc closes the dialog");
    focus_is_on(&browser, "Delete user").await;
    assert_eq!(server.owner().get("/admin/api/users/user-123").await.0, 200);
}

#[tokio::test]
async fn the_modal_fits_a_phone() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open_phone(&server).await;
    browser.visit("/users/first.last@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    open_modal(&browser).await;
    browser.screenshot("delete-modal-phone").await;
    browser.choose("Reassign API Keys").await;
    browser
        .see_role("alert", "These keys would gain the owner role.")
        .await;
    browser.screenshot("delete-modal-phone-escalation").await;
}
