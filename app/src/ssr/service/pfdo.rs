//! ПФДО: certificates and their money, the navigator, applications and contracts, and the
//! jobs that move money month by month. Every money move is one conditional `UPDATE` inside
//! the caller's transaction, so the CHECK constraints and the conditions together keep
//! `nominal = balance + reserve + paid` whatever races.

pub mod applications;
pub mod cabinet;
pub mod certificates;
pub mod contracts;
pub mod events;
pub mod jobs;
pub mod navigator;
pub mod operator;
pub mod portfolio;
pub mod registries;
pub mod schedule;
pub mod settings;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, Set,
};

use crate::domain::contact::full_name;
use crate::error::AppError;
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    pfdo_certificate as certificate, pfdo_certificate_access as access,
    pfdo_certificate_period as period, pfdo_contract as contract,
    pfdo_contract_event as contract_event, pfdo_notification as notification,
};

pub fn child_name(c: &certificate::Model) -> String {
    full_name(
        &c.child_last_name,
        &c.child_first_name,
        c.child_middle_name.as_deref(),
    )
}

/// The certificate the parent is looking at: the one chosen last among those the account may
/// open (its own, and those merged into it).
///
/// # Errors
/// `Forbidden` when the account has no certificate.
pub async fn current_certificate(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<certificate::Model, AppError> {
    let Some(link) = access::Entity::find()
        .filter(access::Column::UserId.eq(user_id))
        .order_by_desc(access::Column::ChosenAt)
        .one(db)
        .await
        .map_err(db_err)?
    else {
        return Err(AppError::Forbidden);
    };
    certificate::Entity::find_by_id(link.certificate_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::Forbidden)
}

/// Whether the account may open the certificate.
pub async fn may_open(
    db: &impl ConnectionTrait,
    user_id: i64,
    certificate_id: i64,
) -> Result<bool, AppError> {
    Ok(access::Entity::find_by_id((user_id, certificate_id))
        .one(db)
        .await
        .map_err(db_err)?
        .is_some())
}

/// Takes the certificate's row lock on PostgreSQL (SQLite's `BEGIN IMMEDIATE` already
/// serialises writers): everything that counts a certificate's contracts and then writes one
/// goes through here first.
pub async fn lock_certificate(
    txn: &impl ConnectionTrait,
    id: i64,
) -> Result<certificate::Model, AppError> {
    certificate::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

pub async fn find_period(
    db: &impl ConnectionTrait,
    certificate_id: i64,
    year: i32,
) -> Result<Option<period::Model>, AppError> {
    period::Entity::find_by_id((certificate_id, year))
        .one(db)
        .await
        .map_err(db_err)
}

/// Balance → reserve; `false` (nothing moved) when the balance is short.
pub async fn reserve(
    txn: &impl ConnectionTrait,
    certificate_id: i64,
    year: i32,
    amount: i64,
) -> Result<bool, AppError> {
    if amount == 0 {
        return Ok(true);
    }
    let moved = period::Entity::update_many()
        .col_expr(
            period::Column::Balance,
            Expr::col(period::Column::Balance).sub(amount),
        )
        .col_expr(
            period::Column::Reserve,
            Expr::col(period::Column::Reserve).add(amount),
        )
        .filter(period::Column::CertificateId.eq(certificate_id))
        .filter(period::Column::Year.eq(year))
        .filter(period::Column::Balance.gte(amount))
        .exec(txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    Ok(moved == 1)
}

/// Reserve → balance for the certificate and the contract (a refusal, a cancellation, an
/// expiry, a termination's later months).
pub async fn release(
    txn: &impl ConnectionTrait,
    c: &contract::Model,
    amount: i64,
) -> Result<(), AppError> {
    if amount <= 0 {
        return Ok(());
    }
    move_money(txn, c, amount, period::Column::Balance).await
}

/// Reserve → paid for the certificate and the contract (a month's payment).
pub async fn charge(
    txn: &impl ConnectionTrait,
    c: &contract::Model,
    amount: i64,
) -> Result<(), AppError> {
    if amount <= 0 {
        return Ok(());
    }
    move_money(txn, c, amount, period::Column::Paid).await
}

async fn move_money(
    txn: &impl ConnectionTrait,
    c: &contract::Model,
    amount: i64,
    to: period::Column,
) -> Result<(), AppError> {
    let done = period::Entity::update_many()
        .col_expr(
            period::Column::Reserve,
            Expr::col(period::Column::Reserve).sub(amount),
        )
        .col_expr(to, Expr::col(to).add(amount))
        .filter(period::Column::CertificateId.eq(c.certificate_id))
        .filter(period::Column::Year.eq(c.year))
        .filter(period::Column::Reserve.gte(amount))
        .exec(txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    let mut update = contract::Entity::update_many().col_expr(
        contract::Column::Reserve,
        Expr::col(contract::Column::Reserve).sub(amount),
    );
    if matches!(to, period::Column::Paid) {
        update = update.col_expr(
            contract::Column::Paid,
            Expr::col(contract::Column::Paid).add(amount),
        );
    }
    let done_contract = update
        .filter(contract::Column::Id.eq(c.id))
        .filter(contract::Column::Reserve.gte(amount))
        .exec(txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if done != 1 || done_contract != 1 {
        // The caller's conditional status update makes this unreachable; refuse rather than
        // let the two ledgers drift.
        return Err(AppError::Conflict(
            "Деньги по договору уже учтены: обновите страницу".into(),
        ));
    }
    Ok(())
}

/// A line in the contract's history.
pub async fn history(
    txn: &impl ConnectionTrait,
    contract_id: i64,
    actor: &str,
    text: impl Into<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    contract_event::ActiveModel {
        contract_id: Set(contract_id),
        at: Set(now),
        actor: Set(actor.to_owned()),
        text: Set(text.into()),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// An «Оповещение» for the certificate's parent.
pub async fn notify(
    txn: &impl ConnectionTrait,
    certificate_id: i64,
    text: impl Into<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notification::ActiveModel {
        certificate_id: Set(certificate_id),
        at: Set(now),
        text: Set(text.into()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The financial years a certificate can be used for now: this one and the next.
pub fn years_from(on: NaiveDate) -> [i32; 2] {
    [on.year(), on.year() + 1]
}

/// Checks the money invariant over the whole database: every period balances, and its reserve
/// and paid money equal the sums over the certificate's contracts of that year. Tests call it
/// after every scenario.
///
/// # Errors
/// A description of the first broken row.
pub async fn check_invariant(db: &impl ConnectionTrait) -> Result<(), String> {
    let periods = period::Entity::find()
        .all(db)
        .await
        .map_err(|e| e.to_string())?;
    let contracts = contract::Entity::find()
        .all(db)
        .await
        .map_err(|e| e.to_string())?;
    for p in periods {
        if p.nominal != p.balance + p.reserve + p.paid
            || p.balance < 0
            || p.reserve < 0
            || p.paid < 0
        {
            return Err(format!("period breaks the invariant: {p:?}"));
        }
        let mine = contracts
            .iter()
            .filter(|c| c.certificate_id == p.certificate_id && c.year == p.year);
        let (reserve, paid) = mine.fold((0, 0), |(r, pd), c| (r + c.reserve, pd + c.paid));
        if reserve != p.reserve || paid != p.paid {
            return Err(format!(
                "contracts hold reserve {reserve} and paid {paid}, the period says {p:?}"
            ));
        }
    }
    for c in &contracts {
        let open = crate::domain::pfdo::contract::Status::from_code(c.status)
            .is_some_and(crate::domain::pfdo::contract::Status::is_open);
        if c.reserve < 0
            || c.paid < 0
            || c.reserve + c.paid > c.cert_share
            || (!open && c.reserve != 0)
        {
            return Err(format!("contract breaks the rules: {c:?}"));
        }
    }
    Ok(())
}
