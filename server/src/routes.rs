//! A router that also remembers its endpoints, so the OpenAPI document can be checked against
//! what the server really serves (a test compares the two in both directions).
//!
//! Each feature module owns a `router()` built with this type; [`all`] merges them.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, post, put};

use crate::state::AppState;

/// One served endpoint: an HTTP method and an axum / OpenAPI path such as `/v3/user/remove/{email}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
}

/// An axum router plus the list of its endpoints.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    endpoints: Vec<Endpoint>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Self {
        // axum merges method routers registered for the same path.
        self.router = self.router.route(path, route);
        self.endpoints.push(Endpoint { method, path });
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("GET", path, get(handler))
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("PUT", path, put(handler))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("POST", path, post(handler))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add("DELETE", path, delete(handler))
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.endpoints.extend(other.endpoints);
        self
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// Every endpoint of the server.
pub fn all() -> Routes {
    Routes::new()
        .merge(crate::meta::router())
        .merge(crate::adoc::router())
        .merge(crate::td::router())
        .merge(crate::audit::router())
}
