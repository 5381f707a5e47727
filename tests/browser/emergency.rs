//! Emergency lockout: from the user page, from a deep link on a phone, the guards, and TD.

use crate::support::{Browser, Setup, TestServer};
use serde_json::Value;

pub(crate) async fn assert_locked_out(server: &TestServer, user: &str) {
    let owner = server.owner();
    let (status, account) = owner.get(&format!("/admin/api/users/{user}")).await;
    assert_eq!(status, 200);
    assert_eq!(account["enabled"], false);
    assert_eq!(
        account["attributes"]["status"],
        serde_json::json!(["OFFBOARDED"])
    );
    assert_eq!(
        account["attributes"]["reason"],
        serde_json::json!(["Emergency"])
    );
    let (_, keys) = owner
        .get(&format!("/admin/api/users/{user}/api-keys?size=100"))
        .await;
    assert_eq!(keys["meta"]["total"], 0, "no key left: {keys}");
    let (_, groups) = owner.get(&format!("/admin/api/users/{user}/groups")).await;
    assert_eq!(groups["groups"], serde_json::json!([]));
    let (_, permissions) = owner
        .get(&format!("/authz/api/v1/users/permissions?userId={user}"))
        .await;
    assert_eq!(permissions["permissions"], serde_json::json!([]));
}

#[tokio::test]
async fn lockout_of_user_123_from_the_user_page() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-123").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.follow("Emergency lockout").await;
    browser.see("Lock out First Last?").await;
    browser.see("2 API keys · 3 groups").await;
    browser.screenshot("emergency-confirm").await;
    browser.capture_console().await;

    browser.press("Lock out now").await;
    let verdict = browser.see_role("status", "Locked out in").await;
    assert!(
        verdict
            .text()
            .await
            .unwrap()
            .contains("All 4 checks passed.")
    );
    browser.see("2/2 keys revoked, 3 groups removed").await;
    browser.screenshot("emergency-done").await;
    assert_locked_out(&server, "user-123").await;
}

#[tokio::test]
async fn lockout_of_user_heavy_from_a_deep_link_on_a_phone() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open_phone(&server).await;
    browser.visit("/emergency?user=heavy@company.com").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("200 API keys · 50 groups").await;
    browser.screenshot("emergency-phone-confirm").await;
    let button = browser.button("Lock out now").await;
    let width: Value = browser
        .client
        .execute(
            "return arguments[0].getBoundingClientRect().width",
            vec![serde_json::to_value(&button).unwrap()],
        )
        .await
        .unwrap();
    let width = width.as_f64().unwrap();
    assert!(
        width > 300.0 && width <= 390.0,
        "the button spans a phone's width: {width}"
    );
    button.click().await.unwrap();

    let verdict = browser.see_role("status", "Locked out in").await;
    let total: f64 = verdict
        .attr("data-total-ms")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 0.0);
    browser.see("200/200 keys revoked, 50 groups removed").await;
    browser.screenshot("emergency-phone-done").await;
    let overflow: Value = browser
        .client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap();
    assert!(
        overflow.as_f64().unwrap() <= 390.0,
        "nothing is wider than the phone"
    );
    // Without the table's header row, each figure of a call carries its column's name.
    let labels: Value = browser
        .client
        .execute(
            "const row = document.querySelector('.calls-table tbody tr'); \
             return [...row.cells].filter(c => getComputedStyle(c).display !== 'none') \
               .map(c => getComputedStyle(c, '::before').content);",
            vec![],
        )
        .await
        .unwrap();
    let labels: Vec<&str> = labels
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "none",
            "\"Status \"",
            "\"Took \"",
            "\"Tries \"",
            "\"Result \""
        ],
        "the call itself, then labelled figures"
    );
    browser.see("PUT /admin/api/users/user-heavy").await;
    browser
        .client
        .execute(
            "[...document.querySelectorAll('h2')].find(h => h.textContent === 'Evidence') \
               .scrollIntoView({block: 'start'}); return null;",
            vec![],
        )
        .await
        .unwrap();
    browser.screenshot("emergency-phone-evidence").await;
    assert_locked_out(&server, "user-heavy").await;
}

#[tokio::test]
async fn a_person_who_is_not_there_keeps_the_search_to_try_again() {
    let server = TestServer::start(Setup::default()).await;
    for (browser, width) in [
        (Browser::open(&server).await, "desktop"),
        (Browser::open_phone(&server).await, "phone"),
    ] {
        browser.visit("/emergency?user=nobody@company.com").await;
        browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
        browser
            .see("There is no user with the id or email “nobody@company.com”")
            .await;
        let page = browser.body_text().await;
        assert!(!page.contains("Lock out now"), "{page}");
        assert!(
            !page.contains("no user with email"),
            "no server text: {page}"
        );
        let field = browser.field("Who must be locked out?").await;
        assert_eq!(
            field.prop("value").await.unwrap().as_deref(),
            Some("nobody@company.com"),
            "what was typed, to correct"
        );
        browser
            .screenshot(&format!("emergency-not-found-{width}"))
            .await;

        browser
            .fill("Who must be locked out?", "first.last@company.com")
            .await;
        browser.press("Find").await;
        browser.see("Lock out First Last?").await;
        assert_eq!(
            browser.path().await,
            "/emergency?user=first.last@company.com"
        );
    }
}

#[tokio::test]
async fn nobody_locks_out_themselves_the_owner_or_a_fellow_admin() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=user-owner").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser
        .see_role("alert", "You cannot remove or lock out your own account.")
        .await;
    assert!(
        browser.body_text().await.find("Lock out now").is_none(),
        "no button to press"
    );

    browser.press("Sign out").await;
    browser.visit("/emergency?user=owner@company.com").await;
    browser.connect_adoc("demo-admin-ak", "demo-admin-sk").await;
    browser
        .see_role(
            "alert",
            "The account owner cannot be removed or locked out.",
        )
        .await;
    browser.screenshot("emergency-refused").await;

    // A new page load forgets the credentials (they live in memory only): connect again.
    browser.visit("/emergency?user=user-admin2").await;
    browser.connect_adoc("demo-admin-ak", "demo-admin-sk").await;
    browser
        .see_role("alert", "Administrators can change restricted users only")
        .await;
}

#[tokio::test]
async fn a_scim_user_gets_their_keys_revoked_and_the_rest_is_left_to_okta() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=user-scim").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser
        .see_role("alert", "is managed by Okta through SCIM")
        .await;
    browser.press("Revoke keys now").await;
    // Keys gone is not "locked out": the verdict names what is left for Okta.
    let verdict = browser.see_role("alert", "Not fully locked out").await;
    let text = verdict.text().await.unwrap();
    assert!(text.contains("Left: Account disabled"), "{text}");
    assert!(text.contains("Disable this account in Okta"), "{text}");
    browser.screenshot("emergency-scim").await;

    let owner = server.owner();
    let (_, keys) = owner.get("/admin/api/users/user-scim/api-keys").await;
    assert_eq!(keys["meta"]["total"], 0);
    let (_, account) = owner.get("/admin/api/users/user-scim").await;
    assert_eq!(
        account["enabled"], true,
        "the account is the identity provider's to disable"
    );
}

#[tokio::test]
async fn td_lockout_removes_the_user_and_their_keys() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser
        .visit("/emergency?user=first.last@company.com")
        .await;
    browser.connect_td("1/demo-owner-master").await;
    browser.see("2 API keys").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;
    let (status, _) = server.owner().get("/admin/api/users/user-123").await;
    assert_eq!(status, 404, "the user is gone");
}

/// The phone locks or the tab is reloaded half-way through a lockout: back on the same link,
/// the lockout is offered to continue where it stopped, and finishes with nothing sent twice.
#[tokio::test]
async fn an_interrupted_lockout_continues_where_it_stopped() {
    // Each key deletion takes 100 ms, so 200 keys six at a time take a few seconds: a middle.
    let setup = Setup {
        chaos: Some("latency-ms=100,path=/admin/api/users/api-keys/"),
        ..Setup::default()
    };
    let server = TestServer::start(setup).await;
    let browser = Browser::open_phone(&server).await;
    browser.visit("/emergency?user=heavy@company.com").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;

    let owner = server.owner();
    let deleted = owner.wait_for_key_deletions("user-heavy", 30).await;
    assert!((30..200).contains(&deleted), "{deleted} keys revoked");
    browser.client.refresh().await.unwrap();

    // Credentials were not remembered: Connect, then back to the same lockout.
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser
        .see("The lockout of Harper Heavy was interrupted")
        .await;
    assert_eq!(browser.path().await, "/emergency?user=heavy@company.com");
    browser.button("Start over").await;
    browser.screenshot("emergency-resume-offer-phone").await;
    browser.press("Continue the lockout").await;
    browser.see_role("status", "Locked out: finished").await;
    browser.see("after continuing").await;
    // What the first tab revoked is kept; the rest is listed afresh and revoked here, so the
    // counts are this journal's (a delete that landed unrecorded as the tab closed is not
    // sent again: see the audit below).
    browser.see("keys revoked").await;
    browser.screenshot("emergency-resumed-phone").await;

    owner.assert_each_key_deleted_once("user-heavy", 200).await;
    assert_locked_out(&server, "user-heavy").await;

    // Finished: the same link now shows the person as already offboarded, not a resume offer.
    browser.visit("/emergency?user=heavy@company.com").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.see("already offboarded").await;
}

/// Starting over forgets the interrupted lockout's record and asks afresh.
#[tokio::test]
async fn an_interrupted_lockout_can_be_started_over() {
    let setup = Setup {
        chaos: Some("latency-ms=100,path=/admin/api/users/api-keys/"),
        ..Setup::default()
    };
    let server = TestServer::start(setup).await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=heavy@company.com").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;
    let owner = server.owner();
    owner.wait_for_key_deletions("user-heavy", 10).await;
    browser.client.refresh().await.unwrap();
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Start over").await;
    // The fresh read finds fewer keys than the first, and asks once again.
    browser.button("Lock out now").await;
    browser.press("Lock out now").await;
    browser.see_role("status", "Locked out in").await;
    owner.assert_each_key_deleted_once("user-heavy", 200).await;
    assert_locked_out(&server, "user-heavy").await;
}

/// A script (or another admin) creates a key for the person while the lockout runs: the final
/// sweep lists the keys again, finds it and revokes it, and the verdict is still true.
#[tokio::test]
async fn a_key_created_during_the_lockout_is_caught_and_revoked() {
    let setup = Setup {
        chaos: Some("latency-ms=50,path=/admin/api/users/api-keys/"),
        ..Setup::default()
    };
    let server = TestServer::start(setup).await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=heavy@company.com").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Lock out now").await;

    let owner = server.owner();
    owner.wait_for_key_deletions("user-heavy", 10).await;
    let (status, created) = owner
        .post(
            "/admin/api/users/user-heavy/api-keys",
            serde_json::json!({"type": "MASTER"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let new_key = created["accessKey"].as_str().expect("key id").to_string();

    browser.see_role("status", "Locked out in").await;
    let revoked: Vec<String> = owner
        .key_deletions("user-heavy")
        .await
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    assert!(revoked.contains(&new_key), "{new_key} was revoked too");
    owner.assert_each_key_deleted_once("user-heavy", 201).await;
    assert_locked_out(&server, "user-heavy").await;
}

/// Two admins lock out the same person at the same moment: both end with a true verdict, and
/// neither reports as a failure what the other removed first.
#[tokio::test]
async fn two_admins_locking_out_the_same_person_both_end_verified() {
    let setup = Setup {
        chaos: Some("latency-ms=20,path=/admin/api/users/api-keys/"),
        ..Setup::default()
    };
    let server = TestServer::start(setup).await;
    let (owner, admin) = tokio::join!(Browser::open(&server), Browser::open(&server));
    tokio::join!(
        async {
            owner.visit("/emergency?user=heavy@company.com").await;
            owner.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
            owner.button("Lock out now").await;
        },
        async {
            admin.visit("/emergency?user=heavy@company.com").await;
            admin.connect_adoc("demo-admin-ak", "demo-admin-sk").await;
            admin.button("Lock out now").await;
        }
    );
    tokio::join!(owner.press("Lock out now"), admin.press("Lock out now"));
    let (by_owner, by_admin) = tokio::join!(
        owner.see_role("status", "Locked out in"),
        admin.see_role("status", "Locked out in")
    );
    for verdict in [&by_owner, &by_admin] {
        let text = verdict.text().await.unwrap();
        assert!(text.contains("passed"), "{text}");
    }
    owner.screenshot("emergency-two-admins-owner").await;
    admin.screenshot("emergency-two-admins-admin").await;

    // Between them every key went once; a delete that found its key gone is "already done".
    let deletions = server.owner().key_deletions("user-heavy").await;
    let mut keys: Vec<&str> = deletions.iter().map(|(key, _)| key.as_str()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 200);
    let ok = deletions
        .iter()
        .filter(|(_, outcome)| outcome == "ok")
        .count();
    assert_eq!(ok, 200, "each key revoked by exactly one of them");
    // Whoever found keys already gone says so instead of claiming them.
    if deletions.len() > ok {
        let pages = format!("{}{}", owner.body_text().await, admin.body_text().await);
        assert!(pages.contains("of them already gone"), "{pages}");
    }
    assert_locked_out(&server, "user-heavy").await;
}

/// An emergency link through Connect: the person is read while the credentials are checked
/// (the search for them starts before "who am I" has answered), and credentials that fail
/// leave nothing behind for the right ones.
#[tokio::test]
async fn connect_on_an_emergency_link_reads_the_person_while_checking_the_credentials() {
    let server = TestServer::start(Setup {
        // Long enough that two reads in a row cannot be mistaken for two at once.
        chaos: Some("latency-ms=200"),
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/emergency?user=heavy@company.com").await;
    browser.connect_adoc("demo-owner-ak", "wrong-secret").await;
    browser
        .see_role("alert", "did not accept these credentials")
        .await;
    browser.fill("Secret key", "demo-owner-sk").await;
    browser.press("Connect").await;
    browser.see("200 API keys · 50 groups").await;

    let overlap: Value = browser
        .client
        .execute(
            "const entries = performance.getEntriesByType('resource');\
             const last = (part) => entries.filter(e => e.name.includes(part)).pop();\
             const whoAmI = last('/admin/api/users/current');\
             const search = last('/admin/api/users/list');\
             return {searchStart: search.startTime, whoAmIEnd: whoAmI.responseEnd};",
            vec![],
        )
        .await
        .unwrap();
    let (search_start, who_am_i_end) = (
        overlap["searchStart"].as_f64().unwrap(),
        overlap["whoAmIEnd"].as_f64().unwrap(),
    );
    assert!(
        search_start < who_am_i_end,
        "the person is searched for while the credentials are checked: {overlap}"
    );
}
