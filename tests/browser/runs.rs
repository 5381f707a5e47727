//! The runs page: every run started in this browser with its verdict and times, a report opened
//! again, the list exported as CSV (read back from the downloaded file), and a record deleted
//! after a confirmation.

use crate::support::{Browser, Setup, TestServer};
use crate::wizard::downloaded;
use fantoccini::Locator;

#[tokio::test]
async fn the_runs_page_lists_a_wizard_and_a_lockout_reopens_exports_and_deletes() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;

    // A guided offboarding to its end, of someone with nothing to hand over.
    browser.wizard_to_the_revoke_step("user-gen-0001").await;
    browser.press("Revoke all API keys").await;
    browser.press("Remove all group memberships").await;
    browser.press("Verify now").await;
    browser.press("Check no pipelines are left").await;
    browser.see("Access removed and verified.").await;

    // An emergency lockout, reached through the app's own navigation (the connection is kept
    // in memory, so a reload would ask for it again).
    browser.link("Emergency").await.click().await.unwrap();
    browser.fill("Who must be locked out?", "user-123").await;
    browser.press("Find").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;

    browser.link("Runs").await.click().await.unwrap();
    browser.see("2 of 2 runs").await;
    let lockout = row_of(&browser, "first.last@company.com").await;
    for wanted in [
        "Emergency lockout",
        "Acceldata ADOC",
        "Olivia Owner <owner@company.com>",
        "Access removed and verified.",
    ] {
        assert!(lockout.contains(wanted), "{wanted} in {lockout}");
    }
    let wizard = row_of(&browser, "user.0001@company.com").await;
    assert!(wizard.contains("Guided offboarding"), "{wizard}");
    assert!(wizard.contains("Access removed and verified."), "{wizard}");
    // Notified at the start of each run, access removed seconds later (the column before the
    // row's actions).
    for row in [&lockout, &wizard] {
        assert!(row.contains("s Open report"), "time to removal in {row}");
    }
    browser.screenshot("runs-page").await;

    // Search and filters.
    browser.fill("Search", "first.last").await;
    browser.see("1 of 2 runs").await;
    browser.fill("Search", "").await;
    browser.see("2 of 2 runs").await;
    browser
        .field("Kind")
        .await
        .select_by_label("Guided offboarding")
        .await
        .unwrap();
    browser.see("1 of 2 runs").await;
    assert!(browser.body_text().await.contains("user.0001@company.com"));
    browser
        .field("Verdict")
        .await
        .select_by_label("Access left or not verified")
        .await
        .unwrap();
    browser
        .see("None of the 2 runs matches these filters.")
        .await;
    browser
        .field("Kind")
        .await
        .select_by_label("Any kind")
        .await
        .unwrap();
    browser
        .field("Verdict")
        .await
        .select_by_label("Any verdict")
        .await
        .unwrap();
    browser.see("2 of 2 runs").await;

    // The report, opened again.
    browser
        .link("Open the report of the emergency lockout of First Last")
        .await
        .click()
        .await
        .unwrap();
    browser.see("Report: First Last").await;
    browser.see("Times and controls").await;
    assert!(
        browser
            .path()
            .await
            .starts_with("/runs/emergency-user-123-")
    );
    // Beneath it, the platform's own audit log of the person, its chain checked in the page,
    // the lockout's events marked.
    browser.see("Chain verified here: all").await;
    browser.see("API key deleted: AK-abc123").await;
    browser.see("of them during this run (marked)").await;
    browser.link("Runs").await.click().await.unwrap();

    // The person the wizard offboarded: their audit log under the report and on their page.
    browser
        .link("Open the report of the guided offboarding of Ben Haddad")
        .await
        .click()
        .await
        .unwrap();
    browser.see("Report: Ben Haddad").await;
    let verified = browser.see("Chain verified here: all").await;
    browser.see("Account updated").await;
    let element = serde_json::to_value(&verified).unwrap();
    browser
        .client
        .execute(
            "arguments[0].scrollIntoView({block: 'start'})",
            vec![element],
        )
        .await
        .unwrap();
    browser.screenshot("runs-report-audit-log").await;
    browser.link("user-gen-0001").await.click().await.unwrap();
    browser.see_role("status", "Chain verified here: all").await;
    browser.see("Account updated").await;
    browser.link("Runs").await.click().await.unwrap();

    // Every run, exported and read back from the file.
    browser.press("Export all (CSV)").await;
    let csv = downloaded(&browser, "offboard-runs-", ".csv").await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with(
        "id,kind,platform,endpoint,run_by,person,email,reference,started,finished,verdict"
    ));
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",Emergency lockout,Acceldata ADOC,")
                && l.contains(",First Last,first.last@company.com,user-123,")
                && l.contains(",Access removed and verified.,")),
        "{csv}"
    );
    assert!(
        lines.iter().any(|l| l.contains(",Guided offboarding,")),
        "{csv}"
    );

    // Deleting a record asks first; Cancel keeps it and gives the focus back.
    let delete = "Delete the record of the emergency lockout of First Last";
    browser.press(delete).await;
    browser
        .see_role("dialog", "Delete this run's record?")
        .await;
    browser.screenshot("runs-delete-confirm").await;
    browser.press("Cancel").await;
    // The focus moves once the dialog is gone (the next frame).
    let mut focused = browser.focused().await;
    for _ in 0..50 {
        if focused.0 == "button" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        focused = browser.focused().await;
    }
    let (tag, name) = focused;
    assert_eq!(
        (tag.as_str(), name.as_str()),
        ("button", "Delete"),
        "the focus is back"
    );
    browser.press(delete).await;
    browser.press("Delete record").await;
    browser.see("1 of 1 runs").await;
    assert!(!browser.body_text().await.contains("first.last@company.com"));
    // Only this browser forgot it: the person is still locked out.
    let (_, user) = server.owner().get("/admin/api/users/user-123").await;
    assert_eq!(user["enabled"], false);
}

/// The text of the runs table's row that names `email`.
async fn row_of(browser: &Browser, email: &str) -> String {
    let cell = browser.see(email).await;
    let row = cell
        .find(Locator::XPath("./ancestor::tr"))
        .await
        .expect("a row");
    row.text().await.unwrap_or_default()
}
