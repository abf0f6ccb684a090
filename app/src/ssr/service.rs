//! Business operations: each one a transaction over the repositories, mail included.

pub mod auth;
pub mod nmo;
pub mod plan;
pub mod profile;
pub mod provider;
pub mod support;
