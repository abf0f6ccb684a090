//! One routed page per file.

pub mod admin_organisations;
pub mod admin_providers;
pub mod admin_support;
pub mod cabinet;
pub mod confirm;
pub mod dpo;
pub mod forgot;
pub mod home;
pub mod login;
pub mod nmo;
pub mod not_found;
pub mod operator;
pub mod operator_registries;
pub mod pfdo;
pub mod profile;
pub mod provider;
pub mod provider_apply;
pub mod provider_dpo;
pub mod provider_editor;
pub mod provider_pfdo;
pub mod provider_pfdo_events;
pub mod register;
pub mod support;
