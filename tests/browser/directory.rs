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
    // Treasure Data users have no status: no column for it.
    let headers = browser.body_text().await;
    assert!(!headers.contains("Status"), "{headers}");
    assert!(!headers.contains("enabled"), "{headers}");
    browser.screenshot("directory-td").await;
    browser.fill("Search users", "nobody-at-all").await;
    browser.see("No one matches “nobody-at-all”.").await;
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

#[tokio::test]
async fn on_a_phone_each_user_is_a_stacked_row_and_the_whole_list_still_scrolls() {
    let server = TestServer::start(Setup {
        demo_users: Some(300),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open_phone(&server).await;
    browser.visit("/users").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("307 users").await;
    browser.fill("Search users", "first.last").await;
    browser.see("1 of 307 users match").await;
    // Name, then email, then role and status as badges: each readable, none cut short.
    let layout: serde_json::Value = browser
        .client
        .execute(
            "const row = document.querySelector('tbody tr:not(.spacer)'); \
             const box = s => row.querySelector(s).getBoundingClientRect(); \
             const whole = s => { const e = row.querySelector(s); return e.scrollWidth <= e.clientWidth; }; \
             return { name: box('td.name').bottom, emailTop: box('td.email').top, \
               email: box('td.email').bottom, roleTop: box('td.role').top, statusTop: box('td.status').top, \
               height: row.getBoundingClientRect().height, \
               whole: whole('td.name') && whole('td.email'), \
               text: row.innerText };",
            vec![],
        )
        .await
        .unwrap();
    let at = |key: &str| layout[key].as_f64().unwrap();
    assert!(
        at("emailTop") >= at("name") - 1.0,
        "email under the name: {layout}"
    );
    assert!(
        at("roleTop") >= at("email") - 1.0,
        "badges under the email: {layout}"
    );
    assert_eq!(
        at("roleTop"),
        at("statusTop"),
        "role and status side by side"
    );
    assert_eq!(at("height"), 76.0, "the height the windowing counts with");
    assert_eq!(layout["whole"], true, "{layout}");
    let text = layout["text"].as_str().unwrap();
    for part in [
        "First Last",
        "first.last@company.com",
        "restricted",
        "enabled",
    ] {
        assert!(text.contains(part), "{part} in {text:?}");
    }
    browser.screenshot("directory-phone-search").await;

    browser.fill("Search users", "").await;
    browser.see("307 users").await;
    browser.screenshot("directory-phone").await;
    let list = browser
        .client
        .find(fantoccini::Locator::Css("[aria-label='Users']"))
        .await
        .unwrap();
    browser.press("Email").await;
    list.send_keys("\u{E010}").await.unwrap(); // End
    browser.see("user.0300@company.com").await;
    browser.screenshot("directory-phone-end").await;
}
