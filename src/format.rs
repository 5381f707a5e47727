//! Every number, duration and time shown on screen is written by one function here, so the
//! same quantity reads the same on every screen and in every report.

use offboard_engine::model::Dialect;
use offboard_engine::platform::Capability;
use offboard_engine::time::rfc3339;
use offboard_engine::words;

/// `10000` → `"10,000"`.
/// What a person holds, as confirmations list it: "2 API keys · 3 groups", or only the keys
/// where the platform has no groups.
pub fn access_counts(dialect: Dialect, keys: usize, groups: usize) -> String {
    match dialect.offers(Capability::Groups) {
        true => format!(
            "{} · {}",
            words::count(keys, "API key"),
            words::count(groups, "group")
        ),
        false => words::count(keys, "API key"),
    }
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `12.4` → `"12 ms"`; `840.2` → `"840 ms"`; `1523.0` → `"1.52 s"`. Integer arithmetic only: float
/// formatting would add 10 kB to the wasm for three labels.
pub fn milliseconds(ms: f64) -> String {
    let ms = ms.max(0.0).round() as u64;
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        let hundredths = (ms + 5) / 10;
        format!("{}.{:02} s", hundredths / 100, hundredths % 100)
    }
}

/// `75_000` → `"1:15"`; hours when there are any (`"1:02:03"`): a countdown or a running clock.
pub fn stopwatch(ms: f64) -> String {
    let seconds = (ms.max(0.0) / 1000.0).floor() as u64;
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A duration in words: `3 s`, `4 min 12 s`, `1 h 5 min` (the engine's, so screens and
/// reports say it alike).
pub use offboard_engine::words::duration as duration_words;

/// Epoch ms as `2024-12-05 09:30:00 UTC`: a moment a report or notice states in full.
pub fn utc(epoch_ms: f64) -> String {
    rfc3339(epoch_ms).replace('T', " ").replace('Z', " UTC")
}

/// Epoch ms as `09:30:00` (UTC), where the date is stated nearby (a timeline's time column).
pub fn utc_clock(epoch_ms: f64) -> String {
    rfc3339(epoch_ms)
        .get(11..19)
        .unwrap_or_default()
        .to_string()
}

/// Epoch ms as `09:30:00` in the browser's time zone: when something will happen, for the
/// person watching the page.
pub fn local_clock(epoch_ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch_ms));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

/// An RFC 3339 time as `2024-12-04 17:12` (UTC, as the platform sent it); `—` when absent.
pub fn short_time(rfc3339: &str) -> String {
    if rfc3339.is_empty() {
        return "—".to_string();
    }
    let (date, rest) = rfc3339.split_once('T').unwrap_or((rfc3339, ""));
    let hours_minutes: String = rest.chars().take(5).collect();
    if hours_minutes.len() == 5 {
        format!("{date} {hours_minutes}")
    } else {
        date.to_string()
    }
}

/// Now, as an RFC 3339 UTC string (from the browser's clock).
pub fn now_rfc3339() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    // Drop the milliseconds: `2024-12-05T09:30:00.123Z` → `2024-12-05T09:30:00Z`.
    match iso.split_once('.') {
        Some((seconds, _)) => format!("{seconds}Z"),
        None => iso,
    }
}

/// Today's date (`2024-12-05`) in the browser's time zone: the runbook's `offboardDate`.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(milliseconds(12.4), "12 ms");
        assert_eq!(milliseconds(999.4), "999 ms");
        assert_eq!(milliseconds(1523.0), "1.52 s");
        assert_eq!(milliseconds(60_000.0), "60.00 s");
    }

    #[test]
    fn clocks_and_words() {
        assert_eq!(stopwatch(0.0), "0:00");
        assert_eq!(stopwatch(75_000.0), "1:15");
        assert_eq!(stopwatch(3_600_000.0), "1:00:00");
        assert_eq!(stopwatch(-5.0), "0:00");
        assert_eq!(duration_words(3_200.0), "3 s");
        assert_eq!(duration_words(252_000.0), "4 min 12 s");
        assert_eq!(duration_words(3_900_000.0), "1 h 5 min");
        assert_eq!(duration_words(300_000.0), "5 min");
        assert_eq!(duration_words(3_600_000.0), "1 h");
    }

    #[test]
    fn moments_in_utc() {
        // 2024-12-05T09:30:00Z
        let at = 1_733_391_000_000.0;
        assert_eq!(utc(at), "2024-12-05 09:30:00 UTC");
        assert_eq!(utc_clock(at), "09:30:00");
    }

    #[test]
    fn times_are_shortened() {
        assert_eq!(short_time("2024-12-04T17:12:00Z"), "2024-12-04 17:12");
        assert_eq!(short_time("2024-12-04"), "2024-12-04");
        assert_eq!(short_time(""), "—");
    }
}
