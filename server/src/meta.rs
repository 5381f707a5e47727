//! The two unauthenticated endpoints: `GET /openapi.json` (the hand-written OpenAPI 3.1
//! description of every endpoint, `server/openapi.json`) and `GET /healthz`.

use axum::Json;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use crate::routes::Routes;

/// The OpenAPI document, embedded at build time.
pub const OPENAPI: &str = include_str!("../openapi.json");

pub fn router() -> Routes {
    Routes::new()
        .get("/openapi.json", openapi)
        .get("/healthz", healthz)
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}
