//! The engine's view of HTTP: requests as plain data, responses as plain data, and the two small
//! traits ([`Transport`], [`Clock`]) through which it reaches the outside world.
//!
//! A [`Request`] never holds credentials. The connection adds them at the last moment, so a
//! request can be shown in a dry run, written to a journal or put in a report as it is.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed future that need not be `Send`: browser futures never are.
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Whether the call changes something on the platform.
    pub fn is_mutating(self) -> bool {
        !matches!(self, Method::Get)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a request carries in its body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Body {
    None,
    Json(Value),
    /// `application/x-www-form-urlencoded` fields, as TD's POST endpoints take them.
    Form(Vec<(String, String)>),
}

/// One HTTP call, relative to the connection's base URL; `path` includes the encoded query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub body: Body,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path, Body::None)
    }

    pub fn new(method: Method, path: impl Into<String>, body: Body) -> Self {
        Self {
            method,
            path: path.into(),
            body,
        }
    }

    /// `"DELETE /admin/api/users/api-keys/AK-abc123"`: how calls are named on screen and in reports.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The body as the person will see it in a preview: pretty JSON or `a=b&c=d`; empty if none.
    pub fn body_text(&self) -> String {
        match &self.body {
            Body::None => String::new(),
            Body::Json(value) => serde_json::to_string_pretty(value).unwrap_or_default(),
            Body::Form(fields) => encode_form(fields),
        }
    }
}

// Reading requests back from a journal: see `crate::json`.

crate::deserialize_from_json!(Body, Request);

impl crate::json::FromJson for Method {
    fn from_json(value: &Value) -> crate::json::Read<Self> {
        crate::json::variant(
            value,
            &[Method::Get, Method::Post, Method::Put, Method::Delete],
            Method::as_str,
        )
    }
}

impl crate::json::FromJson for Body {
    fn from_json(value: &Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        match fields.req::<String>("kind")?.as_str() {
            "none" => Ok(Body::None),
            "json" => Ok(Body::Json(fields.get("value").clone())),
            "form" => fields
                .req::<Vec<Vec<String>>>("value")?
                .into_iter()
                .map(|pair| match <[String; 2]>::try_from(pair) {
                    Ok([name, value]) => Ok((name, value)),
                    Err(_) => Err("a form field must be a [name, value] pair"),
                })
                .collect::<Result<_, _>>()
                .map(Body::Form),
            _ => Err("unknown body"),
        }
    }
}

impl crate::json::FromJson for Request {
    fn from_json(value: &Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(Request {
            method: fields.req("method")?,
            path: fields.req("path")?,
            body: fields.req("body")?,
        })
    }
}

/// What came back. `retry_after_s` is the parsed `Retry-After` header (seconds form).
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub retry_after_s: Option<f64>,
    pub content_type: Option<String>,
    pub body: String,
}

/// The largest answer a transport reads: an admin API's page of users or keys is a few hundred
/// kilobytes at most, so anything near this is not an admin API, and reading it would freeze
/// the page.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// The request got no usable answer: refused, unreachable, blocked by CORS, timed out, aborted,
/// or answered in a way the console will not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError {
    pub detail: String,
    /// The origin the page's own Content-Security-Policy (`connect-src`) refused to call, if
    /// that is why: nothing left the browser, and sending it again is refused again, so it is
    /// not retried.
    pub blocked_origin: Option<String>,
    /// An answer the transport refused to follow or read; sending again gets it again.
    pub refused: Option<RefusedAnswer>,
}

/// An answer that came, but that following or reading would be unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusedAnswer {
    /// A redirect (3xx). Followed, it would carry the credentials' headers to wherever it
    /// points, so transports never follow one.
    Redirect,
    /// A body over [`MAX_BODY_BYTES`] (its announced or read size).
    TooLarge { bytes: u64 },
}

impl NetworkError {
    /// A call that went out and got no answer (refused, unreachable, CORS, timeout).
    pub fn no_answer(detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
            blocked_origin: None,
            refused: None,
        }
    }

    /// A call whose answer the transport would not take.
    pub fn refused(answer: RefusedAnswer, detail: impl Into<String>) -> Self {
        Self {
            refused: Some(answer),
            ..Self::no_answer(detail)
        }
    }
}

/// Sends requests to one platform with the connection's credentials.
pub trait Transport {
    fn send<'a>(
        &'a self,
        request: &'a Request,
    ) -> LocalBoxFuture<'a, Result<Response, NetworkError>>;

    /// The protocol the answers so far came over, once the transport can tell (a browser says
    /// so in Resource Timing); `None` keeps runs at HTTP/1.1's six calls in flight.
    fn protocol(&self) -> Option<crate::congestion::Protocol> {
        None
    }
}

/// Time and chance, injected so the engine runs the same in a browser, natively and in tests.
pub trait Clock {
    /// Milliseconds since an arbitrary fixed point (e.g. `performance.now()`), for durations.
    fn now_ms(&self) -> f64;
    /// Milliseconds since the Unix epoch (e.g. `Date.now()`), for timestamps in reports.
    fn epoch_ms(&self) -> f64;
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()>;
    /// A uniformly random number in `[0, 1)`, for backoff jitter.
    fn random(&self) -> f64;
}

/// What [`encode_component`] leaves as it is: RFC 3986's unreserved characters, and `@`, which
/// is legal in a path segment and keeps emails readable in previews and logs.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'@');

/// Percent-encodes one path segment or query value.
pub fn encode_component(raw: &str) -> String {
    utf8_percent_encode(raw, COMPONENT).to_string()
}

/// Reads back what [`encode_component`] wrote (a route's `:reference`, say); a sequence that is
/// not UTF-8 is kept as it was rather than lost.
pub fn decode_component(encoded: &str) -> String {
    match percent_decode_str(encoded).decode_utf8() {
        Ok(decoded) => decoded.into_owned(),
        Err(_) => encoded.to_string(),
    }
}

/// Builds `a=b&c=d` from pairs, encoding each side; pairs with an empty value are kept.
pub fn encode_form(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(key, value)| format!("{}={}", encode_component(key), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Appends a query string built from the pairs whose value is present.
pub fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let fields: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| (key.to_string(), v.clone())))
        .collect();
    if fields.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", encode_form(&fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_reads_back_what_encoding_wrote() {
        for raw in ["ann+ops@company.com", "a/b c", "Zoë", ""] {
            assert_eq!(decode_component(&encode_component(raw)), raw);
        }
        assert_eq!(decode_component("%FF%FE"), "%FF%FE");
    }

    #[test]
    fn components_are_encoded_but_emails_stay_readable() {
        assert_eq!(
            encode_component("first.last@company.com"),
            "first.last@company.com"
        );
        assert_eq!(encode_component("a b/c?d"), "a%20b%2Fc%3Fd");
    }

    #[test]
    fn query_skips_absent_values() {
        let path = with_query(
            "/x",
            &[
                ("first", Some("0".into())),
                ("q", None),
                ("s", Some("a b".into())),
            ],
        );
        assert_eq!(path, "/x?first=0&s=a%20b");
        assert_eq!(with_query("/x", &[("q", None)]), "/x");
    }

    #[test]
    fn request_line_and_body_preview() {
        let request = Request::new(
            Method::Put,
            "/admin/api/users/user-123",
            Body::Json(serde_json::json!({"enabled": false})),
        );
        assert_eq!(request.line(), "PUT /admin/api/users/user-123");
        assert!(request.body_text().contains("\"enabled\": false"));
        let form = Request::new(
            Method::Post,
            "/v3/x",
            Body::Form(vec![("apikey".into(), "1/ab".into())]),
        );
        assert_eq!(form.body_text(), "apikey=1%2Fab");
    }
}
