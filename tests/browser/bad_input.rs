//! Bad answers and bad input, each with the plain words the screen shows: an address that
//! answers HTML, nothing, JSON of another shape, far too much, or a redirect to another origin
//! (never followed, so the credentials never go there); and, in the wizard, an empty date, a
//! replacement who does not exist, and the person leaving named as their own replacement.

use crate::support::{Browser, Setup, TestServer};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::net::TcpListener;

/// A "platform" that answers every call badly, in the way its first path segment names, and
/// with CORS headers, so the browser hands each bad answer to the app.
struct BadPlatform {
    base: String,
    /// Calls that reached the origin the redirects point to.
    followed: Arc<AtomicUsize>,
}

impl BadPlatform {
    async fn start() -> Self {
        let followed = Arc::new(AtomicUsize::new(0));
        let elsewhere = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let elsewhere_base = format!("http://{}", elsewhere.local_addr().unwrap());
        let counter = followed.clone();
        tokio::spawn(async move {
            let counted = Router::new().fallback(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { with_cors(StatusCode::OK.into_response()) }
            });
            axum::serve(elsewhere, counted).await.unwrap();
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = Router::new()
            .fallback(bad_answer)
            .with_state(Arc::new(elsewhere_base));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        BadPlatform { base, followed }
    }
}

async fn bad_answer(State(elsewhere): State<Arc<String>>, request: Request) -> Response {
    if request.method() == Method::OPTIONS {
        return with_cors(StatusCode::NO_CONTENT.into_response());
    }
    let path = request.uri().path().to_string();
    let json = [(header::CONTENT_TYPE, "application/json")];
    let answer = match path.split('/').nth(1).unwrap_or_default() {
        "html" => (
            [(header::CONTENT_TYPE, "text/html")],
            "<!doctype html><title>Sign in</title><p>Welcome",
        )
            .into_response(),
        "empty" => (json, "").into_response(),
        "shape" => (json, r#"{"hello": "world"}"#).into_response(),
        "huge" => {
            let padding = "x".repeat(20 * 1024 * 1024);
            (json, format!(r#"{{"padding": "{padding}"}}"#)).into_response()
        }
        "redirect" => (
            StatusCode::FOUND,
            [(header::LOCATION, format!("{elsewhere}{path}"))],
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    };
    with_cors(answer)
}

fn with_cors(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let any = HeaderValue::from_static("*");
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, any.clone());
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, any.clone());
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, any.clone());
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, any);
    response
}

#[tokio::test]
async fn answers_that_are_not_an_admin_apis_are_named_in_plain_words() {
    let platform = BadPlatform::start().await;
    let server = TestServer::start(Setup {
        connect_src: vec![platform.base.clone()],
        ..Setup::default()
    })
    .await;
    let browser = Browser::open(&server).await;
    browser.visit("/connect").await;
    for (case, words) in [
        ("html", "not like an admin API (it did not send JSON)"),
        ("empty", "in a form Offboard does not understand"),
        ("shape", "in a form Offboard does not understand"),
        ("huge", "too large to read (20 MB)"),
        ("redirect", "Offboard does not follow redirects"),
    ] {
        browser
            .fill("Base URL", &format!("{}/{case}", platform.base))
            .await;
        browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
        let alert = browser.see_role("alert", words).await;
        browser
            .screenshot(&format!("connect-bad-answer-{case}"))
            .await;
        let text = alert.text().await.unwrap();
        assert!(!text.contains("demo-owner-sk"), "{case}: {text}");
        // The form is kept for the next try.
        let key = browser
            .field("Access key")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(key.as_deref(), Some("demo-owner-ak"), "{case}");
        assert!(browser.console_errors().await.is_empty());
    }
    assert_eq!(
        platform.followed.load(Ordering::SeqCst),
        0,
        "no call reached the origin the redirect pointed to"
    );
}

#[tokio::test]
async fn the_wizards_form_names_each_thing_wrong_and_sends_nothing() {
    let server = TestServer::start(Setup::default()).await;
    let browser = Browser::open(&server).await;
    browser.visit("/users/user-123/offboard").await;
    browser.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
    browser.press("Start offboarding").await;
    browser.press("Record current access").await;
    browser.see("Access documented").await;
    browser.fill("Reason", "Voluntary - New Job").await;
    browser.fill("Offboard date", "").await;
    browser.fill("Handed off to", "nobody@company.com").await;
    browser.press("Use these details").await;
    browser.see_role("alert", "Enter the offboard date.").await;

    browser.fill("Offboard date", "2026-12-01").await;
    browser.press("Use these details").await;
    browser
        .see_role(
            "alert",
            "There is no user “nobody@company.com” on this platform. Choose someone from the list.",
        )
        .await;
    browser
        .fill("Handed off to", "first.last@company.com")
        .await;
    browser.press("Use these details").await;
    browser
        .see_role(
            "alert",
            "first.last@company.com is the person leaving: choose someone else.",
        )
        .await;
    browser.screenshot("wizard-bad-input").await;
    let disable = browser
        .client
        .find(fantoccini::Locator::XPath(
            "//button[normalize-space()='Disable the account']",
        ))
        .await;
    assert!(disable.is_err(), "the step is not offered");
    let (_, account) = server.owner().get("/admin/api/users/user-123").await;
    assert_eq!(account["enabled"], true, "nothing was sent");
}
