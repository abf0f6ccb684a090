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

/// The server functions that change something: a call to one of them that carries an
/// `Idempotency-Key` header is done once, however often it is retried (see
/// `ssr::service::idempotency`). Reads are left out: they are safe to repeat and keying them
/// would write to the database on every page.
pub const STATE_CHANGING: &[&str] = &[
    "/api/auth/register_specialist",
    "/api/auth/register_teacher",
    "/api/auth/confirm_registration",
    "/api/auth/forgot_password",
    "/api/dpo/apply",
    "/api/dpo/withdraw",
    "/api/dpo/notifications/read",
    "/api/dpo/school/approve",
    "/api/dpo/school/reject",
    "/api/dpo/provider/group",
    "/api/dpo/provider/enrol",
    "/api/dpo/provider/complete",
    "/api/nmo/accept_agreement",
    "/api/nmo/set_levels",
    "/api/nmo/add_organisation",
    "/api/nmo/add_document",
    "/api/nmo/choose_cycle",
    "/api/nmo/review_organisation",
    "/api/pfdo/apply",
    "/api/pfdo/cancel",
    "/api/pfdo/rate",
    "/api/pfdo/provider/act",
    "/api/pfdo/provider/apply",
    "/api/pfdo/provider/achievement",
    "/api/pfdo/provider/events/create",
    "/api/pfdo/events/apply",
    "/api/pfdo/events/cancel",
    "/api/pfdo/portfolio/add",
    "/api/pfdo/portfolio/remove",
    "/api/pfdo/news/publish",
    "/api/pfdo/settings/contacts",
    "/api/pfdo/settings/confirm",
    "/api/pfdo/settings/consent",
    "/api/pfdo/settings/merge",
    "/api/pfdo/settings/email",
    "/api/pfdo/settings/password",
    "/api/pfdo/operator/issue",
    "/api/pfdo/operator/activate",
    "/api/pfdo/operator/limit",
    "/api/pfdo/operator/nominal",
    "/api/pfdo/operator/category",
    "/api/pfdo/operator/admit",
    "/api/pfdo/operator/organisation",
    "/api/pfdo/operator/programme",
    "/api/plan/include",
    "/api/plan/remove",
    "/api/plan/submit_test",
    "/api/plan/activate_code",
    "/api/plan/apply",
    "/api/plan/withdraw",
    "/api/profile/update_contacts",
    "/api/profile/change_email",
    "/api/profile/confirm_email",
    "/api/profile/change_password",
    "/api/provider/issue_codes",
    "/api/provider/review_activation",
    "/api/provider/set_published",
    "/api/provider/advance_application",
    "/api/provider/save_element",
    "/api/providers/apply",
    "/api/providers/review",
    "/api/support/create_ticket",
    "/api/support/answer_ticket",
];

/// Calls after which pages kept for offline reading belong to someone else or show another
/// child: the service worker forgets them (`x-kabinet-purge`).
pub const PURGE_OFFLINE_AFTER: &[&str] =
    &["/api/auth/login", "/api/auth/logout", "/api/pfdo/switch"];
