//! [`Client`]: sends one [`Request`] through a [`Transport`], retrying what is worth retrying.
//!
//! Retries follow "full jitter" exponential backoff (AWS architecture blog): the wait before
//! attempt *n* is uniform in `[0, min(cap, base · 2ⁿ⁻¹))`, which spreads a burst of failed calls
//! instead of retrying them in lockstep, and never shorter than the server's `Retry-After`.

use crate::error::ApiError;
use crate::http::{Clock, Request, Response, Transport};
use serde_json::Value;

/// How hard to try before giving up on a call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_ms: f64,
    pub cap_ms: f64,
    /// The longest `Retry-After` honoured; a server asking for more gets a failed call instead
    /// of a frozen screen.
    pub max_retry_after_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_ms: 250.0,
            cap_ms: 8_000.0,
            max_retry_after_ms: 60_000.0,
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
}

impl<T: Transport, C: Clock> Client<T, C> {
    pub fn new(transport: T, clock: C) -> Self {
        Self {
            transport,
            clock,
            retry: RetryPolicy::default(),
        }
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
            let (result, retry_after_s) = match self.transport.send(request).await {
                Ok(response) if (200..300).contains(&response.status) => (Ok(response), None),
                Ok(response) => (
                    Err(ApiError::from_response(&response)),
                    response.retry_after_s,
                ),
                Err(network) => (Err(ApiError::from(network)), None),
            };
            let retry_in = match &result {
                Err(error) if error.is_transient() => {
                    self.retry
                        .delay_ms(attempts, retry_after_s, self.clock.random())
                }
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
                detail: "Failed to fetch".into(),
                blocked_origin: Some("https://acme.example".into()),
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
