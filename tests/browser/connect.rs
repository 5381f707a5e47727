//! The Connect screen: the demo owner in both dialects, and the ways connecting goes wrong.

use crate::support::{Browser, Setup, TestServer};

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

    // Nothing listens there.
    browser.fill("Base URL", "http://127.0.0.1:9").await;
    browser.press("Connect").await;
    browser.see_role("alert", "could not be reached").await;

    browser.fill("Base URL", "acme.example").await;
    browser.press("Connect").await;
    browser.see_role("alert", "with its scheme").await;
}
