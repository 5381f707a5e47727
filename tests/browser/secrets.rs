//! The admin credential stays in the tab's memory: after a whole run it is in no storage, no
//! downloaded report and nowhere on the page. "Remember in this tab" puts it in sessionStorage
//! alone, survives a reload, and sign-out clears it.

use crate::support::{Browser, Setup, TestServer};
use crate::wizard::downloaded;
use serde_json::Value;

/// Everything the page keeps or shows: both storages, the IndexedDB databases and the DOM.
async fn everything_kept(browser: &Browser) -> Value {
    browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const dump = (s) => Object.fromEntries(Object.keys(s).map(k => [k, s.getItem(k)])); \
             indexedDB.databases().then(dbs => done({ \
               local: dump(localStorage), session: dump(sessionStorage), \
               indexedDb: dbs.map(d => d.name), dom: document.documentElement.outerHTML }));",
            vec![],
        )
        .await
        .expect("storage dump")
}

/// Whether `secret` appears in `kept` or in any of the `files`, and where.
fn places_holding(secret: &str, kept: &Value, files: &[String]) -> Vec<String> {
    let mut places = Vec::new();
    for part in ["local", "session", "dom"] {
        if kept[part].to_string().contains(secret) {
            places.push(part.to_string());
        }
    }
    for (i, file) in files.iter().enumerate() {
        if file.contains(secret) {
            places.push(format!("downloaded file {i}"));
        }
    }
    places
}

#[tokio::test]
async fn after_a_lockout_the_secret_is_in_no_storage_report_or_page() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser
        .visit("/emergency?user=first.last@company.com")
        .await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;
    browser.press("Download report (JSON)").await;
    let json = downloaded(&browser, "", ".json").await;
    browser.press("Download timeline (CSV)").await;
    let csv = downloaded(&browser, "", ".csv").await;

    let kept = everything_kept(&browser).await;
    assert!(
        kept["local"].as_object().is_some_and(|l| !l.is_empty()),
        "the run's journal is kept: {kept}"
    );
    assert_eq!(kept["session"], serde_json::json!({}), "not remembered");
    assert_eq!(kept["indexedDb"], serde_json::json!([]));
    assert_eq!(
        places_holding("demo-owner-sk", &kept, &[json, csv]),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_td_master_key_is_in_no_storage_report_or_page() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser
        .visit("/emergency?user=first.last@company.com")
        .await;
    browser.connect_td("1/demo-owner-master").await;
    // The confirmation's request preview names the key masked, as "1/••••".
    browser.see("TD1 1/•").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;
    browser.press("Download report (JSON)").await;
    let json = downloaded(&browser, "", ".json").await;

    let kept = everything_kept(&browser).await;
    assert_eq!(
        places_holding("demo-owner-master", &kept, &[json]),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_remembered_connection_lives_in_session_storage_only_and_goes_at_sign_out() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;
    browser.choose("Acceldata ADOC").await;
    browser.fill("Access key", "demo-owner-ak").await;
    browser.fill("Secret key", "demo-owner-sk").await;
    browser.choose("Remember in this tab").await;
    browser.press("Connect").await;
    browser.see("first.last@company.com").await;

    // Its stored form reads back as the connection it is, in this tab's sessionStorage alone.
    let kept = everything_kept(&browser).await;
    let stored: Value = serde_json::from_str(
        kept["session"]["offboard.connections"]
            .as_str()
            .expect("remembered in sessionStorage"),
    )
    .expect("JSON");
    let stored = &stored["connections"][0];
    assert_eq!(stored["base_url"], server.base.as_str());
    assert_eq!(stored["credentials"]["dialect"], "adoc");
    assert_eq!(stored["remembered"], true);
    assert!(!kept["local"].to_string().contains("demo-owner-sk"));

    // A reload keeps the connection: the directory, not Connect.
    browser.client.refresh().await.unwrap();
    browser.see("Connected as").await;
    browser.see("first.last@company.com").await;
    assert_eq!(browser.path().await, "/users");

    browser.press("Sign out").await;
    browser.see("Base URL").await;
    let kept = everything_kept(&browser).await;
    assert_eq!(
        kept["session"],
        serde_json::json!({}),
        "cleared at sign-out"
    );
    browser.client.refresh().await.unwrap();
    browser.field("Secret key").await;
    assert_eq!(browser.path().await, "/connect");
}
