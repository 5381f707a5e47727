//! HTTPS: the demo server on a real port with `TlsSetup::SelfSigned`, called with reqwest over
//! HTTP/2 (chosen by ALPN) and HTTP/1.1; the same headers as plain HTTP; a graceful shutdown that
//! finishes the request in flight; and certificate files that cannot be read.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use offboard_server::{ServerConfig, StartError, TlsSetup};
use reqwest::Version;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A demo server served over HTTPS on 127.0.0.1, until `stop` is sent (or dropped).
struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), StartError>>,
    _server: Server,
}

impl Running {
    async fn start(adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        let server = Server::with(adjust).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let router = server.router.clone();
        let task = tokio::spawn(async move {
            offboard_server::serve_on(router, listener, Some(&TlsSetup::SelfSigned), async move {
                let _ = stopped.await;
            })
            .await
        });
        Running {
            addr,
            stop: Some(stop),
            task,
            _server: server,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.addr)
    }

    /// Sends the shutdown signal and waits for `serve_on` to return.
    async fn shut_down(mut self) -> Result<(), StartError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(Duration::from_secs(10), &mut self.task)
            .await
            .expect("serve_on returns after the shutdown future resolves")
            .expect("serve_on did not panic")
    }
}

/// A client that accepts the self-signed certificate and offers h2 and http/1.1 by ALPN.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn http1_client() -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .http1_only()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn adoc(request: reqwest::RequestBuilder, key: Adoc) -> reqwest::RequestBuilder {
    request
        .header("accessKey", key.0)
        .header("secretKey", key.1)
}

#[tokio::test]
async fn browsers_get_http2_and_http1_still_works() {
    let running = Running::start(|_| {}).await;

    let h2 = client()
        .get(running.url("/healthz"))
        .send()
        .await
        .expect("GET /healthz over TLS");
    assert_eq!(h2.status(), 200);
    assert_eq!(h2.version(), Version::HTTP_2, "ALPN chose HTTP/2");
    assert!(h2.headers().get("strict-transport-security").is_none());
    assert_eq!(
        h2.json::<Value>().await.expect("json"),
        serde_json::json!({"status": "ok"})
    );

    let h1 = http1_client()
        .get(running.url("/healthz"))
        .send()
        .await
        .expect("GET /healthz over TLS, HTTP/1.1 only");
    assert_eq!(h1.status(), 200);
    assert_eq!(h1.version(), Version::HTTP_11);
    assert!(h1.headers().get("strict-transport-security").is_none());

    running.shut_down().await.expect("clean shutdown");
}

#[tokio::test]
async fn authenticated_calls_work_over_http2_with_the_same_headers() {
    let running = Running::start(|c| c.cors_origins = vec!["https://console.example".into()]).await;
    let client = client();

    let current = adoc(client.get(running.url("/admin/api/users/current")), OWNER)
        .header("Origin", "https://console.example")
        .send()
        .await
        .expect("GET current user");
    assert_eq!(current.version(), Version::HTTP_2);
    assert_eq!(current.status(), 200);
    let headers = current.headers().clone();
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://console.example"
    );
    assert_eq!(headers["timing-allow-origin"], "https://console.example");
    assert!(headers.get("strict-transport-security").is_none());
    let me: Value = current.json().await.expect("json");
    assert_eq!(me["userId"], "user-owner", "{me}");

    // A change over HTTP/2, and its error shapes: wrong key, then a bad body.
    let changed = adoc(client.put(running.url("/admin/api/users/user-123")), OWNER)
        .header("Content-Type", "application/json")
        .body(r#"{"enabled": false}"#)
        .send()
        .await
        .expect("PUT user");
    assert_eq!(changed.version(), Version::HTTP_2);
    assert_eq!(changed.status(), 200);
    let user: Value = changed.json().await.expect("json");
    assert_eq!(user["enabled"], false, "{user}");

    let refused = adoc(
        client.get(running.url("/admin/api/users/current")),
        ("demo-owner-ak", "wrong"),
    )
    .send()
    .await
    .expect("GET with a wrong secret");
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["status"], 401, "{body}");

    // Many calls at once share the one HTTP/2 connection.
    let calls = (0..20).map(|_| {
        let request = adoc(client.get(running.url("/admin/api/users/user-456")), OWNER);
        async move {
            let response = request.send().await.expect("GET user");
            (response.version(), response.status().as_u16())
        }
    });
    let mut replies = tokio::task::JoinSet::new();
    for call in calls {
        replies.spawn(call);
    }
    for (version, status) in replies.join_all().await {
        assert_eq!((version, status), (Version::HTTP_2, 200));
    }

    running.shut_down().await.expect("clean shutdown");
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight() {
    // The latency holds the request in the server while the shutdown arrives.
    let running = Running::start(|c| {
        c.chaos = Some(
            "latency-ms=600,path=/admin/api/users/current"
                .parse()
                .expect("spec"),
        );
    })
    .await;
    let client = client();
    // Warm the connection so the slow request is already on it when shutdown starts.
    client
        .get(running.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    let slow =
        tokio::spawn(adoc(client.get(running.url("/admin/api/users/current")), OWNER).send());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    running.shut_down().await.expect("clean shutdown");
    let response = slow
        .await
        .expect("task")
        .expect("the request in flight is answered");
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "serve_on waited for the request in flight"
    );
}

#[tokio::test]
async fn shutdown_before_any_connection_returns_at_once() {
    let running = Running::start(|_| {}).await;
    running.shut_down().await.expect("clean shutdown");
}

#[tokio::test]
async fn certificate_files_that_cannot_be_read_are_an_error_before_serving() {
    let server = Server::demo().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let missing = server.dir.path().join("no-such-cert.pem");
    let setup = TlsSetup::Files {
        cert: missing.clone(),
        key: server.dir.path().join("no-such-key.pem"),
    };
    let result = tokio::time::timeout(
        Duration::from_secs(5),
        offboard_server::serve_on(
            server.router.clone(),
            listener,
            Some(&setup),
            std::future::pending(),
        ),
    )
    .await
    .expect("fails at once instead of serving");
    let err = result.expect_err("missing files").to_string();
    assert!(
        err.starts_with(&format!(
            "--tls-cert {}: cannot read the TLS certificate",
            missing.display()
        )),
        "{err}"
    );
    assert_eq!(setup.check().expect_err("missing").to_string(), err);
}
