//! Shared widgets.

pub mod call_list;
pub mod error_notice;
pub mod no_such_person;
pub mod report_actions;
pub mod request_preview;
pub mod verification;
