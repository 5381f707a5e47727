//! The Connect screen: the demo owner in both dialects, and the ways connecting goes wrong.

use crate::support::{Browser, Setup, TestServer, free_port};

#[tokio::test]
async fn owner_connects_through_adoc_and_sees_who_they_are() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/").await;
    browser.see("Connect to a platform").await;
    assert!(
        browser.path().await.starts_with("/connect"),
        "not connected: / leads to Connect"
    );
    browser.screenshot("connect").await;

    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    let who = browser.see("Connected as").await;
    assert_eq!(
        who.text().await.unwrap(),
        "Connected as Olivia Owner (owner)"
    );
    browser.see("Acceldata ADOC").await;
    browser.screenshot("connected-adoc").await;
}

#[tokio::test]
async fn owner_connects_through_td_and_sees_who_they_are() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;
    browser.connect_td("1/demo-owner-master").await;
    let who = browser.see("Connected as").await;
    assert_eq!(
        who.text().await.unwrap(),
        "Connected as Olivia Owner (owner)"
    );
    browser.see("Treasure Data").await;
}

#[tokio::test]
async fn wrong_credentials_are_explained_and_the_form_is_kept() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;

    browser
        .connect_adoc("demo-owner-ak", "not-the-secret")
        .await;
    browser
        .see_role("alert", "did not accept these credentials")
        .await;
    browser.screenshot("connect-wrong-credentials").await;
    let kept = browser
        .field("Access key")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("demo-owner-ak"),
        "the form keeps what was typed"
    );
    assert!(browser.path().await.starts_with("/connect"));
}

#[tokio::test]
async fn keys_that_cannot_administer_are_refused_with_the_reason() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;

    browser.connect_td("1/demo-admin-write").await;
    browser.see_role("alert", "write-only API key").await;

    browser
        .connect_adoc("AK-abc123", "demo-user123-sk-abc")
        .await;
    browser
        .see_role("alert", "first.last@company.com is a restricted user")
        .await;
}

#[tokio::test]
async fn wrong_addresses_are_explained() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;

    // A page of the app rather than the API's root: HTML, not JSON.
    browser
        .fill("Base URL", &format!("{}/not-the-api", server.base))
        .await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see_role("alert", "not like an admin API").await;

    browser.fill("Base URL", "acme.example").await;
    browser.press("Connect").await;
    browser.see_role("alert", "with its scheme").await;
}

/// A host that refuses the connection and an address the page's own CSP will not let it call
/// both fail as a bare `TypeError` in the browser; the screen tells them apart.
#[tokio::test]
async fn a_closed_port_and_an_origin_outside_connect_src_are_told_apart() {
    let closed = format!("http://127.0.0.1:{}", free_port().await);
    let server = TestServer::start(Setup {
        connect_src: vec![closed.clone()],
        ..Setup::default()
    })
    .await;
    for (browser, width) in [
        (Browser::open(&server).await, "desktop"),
        (Browser::open_phone(&server).await, "phone"),
    ] {
        browser.visit("/connect").await;
        // Allowed by the CSP (`--connect-src`), but nothing listens there.
        browser.fill("Base URL", &closed).await;
        browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
        let refused = browser.see_role("alert", "the host did not answer").await;
        let words = refused.text().await.unwrap();
        assert!(!words.contains("--connect-src"), "{words}");
        browser
            .screenshot(&format!("connect-refused-{width}"))
            .await;

        // Not in the CSP's connect-src: the browser sends nothing.
        browser
            .fill("Base URL", "https://platform.example.com")
            .await;
        browser.press("Connect").await;
        let blocked = browser
            .see_role(
                "alert",
                "Start offboard-server with --connect-src https://platform.example.com",
            )
            .await;
        let words = blocked.text().await.unwrap();
        assert!(words.contains("nothing was sent"), "{words}");
        assert!(!words.contains("did not answer"), "{words}");
        browser
            .see("blocked by this page's Content-Security-Policy")
            .await;
        browser
            .screenshot(&format!("connect-blocked-by-policy-{width}"))
            .await;
        assert!(browser.path().await.starts_with("/connect"));
    }
}
