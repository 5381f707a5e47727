//! One module per screen.

pub mod connect;
