//! «Кабинет» of a certificate: its money for this year and the next, the municipality's
//! limit and queue, the registries it may still use, the notifications, and the children
//! merged into the account.

use crate::domain::time::moscow_date;
use chrono::{DateTime, Datelike as _, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _, PaginatorTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _,
};

use super::applications::{registry_limit, registry_used};
use super::certificates::{queue_position, status_title};
use super::{child_name, current_certificate};
use crate::domain::contact::format_date;
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::registry::Registry;
use crate::domain::time::format_moscow;
use crate::error::AppError;
use crate::model::pfdo::{CabinetView, ChildLink, NotificationView, PeriodFigures, RegistryUse};
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_certificate_access as access,
    pfdo_certificate_period as period, pfdo_municipality as municipality,
    pfdo_notification as notification,
};

pub const LIMIT_REACHED: &str = "Лимит сертификатов финансирования в муниципалитете исчерпан: \
     номинал и баланс появятся, когда сертификат будет активирован.";

/// The children this account may switch between, the current one marked.
pub async fn children(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<ChildLink>, AppError> {
    let links = access::Entity::find()
        .filter(access::Column::UserId.eq(user_id))
        .order_by_desc(access::Column::ChosenAt)
        .all(db)
        .await
        .map_err(db_err)?;
    let current = links.first().map(|l| l.certificate_id);
    let certs = certificate::Entity::find()
        .filter(certificate::Column::Id.is_in(links.iter().map(|l| l.certificate_id)))
        .order_by_asc(certificate::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(certs
        .into_iter()
        .map(|c| ChildLink {
            certificate_id: c.id,
            number: c.number.clone(),
            child_name: child_name(&c),
            current: Some(c.id) == current,
        })
        .collect())
}

/// The cabinet of the certificate the parent is looking at.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn cabinet(
    db: &DatabaseConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<CabinetView, AppError> {
    let c = current_certificate(db, user_id).await?;
    let cat = category::Entity::find_by_id(c.category_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let m = municipality::Entity::find_by_id(c.municipality_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let year = moscow_date(now).year();
    let financed = c.kind == "financed";
    let activated = c.status == "active";
    let limit_reached = financed && !activated && {
        let active = certificate::Entity::find()
            .filter(certificate::Column::MunicipalityId.eq(m.id))
            .filter(certificate::Column::Kind.eq("financed"))
            .filter(certificate::Column::Status.eq("active"))
            .count(db)
            .await
            .map_err(db_err)?;
        active >= u64::try_from(m.certificate_limit).unwrap_or(0)
    };
    let periods = if financed {
        period::Entity::find()
            .filter(period::Column::CertificateId.eq(c.id))
            .filter(period::Column::Year.is_in([year, year + 1]))
            .order_by_asc(period::Column::Year)
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|p| PeriodFigures {
                year: p.year,
                nominal: Money(p.nominal),
                balance: Money(p.balance),
                reserve: Money(p.reserve),
                paid: Money(p.paid),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut registries = Vec::new();
    for r in Registry::ALL {
        registries.push(RegistryUse {
            registry: r,
            used: i32::try_from(registry_used(db, c.id, year, r).await?).unwrap_or(i32::MAX),
            limit: registry_limit(&cat, r),
        });
    }
    let notifications = notification::Entity::find()
        .filter(notification::Column::CertificateId.eq(c.id))
        .order_by_desc(notification::Column::At)
        .order_by_desc(notification::Column::Id)
        .limit(30)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|n| NotificationView {
            at: format_moscow(n.at),
            text: n.text,
            unread: n.read_at.is_none(),
        })
        .collect();
    Ok(CabinetView {
        certificate_id: c.id,
        number: c.number.clone(),
        child_name: child_name(&c),
        birth_date: format_date(c.child_birth_date),
        category: cat.name,
        municipality: m.name,
        financed,
        activated,
        status_title: status_title(&c.status).into(),
        limit_message: limit_reached.then(|| LIMIT_REACHED.to_owned()),
        queue_position: queue_position(db, &c).await?,
        periods,
        registries,
        notifications,
        children: children(db, user_id).await?,
    })
}

/// Opens another child's cabinet: the certificate must be one this account may open.
///
/// # Errors
/// `NotFound` for a certificate the account may not open (someone else's looks the same as
/// none at all).
pub async fn switch(
    db: &DatabaseConnection,
    user_id: i64,
    certificate_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let done = access::Entity::update_many()
        .col_expr(access::Column::ChosenAt, Expr::value(now))
        .filter(access::Column::UserId.eq(user_id))
        .filter(access::Column::CertificateId.eq(certificate_id))
        .exec(db)
        .await
        .map_err(db_err)?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
