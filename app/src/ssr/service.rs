//! Business operations: each one a transaction over the repositories, mail included.

pub mod auth;
pub mod nmo;
pub mod profile;
pub mod support;
