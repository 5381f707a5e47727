//! How many calls a run keeps in flight: as many as the connection carries, and fewer as soon
//! as the platform says it is overwhelmed.
//!
//! Over HTTP/1.1 a browser opens at most six connections to an origin, so more calls in flight
//! would only queue inside the browser: the window stays at six. Over HTTP/2 (or HTTP/3) every
//! call shares one connection and the limit is the platform's, which the window finds the way
//! TCP finds a path's capacity: it grows by one call per clean answer until the first sign of
//! congestion (slow start, doubling each round trip), then by one call per window of clean
//! answers (additive increase).
//!
//! It shrinks once per round trip, in proportion to how many of that round's answers were 429
//! or 503, as DCTCP does with congestion marks (RFC 8257): by half when all of them were (a rate
//! limit, an overloaded platform), by a twelfth when one in six was (a platform that fails now
//! and then), never below one call. Halving at every such answer, as classic TCP halves at every
//! loss, would leave a lockout against a flaky platform one call at a time. The call that was
//! told to come back later waits its `Retry-After` (see [`crate::client::RetryPolicy`]) while the
//! others go on. The admin's cap bounds it all.

use serde::Serialize;
use serde_json::Value;

/// A browser's connections per origin on HTTP/1.1: more requests in flight would only queue.
pub const HTTP1_CONNECTIONS: usize = 6;

/// The most calls in flight unless the admin sets a lower cap: far below the hundred streams
/// HTTP/2 servers commonly allow on a connection, and enough that a 20 ms platform answers a
/// 200-key lockout in a few round trips.
pub const DEFAULT_CAP: usize = 64;

/// Where the window starts once the connection is known to multiplex: HTTP/2 servers allow a
/// hundred streams or more at once (RFC 9113 asks for no fewer than 100), so a third of that is
/// safe, and a 200-key lockout needs one round trip less to reach the cap.
pub const MULTIPLEXED_START: usize = 32;

/// The application protocol a connection negotiated (Resource Timing's `nextHopProtocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Protocol {
    #[serde(rename = "http/1.1")]
    Http1,
    #[serde(rename = "h2")]
    Http2,
    #[serde(rename = "h3")]
    Http3,
}

impl Protocol {
    /// Reads an ALPN identifier (`h2`, `http/1.1`, `h3`, `h3-29` …); `None` for anything else,
    /// including the empty string a browser gives when it may not say.
    pub fn from_alpn(alpn: &str) -> Option<Self> {
        match alpn.trim().to_ascii_lowercase().as_str() {
            "http/1.1" | "http/1.0" => Some(Protocol::Http1),
            "h2" | "h2c" => Some(Protocol::Http2),
            other if other == "h3" || other.starts_with("h3-") => Some(Protocol::Http3),
            _ => None,
        }
    }

    /// Whether calls share one connection (so the browser does not cap them at six).
    pub fn multiplexes(self) -> bool {
        self != Protocol::Http1
    }

    /// How the protocol is named on screen and in reports.
    pub fn label(self) -> &'static str {
        match self {
            Protocol::Http1 => "HTTP/1.1",
            Protocol::Http2 => "HTTP/2",
            Protocol::Http3 => "HTTP/3",
        }
    }
}

/// What a run's calls in flight were, for its report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConcurrencyRecord {
    /// The protocol learnt from the answers (`None` when the browser did not say).
    pub protocol: Option<Protocol>,
    /// The admin's cap.
    pub cap: usize,
    /// The most calls that were in flight at once.
    pub peak: usize,
    /// How many times the window shrank for 429s or 503s.
    pub backoffs: u32,
}

impl ConcurrencyRecord {
    /// This record followed by `later` (a resumed run's next session of calls).
    pub fn then(self, later: ConcurrencyRecord) -> ConcurrencyRecord {
        ConcurrencyRecord {
            protocol: later.protocol.or(self.protocol),
            cap: later.cap,
            peak: self.peak.max(later.peak),
            backoffs: self.backoffs + later.backoffs,
        }
    }

    /// "up to 64 at once over HTTP/2 (cap 64); backed off twice on 429/503": how many calls
    /// were in flight.
    pub fn describe(&self) -> String {
        let over = self
            .protocol
            .map_or(String::new(), |p| format!(" over {}", p.label()));
        let backoffs = match self.backoffs {
            0 => "never backed off".to_string(),
            1 => "backed off once on 429/503".to_string(),
            n => format!("backed off {n} times on 429/503"),
        };
        format!(
            "up to {} at once{over} (cap {}); {backoffs}",
            self.peak, self.cap
        )
    }
}

/// Which start of a call an answer belongs to, so that answers are judged by round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ticket(u64);

/// How an answer bears on the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Signal {
    /// An answer that says nothing of the platform's load (2xx, 4xx but 429, a 5xx but 503).
    Clean,
    /// 429 or 503: the platform is overwhelmed.
    Congested,
    /// No answer at all (the network): says nothing of load, and is not counted.
    Silent,
}

impl Signal {
    pub fn of_status(status: u16) -> Self {
        match status {
            429 | 503 => Signal::Congested,
            _ => Signal::Clean,
        }
    }
}

/// The congestion window of one connection.
#[derive(Debug, Clone)]
pub struct Window {
    cap: usize,
    protocol: Option<Protocol>,
    /// Calls allowed in flight, fractional so that shrinking by a twelfth is not rounded up to
    /// a whole call (which would wear a small window down at every failure).
    size: f64,
    /// Below it the window grows by one per clean answer (slow start); from it on, by one per
    /// full window of clean answers, counted in `credits`.
    threshold: f64,
    credits: usize,
    in_flight: usize,
    peak: usize,
    backoffs: u32,
    issued: u64,
    /// The round trip being answered began when this many calls had been issued; it ends with
    /// the first answer to a call issued after that, when every call of the round has had about
    /// a round trip to answer.
    round_began: u64,
    round_answers: usize,
    round_congested: usize,
}

impl Window {
    /// A window of at most `cap` calls (at least one), starting where HTTP/1.1 is safe.
    pub fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        Self {
            cap,
            protocol: None,
            size: HTTP1_CONNECTIONS.min(cap) as f64,
            threshold: f64::INFINITY,
            credits: 0,
            in_flight: 0,
            peak: 0,
            backoffs: 0,
            issued: 0,
            round_began: 0,
            round_answers: 0,
            round_congested: 0,
        }
    }

    /// How many calls may be in flight now.
    pub fn limit(&self) -> usize {
        (self.size as usize).clamp(1, self.ceiling())
    }

    /// The most the window may grow to on this connection.
    fn ceiling(&self) -> usize {
        match self.protocol {
            Some(protocol) if protocol.multiplexes() => self.cap,
            _ => self.cap.min(HTTP1_CONNECTIONS),
        }
    }

    pub fn protocol(&self) -> Option<Protocol> {
        self.protocol
    }

    /// Learns the connection's protocol (once known, a later different answer wins: a
    /// platform behind a new load balancer).
    pub fn learn(&mut self, protocol: Protocol) {
        self.protocol = Some(protocol);
        let untried = self.backoffs == 0;
        if protocol.multiplexes() && untried {
            self.size = self.size.max(MULTIPLEXED_START as f64);
        }
        self.size = self.size.min(self.ceiling() as f64);
    }

    /// A call goes out.
    pub fn start(&mut self) -> Ticket {
        self.issued += 1;
        self.in_flight += 1;
        self.peak = self.peak.max(self.in_flight);
        Ticket(self.issued)
    }

    /// The call of `ticket` ended with `signal`.
    pub fn finish(&mut self, ticket: Ticket, signal: Signal) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if ticket.0 > self.round_began {
            self.end_round();
        }
        match signal {
            Signal::Silent => {}
            Signal::Congested => {
                self.round_answers += 1;
                self.round_congested += 1;
                // The first sign of congestion ends slow start.
                self.threshold = self.threshold.min(self.size);
            }
            Signal::Clean => {
                self.round_answers += 1;
                self.grow_on_clean_answer();
            }
        }
    }

    /// Shrinks the window by half the share of the round's answers that were 429 or 503.
    fn end_round(&mut self) {
        if self.round_congested > 0 {
            let share = self.round_congested as f64 / self.round_answers as f64;
            self.size = (self.size * (1.0 - share / 2.0)).max(1.0);
            self.threshold = self.size;
            self.backoffs += 1;
        }
        self.round_began = self.issued;
        self.round_answers = 0;
        self.round_congested = 0;
    }

    fn grow_on_clean_answer(&mut self) {
        if self.size < self.threshold {
            self.grow();
            return;
        }
        self.credits += 1;
        if self.credits >= self.limit() {
            self.credits = 0;
            self.grow();
        }
    }

    fn grow(&mut self) {
        self.size = (self.size + 1.0).min(self.ceiling() as f64);
    }

    pub fn record(&self) -> ConcurrencyRecord {
        ConcurrencyRecord {
            protocol: self.protocol,
            cap: self.cap,
            peak: self.peak,
            backoffs: self.backoffs,
        }
    }
}

crate::deserialize_from_json!(ConcurrencyRecord);

impl crate::json::FromJson for Protocol {
    fn from_json(value: &Value) -> crate::json::Read<Self> {
        value
            .as_str()
            .and_then(Protocol::from_alpn)
            .ok_or("unknown protocol")
    }
}

impl crate::json::FromJson for ConcurrencyRecord {
    fn from_json(value: &Value) -> crate::json::Read<Self> {
        let fields = crate::json::Fields::of(value)?;
        Ok(ConcurrencyRecord {
            protocol: fields.opt("protocol")?,
            cap: fields.req("cap")?,
            peak: fields.req("peak")?,
            backoffs: fields.req("backoffs")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One round trip: `clean + congested` calls started together, the congested ones answered
    /// first.
    fn round(window: &mut Window, clean: usize, congested: usize) {
        let tickets: Vec<Ticket> = (0..clean + congested).map(|_| window.start()).collect();
        for (n, ticket) in tickets.into_iter().enumerate() {
            let signal = match n < congested {
                true => Signal::Congested,
                false => Signal::Clean,
            };
            window.finish(ticket, signal);
        }
    }

    /// Ends the round trip being answered (the next call's answer does; a silent one counts for
    /// nothing else), so its verdict shows.
    fn judge(window: &mut Window) {
        let ticket = window.start();
        window.finish(ticket, Signal::Silent);
    }

    #[test]
    fn http1_stays_at_six_whatever_the_answers() {
        let mut window = Window::new(DEFAULT_CAP);
        assert_eq!(window.limit(), 6, "unknown protocol: as HTTP/1.1");
        window.learn(Protocol::Http1);
        for _ in 0..20 {
            let limit = window.limit();
            round(&mut window, limit, 0);
        }
        assert_eq!(window.limit(), 6);
        assert_eq!(window.record().peak, 6);
    }

    #[test]
    fn http2_starts_wider_and_doubles_each_round_trip_up_to_the_cap() {
        let mut window = Window::new(DEFAULT_CAP);
        let mut limits = vec![window.limit()];
        // The first answer says HTTP/2.
        round(&mut window, 1, 0);
        window.learn(Protocol::Http2);
        for _ in 0..3 {
            let limit = window.limit();
            limits.push(limit);
            round(&mut window, limit, 0);
        }
        assert_eq!(limits, vec![6, 32, 64, 64]);
        assert_eq!(window.limit(), 64, "never past the cap");
        let mut capped = Window::new(20);
        capped.learn(Protocol::Http2);
        assert_eq!(
            capped.limit(),
            20,
            "under a lower cap, it starts at the cap"
        );
    }

    #[test]
    fn a_round_of_429s_halves_the_window_once_then_it_grows_additively() {
        let mut window = Window::new(DEFAULT_CAP);
        window.learn(Protocol::Http2);
        round(&mut window, 0, 32);
        judge(&mut window);
        assert_eq!(window.limit(), 16, "32 answers of one round: one halving");
        assert_eq!(window.record().backoffs, 1);
        // Congestion avoidance: one call more per full window of clean answers.
        round(&mut window, 16, 0);
        assert_eq!(window.limit(), 17);
        round(&mut window, 17, 0);
        assert_eq!(window.limit(), 18);
        // Learning the protocol again does not undo what the platform said.
        window.learn(Protocol::Http2);
        assert_eq!(window.limit(), 18);
    }

    #[test]
    fn the_window_shrinks_in_proportion_to_the_share_of_429s_and_503s() {
        let mut window = Window::new(DEFAULT_CAP);
        window.learn(Protocol::Http2);
        round(&mut window, 24, 8);
        judge(&mut window);
        assert_eq!(
            window.limit(),
            28,
            "a quarter said overwhelmed: an eighth less"
        );
        // A platform that fails one call in six now and then keeps most of the window.
        let mut flaky = Window::new(DEFAULT_CAP);
        flaky.learn(Protocol::Http1);
        round(&mut flaky, 5, 1);
        judge(&mut flaky);
        assert_eq!(flaky.limit(), 5);
        round(&mut flaky, 5, 0);
        assert_eq!(flaky.limit(), 6, "and grows back in a round trip");
    }

    #[test]
    fn a_platform_failing_now_and_then_does_not_wear_the_window_down() {
        let mut window = Window::new(DEFAULT_CAP);
        window.learn(Protocol::Http1);
        let mut smallest = window.limit();
        // One answer of every round trip is a 503.
        for _ in 0..40 {
            let limit = window.limit();
            round(&mut window, limit - 1, 1);
            smallest = smallest.min(window.limit());
        }
        assert!(smallest >= 5, "{smallest}");
    }

    #[test]
    fn never_below_one_call() {
        let mut window = Window::new(DEFAULT_CAP);
        for _ in 0..10 {
            round(&mut window, 0, 1);
        }
        judge(&mut window);
        assert_eq!(window.limit(), 1);
        assert_eq!(window.record().backoffs, 10);
    }

    #[test]
    fn the_admins_cap_bounds_even_http2() {
        let mut window = Window::new(3);
        window.learn(Protocol::Http2);
        for _ in 0..5 {
            let limit = window.limit();
            round(&mut window, limit, 0);
        }
        assert_eq!(window.limit(), 3);
        assert_eq!(Window::new(0).limit(), 1, "a cap of zero still runs");
    }

    #[test]
    fn silence_and_ordinary_errors_do_not_shrink_the_window() {
        let mut window = Window::new(DEFAULT_CAP);
        window.learn(Protocol::Http2);
        for _ in 0..6 {
            judge(&mut window);
        }
        assert_eq!(window.limit(), 32);
        let tickets: Vec<Ticket> = (0..6).map(|_| window.start()).collect();
        for ticket in tickets {
            window.finish(ticket, Signal::of_status(500));
        }
        judge(&mut window);
        assert_eq!(window.limit(), 38, "a 500 is not the platform's load");
        assert_eq!(window.record().backoffs, 0);
    }

    #[test]
    fn alpn_names_are_read() {
        assert_eq!(Protocol::from_alpn("h2"), Some(Protocol::Http2));
        assert_eq!(Protocol::from_alpn("http/1.1"), Some(Protocol::Http1));
        assert_eq!(Protocol::from_alpn("h3-29"), Some(Protocol::Http3));
        assert_eq!(Protocol::from_alpn(""), None);
    }

    #[test]
    fn records_of_a_resumed_run_add_up() {
        let first = ConcurrencyRecord {
            protocol: Some(Protocol::Http2),
            cap: 64,
            peak: 48,
            backoffs: 1,
        };
        let second = ConcurrencyRecord {
            protocol: None,
            cap: 32,
            peak: 12,
            backoffs: 2,
        };
        let both = first.then(second);
        assert_eq!(both.peak, 48);
        assert_eq!(both.backoffs, 3);
        assert_eq!(both.protocol, Some(Protocol::Http2));
        assert_eq!(
            both.describe(),
            "up to 48 at once over HTTP/2 (cap 32); backed off 3 times on 429/503"
        );
    }
}
