//! The user's own profile: contacts, email (re-confirmed by link), password.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::auth::{PURPOSE_EMAIL, consume_token, insert_token, mask_email};
use crate::domain::contact::{Email, Phone, format_date};
use crate::domain::regions::{citizenship_name, parse_region, region_name};
use crate::domain::snils::Snils;
use crate::error::{AppError, FieldError};
use crate::model::{Profile, Role};
use crate::ssr::context::db_err;
use crate::ssr::crypto::new_token;
use crate::ssr::entities::{email_token, user};
use crate::ssr::mailer::enqueue;
use crate::ssr::password::{check_password_policy, hash_password, verify_password};
use crate::ssr::session::{self, CurrentUser};
use crate::ssr::settings::Settings;

/// # Errors
/// `NotFound` if the account is gone, `Internal` on a database failure.
pub async fn get_profile(
    db: &DatabaseConnection,
    me: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Profile, AppError> {
    let u = user::Entity::find_by_id(me.id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let pending = email_token::Entity::find()
        .filter(email_token::Column::UserId.eq(me.id))
        .filter(email_token::Column::Purpose.eq(PURPOSE_EMAIL))
        .filter(email_token::Column::UsedAt.is_null())
        .filter(email_token::Column::ExpiresAt.gt(now))
        .order_by_desc(email_token::Column::Id)
        .one(db)
        .await
        .map_err(db_err)?
        .and_then(|t| t.new_email);
    let full_name =
        crate::domain::contact::full_name(&u.last_name, &u.first_name, u.middle_name.as_deref());
    Ok(Profile {
        role: Role::from_code(&u.role).unwrap_or(Role::Specialist),
        login_display: Snils::parse(&u.login)
            .map(|s| s.to_string())
            .unwrap_or(u.login.clone()),
        full_name,
        email: u.email,
        phone: u
            .phone
            .as_deref()
            .and_then(|p| Phone::parse(p).ok())
            .map(|p| p.display())
            .unwrap_or_default(),
        region: u.region,
        region_name: u.region.and_then(region_name).unwrap_or("—").into(),
        birth_date: u.birth_date.map(format_date).unwrap_or_default(),
        citizenship: u
            .citizenship
            .as_deref()
            .and_then(citizenship_name)
            .unwrap_or("—")
            .into(),
        pending_email: pending,
    })
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactsForm {
    pub phone: String,
    pub region: String,
}

/// # Errors
/// `Validation` field by field.
pub async fn update_contacts(
    db: &DatabaseConnection,
    me: &CurrentUser,
    form: &ContactsForm,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let phone = Phone::parse(&form.phone)
        .map_err(|m| errors.push(FieldError::new("phone", m)))
        .ok();
    let region = parse_region(&form.region);
    if region.is_none() {
        errors.push(FieldError::new("region", "Выберите регион проживания"));
    }
    let (Some(phone), Some(region)) = (phone, region) else {
        return Err(AppError::Validation(errors));
    };
    user::Entity::update_many()
        .col_expr(user::Column::Phone, Expr::value(phone.as_str().to_owned()))
        .col_expr(user::Column::Region, Expr::value(region))
        .filter(user::Column::Id.eq(me.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Mails a confirmation link to the new address; the address changes only when it is opened.
/// Returns the masked new address.
///
/// # Errors
/// `Validation` on the `email` field.
pub async fn request_email_change(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &CurrentUser,
    new_email: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let email = Email::parse(new_email).map_err(|m| AppError::field("email", m))?;
    if email.as_str() == me.email {
        return Err(AppError::field("email", "Это ваш текущий адрес"));
    }
    let token = new_token();
    let ttl = TimeDelta::from_std(settings.policy.email_change_link_ttl).unwrap_or_default();
    let txn = db.begin().await.map_err(db_err)?;
    // A newer request replaces the older ones.
    email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, Expr::value(now))
        .filter(email_token::Column::UserId.eq(me.id))
        .filter(email_token::Column::Purpose.eq(PURPOSE_EMAIL))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await
        .map_err(db_err)?;
    insert_token(
        &txn,
        me.id,
        PURPOSE_EMAIL,
        &token,
        Some(email.as_str().into()),
        ttl,
        now,
    )
    .await?;
    let body = format!(
        "Здравствуйте, {first}!\n\n\
         В личном кабинете указан новый адрес электронной почты. Чтобы подтвердить его, откройте ссылку:\n\n\
         {url}/profile/confirm-email?token={token}\n\n\
         Пока адрес не подтверждён, письма приходят на прежний.\n",
        first = me.first_name,
        url = settings.public_url,
    );
    enqueue(
        &txn,
        settings,
        email.as_str(),
        "Подтверждение нового адреса",
        &body,
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(mask_email(email.as_str()))
}

/// # Errors
/// `Domain(LINK_INVALID)` for a bad link.
pub async fn confirm_email_change(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let txn = db.begin().await.map_err(db_err)?;
    let t = consume_token(&txn, token, PURPOSE_EMAIL, now).await?;
    let new_email = t
        .new_email
        .ok_or_else(|| AppError::Domain(super::auth::LINK_INVALID.into()))?;
    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(new_email.clone()))
        .filter(user::Column::Id.eq(t.user_id))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(new_email)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub repeat: String,
}

/// Changes the password and ends the user's other sessions.
///
/// # Errors
/// `Validation` field by field.
pub async fn change_password(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &CurrentUser,
    form: &PasswordForm,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut errors = Vec::new();
    if form.current.is_empty() {
        errors.push(FieldError::new("current", "Введите текущий пароль"));
    }
    if let Err(m) = check_password_policy(&form.new) {
        errors.push(FieldError::new("new", m));
    } else if form.new != form.repeat {
        errors.push(FieldError::new("repeat", "Пароли не совпадают"));
    } else if form.new == form.current {
        errors.push(FieldError::new("new", "Новый пароль совпадает с текущим"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let u = user::Entity::find_by_id(me.id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    if !verify_password(u.password_hash.clone(), form.current.clone()).await {
        super::auth::count_failure(db, settings, me.id, now).await?;
        return Err(AppError::field("current", "Текущий пароль введён неверно"));
    }
    let hash = hash_password(form.new.clone()).await?;
    let txn = db.begin().await.map_err(db_err)?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash.0))
        .filter(user::Column::Id.eq(me.id))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    let ended = session::delete_others(&txn, me.id, Some(me.session_id)).await?;
    enqueue(
        &txn,
        settings,
        &u.email,
        "Пароль изменён",
        &format!(
            "Здравствуйте, {}!\n\nПароль от личного кабинета изменён. Другие сеансы входа завершены.\n\
             Если это были не вы, восстановите пароль через «Забыли пароль?» и напишите в техподдержку.\n",
            u.first_name
        ),
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(ended)
}
