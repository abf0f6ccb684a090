//! Accounts, sessions, one-time links, the mail outbox and support tickets.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Role,
    Login,
    Status,
    LastName,
    FirstName,
    MiddleName,
    Citizenship,
    Region,
    Sex,
    BirthDate,
    Email,
    Phone,
    PasswordHash,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum EmailTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    NewEmail,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    MessageId,
    Recipient,
    Subject,
    Body,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    SentAt,
    LastError,
}

#[derive(DeriveIden)]
enum SupportTickets {
    Table,
    Id,
    UserId,
    Name,
    Email,
    Topic,
    Body,
    AttachmentName,
    AttachmentType,
    Attachment,
    Status,
    Answer,
    AnsweredAt,
    AnsweredBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(
                        string_len(Users::Role, 20).check(Expr::col(Users::Role).is_in([
                            "specialist",
                            "teacher",
                            "school_head",
                            "parent",
                            "provider",
                            "operator",
                            "admin",
                        ])),
                    )
                    .col(string_len_uniq(Users::Login, 254))
                    .col(
                        string_len(Users::Status, 20)
                            .check(Expr::col(Users::Status).is_in(["pending", "active"])),
                    )
                    .col(string_len(Users::LastName, 60))
                    .col(string_len(Users::FirstName, 60))
                    .col(string_len_null(Users::MiddleName, 60))
                    .col(string_len_null(Users::Citizenship, 10))
                    .col(integer_null(Users::Region))
                    .col(string_len_null(Users::Sex, 10))
                    .col(date_null(Users::BirthDate))
                    .col(string_len(Users::Email, 254))
                    .col(string_len_null(Users::Phone, 20))
                    .col(string_len_null(Users::PasswordHash, 200))
                    .col(
                        integer(Users::FailedLogins)
                            .default(0)
                            .check(Expr::col(Users::FailedLogins).gte(0)),
                    )
                    .col(timestamp_with_time_zone_null(Users::LockedUntil))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone_null(Users::ConfirmedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(string_len_uniq(Sessions::TokenHash, 64))
                    .col(big_integer(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmailTokens::Table)
                    .col(big_pk_auto(EmailTokens::Id))
                    .col(big_integer(EmailTokens::UserId))
                    .col(string_len(EmailTokens::Purpose, 30))
                    .col(string_len_uniq(EmailTokens::TokenHash, 64))
                    .col(string_len_null(EmailTokens::NewEmail, 254))
                    .col(timestamp_with_time_zone(EmailTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailTokens::UsedAt))
                    .col(timestamp_with_time_zone(EmailTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailTokens::Table, EmailTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    .col(string_len_uniq(Outbox::MessageId, 200))
                    .col(string_len(Outbox::Recipient, 254))
                    .col(string_len(Outbox::Subject, 300))
                    .col(text(Outbox::Body))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .col(text_null(Outbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_pending")
                    .table(Outbox::Table)
                    .col(Outbox::SentAt)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SupportTickets::Table)
                    .col(big_pk_auto(SupportTickets::Id))
                    .col(big_integer_null(SupportTickets::UserId))
                    .col(string_len(SupportTickets::Name, 200))
                    .col(string_len(SupportTickets::Email, 254))
                    .col(string_len(SupportTickets::Topic, 60))
                    .col(text(SupportTickets::Body))
                    .col(string_len_null(SupportTickets::AttachmentName, 200))
                    .col(string_len_null(SupportTickets::AttachmentType, 50))
                    .col(binary_null(SupportTickets::Attachment))
                    .col(
                        string_len(SupportTickets::Status, 20)
                            .check(Expr::col(SupportTickets::Status).is_in(["open", "answered"])),
                    )
                    .col(text_null(SupportTickets::Answer))
                    .col(timestamp_with_time_zone_null(SupportTickets::AnsweredAt))
                    .col(big_integer_null(SupportTickets::AnsweredBy))
                    .col(timestamp_with_time_zone(SupportTickets::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportTickets::Table, SupportTickets::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportTickets::Table, SupportTickets::AnsweredBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_support_tickets_user")
                    .table(SupportTickets::Table)
                    .col(SupportTickets::UserId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SupportTickets::Table.into_iden(),
            Outbox::Table.into_iden(),
            EmailTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
