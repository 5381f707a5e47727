//! Shared helpers for the server's integration tests: a demo server on a fresh SQLite file,
//! requests in each dialect, and decoded replies.
#![allow(dead_code)] // each test binary uses a subset

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use offboard_server::ServerConfig;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// ADOC credentials of the demo data: (accessKey, secretKey).
pub type Adoc = (&'static str, &'static str);
pub const OWNER: Adoc = ("demo-owner-ak", "demo-owner-sk");
pub const ADMIN: Adoc = ("demo-admin-ak", "demo-admin-sk");
pub const ADMIN2: Adoc = ("demo-admin2-ak", "demo-admin2-sk");
pub const ADMIN2_WRITE_ONLY: Adoc = ("demo-admin2-wo", "demo-admin2-wo-sk");
pub const USER123: Adoc = ("AK-abc123", "demo-user123-sk-abc");
pub const USER456: Adoc = ("AK-rep001", "demo-user456-sk-1");

/// TD keys of the demo data.
pub const TD_OWNER: &str = "1/demo-owner-master";
pub const TD_ADMIN: &str = "1/demo-admin-master";
pub const TD_ADMIN_WRITE: &str = "1/demo-admin-write";

/// Every secret in the demo data. No answer of the server may contain one, whatever was asked:
/// [`Server::send`] checks each reply of every server test against this list.
pub const DEMO_SECRETS: &[&str] = &[
    "demo-owner-sk",
    "demo-admin-sk",
    "demo-admin2-sk",
    "demo-admin2-wo-sk",
    "demo-user123-sk-abc",
    "demo-user123-sk-def",
    "demo-user456-sk-1",
    "demo-user456-sk-2",
    TD_OWNER,
    TD_ADMIN,
    TD_ADMIN_WRITE,
];

/// A server on its own temporary SQLite database.
pub struct Server {
    pub router: Router,
    pub database_url: String,
    pub dir: TempDir,
}

impl Server {
    /// The demo data with five generated users.
    pub async fn demo() -> Self {
        Self::with(|_| {}).await
    }

    /// The demo data, with `adjust` applied to the configuration first.
    pub async fn with(adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = format!("sqlite://{}", dir.path().join("offboard.db").display());
        let mut config = ServerConfig::new(database_url.clone());
        config.demo = true;
        config.demo_users = 5;
        adjust(&mut config);
        let router = offboard_server::app(config).await.expect("server starts");
        Server {
            router,
            database_url,
            dir,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let line = format!("{} {}", request.method(), request.uri());
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let headers_text = format!("{headers:?}");
        // Also URL-encoded, as a secret would be in an echoed query (`1%2Fdemo-owner-master`).
        let leaked = DEMO_SECRETS.iter().find(|secret| {
            let encoded = secret.replace('/', "%2F");
            [&text, &headers_text]
                .iter()
                .any(|answer| answer.contains(**secret) || answer.contains(&encoded))
        });
        assert!(
            leaked.is_none(),
            "{line} answered {status} with the secret {leaked:?} in it: {text}"
        );
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    /// An ADOC call with `key`; `body` is sent as JSON when given.
    pub async fn adoc(&self, method: &str, path: &str, key: Adoc, body: Option<&str>) -> Reply {
        self.send(adoc_request(method, path, key, body)).await
    }

    pub async fn get(&self, path: &str, key: Adoc) -> Reply {
        self.adoc("GET", path, key, None).await
    }

    /// A TD call with `key`; `form` is sent as an urlencoded body when given.
    pub async fn td(&self, method: &str, path: &str, key: &str, form: Option<&str>) -> Reply {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("Authorization", format!("TD1 {key}"));
        if form.is_some() {
            builder = builder.header("Content-Type", "application/x-www-form-urlencoded");
        }
        let body = form.map_or_else(Body::empty, |f| Body::from(f.to_owned()));
        self.send(builder.body(body).expect("request")).await
    }
}

pub fn adoc_request(method: &str, path: &str, key: Adoc, body: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("accessKey", key.0)
        .header("secretKey", key.1);
    if body.is_some() {
        builder = builder.header("Content-Type", "application/json");
    }
    builder
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .expect("request")
}

/// A decoded response.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The JSON body, or `Null` if it is not JSON.
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// The error message of either dialect's error body.
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// String values of a JSON array field of objects, e.g. the `accessKey`s of a key page.
pub fn column(items: &Value, field: &str) -> Vec<String> {
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i[field].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// String values of a JSON array of strings.
pub fn strings(items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The audit events (as the owner sees them), oldest first.
pub async fn audit_events(server: &Server) -> Vec<Value> {
    let reply = server.get("/audit/api/v1/events?limit=1000", OWNER).await;
    reply.expect(200);
    reply.body["events"].as_array().cloned().unwrap_or_default()
}
