use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;
use crate::model::TicketView;

/// Files a support ticket (multipart: topic, body, optional name, email, attachment).
#[server(prefix = "/api", endpoint = "support/create_ticket", input = MultipartFormData)]
pub async fn create_ticket(data: MultipartData) -> Result<String, AppError> {
    use crate::ssr::{context, service::support};
    let now = crate::ssr::context::now()?;

    let me = context::current_user().await?;
    let state = context::state()?;
    let data = data
        .into_inner()
        .ok_or_else(|| AppError::BadRequest("Ожидалась форма с файлом".into()))?;
    let ticket = support::read_ticket_form(data).await?;
    let number =
        support::create_ticket(&state.db, &state.settings, me.as_ref(), ticket, now).await?;
    context::redirect(&format!(
        "/support?created={}",
        super::auth::urlencode(&number)
    ));
    Ok(number)
}

/// The caller's own tickets with their answers.
#[server(prefix = "/api", endpoint = "support/my_tickets")]
pub async fn my_tickets() -> Result<Vec<TicketView>, AppError> {
    use crate::ssr::{context, service::support};
    let me = context::require_user().await?;
    let state = context::state()?;
    support::my_tickets(&state.db, &me).await
}

/// Every ticket, open ones first (admin).
#[server(prefix = "/api", endpoint = "support/all_tickets")]
pub async fn all_tickets() -> Result<Vec<TicketView>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::support};
    context::require_role(Role::Admin).await?;
    let state = context::state()?;
    support::all_tickets(&state.db).await
}

/// Answers a ticket; the answer is mailed and shown in the author's cabinet (admin).
#[server(prefix = "/api", endpoint = "support/answer_ticket")]
pub async fn answer_ticket(id: i64, answer: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::support};
    let now = crate::ssr::context::now()?;
    let admin = context::require_role(Role::Admin).await?;
    let state = context::state()?;
    support::answer_ticket(&state.db, &state.settings, &admin, id, &answer, now).await?;
    context::redirect("/admin/support?answered=1");
    Ok(())
}
