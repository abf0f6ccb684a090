//! The transactional outbox. A change that sends mail writes the mail in its own transaction;
//! a worker delivers it over SMTP, or into `.eml` files when no SMTP server is configured.
//! Delivery is at least once under one Message-ID: a crash after sending and before marking
//! resends the same Message-ID, which mail systems treat as the same message.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
pub use lettre::message::Mailbox;
use lettre::message::MessageBuilder;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::clock::Clock;
use super::entities::outbox;
use super::settings::Settings;

/// Writes one mail into the outbox, inside the caller's transaction.
///
/// # Errors
/// The database error.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    settings: &Settings,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    // An account without an address (a certificate issued without e-mail) gets no mail.
    if to.trim().is_empty() {
        return Ok(0);
    }
    let host = url_host(&settings.public_url);
    let row = outbox::ActiveModel {
        message_id: Set(format!("<{}@{host}>", uuid::Uuid::new_v4())),
        recipient: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The host of `url`, for Message-IDs and calendar UIDs; `kabinet.local` when it has none.
pub fn url_host(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("kabinet.local")
        .to_owned()
}

/// Where mail goes.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(std::path::PathBuf),
}

impl Transport {
    /// # Errors
    /// A message when `SMTP_URL` cannot be understood.
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        match &settings.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Self::Smtp(b.timeout(Some(Duration::from_secs(20))).build()))
                .map_err(|e| format!("SMTP_URL не распознан: {e}")),
            None => Ok(Self::Files(settings.mail_dir())),
        }
    }
}

/// Builds the RFC 5322 message for one outbox row.
///
/// # Errors
/// A message when an address is malformed.
pub fn build_message(settings: &Settings, row: &outbox::Model) -> Result<Message, String> {
    let from: Mailbox = settings.mail_from.parse().map_err(|e| format!("{e}"))?;
    let to: Mailbox = row.recipient.parse().map_err(|e| format!("{e}"))?;
    MessageBuilder::new()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()))
        .date(row.created_at.into())
        .header(ContentType::TEXT_PLAIN)
        .body(row.body.clone())
        .map_err(|e| e.to_string())
}

async fn write_file(dir: &Path, row: &outbox::Model, message: &Message) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let name = format!("{:08}.eml", row.id);
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, message.formatted()).await?;
    tokio::fs::rename(&tmp, dir.join(name)).await
}

/// Takes up to `limit` due mails and leases them for a minute, so that no other instance
/// sends them meanwhile.
///
/// # Errors
/// The database error.
pub async fn claim_due(
    db: &DatabaseConnection,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Model>, DbErr> {
    let lease = now + TimeDelta::seconds(60);
    let mut due = Query::select();
    due.column(outbox::Column::Id)
        .from(outbox::Entity)
        .and_where(Expr::col(outbox::Column::SentAt).is_null())
        .and_where(Expr::col(outbox::Column::NextAttemptAt).lte(now))
        .and_where(
            Expr::col(outbox::Column::LeaseUntil)
                .is_null()
                .or(Expr::col(outbox::Column::LeaseUntil).lt(now)),
        )
        .order_by(outbox::Column::Id, sea_orm::Order::Asc)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseUntil, Expr::value(lease))
        .filter(outbox::Column::Id.in_subquery(due))
        .exec_with_returning(db)
        .await
}

/// Sends what is due once; returns how many were sent.
///
/// # Errors
/// The database error; sending errors are recorded on the row and retried later.
pub async fn deliver_due(
    db: &DatabaseConnection,
    settings: &Settings,
    transport: &Transport,
    clock: &Clock,
) -> Result<usize, DbErr> {
    let mut rows = claim_due(db, 20, clock.now()).await?;
    rows.sort_by_key(|r| r.id);
    let mut sent = 0;
    for row in rows {
        let result = match build_message(settings, &row) {
            Ok(message) => match transport {
                Transport::Smtp(smtp) => smtp
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Transport::Files(dir) => write_file(dir, &row, &message)
                    .await
                    .map_err(|e| e.to_string()),
            },
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                outbox::Entity::update_many()
                    .col_expr(outbox::Column::SentAt, Expr::value(clock.now()))
                    .col_expr(
                        outbox::Column::LeaseUntil,
                        Expr::value(None::<DateTime<Utc>>),
                    )
                    .col_expr(
                        outbox::Column::Attempts,
                        Expr::col(outbox::Column::Attempts).add(1),
                    )
                    .filter(outbox::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
                sent += 1;
            }
            Err(error) => {
                let attempts = row.attempts + 1;
                // 30 s, 1 min, 2 min … capped at an hour.
                let backoff =
                    TimeDelta::seconds(std::cmp::min(30_i64 << std::cmp::min(attempts, 7), 3600));
                tracing::warn!(id = row.id, attempts, %error, "mail not sent, will retry");
                outbox::Entity::update_many()
                    .col_expr(outbox::Column::Attempts, Expr::value(attempts))
                    .col_expr(
                        outbox::Column::NextAttemptAt,
                        Expr::value(clock.now() + backoff),
                    )
                    .col_expr(
                        outbox::Column::LeaseUntil,
                        Expr::value(None::<DateTime<Utc>>),
                    )
                    .col_expr(outbox::Column::LastError, Expr::value(error))
                    .filter(outbox::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// The outbox worker: delivers due mail every second until `shutdown` fires.
pub async fn run_worker(
    db: DatabaseConnection,
    settings: std::sync::Arc<Settings>,
    transport: Transport,
    clock: Clock,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = deliver_due(&db, &settings, &transport, &clock).await {
            tracing::error!(error = %e, "outbox worker failed, retrying");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => break,
        }
    }
}

/// The mails already delivered, newest first (the demo mailbox).
///
/// # Errors
/// The database error.
pub async fn list_sent(db: &DatabaseConnection, limit: u64) -> Result<Vec<outbox::Model>, DbErr> {
    use sea_orm::QuerySelect as _;
    outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_not_null())
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_id_host_comes_from_the_public_url() {
        assert_eq!(
            url_host("https://kabinet.example.ru/x"),
            "kabinet.example.ru"
        );
        assert_eq!(url_host("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(url_host(""), "kabinet.local");
    }
}
