//! «Обращение в техподдержку»: tickets, their answers, and the mail for both.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use crate::domain::contact::Email;
use crate::domain::files::{MAX_UPLOAD_BYTES, clean_file_name, sniff_scan};
use crate::domain::time::format_moscow;
use crate::error::{AppError, FieldError};
use crate::model::{TicketView, ticket_number, topic_title};
use crate::ssr::context::db_err;
use crate::ssr::entities::support_ticket;
use crate::ssr::mailer::enqueue;
use crate::ssr::session::CurrentUser;
use crate::ssr::settings::Settings;

pub const MAX_BODY_CHARS: usize = 5000;

/// A ticket as submitted; `name` and `email` are used only when nobody is signed in.
#[derive(Debug, Default)]
pub struct NewTicket {
    pub topic: String,
    pub body: String,
    pub name: String,
    pub email: String,
    pub attachment: Option<(String, Vec<u8>)>,
}

/// Reads the multipart support form, refusing a field over its limit as soon as it is crossed.
///
/// # Errors
/// `Validation` for an oversized field, `BadRequest` for a broken form.
pub async fn read_ticket_form(mut data: multer::Multipart<'static>) -> Result<NewTicket, AppError> {
    let bad = |e: &dyn std::fmt::Display| AppError::BadRequest(format!("Форма повреждена: {e}"));
    let mut ticket = NewTicket::default();
    while let Some(mut field) = data.next_field().await.map_err(|e| bad(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let limit = if name == "attachment" {
            MAX_UPLOAD_BYTES
        } else {
            64 * 1024
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| bad(&e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(if name == "attachment" {
                    AppError::field("attachment", "Файл больше 10 МБ")
                } else {
                    AppError::field(name, "Слишком длинный текст")
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "topic" => ticket.topic = text(),
            "body" => ticket.body = text(),
            "name" => ticket.name = text(),
            "email" => ticket.email = text(),
            "attachment" if !bytes.is_empty() => {
                ticket.attachment = Some((file_name.unwrap_or_default(), bytes));
            }
            _ => {}
        }
    }
    Ok(ticket)
}

/// Files a ticket and mails its number. Returns the number.
///
/// # Errors
/// `Validation` field by field.
pub async fn create_ticket(
    db: &DatabaseConnection,
    settings: &Settings,
    me: Option<&CurrentUser>,
    t: NewTicket,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut errors = Vec::new();
    if topic_title(&t.topic).is_none() {
        errors.push(FieldError::new("topic", "Выберите тему обращения"));
    }
    let body = t.body.trim().to_owned();
    if body.is_empty() {
        errors.push(FieldError::new("body", "Опишите вопрос"));
    } else if body.chars().count() > MAX_BODY_CHARS {
        errors.push(FieldError::new("body", "Не более 5000 символов"));
    }
    let (name, email) = match me {
        Some(me) => (me.short_name(), me.email.clone()),
        None => {
            let name = t.name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 200 {
                errors.push(FieldError::new(
                    "name",
                    "Укажите, как к вам обращаться (до 200 символов)",
                ));
            }
            let email = Email::parse(&t.email)
                .map_err(|m| errors.push(FieldError::new("email", m)))
                .ok()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default();
            (name, email)
        }
    };
    let attachment = match t.attachment {
        Some((file_name, bytes)) => match sniff_scan(&bytes) {
            Ok(kind) => Some((clean_file_name(&file_name), kind.mime(), bytes)),
            Err(m) => {
                errors.push(FieldError::new("attachment", m));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = db.begin().await.map_err(db_err)?;
    let (att_name, att_type, att_bytes) = match attachment {
        Some((n, m, b)) => (Some(n), Some(m.to_owned()), Some(b)),
        None => (None, None, None),
    };
    let row = support_ticket::ActiveModel {
        user_id: Set(me.map(|m| m.id)),
        name: Set(name.clone()),
        email: Set(email.clone()),
        topic: Set(t.topic.clone()),
        body: Set(body.clone()),
        attachment_name: Set(att_name),
        attachment_type: Set(att_type),
        attachment: Set(att_bytes),
        status: Set("open".into()),
        answer: Set(None),
        answered_at: Set(None),
        answered_by: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let number = ticket_number(row.id);
    enqueue(
        &txn,
        settings,
        &email,
        &format!("Обращение {number} принято"),
        &format!(
            "Здравствуйте, {name}!\n\nВаше обращение в техподдержку зарегистрировано под номером {number}.\n\
             Тема: {topic}\n\n{body}\n\nОтвет придёт на этот адрес{cabinet}.\n",
            topic = topic_title(&t.topic).unwrap_or_default(),
            cabinet = if me.is_some() { " и появится в личном кабинете" } else { "" },
        ),
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(number)
}

fn view(t: support_ticket::Model, with_author: bool) -> TicketView {
    TicketView {
        id: t.id,
        number: ticket_number(t.id),
        topic: topic_title(&t.topic).unwrap_or("Другое").into(),
        body: t.body,
        created_at: format_moscow(t.created_at),
        status: if t.status == "answered" {
            "Отвечено"
        } else {
            "На рассмотрении"
        }
        .into(),
        answer: t.answer,
        answered_at: t.answered_at.map(format_moscow),
        has_attachment: t.attachment_name.is_some(),
        attachment_name: t.attachment_name,
        author: with_author.then(|| format!("{} <{}>", t.name, t.email)),
    }
}

fn without_blob() -> sea_orm::Select<support_ticket::Entity> {
    use support_ticket::Column as C;
    support_ticket::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::UserId,
            C::Name,
            C::Email,
            C::Topic,
            C::Body,
            C::AttachmentName,
            C::AttachmentType,
            C::Status,
            C::Answer,
            C::AnsweredAt,
            C::AnsweredBy,
            C::CreatedAt,
        ])
        .column_as(Expr::value(None::<Vec<u8>>), C::Attachment)
}

/// # Errors
/// `Internal` on a database failure.
pub async fn my_tickets(
    db: &DatabaseConnection,
    me: &CurrentUser,
) -> Result<Vec<TicketView>, AppError> {
    Ok(without_blob()
        .filter(support_ticket::Column::UserId.eq(me.id))
        .order_by_desc(support_ticket::Column::Id)
        .limit(100)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| view(t, false))
        .collect())
}

/// Open tickets first, then the newest.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn all_tickets(db: &DatabaseConnection) -> Result<Vec<TicketView>, AppError> {
    Ok(without_blob()
        .order_by_desc(support_ticket::Column::Status.eq("open"))
        .order_by_desc(support_ticket::Column::Id)
        .limit(200)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|t| view(t, true))
        .collect())
}

/// Records the answer and mails it.
///
/// # Errors
/// `Validation` for an empty answer, `NotFound`, `Conflict` if already answered.
pub async fn answer_ticket(
    db: &DatabaseConnection,
    settings: &Settings,
    admin: &CurrentUser,
    id: i64,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let answer = answer.trim();
    if answer.is_empty() {
        return Err(AppError::field("answer", "Напишите ответ"));
    }
    if answer.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::field("answer", "Не более 5000 символов"));
    }
    let txn = db.begin().await.map_err(db_err)?;
    let updated = support_ticket::Entity::update_many()
        .col_expr(support_ticket::Column::Status, Expr::value("answered"))
        .col_expr(
            support_ticket::Column::Answer,
            Expr::value(answer.to_owned()),
        )
        .col_expr(support_ticket::Column::AnsweredAt, Expr::value(now))
        .col_expr(support_ticket::Column::AnsweredBy, Expr::value(admin.id))
        .filter(support_ticket::Column::Id.eq(id))
        .filter(support_ticket::Column::Status.eq("open"))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    if updated.rows_affected == 0 {
        let exists = without_blob()
            .filter(support_ticket::Column::Id.eq(id))
            .one(&txn)
            .await
            .map_err(db_err)?;
        return Err(match exists {
            Some(_) => AppError::Conflict("На это обращение уже ответили".into()),
            None => AppError::NotFound,
        });
    }
    let t = without_blob()
        .filter(support_ticket::Column::Id.eq(id))
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let number = ticket_number(id);
    enqueue(
        &txn,
        settings,
        &t.email,
        &format!("Ответ на обращение {number}"),
        &format!(
            "Здравствуйте, {}!\n\nНа ваше обращение {number} дан ответ:\n\n{answer}\n\nВаш вопрос:\n{}\n",
            t.name, t.body
        ),
        now,
    )
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// The attachment of a ticket, for its author or an admin.
///
/// # Errors
/// `NotFound` when there is none or the caller may not see it.
pub async fn attachment(
    db: &DatabaseConnection,
    me: &CurrentUser,
    id: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    let t = support_ticket::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let allowed = me.role == crate::model::Role::Admin || t.user_id == Some(me.id);
    match (allowed, t.attachment_name, t.attachment_type, t.attachment) {
        (true, Some(n), Some(m), Some(b)) => Ok((n, m, b)),
        _ => Err(AppError::NotFound),
    }
}
