//! ПФДО «Новости», «Мероприятия» and «Портфолио»: the parent reads news, applies the child to
//! events and keeps the portfolio; a provider announces events, publishes news and records
//! achievements; the operator publishes the municipality's news.
// A server function takes its form's fields one by one; the client's generated call has as
// many arguments as the form has fields.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::pfdo::{EventsView, NewsItem, PortfolioView, ProviderEventsView};

/// «Новости» of the child's municipality.
#[server(prefix = "/api", endpoint = "pfdo/news")]
pub async fn pfdo_news() -> Result<Vec<NewsItem>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::events};
    let me = context::require_role(Role::Parent).await?;
    events::parent_news(&context::state()?.db, me.id).await
}

/// «Мероприятия»: upcoming events found by `q`; open to guests.
#[server(prefix = "/api", endpoint = "pfdo/events")]
pub async fn pfdo_events(#[server(default)] q: String) -> Result<EventsView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::events};
    let now = crate::ssr::context::now()?;
    let parent = context::current_user()
        .await?
        .filter(|u| u.role == Role::Parent)
        .map(|u| u.id);
    events::upcoming(
        &context::state()?.db,
        parent,
        &q,
        events::EventFilter::default(),
        100,
        now,
    )
    .await
}

/// «Мероприятия» again, with the search the parent had and what was done.
#[cfg(feature = "ssr")]
fn back_to_events(q: &str, done: &str, event_id: i64) -> String {
    let q = crate::api::auth::urlencode(&q.chars().take(200).collect::<String>());
    format!("/pfdo/events?q={q}&{done}={event_id}")
}

/// «Подать заявку» on an event for the child.
#[server(prefix = "/api", endpoint = "pfdo/events/apply")]
pub async fn pfdo_event_apply(event_id: i64, #[server(default)] q: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::events};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    events::apply(&context::state()?.db, me.id, event_id, now).await?;
    context::redirect(&back_to_events(&q, "applied", event_id));
    Ok(())
}

/// Cancels the child's application to an event.
#[server(prefix = "/api", endpoint = "pfdo/events/cancel")]
pub async fn pfdo_event_cancel(
    event_id: i64,
    #[server(default)] q: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::events};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    events::cancel(&context::state()?.db, me.id, event_id, now).await?;
    context::redirect(&back_to_events(&q, "cancelled", event_id));
    Ok(())
}

/// «Портфолио» of the child.
#[server(prefix = "/api", endpoint = "pfdo/portfolio")]
pub async fn pfdo_portfolio() -> Result<PortfolioView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::portfolio};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    portfolio::view(&context::state()?.db, me.id, now).await
}

/// Adds an achievement to the child's portfolio.
#[server(prefix = "/api", endpoint = "pfdo/portfolio/add")]
pub async fn pfdo_achievement_add(
    #[server(default)] title: String,
    #[server(default)] level: String,
    #[server(default)] result: String,
    #[server(default)] date: String,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::portfolio::{AchievementForm, add};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Parent).await?;
    let form = AchievementForm {
        title,
        level,
        result,
        date,
    };
    let id = add(&context::state()?.db, me.id, &form, now).await?;
    context::redirect("/pfdo/portfolio?added=1");
    Ok(id)
}

/// Removes an achievement the parent added.
#[server(prefix = "/api", endpoint = "pfdo/portfolio/remove")]
pub async fn pfdo_achievement_remove(id: i64) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::portfolio};
    let me = context::require_role(Role::Parent).await?;
    portfolio::remove(&context::state()?.db, me.id, id).await?;
    context::redirect("/pfdo/portfolio?removed=1");
    Ok(())
}

/// The provider's events with their applicants, and its news.
#[server(prefix = "/api", endpoint = "pfdo/provider/events")]
pub async fn provider_events() -> Result<ProviderEventsView, AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::{pfdo::events, provider};
    let me = context::require_role(Role::Provider).await?;
    let db = &context::state()?.db;
    let p = provider::me(db, me.id).await?;
    events::provider_view(db, p.id).await
}

/// Announces an event.
#[server(prefix = "/api", endpoint = "pfdo/provider/events/create")]
pub async fn provider_event_create(
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] place: String,
    #[server(default)] date: String,
    #[server(default)] time: String,
    #[server(default)] age_from: String,
    #[server(default)] age_to: String,
    #[server(default)] capacity: String,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::events::{EventForm, create};
    use crate::ssr::service::provider;
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let db = &context::state()?.db;
    let p = provider::me(db, me.id).await?;
    let form = EventForm {
        title,
        description,
        place,
        date,
        time,
        age_from,
        age_to,
        capacity,
    };
    let id = create(db, p.id, &form, now).await?;
    context::redirect("/provider/pfdo/events?created=1");
    Ok(id)
}

/// Publishes news: the operator's for its municipality, or a provider's in the municipality
/// of its organisation.
#[server(prefix = "/api", endpoint = "pfdo/news/publish")]
pub async fn pfdo_news_publish(
    #[server(default)] title: String,
    #[server(default)] body: String,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::{certificates, events};
    use crate::ssr::service::provider;
    let now = crate::ssr::context::now()?;
    let me = context::require_user().await?;
    let db = &context::state()?.db;
    let (id, back) = match me.role {
        Role::Provider => {
            let p = provider::me(db, me.id).await?;
            let id = events::provider_publish(db, p.id, &title, &body, now).await?;
            (id, "/provider/pfdo/events?published=1")
        }
        Role::Operator => {
            let m = certificates::operator_municipality(db, me.id).await?;
            let id = events::publish(db, m.id, None, &title, &body, now).await?;
            (id, "/operator/news?published=1")
        }
        _ => return Err(AppError::Forbidden),
    };
    context::redirect(back);
    Ok(id)
}

/// Records (and so confirms) an achievement of a child studying under the contract.
#[server(prefix = "/api", endpoint = "pfdo/provider/achievement")]
pub async fn provider_achievement_add(
    contract_id: i64,
    #[server(default)] title: String,
    #[server(default)] level: String,
    #[server(default)] result: String,
    #[server(default)] date: String,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::context;
    use crate::ssr::service::pfdo::portfolio::{AchievementForm, provider_add};
    use crate::ssr::service::provider;
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let db = &context::state()?.db;
    let p = provider::me(db, me.id).await?;
    let form = AchievementForm {
        title,
        level,
        result,
        date,
    };
    let id = provider_add(db, p.id, contract_id, &form, now).await?;
    context::redirect(&format!(
        "/provider/pfdo/contracts/{contract_id}?achievement=1"
    ));
    Ok(id)
}

/// The operator's news.
#[server(prefix = "/api", endpoint = "pfdo/operator/news")]
pub async fn operator_news() -> Result<Vec<NewsItem>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::pfdo::events};
    let me = context::require_role(Role::Operator).await?;
    events::operator_news(&context::state()?.db, me.id).await
}
