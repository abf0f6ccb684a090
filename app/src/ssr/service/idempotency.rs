//! Idempotency keys. A state-changing call that carries a key is done once: the first call
//! claims the key, runs and stores its answer; a retry with the same key (after a lost
//! answer, or racing the first on another instance) gets that answer back instead.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, DbErr, EntityTrait as _, QueryFilter as _,
};

use crate::ssr::entities::idempotency_key::{self, Column, Entity};

/// A pending claim older than this belongs to a call that can no longer finish: every request
/// is cut at 30 s, so its instance stopped mid-call. A retry may take it over.
pub const ABANDONED_AFTER: Duration = Duration::seconds(60);
/// How long answers are kept for retries.
pub const KEPT_FOR: Duration = Duration::hours(24);

/// The answer a call gave, as replayed to its retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub status: u16,
    /// The headers a retry needs: the type, and where a redirect leads.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This call runs; `finish` or `release` must follow.
    Fresh,
    /// An earlier call with this key finished: its answer.
    Done(Stored),
    /// An earlier call with this key is still running.
    Running,
}

/// The stored key: the client's key is only unique for its own session and endpoint.
pub fn scoped_key(session: Option<&str>, path: &str, client_key: &str) -> String {
    crate::ssr::crypto::hash_token(&format!("{}\n{path}\n{client_key}", session.unwrap_or("-")))
}

/// Whether a client's key has an acceptable shape: 8 to 100 letters, digits, `-` or `_`.
pub fn valid_client_key(key: &str) -> bool {
    (8..=100).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Claims `key` for a call starting `at`.
///
/// # Errors
/// The database's error.
pub async fn claim(
    db: &impl ConnectionTrait,
    key: &str,
    at: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    let row = idempotency_key::ActiveModel {
        key: Set(key.to_owned()),
        pending: Set(true),
        status: Set(None),
        headers: Set(None),
        body: Set(None),
        created_at: Set(at),
    };
    let inserted = Entity::insert(row)
        .on_conflict(OnConflict::column(Column::Key).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let Some(found) = Entity::find_by_id(key.to_owned()).one(db).await? else {
        // Released between our insert and this read: claim again once.
        return Box::pin(claim(db, key, at)).await;
    };
    if !found.pending {
        return Ok(Claim::Done(Stored {
            status: found
                .status
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(200),
            headers: found
                .headers
                .and_then(|h| serde_json::from_str(&h).ok())
                .unwrap_or_default(),
            body: found.body.unwrap_or_default(),
        }));
    }
    if found.created_at < at - ABANDONED_AFTER {
        // Only one retry wins the take-over: the update matches the old claim's time.
        let taken = Entity::update_many()
            .col_expr(Column::CreatedAt, sea_orm::sea_query::Expr::value(at))
            .filter(Column::Key.eq(key))
            .filter(Column::Pending.eq(true))
            .filter(Column::CreatedAt.eq(found.created_at))
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            return Ok(Claim::Fresh);
        }
    }
    Ok(Claim::Running)
}

/// Stores the answer of the call that claimed `key`.
///
/// # Errors
/// The database's error.
pub async fn finish(db: &impl ConnectionTrait, key: &str, answer: Stored) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::Pending, Expr::value(false))
        .col_expr(Column::Status, Expr::value(i32::from(answer.status)))
        .col_expr(
            Column::Headers,
            Expr::value(serde_json::to_string(&answer.headers).unwrap_or_default()),
        )
        .col_expr(Column::Body, Expr::value(answer.body))
        .filter(Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives `key` up: the call did nothing a retry must not repeat (it was refused or failed).
///
/// # Errors
/// The database's error.
pub async fn release(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::Key.eq(key))
        .filter(Column::Pending.eq(true))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets answers older than `KEPT_FOR`.
///
/// # Errors
/// The database's error.
pub async fn purge_old(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::CreatedAt.lt(now - KEPT_FOR))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_scoped_to_session_and_endpoint() {
        let a = scoped_key(Some("s1"), "/api/dpo/apply", "k-12345678");
        assert_eq!(a, scoped_key(Some("s1"), "/api/dpo/apply", "k-12345678"));
        assert_ne!(a, scoped_key(Some("s2"), "/api/dpo/apply", "k-12345678"));
        assert_ne!(a, scoped_key(Some("s1"), "/api/dpo/withdraw", "k-12345678"));
        assert_ne!(a, scoped_key(None, "/api/dpo/apply", "k-12345678"));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn only_plain_keys_of_a_sane_length_are_accepted() {
        assert!(valid_client_key("0f3c9a1e-77aa-4d7e-9b9b-0123456789ab"));
        assert!(valid_client_key("abcdefgh"));
        assert!(!valid_client_key("short"));
        assert!(!valid_client_key(&"a".repeat(101)));
        assert!(!valid_client_key("has space in it"));
        assert!(!valid_client_key("ключ-по-русски"));
        assert!(!valid_client_key(""));
    }
}
