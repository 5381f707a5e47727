//! The queries, one module per kind of record, shared by both dialects (which differ only in
//! how they show the records). Every function takes `&mut AnyConnection`: a pooled connection
//! for reads, the writer's connection for changes.

pub mod access;
pub mod keys;
pub mod pipelines;
pub mod users;
