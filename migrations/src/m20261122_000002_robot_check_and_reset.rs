//! The «Я не робот» check (the server's signing key and used challenges) and a password reset
//! that waits for its first use instead of replacing the working password at once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppSecrets {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden)]
enum RobotChecks {
    Table,
    Id,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    ResetPasswordHash,
    ResetExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AppSecrets::Table)
                    .col(string_len(AppSecrets::Name, 40).primary_key())
                    .col(string_len(AppSecrets::Value, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RobotChecks::Table)
                    .col(string_len(RobotChecks::Id, 32).primary_key())
                    .col(timestamp_with_time_zone(RobotChecks::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_robot_checks_expires")
                    .table(RobotChecks::Table)
                    .col(RobotChecks::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_len_null(Users::ResetPasswordHash, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::ResetExpiresAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::ResetExpiresAt, Users::ResetPasswordHash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            RobotChecks::Table.into_iden(),
            AppSecrets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
