//! The one HTTP client of the app: the engine's [`Transport`] and [`Clock`] over the browser's
//! `fetch`, `setTimeout`, `performance.now()` and `Math.random()`.
//!
//! A `fetch` that gets no answer rejects with the same bare `TypeError` whether the host refused
//! the connection, CORS hid the answer, or the page's own Content-Security-Policy (`connect-src`,
//! set by offboard-server and widened with `--connect-src`) refused to send it. Only the last is
//! a setting of the console rather than a fault of the platform, so it is told apart: see
//! [`blocked_by_policy`].

use crate::session::{Connection, Credentials};
use gloo_net::http::{Headers, RequestBuilder};
use offboard_engine::client::Client;
use offboard_engine::congestion::Protocol;
use offboard_engine::http::{
    Body, Clock, LocalBoxFuture, MAX_BODY_BYTES, Method, NetworkError, RefusedAnswer, Request,
    Response, Transport, encode_form,
};
use offboard_engine::platform::Platform;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// A call that has not answered after this long is abandoned (and retried by the client).
const TIMEOUT_MS: u32 = 30_000;

pub type Api = Client<FetchTransport, BrowserClock>;

/// A client for `connection`, with the engine's default retry policy and the admin's cap on
/// calls in flight.
pub fn client(connection: &Connection) -> Api {
    Client::new(
        FetchTransport {
            base_url: connection.base_url.clone(),
            credentials: connection.credentials.clone(),
            protocol: Cell::new(None),
        },
        BrowserClock,
    )
    .with_concurrency_cap(connection.max_in_flight)
}

/// Runs `read` against the platform of `connection`.
pub async fn with_platform<R, F>(connection: &Connection, read: F) -> R
where
    F: AsyncFnOnce(&Platform<'_, FetchTransport, BrowserClock>) -> R,
{
    let api = client(connection);
    let platform = Platform::new(&api, connection.dialect());
    read(&platform).await
}

pub struct FetchTransport {
    pub base_url: String,
    pub credentials: Credentials,
    /// The protocol the platform's answers came over, once the browser has said.
    protocol: Cell<Option<Protocol>>,
}

impl FetchTransport {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url.trim_end_matches('/'), path)
    }

    async fn fetch(&self, request: &Request) -> Result<Response, NetworkError> {
        let network = |error: &dyn std::fmt::Display| NetworkError::no_answer(error.to_string());
        // The browser's own timer: no closure, timer or controller of ours per call (a lockout
        // makes hundreds), and it bounds reading the body too.
        let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);

        let headers = Headers::new();
        headers.set("Accept", "application/json");
        for (name, value) in self.credentials.headers() {
            headers.set(name, &value);
        }
        let url = self.url(&request.path);
        watch_policy_violations();
        let violations_before = VIOLATIONS.with_borrow(Vec::len);
        // Never followed: a redirect would take the credentials' headers with it.
        let builder = RequestBuilder::new(&url)
            .method(http_method(request.method))
            .headers(headers)
            .redirect(web_sys::RequestRedirect::Manual)
            .abort_signal(Some(&signal));
        let built = match &request.body {
            Body::None => builder.build(),
            Body::Json(value) => builder.json(value),
            Body::Form(fields) => builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(encode_form(fields)),
        }
        .map_err(|error| network(&error))?;

        let answer = built.send().await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => {
                let mut failure = network(&error);
                failure.blocked_origin = blocked_by_policy(&url, violations_before).await;
                return Err(failure);
            }
        };
        if answer.type_() == web_sys::ResponseType::Opaqueredirect {
            return Err(NetworkError::refused(RefusedAnswer::Redirect, url));
        }
        let announced = answer
            .headers()
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(bytes) = announced.filter(|bytes| *bytes > MAX_BODY_BYTES) {
            return Err(NetworkError::refused(
                RefusedAnswer::TooLarge { bytes },
                url,
            ));
        }
        let retry_after_s = answer
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse().ok());
        let content_type = answer.headers().get("content-type");
        let status = answer.status();
        let body = answer.text().await.map_err(|error| network(&error))?;
        if self.protocol.get().is_none() {
            self.protocol.set(protocol_of(&url));
        }
        // Without a Content-Length the size is known only once read.
        let bytes = body.len() as u64;
        if bytes > MAX_BODY_BYTES {
            return Err(NetworkError::refused(
                RefusedAnswer::TooLarge { bytes },
                url,
            ));
        }
        Ok(Response {
            status,
            retry_after_s,
            content_type,
            body,
        })
    }
}

impl Transport for FetchTransport {
    fn send<'a>(
        &'a self,
        request: &'a Request,
    ) -> LocalBoxFuture<'a, Result<Response, NetworkError>> {
        Box::pin(self.fetch(request))
    }

    fn protocol(&self) -> Option<Protocol> {
        self.protocol.get()
    }
}

/// The protocol the browser fetched `url` over, from its Resource Timing entry
/// (`nextHopProtocol`). A cross-origin platform shows it only with `Timing-Allow-Origin`; an
/// answer whose entry is missing leaves it unknown, and runs stay at HTTP/1.1's six calls.
/// Entries are matched by path without the query: the browser may name a fetch with its query
/// spelt otherwise (a trailing `&` from gloo-net), and a lookup by email has one.
fn protocol_of(url: &str) -> Option<Protocol> {
    let performance = web_sys::window()?.performance()?;
    let path = url.split('?').next().unwrap_or(url);
    let entries = performance.get_entries_by_type("resource");
    let found = (0..entries.length())
        .rev()
        .filter_map(|i| {
            entries
                .get(i)
                .dyn_into::<web_sys::PerformanceResourceTiming>()
                .ok()
        })
        .filter(|timing| timing.name().split('?').next() == Some(path))
        .find_map(|timing| Protocol::from_alpn(&timing.next_hop_protocol()));
    // The timeline keeps 250 entries by default; once it is full, new calls are not recorded
    // and the protocol could never be learnt. Nothing else in the app reads it.
    if found.is_none() && entries.length() >= 250 {
        performance.clear_resource_timings();
    }
    found
}

thread_local! {
    /// The `blockedURI` of every `connect-src` violation the page has reported, in order.
    static VIOLATIONS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Starts recording the page's `connect-src` violations (once; before the first call, so the
/// first blocked call is seen). The browser fires `securitypolicyviolation` on the document for
/// each request its CSP refuses; the event is the only place a page learns that, since the CSP
/// comes in a response header the page cannot read.
fn watch_policy_violations() {
    if WATCHING.replace(true) {
        return;
    }
    let record = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let field = |name: &str| {
            js_sys::Reflect::get(&event, &name.into())
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default()
        };
        if field("effectiveDirective") == "connect-src" {
            let blocked = field("blockedURI");
            VIOLATIONS.with_borrow_mut(|seen| seen.push(blocked));
        }
    });
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let _ = document.add_event_listener_with_callback(
            "securitypolicyviolation",
            record.as_ref().unchecked_ref(),
        );
    }
    // The listener lives as long as the page.
    record.forget();
}

/// The origin of `url` if the call to it that just failed was refused by the page's
/// `connect-src`.
///
/// Why the event and not a comparison with the policy: the page cannot read its CSP header, and
/// copying the policy into the page would let the two drift apart. The event is reliable but
/// not ordered with the `fetch` rejection (Chromium queues it as a separate task, usually after
/// the rejection), so a failed call to another origin waits briefly for it. A call to the
/// page's own origin is never blocked (`connect-src` always has `'self'`), so it does not wait,
/// and a call that did go out (refused, timed out) costs at most this wait once per attempt.
async fn blocked_by_policy(url: &str, violations_before: usize) -> Option<String> {
    const WAITS_MS: [u64; 4] = [0, 20, 50, 100];
    let origin = |address: &str| web_sys::Url::new(address).ok().map(|u| u.origin());
    let target = origin(url)?;
    let own = web_sys::window().and_then(|w| w.location().origin().ok());
    if own.as_deref() == Some(target.as_str()) {
        return None;
    }
    for wait in WAITS_MS {
        sleep(wait).await;
        let seen = VIOLATIONS.with_borrow(|seen| {
            seen.iter()
                .skip(violations_before)
                .any(|blocked| origin(blocked).as_deref() == Some(target.as_str()))
        });
        if seen {
            return Some(target);
        }
    }
    None
}

fn http_method(method: Method) -> gloo_net::http::Method {
    match method {
        Method::Get => gloo_net::http::Method::GET,
        Method::Post => gloo_net::http::Method::POST,
        Method::Put => gloo_net::http::Method::PUT,
        Method::Delete => gloo_net::http::Method::DELETE,
    }
}

#[derive(Clone, Copy)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn epoch_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        Box::pin(sleep(ms))
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// `performance.now()`: monotonic milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.min(i32::MAX as u64) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
