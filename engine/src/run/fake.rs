//! An in-memory platform for the runner's unit tests: enough of both dialects to offboard a user,
//! with hooks to fail calls, to create a key mid-run, and to stop answering (a closed tab).
//! The real server is exercised by the server's and the browser's tests.

use crate::congestion::Protocol;
use crate::http::{Body, LocalBoxFuture, Method, NetworkError, Request, Response, Transport};
use serde_json::{Value, json};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Default)]
pub struct State {
    /// id → (email, enabled, attributes)
    pub users: BTreeMap<String, (String, bool, Value)>,
    /// key id → user id
    pub keys: BTreeMap<String, String>,
    /// (user id, group id)
    pub memberships: Vec<(String, String)>,
    /// uid → owner email
    pub pipelines: BTreeMap<String, String>,
}

#[derive(Default)]
pub struct Fake {
    pub state: RefCell<State>,
    /// Every request (line and body) that reached the platform, in order.
    pub received: RefCell<Vec<String>>,
    /// (path prefix, status, how many times) to answer instead of the real thing.
    pub faults: RefCell<Vec<(String, u16, usize)>>,
    /// A key to create for the target right after the first key DELETE (a key made mid-run).
    pub create_key_mid_run: RefCell<Option<String>>,
    /// After this many changes, every call fails as if the network were gone.
    pub cut_after_changes: Cell<Option<usize>>,
    changes: Cell<usize>,
    /// Set, the platform is reached over a network speaking this protocol: each answer comes a
    /// poll after its request, so the calls a run keeps in flight overlap and can be counted.
    pub protocol: Cell<Option<Protocol>>,
}

impl Fake {
    /// The seed runbook's user-123 with two keys, three groups and two pipelines, plus the
    /// replacement.
    pub fn runbook() -> Self {
        let fake = Fake::default();
        {
            let mut state = fake.state.borrow_mut();
            state.users.insert(
                "user-123".into(),
                (
                    "first.last@company.com".into(),
                    true,
                    json!({"department": ["Data"]}),
                ),
            );
            state.users.insert(
                "user-456".into(),
                ("replacement@company.com".into(), true, json!({})),
            );
            for key in ["AK-abc123", "AK-def456"] {
                state.keys.insert(key.into(), "user-123".into());
            }
            for group in [
                "group-data-eng",
                "group-pipeline-owners",
                "group-prod-access",
            ] {
                state.memberships.push(("user-123".into(), group.into()));
            }
            state
                .pipelines
                .insert("pl-daily-sales".into(), "first.last@company.com".into());
            state
                .pipelines
                .insert("pl-customer-360".into(), "first.last@company.com".into());
        }
        fake
    }

    pub fn changes_received(&self) -> Vec<String> {
        self.received
            .borrow()
            .iter()
            .filter(|line| !line.starts_with("GET"))
            .cloned()
            .collect()
    }

    fn answer(&self, request: &Request) -> Result<Response, NetworkError> {
        if request.method.is_mutating() {
            let done = self.changes.get();
            if self
                .cut_after_changes
                .get()
                .is_some_and(|limit| done >= limit)
            {
                return Err(NetworkError::no_answer("the tab was closed"));
            }
            self.changes.set(done + 1);
        }
        self.received.borrow_mut().push(
            format!("{} {}", request.line(), request.body_text())
                .trim_end()
                .to_string(),
        );
        if let Some(status) = self.fault(&request.path) {
            return Ok(reply(status, json!({"message": "injected fault"})));
        }
        let (path, query) = request.path.split_once('?').unwrap_or((&request.path, ""));
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                .map(|v| v.replace("%40", "@"))
        };
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut state = self.state.borrow_mut();
        let body = match &request.body {
            Body::Json(value) => value.clone(),
            _ => Value::Null,
        };
        Ok(match (request.method, segments.as_slice()) {
            (Method::Get, ["admin", "api", "users", id]) => match state.users.get(*id) {
                Some((email, enabled, attributes)) => reply(
                    200,
                    json!({"userId": id, "email": email, "enabled": enabled, "attributes": attributes}),
                ),
                None => reply(404, json!({"message": "no such user"})),
            },
            (Method::Put, ["admin", "api", "users", id]) => match state.users.get_mut(*id) {
                Some(user) => {
                    if let Some(enabled) = body["enabled"].as_bool() {
                        user.1 = enabled;
                    }
                    if body["attributes"].is_object() {
                        user.2 = body["attributes"].clone();
                    }
                    reply(200, json!({"userId": id}))
                }
                None => reply(404, json!({"message": "no such user"})),
            },
            (Method::Get, ["admin", "api", "users", id, "api-keys"]) => {
                let page: usize = param("page").and_then(|p| p.parse().ok()).unwrap_or(0);
                let size: usize = param("size").and_then(|p| p.parse().ok()).unwrap_or(20);
                let keys: Vec<&String> = state
                    .keys
                    .iter()
                    .filter(|(_, user)| user == id)
                    .map(|(key, _)| key)
                    .collect();
                let data: Vec<Value> = keys
                    .iter()
                    .skip(page * size)
                    .take(size)
                    .map(|key| json!({"accessKey": key, "type": "MASTER"}))
                    .collect();
                reply(
                    200,
                    json!({"data": data, "meta": {"page": page, "size": size, "total": keys.len()}}),
                )
            }
            (Method::Delete, ["admin", "api", "users", "api-keys", key]) => {
                match state.keys.remove(*key) {
                    Some(owner) => {
                        if let Some(extra) = self.create_key_mid_run.borrow_mut().take() {
                            state.keys.insert(extra, owner);
                        }
                        reply(200, json!({"accessKey": key, "deleted": true}))
                    }
                    None => reply(404, json!({"message": "no such key"})),
                }
            }
            (Method::Delete, ["admin", "api", "users", id, "remove-user"]) => {
                match state.users.remove(*id) {
                    Some(_) => {
                        state.keys.retain(|_, user| user != id);
                        state.memberships.retain(|(user, _)| user != id);
                        reply(200, json!({"userId": id, "removed": true}))
                    }
                    None => reply(404, json!({"message": "no such user"})),
                }
            }
            (Method::Get, ["admin", "api", "users", id, "groups"]) => {
                let groups: Vec<Value> = state
                    .memberships
                    .iter()
                    .filter(|(user, _)| user == id)
                    .map(|(_, g)| json!({"groupId": g}))
                    .collect();
                reply(200, json!({"groups": groups}))
            }
            (Method::Put, ["admin", "api", "users", id, "remove-groups"]) => {
                let ids: Vec<String> = body["groupIds"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|g| g.as_str().map(String::from))
                    .collect();
                state
                    .memberships
                    .retain(|(user, group)| !(user == id && ids.contains(group)));
                reply(200, json!({"userId": id}))
            }
            (Method::Put, ["admin", "api", "users", id, "assign-groups"]) => {
                for group in body["groupIds"].as_array().into_iter().flatten() {
                    let pair = (
                        id.to_string(),
                        group.as_str().unwrap_or_default().to_string(),
                    );
                    if !state.memberships.contains(&pair) {
                        state.memberships.push(pair);
                    }
                }
                reply(200, json!({"userId": id}))
            }
            (Method::Get, ["authz", "api", "v1", "users", "permissions"]) => {
                let id = param("userId").unwrap_or_default();
                let has_groups = state.memberships.iter().any(|(user, _)| *user == id);
                let permissions = if has_groups {
                    json!(["datasets.read"])
                } else {
                    json!([])
                };
                reply(200, json!({"userId": id, "permissions": permissions}))
            }
            (Method::Get, ["authz", "api", "v1", "users", _, "roles"]) => {
                reply(200, json!({"roles": []}))
            }
            (Method::Get, ["torch-pipeline", "api", "pipelines"]) => {
                let owner = param("owner").unwrap_or_default();
                let owned: Vec<Value> = state
                    .pipelines
                    .iter()
                    .filter(|(_, o)| **o == owner)
                    .map(|(uid, o)| json!({"uid": uid, "name": uid, "meta": {"owner": o}}))
                    .collect();
                reply(200, json!({"pipelines": owned}))
            }
            (Method::Put, ["torch-pipeline", "api", "pipelines"]) => {
                let uid = body["pipeline"]["uid"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let owner = body["pipeline"]["meta"]["owner"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                match state.pipelines.get_mut(&uid) {
                    Some(current) => {
                        *current = owner;
                        reply(200, json!({"uid": uid}))
                    }
                    None => reply(404, json!({"message": "no such pipeline"})),
                }
            }
            (Method::Get, ["v3", "user", "list"]) => {
                let users: Vec<Value> = state
                    .users
                    .values()
                    .map(|(email, _, _)| json!({"email": email}))
                    .collect();
                reply(200, json!({"users": users}))
            }
            (Method::Get, ["v3", "user", "apikey", "list", email]) => {
                match user_by_email(&state, email) {
                    Some(id) => {
                        let keys: Vec<Value> = state
                            .keys
                            .iter()
                            .filter(|(_, user)| **user == id)
                            .map(|(key, _)| json!({"id": key}))
                            .collect();
                        reply(200, json!({"apikeys": keys}))
                    }
                    None => reply(404, json!({"message": "no such user"})),
                }
            }
            (Method::Post, ["v3", "user", "apikey", "remove", email]) => {
                let key = request
                    .body_text()
                    .strip_prefix("apikey=")
                    .unwrap_or_default()
                    .replace("%2F", "/");
                match (user_by_email(&state, email), state.keys.get(&key).cloned()) {
                    (Some(id), Some(owner)) if owner == id => {
                        state.keys.remove(&key);
                        reply(200, json!({}))
                    }
                    _ => reply(404, json!({"message": "no such key"})),
                }
            }
            (Method::Post, ["v3", "user", "remove", email]) => match user_by_email(&state, email) {
                Some(id) => {
                    state.users.remove(&id);
                    state.keys.retain(|_, user| *user != id);
                    reply(200, json!({"user": email}))
                }
                None => reply(404, json!({"message": "no such user"})),
            },
            _ => reply(
                404,
                json!({"message": format!("fake has no {}", request.line())}),
            ),
        })
    }

    fn fault(&self, path: &str) -> Option<u16> {
        let mut faults = self.faults.borrow_mut();
        let fault = faults
            .iter_mut()
            .find(|(prefix, _, left)| *left > 0 && path.starts_with(prefix.as_str()))?;
        fault.2 -= 1;
        Some(fault.1)
    }
}

fn user_by_email(state: &State, email: &str) -> Option<String> {
    state
        .users
        .iter()
        .find(|(_, (e, _, _))| e == email)
        .map(|(id, _)| id.clone())
}

fn reply(status: u16, body: Value) -> Response {
    Response {
        status,
        retry_after_s: None,
        content_type: Some("application/json".into()),
        body: body.to_string(),
    }
}

impl Transport for Fake {
    fn send<'a>(
        &'a self,
        request: &'a Request,
    ) -> LocalBoxFuture<'a, Result<Response, NetworkError>> {
        let answer = self.answer(request);
        let over_a_network = self.protocol.get().is_some();
        Box::pin(async move {
            if over_a_network {
                NextPoll(false).await;
            }
            answer
        })
    }

    fn protocol(&self) -> Option<Protocol> {
        self.protocol.get()
    }
}

/// Ready on its second poll: an answer that takes a moment, as over a network.
struct NextPoll(bool);

impl Future for NextPoll {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The fake behind a shared reference, so a test keeps it while a client uses it.
impl Transport for &Fake {
    fn send<'a>(
        &'a self,
        request: &'a Request,
    ) -> LocalBoxFuture<'a, Result<Response, NetworkError>> {
        (**self).send(request)
    }

    fn protocol(&self) -> Option<Protocol> {
        (**self).protocol()
    }
}
