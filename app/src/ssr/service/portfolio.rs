//! «Портфолио»: the specialist's documents and, per five-year cycle, the completed elements and
//! the credits they add up to; on a page and as a PDF.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::nmo::documents;
use super::plan::{elements_and_providers, specialty_name};
use crate::domain::contact::{format_date, full_name};
use crate::domain::nmo::credits::{CycleCredits, Earned};
use crate::domain::nmo::documents::cycle_period;
use crate::domain::nmo::plan::{ElementKind, ItemStatus};
use crate::domain::snils::Snils;
use crate::domain::time::{format_moscow, moscow_date};
use crate::domain::words::{POINTS, count};
use crate::error::AppError;
use crate::model::plan::{Portfolio, PortfolioCycle, PortfolioItem};
use crate::ssr::context::db_err;
use crate::ssr::entities::{cycle, plan_item, user};
use crate::ssr::pdf::Pdf;
use crate::ssr::settings::Settings;

/// The caller's portfolio: documents, then cycles newest first with what was completed in them.
///
/// # Errors
/// `NotFound` for an unknown user; `Internal` on a database failure.
pub async fn portfolio(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Portfolio, AppError> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let cycles = cycle::Entity::find()
        .filter(cycle::Column::UserId.eq(user_id))
        .order_by_desc(cycle::Column::StartsOn)
        .order_by_desc(cycle::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let counted: Vec<&str> = ItemStatus::ALL
        .into_iter()
        .filter(|s| s.counts())
        .map(ItemStatus::code)
        .collect();
    let items = plan_item::Entity::find()
        .filter(plan_item::Column::UserId.eq(user_id))
        .filter(plan_item::Column::Status.is_in(counted))
        .order_by_asc(plan_item::Column::CompletedOn)
        .order_by_asc(plan_item::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let (elements, providers) = elements_and_providers(db, &items).await?;
    let today = moscow_date(now);
    let mut views = Vec::with_capacity(cycles.len());
    for c in cycles {
        let mut earned = Vec::new();
        let mut done = Vec::new();
        for i in items.iter().filter(|i| i.cycle_id == c.id) {
            let (Some(e), Some(credits), Some(on)) =
                (elements.get(&i.element_id), i.credits, i.completed_on)
            else {
                continue;
            };
            let Some(kind) = ElementKind::from_code(&e.kind) else {
                continue;
            };
            earned.push(Earned {
                kind,
                credits: u32::try_from(credits).unwrap_or_default(),
                completed_on: on,
            });
            done.push(PortfolioItem {
                kind,
                title: e.title.clone(),
                provider: providers.get(&e.provider_id).cloned().unwrap_or_default(),
                credits,
                completed_on: format_date(on),
            });
        }
        let credits = CycleCredits::compute(c.starts_on, &earned, settings.policy.credit_targets);
        views.push(PortfolioCycle {
            id: c.id,
            specialty: specialty_name(db, c.specialty_id).await?,
            period: cycle_period(c.starts_on, c.ends_on),
            sentence: credits.missing_sentence(today),
            credits,
            items: done,
        });
    }
    Ok(Portfolio {
        specialist: full_name(&u.last_name, &u.first_name, u.middle_name.as_deref()),
        snils: Snils::parse(&u.login).map_or(u.login.clone(), |s| s.to_string()),
        documents: documents(db, user_id).await?,
        cycles: views,
    })
}

/// The portfolio as a PDF.
///
/// # Errors
/// `Internal` if the document cannot be written.
pub fn portfolio_pdf(p: &Portfolio, now: DateTime<Utc>) -> Result<Vec<u8>, AppError> {
    let mut pdf = Pdf::new("Портфолио специалиста")?;
    pdf.title("Портфолио специалиста");
    pdf.field("Фамилия, имя, отчество", &p.specialist);
    pdf.field("СНИЛС", &p.snils);
    pdf.field("Сформировано", &format_moscow(now));
    pdf.heading("Документы о допуске");
    if p.documents.is_empty() {
        pdf.paragraph("Документов нет.");
    }
    for d in &p.documents {
        let date = d
            .issue_date
            .as_ref()
            .or(d.protocol_date.as_ref())
            .unwrap_or(&d.exam_date);
        pdf.field(
            &d.kind_title,
            &format!(
                "№ {} от {date}, {}; {}",
                d.number, d.specialty, d.organisation
            ),
        );
    }
    for c in &p.cycles {
        let points = |n: u32| count(u64::from(n), POINTS);
        pdf.heading(&format!("Пятилетний цикл: {}, {}", c.specialty, c.period));
        pdf.field(
            "Баллы (ЗЕТ)",
            &format!(
                "{} из {}",
                points(c.credits.total()),
                c.credits.targets.total
            ),
        );
        pdf.field(
            "По видам",
            &format!(
                "ИОМ — {}, ДПП ПК — {}, мероприятия — {}, другое — {}",
                c.credits.modules, c.credits.programmes, c.credits.events, c.credits.other
            ),
        );
        let years = c
            .credits
            .years
            .iter()
            .map(|y| format!("{}-й год — {}", y.number, y.credits))
            .collect::<Vec<_>>()
            .join(", ");
        pdf.field("По годам цикла", &years);
        pdf.paragraph(&c.sentence);
        if c.items.is_empty() {
            pdf.paragraph("Завершённых элементов пока нет.");
        }
        for i in &c.items {
            pdf.field(
                &i.completed_on,
                &format!(
                    "{} ({}, {}), {} ЗЕТ",
                    i.title,
                    i.kind.one(),
                    i.provider,
                    i.credits
                ),
            );
        }
    }
    pdf.finish()
}
