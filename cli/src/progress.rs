//! What a person watching the run (or a job's log) reads on stderr, and the journal file kept
//! up to date: both happen at each change the runner records.
//!
//! One line when a step starts and one when it ends; while a long step runs, a line at most
//! every [`EVERY`] with its count so far (a 200-key lockout changes the journal 400 times).

use crate::journal_file::JournalFile;
use offboard_engine::run::journal::{Journal, StepStatus};
use offboard_engine::run::report;
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

const EVERY: Duration = Duration::from_secs(1);

pub struct Progress<'a> {
    journal: &'a RefCell<Journal>,
    file: Option<&'a JournalFile>,
    /// Put before each line ("user-123: "), where several people's runs print at once.
    prefix: String,
    /// Each step's status as last printed.
    shown: RefCell<Vec<Option<StepStatus>>>,
    last_count_line: Cell<Instant>,
    /// Set once the journal file could not be written (said once, the run goes on).
    unsaved: Cell<bool>,
}

impl<'a> Progress<'a> {
    pub fn new(
        journal: &'a RefCell<Journal>,
        file: Option<&'a JournalFile>,
        who: Option<&str>,
    ) -> Self {
        let steps = journal.borrow().steps.len();
        Self {
            journal,
            file,
            prefix: who.map_or_else(String::new, |who| format!("{who}: ")),
            shown: RefCell::new(vec![None; steps]),
            last_count_line: Cell::new(Instant::now()),
            unsaved: Cell::new(false),
        }
    }

    /// The runner recorded a change: keep the journal and say what is new.
    pub fn changed(&self) {
        let journal = self.journal.borrow();
        self.save(&journal);
        let mut shown = self.shown.borrow_mut();
        shown.resize(journal.steps.len(), None);
        let count = journal.steps.len();
        for (index, state) in journal.steps.iter().enumerate() {
            if shown[index].as_ref() == Some(&state.status) {
                continue;
            }
            let title = &journal.plan.steps[index].title;
            let done = || report::progress(&journal, index).describe();
            let seconds = match (state.started_at_ms, state.finished_at_ms) {
                (Some(start), Some(end)) => format!(" ({})", took(end - start)),
                _ => String::new(),
            };
            match &state.status {
                StepStatus::Pending => {}
                StepStatus::Running => eprintln!("{}[{}/{count}] {title}…", self.prefix, index + 1),
                StepStatus::Done => {
                    eprintln!("{}      done{seconds}{}", self.prefix, detail(done()))
                }
                StepStatus::Failed { summary } => {
                    eprintln!("{}      failed{seconds}: {summary}", self.prefix)
                }
                StepStatus::Skipped { reason } => {
                    eprintln!(
                        "{}[{}/{count}] {title}: skipped: {reason}",
                        self.prefix,
                        index + 1
                    )
                }
            }
            shown[index] = Some(state.status.clone());
        }
        let running = journal
            .steps
            .iter()
            .position(|step| step.status == StepStatus::Running);
        if let Some(index) = running
            && self.last_count_line.get().elapsed() >= EVERY
        {
            self.last_count_line.set(Instant::now());
            let so_far = report::progress(&journal, index).describe();
            if !so_far.is_empty() {
                eprintln!("{}      … {so_far}", self.prefix);
            }
        }
    }

    fn save(&self, journal: &Journal) {
        let Some(file) = self.file else { return };
        if let Err(error) = file.save(journal)
            && !self.unsaved.replace(true)
        {
            eprintln!("offboard: warning: {error}; the run goes on, but could not be resumed");
        }
    }
}

/// "40 ms", "1.3 s".
fn took(ms: f64) -> String {
    match ms < 1000.0 {
        true => format!("{} ms", ms.round()),
        false => format!("{:.1} s", ms / 1000.0),
    }
}

/// ": 200/200 keys revoked", or nothing for a step that only read.
fn detail(described: String) -> String {
    match described.is_empty() {
        true => String::new(),
        false => format!(": {described}"),
    }
}
