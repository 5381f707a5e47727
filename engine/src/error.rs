//! [`ApiError`]: every way a platform call can fail, mapped once from status codes and bodies,
//! with the words a help-desk person needs ([`ApiError::plain_words`]) and the technical detail
//! one click away (its `Display`).

use crate::http::{MAX_BODY_BYTES, NetworkError, RefusedAnswer, Response};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("network error: {detail}")]
    Unreachable { detail: String },
    /// The console's own Content-Security-Policy (`connect-src`) refused the call before it was
    /// sent: a setting of the server that serves the console, not a fault of the platform.
    #[error("blocked by this page's Content-Security-Policy (connect-src): {origin}: {detail}")]
    BlockedByPolicy { origin: String, detail: String },
    #[error("redirect not followed: {detail}")]
    Redirected { detail: String },
    #[error("answer of {bytes} bytes not read (the limit is {MAX_BODY_BYTES})")]
    TooLarge { bytes: u64 },
    #[error("401 Unauthorized: {message}")]
    Unauthorized { message: String },
    #[error("403 Forbidden (write-only key): {message}")]
    WriteOnlyKey { message: String },
    #[error("403 Forbidden: {message}")]
    Forbidden { message: String },
    #[error("404 Not Found: {message}")]
    NotFound { message: String },
    #[error("400 Bad Request: {message}")]
    BadRequest { message: String },
    #[error("429 Too Many Requests: {message}")]
    RateLimited { message: String },
    #[error("{status} server error: {message}")]
    Server { status: u16, message: String },
    #[error("HTTP {status} with a body that is not JSON: {excerpt}")]
    NotJson { status: u16, excerpt: String },
    #[error("unexpected answer: {detail}")]
    Shape { detail: String },
    #[error("HTTP {status}: {message}")]
    Other { status: u16, message: String },
}

impl ApiError {
    /// Maps a response that is not a success to its error.
    pub fn from_response(response: &Response) -> Self {
        let message = server_message(&response.body);
        match response.status {
            400 | 422 => ApiError::BadRequest { message },
            401 => ApiError::Unauthorized { message },
            403 if message.to_ascii_lowercase().contains("write-only") => {
                ApiError::WriteOnlyKey { message }
            }
            403 => ApiError::Forbidden { message },
            404 => ApiError::NotFound { message },
            429 => ApiError::RateLimited { message },
            status @ 500..=599 => ApiError::Server { status, message },
            status => ApiError::Other { status, message },
        }
    }

    /// A successful status whose body is not JSON: most likely not an admin API at all.
    pub fn not_json(response: &Response) -> Self {
        ApiError::NotJson {
            status: response.status,
            excerpt: excerpt(&response.body),
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unreachable { .. }
            | ApiError::BlockedByPolicy { .. }
            | ApiError::Redirected { .. }
            | ApiError::TooLarge { .. }
            | ApiError::Shape { .. } => None,
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::WriteOnlyKey { .. } | ApiError::Forbidden { .. } => Some(403),
            ApiError::NotFound { .. } => Some(404),
            ApiError::BadRequest { .. } => Some(400),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::Server { status, .. }
            | ApiError::NotJson { status, .. }
            | ApiError::Other { status, .. } => Some(*status),
        }
    }

    /// Whether sending the same call again may succeed: network drops, 429 and 5xx. A call the
    /// page's policy blocked is blocked again on every try.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Unreachable { .. } | ApiError::RateLimited { .. } | ApiError::Server { .. }
        )
    }

    /// What went wrong and what to do, in words for someone who is not an API expert.
    pub fn plain_words(&self) -> String {
        match self {
            ApiError::Unreachable { .. } => {
                "The platform could not be reached: the host did not answer. Check the address \
                and that the server is running; if it is, it may not allow this console's \
                address (CORS)."
                    .into()
            }
            ApiError::BlockedByPolicy { origin, .. } => format!(
                "This console may not call {origin}: its security policy (CSP connect-src) \
                allows only the addresses it was set up with, so nothing was sent. Start \
                offboard-server with --connect-src {origin} (the platform must also allow this \
                console's address: CORS)."
            ),
            ApiError::Redirected { .. } => "The address answered with a redirect to another \
                address. Offboard does not follow redirects, since that would send your \
                credentials wherever it points. Enter the API's own address as the base URL \
                (with https:// if the platform redirects plain http)."
                .into(),
            ApiError::TooLarge { bytes } => format!(
                "The platform's answer was too large to read ({} MB); no admin API answers \
                with that much. Check the base URL.",
                (*bytes as f64 / (1024.0 * 1024.0)).round()
            ),
            ApiError::Unauthorized { .. } => {
                "The platform did not accept these credentials. Check \
                the key (and secret), and that its user is still enabled."
                    .into()
            }
            ApiError::WriteOnlyKey { .. } => "This is a write-only API key: it cannot call admin \
                endpoints. Use a master key of an administrator."
                .into(),
            ApiError::Forbidden { message } => with_reason("The platform refused this.", message),
            ApiError::NotFound { message } => with_reason("Not found on the platform.", message),
            ApiError::BadRequest { message } => {
                with_reason("The platform rejected the request as invalid.", message)
            }
            ApiError::RateLimited { .. } => "The platform is asking us to slow down. Offboard \
                retries automatically; try again in a moment if it keeps happening."
                .into(),
            ApiError::Server { .. } => "The platform had an internal error. Offboard retried; \
                try again in a moment, and contact the platform's support if it keeps happening."
                .into(),
            ApiError::NotJson { .. } => "The address answered, but not like an admin API (it did \
                not send JSON). Check the base URL: it should be the API's root, not a web page."
                .into(),
            ApiError::Shape { .. } => "The platform answered in a form Offboard does not \
                understand. Check that the dialect matches the platform."
                .into(),
            ApiError::Other { status, .. } => format!("The platform answered with HTTP {status}."),
        }
    }
}

impl From<NetworkError> for ApiError {
    fn from(error: NetworkError) -> Self {
        let detail = error.detail;
        match (error.refused, error.blocked_origin) {
            (Some(RefusedAnswer::Redirect), _) => ApiError::Redirected { detail },
            (Some(RefusedAnswer::TooLarge { bytes }), _) => ApiError::TooLarge { bytes },
            (None, Some(origin)) => ApiError::BlockedByPolicy { origin, detail },
            (None, None) => ApiError::Unreachable { detail },
        }
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> Self {
        ApiError::Shape {
            detail: error.to_string(),
        }
    }
}

fn with_reason(summary: &str, message: &str) -> String {
    if message.is_empty() {
        summary.to_string()
    } else {
        format!("{summary} {message}")
    }
}

/// The server's own explanation: `message`, else `error`, else the body's first characters.
fn server_message(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => ["message", "error_description", "error", "detail"]
            .iter()
            .find_map(|key| map.get(*key).and_then(Value::as_str))
            .map(str::to_string)
            .unwrap_or_else(|| excerpt(body)),
        _ => excerpt(body),
    }
}

fn excerpt(body: &str) -> String {
    const LIMIT: usize = 200;
    let trimmed = body.trim();
    match trimmed.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            retry_after_s: None,
            content_type: None,
            body: body.into(),
        }
    }

    #[test]
    fn statuses_map_to_kinds_with_the_server_message() {
        let td = r#"{"error":"Forbidden","message":"admins can delete restricted users only","status_code":403}"#;
        assert_eq!(
            ApiError::from_response(&response(403, td)),
            ApiError::Forbidden {
                message: "admins can delete restricted users only".into()
            }
        );
        let spring = r#"{"status":401,"error":"Unauthorized","message":"unknown access key"}"#;
        assert!(matches!(
            ApiError::from_response(&response(401, spring)),
            ApiError::Unauthorized { message } if message == "unknown access key"
        ));
        assert!(matches!(
            ApiError::from_response(&response(503, "<html>down</html>")),
            ApiError::Server { status: 503, message } if message == "<html>down</html>"
        ));
    }

    #[test]
    fn redirects_and_huge_answers_are_refused_for_good_in_plain_words() {
        let redirect = ApiError::from(NetworkError::refused(
            RefusedAnswer::Redirect,
            "opaqueredirect",
        ));
        assert!(matches!(redirect, ApiError::Redirected { .. }));
        assert!(
            !redirect.is_transient(),
            "the same call is redirected again"
        );
        assert!(redirect.plain_words().contains("does not follow redirects"));
        let huge = ApiError::from(NetworkError::refused(
            RefusedAnswer::TooLarge {
                bytes: 40 * 1024 * 1024,
            },
            "content-length",
        ));
        assert!(!huge.is_transient());
        assert!(huge.plain_words().contains("too large to read (40 MB)"));
    }

    #[test]
    fn write_only_refusals_are_recognised() {
        let body = r#"{"message":"Write-only keys cannot call admin endpoints"}"#;
        let error = ApiError::from_response(&response(403, body));
        assert!(matches!(error, ApiError::WriteOnlyKey { .. }));
        assert!(error.plain_words().contains("write-only"));
    }

    #[test]
    fn only_network_429_and_5xx_are_transient() {
        assert!(
            ApiError::Unreachable {
                detail: String::new()
            }
            .is_transient()
        );
        let blocked = ApiError::from(NetworkError {
            blocked_origin: Some("https://acme.example".into()),
            ..NetworkError::no_answer("connect-src")
        });
        assert!(matches!(blocked, ApiError::BlockedByPolicy { .. }));
        assert!(
            !blocked.is_transient(),
            "the policy refuses every retry too"
        );
        assert!(
            blocked
                .plain_words()
                .contains("Start offboard-server with --connect-src https://acme.example")
        );
        assert!(
            ApiError::from(NetworkError::no_answer("refused"))
                .plain_words()
                .contains("did not answer")
        );
        assert!(ApiError::from_response(&response(429, "")).is_transient());
        assert!(ApiError::from_response(&response(502, "")).is_transient());
        assert!(!ApiError::from_response(&response(404, "")).is_transient());
        assert!(!ApiError::from_response(&response(400, "")).is_transient());
    }

    #[test]
    fn long_bodies_are_cut() {
        let error = ApiError::not_json(&response(200, &"x".repeat(500)));
        let ApiError::NotJson { excerpt, .. } = error else {
            panic!()
        };
        assert_eq!(excerpt.chars().count(), 201);
    }
}
