//! The operator's side of certificates: issue (the parent's login and password with the
//! «Выписка сертификата»), activation under the municipality's limit with its queue, the
//! municipality's limit and nominals; and the extract itself.

use crate::domain::time::moscow_date;
use chrono::{DateTime, Datelike as _, Utc};
use rand::Rng as _;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};

use super::jobs::open_period;
use super::{child_name, find_period, notify};
use crate::domain::contact::{Email, format_date, parse_name};
use crate::domain::pfdo::eligibility::child_birth_date;
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::parse_certificate_number;
use crate::error::{AppError, FieldError};
use crate::model::Role;
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_certificate_access as access,
    pfdo_municipality as municipality, pfdo_nominal as nominal, pfdo_operator as operator, user,
};
use crate::ssr::mailer;
use crate::ssr::password::{generate_password, hash_password, verify_password};
use crate::ssr::pdf::Pdf;
use crate::ssr::settings::Settings;

/// The municipality an operator manages.
///
/// # Errors
/// `Forbidden` for an account that is no operator's.
pub async fn operator_municipality(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<municipality::Model, AppError> {
    let op = operator::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::Forbidden)?;
    municipality::Entity::find_by_id(op.municipality_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::Forbidden)
}

pub use crate::model::pfdo::{IssueForm, Issued};

/// A certificate of the operator's municipality.
///
/// # Errors
/// `NotFound` for another municipality's certificate; `Forbidden` for a non-operator.
pub async fn operators_certificate(
    db: &impl ConnectionTrait,
    operator_id: i64,
    certificate_id: i64,
) -> Result<certificate::Model, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    certificate::Entity::find_by_id(certificate_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|c| c.municipality_id == m.id)
        .ok_or(AppError::NotFound)
}

/// Issues a certificate in the operator's municipality.
///
/// # Errors
/// `Validation` field by field; `Forbidden` for a non-operator.
#[allow(clippy::too_many_lines)]
pub async fn issue(
    db: &DatabaseConnection,
    settings: &Settings,
    operator_id: i64,
    form: &IssueForm,
    now: DateTime<Utc>,
) -> Result<Issued, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let today = moscow_date(now);
    let mut errors = Vec::new();
    let mut err = |f: &str, msg: String| errors.push(FieldError::new(f, msg));
    let number = if form.number.trim().is_empty() {
        None
    } else {
        match parse_certificate_number(&form.number) {
            Some(n) => Some(n),
            None => {
                err(
                    "number",
                    "Номер сертификата — 10 цифр (пример: 9901101325)".into(),
                );
                None
            }
        }
    };
    let last = parse_name(&form.last_name, "Фамилия", true)
        .map_err(|e| err("last_name", e))
        .ok()
        .flatten();
    let first = parse_name(&form.first_name, "Имя", true)
        .map_err(|e| err("first_name", e))
        .ok()
        .flatten();
    let middle = parse_name(&form.middle_name, "Отчество", false)
        .map_err(|e| err("middle_name", e))
        .ok()
        .flatten();
    let birth = child_birth_date(&form.birth_date, today)
        .map_err(|e| err("birth_date", e.into()))
        .ok();
    let cat = match form.category_id.trim().parse::<i64>() {
        Ok(id) => category::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_err)?
            .filter(|c| c.municipality_id == m.id),
        Err(_) => None,
    };
    if cat.is_none() {
        err("category_id", "Выберите категорию ребёнка".into());
    }
    if !matches!(form.kind.as_str(), "financed" | "registration") {
        err(
            "kind",
            "Выберите тип сертификата: финансирования или учёта".into(),
        );
    }
    let email = if form.email.trim().is_empty() {
        None
    } else {
        Email::parse(&form.email)
            .map_err(|e| err("email", e.into()))
            .ok()
    };
    let (Some(last), Some(first), Some(birth), Some(cat)) = (last, first, birth, cat) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let password = generate_password();
    let hash = hash_password(password.clone()).await?;
    for attempt in 0..5 {
        let number = match &number {
            Some(n) => n.clone(),
            None => format!(
                "{}",
                rand::thread_rng().gen_range(1_000_000_000u64..10_000_000_000)
            ),
        };
        let txn = begin_write(db).await.map_err(db_err)?;
        let at = now;
        let u = user::ActiveModel {
            role: Set(Role::Parent.code().into()),
            login: Set(number.clone()),
            status: Set("active".into()),
            last_name: Set(last.clone()),
            first_name: Set(first.clone()),
            middle_name: Set(middle.clone()),
            email: Set(email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default()),
            password_hash: Set(Some(hash.0.clone())),
            failed_logins: Set(0),
            created_at: Set(at),
            confirmed_at: Set(Some(at)),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let u = match u {
            Ok(u) => u,
            Err(e) if is_unique_violation(&e) => {
                if number_given(&form.number) || attempt == 4 {
                    return Err(AppError::field(
                        "number",
                        "Сертификат с таким номером уже выдан",
                    ));
                }
                continue;
            }
            Err(e) => return Err(db_err(e)),
        };
        let c = certificate::ActiveModel {
            number: Set(number.clone()),
            user_id: Set(u.id),
            municipality_id: Set(m.id),
            category_id: Set(cat.id),
            kind: Set(form.kind.clone()),
            child_last_name: Set(last.clone()),
            child_first_name: Set(first.clone()),
            child_middle_name: Set(middle.clone()),
            child_birth_date: Set(birth),
            status: Set("issued".into()),
            confirm_type: Set("forbidden".into()),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
        access::ActiveModel {
            user_id: Set(u.id),
            certificate_id: Set(c.id),
            chosen_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
        if c.kind == "financed" {
            for year in [today.year(), today.year() + 1] {
                if let Some(n) = nominal::Entity::find_by_id((cat.id, year))
                    .one(&txn)
                    .await
                    .map_err(db_err)?
                {
                    open_period(&txn, c.id, year, Money(n.amount), today).await?;
                }
            }
        }
        notify(
            &txn,
            c.id,
            format!(
                "Сертификат № {number} выдан: {}, категория «{}». Он ещё не активирован — \
                 заявки уже можно подавать.",
                child_name(&c),
                cat.name
            ),
            now,
        )
        .await?;
        if let Some(e) = &email {
            mailer::enqueue(
                &txn,
                settings,
                e.as_str(),
                "Сертификат дополнительного образования: вход в личный кабинет",
                &format!(
                    "Здравствуйте!\n\nДля ребёнка {} выдан сертификат дополнительного \
                     образования № {number}.\n\nВход в личный кабинет: {}/login\nЛогин: \
                     {number}\nПароль: {password}\n\nСмените пароль в разделе «Настройки» \
                     после первого входа.",
                    child_name(&c),
                    settings.public_url
                ),
                now,
            )
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)?;
        return Ok(Issued {
            id: c.id,
            number,
            password,
        });
    }
    Err(AppError::Conflict(
        "Не удалось подобрать свободный номер: попробуйте ещё раз".into(),
    ))
}

fn number_given(s: &str) -> bool {
    !s.trim().is_empty()
}

/// Counts the municipality's activated financed certificates.
async fn activated(db: &impl ConnectionTrait, municipality_id: i64) -> Result<u64, AppError> {
    certificate::Entity::find()
        .filter(certificate::Column::MunicipalityId.eq(municipality_id))
        .filter(certificate::Column::Kind.eq("financed"))
        .filter(certificate::Column::Status.eq("active"))
        .count(db)
        .await
        .map_err(db_err)
}

/// Activates a certificate: a registration-only one at once; a financed one while the
/// municipality's limit allows, otherwise it joins the queue. The municipality's row is locked
/// so two operators cannot both take the last place.
///
/// # Errors
/// `NotFound` for a certificate of another municipality; `Conflict` when already active.
pub async fn activate(
    db: &DatabaseConnection,
    operator_id: i64,
    certificate_id: i64,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let m = municipality::Entity::find_by_id(m.id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::Forbidden)?;
    let c = certificate::Entity::find_by_id(certificate_id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .filter(|c| c.municipality_id == m.id)
        .ok_or(AppError::NotFound)?;
    if c.status == "active" {
        return Err(AppError::Conflict("Сертификат уже активирован".into()));
    }
    let fits = c.kind != "financed"
        || activated(&txn, m.id).await? < u64::try_from(m.certificate_limit).unwrap_or(0);
    let at = now;
    let message = if fits {
        certificate::Entity::update_many()
            .col_expr(certificate::Column::Status, Expr::value("active"))
            .col_expr(certificate::Column::ActivatedAt, Expr::value(at))
            .filter(certificate::Column::Id.eq(c.id))
            .filter(certificate::Column::Status.ne("active"))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        notify(
            &txn,
            c.id,
            "Сертификат активирован: организации могут заключать договоры.",
            now,
        )
        .await?;
        "Сертификат активирован".to_owned()
    } else {
        if c.status == "queued" {
            return Err(AppError::Conflict(
                "Сертификат уже в очереди на активацию".into(),
            ));
        }
        certificate::Entity::update_many()
            .col_expr(certificate::Column::Status, Expr::value("queued"))
            .col_expr(certificate::Column::QueuedAt, Expr::value(at))
            .filter(certificate::Column::Id.eq(c.id))
            .filter(certificate::Column::Status.eq("issued"))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let pos = queue_position_in(&txn, m.id, at).await?;
        notify(
            &txn,
            c.id,
            format!(
                "Лимит сертификатов муниципалитета исчерпан: сертификат поставлен в очередь на \
                 активацию. Ваш номер в очереди — {pos}."
            ),
            now,
        )
        .await?;
        format!("Лимит исчерпан: сертификат в очереди, номер {pos}")
    };
    txn.commit().await.map_err(db_err)?;
    Ok(message)
}

pub(super) async fn queue_position_in(
    db: &impl ConnectionTrait,
    municipality_id: i64,
    queued_at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let ahead = certificate::Entity::find()
        .filter(certificate::Column::MunicipalityId.eq(municipality_id))
        .filter(certificate::Column::Status.eq("queued"))
        .filter(certificate::Column::QueuedAt.lt(queued_at))
        .count(db)
        .await
        .map_err(db_err)?;
    Ok(i64::try_from(ahead).unwrap_or(0) + 1)
}

/// «Ваш номер в очереди — N» for a queued certificate.
pub async fn queue_position(
    db: &impl ConnectionTrait,
    c: &certificate::Model,
) -> Result<Option<i64>, AppError> {
    match (c.status.as_str(), c.queued_at) {
        ("queued", Some(at)) => Ok(Some(queue_position_in(db, c.municipality_id, at).await?)),
        _ => Ok(None),
    }
}

/// Sets the municipality's limit and activates the queue, first come first served, as far as
/// the new limit allows. Returns how many were activated.
///
/// # Errors
/// `Validation` for a limit that is not a whole number 0–10 000 000.
pub async fn set_limit(
    db: &DatabaseConnection,
    operator_id: i64,
    limit: &str,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let limit: i32 = limit
        .trim()
        .parse()
        .ok()
        .filter(|n| (0..=10_000_000).contains(n))
        .ok_or_else(|| AppError::field("limit", "Лимит — целое число от 0 до 10 000 000"))?;
    let txn = begin_write(db).await.map_err(db_err)?;
    municipality::Entity::find_by_id(m.id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_err)?;
    municipality::Entity::update_many()
        .col_expr(municipality::Column::CertificateLimit, Expr::value(limit))
        .filter(municipality::Column::Id.eq(m.id))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    let room = u64::try_from(limit)
        .unwrap_or(0)
        .saturating_sub(activated(&txn, m.id).await?);
    let queued = certificate::Entity::find()
        .filter(certificate::Column::MunicipalityId.eq(m.id))
        .filter(certificate::Column::Status.eq("queued"))
        .order_by_asc(certificate::Column::QueuedAt)
        .order_by_asc(certificate::Column::Id)
        .limit(room)
        .all(&txn)
        .await
        .map_err(db_err)?;
    let at = now;
    let n = queued.len() as u64;
    for c in queued {
        certificate::Entity::update_many()
            .col_expr(certificate::Column::Status, Expr::value("active"))
            .col_expr(certificate::Column::ActivatedAt, Expr::value(at))
            .filter(certificate::Column::Id.eq(c.id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        notify(&txn, c.id, "Очередь дошла: сертификат активирован.", now).await?;
    }
    txn.commit().await.map_err(db_err)?;
    Ok(n)
}

/// Sets a category's nominal for a year (this one or the next) and opens the year's money for
/// the category's financed certificates that have none yet.
///
/// # Errors
/// `Validation` for a bad amount or year; `NotFound` for another municipality's category.
pub async fn set_nominal(
    db: &DatabaseConnection,
    operator_id: i64,
    category_id: i64,
    year: i32,
    amount: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let cat = category::Entity::find_by_id(category_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|c| c.municipality_id == m.id)
        .ok_or(AppError::NotFound)?;
    let today = moscow_date(now);
    if year != today.year() && year != today.year() + 1 {
        return Err(AppError::field(
            "year",
            format!(
                "Номинал можно задать на {} или {} год",
                today.year(),
                today.year() + 1
            ),
        ));
    }
    let amount = Money::parse(amount).map_err(|e| AppError::field("amount", e))?;
    if amount.0 <= 0 || amount.0 > 100_000_000 {
        return Err(AppError::field(
            "amount",
            "Номинал — от 0,01 до 1 000 000,00 ₽",
        ));
    }
    let existing = nominal::Entity::find_by_id((cat.id, year))
        .one(db)
        .await
        .map_err(db_err)?;
    if existing.is_some() {
        return Err(AppError::Conflict(format!(
            "Номинал категории «{}» на {year} год уже установлен",
            cat.name
        )));
    }
    nominal::ActiveModel {
        category_id: Set(cat.id),
        year: Set(year),
        amount: Set(amount.0),
    }
    .insert(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict(format!(
                "Номинал категории «{}» на {year} год уже установлен",
                cat.name
            ))
        } else {
            db_err(e)
        }
    })?;
    super::jobs::open_periods(db, now).await?;
    Ok(())
}

/// The «Выписка сертификата» as a PDF. The password is printed only when it is the account's
/// password (just issued or just changed).
///
/// # Errors
/// `NotFound` for an unknown certificate.
pub async fn extract_pdf(
    db: &DatabaseConnection,
    certificate_id: i64,
    password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, AppError> {
    let c = certificate::Entity::find_by_id(certificate_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let u = user::Entity::find_by_id(c.user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let password = match password.filter(|p| !p.is_empty()) {
        Some(p) if verify_password(u.password_hash.clone(), p.to_owned()).await => Some(p),
        Some(_) => {
            return Err(AppError::Domain(
                "Пароль в выписке не совпадает с паролем личного кабинета".into(),
            ));
        }
        None => None,
    };
    let m = municipality::Entity::find_by_id(c.municipality_id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|m| m.name)
        .unwrap_or_default();
    let cat = category::Entity::find_by_id(c.category_id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|c| c.name)
        .unwrap_or_default();
    let today = moscow_date(now);
    let period = find_period(db, c.id, today.year()).await?;
    let mut pdf = Pdf::new("Выписка сертификата дополнительного образования")?;
    pdf.title("Выписка сертификата дополнительного образования");
    pdf.field("Номер сертификата", &c.number);
    pdf.field("Ребёнок", &child_name(&c));
    pdf.field("Дата рождения", &format_date(c.child_birth_date));
    pdf.field("Муниципалитет", &m);
    pdf.field("Категория", &cat);
    pdf.field(
        "Тип",
        if c.kind == "financed" {
            "Сертификат финансирования"
        } else {
            "Сертификат учёта"
        },
    );
    pdf.field("Статус", status_title(&c.status));
    if let Some(p) = period {
        pdf.field(
            &format!("Номинал на {} год", p.year),
            &Money(p.nominal).to_string(),
        );
        pdf.field("Баланс", &Money(p.balance).to_string());
    }
    pdf.heading("Вход в личный кабинет");
    pdf.field("Адрес", "/login");
    pdf.field("Логин", &c.number);
    match password {
        Some(p) => pdf.field("Пароль", p),
        None => pdf.field(
            "Пароль",
            "указан в выписке, выданной при получении сертификата",
        ),
    }
    pdf.paragraph(
        "Храните логин и пароль в тайне: с ними можно подать заявку от имени ребёнка. Сменить \
         пароль можно в разделе «Настройки» личного кабинета.",
    );
    pdf.field("Дата выписки", &format_date(today));
    pdf.finish()
}

pub fn status_title(status: &str) -> &'static str {
    match status {
        "active" => "Сертификат активирован",
        "queued" => "Сертификат не активирован (в очереди)",
        _ => "Сертификат не активирован",
    }
}
