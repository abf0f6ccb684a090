//! When a ДПП ПК application was formed (the date it prints), the scans an organisation
//! attaches to its application to become a provider, and a programme's runs unique by dates
//! (so two editors saving at once cannot add the same run twice).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PlanItems {
    Table,
    AppliedAt,
}

#[derive(DeriveIden)]
enum ProgrammeRuns {
    Table,
    ElementId,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ProviderScans {
    Table,
    Id,
    ProviderId,
    Name,
    Mime,
    Bytes,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PlanItems::Table)
                    .add_column(timestamp_with_time_zone_null(PlanItems::AppliedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProviderScans::Table)
                    .col(big_pk_auto(ProviderScans::Id))
                    .col(big_integer(ProviderScans::ProviderId))
                    .col(string_len(ProviderScans::Name, 255))
                    .col(string_len(ProviderScans::Mime, 50))
                    .col(binary(ProviderScans::Bytes))
                    .col(timestamp_with_time_zone(ProviderScans::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProviderScans::Table, ProviderScans::ProviderId)
                            .to(Providers::Table, Providers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_provider_scans_provider")
                    .table(ProviderScans::Table)
                    .col(ProviderScans::ProviderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_programme_runs_dates")
                    .table(ProgrammeRuns::Table)
                    .col(ProgrammeRuns::ElementId)
                    .col(ProgrammeRuns::StartsOn)
                    .col(ProgrammeRuns::EndsOn)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_programme_runs_dates")
                    .table(ProgrammeRuns::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ProviderScans::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PlanItems::Table)
                    .drop_column(PlanItems::AppliedAt)
                    .to_owned(),
            )
            .await
    }
}
