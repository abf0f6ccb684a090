//! The ПФДО jobs: the year's rollover, the monthly decrease of unused nominals, the monthly
//! charges, the offers not accepted in time, prolongations the family did not cancel, and
//! contracts past their end. Each job is idempotent (running it twice is running it once)
//! and safe with several instances: every change is a conditional update on the state it
//! starts from, and [`run_all`] also takes a lease so instances do not duplicate the work.

use chrono::{DateTime, Datelike as _, NaiveDate, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, Set,
};

use super::contracts::{Viewer, act, pay};
use super::lock_certificate;
use crate::domain::pfdo::contract::{Action, Status};
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::nominal::prorated;
use crate::domain::pfdo::quote::first_of_month;
use crate::domain::time::moscow_date;
use crate::error::AppError;
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    job_lease, pfdo_certificate as certificate, pfdo_certificate_period as period,
    pfdo_contract as contract, pfdo_nominal as nominal, pfdo_payment as payment,
};

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub burnt: u64,
    pub periods_opened: u64,
    pub decreased: u64,
    pub charged: u64,
    pub expired: u64,
    pub accepted: u64,
    pub closed: u64,
}

/// Takes the named lease for `ttl` when it is free or has run out; `true` when this holder
/// has it. One conditional update decides between instances.
pub async fn take_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    ttl: TimeDelta,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let inserted = job_lease::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        until: Set(at + ttl),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => return Ok(true),
        Err(e) if is_unique_violation(&e) => {}
        Err(e) => return Err(db_err(e)),
    }
    let taken = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder.to_owned()))
        .col_expr(job_lease::Column::Until, Expr::value(at + ttl))
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            job_lease::Column::Until
                .lt(at)
                .or(job_lease::Column::Holder.eq(holder)),
        )
        .exec(db)
        .await
        .map_err(db_err)?
        .rows_affected;
    Ok(taken == 1)
}

/// Gives the lease back early.
pub async fn drop_lease(db: &DatabaseConnection, name: &str, holder: &str) -> Result<(), AppError> {
    job_lease::Entity::delete_many()
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Every job in order, under the `pfdo` lease; `None` when another instance holds it.
///
/// # Errors
/// The first database failure.
pub async fn run_all(
    db: &DatabaseConnection,
    holder: &str,
    at: DateTime<Utc>,
) -> Result<Option<Report>, AppError> {
    if !take_lease(db, "pfdo", holder, TimeDelta::minutes(10), at).await? {
        return Ok(None);
    }
    let result = run_jobs(db, at).await;
    drop_lease(db, "pfdo", holder).await?;
    result.map(Some)
}

/// Every job in order, without the lease (tests race two of these on purpose).
///
/// # Errors
/// The first database failure.
pub async fn run_jobs(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<Report, AppError> {
    let mut r = Report {
        periods_opened: open_periods(db, at).await?,
        ..Report::default()
    };
    r.expired = expire_offers(db, at).await?;
    r.accepted = accept_prolongations(db, at).await?;
    r.charged = charge_due(db, at).await?;
    r.closed = close_ended(db, at).await?;
    // After the steps that give money back, so a second run the same night finds nothing to
    // do: an offer withdrawn tonight leaves a certificate without a contract this month, and
    // on 1 January the contracts of the year just over return what they still reserved
    // before that year's unused balance is burnt.
    r.decreased = monthly_decrease(db, at).await?;
    r.burnt = rollover(db, at).await?;
    Ok(r)
}

/// The year is over: what is left on the balance of past years does not carry over.
pub async fn rollover(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<u64, AppError> {
    let today = moscow_date(at);
    Ok(period::Entity::update_many()
        .col_expr(
            period::Column::Nominal,
            Expr::col(period::Column::Nominal).sub(Expr::col(period::Column::Balance)),
        )
        .col_expr(period::Column::Balance, Expr::value(0i64))
        .filter(period::Column::Year.lt(today.year()))
        .filter(period::Column::Balance.gt(0))
        .exec(db)
        .await
        .map_err(db_err)?
        .rows_affected)
}

/// Gives every financed certificate its money for this year (pro-rated by the months left)
/// and for the next one once the operator has set its nominal. A row another instance wrote
/// first is left alone.
pub async fn open_periods(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<u64, AppError> {
    let today = moscow_date(at);
    let mut opened = 0;
    for year in [today.year(), today.year() + 1] {
        let nominals = nominal::Entity::find()
            .filter(nominal::Column::Year.eq(year))
            .all(db)
            .await
            .map_err(db_err)?;
        for n in nominals {
            let missing = certificate::Entity::find()
                .filter(certificate::Column::CategoryId.eq(n.category_id))
                .filter(certificate::Column::Kind.eq("financed"))
                .filter(
                    certificate::Column::Id.not_in_subquery(
                        Query::select()
                            .column(period::Column::CertificateId)
                            .from(period::Entity)
                            .and_where(Expr::col(period::Column::Year).eq(year))
                            .to_owned(),
                    ),
                )
                .all(db)
                .await
                .map_err(db_err)?;
            for c in missing {
                if open_period(db, c.id, year, Money(n.amount), today).await? {
                    opened += 1;
                }
            }
        }
    }
    Ok(opened)
}

/// Writes a certificate's row for `year`: the whole nominal for a future year, the pro-rated
/// one for the current year. `false` when the row is already there.
pub async fn open_period(
    db: &impl ConnectionTrait,
    certificate_id: i64,
    year: i32,
    annual: Money,
    today: NaiveDate,
) -> Result<bool, AppError> {
    let amount = if year == today.year() {
        prorated(annual, today.month())
    } else {
        annual
    };
    let inserted = period::ActiveModel {
        certificate_id: Set(certificate_id),
        year: Set(year),
        nominal: Set(amount.0),
        balance: Set(amount.0),
        reserve: Set(0),
        paid: Set(0),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(db_err(e)),
    }
}

/// While a certificate has no contract this year (nothing reserved, nothing paid), its nominal
/// is the year's nominal × months left / 12. Computed from the month, not subtracted, so a
/// second run in the same month changes nothing; the condition on reserve and paid is checked
/// by the update itself, so an application racing it keeps the invariant.
pub async fn monthly_decrease(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<u64, AppError> {
    let today = moscow_date(at);
    let year = today.year();
    let nominals = nominal::Entity::find()
        .filter(nominal::Column::Year.eq(year))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut changed = 0;
    for n in nominals {
        let amount = prorated(Money(n.amount), today.month()).0;
        changed += period::Entity::update_many()
            .col_expr(period::Column::Nominal, Expr::value(amount))
            .col_expr(period::Column::Balance, Expr::value(amount))
            .filter(period::Column::Year.eq(year))
            .filter(period::Column::Reserve.eq(0))
            .filter(period::Column::Paid.eq(0))
            .filter(period::Column::Nominal.gt(amount))
            .filter(
                period::Column::CertificateId.in_subquery(
                    Query::select()
                        .column(certificate::Column::Id)
                        .from(certificate::Entity)
                        .and_where(Expr::col(certificate::Column::CategoryId).eq(n.category_id))
                        .to_owned(),
                ),
            )
            .exec(db)
            .await
            .map_err(db_err)?
            .rows_affected;
    }
    Ok(changed)
}

/// Each month's payment of an active contract moves from reserve to paid once its month has
/// begun.
pub async fn charge_due(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<u64, AppError> {
    let today = moscow_date(at);
    let due = payment::Entity::find()
        .filter(payment::Column::PaidAt.is_null())
        .filter(payment::Column::Month.lte(first_of_month(today)))
        .filter(
            payment::Column::ContractId.in_subquery(
                Query::select()
                    .column(contract::Column::Id)
                    .from(contract::Entity)
                    .and_where(Expr::col(contract::Column::Status).eq(Status::Active.code()))
                    .to_owned(),
            ),
        )
        .all(db)
        .await
        .map_err(db_err)?;
    let mut charged = 0;
    for p in due {
        let txn = begin_write(db).await.map_err(db_err)?;
        let Some(c) = contract::Entity::find_by_id(p.contract_id)
            .one(&txn)
            .await
            .map_err(db_err)?
        else {
            continue;
        };
        lock_certificate(&txn, c.certificate_id).await?;
        let c = contract::Entity::find_by_id(c.id)
            .one(&txn)
            .await
            .map_err(db_err)?
            .filter(|c| c.status == Status::Active.code());
        if let Some(c) = c
            && pay(&txn, &c, &p, at).await? > 0
        {
            charged += 1;
        }
        txn.commit().await.map_err(db_err)?;
    }
    Ok(charged)
}

/// Steps taken by a job: a step another instance took first is not an error.
async fn system_step(
    db: &DatabaseConnection,
    id: i64,
    action: Action,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    match act(db, Viewer::System, id, action, None, at).await {
        Ok(()) => Ok(true),
        Err(AppError::Conflict(_) | AppError::Domain(_) | AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Offers neither concluded nor refused by the end of the month after the one study should
/// have started in: «Оферта отозвана в связи с превышением сроков акцепта…».
pub async fn expire_offers(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<u64, AppError> {
    let today = moscow_date(at);
    let this_month = first_of_month(today);
    let previous = first_of_month(this_month.pred_opt().unwrap_or(this_month));
    let stale = contract::Entity::find()
        .filter(contract::Column::Status.is_in([Status::Created.code(), Status::Confirmed.code()]))
        .filter(contract::Column::StartsOn.lt(previous))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut n = 0;
    for c in stale {
        if system_step(db, c.id, Action::Expire, at).await? {
            n += 1;
        }
    }
    Ok(n)
}

/// Prolongations the family did not cancel within 7 days are concluded.
pub async fn accept_prolongations(
    db: &DatabaseConnection,
    at: DateTime<Utc>,
) -> Result<u64, AppError> {
    let due = contract::Entity::find()
        .filter(contract::Column::Status.eq(Status::Confirmed.code()))
        .filter(contract::Column::ProlongedFrom.is_not_null())
        .filter(contract::Column::ProlongDue.lte(at))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut n = 0;
    for c in due {
        if system_step(db, c.id, Action::Conclude, at).await? {
            n += 1;
        }
    }
    Ok(n)
}

/// Active contracts past their last day, or past the end of the month they were terminated
/// in, stop («Прекратил действие»).
pub async fn close_ended(db: &DatabaseConnection, at: DateTime<Utc>) -> Result<u64, AppError> {
    let today = moscow_date(at);
    let ended = contract::Entity::find()
        .filter(contract::Column::Status.eq(Status::Active.code()))
        .filter(
            contract::Column::EndsOn
                .lt(today)
                .or(contract::Column::ClosesOn.lt(today)),
        )
        .all(db)
        .await
        .map_err(db_err)?;
    let mut n = 0;
    for c in ended {
        if system_step(db, c.id, Action::Close, at).await? {
            n += 1;
        }
    }
    Ok(n)
}
