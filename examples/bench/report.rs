//! Plain-text report helpers: aligned tables, number formats, summary statistics and the date.
//!
//! Kept dependency-free (no chrono, no table crate) so the bench adds nothing to the lock file.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A table printed with aligned columns: text columns (the first `left` ones) left-aligned, the
/// others right-aligned, since they hold numbers.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    left: usize,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            left: 1,
        }
    }

    /// Left-aligns the first `columns` columns instead of only the first.
    pub fn left(mut self, columns: usize) -> Self {
        self.left = columns;
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Prints the table, each line indented by `indent` spaces.
    pub fn print(&self, indent: usize) {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let pad = " ".repeat(indent);
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                let fill = " ".repeat(width - cell.chars().count());
                if i > 0 {
                    out.push_str("   ");
                }
                if i < self.left {
                    out.push_str(cell);
                    out.push_str(&fill);
                } else {
                    out.push_str(&fill);
                    out.push_str(cell);
                }
            }
            out.trim_end().to_string()
        };
        println!("{pad}{}", line(&self.headers));
        let rule: usize = widths.iter().sum::<usize>() + 3 * (columns - 1);
        println!("{pad}{}", "-".repeat(rule));
        for row in &self.rows {
            println!("{pad}{}", line(row));
        }
    }
}

/// `12345678` → `12,345,678`, the way the app prints counts.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn ms(value: f64) -> String {
    format!("{value:.1} ms")
}

pub fn secs(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

pub fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

/// Median, 95th percentile (nearest rank) and maximum of a sample.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

impl Stats {
    /// `None` for an empty sample: there is no figure to print then.
    pub fn of(values: &[f64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        // Nearest rank: the smallest value with at least 95 % of the sample at or below it.
        let rank = ((0.95 * n as f64).ceil() as usize).clamp(1, n);
        Some(Stats {
            median,
            p95: sorted[rank - 1],
            max: sorted[n - 1],
        })
    }
}

/// The current UTC date and time as `YYYY-MM-DD HH:MM UTC`, computed from the Unix clock
/// (Howard Hinnant's civil-from-days) so the bench needs no date crate.
pub fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        of_day / 3_600,
        of_day % 3_600 / 60
    )
}
