//! Registration, confirmation, login with lockout, password reset.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

use crate::domain::account::{Registration, RegistrationForm, TeacherForm};
use crate::domain::robot::RobotProof;
use crate::domain::snils::Snils;
use crate::domain::time::{format_moscow_time, moscow_date};
use crate::error::{AppError, FieldError};
use crate::ssr::context::db_err;
use crate::ssr::crypto::{hash_token, new_token};
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{dpo_school, dpo_school_member, email_token, user};
use crate::ssr::mailer::enqueue;
use crate::ssr::password::{generate_password, hash_password, verify_password};
use crate::ssr::robot::{self, RobotKey};
use crate::ssr::session;
use crate::ssr::settings::Settings;

pub const PURPOSE_REGISTRATION: &str = "confirm_registration";
pub const PURPOSE_EMAIL: &str = "confirm_email";

pub const SNILS_TAKEN: &str = "С этим СНИЛС уже есть учётная запись. Если это ваш СНИЛС, войдите \
     или восстановите пароль через «Забыли пароль?»; если нет — напишите в техподдержку";
pub const LINK_INVALID: &str = "Ссылка недействительна: она устарела или уже использована. \
     Если письмо с паролем не пришло, воспользуйтесь «Забыли пароль?»";
pub const WRONG_CREDENTIALS: &str = "Неверный логин или пароль. После 5 неверных попыток подряд \
     вход блокируется на 10 минут";

/// Registers a specialist and mails the confirmation link. Returns the masked email.
///
/// # Errors
/// `Validation` field by field; the СНИЛС-taken message on the `snils` field.
pub async fn register_specialist(
    db: &DatabaseConnection,
    settings: &Settings,
    key: &RobotKey,
    form: &RegistrationForm,
    proof: &RobotProof,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let reg = match form.validate(moscow_date(now)) {
        Ok(reg) => reg,
        Err(mut errors) => {
            if !robot::attempted(proof) {
                errors.push(robot::not_done());
            }
            return Err(AppError::Validation(errors));
        }
    };
    // Spent before the СНИЛС is looked up: «already registered» is not an oracle for bots.
    robot::check(db, key, proof, now).await?;
    let token = new_token();
    let txn = begin_write(db).await.map_err(db_err)?;
    if !login_free(&txn, reg.snils.digits(), now).await? {
        return Err(AppError::field("snils", SNILS_TAKEN));
    }
    let created = insert_specialist(&txn, &reg, now).await;
    let user = match created {
        Ok(u) => u,
        Err(e) if is_unique_violation(&e) => return Err(AppError::field("snils", SNILS_TAKEN)),
        Err(e) => return Err(db_err(e)),
    };
    let ttl = TimeDelta::from_std(settings.policy.registration_link_ttl).unwrap_or_default();
    insert_token(&txn, user.id, PURPOSE_REGISTRATION, &token, None, ttl, now).await?;
    let link = format!("{}/confirm?token={token}", settings.public_url);
    let body = format!(
        "Здравствуйте, {first} {middle}!\n\n\
         Вы зарегистрировались на портале непрерывного медицинского образования.\n\
         Чтобы подтвердить адрес электронной почты и получить пароль, откройте ссылку:\n\n{link}\n\n\
         Ссылка действует {hours} часов и работает один раз. Логином будет ваш СНИЛС: {snils}.\n\n\
         Если вы не регистрировались, просто удалите это письмо.\n",
        first = reg.first_name,
        middle = reg.middle_name.clone().unwrap_or_default(),
        hours = settings.policy.registration_link_ttl.as_secs() / 3600,
        snils = reg.snils,
    );
    enqueue(
        &txn,
        settings,
        reg.email.as_str(),
        "Подтверждение регистрации",
        &body,
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(mask_email(reg.email.as_str()))
}

/// Whether `login` may be registered: unused, or held by an unconfirmed registration whose
/// link has expired (that one is removed, so it may be made again).
async fn login_free(
    db: &impl ConnectionTrait,
    login: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let existing = user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(db)
        .await
        .map_err(db_err)?;
    let Some(existing) = existing else {
        return Ok(true);
    };
    if existing.status == "pending"
        && !has_live_token(db, existing.id, PURPOSE_REGISTRATION, now).await?
    {
        user::Entity::delete_by_id(existing.id)
            .exec(db)
            .await
            .map_err(db_err)?;
        return Ok(true);
    }
    Ok(false)
}

pub const EMAIL_TAKEN: &str = "С этим адресом уже есть учётная запись. Войдите или напишите в \
     техподдержку, если не помните пароль";

/// Registers a teacher for ДПО at a school from the catalogue; the login is the e-mail. Mails
/// the confirmation link and returns the masked address.
///
/// # Errors
/// `Validation` field by field; the e-mail-taken message on `email`, an unknown school on
/// `school`.
pub async fn register_teacher(
    db: &DatabaseConnection,
    settings: &Settings,
    key: &RobotKey,
    form: &TeacherForm,
    proof: &RobotProof,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let reg = match form.validate() {
        Ok(reg) => reg,
        Err(mut errors) => {
            if !robot::attempted(proof) {
                errors.push(robot::not_done());
            }
            return Err(AppError::Validation(errors));
        }
    };
    let school = dpo_school::Entity::find_by_id(reg.school_id)
        .one(db)
        .await
        .map_err(db_err)?;
    let Some(school) = school else {
        return Err(AppError::field("school", "Выберите свою школу из списка"));
    };
    robot::check(db, key, proof, now).await?;
    let token = new_token();
    let login = reg.email.as_str().to_owned();
    let txn = begin_write(db).await.map_err(db_err)?;
    if !login_free(&txn, &login, now).await? {
        return Err(AppError::field("email", EMAIL_TAKEN));
    }
    let created = user::ActiveModel {
        role: Set("teacher".into()),
        login: Set(login.clone()),
        status: Set("pending".into()),
        last_name: Set(reg.last_name.clone()),
        first_name: Set(reg.first_name.clone()),
        middle_name: Set(reg.middle_name.clone()),
        email: Set(login.clone()),
        phone: Set(reg.phone.as_ref().map(|p| p.as_str().to_owned())),
        failed_logins: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let user = match created {
        Ok(u) => u,
        Err(e) if is_unique_violation(&e) => return Err(AppError::field("email", EMAIL_TAKEN)),
        Err(e) => return Err(db_err(e)),
    };
    dpo_school_member::ActiveModel {
        user_id: Set(user.id),
        school_id: Set(school.id),
        kind: Set("teacher".into()),
        position: Set(reg.position.clone()),
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let ttl = TimeDelta::from_std(settings.policy.registration_link_ttl).unwrap_or_default();
    insert_token(&txn, user.id, PURPOSE_REGISTRATION, &token, None, ttl, now).await?;
    let body = format!(
        "Здравствуйте, {first} {middle}!\n\n\
         Вы зарегистрировались в разделе повышения квалификации педагогов (ДПО) как сотрудник \
         организации «{school}».\n\
         Чтобы подтвердить адрес электронной почты и получить пароль, откройте ссылку:\n\n\
         {url}/confirm?token={token}\n\n\
         Ссылка действует {hours} часов и работает один раз. Логином будет этот адрес: {login}.\n\n\
         Если вы не регистрировались, просто удалите это письмо.\n",
        first = reg.first_name,
        middle = reg.middle_name.clone().unwrap_or_default(),
        school = school.name,
        url = settings.public_url,
        hours = settings.policy.registration_link_ttl.as_secs() / 3600,
    );
    enqueue(
        &txn,
        settings,
        &login,
        "Подтверждение регистрации",
        &body,
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(mask_email(&login))
}

async fn insert_specialist(
    db: &impl ConnectionTrait,
    reg: &Registration,
    now: DateTime<Utc>,
) -> Result<user::Model, sea_orm::DbErr> {
    user::ActiveModel {
        role: Set("specialist".into()),
        login: Set(reg.snils.digits().to_owned()),
        status: Set("pending".into()),
        last_name: Set(reg.last_name.clone()),
        first_name: Set(reg.first_name.clone()),
        middle_name: Set(reg.middle_name.clone()),
        citizenship: Set(Some(reg.citizenship.clone())),
        region: Set(Some(reg.region)),
        sex: Set(Some(reg.sex.code().into())),
        birth_date: Set(Some(reg.birth_date)),
        email: Set(reg.email.as_str().to_owned()),
        phone: Set(Some(reg.phone.as_str().to_owned())),
        password_hash: Set(None),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        confirmed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

async fn has_live_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    Ok(email_token::Entity::find()
        .filter(email_token::Column::UserId.eq(user_id))
        .filter(email_token::Column::Purpose.eq(purpose))
        .filter(email_token::Column::UsedAt.is_null())
        .filter(email_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await
        .map_err(db_err)?
        .is_some())
}

/// Stores a one-time link's hash.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn insert_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: &str,
    token: &str,
    new_email: Option<String>,
    ttl: TimeDelta,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    email_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.into()),
        token_hash: Set(hash_token(token)),
        new_email: Set(new_email),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Uses a one-time link: marks it used with a conditional update, so two clicks racing
/// cannot both succeed.
///
/// # Errors
/// `Domain(LINK_INVALID)` for an unknown, expired or used link.
pub async fn consume_token(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<email_token::Model, AppError> {
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::Domain(LINK_INVALID.into()));
    }
    let used = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, Expr::value(now))
        .filter(email_token::Column::TokenHash.eq(hash_token(token)))
        .filter(email_token::Column::Purpose.eq(purpose))
        .filter(email_token::Column::UsedAt.is_null())
        .filter(email_token::Column::ExpiresAt.gt(now))
        .exec_with_returning(db)
        .await
        .map_err(db_err)?;
    used.into_iter()
        .next()
        .ok_or_else(|| AppError::Domain(LINK_INVALID.into()))
}

/// What the confirmation page shows after success.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub masked_email: String,
}

/// Confirms a registration: activates the account and mails the login and a new password.
///
/// # Errors
/// `Domain(LINK_INVALID)` for a bad link.
pub async fn confirm_registration(
    db: &DatabaseConnection,
    settings: &Settings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Confirmed, AppError> {
    let password = generate_password();
    let hash = hash_password(password.clone()).await?;
    let txn = db.begin().await.map_err(db_err)?;
    let t = consume_token(&txn, token, PURPOSE_REGISTRATION, now).await?;
    let u = user::Entity::find_by_id(t.user_id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::Domain(LINK_INVALID.into()))?;
    let mut active: user::ActiveModel = u.clone().into();
    active.status = Set("active".into());
    active.password_hash = Set(Some(hash.0));
    active.confirmed_at = Set(Some(now));
    active.update(&txn).await.map_err(db_err)?;
    let login = Snils::parse(&u.login)
        .map(|s| s.to_string())
        .unwrap_or(u.login.clone());
    let body = format!(
        "Здравствуйте, {first}!\n\n\
         Адрес электронной почты подтверждён, учётная запись создана.\n\n\
         Логин: {login}\n\
         Пароль: {password}\n\n\
         Войти: {url}/login\n\n\
         Пароль можно сменить в профиле. Никому не сообщайте его: сотрудники портала его не спрашивают.\n",
        first = u.first_name,
        url = settings.public_url,
    );
    enqueue(
        &txn,
        settings,
        &u.email,
        "Логин и пароль для входа",
        &body,
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(Confirmed {
        masked_email: mask_email(&u.email),
    })
}

/// Turns what was typed in the login field into the stored login: a СНИЛС's digits, or an
/// email for other roles.
///
/// # Errors
/// The СНИЛС message when the input looks like a СНИЛС but is not one.
pub fn normalise_login(input: &str) -> Result<String, AppError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(AppError::field(
            "login",
            "Введите логин: СНИЛС, номер сертификата или логин организации",
        ));
    }
    if trimmed.chars().count() > 254 {
        return Err(AppError::field("login", "Логин слишком длинный"));
    }
    let snils_like = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c.is_whitespace());
    if snils_like {
        // A child's certificate number (10 digits) is a parent's login.
        if let Some(number) = crate::domain::pfdo::parse_certificate_number(trimmed) {
            return Ok(number);
        }
        Snils::parse(trimmed)
            .map(|s| s.digits().to_owned())
            .map_err(|e| AppError::field("login", e.to_string()))
    } else {
        Ok(trimmed.to_lowercase())
    }
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub token: String,
    pub user_id: i64,
    pub role: String,
}

/// Checks the password with the lockout rule; counter and lock live in the users table, so
/// they hold across instances, and every wrong attempt is counted by one atomic update.
///
/// # Errors
/// `Validation` for an empty field, `Domain(WRONG_CREDENTIALS)`, or `TooManyRequests` with the
/// time the lock ends.
pub async fn login(
    db: &DatabaseConnection,
    settings: &Settings,
    login: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<LoggedIn, AppError> {
    let login = normalise_login(login)?;
    if password.is_empty() {
        return Err(AppError::field("password", "Введите пароль"));
    }
    if password.chars().count() > 1024 {
        return Err(AppError::Domain(WRONG_CREDENTIALS.into()));
    }
    let found = user::Entity::find()
        .filter(user::Column::Login.eq(&login))
        .filter(user::Column::Status.eq("active"))
        .one(db)
        .await
        .map_err(db_err)?;
    let locked_until = found
        .as_ref()
        .and_then(|u| u.locked_until)
        .filter(|t| *t > now);
    // A «Забыли пароль?» password waiting for its first use; it opens a locked account too.
    let reset_hash = found.as_ref().and_then(|u| {
        u.reset_password_hash
            .clone()
            .filter(|_| u.reset_expires_at.is_some_and(|t| t > now))
    });
    if let (Some(until), None) = (locked_until, &reset_hash) {
        return Err(locked(until));
    }
    let main_ok = locked_until.is_none()
        && verify_password(
            found.as_ref().and_then(|u| u.password_hash.clone()),
            password.to_owned(),
        )
        .await;
    let reset_ok = !main_ok
        && match &reset_hash {
            Some(h) => verify_password(Some(h.clone()), password.to_owned()).await,
            None => false,
        };
    let Some(u) = found else {
        return Err(AppError::Domain(WRONG_CREDENTIALS.into()));
    };
    if !main_ok && !reset_ok {
        if let Some(until) = locked_until {
            return Err(locked(until));
        }
        let (_, locked_until) = count_failure(db, settings, u.id, now).await?;
        return match locked_until.filter(|t| *t > now) {
            Some(until) => Err(locked(until)),
            None => Err(AppError::Domain(WRONG_CREDENTIALS.into())),
        };
    }
    let no_time = Expr::value(None::<DateTime<Utc>>);
    let mut update = user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(user::Column::LockedUntil, no_time.clone())
        .col_expr(user::Column::ResetPasswordHash, Expr::value(None::<String>))
        .col_expr(user::Column::ResetExpiresAt, no_time)
        .filter(user::Column::Id.eq(u.id));
    if let (true, Some(h)) = (reset_ok, reset_hash) {
        // The mailed password becomes the password; sessions opened with the old one end.
        update = update
            .col_expr(user::Column::PasswordHash, Expr::value(h.clone()))
            .filter(user::Column::ResetPasswordHash.eq(h));
        let txn = db.begin().await.map_err(db_err)?;
        let promoted = update.exec(&txn).await.map_err(db_err)?.rows_affected;
        if promoted == 0 {
            // Another login promoted it a moment ago, or a newer reset replaced it.
            return Err(AppError::Domain(WRONG_CREDENTIALS.into()));
        }
        session::delete_others(&txn, u.id, None).await?;
        txn.commit().await.map_err(db_err)?;
    } else {
        // Whoever remembers the password no longer needs the mailed one.
        update.exec(db).await.map_err(db_err)?;
    }
    let token = session::create(db, settings, u.id, now).await?;
    Ok(LoggedIn {
        token,
        user_id: u.id,
        role: u.role,
    })
}

fn locked(until: DateTime<Utc>) -> AppError {
    AppError::TooManyRequests(format!(
        "Вход заблокирован до {} (МСК): 5 неверных паролей подряд. Подождите или получите новый \
         пароль через «Забыли пароль?»",
        format_moscow_time(until)
    ))
}

/// Counts one wrong password in a single statement; a lock that has run out starts the count
/// again. Returns the new count and lock.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn count_failure(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(i32, Option<DateTime<Utc>>), AppError> {
    let lock_until = now + TimeDelta::from_std(settings.policy.login_lock).unwrap_or_default();
    let expired = Expr::col(user::Column::LockedUntil)
        .is_not_null()
        .and(Expr::col(user::Column::LockedUntil).lte(now));
    let new_count = CaseStatement::new()
        .case(expired.clone(), Expr::value(1))
        .finally(Expr::col(user::Column::FailedLogins).add(1));
    let reached = Expr::col(user::Column::FailedLogins)
        .add(1)
        .gte(settings.policy.login_max_failures);
    let new_lock = CaseStatement::new()
        .case(expired, Expr::value(None::<DateTime<Utc>>))
        .case(reached, Expr::value(lock_until))
        .finally(Expr::col(user::Column::LockedUntil));
    let rows = user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, new_count.into())
        .col_expr(user::Column::LockedUntil, new_lock.into())
        .filter(user::Column::Id.eq(user_id))
        .exec_with_returning(db)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .next()
        .map(|u| (u.failed_logins, u.locked_until))
        .unwrap_or((0, None)))
}

/// «Забыли пароль?» by СНИЛС or by an e-mail login: the same answer, after the same work,
/// whether or not the account exists.
/// The mailed password waits beside the old one until it is first used (see `login`), so
/// someone who knows a СНИЛС cannot lock its owner out by asking for new passwords.
///
/// # Errors
/// `Validation` for a malformed СНИЛС or e-mail.
pub async fn forgot_password(
    db: &DatabaseConnection,
    settings: &Settings,
    key: &RobotKey,
    snils: &str,
    proof: &RobotProof,
    now: DateTime<Utc>,
) -> Result<&'static str, AppError> {
    let login = match crate::domain::account::parse_reset_login(snils) {
        Ok(l) => l,
        Err(e) => {
            let mut errors = vec![FieldError::new("snils", e)];
            if !robot::attempted(proof) {
                errors.push(robot::not_done());
            }
            return Err(AppError::Validation(errors));
        }
    };
    robot::check(db, key, proof, now).await?;
    let password = generate_password();
    let hash = hash_password(password.clone()).await?;
    let txn = db.begin().await.map_err(db_err)?;
    let found = user::Entity::find()
        .filter(user::Column::Login.eq(&login))
        .filter(user::Column::Status.eq("active"))
        .one(&txn)
        .await
        .map_err(db_err)?;
    if let Some(u) = found {
        let ttl = TimeDelta::from_std(settings.policy.reset_password_ttl).unwrap_or_default();
        user::Entity::update_many()
            .col_expr(user::Column::ResetPasswordHash, Expr::value(hash.0))
            .col_expr(user::Column::ResetExpiresAt, Expr::value(now + ttl))
            .filter(user::Column::Id.eq(u.id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let body = format!(
            "Здравствуйте, {first}!\n\n\
             По запросу «Забыли пароль?» для вас создан новый пароль.\n\n\
             Логин: {shown}\n\
             Пароль: {password}\n\n\
             Войти: {url}/login\n\n\
             Новый пароль действует {hours} часов и заменит прежний, когда вы войдёте с ним; \
             до этого прежний пароль тоже работает.\n\
             Если вы не запрашивали новый пароль, просто удалите это письмо: ничего не изменится.\n",
            first = u.first_name,
            shown = Snils::parse(&u.login).map_or_else(|_| u.login.clone(), |s| s.to_string()),
            url = settings.public_url,
            hours = settings.policy.reset_password_ttl.as_secs() / 3600,
        );
        enqueue(&txn, settings, &u.email, "Новый пароль", &body, now)
            .await
            .map_err(db_err)?;
    }
    txn.commit().await.map_err(db_err)?;
    Ok(crate::api::auth::FORGOT_DONE_TEXT)
}

/// `ivanova@mail.ru` → `iv***@mail.ru`: enough to recognise, not enough to harvest.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let keep: String = local.chars().take(2).collect();
            format!("{keep}***@{domain}")
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_masked() {
        assert_eq!(mask_email("ivanova@mail.ru"), "iv***@mail.ru");
        assert_eq!(mask_email("a@b.ru"), "a***@b.ru");
    }

    #[test]
    fn logins_are_normalised() {
        assert_eq!(normalise_login("112-233-445 95").unwrap(), "11223344595");
        assert_eq!(
            normalise_login(" Admin@Kabinet.Local ").unwrap(),
            "admin@kabinet.local"
        );
        assert_eq!(
            normalise_login("112-233-445 96")
                .unwrap_err()
                .field_message("login")
                .as_deref(),
            Some("Неправильное контрольное число СНИЛС")
        );
        assert!(normalise_login("").is_err());
        assert_eq!(normalise_login(" 99011 01325 ").unwrap(), "9901101325");
    }
}
