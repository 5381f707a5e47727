//! `--at`: waiting until the departure time, for a job runner that starts the command early
//! (an HR system's scheduled job, `systemd-run --on-calendar`, a CI pipeline).

use offboard_engine::time::rfc3339;
use time::OffsetDateTime;

/// Returns at `at`; at once, with a note, when `at` is past.
pub async fn wait_until(at: OffsetDateTime) {
    let wait = at - OffsetDateTime::now_utc();
    let when = rfc3339(at.unix_timestamp_nanos() as f64 / 1e6);
    if !wait.is_positive() {
        eprintln!("offboard: {when} has passed: starting now");
        return;
    }
    eprintln!(
        "offboard: waiting until {when} ({}) to start; the credentials are checked",
        in_words(wait.whole_seconds())
    );
    tokio::time::sleep(wait.unsigned_abs()).await;
}

/// "in 2 h 05 min", "in 40 s".
fn in_words(seconds: i64) -> String {
    match seconds {
        ..60 => format!("in {} s", seconds.max(1)),
        60..3600 => format!("in {} min", (seconds + 59) / 60),
        _ => format!("in {} h {:02} min", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::in_words;

    #[test]
    fn waits_are_said_in_words() {
        assert_eq!(in_words(0), "in 1 s");
        assert_eq!(in_words(40), "in 40 s");
        assert_eq!(in_words(61), "in 2 min");
        assert_eq!(in_words(7500), "in 2 h 05 min");
    }
}
