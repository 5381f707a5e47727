//! Reactivation: a person offboarded by the guided wizard comes back. The account is re-enabled
//! with the reactivation recorded and the offboarding kept as history, the groups the wizard's
//! snapshot recorded are restored after review, and no key comes back; checked through the API.

use crate::support::{Browser, Setup, TestServer};

#[tokio::test]
async fn a_person_offboarded_by_the_wizard_is_reactivated_with_their_groups() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-123/offboard").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.wizard_departure_to_riley().await;
    browser.press("Disable the account").await;
    browser.press("Revoke all API keys").await;
    browser.press("Remove all group memberships").await;
    browser.press("Verify now").await;
    browser.press("Transfer the pipelines").await;
    browser.see("Access removed and verified.").await;

    // Back on the person's page (same tab: the connection is kept).
    browser.link("user-123").await.click().await.unwrap();
    browser.see("Pipelines (0)").await;
    browser.press("Reactivate").await;
    browser.see_role("dialog", "Reactivate First Last?").await;
    browser.see("Recorded by the guided offboarding of").await;
    for group in [
        "group-data-eng",
        "group-pipeline-owners",
        "group-prod-access",
    ] {
        browser.see(group).await;
    }
    browser.see("API keys are not restored.").await;
    browser.screenshot("reactivate-modal").await;
    // Reviewed: one group is left out.
    browser
        .field("Production access group-prod-access")
        .await
        .click()
        .await
        .unwrap();
    browser
        .press("Reactivate first.last@company.com and restore 2 groups")
        .await;
    browser
        .see_role("status", "Reactivated and verified.")
        .await;
    browser.screenshot("reactivate-done").await;

    let owner = server.owner();
    let (_, account) = owner.get("/admin/api/users/user-123").await;
    assert_eq!(account["enabled"], true);
    assert_eq!(
        account["attributes"]["status"],
        serde_json::json!(["REACTIVATED"])
    );
    assert_eq!(
        account["attributes"]["reactivatedBy"],
        serde_json::json!(["owner@company.com"])
    );
    assert_eq!(
        account["attributes"]["reason"],
        serde_json::json!(["Voluntary - New Job"]),
        "the offboarding stays as history"
    );
    let (_, groups) = owner.get("/admin/api/users/user-123/groups").await;
    let groups = groups.to_string();
    assert!(groups.contains("group-data-eng") && groups.contains("group-pipeline-owners"));
    assert!(!groups.contains("group-prod-access"), "{groups}");
    let (_, keys) = owner.get("/admin/api/users/user-123/api-keys").await;
    assert_eq!(keys["meta"]["total"], 0, "keys are never restored");
    let (_, events) = owner
        .get("/audit/api/v1/events?target=user-123&limit=1000")
        .await;
    assert!(events.to_string().contains("groups.assign"), "{events}");

    browser.press("Close").await;
    browser.button("Delete user").await;
    // Closing re-reads the person; once the enabled account is read back, Reactivate goes.
    let mut reactivate = Vec::new();
    for _ in 0..50 {
        reactivate = browser
            .client
            .find_all(fantoccini::Locator::XPath(
                "//button[normalize-space()='Reactivate']",
            ))
            .await
            .unwrap();
        if reactivate.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        reactivate.is_empty(),
        "an enabled account is not offered reactivation"
    );
}

#[tokio::test]
async fn on_a_phone_a_locked_out_person_is_brought_back_with_the_groups_the_lockout_removed() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open_phone(&server).await;
    browser.visit("/emergency?user=user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;

    // Opening the lockout again says the person is already offboarded.
    browser.visit("/emergency?user=user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("First Last is already offboarded").await;
    browser.screenshot("already-offboarded-phone").await;

    browser.visit("/users/user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("Pipelines (2)").await;
    browser.press("Reactivate").await;
    browser.see("Recorded by the emergency lockout of").await;
    browser.screenshot("reactivate-modal-phone").await;
    browser
        .press("Reactivate first.last@company.com and restore 3 groups")
        .await;
    browser
        .see_role("status", "Reactivated and verified.")
        .await;
    browser.screenshot("reactivate-done-phone").await;
    let (_, groups) = server.owner().get("/admin/api/users/user-123/groups").await;
    assert_eq!(groups["groups"].as_array().unwrap().len(), 3, "{groups}");
    let (_, account) = server.owner().get("/admin/api/users/user-123").await;
    assert_eq!(account["enabled"], true);
}
