//! ДПО: the course catalogue, teachers' applications, the school's approval, the provider's
//! groups and the record book. Every status change is one conditional `UPDATE` from the
//! statuses `domain::dpo::Action` allows, inside a transaction that also writes the history,
//! the mail (outbox) and the notification; places and group seats are counters with CHECKs,
//! taken by conditional `UPDATE`s, so no race can overfill them.

pub mod applications;
pub mod catalogue;
pub mod provider;
pub mod school;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    Set,
};

use crate::domain::contact::{format_date, full_name};
use crate::domain::dpo::{Action, Funding, Status};
use crate::domain::pfdo::money::Money;
use crate::error::AppError;
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    dpo_application as application, dpo_application_log as log, dpo_course as course,
    dpo_school_member as member, user,
};
use crate::ssr::mailer::enqueue;
use crate::ssr::service::notifications::notify;
use crate::ssr::settings::Settings;

/// «01.12.2026 — 25.12.2026».
pub fn dates(starts: NaiveDate, ends: NaiveDate) -> String {
    format!("{} — {}", format_date(starts), format_date(ends))
}

pub fn funding(c: &course::Model) -> Funding {
    Funding::from_code(&c.funding).unwrap_or(Funding::Budget)
}

/// «Бюджетный» or «Платный, 6 500,00 ₽».
pub fn funding_text(c: &course::Model) -> String {
    match funding(c) {
        Funding::Budget => Funding::Budget.title().to_owned(),
        Funding::Paid => format!("{}, {}", Funding::Paid.title(), Money(c.price)),
    }
}

pub fn status_of(a: &application::Model) -> Status {
    Status::from_code(&a.status).unwrap_or(Status::Submitted)
}

pub fn person(u: &user::Model) -> String {
    full_name(&u.last_name, &u.first_name, u.middle_name.as_deref())
}

/// The caller's place at a school, if it is one of `kinds`.
///
/// # Errors
/// `Forbidden` when the user belongs to no school in such a role.
pub async fn member_of(
    db: &impl ConnectionTrait,
    user_id: i64,
    kinds: &[&str],
) -> Result<member::Model, AppError> {
    member::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|m| kinds.contains(&m.kind.as_str()))
        .ok_or(AppError::Forbidden)
}

/// Moves the application by `action` if it is still in a status the step starts from; `false` when
/// someone moved it meanwhile. `extra` sets the step's other columns.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn step(
    db: &impl ConnectionTrait,
    application_id: i64,
    action: Action,
    funding: Funding,
    extra: Vec<(application::Column, SimpleExpr)>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let from: Vec<&str> = action
        .from_statuses(funding)
        .iter()
        .map(|s| s.code())
        .collect();
    if from.is_empty() {
        return Ok(false);
    }
    let mut update = application::Entity::update_many()
        .col_expr(
            application::Column::Status,
            Expr::value(action.target().code()),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now));
    for (col, value) in extra {
        update = update.col_expr(col, value);
    }
    Ok(update
        .filter(application::Column::Id.eq(application_id))
        .filter(application::Column::Status.is_in(from))
        .exec(db)
        .await
        .map_err(db_err)?
        .rows_affected
        == 1)
}

/// Writes a step of the application's history.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn record(
    db: &impl ConnectionTrait,
    application_id: i64,
    status: Status,
    actor_id: Option<i64>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    log::ActiveModel {
        application_id: Set(application_id),
        at: Set(now),
        status: Set(status.code().into()),
        actor_id: Set(actor_id),
        note: Set(note),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Tells a user by mail and by a notification in the cabinet, in the caller's transaction.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn tell(
    db: &impl ConnectionTrait,
    settings: &Settings,
    to: &user::Model,
    subject: &str,
    body: &str,
    link: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let text = format!(
        "Здравствуйте, {first}!\n\n{body}\n\nПодробнее: {url}{link}\n",
        first = to.first_name,
        url = settings.public_url,
    );
    enqueue(db, settings, &to.email, subject, &text, now)
        .await
        .map_err(db_err)?;
    notify(db, to.id, body.to_owned(), Some(link.to_owned()), now).await
}

/// The user row of `id`.
///
/// # Errors
/// `NotFound` when there is none.
pub async fn user_row(db: &impl ConnectionTrait, id: i64) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

/// The course of `id`.
///
/// # Errors
/// `NotFound` when there is none.
pub async fn course_row(db: &impl ConnectionTrait, id: i64) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

/// «ПК-2026-101 «Название»», as mails and notifications name a course.
pub fn course_name(c: &course::Model) -> String {
    format!("{} «{}»", c.code, c.title)
}

/// Frees a place on the course (a withdrawal or a rejection), in the caller's transaction.
///
/// # Errors
/// `Internal` on a database failure, or when the course had no place taken (the counter and
/// the applications disagree: the transaction is undone rather than the drift hidden).
pub async fn free_place_of(db: &impl ConnectionTrait, course_id: i64) -> Result<(), AppError> {
    let freed = course::Entity::update_many()
        .col_expr(
            course::Column::Taken,
            sea_orm::sea_query::ExprTrait::sub(Expr::col(course::Column::Taken), 1),
        )
        .filter(course::Column::Id.eq(course_id))
        .filter(course::Column::Taken.gt(0))
        .exec(db)
        .await
        .map_err(db_err)?
        .rows_affected;
    if freed == 1 {
        Ok(())
    } else {
        Err(crate::ssr::context::internal(&format!(
            "dpo course {course_id}: no taken place to free"
        )))
    }
}
