//! «Портфолио»: the child's achievements (added by the parent, or recorded and so confirmed by
//! a provider the child studies or studied at), the programmes studied and the events attended;
//! and the portfolio as a PDF.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    ModelTrait as _, PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};

use super::contracts::{ended_on, rate_until};
use super::events::provider_names;
use super::{child_name, current_certificate, notify};
use crate::domain::contact::{format_date, parse_text};
use crate::domain::pfdo::contract::Status;
use crate::domain::pfdo::events::{level_title, parse_achieved_on, result_title};
use crate::domain::time::moscow_date;
use crate::error::AppError;
use crate::model::pfdo::{AchievementView, PortfolioView};
use crate::ssr::context::db_err;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{
    pfdo_achievement as achievement, pfdo_certificate as certificate, pfdo_contract as contract,
    pfdo_event as event, pfdo_event_application as application, pfdo_programme as programme,
};
use crate::ssr::pdf::Pdf;

/// How many achievements a portfolio holds at most.
pub const MAX_ACHIEVEMENTS: u64 = 200;

/// An achievement as typed.
#[derive(Debug, Clone, Default)]
pub struct AchievementForm {
    pub title: String,
    pub level: String,
    pub result: String,
    pub date: String,
}

/// The portfolio of the certificate's child.
async fn portfolio_of(
    db: &impl ConnectionTrait,
    cert: &certificate::Model,
    now: DateTime<Utc>,
) -> Result<PortfolioView, AppError> {
    let rows = achievement::Entity::find()
        .filter(achievement::Column::CertificateId.eq(cert.id))
        .order_by_desc(achievement::Column::AchievedOn)
        .order_by_desc(achievement::Column::Id)
        .limit(MAX_ACHIEVEMENTS)
        .all(db)
        .await
        .map_err(db_err)?;
    let contracts = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(cert.id))
        .filter(contract::Column::Status.is_in([Status::Active.code(), Status::Closed.code()]))
        .order_by_desc(contract::Column::StartsOn)
        .all(db)
        .await
        .map_err(db_err)?;
    let titles: HashMap<i64, String> = programme::Entity::find()
        .filter(programme::Column::Id.is_in(contracts.iter().map(|c| c.programme_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();
    let attended: Vec<i64> = application::Entity::find()
        .filter(application::Column::CertificateId.eq(cert.id))
        .filter(application::Column::CancelledAt.is_null())
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| a.event_id)
        .collect();
    let events = event::Entity::find()
        .filter(event::Column::Id.is_in(attended))
        .filter(event::Column::StartsAt.lte(now))
        .order_by_desc(event::Column::StartsAt)
        .all(db)
        .await
        .map_err(db_err)?;
    let names = provider_names(
        db,
        rows.iter()
            .filter_map(|a| a.provider_id)
            .chain(contracts.iter().map(|c| c.provider_id))
            .chain(events.iter().map(|e| e.provider_id)),
    )
    .await?;
    let name = |id: &i64| names.get(id).cloned().unwrap_or_default();
    Ok(PortfolioView {
        child: child_name(cert),
        achievements: rows
            .into_iter()
            .map(|a| AchievementView {
                id: a.id,
                level: level_title(&a.level).unwrap_or_default().to_owned(),
                result: result_title(&a.result).unwrap_or_default().to_owned(),
                date: format_date(a.achieved_on),
                confirmed_by: a.provider_id.as_ref().map(name),
                title: a.title,
            })
            .collect(),
        programmes: contracts
            .iter()
            .map(|c| {
                format!(
                    "{} — {}, {}–{}",
                    titles.get(&c.programme_id).map_or("", String::as_str),
                    name(&c.provider_id),
                    format_date(c.starts_on),
                    format_date(ended_on(c))
                )
            })
            .collect(),
        events: events
            .iter()
            .map(|e| {
                format!(
                    "{} — {}, {}",
                    e.title,
                    name(&e.provider_id),
                    format_date(moscow_date(e.starts_at))
                )
            })
            .collect(),
    })
}

/// «Портфолио» of the child the parent is looking at.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn view(
    db: &DatabaseConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<PortfolioView, AppError> {
    let cert = current_certificate(db, user_id).await?;
    portfolio_of(db, &cert, now).await
}

/// Checks an achievement against the child: every field, each with its own message.
fn check(
    form: &AchievementForm,
    cert: &certificate::Model,
    now: DateTime<Utc>,
) -> Result<(String, NaiveDate), AppError> {
    let title = parse_text(&form.title, "Достижение", 3, 200, false)
        .map_err(|m| AppError::field("title", m))?;
    if level_title(&form.level).is_none() {
        return Err(AppError::field("level", "Выберите уровень"));
    }
    if result_title(&form.result).is_none() {
        return Err(AppError::field("result", "Выберите результат"));
    }
    let on = parse_achieved_on(&form.date, cert.child_birth_date, moscow_date(now))
        .map_err(|m| AppError::field("date", m))?;
    Ok((title, on))
}

/// Writes an achievement already checked by [`check`].
async fn insert(
    db: &impl ConnectionTrait,
    cert: &certificate::Model,
    (title, on): (String, NaiveDate),
    form: &AchievementForm,
    provider_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let held = achievement::Entity::find()
        .filter(achievement::Column::CertificateId.eq(cert.id))
        .count(db)
        .await
        .map_err(db_err)?;
    if held >= MAX_ACHIEVEMENTS {
        return Err(AppError::Domain(format!(
            "В портфолио уже {MAX_ACHIEVEMENTS} достижений: удалите лишние, чтобы добавить новое"
        )));
    }
    let row = achievement::ActiveModel {
        certificate_id: Set(cert.id),
        title: Set(title),
        level: Set(form.level.clone()),
        result: Set(form.result.clone()),
        achieved_on: Set(on),
        provider_id: Set(provider_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(row.id)
}

/// The parent adds an achievement to the child's portfolio.
///
/// # Errors
/// Field errors as typed.
pub async fn add(
    db: &DatabaseConnection,
    user_id: i64,
    form: &AchievementForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let cert = current_certificate(db, user_id).await?;
    let checked = check(form, &cert, now)?;
    insert(db, &cert, checked, form, None, now).await
}

/// The parent removes an achievement they added; one a provider confirmed stays.
///
/// # Errors
/// `NotFound` for another child's achievement; `Domain` for a confirmed one.
pub async fn remove(db: &DatabaseConnection, user_id: i64, id: i64) -> Result<(), AppError> {
    let cert = current_certificate(db, user_id).await?;
    let row = achievement::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|a| a.certificate_id == cert.id)
        .ok_or(AppError::NotFound)?;
    if row.provider_id.is_some() {
        return Err(AppError::Domain(
            "Достижение подтверждено организацией: удалить его может только она через оператора"
                .to_owned(),
        ));
    }
    row.delete(db).await.map_err(db_err)?;
    Ok(())
}

/// A provider records (and so confirms) an achievement of a child it teaches under
/// `contract_id`: while the contract is active, or within a month after it ended, and dated
/// within the contract's period. The parent is told in the same transaction.
///
/// # Errors
/// `NotFound` for another provider's contract; `Domain` outside that window; a field error for
/// a date outside the contract.
pub async fn provider_add(
    db: &DatabaseConnection,
    provider_id: i64,
    contract_id: i64,
    form: &AchievementForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let c = contract::Entity::find_by_id(contract_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|c| c.provider_id == provider_id)
        .ok_or(AppError::NotFound)?;
    let ended = ended_on(&c);
    let open =
        c.status == Status::Active.code() || rate_until(&c).is_some_and(|u| moscow_date(now) <= u);
    if !open {
        return Err(AppError::Domain(
            "Достижение можно отметить, пока договор действует, и в течение месяца после его окончания"
                .to_owned(),
        ));
    }
    let cert = certificate::Entity::find_by_id(c.certificate_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let checked = check(form, &cert, now)?;
    let (title, on) = checked.clone();
    if on < c.starts_on || on > ended {
        return Err(AppError::field(
            "date",
            format!(
                "Дата — в пределах договора: с {} по {}",
                format_date(c.starts_on),
                format_date(ended)
            ),
        ));
    }
    let provider = provider_names(db, [provider_id])
        .await?
        .remove(&provider_id)
        .unwrap_or_default();
    let txn = begin_write(db).await.map_err(db_err)?;
    let id = insert(&txn, &cert, checked, form, Some(provider_id), now).await?;
    notify(
        &txn,
        cert.id,
        format!("{provider} добавила в портфолио достижение «{}»", title),
        now,
    )
    .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(id)
}

/// «Портфолио» as a PDF: `(certificate number, bytes)`.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn pdf(
    db: &DatabaseConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(String, Vec<u8>), AppError> {
    let cert = current_certificate(db, user_id).await?;
    let p = portfolio_of(db, &cert, now).await?;
    let mut pdf = Pdf::new("Портфолио")?;
    pdf.title("Портфолио");
    pdf.field("Ребёнок", &p.child);
    pdf.field("Дата рождения", &format_date(cert.child_birth_date));
    pdf.field("Сертификат", &cert.number);
    pdf.heading("Достижения");
    if p.achievements.is_empty() {
        pdf.paragraph("Достижений пока нет.");
    }
    for a in &p.achievements {
        let confirmed = a
            .confirmed_by
            .as_ref()
            .map_or_else(String::new, |by| format!("; подтверждено: {by}"));
        pdf.paragraph(&format!(
            "{} — {}, {} уровень, {}{confirmed}",
            a.date,
            a.title,
            a.level.to_lowercase(),
            a.result.to_lowercase()
        ));
    }
    pdf.heading("Программы");
    if p.programmes.is_empty() {
        pdf.paragraph("Договоров об обучении пока нет.");
    }
    for line in &p.programmes {
        pdf.paragraph(line);
    }
    pdf.heading("Мероприятия");
    if p.events.is_empty() {
        pdf.paragraph("Мероприятий пока нет.");
    }
    for line in &p.events {
        pdf.paragraph(line);
    }
    pdf.gap(4.0);
    pdf.field("Дата", &format_date(moscow_date(now)));
    Ok((cert.number, pdf.finish()?))
}
