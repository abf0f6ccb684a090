//! «Мой план» for specialists: the element catalogue, the plan, module tests, ИКП.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::plan::{
    AttemptView, ElementDetail, ElementQuery, ElementSearch, ModuleView, PlanView,
};

/// «Добавить элементы»: one tab of the catalogue, filtered, a page at a time.
#[server(prefix = "/api", endpoint = "plan/elements")]
pub async fn search_elements(
    #[server(default)] query: ElementQuery,
) -> Result<ElementSearch, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let me = context::require_role(Role::Specialist).await?;
    plan::search(&context::state()?.db, me.id, &query).await
}

/// An element's page.
#[server(prefix = "/api", endpoint = "plan/element")]
pub async fn get_element(id: i64) -> Result<ElementDetail, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let me = context::require_role(Role::Specialist).await?;
    plan::element(&context::state()?.db, me.id, id).await
}

/// «Включить в план» for the current cycle; returns the plan item's id.
#[server(prefix = "/api", endpoint = "plan/include")]
pub async fn include_element(element_id: i64) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    let item = plan::include(&context::state()?.db, me.id, element_id, now).await?;
    context::redirect(&format!("/nmo/plan?included={item}#item-{item}"));
    Ok(item)
}

/// Removes an item that is not started.
#[server(prefix = "/api", endpoint = "plan/remove")]
pub async fn remove_item(item_id: i64) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let me = context::require_role(Role::Specialist).await?;
    plan::remove(&context::state()?.db, me.id, item_id).await?;
    context::redirect("/nmo/plan?removed=1");
    Ok(())
}

/// The plan of the current cycle with its credits.
#[server(prefix = "/api", endpoint = "plan/view")]
pub async fn get_plan() -> Result<PlanView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    let state = context::state()?;
    plan::plan(&state.db, &state.settings, me.id, now).await
}

/// A module's text and final test (without the answers).
#[server(prefix = "/api", endpoint = "plan/module")]
pub async fn get_module(item_id: i64) -> Result<ModuleView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let me = context::require_role(Role::Specialist).await?;
    plan::module(&context::state()?.db, me.id, item_id).await
}

/// Hands in the final test (`answers[question id] = option id`); scored on the server.
#[server(prefix = "/api", endpoint = "plan/submit_test")]
pub async fn submit_test(
    item_id: i64,
    #[server(default)] answers: BTreeMap<String, String>,
) -> Result<AttemptView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    let state = context::state()?;
    let attempt =
        plan::submit_test(&state.db, &state.settings, me.id, item_id, &answers, now).await?;
    context::redirect(&format!(
        "/nmo/modules/{item_id}?attempt={}#result",
        attempt.id
    ));
    Ok(attempt)
}

/// «Проверить код»: activates an ИКП for an event in the plan.
#[server(prefix = "/api", endpoint = "plan/activate_code")]
pub async fn activate_code(item_id: i64, #[server(default)] code: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::plan};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    let state = context::state()?;
    plan::activate_code(&state.db, &state.settings, me.id, item_id, &code, now).await?;
    context::redirect(&format!("/nmo/plan?activated={item_id}#item-{item_id}"));
    Ok(())
}

/// «Сформировать»: the «Заявка на обучение по ДПП ПК» for a run of a programme in the plan;
/// the PDF is at `/nmo/plan/{item_id}/application.pdf`.
#[server(prefix = "/api", endpoint = "plan/apply")]
pub async fn apply_programme(
    item_id: i64,
    #[server(default)] run_id: Option<i64>,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::programme};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    programme::apply(&context::state()?.db, me.id, item_id, run_id, now).await?;
    context::redirect(&format!("/nmo/plan?applied={item_id}#item-{item_id}"));
    Ok(())
}

/// «Портфолио»: documents, cycles with credits and completed elements; the PDF is at
/// `/nmo/portfolio.pdf`.
#[server(prefix = "/api", endpoint = "plan/portfolio")]
pub async fn get_portfolio() -> Result<crate::model::plan::Portfolio, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::portfolio};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    let state = context::state()?;
    portfolio::portfolio(&state.db, &state.settings, me.id, now).await
}

/// «Отозвать заявку» on a ДПП ПК the provider has not enrolled yet.
#[server(prefix = "/api", endpoint = "plan/withdraw")]
pub async fn withdraw_application(item_id: i64) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::programme};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Specialist).await?;
    programme::withdraw(&context::state()?.db, me.id, item_id, now).await?;
    context::redirect(&format!("/nmo/plan?withdrawn={item_id}#item-{item_id}"));
    Ok(())
}
