//! The engine's [`Transport`] and [`Clock`] outside a browser: reqwest (rustls, HTTP/2 by ALPN)
//! and tokio's timer. The transport keeps the browser's rules: it never follows a redirect
//! (the credentials' headers would go with it), refuses an answer over
//! [`MAX_BODY_BYTES`], and gives up on a call after [`TIMEOUT`] so the client retries it.

use offboard_engine::client::Client;
use offboard_engine::congestion::Protocol;
use offboard_engine::credentials::Credentials;
use offboard_engine::http::{
    Body, Clock, LocalBoxFuture, MAX_BODY_BYTES, Method, NetworkError, RefusedAnswer, Request,
    Response, Transport, encode_form,
};
use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A call that has not answered after this long is abandoned (and retried by the client).
const TIMEOUT: Duration = Duration::from_secs(30);

pub type Api = Client<HttpTransport, SystemClock>;

/// A client of the platform at `base_url`, with at most `cap` calls in flight.
pub fn client(base_url: &str, credentials: Credentials, cap: usize) -> Result<Api, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .user_agent(concat!("offboard/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| format!("cannot set up HTTPS: {error}"))?;
    let transport = HttpTransport {
        http,
        base_url: base_url.trim_end_matches('/').to_string(),
        credentials,
        protocol: Cell::new(None),
    };
    Ok(Client::new(transport, SystemClock::new()).with_concurrency_cap(cap))
}

pub struct HttpTransport {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
    /// The protocol of the platform's answers, once one came.
    protocol: Cell<Option<Protocol>>,
}

impl HttpTransport {
    async fn call(&self, request: &Request) -> Result<Response, NetworkError> {
        let url = format!("{}{}", self.base_url, request.path);
        let mut builder = self
            .http
            .request(method(request.method), &url)
            .header("Accept", "application/json");
        for (name, value) in self.credentials.headers() {
            builder = builder.header(name, value);
        }
        builder = match &request.body {
            Body::None => builder,
            Body::Json(value) => builder
                .header("Content-Type", "application/json")
                .body(value.to_string()),
            Body::Form(fields) => builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(encode_form(fields)),
        };
        let mut answer = builder.send().await.map_err(no_answer)?;
        if answer.status().is_redirection() {
            return Err(NetworkError::refused(RefusedAnswer::Redirect, url));
        }
        if let Some(bytes) = answer.content_length().filter(|b| *b > MAX_BODY_BYTES) {
            return Err(NetworkError::refused(
                RefusedAnswer::TooLarge { bytes },
                url,
            ));
        }
        self.protocol.set(Some(match answer.version() {
            reqwest::Version::HTTP_2 => Protocol::Http2,
            reqwest::Version::HTTP_3 => Protocol::Http3,
            _ => Protocol::Http1,
        }));
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let retry_after_s = header("retry-after").and_then(|v| v.trim().parse().ok());
        let content_type = header("content-type");
        let status = answer.status().as_u16();
        // Read in chunks, so an answer without a Content-Length stops at the limit too.
        let mut body = Vec::new();
        while let Some(chunk) = answer.chunk().await.map_err(no_answer)? {
            body.extend_from_slice(&chunk);
            if body.len() as u64 > MAX_BODY_BYTES {
                let bytes = body.len() as u64;
                return Err(NetworkError::refused(
                    RefusedAnswer::TooLarge { bytes },
                    url,
                ));
            }
        }
        Ok(Response {
            status,
            retry_after_s,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

impl Transport for HttpTransport {
    fn send<'a>(
        &'a self,
        request: &'a Request,
    ) -> LocalBoxFuture<'a, Result<Response, NetworkError>> {
        Box::pin(self.call(request))
    }

    fn protocol(&self) -> Option<Protocol> {
        self.protocol.get()
    }
}

fn method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// reqwest's error with its causes ("error sending request: … Connection refused"): the
/// first line alone rarely says what went wrong.
fn no_answer(error: reqwest::Error) -> NetworkError {
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    NetworkError::no_answer(detail)
}

/// The machine's clocks and tokio's timer.
pub struct SystemClock {
    started: Instant,
}

impl SystemClock {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }

    fn epoch_ms(&self) -> f64 {
        epoch_ms()
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(Duration::from_millis(ms)))
    }

    fn random(&self) -> f64 {
        fastrand::f64()
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64() * 1000.0)
}
