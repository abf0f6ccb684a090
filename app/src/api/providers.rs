//! Organisations applying to become providers, and the operator's review.

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;
use crate::model::plan::ProviderApplicationView;

/// The public application (multipart: name, contact_person, email, phone, scans — up to three
/// PDF, JPEG or PNG files of at most 10 MB each, the type read from the content).
#[server(prefix = "/api", endpoint = "providers/apply", input = MultipartFormData)]
pub async fn apply_as_provider(data: MultipartData) -> Result<i64, AppError> {
    use crate::ssr::{context, service::onboarding};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    let data = data
        .into_inner()
        .ok_or_else(|| AppError::BadRequest("Ожидалась форма с файлами".into()))?;
    let form = onboarding::read_form(data).await?;
    let id = onboarding::apply(&state.db, &state.settings, &state.robot_key, form, now).await?;
    context::redirect(&format!("/providers/apply?sent={id}"));
    Ok(id)
}

/// Applications waiting for review (admin).
#[server(prefix = "/api", endpoint = "providers/pending")]
pub async fn pending_providers() -> Result<Vec<ProviderApplicationView>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::onboarding};
    context::require_role(Role::Admin).await?;
    onboarding::pending(&context::state()?.db).await
}

/// Approves (`decision=approve`: credentials mailed) or rejects (`decision=reject`, with a
/// reason) an application (admin).
#[server(prefix = "/api", endpoint = "providers/review")]
pub async fn review_provider(
    id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::onboarding};
    let now = crate::ssr::context::now()?;
    context::require_role(Role::Admin).await?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest("Решение: approve или reject".into())),
    };
    let state = context::state()?;
    onboarding::review(&state.db, &state.settings, id, approve, &reason, now).await?;
    context::redirect(&format!("/admin/providers?reviewed={id}"));
    Ok(())
}
