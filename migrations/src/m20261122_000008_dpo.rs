//! ДПО: schools and their staff, providers' courses with groups, teachers' applications with
//! their history, and the cabinet's notifications for any user.
//!
//! A course never takes more live applications than its places and a group never more teachers
//! than its capacity (CHECKs on the counters); a teacher has at most one live application per
//! course (a partial unique index).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000006_pfdo::{fk, index, money};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Providers {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum DpoSchools {
    Table,
    Id,
    Name,
    City,
}

#[derive(DeriveIden, Clone, Copy)]
enum DpoSchoolMembers {
    Table,
    UserId,
    SchoolId,
    Kind,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
enum DpoCourses {
    Table,
    Id,
    ProviderId,
    Code,
    Title,
    Description,
    SearchText,
    Hours,
    Format,
    Funding,
    Price,
    StartsOn,
    EndsOn,
    Places,
    Taken,
}

#[derive(DeriveIden, Clone, Copy)]
enum DpoGroups {
    Table,
    Id,
    CourseId,
    Number,
    Capacity,
    Enrolled,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum DpoApplications {
    Table,
    Id,
    CourseId,
    TeacherId,
    SchoolId,
    Status,
    GroupId,
    Reason,
    DocumentNumber,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DpoApplicationLog {
    Table,
    Id,
    ApplicationId,
    At,
    Status,
    ActorId,
    Note,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notifications {
    Table,
    Id,
    UserId,
    At,
    Text,
    Link,
    ReadAt,
}

const STATUSES: [&str; 6] = [
    "submitted",
    "approved",
    "rejected",
    "withdrawn",
    "enrolled",
    "completed",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines)]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DpoSchools::Table)
                    .col(big_pk_auto(DpoSchools::Id))
                    .col(string_len(DpoSchools::Name, 200))
                    .col(string_len(DpoSchools::City, 100))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_dpo_schools_name",
                DpoSchools::Table,
                &["city", "name"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DpoSchoolMembers::Table)
                    .col(big_integer(DpoSchoolMembers::UserId).primary_key())
                    .col(big_integer(DpoSchoolMembers::SchoolId))
                    .col(string_len(DpoSchoolMembers::Kind, 10).check(
                        Expr::col(DpoSchoolMembers::Kind).is_in(["teacher", "head", "admin"]),
                    ))
                    .col(string_len(DpoSchoolMembers::Position, 100))
                    .foreign_key(&mut fk(
                        DpoSchoolMembers::Table,
                        DpoSchoolMembers::UserId,
                        Users::Table,
                        Users::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        DpoSchoolMembers::Table,
                        DpoSchoolMembers::SchoolId,
                        DpoSchools::Table,
                        DpoSchools::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_dpo_school_members_school",
                DpoSchoolMembers::Table,
                &["school_id", "kind"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DpoCourses::Table)
                    .col(big_pk_auto(DpoCourses::Id))
                    .col(big_integer(DpoCourses::ProviderId))
                    .col(string_len_uniq(DpoCourses::Code, 30))
                    .col(string_len(DpoCourses::Title, 200))
                    .col(text(DpoCourses::Description))
                    .col(text(DpoCourses::SearchText))
                    .col(integer(DpoCourses::Hours).check(Expr::col(DpoCourses::Hours).gt(0)))
                    .col(string_len(DpoCourses::Format, 20).check(
                        Expr::col(DpoCourses::Format).is_in(["full_time", "blended", "distance"]),
                    ))
                    .col(
                        string_len(DpoCourses::Funding, 10)
                            .check(Expr::col(DpoCourses::Funding).is_in(["budget", "paid"])),
                    )
                    .col(money(DpoCourses::Price))
                    .col(date(DpoCourses::StartsOn))
                    .col(date(DpoCourses::EndsOn))
                    .col(integer(DpoCourses::Places).check(Expr::col(DpoCourses::Places).gt(0)))
                    .col(
                        integer(DpoCourses::Taken).default(0).check(
                            Expr::col(DpoCourses::Taken).gte(0).and(
                                Expr::col(DpoCourses::Taken).lte(Expr::col(DpoCourses::Places)),
                            ),
                        ),
                    )
                    .check(Expr::col(DpoCourses::StartsOn).lte(Expr::col(DpoCourses::EndsOn)))
                    .foreign_key(&mut fk(
                        DpoCourses::Table,
                        DpoCourses::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_dpo_courses_start",
                DpoCourses::Table,
                &["starts_on"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DpoGroups::Table)
                    .col(big_pk_auto(DpoGroups::Id))
                    .col(big_integer(DpoGroups::CourseId))
                    .col(string_len(DpoGroups::Number, 20))
                    .col(integer(DpoGroups::Capacity).check(Expr::col(DpoGroups::Capacity).gt(0)))
                    .col(integer(DpoGroups::Enrolled).default(0).check(
                        Expr::col(DpoGroups::Enrolled).gte(0).and(
                            Expr::col(DpoGroups::Enrolled).lte(Expr::col(DpoGroups::Capacity)),
                        ),
                    ))
                    .col(date(DpoGroups::StartsOn))
                    .col(date(DpoGroups::EndsOn))
                    .check(Expr::col(DpoGroups::StartsOn).lte(Expr::col(DpoGroups::EndsOn)))
                    .foreign_key(&mut fk(
                        DpoGroups::Table,
                        DpoGroups::CourseId,
                        DpoCourses::Table,
                        DpoCourses::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_dpo_groups_number",
                DpoGroups::Table,
                &["course_id", "number"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DpoApplications::Table)
                    .col(big_pk_auto(DpoApplications::Id))
                    .col(big_integer(DpoApplications::CourseId))
                    .col(big_integer(DpoApplications::TeacherId))
                    .col(big_integer(DpoApplications::SchoolId))
                    .col(
                        string_len(DpoApplications::Status, 10)
                            .check(Expr::col(DpoApplications::Status).is_in(STATUSES)),
                    )
                    .col(big_integer_null(DpoApplications::GroupId))
                    .col(string_len_null(DpoApplications::Reason, 1000))
                    .col(string_len_null(DpoApplications::DocumentNumber, 40))
                    .col(timestamp_with_time_zone(DpoApplications::CreatedAt))
                    .col(timestamp_with_time_zone(DpoApplications::UpdatedAt))
                    .foreign_key(&mut fk(
                        DpoApplications::Table,
                        DpoApplications::CourseId,
                        DpoCourses::Table,
                        DpoCourses::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        DpoApplications::Table,
                        DpoApplications::TeacherId,
                        Users::Table,
                        Users::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        DpoApplications::Table,
                        DpoApplications::SchoolId,
                        DpoSchools::Table,
                        DpoSchools::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        DpoApplications::Table,
                        DpoApplications::GroupId,
                        DpoGroups::Table,
                        DpoGroups::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX idx_dpo_applications_live ON dpo_applications \
             (course_id, teacher_id) WHERE status NOT IN ('rejected', 'withdrawn')",
        )
        .await?;
        for (name, cols) in [
            ("idx_dpo_applications_teacher", ["teacher_id", "created_at"]),
            ("idx_dpo_applications_school", ["school_id", "status"]),
            ("idx_dpo_applications_course", ["course_id", "status"]),
        ] {
            manager
                .create_index(index(name, DpoApplications::Table, &cols, false))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(DpoApplicationLog::Table)
                    .col(big_pk_auto(DpoApplicationLog::Id))
                    .col(big_integer(DpoApplicationLog::ApplicationId))
                    .col(timestamp_with_time_zone(DpoApplicationLog::At))
                    .col(
                        string_len(DpoApplicationLog::Status, 10)
                            .check(Expr::col(DpoApplicationLog::Status).is_in(STATUSES)),
                    )
                    .col(big_integer_null(DpoApplicationLog::ActorId))
                    .col(string_len_null(DpoApplicationLog::Note, 1000))
                    .foreign_key(&mut fk(
                        DpoApplicationLog::Table,
                        DpoApplicationLog::ApplicationId,
                        DpoApplications::Table,
                        DpoApplications::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_dpo_application_log",
                DpoApplicationLog::Table,
                &["application_id", "at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::UserId))
                    .col(timestamp_with_time_zone(Notifications::At))
                    .col(string_len(Notifications::Text, 1000))
                    .col(string_len_null(Notifications::Link, 300))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(&mut fk(
                        Notifications::Table,
                        Notifications::UserId,
                        Users::Table,
                        Users::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_notifications_user",
                Notifications::Table,
                &["user_id", "at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notifications::Table.into_iden(),
            DpoApplicationLog::Table.into_iden(),
            DpoApplications::Table.into_iden(),
            DpoGroups::Table.into_iden(),
            DpoCourses::Table.into_iden(),
            DpoSchoolMembers::Table.into_iden(),
            DpoSchools::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
