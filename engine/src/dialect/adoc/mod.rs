//! Acceldata ADOC: the calls of the "Offboard a User" runbook ([`calls`]), and [`Adoc`], their
//! [`super::DialectApi`] (in `api`) with the runbook's steps for each kind of run (in `plans`).

mod api;
mod calls;
mod plans;

pub use calls::*;

/// The ADOC dialect.
pub struct Adoc;
