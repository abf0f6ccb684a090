//! An application: the quote, the eligibility rules, and the submission that moves the
//! certificate's share from balance to reserve in the same transaction as it takes the place.

use crate::domain::time::moscow_date;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, Set,
};
use serde::{Deserialize, Serialize};

use super::{child_name, current_certificate, find_period, history, lock_certificate, notify};
use crate::domain::contact::format_date;
use crate::domain::pfdo::contract::Status;
use crate::domain::pfdo::eligibility::{self as rules, Facts, Place, first_obstacle};
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::quote::{Quote, QuoteInput, earliest, quote};
use crate::domain::pfdo::registry::Registry;
use crate::domain::pfdo::{age_on, confirm};
use crate::error::{AppError, FieldError};
use crate::model::pfdo::QuoteView;
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_contract as contract,
    pfdo_group as group, pfdo_module as module, pfdo_organisation as organisation,
    pfdo_payment as payment, pfdo_programme as programme, provider,
};

/// A group with everything around it.
#[derive(Debug, Clone)]
pub struct Offer {
    pub group: group::Model,
    pub module: module::Model,
    pub programme: programme::Model,
    pub provider: provider::Model,
    pub organisation: Option<organisation::Model>,
}

impl Offer {
    pub fn registry(&self) -> Registry {
        Registry::from_code(&self.programme.registry).unwrap_or(Registry::Paid)
    }
}

/// Loads a visible programme's group.
///
/// # Errors
/// `NotFound` for an unknown group or a hidden programme.
pub async fn offer(db: &impl ConnectionTrait, group_id: i64) -> Result<Offer, AppError> {
    let group = group::Entity::find_by_id(group_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let module = module::Entity::find_by_id(group.module_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let programme = programme::Entity::find_by_id(module.programme_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|p| p.visible)
        .ok_or(AppError::NotFound)?;
    let provider = provider::Entity::find_by_id(programme.provider_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let organisation = organisation::Entity::find_by_id(programme.provider_id)
        .one(db)
        .await
        .map_err(db_err)?;
    Ok(Offer {
        group,
        module,
        programme,
        provider,
        organisation,
    })
}

/// The quote for a certificate, a group and a year against a balance.
///
/// # Errors
/// `Domain` when no day of study is left in the year.
pub fn make_quote(
    offer: &Offer,
    year: i32,
    on: NaiveDate,
    balance: Money,
) -> Result<Quote, AppError> {
    quote(&QuoteInput {
        funding: offer.registry().funding(),
        price: Money(offer.module.price),
        normative_price: Money(offer.module.normative_price),
        module_starts: offer.module.starts_on,
        module_ends: offer.module.ends_on,
        group_starts: offer.group.starts_on,
        group_ends: offer.group.ends_on,
        year,
        earliest: on,
        balance,
    })
    .map_err(|m| AppError::Domain(m.into()))
}

/// The first rule the application breaks (see [`first_obstacle`]). The counters read here
/// are checked again, atomically, when the application is written.
pub async fn obstacle(
    db: &impl ConnectionTrait,
    cert: &certificate::Model,
    offer: &Offer,
    year: i32,
    share: Money,
    on: NaiveDate,
) -> Result<Option<String>, AppError> {
    let p = &offer.programme;
    let registry = offer.registry();
    let same_module = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(cert.id))
        .filter(contract::Column::ModuleId.eq(offer.module.id))
        .filter(contract::Column::Year.eq(year))
        .filter(contract::Column::Status.is_in(open_codes()))
        .count(db)
        .await
        .map_err(db_err)?;
    let category = category::Entity::find_by_id(cert.category_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let org = offer.organisation.as_ref();
    Ok(first_obstacle(&Facts {
        age: age_on(cert.child_birth_date, on),
        age_from: p.age_from,
        age_to: p.age_to,
        same_module: same_module > 0,
        registry,
        financed: cert.kind == "financed",
        balance: find_period(db, cert.id, year).await?.map(|x| x.balance),
        place: if offer.group.taken >= offer.group.capacity {
            Place::GroupFull(offer.group.name.clone())
        } else {
            Place::Free
        },
        programme_title: p.title.clone(),
        programme_full: p.children >= p.max_children,
        provider_name: offer.provider.name.clone(),
        provider_full: org.is_some_and(|o| o.children >= o.max_children),
        payer_short: org.is_some_and(|o| share.0 > 0 && o.payer_used + share.0 > o.payer_limit),
        registry_used: registry_used(db, cert.id, year, registry).await?,
        registry_limit: registry_limit(&category, registry),
    }))
}

pub fn open_codes() -> [i16; 3] {
    [
        Status::Created.code(),
        Status::Confirmed.code(),
        Status::Active.code(),
    ]
}

pub fn registry_limit(c: &category::Model, r: Registry) -> i32 {
    match r {
        Registry::Certified => c.limit_certified,
        Registry::Significant => c.limit_significant,
        Registry::Paid => c.limit_paid,
        Registry::General => c.limit_general,
    }
}

/// Open contracts of the certificate in the year for programmes of the registry.
pub async fn registry_used(
    db: &impl ConnectionTrait,
    certificate_id: i64,
    year: i32,
    registry: Registry,
) -> Result<i64, AppError> {
    let n = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(certificate_id))
        .filter(contract::Column::Year.eq(year))
        .filter(contract::Column::Status.is_in(open_codes()))
        .filter(
            contract::Column::ProgrammeId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(programme::Column::Id)
                    .from(programme::Entity)
                    .and_where(Expr::col(programme::Column::Registry).eq(registry.code()))
                    .to_owned(),
            ),
        )
        .count(db)
        .await
        .map_err(db_err)?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The quote the parent sees before confirming.
///
/// # Errors
/// `NotFound` for an unknown group; `Domain` when the year is not offered.
pub async fn quote_for(
    db: &DatabaseConnection,
    user_id: i64,
    group_id: i64,
    year: Option<i32>,
    now: DateTime<Utc>,
) -> Result<QuoteView, AppError> {
    let cert = current_certificate(db, user_id).await?;
    let offer = offer(db, group_id).await?;
    let today = moscow_date(now);
    let years = super::years_from(today);
    let year = year.unwrap_or(years[0]);
    if !years.contains(&year) {
        return Err(AppError::BadRequest(format!(
            "Заявку можно подать на {} или {} год",
            years[0], years[1]
        )));
    }
    let balance = find_period(db, cert.id, year)
        .await?
        .map_or(Money::ZERO, |p| Money(p.balance));
    let q = make_quote(&offer, year, earliest(year, today), balance)?;
    let obstacle = obstacle(db, &cert, &offer, year, q.certificate_share, today).await?;
    Ok(QuoteView {
        programme_id: offer.programme.id,
        programme: offer.programme.title.clone(),
        module_id: offer.module.id,
        module: offer.module.title.clone(),
        group_id: offer.group.id,
        group: offer.group.name.clone(),
        provider: offer.provider.name.clone(),
        year,
        starts_on: format_date(q.starts_on),
        ends_on: format_date(q.ends_on),
        price: q.price,
        certificate_share: q.certificate_share,
        family_share: q.family_share,
        payments: q.payments,
        balance: q.balance,
        obstacle,
        years: years.to_vec(),
    })
}

/// The submitted form: the quote's share and the three confirmations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    pub group_id: i64,
    pub year: i32,
    /// The certificate's share the quote showed, in kopecks.
    pub share: i64,
    pub confirm_apply: Option<String>,
    pub confirm_family: Option<String>,
    pub confirm_terms: Option<String>,
}

/// Who writes the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Parent,
    Provider,
}

/// Submits the application. Inside one transaction (the certificate's row locked): the quote
/// is made again against the balance as it is now and must give the same share; every rule is
/// checked; the group, programme and organisation counters take the place (each a conditional
/// update that cannot overrun); the share moves from balance to reserve.
///
/// # Errors
/// `Validation` for missing confirmations; `Domain` with the rule's message; `NotFound`.
pub async fn submit(
    db: &DatabaseConnection,
    user_id: i64,
    form: &ApplyForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let cert = current_certificate(db, user_id).await?;
    let mut missing = Vec::new();
    if form.confirm_apply.is_none() {
        missing.push(FieldError::new("confirm_apply", rules::CONFIRMATIONS));
    }
    if form.confirm_family.is_none() {
        missing.push(FieldError::new("confirm_family", rules::CONFIRMATIONS));
    }
    if form.confirm_terms.is_none() {
        missing.push(FieldError::new("confirm_terms", rules::CONFIRMATIONS));
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    write(db, &cert, form, Author::Parent, now).await
}

/// Writes an application for `cert` (by the parent, or by a provider on the child's behalf).
///
/// # Errors
/// As [`submit`].
pub async fn write(
    db: &DatabaseConnection,
    cert: &certificate::Model,
    form: &ApplyForm,
    author: Author,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let today = moscow_date(now);
    if !super::years_from(today).contains(&form.year) {
        return Err(AppError::BadRequest("Неверный период заявки".into()));
    }
    let offer = offer(db, form.group_id).await?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let cert = lock_certificate(&txn, cert.id).await?;
    let balance = find_period(&txn, cert.id, form.year)
        .await?
        .map_or(Money::ZERO, |p| Money(p.balance));
    let q = make_quote(&offer, form.year, earliest(form.year, today), balance)?;
    // Fresh counters under the lock.
    let offer = Offer {
        group: group::Entity::find_by_id(offer.group.id)
            .one(&txn)
            .await
            .map_err(db_err)?
            .ok_or(AppError::NotFound)?,
        ..offer
    };
    if let Some(why) = obstacle(&txn, &cert, &offer, form.year, q.certificate_share, today).await? {
        return Err(AppError::Domain(why));
    }
    if q.certificate_share.0 != form.share {
        return Err(AppError::Domain(rules::BALANCE_CHANGED.into()));
    }
    take_place(&txn, &offer, q.certificate_share.0).await?;
    if !super::reserve(&txn, cert.id, form.year, q.certificate_share.0).await? {
        return Err(AppError::Domain(rules::BALANCE_CHANGED.into()));
    }
    let n = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(cert.id))
        .count(&txn)
        .await
        .map_err(db_err)?;
    let inserted = contract::ActiveModel {
        number: Set(format!("{}/{}", cert.number, n + 1)),
        certificate_id: Set(cert.id),
        year: Set(form.year),
        programme_id: Set(offer.programme.id),
        module_id: Set(offer.module.id),
        group_id: Set(offer.group.id),
        provider_id: Set(offer.provider.id),
        status: Set(Status::Created.code()),
        starts_on: Set(q.starts_on),
        ends_on: Set(q.ends_on),
        price: Set(q.price.0),
        cert_share: Set(q.certificate_share.0),
        parent_share: Set(q.family_share.0),
        reserve: Set(q.certificate_share.0),
        paid: Set(0),
        created_by: Set(match author {
            Author::Parent => "parent",
            Author::Provider => "provider",
        }
        .into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let c = match inserted {
        Ok(c) => c,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Domain(rules::SAME_MODULE.into()));
        }
        Err(e) => return Err(db_err(e)),
    };
    write_payments(&txn, c.id, &q).await?;
    let who = match author {
        Author::Parent => "родителем",
        Author::Provider => "организацией от имени ребёнка",
    };
    history(
        &txn,
        c.id,
        if author == Author::Parent {
            "parent"
        } else {
            "provider"
        },
        format!(
            "Заявка создана {who}: {}, группа «{}», {} — {}. Из сертификата — {}, в резерв \
             переведено {}.",
            offer.module.title,
            offer.group.name,
            format_date(q.starts_on),
            format_date(q.ends_on),
            q.certificate_share,
            q.certificate_share
        ),
        now,
    )
    .await?;
    let text = match author {
        Author::Parent => format!(
            "Заявка № {} на программу «{}» ({}) направлена в организацию «{}». В резерв \
             переведено {}.",
            c.number,
            offer.programme.title,
            child_name(&cert),
            offer.provider.name,
            q.certificate_share
        ),
        Author::Provider => format!(
            "Организация «{}» подала от имени ребёнка ({}) заявку № {} на программу «{}». В \
             резерв переведено {}. Если вы не давали согласия, отмените заявку в разделе \
             «Договоры».",
            offer.provider.name,
            child_name(&cert),
            c.number,
            offer.programme.title,
            q.certificate_share
        ),
    };
    notify(&txn, cert.id, text, now).await?;
    txn.commit().await.map_err(db_err)?;
    Ok(c.id)
}

/// The place in the group, the programme's and the organisation's counts and the payer's money:
/// each a conditional update that refuses instead of overrunning.
pub async fn take_place(
    txn: &impl ConnectionTrait,
    offer: &Offer,
    share: i64,
) -> Result<(), AppError> {
    let took = group::Entity::update_many()
        .col_expr(group::Column::Taken, Expr::col(group::Column::Taken).add(1))
        .filter(group::Column::Id.eq(offer.group.id))
        .filter(Expr::col(group::Column::Taken).lt(Expr::col(group::Column::Capacity)))
        .exec(txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if took != 1 {
        return Err(AppError::Domain(rules::group_full(&offer.group.name)));
    }
    let took = programme::Entity::update_many()
        .col_expr(
            programme::Column::Children,
            Expr::col(programme::Column::Children).add(1),
        )
        .filter(programme::Column::Id.eq(offer.programme.id))
        .filter(
            Expr::col(programme::Column::Children).lt(Expr::col(programme::Column::MaxChildren)),
        )
        // The registry the quote and the registry limits were worked out for: the operator may
        // have moved the programme meanwhile (`registries::set_programme`).
        .filter(programme::Column::Registry.eq(offer.programme.registry.as_str()))
        .exec(txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if took != 1 {
        let moved = programme::Entity::find_by_id(offer.programme.id)
            .one(txn)
            .await
            .map_err(db_err)?
            .is_some_and(|p| p.registry != offer.programme.registry);
        return Err(AppError::Domain(if moved {
            "Оператор перенёс программу в другой реестр: пересчитайте параметры заявки.".to_owned()
        } else {
            rules::programme_full(&offer.programme.title)
        }));
    }
    if offer.organisation.is_some() {
        let took = organisation::Entity::update_many()
            .col_expr(
                organisation::Column::Children,
                Expr::col(organisation::Column::Children).add(1),
            )
            .filter(organisation::Column::ProviderId.eq(offer.provider.id))
            .filter(
                Expr::col(organisation::Column::Children)
                    .lt(Expr::col(organisation::Column::MaxChildren)),
            )
            .exec(txn)
            .await
            .map_err(db_err)?
            .rows_affected;
        if took != 1 {
            return Err(AppError::Domain(rules::provider_full(&offer.provider.name)));
        }
        if share > 0 && !payer(txn, offer.provider.id, share).await? {
            return Err(AppError::Domain(rules::payer_limit(&offer.provider.name)));
        }
    }
    Ok(())
}

/// Gives back what [`take_place`] took: the place, and the payer's money not yet paid.
pub async fn free_place(
    txn: &impl ConnectionTrait,
    c: &contract::Model,
    unpaid: i64,
) -> Result<(), AppError> {
    group::Entity::update_many()
        .col_expr(group::Column::Taken, Expr::col(group::Column::Taken).sub(1))
        .filter(group::Column::Id.eq(c.group_id))
        .filter(group::Column::Taken.gt(0))
        .exec(txn)
        .await
        .map_err(db_err)?;
    programme::Entity::update_many()
        .col_expr(
            programme::Column::Children,
            Expr::col(programme::Column::Children).sub(1),
        )
        .filter(programme::Column::Id.eq(c.programme_id))
        .filter(programme::Column::Children.gt(0))
        .exec(txn)
        .await
        .map_err(db_err)?;
    let mut org = organisation::Entity::update_many()
        .col_expr(
            organisation::Column::Children,
            Expr::col(organisation::Column::Children).sub(1),
        )
        .filter(organisation::Column::ProviderId.eq(c.provider_id))
        .filter(organisation::Column::Children.gt(0));
    if unpaid > 0 {
        org = org.col_expr(
            organisation::Column::PayerUsed,
            Expr::col(organisation::Column::PayerUsed).sub(unpaid),
        );
    }
    org.exec(txn).await.map_err(db_err)?;
    Ok(())
}

pub async fn write_payments(
    txn: &impl ConnectionTrait,
    contract_id: i64,
    q: &Quote,
) -> Result<(), AppError> {
    for p in &q.payments {
        payment::ActiveModel {
            contract_id: Set(contract_id),
            month: Set(p.month),
            amount: Set(p.certificate.0),
            paid_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// Moves the organisation's use of the payer's money by `delta` (never past the limit, never
/// below zero); `false` when that would overrun.
pub async fn payer(
    txn: &impl ConnectionTrait,
    provider_id: i64,
    delta: i64,
) -> Result<bool, AppError> {
    if delta == 0 {
        return Ok(true);
    }
    let mut update = organisation::Entity::update_many()
        .col_expr(
            organisation::Column::PayerUsed,
            Expr::col(organisation::Column::PayerUsed).add(delta),
        )
        .filter(organisation::Column::ProviderId.eq(provider_id));
    update = if delta > 0 {
        update.filter(
            Expr::col(organisation::Column::PayerUsed)
                .add(delta)
                .lte(Expr::col(organisation::Column::PayerLimit)),
        )
    } else {
        update.filter(organisation::Column::PayerUsed.gte(-delta))
    };
    Ok(update.exec(txn).await.map_err(db_err)?.rows_affected == 1)
}

pub const PROVIDER_FORBIDDEN: &str = "Родитель запретил организациям подавать заявки от имени \
     ребёнка: попросите его подать заявку в личном кабинете или сменить настройку.";
pub const PROVIDER_MISMATCH: &str = "Данные подтверждения не совпадают: проверьте номер \
     сертификата, ФИО ребёнка или кодовую фразу. Родитель получит оповещение о попытке.";

/// What a provider types to apply on a child's behalf.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForChildForm {
    pub group_id: i64,
    pub number: String,
    /// The child's full name («Подтверждение по ФИО»).
    pub child_name: String,
    /// The code phrase the parent told the provider.
    pub phrase: String,
}

/// A provider applies on a child's behalf to one of its own groups, as far as the
/// certificate's confirmation type allows. A failed proof tells the parent.
///
/// # Errors
/// `Validation` for a malformed number; `NotFound` for another provider's group; `Domain` with
/// [`PROVIDER_FORBIDDEN`], [`PROVIDER_MISMATCH`] or the rule the application breaks.
pub async fn apply_for_child(
    db: &DatabaseConnection,
    provider_id: i64,
    form: &ForChildForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let Some(number) = crate::domain::pfdo::parse_certificate_number(&form.number) else {
        return Err(AppError::field(
            "number",
            "Номер сертификата — 10 цифр (пример: 9901101325)",
        ));
    };
    let offer = offer(db, form.group_id).await?;
    if offer.provider.id != provider_id {
        return Err(AppError::NotFound);
    }
    let Some(cert) = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(&number))
        .one(db)
        .await
        .map_err(db_err)?
    else {
        return Err(AppError::Domain(PROVIDER_MISMATCH.into()));
    };
    let proved = match cert.confirm_type.as_str() {
        "name" => confirm::same_name(&form.child_name, &child_name(&cert)),
        "phrase" => match confirm::phrase_key(&form.phrase) {
            Ok(key) => crate::ssr::password::verify_password(cert.phrase_hash.clone(), key).await,
            Err(_) => false,
        },
        _ => return Err(AppError::Domain(PROVIDER_FORBIDDEN.into())),
    };
    if !proved {
        notify(
            db,
            cert.id,
            format!(
                "Организация «{}» пыталась подать заявку от имени ребёнка, но данные \
                 подтверждения не совпали. Если это были не вы, смените кодовую фразу или \
                 запретите запись в «Настройках».",
                offer.provider.name
            ),
            now,
        )
        .await?;
        return Err(AppError::Domain(PROVIDER_MISMATCH.into()));
    }
    let today = moscow_date(now);
    let year = super::years_from(today)[0];
    let balance = find_period(db, cert.id, year)
        .await?
        .map_or(Money::ZERO, |p| Money(p.balance));
    // The share as of now; `write` checks every rule again under the certificate's lock.
    let q = make_quote(&offer, year, earliest(year, today), balance)?;
    let form = ApplyForm {
        group_id: form.group_id,
        year,
        share: q.certificate_share.0,
        ..ApplyForm::default()
    };
    write(db, &cert, &form, Author::Provider, now).await
}

/// The provider's groups still open, for «Записать ребёнка»: «Программа — модуль — группа».
///
/// # Errors
/// A database failure.
pub async fn provider_groups(
    db: &DatabaseConnection,
    provider_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<crate::model::pfdo::NavigatorOption>, AppError> {
    use sea_orm::QueryOrder as _;
    let progs = programme::Entity::find()
        .filter(programme::Column::ProviderId.eq(provider_id))
        .order_by_asc(programme::Column::Title)
        .all(db)
        .await
        .map_err(db_err)?;
    let modules = module::Entity::find()
        .filter(module::Column::ProgrammeId.is_in(progs.iter().map(|p| p.id)))
        .all(db)
        .await
        .map_err(db_err)?;
    let groups = group::Entity::find()
        .filter(group::Column::ModuleId.is_in(modules.iter().map(|m| m.id)))
        .filter(group::Column::EndsOn.gte(moscow_date(now)))
        .order_by_asc(group::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut out = Vec::new();
    for p in &progs {
        for m in modules.iter().filter(|m| m.programme_id == p.id) {
            for g in groups.iter().filter(|g| g.module_id == m.id) {
                out.push(crate::model::pfdo::NavigatorOption {
                    value: g.id.to_string(),
                    label: format!(
                        "{} — {} — {} (свободно {} из {})",
                        p.title,
                        m.title,
                        g.name,
                        Ord::max(g.capacity - g.taken, 0),
                        g.capacity
                    ),
                });
            }
        }
    }
    Ok(out)
}
