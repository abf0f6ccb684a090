//! Idempotency keys: the outcome of a state-changing call, kept for a day, so a call retried
//! after a lost answer is answered from here instead of being done again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Key,
    Pending,
    Status,
    Headers,
    Body,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    // SHA-256 (hex) of the caller's session, the endpoint and the client's key.
                    .col(string_len(IdempotencyKeys::Key, 64).primary_key())
                    .col(boolean(IdempotencyKeys::Pending))
                    .col(integer_null(IdempotencyKeys::Status))
                    // The answer's headers a retry needs (type, redirect), as JSON pairs.
                    .col(text_null(IdempotencyKeys::Headers))
                    .col(text_null(IdempotencyKeys::Body))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_created")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await
    }
}
