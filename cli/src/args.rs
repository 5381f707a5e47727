//! The command line as `offboard --help` shows it, and the checks of each value that need
//! nothing but the value itself (a date, a key option); what needs the platform is checked in
//! `offboarding`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use offboard_engine::dialect::{Dialect, KeyDisposal};
use std::path::PathBuf;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Parser)]
#[command(
    name = "offboard",
    version,
    about = "Takes a departing person's access away from an ADOC or Treasure Data platform, and proves it.",
    after_help = "Credentials come from the environment (OFFBOARD_ACCESS_KEY and OFFBOARD_SECRET_KEY for ADOC, \
OFFBOARD_API_KEY for Treasure Data) or from --credentials-file, never from the command line.\n\n\
Exit status: 0 access removed and verified (or the plan printed); 1 the run ended without that proof \
(the report says what is left); 2 bad input; 3 the run could not start (platform unreachable, \
credentials refused, person not found, or the rules forbid it)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Reads the person and prints every call a run would make now; changes nothing.
    Plan(Target),
    /// Offboards the person, verifies, and writes the report (JSON) to stdout or --report.
    Run(Run),
    /// Offboards everyone a CSV names, a few at a time, after checking every row; one result
    /// line per person (CSV) on stdout or --result.
    Bulk(Bulk),
}

/// `offboard bulk`: the CSV's columns are `email` or `user_id`, and optionally `reason`,
/// `handed_off_to`, `mode` (disable, emergency, delete) and `api_keys` (delete, reassign:EMAIL).
#[derive(Debug, Args)]
pub struct Bulk {
    #[command(flatten)]
    pub platform: PlatformArgs,
    /// The CSV of people to offboard, one per row.
    #[arg(long)]
    pub csv: PathBuf,
    /// Check every row and print what each would do; changes nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Keep each person's journal here, and continue the unfinished ones: the same command
    /// started again after a kill does nothing twice. Each person's report is written here too.
    #[arg(long, required_unless_present = "dry_run")]
    pub journal_dir: Option<PathBuf>,
    /// Write the result (one line per person, CSV) here instead of stdout.
    #[arg(long)]
    pub result: Option<PathBuf>,
    /// How many people are offboarded at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub people_at_once: u16,
    /// The departure date recorded for mode disable, YYYY-MM-DD; today (UTC) if not given.
    #[arg(long, value_parser = departure_date)]
    pub date: Option<String>,
    /// Reassign keys to someone with a stronger role than their owner's (the keys gain it).
    #[arg(long)]
    pub accept_key_escalation: bool,
}

impl Bulk {
    /// The single-person options one row runs with.
    pub fn target(&self, user: &str, mode: Mode) -> Target {
        Target {
            platform: self.platform.clone(),
            user: user.to_string(),
            mode,
            keys: None,
            replacement: None,
            reason: None,
            date: self.date.clone(),
            accept_key_escalation: self.accept_key_escalation,
        }
    }
}

/// The platform and how to reach it: what every command shares.
#[derive(Debug, Clone, Args)]
pub struct PlatformArgs {
    /// The platform's API dialect.
    #[arg(long, value_enum)]
    pub dialect: DialectArg,
    /// The platform's base URL, e.g. https://adoc.example.com.
    #[arg(long, value_parser = base_url)]
    pub base_url: String,
    /// A file of NAME=value lines holding the credentials (see below).
    #[arg(long)]
    pub credentials_file: Option<PathBuf>,
    /// The most calls in flight at once (1–256); HTTP/1.1 keeps six whatever this says.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub max_in_flight: u16,
}

/// Who is offboarded, where, and how: what `plan` and `run` share.
#[derive(Debug, Clone, Args)]
pub struct Target {
    #[command(flatten)]
    pub platform: PlatformArgs,
    /// The departing person: user id or email.
    #[arg(long)]
    pub user: String,
    /// What to do: the guided steps of the runbook in order, the emergency lockout, or deleting
    /// the account.
    #[arg(long, value_enum)]
    pub mode: Mode,
    /// What happens to the person's API keys where the platform can keep them (Treasure Data):
    /// `delete` (the default), `reassign` (to the account owner) or `reassign:EMAIL`.
    #[arg(long, value_parser = key_disposal)]
    pub keys: Option<KeyDisposal>,
    /// Who takes over what the person owns (ADOC pipelines), by email. Guided steps only.
    #[arg(long)]
    pub replacement: Option<String>,
    /// Why the person leaves, recorded on the account. Guided steps only (required there).
    #[arg(long)]
    pub reason: Option<String>,
    /// The departure date recorded on the account, YYYY-MM-DD; today (UTC) if not given.
    #[arg(long, value_parser = departure_date)]
    pub date: Option<String>,
    /// Reassign keys to someone with a stronger role than the person's (the keys gain it).
    #[arg(long)]
    pub accept_key_escalation: bool,
}

#[derive(Debug, Args)]
pub struct Run {
    #[command(flatten)]
    pub target: Target,
    /// Start at this time (RFC 3339, e.g. 2026-12-31T17:00:00+01:00); a time past starts at once.
    #[arg(long, value_parser = instant)]
    pub at: Option<OffsetDateTime>,
    /// When the departure was notified (RFC 3339), for the report's clock; the start if not given.
    #[arg(long, value_parser = instant)]
    pub notified_at: Option<OffsetDateTime>,
    /// Print the plan instead of running it (the same as `offboard plan`).
    #[arg(long)]
    pub dry_run: bool,
    /// Keep the run's journal in this file, and continue the unfinished run it holds: a run
    /// killed midway is started again with the same file and does nothing twice.
    #[arg(long)]
    pub journal: Option<PathBuf>,
    /// Write the report here instead of stdout.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    Adoc,
    Td,
}

impl From<DialectArg> for Dialect {
    fn from(dialect: DialectArg) -> Self {
        match dialect {
            DialectArg::Adoc => Dialect::Adoc,
            DialectArg::Td => Dialect::Td,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// The runbook's whole workflow: document, disable, revoke, remove groups, hand over, verify.
    WizardSteps,
    /// The runbook's emergency offboarding: everything at once, then verify.
    Emergency,
    /// Delete the account (its keys deleted or, on Treasure Data, reassigned), then verify.
    Delete,
}

fn base_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    match url.split_once("://") {
        Some(("http" | "https", host)) if !host.is_empty() => Ok(url.to_string()),
        _ => Err("give the platform's address with http:// or https://".into()),
    }
}

fn key_disposal(text: &str) -> Result<KeyDisposal, String> {
    match text.trim() {
        "delete" => Ok(KeyDisposal::Delete),
        "reassign" => Ok(KeyDisposal::Reassign(None)),
        other => match other.strip_prefix("reassign:") {
            Some(email) if email.contains('@') => Ok(KeyDisposal::Reassign(Some(email.into()))),
            _ => Err("use delete, reassign or reassign:EMAIL".into()),
        },
    }
}

fn departure_date(text: &str) -> Result<String, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), format)
        .map(|_| text.trim().to_string())
        .map_err(|_| "give the date as YYYY-MM-DD, e.g. 2026-12-31".into())
}

fn instant(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map_err(|_| "give the time as RFC 3339, e.g. 2026-12-31T17:00:00Z or …+01:00".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_options_read_as_the_engine_takes_them() {
        assert_eq!(key_disposal("delete"), Ok(KeyDisposal::Delete));
        assert_eq!(key_disposal("reassign"), Ok(KeyDisposal::Reassign(None)));
        assert_eq!(
            key_disposal("reassign:a@b.com"),
            Ok(KeyDisposal::Reassign(Some("a@b.com".into())))
        );
        assert!(key_disposal("reassign:").is_err());
        assert!(key_disposal("keep").is_err());
    }

    #[test]
    fn addresses_dates_and_times_are_checked() {
        assert_eq!(base_url("http://x:8080/"), Ok("http://x:8080".into()));
        assert!(base_url("x:8080").is_err());
        assert!(base_url("ftp://x").is_err());
        assert_eq!(departure_date("2026-12-31"), Ok("2026-12-31".into()));
        assert!(departure_date("2026-13-01").is_err());
        assert!(instant("2026-12-31T17:00:00+01:00").is_ok());
        assert!(instant("tomorrow").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
