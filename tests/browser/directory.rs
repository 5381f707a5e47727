//! The directory: search, sort, deep links.

use crate::support::{Browser, Setup, TestServer};

#[tokio::test]
async fn search_finds_the_departing_user_and_sorting_by_role_puts_the_owner_first() {
    let server = TestServer::start(Setup {
        demo_users: Some(300),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/users").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("307 users").await;
    browser.screenshot("directory").await;

    browser.fill("Search users", "first.last").await;
    browser.see("1 of 307 users match").await;
    let row = browser.see("first.last@company.com").await;
    assert_eq!(row.text().await.unwrap(), "first.last@company.com");
    assert!(
        browser.path().await.contains("q=first.last"),
        "the search is in the address"
    );
    browser.screenshot("directory-search").await;

    browser.fill("Search users", "").await;
    browser.press("Role").await;
    let header = browser.button("Role").await;
    let cell = header.find(fantoccini::Locator::XPath("..")).await.unwrap();
    assert_eq!(
        cell.attr("aria-sort").await.unwrap().as_deref(),
        Some("ascending")
    );
    let first_row_name = browser
        .client
        .find(fantoccini::Locator::Css("tbody tr:not(.spacer) td.name"))
        .await
        .unwrap();
    assert_eq!(first_row_name.text().await.unwrap(), "Olivia Owner");

    browser.press("Role").await;
    assert_eq!(
        cell.attr("aria-sort").await.unwrap().as_deref(),
        Some("descending")
    );
    let first_role = browser
        .client
        .find(fantoccini::Locator::Css(
            "tbody tr:not(.spacer) td .badge-role",
        ))
        .await
        .unwrap();
    assert_eq!(first_role.text().await.unwrap(), "restricted");
}

#[tokio::test]
async fn a_deep_link_with_a_search_opens_filtered_in_td() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users?q=scim").await;
    browser.connect_td("1/demo-owner-master").await;
    browser.see("1 of 27 users match").await;
    browser.see("scim.user@company.com").await;
    browser.fill("Search users", "nobody-at-all").await;
    browser.see("No user matches “nobody-at-all”.").await;
    browser.press("Clear search").await;
    browser.see("27 users").await;
}

#[tokio::test]
async fn the_whole_directory_scrolls_under_the_apps_content_security_policy() {
    let server = TestServer::start(Setup {
        demo_users: Some(300),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/users").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("307 users").await;
    browser.press("Email").await;

    // Only the rows in view exist; the spacers around them must give the list its full height,
    // which the CSP (no inline style attributes) would silently flatten if set as attributes.
    let list = browser
        .client
        .find(fantoccini::Locator::Css("[aria-label='Users']"))
        .await
        .unwrap();
    list.send_keys("\u{E010}").await.unwrap(); // End
    browser.see("user.0300@company.com").await;
    browser.screenshot("directory-end").await;
}
