//! The user page: one person's whole access, the snapshot, and a failing section.

use crate::support::{Browser, Setup, TestServer};
use crate::wizard::downloaded;
use serde_json::Value;

#[tokio::test]
async fn user_123_shows_keys_groups_roles_and_pipelines_and_documents_them() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.fill("Search users", "first.last").await;
    browser.link("First Last").await.click().await.unwrap();

    browser.see("API keys (2)").await;
    browser.see("Groups (3)").await;
    browser.see("Pipelines (2)").await;
    browser.see("Roles (3)").await;
    assert_eq!(browser.path().await, "/users/user-123");
    for text in [
        "AK-abc123",
        "AK-def456",
        "group-data-eng",
        "group-pipeline-owners",
        "group-prod-access",
        "Daily sales rollup",
        "Customer 360 sync",
    ] {
        browser.see(text).await;
    }
    let page = browser.body_text().await;
    assert!(
        page.contains("from group group-pipeline-owners"),
        "each role names its group"
    );
    assert!(!page.contains("demo-user123-sk"), "no secret is ever shown");
    browser.screenshot("user-page").await;

    browser.press("Document current access").await;
    browser.see("Snapshot taken").await;
    browser.press("Download JSON").await;
    let json: Value = serde_json::from_str(&downloaded(&browser, "", ".json").await).unwrap();
    assert_eq!(json["user"]["id"], "user-123");
    assert_eq!(json["dialect"], "adoc");
    assert_eq!(json["takenBy"], "Olivia Owner <owner@company.com>");
    assert_eq!(json["endpoint"], server.base.as_str());
    assert_eq!(json["apiKeys"].as_array().unwrap().len(), 2);
    assert_eq!(json["groups"].as_array().unwrap().len(), 3);
    assert_eq!(json["pipelines"].as_array().unwrap().len(), 2);
    assert!(
        json["permissions"]
            .as_array()
            .is_some_and(|p| !p.is_empty())
    );
    assert_eq!(json["errors"], serde_json::json!({}));

    browser.press("Download CSV").await;
    let csv = downloaded(&browser, "", ".csv").await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "kind,id,name,source");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("api_key,AK-abc123,Master,"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("api_key,AK-def456,Write-only,"))
    );
    assert!(
        lines.contains(&"group,group-prod-access,Production access,membership"),
        "{csv}"
    );
    assert!(lines.iter().any(|l| {
        l.starts_with("pipeline,pl-daily-sales,Daily sales rollup,owner first.last@company.com")
    }));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("role,") && l.ends_with("group group-data-eng"))
    );
    assert_eq!(
        lines[1],
        "user,user-123,First Last <first.last@company.com>,enabled"
    );
    // The attributes, as the JSON has them.
    assert!(
        lines.contains(&"attribute,department,Data Engineering,"),
        "{csv}"
    );
    assert!(lines.contains(&"attribute,location,Berlin,"), "{csv}");
    assert_eq!(
        json["user"]["attributes"]["location"],
        serde_json::json!(["Berlin"])
    );
}

#[tokio::test]
async fn an_unknown_person_gets_one_plain_message_and_nothing_to_press() {
    let server = TestServer::start(Setup::default()).await;
    for (browser, width) in [
        (Browser::open(&server).await, "desktop"),
        (Browser::open_phone(&server).await, "phone"),
    ] {
        browser.visit("/users/nobody-here").await;
        browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
        browser.see("Person not found").await;
        let message = browser
            .see("There is no user with the id or email “nobody-here”")
            .await;
        assert!(message.text().await.unwrap().contains("Acceldata ADOC"));
        let page = browser.body_text().await;
        for absent in [
            "Guided offboarding",
            "Emergency lockout",
            "Document current access",
            "API keys",
            // The server's own sentence ("Not found on the platform. <its message>").
            "Not found on the platform",
        ] {
            assert!(!page.contains(absent), "{absent:?} on the page:\n{page}");
        }
        let alerts = browser
            .client
            .find_all(fantoccini::Locator::Css("[role=alert]"))
            .await
            .unwrap();
        assert!(alerts.is_empty(), "no red boxes");
        browser
            .screenshot(&format!("user-page-not-found-{width}"))
            .await;
        browser
            .link("Search the directory")
            .await
            .click()
            .await
            .unwrap();
        browser.see("No one matches “nobody-here”.").await;
        assert_eq!(browser.path().await, "/users?q=nobody-here");
        browser
            .screenshot(&format!("directory-no-match-{width}"))
            .await;
    }
}

#[tokio::test]
async fn a_failing_section_shows_its_error_while_the_rest_renders() {
    let (_server, browser) =
        user_123_page_under("error-rate=1,statuses=500,path=/authz/api/v1/users/permissions").await;
    browser.see("Groups (3)").await;
    // The permissions call is retried with backoff before its section gives up.
    let alert = browser.see_role("alert", "internal error").await;
    let section = alert
        .find(fantoccini::Locator::XPath("ancestor::section[1]"))
        .await
        .unwrap();
    assert!(section.text().await.unwrap().starts_with("Permissions"));
    browser.see("Pipelines (2)").await;
    browser.screenshot("user-page-failing-section").await;

    // The snapshot records the failure instead of dropping the section.
    browser.press("Document current access").await;
    browser.see("1 section(s) could not be read").await;
}

#[tokio::test]
async fn a_td_user_shows_account_and_keys() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/first.last@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    browser.see("API keys (2)").await;
    browser.see("Treasure Data has none of these").await;
    browser.see("AK-abc123").await;
    // Treasure Data has no enabled state: no badge, no status row, in neither file.
    let page = browser.body_text().await;
    assert!(!page.to_lowercase().contains("enabled"), "{page}");
    assert!(!page.contains("Status"), "{page}");
    browser.screenshot("user-page-td").await;

    browser.press("Document current access").await;
    browser.see("Snapshot taken").await;
    browser.press("Download JSON").await;
    let json: Value = serde_json::from_str(&downloaded(&browser, "", ".json").await).unwrap();
    assert_eq!(json["dialect"], "td");
    assert_eq!(json["user"]["email"], "first.last@company.com");
    assert!(json["user"].get("enabled").is_none(), "{}", json["user"]);
    browser.press("Download CSV").await;
    let csv = downloaded(&browser, "", ".csv").await;
    assert!(!csv.contains("enabled"), "{csv}");
    let user_row = csv.lines().nth(1).unwrap();
    assert!(
        user_row.starts_with("user,") && user_row.ends_with("First Last <first.last@company.com>,"),
        "{user_row}"
    );
}

#[tokio::test]
async fn an_unknown_td_user_gets_the_same_plain_message() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/nobody@company.com").await;
    browser.connect_td("1/demo-owner-master").await;
    browser.see("Person not found").await;
    browser
        .see("There is no user with the id or email “nobody@company.com” on")
        .await;
    assert!(!browser.body_text().await.contains("Guided offboarding"));
}

#[tokio::test]
async fn a_platform_without_an_audit_log_gets_a_plain_note_and_the_rest_of_the_page() {
    // The vendors' own APIs have no such endpoint: the reference server answers 404 here.
    let (_server, browser) =
        user_123_page_under("error-rate=1,statuses=404,path=/audit/api/v1/events").await;
    browser
        .see("This platform offers no audit log Offboard can read")
        .await;
    assert!(!browser.body_text().await.contains("Chain verified"));
}

/// user-123's page, connected as the owner, on a server injecting `chaos`, once its keys show.
async fn user_123_page_under(chaos: &'static str) -> (TestServer, Browser) {
    let server = TestServer::start(Setup {
        chaos: Some(chaos),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("API keys (2)").await;
    (server, browser)
}
