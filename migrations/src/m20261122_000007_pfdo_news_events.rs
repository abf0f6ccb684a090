//! ПФДО «Новости», «Мероприятия» and «Портфолио»: news from the operator and from providers,
//! events a parent applies to for the child, and the child's achievements.
//!
//! An event never takes more children than its capacity (a CHECK on `taken`), and a child has
//! at most one live application to an event (a partial unique index).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000006_pfdo::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Providers {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoMunicipalities {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoCertificates {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoNews {
    Table,
    Id,
    MunicipalityId,
    ProviderId,
    Title,
    Body,
    PublishedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoEvents {
    Table,
    Id,
    ProviderId,
    MunicipalityId,
    Title,
    Description,
    SearchText,
    Place,
    StartsAt,
    AgeFrom,
    AgeTo,
    Capacity,
    Taken,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoEventApplications {
    Table,
    Id,
    EventId,
    CertificateId,
    CreatedAt,
    CancelledAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoAchievements {
    Table,
    Id,
    CertificateId,
    Title,
    Level,
    Result,
    AchievedOn,
    ProviderId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines)]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PfdoNews::Table)
                    .col(big_pk_auto(PfdoNews::Id))
                    .col(big_integer(PfdoNews::MunicipalityId))
                    .col(big_integer_null(PfdoNews::ProviderId))
                    .col(string_len(PfdoNews::Title, 200))
                    .col(text(PfdoNews::Body))
                    .col(timestamp_with_time_zone(PfdoNews::PublishedAt))
                    .foreign_key(&mut fk(
                        PfdoNews::Table,
                        PfdoNews::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoNews::Table,
                        PfdoNews::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_news_municipality",
                PfdoNews::Table,
                &["municipality_id", "published_at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoEvents::Table)
                    .col(big_pk_auto(PfdoEvents::Id))
                    .col(big_integer(PfdoEvents::ProviderId))
                    .col(big_integer(PfdoEvents::MunicipalityId))
                    .col(string_len(PfdoEvents::Title, 200))
                    .col(text(PfdoEvents::Description))
                    .col(text(PfdoEvents::SearchText))
                    .col(string_len(PfdoEvents::Place, 300))
                    .col(timestamp_with_time_zone(PfdoEvents::StartsAt))
                    .col(small_integer(PfdoEvents::AgeFrom))
                    .col(small_integer(PfdoEvents::AgeTo))
                    .col(integer(PfdoEvents::Capacity).check(Expr::col(PfdoEvents::Capacity).gt(0)))
                    .col(
                        integer(PfdoEvents::Taken).default(0).check(
                            Expr::col(PfdoEvents::Taken).gte(0).and(
                                Expr::col(PfdoEvents::Taken).lte(Expr::col(PfdoEvents::Capacity)),
                            ),
                        ),
                    )
                    .col(timestamp_with_time_zone(PfdoEvents::CreatedAt))
                    .check(Expr::col(PfdoEvents::AgeFrom).lte(Expr::col(PfdoEvents::AgeTo)))
                    .foreign_key(&mut fk(
                        PfdoEvents::Table,
                        PfdoEvents::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoEvents::Table,
                        PfdoEvents::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_events_municipality",
                PfdoEvents::Table,
                &["municipality_id", "starts_at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoEventApplications::Table)
                    .col(big_pk_auto(PfdoEventApplications::Id))
                    .col(big_integer(PfdoEventApplications::EventId))
                    .col(big_integer(PfdoEventApplications::CertificateId))
                    .col(timestamp_with_time_zone(PfdoEventApplications::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        PfdoEventApplications::CancelledAt,
                    ))
                    .foreign_key(&mut fk(
                        PfdoEventApplications::Table,
                        PfdoEventApplications::EventId,
                        PfdoEvents::Table,
                        PfdoEvents::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoEventApplications::Table,
                        PfdoEventApplications::CertificateId,
                        PfdoCertificates::Table,
                        PfdoCertificates::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_pfdo_event_applications_live ON \
                 pfdo_event_applications (event_id, certificate_id) WHERE cancelled_at IS NULL",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoAchievements::Table)
                    .col(big_pk_auto(PfdoAchievements::Id))
                    .col(big_integer(PfdoAchievements::CertificateId))
                    .col(string_len(PfdoAchievements::Title, 200))
                    .col(string_len(PfdoAchievements::Level, 20).check(
                        Expr::col(PfdoAchievements::Level).is_in([
                            "municipal",
                            "regional",
                            "federal",
                            "international",
                        ]),
                    ))
                    .col(string_len(PfdoAchievements::Result, 20).check(
                        Expr::col(PfdoAchievements::Result).is_in([
                            "participant",
                            "prize",
                            "winner",
                        ]),
                    ))
                    .col(date(PfdoAchievements::AchievedOn))
                    .col(big_integer_null(PfdoAchievements::ProviderId))
                    .col(timestamp_with_time_zone(PfdoAchievements::CreatedAt))
                    .foreign_key(&mut fk(
                        PfdoAchievements::Table,
                        PfdoAchievements::CertificateId,
                        PfdoCertificates::Table,
                        PfdoCertificates::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoAchievements::Table,
                        PfdoAchievements::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_achievements_certificate",
                PfdoAchievements::Table,
                &["certificate_id", "achieved_on"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PfdoAchievements::Table.into_iden(),
            PfdoEventApplications::Table.into_iden(),
            PfdoEvents::Table.into_iden(),
            PfdoNews::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
