//! «Новости» and «Мероприятия»: news published by the operator of a municipality and by its
//! providers; events a provider announces and a parent applies the child to, up to the event's
//! capacity. A place is taken by one conditional `UPDATE` (`taken < capacity`), and a child's
//! second live application to the same event is refused by a partial unique index, so racing
//! applications never overfill an event or count a child twice.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, ConnectionTrait, DatabaseConnection,
    EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};

use super::navigator::ages;
use super::{child_name, current_certificate, lock_certificate, notify};
use crate::domain::contact::{control_free, format_date, parse_text};
use crate::domain::nmo::catalogue::search_fold;
use crate::domain::pfdo::age_on;
use crate::domain::pfdo::events::{age_obstacle, parse_ages, parse_start};
use crate::domain::time::{format_moscow, moscow_date};
use crate::error::AppError;
use crate::model::pfdo::{EventCard, EventsView, NewsItem, ProviderEventRow, ProviderEventsView};
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    pfdo_certificate as certificate, pfdo_event as event, pfdo_event_application as application,
    pfdo_municipality as municipality, pfdo_news as news, pfdo_organisation as organisation,
    provider,
};

/// How many news items a page shows.
const NEWS_PAGE: u64 = 50;

/// A news item or an event as a provider or operator types it.
#[derive(Debug, Clone, Default)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    pub place: String,
    pub date: String,
    pub time: String,
    pub age_from: String,
    pub age_to: String,
    pub capacity: String,
}

/// The provider's ПФДО organisation, which fixes the municipality it publishes in.
async fn organisation_of(
    db: &impl ConnectionTrait,
    provider_id: i64,
) -> Result<organisation::Model, AppError> {
    organisation::Entity::find_by_id(provider_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| {
            AppError::Domain(
                "Организация не участвует в ПФДО: сначала её должен внести в реестр оператор"
                    .to_owned(),
            )
        })
}

fn field(name: &'static str) -> impl Fn(String) -> AppError {
    move |m| AppError::field(name, m)
}

/// Publishes news in a municipality: the operator's (`provider_id` is `None`) or a provider's.
///
/// # Errors
/// A field error for an empty or too long title or text.
pub async fn publish(
    db: &DatabaseConnection,
    municipality_id: i64,
    provider_id: Option<i64>,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let title = parse_text(title, "Заголовок", 3, 200, false).map_err(field("title"))?;
    let body = parse_text(body, "Текст новости", 10, 5000, true).map_err(field("body"))?;
    let row = news::ActiveModel {
        municipality_id: Set(municipality_id),
        provider_id: Set(provider_id),
        title: Set(title),
        body: Set(body),
        published_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(row.id)
}

/// A provider's news, in the municipality of its organisation.
///
/// # Errors
/// `Domain` when the provider has no ПФДО organisation; field errors as [`publish`].
pub async fn provider_publish(
    db: &DatabaseConnection,
    provider_id: i64,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let org = organisation_of(db, provider_id).await?;
    publish(db, org.municipality_id, Some(provider_id), title, body, now).await
}

async fn news_items(
    db: &impl ConnectionTrait,
    filter: Condition,
) -> Result<Vec<NewsItem>, AppError> {
    let rows = news::Entity::find()
        .filter(filter)
        .order_by_desc(news::Column::PublishedAt)
        .order_by_desc(news::Column::Id)
        .limit(NEWS_PAGE)
        .all(db)
        .await
        .map_err(db_err)?;
    let providers = provider_names(db, rows.iter().filter_map(|n| n.provider_id)).await?;
    let municipalities: HashMap<i64, String> = municipality::Entity::find()
        .filter(municipality::Column::Id.is_in(rows.iter().map(|n| n.municipality_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|n| NewsItem {
            id: n.id,
            source: match n.provider_id {
                Some(p) => providers.get(&p).cloned().unwrap_or_default(),
                None => format!(
                    "Оператор ПФДО: {}",
                    municipalities
                        .get(&n.municipality_id)
                        .map_or("", String::as_str)
                ),
            },
            title: n.title,
            body: n.body,
            published: format_date(moscow_date(n.published_at)),
        })
        .collect())
}

/// Providers' names by id.
pub async fn provider_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    Ok(provider::Entity::find()
        .filter(provider::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// «Новости» of the municipality of the certificate the parent is looking at, newest first.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn parent_news(db: &DatabaseConnection, user_id: i64) -> Result<Vec<NewsItem>, AppError> {
    let cert = current_certificate(db, user_id).await?;
    news_items(
        db,
        Condition::all().add(news::Column::MunicipalityId.eq(cert.municipality_id)),
    )
    .await
}

/// The operator's own news.
///
/// # Errors
/// `Forbidden` for an account that is no operator's.
pub async fn operator_news(
    db: &DatabaseConnection,
    user_id: i64,
) -> Result<Vec<NewsItem>, AppError> {
    let m = super::certificates::operator_municipality(db, user_id).await?;
    news_items(
        db,
        Condition::all()
            .add(news::Column::MunicipalityId.eq(m.id))
            .add(news::Column::ProviderId.is_null()),
    )
    .await
}

/// Announces an event of the provider in the municipality of its organisation.
///
/// # Errors
/// A field error for each field that is wrong; `Domain` when the provider has no ПФДО
/// organisation.
pub async fn create(
    db: &DatabaseConnection,
    provider_id: i64,
    form: &EventForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let org = organisation_of(db, provider_id).await?;
    let title = parse_text(&form.title, "Название", 3, 200, false).map_err(field("title"))?;
    let description =
        parse_text(&form.description, "Описание", 10, 5000, true).map_err(field("description"))?;
    let place =
        parse_text(&form.place, "Место проведения", 3, 300, false).map_err(field("place"))?;
    let starts_at =
        parse_start(&form.date, &form.time, now).map_err(|(f, m)| AppError::field(f, m))?;
    let (age_from, age_to) =
        parse_ages(&form.age_from, &form.age_to).map_err(|(f, m)| AppError::field(f, m))?;
    let capacity = form
        .capacity
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| (1..=10_000).contains(c))
        .ok_or_else(|| AppError::field("capacity", "Мест — число от 1 до 10 000"))?;
    let provider_name = provider_names(db, [provider_id])
        .await?
        .remove(&provider_id)
        .unwrap_or_default();
    let row = event::ActiveModel {
        provider_id: Set(provider_id),
        municipality_id: Set(org.municipality_id),
        search_text: Set(search_fold(&format!(
            "{title} {description} {provider_name}"
        ))),
        title: Set(title),
        description: Set(description),
        place: Set(place),
        starts_at: Set(starts_at),
        age_from: Set(age_from),
        age_to: Set(age_to),
        capacity: Set(capacity),
        taken: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(row.id)
}

/// What the navigator's filters narrow events by, beyond the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventFilter {
    /// A guest's chosen municipality (a parent always sees the certificate's).
    pub municipality: Option<i64>,
    /// The child's age the event must be for.
    pub age: Option<i32>,
}

/// Upcoming events: of the parent's municipality (or the chosen one, or every one, for a
/// guest), those whose folded text contains `q` and that fit `filter`, soonest first.
///
/// # Errors
/// `BadRequest` for a query over 200 characters or with control characters.
pub async fn upcoming(
    db: &DatabaseConnection,
    parent: Option<i64>,
    q: &str,
    filter: EventFilter,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<EventsView, AppError> {
    if q.chars().count() > 200 {
        return Err(AppError::BadRequest(
            "Запрос слишком длинный: не больше 200 символов".to_owned(),
        ));
    }
    if !control_free(q, false) {
        return Err(AppError::BadRequest(
            "Запрос содержит служебные символы".to_owned(),
        ));
    }
    let cert = match parent {
        Some(user) => Some(current_certificate(db, user).await?),
        None => None,
    };
    let mut find = event::Entity::find().filter(event::Column::StartsAt.gt(now));
    if let Some(m) = cert
        .as_ref()
        .map(|c| c.municipality_id)
        .or(filter.municipality)
    {
        find = find.filter(event::Column::MunicipalityId.eq(m));
    }
    if let Some(age) = filter.age {
        find = find
            .filter(event::Column::AgeFrom.lte(age))
            .filter(event::Column::AgeTo.gte(age));
    }
    let folded = search_fold(q);
    for word in folded.split_whitespace() {
        find = find.filter(event::Column::SearchText.contains(word));
    }
    let rows = find
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(db_err)?;
    let applied: Vec<i64> = match &cert {
        Some(c) => application::Entity::find()
            .filter(application::Column::CertificateId.eq(c.id))
            .filter(application::Column::CancelledAt.is_null())
            .filter(application::Column::EventId.is_in(rows.iter().map(|e| e.id)))
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|a| a.event_id)
            .collect(),
        None => Vec::new(),
    };
    let providers = provider_names(db, rows.iter().map(|e| e.provider_id)).await?;
    let events = rows
        .into_iter()
        .map(|e| {
            let applied = applied.contains(&e.id);
            let obstacle = match &cert {
                Some(c) if !applied => obstacle(c, &e, now),
                _ => None,
            };
            EventCard {
                id: e.id,
                provider: providers.get(&e.provider_id).cloned().unwrap_or_default(),
                when: format_moscow(e.starts_at),
                ages: ages(e.age_from.into(), e.age_to.into()),
                free: e.capacity - e.taken,
                capacity: e.capacity,
                applied,
                obstacle,
                title: e.title,
                description: e.description,
                place: e.place,
            }
        })
        .collect();
    Ok(EventsView {
        events,
        can_apply: cert.is_some(),
    })
}

/// Why the certificate's child cannot apply to the event, if so (a full event aside).
fn obstacle(c: &certificate::Model, e: &event::Model, now: DateTime<Utc>) -> Option<String> {
    if e.starts_at <= now {
        return Some("Запись закрыта: мероприятие уже началось".to_owned());
    }
    if e.municipality_id != c.municipality_id {
        return Some("Мероприятие проводится в другом муниципалитете".to_owned());
    }
    if let Some(m) = age_obstacle(
        age_on(c.child_birth_date, moscow_date(e.starts_at)),
        e.age_from,
        e.age_to,
    ) {
        return Some(m);
    }
    (e.taken >= e.capacity).then(|| "Свободных мест не осталось".to_owned())
}

/// «Подать заявку»: takes a place for the child, if the child may come and a place is free.
///
/// # Errors
/// `NotFound` for an unknown event; `Domain` with the reason the child cannot come, or when
/// the child has already applied.
pub async fn apply(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let cert = current_certificate(db, user_id).await?;
    let txn = begin_write(db).await.map_err(db_err)?;
    lock_certificate(&txn, cert.id).await?;
    let e = event::Entity::find_by_id(event_id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let live = application::Entity::find()
        .filter(application::Column::EventId.eq(e.id))
        .filter(application::Column::CertificateId.eq(cert.id))
        .filter(application::Column::CancelledAt.is_null())
        .one(&txn)
        .await
        .map_err(db_err)?;
    if live.is_some() {
        return Err(already());
    }
    if let Some(m) = obstacle(&cert, &e, now) {
        return Err(AppError::Domain(m));
    }
    let took = event::Entity::update_many()
        .col_expr(event::Column::Taken, Expr::col(event::Column::Taken).add(1))
        .filter(event::Column::Id.eq(e.id))
        .filter(Expr::col(event::Column::Taken).lt(Expr::col(event::Column::Capacity)))
        .exec(&txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if took != 1 {
        return Err(AppError::Domain("Свободных мест не осталось".to_owned()));
    }
    application::ActiveModel {
        event_id: Set(e.id),
        certificate_id: Set(cert.id),
        created_at: Set(now),
        cancelled_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            already()
        } else {
            db_err(err)
        }
    })?;
    notify(
        &txn,
        cert.id,
        format!(
            "Заявка на мероприятие «{}» ({}) принята",
            e.title,
            format_moscow(e.starts_at)
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(db_err)
}

fn already() -> AppError {
    AppError::Domain("Ребёнок уже записан на это мероприятие".to_owned())
}

/// Cancels the child's application before the event starts; the place is freed.
///
/// # Errors
/// `NotFound` when the child has no live application to the event; `Domain` once it started.
pub async fn cancel(
    db: &DatabaseConnection,
    user_id: i64,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let cert = current_certificate(db, user_id).await?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let e = event::Entity::find_by_id(event_id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    if e.starts_at <= now {
        return Err(AppError::Domain(
            "Мероприятие уже началось: заявку отменить нельзя".to_owned(),
        ));
    }
    let done = application::Entity::update_many()
        .col_expr(application::Column::CancelledAt, Expr::value(now))
        .filter(application::Column::EventId.eq(e.id))
        .filter(application::Column::CertificateId.eq(cert.id))
        .filter(application::Column::CancelledAt.is_null())
        .exec(&txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if done != 1 {
        return Err(AppError::NotFound);
    }
    event::Entity::update_many()
        .col_expr(event::Column::Taken, Expr::col(event::Column::Taken).sub(1))
        .filter(event::Column::Id.eq(e.id))
        .filter(event::Column::Taken.gt(0))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    notify(
        &txn,
        cert.id,
        format!("Заявка на мероприятие «{}» отменена", e.title),
        now,
    )
    .await?;
    txn.commit().await.map_err(db_err)
}

/// The provider's events, soonest first, with who applied; and its news.
///
/// # Errors
/// Database errors only.
pub async fn provider_view(
    db: &DatabaseConnection,
    provider_id: i64,
) -> Result<ProviderEventsView, AppError> {
    let rows = event::Entity::find()
        .filter(event::Column::ProviderId.eq(provider_id))
        .order_by_desc(event::Column::StartsAt)
        .limit(100)
        .all(db)
        .await
        .map_err(db_err)?;
    let apps = application::Entity::find()
        .filter(application::Column::EventId.is_in(rows.iter().map(|e| e.id)))
        .filter(application::Column::CancelledAt.is_null())
        .order_by_asc(application::Column::CreatedAt)
        .all(db)
        .await
        .map_err(db_err)?;
    let certs: HashMap<i64, certificate::Model> = certificate::Entity::find()
        .filter(certificate::Column::Id.is_in(apps.iter().map(|a| a.certificate_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let events = rows
        .into_iter()
        .map(|e| ProviderEventRow {
            applicants: apps
                .iter()
                .filter(|a| a.event_id == e.id)
                .filter_map(|a| certs.get(&a.certificate_id))
                .map(|c| format!("{}, сертификат № {}", child_name(c), c.number))
                .collect(),
            id: e.id,
            when: format_moscow(e.starts_at),
            ages: ages(e.age_from.into(), e.age_to.into()),
            taken: e.taken,
            capacity: e.capacity,
            title: e.title,
            place: e.place,
        })
        .collect();
    let news = news_items(
        db,
        Condition::all().add(news::Column::ProviderId.eq(provider_id)),
    )
    .await?;
    Ok(ProviderEventsView { events, news })
}
