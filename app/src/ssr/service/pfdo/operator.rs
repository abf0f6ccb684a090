//! The operator's reading side: the municipality at a glance (limit, counts, categories and
//! their nominals) and the list of its certificates.

use crate::domain::time::moscow_date;
use chrono::{DateTime, Datelike as _, Utc};
use sea_orm::{
    ColumnTrait as _, Condition, DatabaseConnection, EntityTrait as _, PaginatorTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _,
};

use super::applications::registry_limit;
use super::certificates::{operator_municipality, queue_position_in, status_title};
use super::child_name;
use crate::domain::contact::format_date;
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::registry::Registry;
use crate::error::AppError;
use crate::model::pfdo::{
    CategoryView, CertificateList, CertificateQuery, CertificateRow, OperatorView, RegistryUse,
};
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_nominal as nominal,
};

const PAGE: u64 = 20;

/// The operator's municipality: its limit and how many certificates are in each state, and
/// the categories with their nominals for this year and the next.
///
/// # Errors
/// `Forbidden` for an account that is no operator's.
pub async fn overview(
    db: &DatabaseConnection,
    operator_id: i64,
    now: DateTime<Utc>,
) -> Result<OperatorView, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let count = |kind: &'static str, status: &'static str| {
        certificate::Entity::find()
            .filter(certificate::Column::MunicipalityId.eq(m.id))
            .filter(certificate::Column::Kind.eq(kind))
            .filter(certificate::Column::Status.eq(status))
            .count(db)
    };
    let active = count("financed", "active").await.map_err(db_err)?;
    let queued = count("financed", "queued").await.map_err(db_err)?;
    let issued = count("financed", "issued").await.map_err(db_err)?;
    let registration = certificate::Entity::find()
        .filter(certificate::Column::MunicipalityId.eq(m.id))
        .filter(certificate::Column::Kind.eq("registration"))
        .count(db)
        .await
        .map_err(db_err)?;
    let cats = category::Entity::find()
        .filter(category::Column::MunicipalityId.eq(m.id))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let year = moscow_date(now).year();
    let years = [year, year + 1];
    let nominals = nominal::Entity::find()
        .filter(nominal::Column::CategoryId.is_in(cats.iter().map(|c| c.id)))
        .filter(nominal::Column::Year.is_in(years))
        .all(db)
        .await
        .map_err(db_err)?;
    let categories = cats
        .into_iter()
        .map(|c| CategoryView {
            id: c.id,
            name: c.name.clone(),
            limits: Registry::ALL
                .into_iter()
                .map(|r| RegistryUse {
                    registry: r,
                    used: 0,
                    limit: registry_limit(&c, r),
                })
                .collect(),
            nominals: years
                .into_iter()
                .map(|y| {
                    (
                        y,
                        nominals
                            .iter()
                            .find(|n| n.category_id == c.id && n.year == y)
                            .map(|n| Money(n.amount)),
                    )
                })
                .collect(),
        })
        .collect();
    Ok(OperatorView {
        municipality: m.name,
        limit: m.certificate_limit,
        active,
        queued,
        issued,
        registration,
        categories,
    })
}

/// The municipality's certificates, newest first, found by number or the child's name.
///
/// # Errors
/// `BadRequest` for an unknown status or a query over 100 characters.
pub async fn certificates(
    db: &DatabaseConnection,
    operator_id: i64,
    query: &CertificateQuery,
) -> Result<CertificateList, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let q = query.q.trim();
    if q.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Запрос слишком длинный: не больше 100 символов".into(),
        ));
    }
    if !crate::domain::contact::control_free(q, false) {
        return Err(AppError::BadRequest(
            "Запрос содержит служебные символы".into(),
        ));
    }
    let mut find = certificate::Entity::find().filter(certificate::Column::MunicipalityId.eq(m.id));
    match query.status.as_str() {
        "" => {}
        s @ ("issued" | "queued" | "active") => {
            find = find.filter(certificate::Column::Status.eq(s));
        }
        _ => {
            return Err(AppError::BadRequest(
                "Неизвестный статус сертификата".into(),
            ));
        }
    }
    if !q.is_empty() {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let mut any = Condition::any();
        if !digits.is_empty() && digits.len() == q.chars().filter(|c| !c.is_whitespace()).count() {
            any = any.add(certificate::Column::Number.starts_with(&digits));
        }
        // Names are stored as «Смирнов»: the query is written the same way, so the search
        // needs no case folding (which SQLite cannot do for Cyrillic).
        let name = capitalised(q);
        any = any
            .add(certificate::Column::ChildLastName.starts_with(&name))
            .add(certificate::Column::ChildFirstName.starts_with(&name));
        find = find.filter(any);
    }
    let total = find.clone().count(db).await.map_err(db_err)?;
    let pages = total.div_ceil(PAGE).max(1);
    let page = u64::from(query.page.unwrap_or(1).max(1)).min(pages);
    let rows = find
        .order_by_desc(certificate::Column::CreatedAt)
        .order_by_desc(certificate::Column::Id)
        .offset((page - 1) * PAGE)
        .limit(PAGE)
        .all(db)
        .await
        .map_err(db_err)?;
    let cats = category::Entity::find()
        .filter(category::Column::MunicipalityId.eq(m.id))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let queue_position = match (c.status.as_str(), c.queued_at) {
            ("queued", Some(at)) => Some(queue_position_in(db, m.id, at).await?),
            _ => None,
        };
        out.push(CertificateRow {
            id: c.id,
            number: c.number.clone(),
            child_name: child_name(&c),
            birth_date: format_date(c.child_birth_date),
            category: cats
                .iter()
                .find(|k| k.id == c.category_id)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
            financed: c.kind == "financed",
            status_title: status_title(&c.status).into(),
            status: c.status,
            queue_position,
        });
    }
    Ok(CertificateList {
        rows: out,
        total,
        page: u32::try_from(page).unwrap_or(1),
        pages: u32::try_from(pages).unwrap_or(1),
    })
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}
