//! Wall-clock time as the wire and the database carry it: RFC 3339 UTC with whole seconds.
//!
//! Storing times as such strings (not native timestamp types) lets the `sqlx::any` driver decode
//! them the same way on SQLite and PostgreSQL, and with one fixed width and a `Z` suffix they
//! also sort correctly as text.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Now, e.g. `2024-12-05T09:30:00Z`.
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

/// Formats `at` in UTC with whole seconds.
pub fn format(at: OffsetDateTime) -> String {
    let at = at
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at);
    // Formatting a valid UTC date-time as RFC 3339 only fails for years outside 0..=9999.
    at.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// Whether the RFC 3339 time `at` is in the past. Unparseable times count as past, so a corrupt
/// expiry date refuses a key rather than letting it live forever.
pub fn is_past(at: &str) -> bool {
    match OffsetDateTime::parse(at, &Rfc3339) {
        Ok(at) => at <= OffsetDateTime::now_utc(),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_whole_seconds_in_utc() {
        let at = OffsetDateTime::from_unix_timestamp(1_733_391_000).expect("valid");
        assert_eq!(format(at), "2024-12-05T09:30:00Z");
        assert_eq!(now().len(), "2024-12-05T09:30:00Z".len());
    }

    #[test]
    fn past_and_future() {
        assert!(is_past("2000-01-01T00:00:00Z"));
        assert!(!is_past("2999-01-01T00:00:00Z"));
        assert!(is_past("not a time"));
    }
}
