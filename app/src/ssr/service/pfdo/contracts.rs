//! Contracts: the parent's and the provider's lists and cards, every status change with its
//! money, prolongation into the next year, and the rating after the end.

use crate::domain::time::moscow_date;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, QueryOrder as _, Set,
};
use serde::{Deserialize, Serialize};

use super::applications::{
    Offer, free_place, make_quote, offer, open_codes, payer, write_payments,
};
use super::{
    charge, child_name, current_certificate, find_period, history, lock_certificate, may_open,
    notify, release,
};
use crate::domain::contact::{format_date, refusal_reason};
use crate::domain::nmo::plan::date_range;
use crate::domain::pfdo::contract::{Action, Actor, NOT_NOW, Status, Tab};
use crate::domain::pfdo::eligibility::{self as rules, rating_until};
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::quote::{end_of_month, first_of_month};
use crate::domain::time::format_moscow;
use crate::domain::time::month_year;
use crate::error::AppError;
use crate::model::pfdo::{
    ContractCard, ContractRow, ContractsView, HistoryLine, PaymentLine, Rating,
};
use crate::ssr::context::db_err;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{
    pfdo_certificate as certificate, pfdo_contract as contract,
    pfdo_contract_event as contract_event, pfdo_group as group, pfdo_module as module,
    pfdo_payment as payment, pfdo_programme as programme, provider,
};

/// How long the family may cancel a prolongation before it is accepted.
pub const PROLONG_DAYS: i64 = 7;

pub const NOT_PROLONGABLE: &str = "Продлить можно только действующий договор, группа которого \
     продолжает занятия в следующем году, и только один раз.";

/// Rows for the lists, with the names around each contract.
pub async fn rows(
    db: &impl ConnectionTrait,
    contracts: Vec<contract::Model>,
) -> Result<Vec<ContractRow>, AppError> {
    let ids = |f: fn(&contract::Model) -> i64| -> Vec<i64> {
        let mut v: Vec<i64> = contracts.iter().map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    // Each kind of row the contracts point to, loaded once by id.
    macro_rules! by_id {
        ($entity:ident, $field:ident) => {
            $entity::Entity::find()
                .filter($entity::Column::Id.is_in(ids(|c| c.$field)))
                .all(db)
                .await
                .map_err(db_err)?
                .into_iter()
                .map(|m| (m.id, m))
                .collect::<HashMap<i64, $entity::Model>>()
        };
    }
    let programmes = by_id!(programme, programme_id);
    let modules = by_id!(module, module_id);
    let groups = by_id!(group, group_id);
    let providers = by_id!(provider, provider_id);
    let certs = by_id!(certificate, certificate_id);
    Ok(contracts
        .into_iter()
        .map(|c| {
            let status = Status::from_code(c.status).unwrap_or(Status::Refused);
            ContractRow {
                id: c.id,
                number: c.number.clone(),
                status: c.status,
                status_title: status.title().into(),
                child_name: certs
                    .get(&c.certificate_id)
                    .map(child_name)
                    .unwrap_or_default(),
                certificate_number: certs
                    .get(&c.certificate_id)
                    .map(|x| x.number.clone())
                    .unwrap_or_default(),
                programme_id: c.programme_id,
                programme: programmes
                    .get(&c.programme_id)
                    .map(|p| p.title.clone())
                    .unwrap_or_default(),
                module: modules
                    .get(&c.module_id)
                    .map(|m| m.title.clone())
                    .unwrap_or_default(),
                group: groups
                    .get(&c.group_id)
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                provider: providers
                    .get(&c.provider_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                dates: date_range(Some(c.starts_on), Some(c.ends_on)).unwrap_or_default(),
                price: Money(c.price),
                certificate_share: Money(c.cert_share),
                family_share: Money(c.parent_share),
                reserve: Money(c.reserve),
                paid: Money(c.paid),
                created_at: format_moscow(c.created_at),
                reason: c.reason.clone(),
                closes_on: c.closes_on.map(format_date),
                prolong_due: c
                    .prolong_due
                    .filter(|_| status == Status::Confirmed)
                    .map(format_moscow),
            }
        })
        .collect())
}

fn tab_codes(tab: Tab) -> Vec<i16> {
    [
        Status::Created,
        Status::Confirmed,
        Status::Active,
        Status::Refused,
        Status::Closed,
    ]
    .into_iter()
    .filter(|s| s.tab() == tab)
    .map(Status::code)
    .collect()
}

async fn view(
    db: &impl ConnectionTrait,
    tab: &str,
    scope: sea_orm::Condition,
) -> Result<ContractsView, AppError> {
    let tab = Tab::from_code(tab).unwrap_or(Tab::Waiting);
    let mut counts = Vec::new();
    for t in Tab::ALL {
        let n = contract::Entity::find()
            .filter(scope.clone())
            .filter(contract::Column::Status.is_in(tab_codes(t)))
            .count(db)
            .await
            .map_err(db_err)?;
        counts.push((t.code().to_owned(), n));
    }
    let list = contract::Entity::find()
        .filter(scope)
        .filter(contract::Column::Status.is_in(tab_codes(tab)))
        .order_by_desc(contract::Column::CreatedAt)
        .order_by_desc(contract::Column::Id)
        .limit(200)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(ContractsView {
        tab: tab.code().into(),
        counts,
        contracts: rows(db, list).await?,
    })
}

use sea_orm::QuerySelect as _;

/// «Договоры» of the certificate the parent is looking at.
pub async fn parent_list(
    db: &DatabaseConnection,
    user_id: i64,
    tab: &str,
) -> Result<ContractsView, AppError> {
    let cert = current_certificate(db, user_id).await?;
    view(
        db,
        tab,
        sea_orm::Condition::all().add(contract::Column::CertificateId.eq(cert.id)),
    )
    .await
}

/// Applications and contracts for the provider's programmes.
pub async fn provider_list(
    db: &DatabaseConnection,
    provider_id: i64,
    tab: &str,
) -> Result<ContractsView, AppError> {
    view(
        db,
        tab,
        sea_orm::Condition::all().add(contract::Column::ProviderId.eq(provider_id)),
    )
    .await
}

/// The day the contract ends: its closing day when terminated early, else its last day.
pub fn ended_on(c: &contract::Model) -> NaiveDate {
    c.closes_on.unwrap_or(c.ends_on).min(c.ends_on)
}

/// The end of the rating window of a contract that has stopped.
pub fn rate_until(c: &contract::Model) -> Option<NaiveDate> {
    (c.status == Status::Closed.code())
        .then(|| rating_until(ended_on(c)))
        .flatten()
}

/// The contract's card for a parent who may open its certificate, or for its provider.
///
/// # Errors
/// `NotFound` for someone else's contract.
pub async fn card(
    db: &DatabaseConnection,
    viewer: Viewer,
    contract_id: i64,
    now: DateTime<Utc>,
) -> Result<ContractCard, AppError> {
    let c = authorised(db, viewer, contract_id).await?;
    let payments = payment::Entity::find()
        .filter(payment::Column::ContractId.eq(c.id))
        .order_by_asc(payment::Column::Month)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| PaymentLine {
            month: month_year(p.month),
            amount: Money(p.amount),
            paid: p.paid_at.is_some(),
        })
        .collect();
    let history = contract_event::Entity::find()
        .filter(contract_event::Column::ContractId.eq(c.id))
        .order_by_asc(contract_event::Column::At)
        .order_by_asc(contract_event::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|e| HistoryLine {
            at: format_moscow(e.at),
            text: e.text,
        })
        .collect();
    let status = Status::from_code(c.status).unwrap_or(Status::Refused);
    // The parent rates until then; the provider may record the child's achievements until then.
    let rate_until = rate_until(&c).filter(|until| *until >= moscow_date(now));
    let rating = match (
        c.rating_results,
        c.rating_staff,
        c.rating_resources,
        c.rating_overall,
    ) {
        (Some(results), Some(staff), Some(resources), Some(overall)) => Some(Rating {
            results,
            staff,
            resources,
            overall,
        }),
        _ => None,
    };
    let can_cancel = matches!(viewer, Viewer::Parent(_))
        && matches!(status, Status::Created | Status::Confirmed);
    let row = rows(db, vec![c]).await?.pop().ok_or(AppError::NotFound)?;
    Ok(ContractCard {
        contract: row,
        payments,
        history,
        can_cancel,
        rate_until: rate_until.map(format_date),
        rating,
    })
}

/// Who looks at or acts on a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// A parent's account id.
    Parent(i64),
    /// A provider's id.
    Provider(i64),
    System,
}

async fn authorised(
    db: &impl ConnectionTrait,
    viewer: Viewer,
    contract_id: i64,
) -> Result<contract::Model, AppError> {
    let c = contract::Entity::find_by_id(contract_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let ok = match viewer {
        Viewer::Parent(user) => may_open(db, user, c.certificate_id).await?,
        Viewer::Provider(p) => c.provider_id == p,
        Viewer::System => true,
    };
    if ok { Ok(c) } else { Err(AppError::NotFound) }
}

/// Whether the contract holds its child's place: a prolongation takes the place over from its
/// predecessor only when that one closes.
async fn holds_place(db: &impl ConnectionTrait, c: &contract::Model) -> Result<bool, AppError> {
    if let Some(prev) = c.prolonged_from {
        let prev_open = contract::Entity::find_by_id(prev)
            .one(db)
            .await
            .map_err(db_err)?
            .is_some_and(|p| Status::from_code(p.status).is_some_and(Status::is_open));
        return Ok(!prev_open);
    }
    Ok(true)
}

async fn successor_open(db: &impl ConnectionTrait, c: &contract::Model) -> Result<bool, AppError> {
    Ok(contract::Entity::find()
        .filter(contract::Column::ProlongedFrom.eq(c.id))
        .filter(contract::Column::Status.is_in(open_codes()))
        .count(db)
        .await
        .map_err(db_err)?
        > 0)
}

/// Moves a contract one step, with its money, history and the parent's notification, once:
/// the status update is conditional on the status read under the certificate's lock, so a
/// second click or a second instance changes nothing and hears [`NOT_NOW`].
///
/// # Errors
/// `NotFound` for someone else's contract, `Conflict(NOT_NOW)` for a step that does not apply,
/// `Domain` for a rule (a certificate not activated), `Validation` for a missing reason.
#[allow(clippy::too_many_lines)]
pub async fn act(
    db: &DatabaseConnection,
    viewer: Viewer,
    contract_id: i64,
    action: Action,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let today = moscow_date(now);
    let actor = match viewer {
        Viewer::Parent(_) => Actor::Parent,
        Viewer::Provider(_) => Actor::Provider,
        Viewer::System => Actor::System,
    };
    let c = authorised(db, viewer, contract_id).await?;
    if !action.allowed(actor) {
        return Err(AppError::Forbidden);
    }
    let reason = match action {
        Action::Refuse | Action::Terminate => Some(
            refusal_reason(reason.unwrap_or(""), 1000, "семья ребёнка")
                .map_err(|m| AppError::field("reason", m))?,
        ),
        _ => None,
    };
    let txn = begin_write(db).await.map_err(db_err)?;
    let cert = lock_certificate(&txn, c.certificate_id).await?;
    let c = contract::Entity::find_by_id(c.id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let from = Status::from_code(c.status).ok_or(AppError::Conflict(NOT_NOW.into()))?;
    let next = action
        .next(from)
        .map_err(|m| AppError::Conflict(m.into()))?;
    if action == Action::Conclude && cert.status != "active" {
        return Err(AppError::Domain(rules::NOT_ACTIVATED.into()));
    }
    if action == Action::Terminate && c.closes_on.is_some() {
        return Err(AppError::Conflict(
            "Договор уже расторгнут: он прекратит действие в конце месяца.".into(),
        ));
    }
    let at = now;
    let mut update = contract::Entity::update_many()
        .col_expr(contract::Column::Status, Expr::value(next.code()))
        .filter(contract::Column::Id.eq(c.id))
        .filter(contract::Column::Status.eq(from.code()));
    match action {
        Action::Confirm => {
            update = update.col_expr(contract::Column::ConfirmedAt, Expr::value(at));
        }
        Action::Conclude => {
            update = update.col_expr(contract::Column::ConcludedAt, Expr::value(at));
        }
        Action::Refuse | Action::Cancel | Action::Expire | Action::Close => {
            update = update.col_expr(contract::Column::ClosedAt, Expr::value(at));
        }
        Action::Terminate => {
            update = update
                .filter(contract::Column::ClosesOn.is_null())
                .col_expr(contract::Column::ClosesOn, Expr::value(end_of_month(today)));
        }
    }
    if let Some(r) = &reason {
        update = update.col_expr(contract::Column::Reason, Expr::value(r.clone()));
    }
    if action == Action::Expire {
        update = update.col_expr(contract::Column::Reason, Expr::value(EXPIRED.to_owned()));
    }
    if update.exec(&txn).await.map_err(db_err)?.rows_affected != 1 {
        return Err(AppError::Conflict(NOT_NOW.into()));
    }
    let programme_title = programme::Entity::find_by_id(c.programme_id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .map(|p| p.title)
        .unwrap_or_default();
    let (line, note) = match action {
        Action::Confirm => (
            "Организация подтвердила заявку: договор ожидает заключения.".to_owned(),
            format!(
                "Организация подтвердила заявку № {} на программу «{programme_title}».",
                c.number
            ),
        ),
        Action::Refuse | Action::Cancel | Action::Expire => {
            let back = c.reserve;
            release(&txn, &c, back).await?;
            payment::Entity::delete_many()
                .filter(payment::Column::ContractId.eq(c.id))
                .filter(payment::Column::PaidAt.is_null())
                .exec(&txn)
                .await
                .map_err(db_err)?;
            if holds_place(&txn, &c).await? {
                free_place(&txn, &c, back).await?;
            }
            let why = match action {
                Action::Refuse => format!(
                    "Организация отклонила заявку. Причина: {}",
                    reason.clone().unwrap_or_default()
                ),
                Action::Cancel => "Заявка отменена родителем («Отменить заявку»).".to_owned(),
                _ => format!("{EXPIRED}."),
            };
            let line = format!(
                "{why} Резерв {} возвращён на баланс сертификата.",
                Money(back)
            );
            let note = format!(
                "Заявка № {} на программу «{programme_title}»: {line}",
                c.number
            );
            (line, note)
        }
        Action::Conclude => {
            let first = payment::Entity::find()
                .filter(payment::Column::ContractId.eq(c.id))
                .filter(payment::Column::PaidAt.is_null())
                .order_by_asc(payment::Column::Month)
                .one(&txn)
                .await
                .map_err(db_err)?
                .filter(|p| p.month <= first_of_month(today));
            let paid = match first {
                Some(p) => pay(&txn, &c, &p, now).await?,
                None => 0,
            };
            let line = if paid > 0 {
                format!("Договор заключён. Оплачен первый месяц: {}.", Money(paid))
            } else {
                "Договор заключён; оплата из сертификата начнётся с первого месяца занятий."
                    .to_owned()
            };
            let note = format!(
                "Договор № {} на программу «{programme_title}»: {line}",
                c.number
            );
            (line, note)
        }
        Action::Terminate => {
            let later = payment::Entity::find()
                .filter(payment::Column::ContractId.eq(c.id))
                .filter(payment::Column::PaidAt.is_null())
                .filter(payment::Column::Month.gt(first_of_month(today)))
                .all(&txn)
                .await
                .map_err(db_err)?;
            let back: i64 = later.iter().map(|p| p.amount).sum();
            release(&txn, &c, back).await?;
            payment::Entity::delete_many()
                .filter(payment::Column::Id.is_in(later.iter().map(|p| p.id)))
                .exec(&txn)
                .await
                .map_err(db_err)?;
            if back > 0 {
                payer(&txn, c.provider_id, -back).await?;
            }
            let line = format!(
                "Организация расторгла договор: он прекращает действие {}. Причина: {}. На \
                 баланс возвращено {}.",
                format_date(end_of_month(today)),
                reason.clone().unwrap_or_default(),
                Money(back)
            );
            let note = format!(
                "Договор № {} на программу «{programme_title}»: {line}",
                c.number
            );
            (line, note)
        }
        Action::Close => {
            let back = c.reserve;
            release(&txn, &c, back).await?;
            payment::Entity::delete_many()
                .filter(payment::Column::ContractId.eq(c.id))
                .filter(payment::Column::PaidAt.is_null())
                .exec(&txn)
                .await
                .map_err(db_err)?;
            if !successor_open(&txn, &c).await? && holds_place(&txn, &c).await? {
                free_place(&txn, &c, back).await?;
            }
            let line = if back > 0 {
                format!(
                    "Договор прекратил действие. На баланс возвращено {}.",
                    Money(back)
                )
            } else {
                "Договор прекратил действие.".to_owned()
            };
            let note = format!(
                "Договор № {} на программу «{programme_title}» прекратил действие. Оцените \
                 программу в течение месяца.",
                c.number
            );
            (line, note)
        }
    };
    history(&txn, c.id, actor.code(), line, now).await?;
    notify(&txn, cert.id, note, now).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

pub const EXPIRED: &str = "Оферта отозвана в связи с превышением сроков акцепта (невозможно \
     заключить договор задним числом)";

/// Pays one month once: the payment is marked paid by a conditional update, and only the
/// caller that marked it moves the money. Returns the amount moved.
pub async fn pay(
    txn: &impl ConnectionTrait,
    c: &contract::Model,
    p: &payment::Model,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let marked = payment::Entity::update_many()
        .col_expr(payment::Column::PaidAt, Expr::value(now))
        .filter(payment::Column::Id.eq(p.id))
        .filter(payment::Column::PaidAt.is_null())
        .exec(txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if marked != 1 {
        return Ok(0);
    }
    charge(txn, c, p.amount).await?;
    Ok(p.amount)
}

/// The parent's rating: four sliders 0–100 %.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatingForm {
    pub results: String,
    pub staff: String,
    pub resources: String,
    pub overall: String,
}

/// «Оценить программу» within a month after the contract ended; the rating can be changed
/// in that month.
///
/// # Errors
/// `Validation` for a value outside 0–100; `Domain` outside the window; `NotFound`.
pub async fn rate(
    db: &DatabaseConnection,
    user_id: i64,
    contract_id: i64,
    form: &RatingForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let c = authorised(db, Viewer::Parent(user_id), contract_id).await?;
    let parse = |name: &str, v: &str| -> Result<i16, crate::error::FieldError> {
        v.trim()
            .trim_end_matches('%')
            .parse::<i16>()
            .ok()
            .filter(|n| (0..=100).contains(n))
            .ok_or_else(|| crate::error::FieldError::new(name, "Оценка — число от 0 до 100 %"))
    };
    let values = [
        parse("results", &form.results),
        parse("staff", &form.staff),
        parse("resources", &form.resources),
        parse("overall", &form.overall),
    ];
    let errors: Vec<_> = values.iter().filter_map(|v| v.clone().err()).collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let [a, b, cc, d] = values.map(|v| v.unwrap_or(0));
    match rate_until(&c) {
        Some(until) if until >= moscow_date(now) => {}
        _ => {
            return Err(AppError::Domain(
                "Оценить программу можно в течение месяца после окончания договора.".into(),
            ));
        }
    }
    contract::Entity::update_many()
        .col_expr(contract::Column::RatingResults, Expr::value(a))
        .col_expr(contract::Column::RatingStaff, Expr::value(b))
        .col_expr(contract::Column::RatingResources, Expr::value(cc))
        .col_expr(contract::Column::RatingOverall, Expr::value(d))
        .col_expr(contract::Column::RatedAt, Expr::value(now))
        .filter(contract::Column::Id.eq(c.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// «Продлить»: an active contract whose group goes on after 31 December gets a contract for the
/// next year, confirmed by the provider; the family has 7 days to cancel it, then it is
/// accepted automatically. The next year's money is reserved now.
///
/// # Errors
/// `Domain` with the reason it cannot be prolonged; `NotFound` for another provider's contract.
pub async fn prolong(
    db: &DatabaseConnection,
    provider_id: i64,
    contract_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let c = authorised(db, Viewer::Provider(provider_id), contract_id).await?;
    let o: Offer = offer(db, c.group_id).await?;
    let next_year = c.year + 1;
    let year_end = NaiveDate::from_ymd_opt(c.year, 12, 31).ok_or(AppError::NotFound)?;
    if c.status != Status::Active.code() || c.closes_on.is_some() || o.group.ends_on <= year_end {
        return Err(AppError::Domain(NOT_PROLONGABLE.into()));
    }
    let txn = begin_write(db).await.map_err(db_err)?;
    let cert = lock_certificate(&txn, c.certificate_id).await?;
    if successor_open(&txn, &c).await? {
        return Err(AppError::Domain(NOT_PROLONGABLE.into()));
    }
    let balance = find_period(&txn, cert.id, next_year)
        .await?
        .map(|p| Money(p.balance));
    let funding = o.registry().funding();
    let Some(balance) = balance.or_else(|| {
        (funding != crate::domain::pfdo::registry::Funding::Certificate).then_some(Money::ZERO)
    }) else {
        return Err(AppError::Domain(rules::NO_PERIOD.into()));
    };
    let jan = NaiveDate::from_ymd_opt(next_year, 1, 1).ok_or(AppError::NotFound)?;
    let q = make_quote(&o, next_year, jan, balance)?;
    if !super::reserve(&txn, cert.id, next_year, q.certificate_share.0).await? {
        return Err(AppError::Domain(rules::balance_short(balance)));
    }
    if o.organisation.is_some() && !payer(&txn, o.provider.id, q.certificate_share.0).await? {
        return Err(AppError::Domain(rules::payer_limit(&o.provider.name)));
    }
    let n = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(cert.id))
        .count(&txn)
        .await
        .map_err(db_err)?;
    let due = now + TimeDelta::days(PROLONG_DAYS);
    let new = contract::ActiveModel {
        number: Set(format!("{}/{}", cert.number, n + 1)),
        certificate_id: Set(cert.id),
        year: Set(next_year),
        programme_id: Set(c.programme_id),
        module_id: Set(c.module_id),
        group_id: Set(c.group_id),
        provider_id: Set(c.provider_id),
        status: Set(Status::Confirmed.code()),
        starts_on: Set(q.starts_on),
        ends_on: Set(q.ends_on),
        price: Set(q.price.0),
        cert_share: Set(q.certificate_share.0),
        parent_share: Set(q.family_share.0),
        reserve: Set(q.certificate_share.0),
        paid: Set(0),
        created_by: Set("provider".into()),
        created_at: Set(now),
        confirmed_at: Set(Some(now)),
        prolonged_from: Set(Some(c.id)),
        prolong_due: Set(Some(due)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if crate::ssr::db::is_unique_violation(&e) {
            AppError::Domain(NOT_PROLONGABLE.into())
        } else {
            db_err(e)
        }
    })?;
    write_payments(&txn, new.id, &q).await?;
    history(
        &txn,
        new.id,
        "provider",
        format!(
            "Организация продлила договор № {} на {next_year} год: {} — {}, из сертификата — \
             {}. Если семья не отменит продление до {}, оно будет принято автоматически.",
            c.number,
            format_date(q.starts_on),
            format_date(q.ends_on),
            q.certificate_share,
            format_moscow(due)
        ),
        now,
    )
    .await?;
    notify(
        &txn,
        cert.id,
        format!(
            "Организация «{}» предлагает продлить договор № {} на {next_year} год. Отменить \
             продление можно до {} («Отменить заявку» в карточке договора № {}).",
            o.provider.name,
            c.number,
            format_moscow(due),
            new.number
        ),
        now,
    )
    .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(new.id)
}
