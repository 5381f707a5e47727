//! Shared widgets.

pub mod already_offboarded;
pub mod audit_trail;
pub mod awaited;
pub mod call_list;
pub mod elsewhere;
pub mod error_notice;
pub mod evidence;
pub mod key_options;
pub mod modal;
pub mod no_such_person;
pub mod platform_silent;
pub mod report_actions;
pub mod request_preview;
pub mod run_progress;
pub mod verdict;
pub mod verification;
