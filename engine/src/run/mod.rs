//! Offboarding runs: plans (what will happen), the runner (doing it, a few calls at a time),
//! the journal (what happened, resumable), verification and the report.

pub mod across;
pub mod document;
pub mod edit;
pub mod evidence;
pub mod execute;
pub mod history;
pub mod journal;
pub mod plan;
pub mod report;
pub mod verdict;
pub mod verify;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;
