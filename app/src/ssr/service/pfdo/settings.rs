//! «Настройки» of a certificate: the legal representative, the preferred address (its
//! district ranks the navigator), who may start an application for the child, the
//! personal-data consent; and «Объединение кабинетов».

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, Set,
};

use super::cabinet::children;
use super::{child_name, current_certificate, notify};
use crate::domain::contact::format_date;
use crate::domain::pfdo::{confirm, parse_certificate_number};
use crate::domain::time::format_moscow;
use crate::error::{AppError, FieldError};
use crate::model::pfdo::{NavigatorOption, PfdoSettingsView};
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    pfdo_certificate as certificate, pfdo_certificate_access as access, pfdo_district as district,
    user,
};
use crate::ssr::password::{hash_password, verify_password};
use crate::ssr::settings::Settings;

/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn view(db: &DatabaseConnection, user_id: i64) -> Result<PfdoSettingsView, AppError> {
    let c = current_certificate(db, user_id).await?;
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::Unauthorized)?;
    let districts = district::Entity::find()
        .filter(district::Column::MunicipalityId.eq(c.municipality_id))
        .order_by_asc(district::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|d| NavigatorOption {
            value: d.id.to_string(),
            label: d.name,
        })
        .collect();
    Ok(PfdoSettingsView {
        number: c.number.clone(),
        child_name: child_name(&c),
        representative: c.representative.clone().unwrap_or_default(),
        address: c.address.clone().unwrap_or_default(),
        district_id: c.district_id,
        districts,
        confirm_type: c.confirm_type.clone(),
        has_phrase: c.phrase_hash.is_some(),
        consent_at: c.consent_at.map(format_moscow),
        email: u.email,
        children: children(db, user_id).await?,
    })
}

/// The representative and the preferred address.
///
/// # Errors
/// `Validation` for text over its length or an unknown district.
pub async fn save_contacts(
    db: &DatabaseConnection,
    user_id: i64,
    representative: &str,
    address: &str,
    district_id: &str,
) -> Result<(), AppError> {
    let c = current_certificate(db, user_id).await?;
    let mut errors = Vec::new();
    let representative = representative.trim();
    let address = address.trim();
    if representative.chars().count() > 300 {
        errors.push(FieldError::new("representative", "Не больше 300 символов"));
    }
    if address.chars().count() > 300 {
        errors.push(FieldError::new("address", "Не больше 300 символов"));
    }
    let district = match district_id.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) => district::Entity::find_by_id(id)
                .one(db)
                .await
                .map_err(db_err)?
                .filter(|d| d.municipality_id == c.municipality_id)
                .map(|d| d.id)
                .or_else(|| {
                    errors.push(FieldError::new("district_id", "Выберите район из списка"));
                    None
                }),
            Err(_) => {
                errors.push(FieldError::new("district_id", "Выберите район из списка"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    certificate::ActiveModel {
        id: Set(c.id),
        representative: Set(text(representative)),
        address: Set(text(address)),
        district_id: Set(district),
        ..Default::default()
    }
    .update(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Who may start an application for the child; the code phrase is kept only as a hash.
///
/// # Errors
/// `Validation` for an unknown type, or a phrase shorter than 6 or longer than 100 characters.
pub async fn set_confirm_type(
    db: &DatabaseConnection,
    user_id: i64,
    kind: &str,
    phrase: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let c = current_certificate(db, user_id).await?;
    let Some(title) = confirm::title(kind) else {
        return Err(AppError::field(
            "confirm_type",
            "Выберите один из вариантов",
        ));
    };
    let hash = match (kind, phrase.trim().is_empty()) {
        ("phrase", true) if c.phrase_hash.is_some() => c.phrase_hash.clone(),
        ("phrase", _) => {
            let key = confirm::phrase_key(phrase).map_err(|m| AppError::field("phrase", m))?;
            Some(hash_password(key).await?.0)
        }
        _ => None,
    };
    certificate::ActiveModel {
        id: Set(c.id),
        confirm_type: Set(kind.to_owned()),
        phrase_hash: Set(hash),
        ..Default::default()
    }
    .update(db)
    .await
    .map_err(db_err)?;
    notify(
        db,
        c.id,
        format!("Запись организацией от имени ребёнка: «{title}»."),
        now,
    )
    .await?;
    Ok(())
}

/// The personal-data consent: given now, or withdrawn.
///
/// # Errors
/// `Forbidden` for an account without a certificate.
pub async fn set_consent(
    db: &DatabaseConnection,
    user_id: i64,
    agree: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let c = current_certificate(db, user_id).await?;
    certificate::Entity::update_many()
        .col_expr(
            certificate::Column::ConsentAt,
            Expr::value(agree.then_some(now)),
        )
        .filter(certificate::Column::Id.eq(c.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub const MERGE_WRONG: &str = "Неверный номер сертификата или пароль";

/// «Объединение кабинетов»: another child's certificate, proved by its login and password,
/// joins this account and becomes the one shown. Wrong passwords count against the other
/// account's lockout, exactly as at login.
///
/// # Errors
/// `Validation` for a malformed number or a wrong password; `TooManyRequests` while the other
/// account is locked; `Conflict` when it is already merged or is this one.
pub async fn merge(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    number: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let Some(number) = parse_certificate_number(number) else {
        return Err(AppError::field(
            "number",
            "Номер сертификата — 10 цифр (пример: 9901101325)",
        ));
    };
    if password.is_empty() || password.chars().count() > 1024 {
        return Err(AppError::field(
            "password",
            "Введите пароль от кабинета этого сертификата",
        ));
    }
    let cert = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(&number))
        .one(db)
        .await
        .map_err(db_err)?;
    let owner = match &cert {
        Some(c) => user::Entity::find_by_id(c.user_id)
            .one(db)
            .await
            .map_err(db_err)?,
        None => None,
    };
    let at = now;
    if let Some(until) = owner
        .as_ref()
        .and_then(|u| u.locked_until)
        .filter(|t| *t > at)
    {
        return Err(AppError::TooManyRequests(format!(
            "Кабинет этого сертификата заблокирован до {} (МСК) после неверных паролей",
            crate::domain::time::format_moscow_time(until)
        )));
    }
    let ok = verify_password(
        owner.as_ref().and_then(|u| u.password_hash.clone()),
        password.to_owned(),
    )
    .await;
    let (Some(cert), Some(owner)) = (cert, owner) else {
        return Err(AppError::field("password", MERGE_WRONG));
    };
    if !ok {
        crate::ssr::service::auth::count_failure(db, settings, owner.id, now).await?;
        return Err(AppError::field("password", MERGE_WRONG));
    }
    if owner.id == user_id {
        return Err(AppError::Conflict(
            "Это сертификат вашего собственного кабинета".into(),
        ));
    }
    let mine = current_certificate(db, user_id).await.ok();
    let done = access::Entity::insert(access::ActiveModel {
        user_id: Set(user_id),
        certificate_id: Set(cert.id),
        chosen_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([access::Column::UserId, access::Column::CertificateId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    if done == 0 {
        return Err(AppError::Conflict(
            "Этот сертификат уже есть в вашем кабинете: переключитесь на него в шапке".into(),
        ));
    }
    notify(
        db,
        cert.id,
        format!(
            "Кабинет сертификата объединён с кабинетом {}: оттуда теперь видны его договоры и \
             можно подавать заявки.",
            mine.as_ref().map_or_else(
                || "другого ребёнка".to_owned(),
                |m| format!("сертификата № {}", m.number)
            )
        ),
        now,
    )
    .await?;
    Ok(format!(
        "{} ({})",
        child_name(&cert),
        format_date(cert.child_birth_date)
    ))
}
