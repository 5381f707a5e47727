//! Shared widgets.

pub mod error_notice;
