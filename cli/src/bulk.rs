//! `offboard bulk`: everyone a CSV names, checked first and then offboarded a few at a time.
//!
//! The order is the console's: read the file (a file that is not a list of people stops here),
//! find every person and every replacement on the platform, flag the rows that must not run
//! (the engine's `bulk::preview`), then either print what each row would do (`--dry-run`) or
//! run the rows that may, each with its own journal in `--journal-dir` (so the same command
//! started again continues, doing nothing twice) and its own report beside it. The result is one
//! CSV line per person; the exit status is 0 only when every row was verified.

use crate::args::{Bulk, Mode};
use crate::journal_file::JournalFile;
use crate::offboarding::{Connection, Failure, offboard_one, prepare};
use futures::StreamExt;
use offboard_engine::bulk::{self, BulkMode, BulkRow, RowPreview};
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use offboard_engine::run::journal::Journal;
use offboard_engine::run::report;
use offboard_engine::snapshot::csv;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How many people are looked up at once while checking the file.
const LOOKUPS_AT_ONCE: usize = 8;

pub async fn run(options: &Bulk) -> Result<ExitCode, Failure> {
    let text = std::fs::read_to_string(&options.csv).map_err(|error| {
        Failure::bad_input(format!("cannot read {}: {error}", options.csv.display()))
    })?;
    let rows = bulk::parse(&text)
        .map_err(|why| Failure::bad_input(format!("{}: {why}", options.csv.display())))?;
    let connection = Connection::open(&options.platform).await?;
    let previews = check(&connection, &rows, options.accept_key_escalation).await?;
    let dir = options.journal_dir.clone().unwrap_or_default();
    // A row an earlier run started goes on from its journal whatever the check says now: the
    // person it removed is no longer found, and that is its own doing.
    let continues =
        |preview: &RowPreview| !options.dry_run && journal_path(&dir, &preview.row).is_file();
    for preview in &previews {
        match continues(preview) && !preview.runs() {
            true => eprintln!(
                "line {}  {}  continues from its journal",
                preview.row.line, preview.row.who
            ),
            false => eprintln!("{}", describe(preview)),
        }
    }
    let runnable: Vec<&RowPreview> = previews
        .iter()
        .filter(|p| p.runs() || continues(p))
        .collect();
    let held = previews.len() - runnable.len();
    eprintln!(
        "offboard: {} of {} rows will run{}",
        runnable.len(),
        previews.len(),
        match held {
            0 => String::new(),
            n => format!("; {n} will not (see above)"),
        }
    );
    if options.dry_run {
        for preview in &runnable {
            let target = target_for(options, &preview.row);
            let prepared = prepare(&connection, &target).await?;
            let calls: Vec<_> = prepared
                .plan
                .steps
                .iter()
                .flat_map(|step| step.preview(&prepared.plan))
                .collect();
            let changes = calls.iter().filter(|c| c.method.is_mutating()).count();
            println!(
                "line {}: {} of {}: {} calls, {changes} of them changes",
                preview.row.line,
                prepared.plan.kind.label(),
                preview.row.who,
                calls.len()
            );
        }
        return Ok(exit(held == 0));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|error| Failure::bad_input(format!("cannot use {}: {error}", dir.display())))?;
    let outcomes: Vec<(usize, Result<Journal, Failure>)> =
        futures::stream::iter(runnable.iter().map(|preview| {
            let row = &preview.row;
            let target = target_for(options, row);
            let file = JournalFile::new(&journal_path(&dir, row));
            let connection = &connection;
            async move {
                let journal =
                    offboard_one(connection, &target, Some(&file), None, Some(&row.who)).await;
                (row.line, journal)
            }
        }))
        .buffer_unordered(usize::from(options.people_at_once))
        .collect()
        .await;
    let mut finished: BTreeMap<usize, Result<Journal, Failure>> = outcomes.into_iter().collect();
    let mut lines = vec![
        ["line", "who", "mode", "result", "detail", "report"]
            .map(String::from)
            .to_vec(),
    ];
    let mut all_verified = held == 0;
    for preview in &previews {
        let row = &preview.row;
        let (result, detail, report_file) = match finished.remove(&row.line) {
            None => (
                "not run".to_string(),
                preview
                    .flags
                    .iter()
                    .map(|f| f.describe())
                    .collect::<Vec<_>>()
                    .join(" "),
                String::new(),
            ),
            Some(Err(failure)) => {
                all_verified = false;
                ("did not start".to_string(), failure.message, String::new())
            }
            Some(Ok(journal)) => {
                let verdict = report::verdict(&journal);
                all_verified &= verdict.passed();
                let path = report_path(&dir, row);
                let written = std::fs::write(&path, report::to_json_text(&journal));
                let file = match written {
                    Ok(()) => path.display().to_string(),
                    Err(error) => format!("not written: {error}"),
                };
                (verdict.outcome.word().to_string(), verdict.headline, file)
            }
        };
        lines.push(vec![
            row.line.to_string(),
            row.who.clone(),
            row.mode.as_str().to_string(),
            result,
            detail,
            report_file,
        ]);
    }
    let text = csv(&lines);
    match &options.result {
        Some(path) => std::fs::write(path, &text).map_err(|error| {
            Failure::bad_input(format!("cannot write {}: {error}", path.display()))
        })?,
        None => print!("{text}"),
    }
    Ok(exit(all_verified))
}

/// Finds every person and every replacement, and flags the rows that must not run.
async fn check(
    connection: &Connection,
    rows: &[BulkRow],
    accept_escalation: bool,
) -> Result<Vec<RowPreview>, Failure> {
    let platform = connection.platform();
    let find = |who: String| {
        let platform = &platform;
        async move {
            match platform.find_user(&who).await {
                Ok(user) => Ok((who, Some(user))),
                Err(ApiError::NotFound { .. }) => Ok((who, None)),
                Err(error) => Err(Failure::cannot_start(format!(
                    "cannot look up {who}: {}",
                    error.plain_words()
                ))),
            }
        }
    };
    let wanted = bulk::named(rows);
    let found: BTreeMap<String, Option<User>> = futures::stream::iter(wanted.into_iter().map(find))
        .buffer_unordered(LOOKUPS_AT_ONCE)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let checks = bulk::Checks {
        actor: connection.actor.as_ref(),
        reassigns_keys: connection.dialect.api().reassigns_keys(),
        accept_escalation,
    };
    Ok(bulk::preview_found(rows, &found, &checks))
}

/// The single-person options of one row.
fn target_for(options: &Bulk, row: &BulkRow) -> crate::args::Target {
    let mode = match row.mode {
        BulkMode::Disable => Mode::WizardSteps,
        BulkMode::Emergency => Mode::Emergency,
        BulkMode::Delete => Mode::Delete,
    };
    let mut target = options.target(&row.who, mode);
    target.reason = Some(row.reason.clone()).filter(|r| !r.is_empty());
    target.replacement = row.handed_off_to.clone();
    target.keys = Some(row.keys.clone());
    target
}

/// "line 3  first.last@company.com  disable  ready" or what stops it.
fn describe(preview: &RowPreview) -> String {
    let row = &preview.row;
    let state = match preview.runs() {
        true => "ready".to_string(),
        false => {
            let why: Vec<String> = preview.flags.iter().map(|f| f.describe()).collect();
            format!("will not run: {}", why.join(" "))
        }
    };
    let note = preview
        .note
        .as_ref()
        .map_or_else(String::new, |note| format!(" ({note})"));
    format!(
        "line {}  {}  {}  {state}{note}",
        row.line,
        row.who,
        row.mode.as_str()
    )
}

/// `line-3-first.last@company.com`: the line keeps two rows apart, the person keeps it legible.
fn file_stem(row: &BulkRow) -> String {
    let who: String = row
        .who
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() || "@._-".contains(c) {
            true => c,
            false => '_',
        })
        .collect();
    format!("line-{}-{who}", row.line)
}

fn journal_path(dir: &Path, row: &BulkRow) -> PathBuf {
    dir.join(format!("{}.journal.json", file_stem(row)))
}

fn report_path(dir: &Path, row: &BulkRow) -> PathBuf {
    dir.join(format!("{}.report.json", file_stem(row)))
}

fn exit(all_verified: bool) -> ExitCode {
    match all_verified {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    }
}
