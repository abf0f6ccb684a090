//! The provider's cabinet: its elements, ИКП batches and the activations it reviews.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::plan::{
    EditorData, ElementInput, EventActivations, IssuedCodes, ProgrammeApplications, ProviderElement,
};

/// The provider's own elements with inclusions and codes.
#[server(prefix = "/api", endpoint = "provider/elements")]
pub async fn provider_elements() -> Result<Vec<ProviderElement>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::provider};
    let me = context::require_role(Role::Provider).await?;
    provider::elements(&context::state()?.db, me.id).await
}

/// Issues a batch of ИКП for an own event: shown once, with a CSV.
#[server(prefix = "/api", endpoint = "provider/issue_codes")]
pub async fn issue_codes(
    element_id: i64,
    #[server(default)] count: String,
) -> Result<IssuedCodes, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let n =
        crate::domain::nmo::code::batch_size(&count).map_err(|m| AppError::field("count", m))?;
    provider::issue_codes(&context::state()?.db, me.id, element_id, n, now).await
}

/// Activations of an own event's codes.
#[server(prefix = "/api", endpoint = "provider/activations")]
pub async fn get_activations(element_id: i64) -> Result<EventActivations, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::provider};
    let me = context::require_role(Role::Provider).await?;
    let state = context::state()?;
    provider::activations(&state.db, &state.settings, me.id, element_id).await
}

/// Confirms (`decision=confirm`) or rejects (`decision=reject`, with a reason) an activation.
#[server(prefix = "/api", endpoint = "provider/review_activation")]
pub async fn review_activation(
    code_id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let approve = match decision.as_str() {
        "confirm" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest("Решение: confirm или reject".into())),
    };
    let state = context::state()?;
    let event = provider::review(
        &state.db,
        &state.settings,
        me.id,
        code_id,
        approve,
        &reason,
        now,
    )
    .await?;
    context::redirect(&format!("/provider/events/{event}?reviewed={code_id}"));
    Ok(())
}

/// Publishes (`published=1`) or hides (`published=0`) an own element.
#[server(prefix = "/api", endpoint = "provider/set_published")]
pub async fn set_published(element_id: i64, published: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let on = match published.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest("published: 1 или 0".into())),
    };
    provider::set_published(&context::state()?.db, me.id, element_id, on, now).await?;
    context::redirect("/provider?saved=1");
    Ok(())
}

/// The applications for an own ДПП ПК.
#[server(prefix = "/api", endpoint = "provider/applications")]
pub async fn get_applications(element_id: i64) -> Result<ProgrammeApplications, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::programme};
    let me = context::require_role(Role::Provider).await?;
    programme::applications(&context::state()?.db, me.id, element_id).await
}

/// Marks an application enrolled (`step=enrol`) or its training completed (`step=complete`).
#[server(prefix = "/api", endpoint = "provider/advance_application")]
pub async fn advance_application(
    item_id: i64,
    step: String,
    #[server(default)] run_id: Option<i64>,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::programme};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let step = programme::Step::parse(&step)
        .ok_or_else(|| AppError::BadRequest("Шаг: enrol или complete".into()))?;
    let state = context::state()?;
    let programme = programme::advance(
        &state.db,
        &state.settings,
        me.id,
        item_id,
        step,
        run_id,
        now,
    )
    .await?;
    context::redirect(&format!(
        "/provider/programmes/{programme}?updated={item_id}#application-{item_id}"
    ));
    Ok(())
}

/// The editor: a new element of `kind` (`module`, `event`, `programme`) or an own one.
#[server(prefix = "/api", endpoint = "provider/editor")]
pub async fn get_editor(
    #[server(default)] element_id: Option<i64>,
    #[server(default)] kind: String,
) -> Result<EditorData, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::editor};
    let me = context::require_role(Role::Provider).await?;
    editor::editor(&context::state()?.db, me.id, element_id, &kind).await
}

/// Publishes a new element or saves changes to an own one; returns its id.
#[server(prefix = "/api", endpoint = "provider/save_element")]
pub async fn save_element(
    #[server(default)] element_id: Option<i64>,
    #[server(default)] form: ElementInput,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::editor};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let id = editor::save(&context::state()?.db, me.id, element_id, &form, now).await?;
    context::redirect(&format!("/provider?saved={id}#element-{id}"));
    Ok(id)
}
