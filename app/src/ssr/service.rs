//! Business operations: each one a transaction over the repositories, mail included.

pub mod auth;
pub mod dpo;
pub mod editor;
pub mod idempotency;
pub mod nmo;
pub mod notifications;
pub mod onboarding;
pub mod pfdo;
pub mod plan;
pub mod portfolio;
pub mod profile;
pub mod programme;
pub mod provider;
pub mod support;
