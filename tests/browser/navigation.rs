//! Moving between screens: pages that do not exist, keyboard focus after every navigation, and
//! signing out.

use crate::support::{Browser, Setup, TestServer};

#[tokio::test]
async fn unknown_app_paths_get_the_apps_own_not_found_page() {
    let server = TestServer::start(Setup::default()).await;
    for (browser, width) in [
        (Browser::open(&server).await, "desktop"),
        (Browser::open_phone(&server).await, "phone"),
    ] {
        // `/audit` shares its first segment with the audit API; `/foo` is nothing at all.
        for path in ["/audit", "/foo"] {
            browser.visit(path).await;
            browser.see("Page not found").await;
            browser.see("There is no such page in Offboard.").await;
            let page = browser.body_text().await;
            assert!(
                !page.contains("no endpoint") && !page.contains('{'),
                "the app's page, not the server's JSON: {page}"
            );
        }
        browser.screenshot(&format!("not-found-page-{width}")).await;
        browser.link("Go to the start").await.click().await.unwrap();
        browser.see("Connect to a platform").await;
    }
    // The API under the same prefix still answers JSON.
    let events = reqwest::get(format!("{}/audit/api/v1/events", server.base))
        .await
        .unwrap();
    assert_eq!(events.status(), 401);
    let body: serde_json::Value = events.json().await.unwrap();
    assert_eq!(body["status"], 401);
}

#[tokio::test]
async fn after_every_navigation_focus_is_on_the_new_screens_heading() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.wait_for_heading_focus("Directory").await;

    browser.fill("Search users", "first.last").await;
    browser.link("First Last").await.click().await.unwrap();
    browser.see("API keys (2)").await;
    // The heading replaced "Loading…" once the person was read: focus followed it.
    browser.wait_for_heading_focus("First Last").await;
    browser.screenshot("focus-user-page").await;

    browser
        .link("Guided offboarding")
        .await
        .click()
        .await
        .unwrap();
    browser
        .wait_for_heading_focus("Guided offboarding: First Last")
        .await;

    // A link that stays on screen (the header's) does not keep focus either.
    browser.link("Emergency").await.click().await.unwrap();
    browser.wait_for_heading_focus("Emergency lockout").await;
    browser.fill("Who must be locked out?", "user-123").await;
    browser.press("Find").await;
    browser.see("Lock out First Last?").await;
    browser.wait_for_heading_focus("Emergency lockout").await;

    browser.link("Directory").await.click().await.unwrap();
    browser.wait_for_heading_focus("Directory").await;
    // Focus that the person moves on is left there.
    browser.field("Search users").await.click().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(browser.focused().await.0, "input");
}

#[tokio::test]
async fn signing_out_lands_on_connect_without_a_way_back() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("API keys (2)").await;
    browser.press("Sign out").await;
    browser.see("Connect to a platform").await;
    // Give a late redirect the time to happen, if there were one.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(browser.path().await, "/connect");
    browser
        .wait_for_heading_focus("Connect to a platform")
        .await;
    assert!(!browser.body_text().await.contains("Connected as"));
}

/// The app's wasm and JS reach the browser brotli-compressed (what Chromium took off the wire
/// is less than half of what it ran), with a year's caching; the page itself is revalidated.
#[tokio::test]
async fn the_app_arrives_brotli_compressed_and_cached_for_a_year() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;
    browser.see("Connect to a platform").await;
    let sizes = browser
        .client
        .execute(
            "return performance.getEntriesByType('resource')\
               .filter(e => /\\.(wasm|js)$/.test(new URL(e.name).pathname))\
               .map(e => [new URL(e.name).pathname, e.encodedBodySize, e.decodedBodySize]);",
            vec![],
        )
        .await
        .unwrap();
    let sizes = sizes.as_array().expect("resource entries");
    assert!(sizes.len() >= 2, "the wasm and the JS: {sizes:?}");
    for entry in sizes {
        let (path, wire, ran) = (
            &entry[0],
            entry[1].as_f64().unwrap(),
            entry[2].as_f64().unwrap(),
        );
        assert!(
            wire > 0.0 && wire * 2.0 < ran,
            "{path}: {wire} bytes on the wire for {ran}"
        );
        let reply = reqwest::Client::new()
            .get(format!("{}{}", server.base, path.as_str().unwrap()))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        let header = |name: &str| {
            reply
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        assert_eq!(header("content-encoding").as_deref(), Some("br"), "{path}");
        assert_eq!(
            header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
    let page = reqwest::get(format!("{}/connect", server.base))
        .await
        .unwrap();
    assert_eq!(page.headers()["cache-control"], "no-cache");
}
