//! `--chaos`: fault injection so the console's retries and error screens can be tested against
//! a real server.
//!
//! Faults are injected *before* the handler runs, so a faulted request changed nothing and a
//! retry is always safe. The spec is comma-separated: `error-rate=0.2` (fraction of API requests
//! that fail), `statuses=500|503|429` (picked uniformly; default all three), `retry-after-s=1`
//! (sent with 429 and 503), `latency-ms=100` (added before each API request), `max-in-flight=4`
//! (a rate limit: while that many API requests are being handled, one more is answered 429 with
//! `Retry-After` at once), `path=/x` (limit faults, latency and the rate limit to paths starting
//! with it), `seed=7` (repeatable randomness).
//! `/healthz` and `/openapi.json` are never faulted: they say whether the server is up.
//!
//! `max-in-flight` counts a request from the moment it passes the limit until its response (or
//! its cancelled future) is dropped, the `latency-ms` sleep included, so `max-in-flight=2,
//! latency-ms=100` admits two requests per 100 ms. A refused request is not counted, is not
//! delayed, and never reaches the handler.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::error::AppError;
use crate::web::is_api_path;

/// A parsed `--chaos` spec.
#[derive(Debug, Clone, PartialEq)]
pub struct ChaosSpec {
    pub error_rate: f64,
    pub statuses: Vec<u16>,
    pub retry_after_s: u64,
    pub latency_ms: u64,
    /// At most this many API requests are handled at once; more are refused with 429.
    pub max_in_flight: Option<usize>,
    pub path: Option<String>,
    pub seed: Option<u64>,
}

impl Default for ChaosSpec {
    fn default() -> Self {
        Self {
            error_rate: 0.0,
            statuses: vec![500, 503, 429],
            retry_after_s: 1,
            latency_ms: 0,
            max_in_flight: None,
            path: None,
            seed: None,
        }
    }
}

impl FromStr for ChaosSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let mut out = ChaosSpec::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("chaos: `{part}` is not key=value"))?;
            let bad = |what: &str| format!("chaos: {key}={value}: {what}");
            match key.trim() {
                "error-rate" => {
                    out.error_rate = value.parse().map_err(|_| bad("expected a number"))?;
                    if !(0.0..=1.0).contains(&out.error_rate) {
                        return Err(bad("must be between 0 and 1"));
                    }
                }
                "statuses" => {
                    out.statuses = value
                        .split('|')
                        .map(|s| match s.trim().parse::<u16>() {
                            Ok(n) if (400..=599).contains(&n) => Ok(n),
                            _ => Err(bad("expected statuses 400..=599 separated by |")),
                        })
                        .collect::<Result<_, _>>()?;
                }
                "retry-after-s" => {
                    out.retry_after_s = value.parse().map_err(|_| bad("expected whole seconds"))?
                }
                "latency-ms" => {
                    out.latency_ms = value.parse().map_err(|_| bad("expected milliseconds"))?
                }
                "max-in-flight" => match value.parse::<usize>() {
                    Ok(n) if n >= 1 => out.max_in_flight = Some(n),
                    _ => return Err(bad("expected a whole number of requests, at least 1")),
                },
                "path" => {
                    if !value.starts_with('/') {
                        return Err(bad("expected a path starting with /"));
                    }
                    out.path = Some(value.to_owned());
                }
                "seed" => out.seed = Some(value.parse().map_err(|_| bad("expected an integer"))?),
                other => return Err(format!("chaos: unknown setting `{other}`")),
            }
        }
        Ok(out)
    }
}

/// The running fault injector.
pub struct Chaos {
    spec: ChaosSpec,
    rng: Mutex<StdRng>,
    /// API requests admitted by `max-in-flight` and not yet answered.
    in_flight: AtomicUsize,
}

impl Chaos {
    pub fn new(spec: ChaosSpec) -> Arc<Self> {
        let rng = match spec.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => rand::make_rng(),
        };
        Arc::new(Self {
            spec,
            rng: Mutex::new(rng),
            in_flight: AtomicUsize::new(0),
        })
    }

    /// Admits one more request under `max-in-flight`, or `None` if that many are in flight.
    /// Without a limit every request is admitted (and not counted).
    fn admit(&self) -> Option<InFlight<'_>> {
        let Some(max) = self.spec.max_in_flight else {
            return Some(InFlight(None));
        };
        self.in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| InFlight(Some(&self.in_flight)))
    }

    fn applies_to(&self, path: &str) -> bool {
        is_api_path(path)
            && path != "/healthz"
            && path != "/openapi.json"
            && self
                .spec
                .path
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
    }

    /// The status to fail with, if this request is to fail.
    fn draw(&self) -> Option<StatusCode> {
        if self.spec.error_rate <= 0.0 || self.spec.statuses.is_empty() {
            return None;
        }
        // A poisoned lock only means another request panicked mid-draw; the RNG is still usable.
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !rng.random_bool(self.spec.error_rate) {
            return None;
        }
        let status = self.spec.statuses[rng.random_range(0..self.spec.statuses.len())];
        StatusCode::from_u16(status).ok()
    }
}

/// One admitted request: counted in [`Chaos::in_flight`] until dropped, which happens when its
/// response is ready and also when the request's future is dropped half-way (client gone).
struct InFlight<'a>(Option<&'a AtomicUsize>);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(count) = self.0 {
            count.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// Middleware: refuse (`max-in-flight`), delay and maybe fail an API request before it reaches
/// its handler.
pub async fn inject(State(chaos): State<Arc<Chaos>>, request: Request, next: Next) -> Response {
    if !chaos.applies_to(request.uri().path()) {
        return next.run(request).await;
    }
    let Some(_in_flight) = chaos.admit() else {
        return AppError::TooManyInFlight {
            limit: chaos.spec.max_in_flight.unwrap_or_default(),
            retry_after_s: chaos.spec.retry_after_s,
        }
        .into_response();
    };
    if chaos.spec.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(chaos.spec.latency_ms)).await;
    }
    match chaos.draw() {
        Some(status) => AppError::Injected {
            status,
            retry_after_s: chaos.spec.retry_after_s,
        }
        .into_response(),
        None => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let spec: ChaosSpec =
            "error-rate=0.2,latency-ms=100,retry-after-s=1,statuses=500|503|429,path=/x,seed=7"
                .parse()
                .expect("valid spec");
        assert_eq!(
            spec,
            ChaosSpec {
                error_rate: 0.2,
                statuses: vec![500, 503, 429],
                retry_after_s: 1,
                latency_ms: 100,
                max_in_flight: None,
                path: Some("/x".into()),
                seed: Some(7),
            }
        );
    }

    #[test]
    fn rejects_nonsense() {
        assert!("error-rate=2".parse::<ChaosSpec>().is_err());
        assert!("statuses=200".parse::<ChaosSpec>().is_err());
        assert!("bogus=1".parse::<ChaosSpec>().is_err());
        assert!("error-rate".parse::<ChaosSpec>().is_err());
        assert!("path=x".parse::<ChaosSpec>().is_err());
        assert!("max-in-flight=0".parse::<ChaosSpec>().is_err());
        assert!("max-in-flight=-1".parse::<ChaosSpec>().is_err());
        assert!("max-in-flight=two".parse::<ChaosSpec>().is_err());
    }

    #[test]
    fn parses_max_in_flight() {
        let spec: ChaosSpec = "max-in-flight=4,latency-ms=100".parse().expect("valid");
        assert_eq!(spec.max_in_flight, Some(4));
        assert_eq!(spec.latency_ms, 100);
        assert_eq!(spec.error_rate, 0.0);
        assert_eq!("".parse::<ChaosSpec>().expect("empty").max_in_flight, None);
    }

    #[test]
    fn max_in_flight_admits_that_many_and_frees_on_drop() {
        let chaos = Chaos::new("max-in-flight=2".parse().expect("valid"));
        let first = chaos.admit().expect("first");
        let second = chaos.admit().expect("second");
        assert!(chaos.admit().is_none(), "a third at once is refused");
        assert_eq!(chaos.in_flight.load(Ordering::Acquire), 2);
        drop(first);
        let third = chaos.admit().expect("room again");
        drop((second, third));
        assert_eq!(chaos.in_flight.load(Ordering::Acquire), 0);

        let unlimited = Chaos::new(ChaosSpec::default());
        let many: Vec<_> = (0..100)
            .map(|_| unlimited.admit().expect("no limit"))
            .collect();
        assert_eq!(
            unlimited.in_flight.load(Ordering::Acquire),
            0,
            "not counted"
        );
        drop(many);
    }

    #[test]
    fn seeded_draws_repeat() {
        let spec: ChaosSpec = "error-rate=0.5,seed=7".parse().expect("valid");
        let a = Chaos::new(spec.clone());
        let b = Chaos::new(spec);
        let draws = |c: &Chaos| (0..50).map(|_| c.draw()).collect::<Vec<_>>();
        assert_eq!(draws(&a), draws(&b));
    }

    #[test]
    fn path_limits_the_faults() {
        let chaos = Chaos::new("error-rate=1,path=/authz/".parse().expect("valid"));
        assert!(chaos.applies_to("/authz/api/v1/users/permissions"));
        assert!(!chaos.applies_to("/admin/api/users/list"));
        assert!(!chaos.applies_to("/healthz"));
    }
}
