//! Server functions: the only API the pages use. Each authorises its caller, calls a service
//! and returns a DTO. Endpoints are listed in docs/API.md.

pub mod auth;
pub mod dpo;
pub mod nmo;
pub mod pfdo;
pub mod pfdo_activity;
pub mod pfdo_operator;
pub mod plan;
pub mod profile;
pub mod provider;
pub mod providers;
pub mod support;
