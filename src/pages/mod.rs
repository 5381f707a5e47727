//! One module per screen.

pub mod bulk;
pub mod connect;
pub mod directory;
pub mod emergency;
pub mod run_report;
pub mod runs;
pub mod user;
pub mod wizard;
