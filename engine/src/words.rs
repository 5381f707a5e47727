//! Counted nouns in plain English, in one place: "1 group", "3 groups", "Both checks passed".
//! Screens, evidence and reports all count through here, so they never say "1 groups" or
//! "group(s)".

/// `count(1, "group")` → `"1 group"`, `count(3, "group")` → `"3 groups"`.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", noun_for(n, noun))
}

/// The noun's form for `n` of it: regular English plurals, plus the few irregular nouns
/// Offboard counts ("membership" is regular; "key" is regular; "person" is not).
pub fn noun_for(n: usize, noun: &str) -> String {
    if n == 1 {
        return noun.to_string();
    }
    match noun {
        "person" => "people".to_string(),
        _ if noun.ends_with('s') || noun.ends_with("sh") || noun.ends_with("ch") => {
            format!("{noun}es")
        }
        _ if noun.ends_with('y') && !noun.ends_with("ey") && !noun.ends_with("ay") => {
            format!("{}ies", &noun[..noun.len() - 1])
        }
        _ => format!("{noun}s"),
    }
}

/// A duration in words: `3 s`, `4 min 12 s`, `1 h 5 min`; whole units, without float
/// formatting (which costs the wasm 10 kB).
pub fn duration(ms: f64) -> String {
    let seconds = (ms.max(0.0) / 1000.0).round() as u64;
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 && s % 60 == 0 => format!("{} min", s / 60),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s if s % 3600 < 60 => format!("{} h", s / 3600),
        s => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// "The check passed." / "Both checks passed." / "All 5 checks passed."
pub fn all_checks_passed(n: usize) -> String {
    match n {
        0 => "No check was made.".to_string(),
        1 => "The check passed.".to_string(),
        2 => "Both checks passed.".to_string(),
        n => format!("All {n} checks passed."),
    }
}

/// `["a", "b", "c"]` → `"a, b and c"`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(count(1, "group"), "1 group");
        assert_eq!(count(0, "group"), "0 groups");
        assert_eq!(count(2, "API key"), "2 API keys");
        assert_eq!(count(3, "permission"), "3 permissions");
        assert_eq!(count(2, "policy"), "2 policies");
        assert_eq!(count(2, "key"), "2 keys");
        assert_eq!(count(2, "person"), "2 people");
        assert_eq!(count(2, "pass"), "2 passes");
    }

    #[test]
    fn check_summaries_read_naturally() {
        assert_eq!(all_checks_passed(1), "The check passed.");
        assert_eq!(all_checks_passed(2), "Both checks passed.");
        assert_eq!(all_checks_passed(5), "All 5 checks passed.");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
