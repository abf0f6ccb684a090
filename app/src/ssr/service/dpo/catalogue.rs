//! The course catalogue by year, with search and filters, and «Карточка курса». Open to
//! guests; a signed-in teacher also sees their own applications.

use crate::domain::time::moscow_date;
use std::collections::HashMap;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, PaginatorTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _,
};

use super::{dates, funding, funding_text};
use crate::domain::contact::control_free;
use crate::domain::dpo::{FORMATS, Funding, NO_PLACES, REGISTRATION_CLOSED, format_title};
use crate::domain::nmo::catalogue::search_fold;
use crate::error::AppError;
use crate::model::dpo::{CatalogueQuery, CatalogueView, CourseCard, CourseRow, GroupRow};
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    dpo_application as application, dpo_course as course, dpo_group as group, provider,
};

pub const PAGE: u64 = 20;

/// The years that have courses, oldest first.
async fn years(db: &DatabaseConnection) -> Result<Vec<i32>, AppError> {
    let first = course::Entity::find()
        .order_by_asc(course::Column::StartsOn)
        .one(db)
        .await
        .map_err(db_err)?;
    let last = course::Entity::find()
        .order_by_desc(course::Column::StartsOn)
        .one(db)
        .await
        .map_err(db_err)?;
    Ok(match (first, last) {
        (Some(f), Some(l)) => (f.starts_on.year()..=l.starts_on.year()).collect(),
        _ => Vec::new(),
    })
}

fn number<T: std::str::FromStr>(s: &str, message: &str) -> Result<Option<T>, AppError> {
    match s.trim() {
        "" => Ok(None),
        s => s
            .parse::<T>()
            .map(Some)
            .map_err(|_| AppError::BadRequest(message.to_owned())),
    }
}

/// Searches the catalogue of one year.
///
/// # Errors
/// `BadRequest` for malformed filters.
pub async fn catalogue(
    db: &DatabaseConnection,
    teacher: Option<i64>,
    q: &CatalogueQuery,
    now: DateTime<Utc>,
) -> Result<CatalogueView, AppError> {
    let bad = |m: &str| AppError::BadRequest(m.to_owned());
    if q.q.chars().count() > 200 {
        return Err(bad("Запрос слишком длинный: не больше 200 символов"));
    }
    if !control_free(&q.q, false) {
        return Err(bad("Запрос содержит служебные символы"));
    }
    let years = years(db).await?;
    let this_year = moscow_date(now).year();
    let year = match number::<i32>(&q.year, "Год — число, например 2027")? {
        Some(y) if (2000..=2100).contains(&y) => y,
        Some(_) => return Err(bad("Год — число, например 2027")),
        None if years.contains(&this_year) || years.is_empty() => this_year,
        None => years
            .iter()
            .copied()
            .find(|y| *y > this_year)
            .unwrap_or(years[0]),
    };
    let fund = match q.funding.trim() {
        "" => None,
        s => Some(Funding::from_code(s).ok_or_else(|| bad("Неизвестный вид финансирования"))?),
    };
    let provider_id = number::<i64>(&q.provider, "Неизвестная организация")?;
    let format = match q.format.trim() {
        "" => None,
        s => Some(
            FORMATS
                .iter()
                .find(|(c, _)| *c == s)
                .map(|(c, _)| *c)
                .ok_or_else(|| bad("Неизвестная форма обучения"))?,
        ),
    };
    let month = match number::<u32>(&q.month, "Месяц начала — от 1 до 12")? {
        Some(m) if (1..=12).contains(&m) => Some(m),
        Some(_) => return Err(bad("Месяц начала — от 1 до 12")),
        None => None,
    };
    let free = match q.free.trim() {
        "" => false,
        "1" | "on" | "true" => true,
        _ => return Err(bad("Фильтр «Есть свободные места»: 1 или пусто")),
    };
    let page = match number::<u64>(&q.page, "Номер страницы — число")? {
        Some(p) if p >= 1 => p,
        Some(_) => return Err(bad("Номер страницы — число")),
        None => 1,
    };
    let (from, to) = match month {
        Some(m) => {
            let from = NaiveDate::from_ymd_opt(year, m, 1);
            let to = if m == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, m + 1, 1)
            };
            (from, to)
        }
        None => (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year + 1, 1, 1),
        ),
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Err(bad("Год — число, например 2027"));
    };
    let mut find = course::Entity::find()
        .filter(course::Column::StartsOn.gte(from))
        .filter(course::Column::StartsOn.lt(to));
    for word in search_fold(q.q.trim()).split_whitespace() {
        find = find.filter(course::Column::SearchText.contains(word));
    }
    if let Some(f) = fund {
        find = find.filter(course::Column::Funding.eq(f.code()));
    }
    if let Some(p) = provider_id {
        find = find.filter(course::Column::ProviderId.eq(p));
    }
    if let Some(f) = format {
        find = find.filter(course::Column::Format.eq(f));
    }
    if free {
        find = find.filter(Expr::col(course::Column::Taken).lt(Expr::col(course::Column::Places)));
    }
    let total = find.clone().count(db).await.map_err(db_err)?;
    let pages = Ord::max(total.div_ceil(PAGE), 1);
    let page = Ord::min(page, pages);
    let found = find
        .order_by_asc(course::Column::StartsOn)
        .order_by_asc(course::Column::Code)
        .offset((page - 1) * PAGE)
        .limit(PAGE)
        .all(db)
        .await
        .map_err(db_err)?;
    let providers = providers(db).await?;
    let names: HashMap<i64, String> = providers.iter().cloned().collect();
    let mine = mine(db, teacher, found.iter().map(|c| c.id).collect()).await?;
    let courses = found
        .into_iter()
        .map(|c| CourseRow {
            id: c.id,
            code: c.code.clone(),
            title: c.title.clone(),
            provider: names.get(&c.provider_id).cloned().unwrap_or_default(),
            hours: c.hours,
            format: format_title(&c.format).to_owned(),
            budget: funding(&c) == Funding::Budget,
            funding: funding_text(&c),
            dates: dates(c.starts_on, c.ends_on),
            free: c.places - c.taken,
            places: c.places,
            mine: mine.get(&c.id).map(|s| s.title().to_owned()),
        })
        .collect();
    Ok(CatalogueView {
        years,
        year,
        providers,
        courses,
        total,
        page,
        pages,
    })
}

/// The providers that have courses, by name.
async fn providers(db: &DatabaseConnection) -> Result<Vec<(i64, String)>, AppError> {
    let ids: Vec<i64> = course::Entity::find()
        .select_only()
        .column(course::Column::ProviderId)
        .distinct()
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(provider::Entity::find()
        .filter(provider::Column::Id.is_in(ids))
        .order_by_asc(provider::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// The teacher's live applications' statuses by course.
async fn mine(
    db: &DatabaseConnection,
    teacher: Option<i64>,
    courses: Vec<i64>,
) -> Result<HashMap<i64, crate::domain::dpo::Status>, AppError> {
    let Some(teacher) = teacher else {
        return Ok(HashMap::new());
    };
    Ok(application::Entity::find()
        .filter(application::Column::TeacherId.eq(teacher))
        .filter(application::Column::CourseId.is_in(courses))
        .filter(application::Column::Status.is_not_in(["rejected", "withdrawn"]))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|a| (a.course_id, super::status_of(&a)))
        .collect())
}

/// The groups of a course, by number.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn groups_of(
    db: &impl sea_orm::ConnectionTrait,
    course_id: i64,
) -> Result<Vec<GroupRow>, AppError> {
    Ok(group::Entity::find()
        .filter(group::Column::CourseId.eq(course_id))
        .order_by_asc(group::Column::StartsOn)
        .order_by_asc(group::Column::Number)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|g| GroupRow {
            id: g.id,
            number: g.number,
            dates: dates(g.starts_on, g.ends_on),
            capacity: g.capacity,
            enrolled: g.enrolled,
        })
        .collect())
}

/// Why a teacher cannot apply to `c` now, if so.
pub fn obstacle(c: &course::Model, now: DateTime<Utc>) -> Option<&'static str> {
    if !crate::domain::dpo::registration_open(moscow_date(now), c.starts_on) {
        Some(REGISTRATION_CLOSED)
    } else if c.taken >= c.places {
        Some(NO_PLACES)
    } else {
        None
    }
}

/// «Карточка курса».
///
/// # Errors
/// `NotFound` for an unknown course.
pub async fn card(
    db: &DatabaseConnection,
    teacher: Option<i64>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<CourseCard, AppError> {
    let c = super::course_row(db, id).await?;
    let p = provider::Entity::find_by_id(c.provider_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let mine = match teacher {
        Some(t) => super::applications::mine_for_course(db, t, c.id).await?,
        None => None,
    };
    Ok(CourseCard {
        id: c.id,
        code: c.code.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        provider: p.name,
        provider_contacts: format!("{}, {}", p.email, p.phone),
        hours: c.hours,
        format: format_title(&c.format).to_owned(),
        budget: funding(&c) == Funding::Budget,
        funding: funding_text(&c),
        dates: dates(c.starts_on, c.ends_on),
        free: c.places - c.taken,
        places: c.places,
        groups: groups_of(db, c.id).await?,
        teacher: teacher.is_some(),
        obstacle: obstacle(&c, now).map(str::to_owned),
        mine,
    })
}
