//! The HTTP surface around the API: assembling the router with its middleware, serving the built
//! browser app (`--static`) with its Content-Security-Policy, and CORS (`--cors-origin`, which also
//! grants those origins `Timing-Allow-Origin` so their pages can read the API calls' Resource
//! Timing, e.g. `nextHopProtocol`, to see whether HTTP/2 was used).
//!
//! The app is served on the same origin as the API, so it needs no CORS; its page gets a strict
//! CSP whose `script-src` lists the SHA-256 of each inline `<script>` of `index.html` (Trunk emits
//! an inline module script that boots the wasm), computed once at start.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::util::BoxCloneSyncService;
use tower::{ServiceBuilder, ServiceExt};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::chaos::Chaos;
use crate::config::ServerConfig;
use crate::error::{self, AppError, StartError};
use crate::routes;
use crate::state::AppState;

/// Path prefixes that belong to the API (never answered with the app's `index.html`): each
/// dialect's API namespace, not just its first segment, so an app path that merely starts like
/// one (`/audit`, `/admin`) still gets the app and its own not-found page instead of JSON.
const API_PREFIXES: [&str; 5] = [
    "/admin/api",
    "/authz/api",
    "/torch-pipeline/api",
    "/v3",
    "/audit/api",
];

/// Whether `path` is an API path (so JSON errors, `no-store`, and chaos apply).
pub fn is_api_path(path: &str) -> bool {
    path == "/openapi.json"
        || path == "/healthz"
        || API_PREFIXES.iter().any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// The whole router: API routes, the static app as fallback, and the middleware stack
/// (outermost first: trace, Timing-Allow-Origin, CORS, error shapes + no-store, chaos).
pub fn build(mut state: AppState, config: &ServerConfig) -> Result<Router, StartError> {
    if let Some(dir) = &config.static_dir {
        state.site = Some(Arc::new(StaticSite::load(dir, &config.connect_src)?));
    }
    let mut router = routes::all().into_router().fallback(fallback);
    if let Some(spec) = &config.chaos {
        router = router.layer(from_fn_with_state(
            Chaos::new(spec.clone()),
            crate::chaos::inject,
        ));
    }
    let mut router = router
        .layer(from_fn(refuse_nul_in_path))
        .layer(from_fn(error::api_responses))
        .with_state(state);
    if !config.cors_origins.is_empty() {
        let origins = cors_origins(&config.cors_origins)?;
        router = router
            .layer(cors(origins.clone()))
            .layer(from_fn_with_state(
                Arc::<[HeaderValue]>::from(origins),
                timing_allow_origin,
            ));
    }
    // Spans carry the path only: query strings may hold TD form fields, including a whole key.
    Ok(router.layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
    })))
}

/// The `--cors-origin` values as the `Origin` header spells them (no trailing slash).
fn cors_origins(origins: &[String]) -> Result<Vec<HeaderValue>, StartError> {
    origins
        .iter()
        .map(|origin| {
            HeaderValue::from_str(origin.trim_end_matches('/'))
                .map_err(|_| StartError::Config(format!("bad --cors-origin {origin:?}")))
        })
        .collect()
}

fn cors(origins: Vec<HeaderValue>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            HeaderName::from_static("accesskey"),
            HeaderName::from_static("secretkey"),
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// API responses to a request from one of the `--cors-origin` origins carry
/// `Timing-Allow-Origin: <that origin>`: without it a cross-origin page's Resource Timing entry
/// hides the timings and `nextHopProtocol` (whether HTTP/2 was used). Like
/// `Access-Control-Allow-Origin` it names the caller's origin only (CORS already adds
/// `Vary: Origin`).
async fn timing_allow_origin(
    State(origins): State<Arc<[HeaderValue]>>,
    request: Request,
    next: Next,
) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .filter(|origin| is_api_path(request.uri().path()) && origins.contains(origin))
        .cloned();
    let mut response = next.run(request).await;
    if let Some(origin) = origin {
        response
            .headers_mut()
            .insert(HeaderName::from_static("timing-allow-origin"), origin);
    }
    response
}

/// An API path with `%00` in it is refused before any handler runs: it would put a NUL into
/// an id, which no id has and PostgreSQL cannot even look up (query strings and bodies are
/// checked where they are parsed, in [`crate::input`]).
async fn refuse_nul_in_path(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if is_api_path(path) && path.contains("%00") {
        return AppError::BadRequest(
            "the path must not contain the NUL character (%00): no id has one".into(),
        )
        .into_response();
    }
    next.run(request).await
}

/// Requests no route matched: the app for page GETs, else a JSON 404.
async fn fallback(State(app): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let is_read = matches!(*request.method(), Method::GET | Method::HEAD);
    match &app.site {
        Some(site) if is_read && !is_api_path(&path) => site.serve(request).await,
        _ => AppError::NotFound(format!("no endpoint {} {path}", request.method())).into_response(),
    }
}

/// The built browser app and the headers its page carries.
pub struct StaticSite {
    files: BoxCloneSyncService<Request, Response, Infallible>,
}

impl StaticSite {
    /// Reads `dir/index.html` once to hash its inline scripts.
    pub fn load(dir: &Path, connect_src: &[String]) -> Result<Self, StartError> {
        let index: PathBuf = dir.join("index.html");
        let html = std::fs::read_to_string(&index).map_err(|err| {
            StartError::Config(format!(
                "--static {}: cannot read index.html: {err}",
                dir.display()
            ))
        })?;
        for origin in connect_src {
            if origin.is_empty() || origin.contains([';', ',', '\'', '"', ' ', '\n', '\r']) {
                return Err(StartError::Config(format!("bad --connect-src {origin:?}")));
            }
        }
        let csp = content_security_policy(&inline_script_hashes(&html), connect_src);
        let csp = HeaderValue::from_str(&csp)
            .map_err(|_| StartError::Config("the CSP is not a valid header".into()))?;
        // The page's headers go on HTML only (the app's page, for every client-side route);
        // its wasm and JS carry none of them.
        let page = |value: HeaderValue| {
            move |response: &Response<_>| is_html(response).then(|| value.clone())
        };
        let files = ServiceBuilder::new()
            .map_response(|response: Response<_>| response.map(Body::new))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                page(csp),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_FRAME_OPTIONS,
                page(HeaderValue::from_static("DENY")),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                page(HeaderValue::from_static("nosniff")),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                page(HeaderValue::from_static("no-referrer")),
            ))
            // The page names the hashed wasm and JS of one build: always revalidate it.
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                page(HeaderValue::from_static("no-cache")),
            ))
            // `make app` writes a `.br` and a `.gz` beside each wasm, JS and CSS file: sent to
            // browsers that accept them (about a third of the wasm's size), never compressed
            // on the fly.
            .service(
                ServeDir::new(dir)
                    .precompressed_br()
                    .precompressed_gzip()
                    .fallback(ServeFile::new(index)),
            );
        Ok(Self {
            files: BoxCloneSyncService::new(files),
        })
    }

    /// A file of the app, or `index.html` for client-side routes such as `/users/user-123`.
    /// A file whose name carries its build's content hash never changes, so browsers keep it
    /// for a year without asking again; the page that names them is revalidated every time.
    async fn serve(&self, request: Request) -> Response {
        let immutable = has_content_hash(request.uri().path());
        let mut response = match self.files.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        if immutable && response.status().is_success() && !is_html(&response) {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
        }
        response
    }
}

/// Whether the file name at `path` carries a build hash as Trunk writes them:
/// `offboard-cad52a30be0ab124_bg.wasm`, `main-bce0659839dde785.css`. Trunk prints a 64-bit hash
/// in hex without leading zeros, so one build in sixteen has 15 digits (`…-4b56027815a939b.js`),
/// one in 256 has 14; fewer than 12 is taken for a name, not a hash.
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn is_html<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// `'sha256-…'` sources for the inline `<script>` blocks of `html` (those without `src`).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| from + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        let tag = &lower[start..tag_end];
        let is_inline = !tag.split_whitespace().any(|attr| attr.starts_with("src="));
        if is_inline {
            let body = &html[tag_end + 1..close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        from = close;
    }
    hashes
}

fn content_security_policy(script_hashes: &[String], connect_src: &[String]) -> String {
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    script_src.extend(script_hashes.iter().cloned());
    let mut connect = vec!["'self'".to_owned()];
    connect.extend(connect_src.iter().cloned());
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data:; \
         connect-src {}; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
         form-action 'self'",
        script_src.join(" "),
        connect.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths() {
        assert!(is_api_path("/admin/api/users/list"));
        assert!(is_api_path("/v3/user/show"));
        assert!(is_api_path("/healthz"));
        assert!(is_api_path("/audit/api/v1/events"));
        assert!(!is_api_path("/administrators"));
        assert!(!is_api_path("/audit"));
        assert!(!is_api_path("/admin"));
        assert!(!is_api_path("/admin/apiary"));
        assert!(!is_api_path("/users/user-123"));
        assert!(!is_api_path("/"));
    }

    #[test]
    fn trunks_hashed_file_names_are_recognised() {
        assert!(has_content_hash("/offboard-cad52a30be0ab124_bg.wasm"));
        assert!(has_content_hash("/offboard-cad52a30be0ab124.js"));
        assert!(has_content_hash("/main-bce0659839dde785.css"));
        assert!(
            has_content_hash("/offboard-app-4b56027815a939b.js"),
            "15 digits"
        );
        assert!(!has_content_hash("/index.html"));
        assert!(!has_content_hash("/users/user-123"));
        assert!(!has_content_hash("/app-1234.js"));
        assert!(!has_content_hash("/app-cad52a30be0ab12g.js"));
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<html><head><script src="/a.js"></script><SCRIPT type="module">boot()</SCRIPT></head></html>"#;
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"boot()"));
        assert_eq!(
            inline_script_hashes(html),
            vec![format!("'sha256-{expected}'")]
        );
    }

    #[test]
    fn csp_lists_hashes_and_connect_origins() {
        let csp = content_security_policy(&["'sha256-x'".into()], &["https://api.example".into()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-x';"));
        assert!(csp.contains("connect-src 'self' https://api.example;"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("object-src 'none'"));
    }
}
