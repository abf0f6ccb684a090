//! Notifications in a user's cabinet: written in the same transaction as the change they tell
//! of, shown newest first, marked read when the user says so.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, Set,
};

use crate::domain::time::format_moscow;
use crate::error::AppError;
use crate::model::dpo::NotificationRow;
use crate::ssr::context::db_err;
use crate::ssr::entities::notification;

/// How many a page shows.
pub const SHOWN: u64 = 20;

/// Adds a notification for `user_id` about the page at `link`.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn notify(
    db: &impl ConnectionTrait,
    user_id: i64,
    text: impl Into<String>,
    link: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notification::ActiveModel {
        user_id: Set(user_id),
        at: Set(now),
        text: Set(text.into().chars().take(1000).collect()),
        link: Set(link),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The newest notifications of `user_id`.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn latest(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<NotificationRow>, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_desc(notification::Column::At)
        .order_by_desc(notification::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|n| NotificationRow {
            id: n.id,
            at: format_moscow(n.at),
            text: n.text,
            link: n.link,
            unread: n.read_at.is_none(),
        })
        .collect())
}

/// Marks every notification of `user_id` read; returns how many were unread.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await
        .map_err(db_err)?
        .rows_affected)
}
