//! Small formatting helpers for numbers and times shown on screen.

/// `10000` → `"10,000"`.
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
    fn times_are_shortened() {
        assert_eq!(short_time("2024-12-04T17:12:00Z"), "2024-12-04 17:12");
        assert_eq!(short_time("2024-12-04"), "2024-12-04");
        assert_eq!(short_time(""), "—");
    }
}
