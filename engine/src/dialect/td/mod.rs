//! Treasure Data: the v3 user API of the "Deleting Users" runbook ([`calls`]), and [`Td`], their
//! [`super::DialectApi`] (in `api`) with the runbook's steps for each kind of run (in `plans`).

mod api;
mod calls;
mod plans;

pub use calls::*;

/// The Treasure Data dialect.
pub struct Td;
