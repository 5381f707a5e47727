//! [`Client`]: sends one [`Request`] through a [`Transport`], retrying what is worth retrying.
//!
//! Retries follow "full jitter" exponential backoff (AWS architecture blog): the wait before
//! attempt *n* is uniform in `[0, min(cap, base · 2ⁿ⁻¹))`, which spreads a burst of failed calls
//! instead of retrying them in lockstep, and never shorter than the server's `Retry-After`.

use crate::congestion::{ConcurrencyRecord, DEFAULT_CAP, Signal, Window};
use crate::error::ApiError;
use crate::http::{Clock, Request, Response, Transport};
use serde_json::Value;
use std::cell::{Cell, RefCell};

/// How hard to try before giving up on a call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_ms: f64,
    pub cap_ms: f64,
    /// The longest `Retry-After` honoured; a server asking for more gets a failed call instead
    /// of a frozen screen.
    pub max_retry_after_ms: f64,
    /// How long a platform that does not answer at all (the network dropped, the server is
    /// restarting) is waited for beyond `max_attempts`, counted from its first unanswered call.
    /// Zero for reads a person waits on (Connect must say "unreachable" at once); minutes for a
    /// run, which then goes on by itself when the platform is back.
    pub outage_patience_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_ms: 250.0,
            cap_ms: 8_000.0,
            max_retry_after_ms: 60_000.0,
            outage_patience_ms: 0.0,
        }
    }
}

impl RetryPolicy {
    /// Never retry: for calls whose repetition is not safe, and for tests.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// A run's policy: as the default, and an outage is waited out for up to `patience_ms`.
    pub fn riding_out_outages(patience_ms: f64) -> Self {
        Self {
            outage_patience_ms: patience_ms,
            ..Self::default()
        }
    }

    /// The wait before trying a platform again that has not answered for `unreachable_ms`,
    /// once the ordinary attempts are spent; `None` once the patience is spent too.
    pub fn outage_delay_ms(
        &self,
        unreachable_ms: f64,
        failed_attempts: u32,
        random: f64,
    ) -> Option<f64> {
        if unreachable_ms >= self.outage_patience_ms {
            return None;
        }
        let exponent = failed_attempts.saturating_sub(1).min(30);
        let ceiling = (self.base_ms * f64::from(1u32 << exponent)).min(self.cap_ms);
        // Never a busy loop: at least the base wait between probes of a platform that is down.
        Some((random.clamp(0.0, 1.0) * ceiling).max(self.base_ms))
    }

    /// The wait after `failed_attempts` failures (1 for the first), given the server's
    /// `Retry-After` and a random number in `[0, 1)`. `None` means: give up.
    pub fn delay_ms(
        &self,
        failed_attempts: u32,
        retry_after_s: Option<f64>,
        random: f64,
    ) -> Option<f64> {
        if failed_attempts >= self.max_attempts {
            return None;
        }
        let exponent = failed_attempts.saturating_sub(1).min(30);
        let ceiling = (self.base_ms * f64::from(1u32 << exponent)).min(self.cap_ms);
        let jitter = random.clamp(0.0, 1.0) * ceiling;
        match retry_after_s.map(|seconds| seconds * 1000.0) {
            Some(asked) if asked > self.max_retry_after_ms => None,
            Some(asked) => Some(jitter.max(asked)),
            None => Some(jitter),
        }
    }
}

/// The outcome of sending one request, with what it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub result: Result<Response, ApiError>,
    pub attempts: u32,
    pub elapsed_ms: f64,
}

/// Sends requests for one connection.
pub struct Client<T, C> {
    transport: T,
    clock: C,
    retry: RetryPolicy,
    /// Since when (the clock's ms) no call has got any answer, while that is so: the screen
    /// says the platform is not answering instead of looking stuck.
    unreachable_since: Cell<Option<f64>>,
    /// How many calls a run may keep in flight on this connection (see [`crate::congestion`]).
    window: RefCell<Window>,
}

impl<T: Transport, C: Clock> Client<T, C> {
    pub fn new(transport: T, clock: C) -> Self {
        Self {
            transport,
            clock,
            retry: RetryPolicy::default(),
            unreachable_since: Cell::new(None),
            window: RefCell::new(Window::new(DEFAULT_CAP)),
        }
    }

    /// At most `cap` calls in flight, whatever the connection would carry (the admin's setting).
    pub fn with_concurrency_cap(mut self, cap: usize) -> Self {
        self.window = RefCell::new(Window::new(cap));
        self
    }

    /// How many calls may be in flight now.
    pub fn calls_in_flight_allowed(&self) -> usize {
        self.window.borrow().limit()
    }

    /// What the calls in flight have been so far, for a run's report.
    pub fn concurrency(&self) -> ConcurrencyRecord {
        self.window.borrow().record()
    }

    /// Since when the platform has answered no call (the clock's ms), if it is not answering.
    pub fn unreachable_since(&self) -> Option<f64> {
        self.unreachable_since.get()
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Sends `request`, retrying network errors, 429 and 5xx. A non-2xx answer is an error.
    pub async fn send(&self, request: &Request) -> Sent {
        let started = self.clock.now_ms();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let answer = self.attempt(request).await;
            match &answer {
                Ok(_) => self.unreachable_since.set(None),
                Err(_) if self.unreachable_since.get().is_none() => {
                    self.unreachable_since.set(Some(self.clock.now_ms()));
                }
                Err(_) => {}
            }
            let (result, retry_after_s) = match answer {
                Ok(response) if (200..300).contains(&response.status) => (Ok(response), None),
                Ok(response) => (
                    Err(ApiError::from_response(&response)),
                    response.retry_after_s,
                ),
                Err(network) => (Err(ApiError::from(network)), None),
            };
            let retry_in = match &result {
                Err(error) if error.is_transient() => self
                    .retry
                    .delay_ms(attempts, retry_after_s, self.clock.random())
                    .or_else(|| self.outage_wait(error, attempts)),
                _ => None,
            };
            match retry_in {
                Some(wait) => self.clock.sleep(wait.round() as u64).await,
                None => {
                    let elapsed_ms = self.clock.now_ms() - started;
                    return Sent {
                        result,
                        attempts,
                        elapsed_ms,
                    };
                }
            }
        }
    }

    /// One attempt, counted in the congestion window, which learns how it was answered.
    async fn attempt(&self, request: &Request) -> Result<Response, crate::http::NetworkError> {
        let ticket = self.window.borrow_mut().start();
        let answer = self.transport.send(request).await;
        let signal = match &answer {
            Ok(response) => Signal::of_status(response.status),
            Err(_) => Signal::Silent,
        };
        let mut window = self.window.borrow_mut();
        if let Some(protocol) = self
            .transport
            .protocol()
            .filter(|p| window.protocol() != Some(*p))
        {
            window.learn(protocol);
        }
        window.finish(ticket, signal);
        answer
    }

    /// The wait before trying again a platform that is not answering at all, while the policy's
    /// patience lasts (an error answer from the platform is not an outage).
    fn outage_wait(&self, error: &ApiError, attempts: u32) -> Option<f64> {
        let since = self.unreachable_since.get()?;
        if !matches!(error, ApiError::Unreachable { .. }) {
            return None;
        }
        self.retry
            .outage_delay_ms(self.clock.now_ms() - since, attempts, self.clock.random())
    }

    /// Sends `request` and returns its JSON answer as a tree, for tolerant parsing.
    pub async fn value(&self, request: &Request) -> Result<Value, ApiError> {
        let response = self.send(request).await.result?;
        parse_json(&response)
    }
}

/// Parses a successful response's body; an empty body is JSON `null` (e.g. a bare 204).
pub fn parse_json(response: &Response) -> Result<Value, ApiError> {
    if response.body.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&response.body).map_err(|_| ApiError::not_json(response))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::http::{LocalBoxFuture, NetworkError};
    use futures::executor::block_on;
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;

    /// A clock whose sleeps advance virtual time instantly and are recorded.
    #[derive(Default)]
    pub(crate) struct FakeClock {
        pub now: Cell<f64>,
        pub sleeps: RefCell<Vec<u64>>,
    }

    impl Clock for FakeClock {
        fn now_ms(&self) -> f64 {
            self.now.get()
        }
        fn epoch_ms(&self) -> f64 {
            1_733_390_000_000.0 + self.now.get()
        }
        fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
            self.now.set(self.now.get() + ms as f64);
            self.sleeps.borrow_mut().push(ms);
            Box::pin(async {})
        }
        fn random(&self) -> f64 {
            0.5
        }
    }

    /// Answers from a script, one entry per call, and counts calls.
    pub(crate) struct Scripted(pub RefCell<VecDeque<Result<Response, NetworkError>>>);

    impl Transport for Scripted {
        fn send<'a>(
            &'a self,
            _: &'a Request,
        ) -> LocalBoxFuture<'a, Result<Response, NetworkError>> {
            let next = self.0.borrow_mut().pop_front().expect("script ran out");
            Box::pin(async move { next })
        }
    }

    pub(crate) fn answer(status: u16, body: &str) -> Result<Response, NetworkError> {
        Ok(Response {
            status,
            retry_after_s: None,
            content_type: None,
            body: body.into(),
        })
    }

    fn client(script: Vec<Result<Response, NetworkError>>) -> Client<Scripted, FakeClock> {
        Client::new(Scripted(RefCell::new(script.into())), FakeClock::default())
    }

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_ms(1, None, 1.0), Some(250.0));
        assert_eq!(policy.delay_ms(2, None, 1.0), Some(500.0));
        assert_eq!(policy.delay_ms(4, None, 0.5), Some(1000.0));
        assert_eq!(
            RetryPolicy {
                max_attempts: 20,
                ..policy
            }
            .delay_ms(12, None, 1.0),
            Some(8000.0)
        );
        assert_eq!(policy.delay_ms(1, Some(2.0), 0.1), Some(2000.0));
        assert_eq!(policy.delay_ms(1, Some(600.0), 0.1), None);
        assert_eq!(policy.delay_ms(5, None, 0.1), None);
    }

    #[test]
    fn transient_failures_are_retried_until_success() {
        let mut limited = answer(429, "{}").unwrap();
        limited.retry_after_s = Some(1.0);
        let client = client(vec![
            Err(NetworkError::no_answer("reset")),
            Ok(limited),
            answer(503, "{}"),
            answer(200, r#"{"ok":true}"#),
        ]);
        let sent = block_on(client.send(&Request::get("/x")));
        assert_eq!(sent.attempts, 4);
        assert!(sent.result.is_ok());
        let sleeps = client.clock.sleeps.borrow().clone();
        assert_eq!(sleeps, vec![125, 1000, 500]);
        assert_eq!(sent.elapsed_ms, 1625.0);
    }

    #[test]
    fn an_outage_is_ridden_out_within_the_patience_and_said_while_it_lasts() {
        let mut script: Vec<_> = (0..12)
            .map(|_| Err(NetworkError::no_answer("connection refused")))
            .collect();
        script.push(answer(200, "{}"));
        let patient = client(script).with_retry(RetryPolicy::riding_out_outages(60_000.0));
        let sent = block_on(patient.send(&Request::get("/x")));
        assert!(sent.result.is_ok(), "{:?}", sent.result);
        assert_eq!(sent.attempts, 13);
        assert_eq!(patient.unreachable_since(), None, "answered again");

        // Without patience (Connect), the ordinary attempts are all: "unreachable" at once,
        // and the client says since when.
        let script = (0..5)
            .map(|_| Err(NetworkError::no_answer("connection refused")))
            .collect();
        let client = client(script);
        let sent = block_on(client.send(&Request::get("/x")));
        assert_eq!(sent.attempts, 5);
        assert!(matches!(sent.result, Err(ApiError::Unreachable { .. })));
        assert_eq!(client.unreachable_since(), Some(0.0));
    }

    #[test]
    fn patience_runs_out() {
        let policy = RetryPolicy::riding_out_outages(10_000.0);
        assert_eq!(
            policy.outage_delay_ms(0.0, 5, 0.0),
            Some(250.0),
            "never a busy loop"
        );
        assert_eq!(policy.outage_delay_ms(9_000.0, 9, 1.0), Some(8_000.0));
        assert_eq!(policy.outage_delay_ms(10_000.0, 9, 1.0), None);
        assert_eq!(RetryPolicy::default().outage_delay_ms(0.0, 5, 0.5), None);
    }

    #[test]
    fn an_error_answer_is_not_an_outage() {
        let script = (0..6).map(|_| answer(503, "{}")).collect();
        let client = client(script).with_retry(RetryPolicy::riding_out_outages(60_000.0));
        let sent = block_on(client.send(&Request::get("/x")));
        assert_eq!(sent.attempts, 5, "503s get the ordinary attempts only");
        assert_eq!(client.unreachable_since(), None);
    }

    #[test]
    fn client_errors_are_not_retried() {
        let client = client(vec![answer(404, r#"{"message":"no such key"}"#)]);
        let sent = block_on(client.send(&Request::get("/x")));
        assert_eq!(sent.attempts, 1);
        assert_eq!(
            sent.result,
            Err(ApiError::NotFound {
                message: "no such key".into()
            })
        );
    }

    #[test]
    fn a_call_the_page_policy_blocked_is_not_retried() {
        let client = client(vec![
            Err(NetworkError {
                blocked_origin: Some("https://acme.example".into()),
                ..NetworkError::no_answer("Failed to fetch")
            }),
            answer(200, "{}"),
        ]);
        let sent = block_on(client.send(&Request::get("/x")));
        assert_eq!(sent.attempts, 1);
        assert!(matches!(sent.result, Err(ApiError::BlockedByPolicy { .. })));
        assert!(client.clock.sleeps.borrow().is_empty());
    }

    #[test]
    fn html_is_not_json() {
        let client = client(vec![answer(200, "<!doctype html><p>hello")]);
        let error = block_on(client.value(&Request::get("/"))).unwrap_err();
        assert!(matches!(error, ApiError::NotJson { status: 200, .. }));
    }
}
