//! Offboard's engine: everything about offboarding that is not a screen.
//!
//! It is pure Rust with no DOM, so it is tested natively. The browser app renders its state; the
//! reference server shares [`policy`] with it so that the rule the UI shows is the rule the server
//! enforces.

pub mod audit;
pub mod bulk;
pub mod client;
pub mod congestion;
pub mod credentials;
pub mod dialect;
pub mod error;
pub mod http;
pub mod json;
pub mod lenient;
pub mod model;
pub mod platform;
pub mod policy;
pub mod run;
pub mod snapshot;
pub mod time;
pub mod words;
