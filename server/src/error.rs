//! The one request error type, its rendering in each dialect's shape, and start-up errors.
//!
//! Handlers return [`AppError`]; its `IntoResponse` sets the status and stashes the message in a
//! response extension. The [`api_responses`] middleware, which knows the request path, turns that
//! into the dialect's body (TD's `{error,message,status_code}` under `/v3/`, Spring's
//! `{timestamp,status,error,message,path}` elsewhere) and adds `Cache-Control: no-store` to every
//! API response. Keeping the shape in one place means chaos faults, axum's own rejections and
//! unknown routes all look the same as handler errors. Internal errors are logged here and never
//! shown to the caller.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use offboard_engine::policy::Refusal;
use serde_json::json;

use crate::clock;
use crate::web::is_api_path;

/// Why a request failed. The message is shown to the caller, except for [`AppError::Internal`].
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The change would break a rule the database keeps (a name already taken).
    #[error("{0}")]
    Conflict(String),
    /// A fault injected by `--chaos` before the handler ran.
    #[error("injected fault (--chaos): nothing was changed")]
    Injected {
        status: StatusCode,
        retry_after_s: u64,
    },
    /// `--chaos max-in-flight=N`: N API requests were already being handled.
    #[error(
        "too many requests at once (--chaos max-in-flight={limit}): this one was refused before \
         it ran, so nothing was changed; retry after {retry_after_s} s"
    )]
    TooManyInFlight { limit: usize, retry_after_s: u64 },
    /// The writer task is gone (shutting down).
    #[error("the server is shutting down")]
    Unavailable,
    /// Anything unexpected; the text is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Injected { status, .. } => *status,
            AppError::TooManyInFlight { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The text the caller sees.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => "internal server error".to_owned(),
            other => other.to_string(),
        }
    }
}

/// A constraint the schema enforces is the caller's mistake, said as such (the handlers check
/// first; this covers a race between two requests and any rule they do not repeat). Anything
/// else from the database is ours: logged, never sent.
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        let kind = err.as_database_error().map(|db| db.kind());
        match kind {
            Some(ErrorKind::UniqueViolation) => {
                AppError::Conflict("that already exists (it was created meanwhile?)".into())
            }
            Some(ErrorKind::ForeignKeyViolation) => {
                AppError::BadRequest("that refers to something that does not exist".into())
            }
            Some(ErrorKind::NotNullViolation | ErrorKind::CheckViolation) => {
                AppError::BadRequest("a required value is missing or not allowed".into())
            }
            _ => AppError::Internal(format!("database: {err}")),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::Forbidden(refusal.to_string())
    }
}

/// What [`api_responses`] needs to render an error body.
#[derive(Debug, Clone)]
struct ErrorInfo {
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let status = self.status();
        let mut response = (
            status,
            axum::Extension(ErrorInfo {
                message: self.public_message(),
            }),
        )
            .into_response();
        let retry_after_s = match self {
            AppError::Injected { retry_after_s, .. }
            | AppError::TooManyInFlight { retry_after_s, .. } => Some(retry_after_s),
            _ => None,
        };
        if let Some(retry_after_s) = retry_after_s
            && matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            )
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
        }
        response
    }
}

/// Middleware around every route: renders errors in the dialect's shape and marks API responses
/// `Cache-Control: no-store`.
pub async fn api_responses(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let status = response.status();
    if let Some(info) = response.extensions_mut().remove::<ErrorInfo>() {
        set_error_body(&mut response, &path, status, info.message);
    } else if status.is_client_error() || status.is_server_error() {
        // Errors that did not come from `AppError` (axum's own rejections, e.g. 405 or an
        // oversized body): keep their text, give them the same shape.
        if is_api_path(&path) && !is_json(&response) {
            let body = std::mem::take(response.body_mut());
            let text = to_bytes(body, 64 * 1024).await.unwrap_or_default();
            let mut message = String::from_utf8_lossy(&text).trim().to_owned();
            if message.is_empty() {
                message = status.canonical_reason().unwrap_or("error").to_owned();
            }
            set_error_body(&mut response, &path, status, message);
        }
    }
    if is_api_path(&path) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn set_error_body(response: &mut Response, path: &str, status: StatusCode, message: String) {
    let error = status.canonical_reason().unwrap_or("Error");
    let body = if path.starts_with("/v3/") {
        json!({"error": error, "message": message, "status_code": status.as_u16()})
    } else {
        json!({
            "timestamp": clock::now(),
            "status": status.as_u16(),
            "error": error,
            "message": message,
            "path": path,
        })
    };
    *response.body_mut() = Body::from(body.to_string());
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
}

/// Why the server could not start (or `audit verify` could not run).
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Config(String),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// Serialises a response body for the writer's channel (which carries JSON values).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value)
        .map_err(|err| AppError::Internal(format!("serialising a response: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `statements` in order on a fresh in-memory database; the last one's error.
    async fn failing(statements: &[&'static str]) -> AppError {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:")
            .await
            .expect("in-memory database");
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&pool)
            .await
            .expect("pragma");
        let (last, setup) = statements.split_last().expect("a statement");
        for statement in setup {
            sqlx::query(*statement)
                .execute(&pool)
                .await
                .expect(statement);
        }
        let err = sqlx::query(*last)
            .execute(&pool)
            .await
            .expect_err("the last statement breaks a constraint");
        AppError::from(err)
    }

    #[tokio::test]
    async fn constraint_violations_are_the_callers_not_ours() {
        let table = "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, \
                     n INTEGER CHECK (n > 0), parent INTEGER REFERENCES t (id))";
        let taken = failing(&[
            table,
            "INSERT INTO t (id, email) VALUES (1, 'a@x')",
            "INSERT INTO t (id, email) VALUES (2, 'a@x')",
        ])
        .await;
        assert_eq!(taken.status(), StatusCode::CONFLICT);

        let dangling = failing(&[table, "INSERT INTO t (email, parent) VALUES ('b@x', 99)"]).await;
        assert_eq!(dangling.status(), StatusCode::BAD_REQUEST);

        let missing = failing(&[table, "INSERT INTO t (id) VALUES (3)"]).await;
        assert_eq!(missing.status(), StatusCode::BAD_REQUEST);

        let refused = failing(&[table, "INSERT INTO t (email, n) VALUES ('c@x', 0)"]).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

        let broken = failing(&["SELECT * FROM no_such_table"]).await;
        assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(broken.public_message(), "internal server error");
    }
}
