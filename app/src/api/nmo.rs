//! НМО for specialists: first login, catalogues, documents and cycles.

use leptos::prelude::*;

use crate::domain::nmo::documents::DocumentForm;
use crate::error::AppError;
use crate::model::nmo::{
    CycleView, DocumentView, NmoStatus, OrganisationOption, PendingOrganisation, SpecialtyOption,
};

/// Whether the agreement is accepted and which levels are chosen.
#[server(prefix = "/api", endpoint = "nmo/status")]
pub async fn get_nmo_status() -> Result<NmoStatus, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let me = context::require_role(Role::Specialist).await?;
    nmo::status(&context::state()?.db, me.id).await
}

/// Accepts the user agreement; then to the choice of levels.
#[server(prefix = "/api", endpoint = "nmo/accept_agreement")]
pub async fn accept_agreement() -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    nmo::accept_agreement(&context::state()?.db, me.id, now).await?;
    context::redirect("/nmo/start");
    Ok(())
}

/// ВО and/or СО (checkboxes: present when ticked); `back` is where to go afterwards.
#[server(prefix = "/api", endpoint = "nmo/set_levels")]
pub async fn set_levels(
    #[server(default)] vo: Option<String>,
    #[server(default)] so: Option<String>,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let me = context::require_role(Role::Specialist).await?;
    nmo::set_levels(&context::state()?.db, me.id, vo.is_some(), so.is_some()).await?;
    let back = match back.as_deref() {
        Some("profile") => "/profile?saved=levels",
        _ => "/cabinet",
    };
    context::redirect(back);
    Ok(())
}

/// The specialty catalogue.
#[server(prefix = "/api", endpoint = "nmo/specialties")]
pub async fn specialties() -> Result<Vec<SpecialtyOption>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    context::require_role(Role::Specialist).await?;
    nmo::specialties(&context::state()?.db).await
}

/// Exam organisations matching `q` (approved, and the caller's own waiting for review).
#[server(prefix = "/api", endpoint = "nmo/organisations")]
pub async fn organisations(
    #[server(default)] q: String,
) -> Result<Vec<OrganisationOption>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let me = context::require_role(Role::Specialist).await?;
    nmo::organisations(&context::state()?.db, me.id, &q, 500).await
}

/// «Добавить организацию»: files it for review; back to the document form with it chosen.
#[server(prefix = "/api", endpoint = "nmo/add_organisation")]
pub async fn add_organisation(
    name: String,
    #[server(default)] city: String,
) -> Result<OrganisationOption, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    let added = nmo::add_organisation(&context::state()?.db, me.id, &name, &city, now).await?;
    context::redirect(&format!(
        "/nmo/documents/new?organisation={}",
        super::auth::urlencode(&added.name)
    ));
    Ok(added)
}

/// Saves an admission document and opens its five-year cycle; returns the cycle's id.
#[server(prefix = "/api", endpoint = "nmo/add_document")]
pub async fn add_document(#[server(default)] form: DocumentForm) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    let cycle = nmo::add_document(&context::state()?.db, me.id, &form, now).await?;
    context::redirect(&format!("/nmo/cycles?added={cycle}"));
    Ok(cycle)
}

/// The caller's documents.
#[server(prefix = "/api", endpoint = "nmo/documents")]
pub async fn documents() -> Result<Vec<DocumentView>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let me = context::require_role(Role::Specialist).await?;
    nmo::documents(&context::state()?.db, me.id).await
}

/// «Мои пятилетние циклы».
#[server(prefix = "/api", endpoint = "nmo/cycles")]
pub async fn cycles() -> Result<Vec<CycleView>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    nmo::cycles(&context::state()?.db, me.id, now).await
}

/// Chooses the cycle the plan shows (remembered).
#[server(prefix = "/api", endpoint = "nmo/choose_cycle")]
pub async fn choose_cycle(id: i64) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    let me = context::require_role(Role::Specialist).await?;
    nmo::choose_cycle(&context::state()?.db, me.id, id).await?;
    context::redirect("/nmo/cycles?chosen=1");
    Ok(())
}

/// Organisations filed by specialists, waiting for review (admin).
#[server(prefix = "/api", endpoint = "nmo/pending_organisations")]
pub async fn pending_organisations() -> Result<Vec<PendingOrganisation>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    context::require_role(Role::Admin).await?;
    nmo::pending_organisations(&context::state()?.db).await
}

/// Approves (`decision=approve`) or rejects (`decision=reject`) a filed organisation (admin).
#[server(prefix = "/api", endpoint = "nmo/review_organisation")]
pub async fn review_organisation(id: i64, decision: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::nmo};
    context::require_role(Role::Admin).await?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest("Решение: approve или reject".into())),
    };
    nmo::review_organisation(&context::state()?.db, id, approve).await?;
    context::redirect("/admin/organisations?reviewed=1");
    Ok(())
}
