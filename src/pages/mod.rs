//! One module per screen.

pub mod connect;
pub mod directory;
pub mod user;
pub mod wizard;
