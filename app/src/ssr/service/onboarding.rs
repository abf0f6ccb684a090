//! Organisations apply to become providers: a public form with scans (their type read from the
//! content), the operator's review, and the credentials mailed on approval.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::domain::contact::{Email, Phone, control_free, parse_full_name, refusal_reason};
use crate::domain::files::{MAX_UPLOAD_BYTES, clean_file_name, sniff_scan};
use crate::domain::robot::RobotProof;
use crate::domain::time::format_moscow;
use crate::error::{AppError, FieldError};
use crate::model::plan::{ProviderApplicationView, ScanLink};
use crate::ssr::context::db_err;
use crate::ssr::db::is_unique_violation;
use crate::ssr::entities::{provider, provider_scan, user};
use crate::ssr::mailer;
use crate::ssr::password::{generate_password, hash_password};
use crate::ssr::robot::{self, RobotKey};
use crate::ssr::settings::Settings;

/// Scans one application may carry.
pub const MAX_SCANS: usize = 3;
const MAX_TEXT: usize = 64 * 1024;

/// What the public form sends.
#[derive(Debug, Default)]
pub struct ApplicationForm {
    pub name: String,
    pub contact_person: String,
    pub email: String,
    pub phone: String,
    /// File name and content.
    pub scans: Vec<(String, Vec<u8>)>,
    pub robot: RobotProof,
}

/// Reads the multipart form, refusing oversized parts as they stream in.
///
/// # Errors
/// `BadRequest` for a broken form; `Validation` on `scans` for a file over 10 MB or too many.
pub async fn read_form(mut data: multer::Multipart<'static>) -> Result<ApplicationForm, AppError> {
    let bad = |e: &dyn std::fmt::Display| AppError::BadRequest(format!("Форма повреждена: {e}"));
    let mut form = ApplicationForm::default();
    while let Some(mut field) = data.next_field().await.map_err(|e| bad(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let limit = if name == "scans" {
            MAX_UPLOAD_BYTES
        } else {
            MAX_TEXT
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| bad(&e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(if name == "scans" {
                    AppError::field(
                        "scans",
                        format!(
                            "«{}»: файл больше 10 МБ",
                            clean_file_name(file_name.as_deref().unwrap_or_default())
                        ),
                    )
                } else {
                    AppError::field(name, "Слишком длинный текст")
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "name" => form.name = text(),
            "contact_person" => form.contact_person = text(),
            "email" => form.email = text(),
            "phone" => form.phone = text(),
            "robot[token]" => form.robot.token = text(),
            "robot[nonce]" => form.robot.nonce = text(),
            "robot[answer]" => form.robot.answer = text(),
            // A file input left empty still sends an empty part without a name.
            "scans" if !bytes.is_empty() || file_name.as_deref().is_some_and(|n| !n.is_empty()) => {
                if form.scans.len() == MAX_SCANS {
                    return Err(AppError::field(
                        "scans",
                        format!("Не больше {MAX_SCANS} файлов"),
                    ));
                }
                form.scans.push((file_name.unwrap_or_default(), bytes));
            }
            _ => {}
        }
    }
    Ok(form)
}

/// Files an application: the organisation waits for the operator, its scans are kept with it,
/// and the applicant is mailed. The robot check is spent only once the fields are right.
///
/// # Errors
/// `Validation` field by field (a name already registered or applied for, and the robot
/// check, included).
pub async fn apply(
    db: &DatabaseConnection,
    settings: &Settings,
    key: &RobotKey,
    form: ApplicationForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if !control_free(&form.name, false) {
        errors.push(FieldError::new(
            "name",
            "Уберите служебные символы: в названии есть невидимые управляющие знаки",
        ));
    } else if name.chars().count() < 3 || name.chars().count() > 300 {
        errors.push(FieldError::new(
            "name",
            "Укажите полное название организации (от 3 до 300 символов)",
        ));
    }
    let contact = form
        .contact_person
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if let Err(m) = parse_full_name(&contact) {
        errors.push(FieldError::new("contact_person", m));
    }
    let email = Email::parse(&form.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    let phone = Phone::parse_any(&form.phone)
        .map_err(|m| errors.push(FieldError::new("phone", m)))
        .ok();
    let mut scans = Vec::new();
    if form.scans.is_empty() {
        errors.push(FieldError::new(
            "scans",
            "Приложите сканы документов организации: PDF, JPEG или PNG, до 10 МБ каждый",
        ));
    }
    for (file_name, bytes) in form.scans {
        let file_name = clean_file_name(&file_name);
        match sniff_scan(&bytes) {
            Ok(kind) => scans.push((file_name, kind.mime(), bytes)),
            Err(m) => errors.push(FieldError::new("scans", format!("«{file_name}»: {m}"))),
        }
    }
    let (Some(email), Some(phone), true) = (email, phone, errors.is_empty()) else {
        if !robot::attempted(&form.robot) {
            errors.push(robot::not_done());
        }
        return Err(AppError::Validation(errors));
    };
    robot::check(db, key, &form.robot, now).await?;
    let at = now;
    let txn = db.begin().await.map_err(db_err)?;
    // A rejected organisation may apply again under the same name.
    provider::Entity::delete_many()
        .filter(provider::Column::Name.eq(name.clone()))
        .filter(provider::Column::Status.eq("rejected"))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    let inserted = provider::ActiveModel {
        name: Set(name.clone()),
        contact_person: Set(contact),
        email: Set(email.as_str().to_owned()),
        phone: Set(phone.as_str().to_owned()),
        status: Set("pending".into()),
        user_id: Set(None),
        reject_reason: Set(None),
        created_at: Set(at),
        reviewed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let p = match inserted {
        Ok(p) => p,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field(
                "name",
                "Организация с таким названием уже зарегистрирована или подала заявку",
            ));
        }
        Err(e) => return Err(db_err(e)),
    };
    for (file_name, mime, bytes) in scans {
        provider_scan::ActiveModel {
            provider_id: Set(p.id),
            name: Set(file_name),
            mime: Set(mime.into()),
            bytes: Set(bytes),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
    }
    mailer::enqueue(
        &txn,
        settings,
        email.as_str(),
        "Заявка организации принята",
        &format!(
            "Здравствуйте!\n\nЗаявка «{name}» на доступ к кабинету поставщика НМО принята под \
             номером {}. Оператор проверит документы; о решении мы напишем на этот адрес, а при \
             одобрении пришлём логин и пароль.\n",
            p.id
        ),
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(p.id)
}

/// Applications waiting for the operator, oldest first, with their scans.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<ProviderApplicationView>, AppError> {
    let rows = provider::Entity::find()
        .filter(provider::Column::Status.eq("pending"))
        .order_by_asc(provider::Column::CreatedAt)
        .order_by_asc(provider::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let scans: Vec<(i64, i64, String)> = provider_scan::Entity::find()
        .select_only()
        .column(provider_scan::Column::Id)
        .column(provider_scan::Column::ProviderId)
        .column(provider_scan::Column::Name)
        .filter(
            provider_scan::Column::ProviderId.is_in(rows.iter().map(|p| p.id).collect::<Vec<_>>()),
        )
        .order_by_asc(provider_scan::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|p| ProviderApplicationView {
            scans: scans
                .iter()
                .filter(|s| s.1 == p.id)
                .map(|s| ScanLink {
                    id: s.0,
                    name: s.2.clone(),
                })
                .collect(),
            id: p.id,
            name: p.name,
            contact_person: p.contact_person,
            email: p.email,
            phone: Phone::parse_any(&p.phone).map_or(p.phone, |ph| ph.display()),
            filed_at: format_moscow(p.created_at),
        })
        .collect())
}

/// A scan for the operator: file name, type, content.
///
/// # Errors
/// `NotFound` for an unknown scan.
pub async fn scan(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    provider_scan::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|s| (s.name, s.mime, s.bytes))
        .ok_or(AppError::NotFound)
}

/// Approves (an account is made and its login and password mailed) or rejects (the reason is
/// mailed) an application, once.
///
/// # Errors
/// `Validation` on `reason` when rejecting without one; `Domain` when it was already reviewed;
/// `NotFound` for an unknown application.
pub async fn review(
    db: &DatabaseConnection,
    settings: &Settings,
    id: i64,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let reason = if approve {
        String::new()
    } else {
        refusal_reason(reason, 1000, "организация").map_err(|m| AppError::field("reason", m))?
    };
    let p = provider::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let reviewed = || AppError::Domain("Эта заявка уже рассмотрена: обновите страницу".into());
    if p.status != "pending" {
        return Err(reviewed());
    }
    // Hashing is slow: done before the transaction, used only if this review wins.
    let password = generate_password();
    let hash = if approve {
        Some(hash_password(password.clone()).await?)
    } else {
        None
    };
    let at = now;
    let txn = db.begin().await.map_err(db_err)?;
    let moved = provider::Entity::update_many()
        .col_expr(
            provider::Column::Status,
            Expr::value(if approve { "approved" } else { "rejected" }),
        )
        .col_expr(provider::Column::ReviewedAt, Expr::value(at))
        .col_expr(
            provider::Column::RejectReason,
            Expr::value((!approve).then(|| reason.clone())),
        )
        .filter(provider::Column::Id.eq(p.id))
        .filter(provider::Column::Status.eq("pending"))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    if moved.rows_affected != 1 {
        return Err(reviewed());
    }
    let Some(hash) = hash else {
        mailer::enqueue(
            &txn,
            settings,
            &p.email,
            "Заявка организации отклонена",
            &format!(
                "Здравствуйте!\n\nЗаявка «{}» на доступ к кабинету поставщика НМО отклонена.\n\
                 Причина: {reason}\n\nИсправьте документы и подайте заявку снова: {}/providers/apply\n",
                p.name, settings.public_url
            ),
            now,
        )
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        return Ok(());
    };
    // The login is the organisation's e-mail, unless an account already uses it.
    let wanted = p.email.to_lowercase();
    let taken = user::Entity::find()
        .filter(user::Column::Login.eq(wanted.clone()))
        .one(&txn)
        .await
        .map_err(db_err)?
        .is_some();
    let login = if taken {
        format!("org{}", p.id)
    } else {
        wanted
    };
    let (last, first, middle) = parse_full_name(&p.contact_person)
        .unwrap_or_else(|_| (p.name.clone(), p.name.clone(), None));
    let u = user::ActiveModel {
        role: Set("provider".into()),
        login: Set(login.clone()),
        status: Set("active".into()),
        last_name: Set(last),
        first_name: Set(first.clone()),
        middle_name: Set(middle),
        email: Set(p.email.clone()),
        phone: Set(Some(p.phone.clone())),
        password_hash: Set(Some(hash.0)),
        failed_logins: Set(0),
        created_at: Set(at),
        confirmed_at: Set(Some(at)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    provider::Entity::update_many()
        .col_expr(provider::Column::UserId, Expr::value(u.id))
        .filter(provider::Column::Id.eq(p.id))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    mailer::enqueue(
        &txn,
        settings,
        &p.email,
        "Логин и пароль для входа в кабинет поставщика",
        &format!(
            "Здравствуйте, {first}!\n\nЗаявка «{}» одобрена: кабинет поставщика НМО открыт.\n\n\
             Логин: {login}\nПароль: {password}\n\nВойти: {}/login\n\nПароль можно сменить в \
             профиле. Никому не сообщайте его: сотрудники портала его не спрашивают.\n",
            p.name, settings.public_url
        ),
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}
