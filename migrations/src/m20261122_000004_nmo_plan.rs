//! НМО «Мой план»: providers and the elements they publish (ИОМ with questions, events,
//! ДПП ПК with dated runs), plan items per cycle, module attempts, and ИКП codes stored as
//! hashes with the wrong attempts that rate-limit them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Specialties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
    Name,
    ContactPerson,
    Email,
    Phone,
    Status,
    UserId,
    RejectReason,
    CreatedAt,
    ReviewedAt,
}

#[derive(DeriveIden)]
enum Elements {
    Table,
    Id,
    ProviderId,
    Kind,
    Title,
    Summary,
    Content,
    Credits,
    Format,
    Place,
    StartsOn,
    EndsOn,
    PassPercent,
    Published,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ElementSpecialties {
    Table,
    ElementId,
    SpecialtyId,
}

#[derive(DeriveIden)]
enum ModuleQuestions {
    Table,
    Id,
    ElementId,
    Position,
    Text,
}

#[derive(DeriveIden)]
enum ModuleOptions {
    Table,
    Id,
    QuestionId,
    Position,
    Text,
    Correct,
}

#[derive(DeriveIden)]
enum ProgrammeRuns {
    Table,
    Id,
    ElementId,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
enum PlanItems {
    Table,
    Id,
    UserId,
    CycleId,
    ElementId,
    RunId,
    Status,
    Credits,
    CompletedOn,
    Note,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ModuleAttempts {
    Table,
    Id,
    PlanItemId,
    Correct,
    Total,
    Passed,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CodeBatches {
    Table,
    Id,
    ElementId,
    IssuedBy,
    Count,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConfirmationCodes {
    Table,
    Id,
    ElementId,
    BatchId,
    CodeHash,
    Status,
    UserId,
    PlanItemId,
    ActivatedAt,
    ReviewedAt,
    RejectReason,
}

#[derive(DeriveIden)]
enum CodeAttempts {
    Table,
    Id,
    UserId,
    CreatedAt,
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines)]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Providers::Table)
                    .col(big_pk_auto(Providers::Id))
                    .col(string_len_uniq(Providers::Name, 300))
                    .col(string_len(Providers::ContactPerson, 200))
                    .col(string_len(Providers::Email, 254))
                    .col(string_len(Providers::Phone, 20))
                    .col(string_len(Providers::Status, 20).check(
                        Expr::col(Providers::Status).is_in(["pending", "approved", "rejected"]),
                    ))
                    .col(big_integer_null(Providers::UserId).unique_key())
                    .col(text_null(Providers::RejectReason))
                    .col(timestamp_with_time_zone(Providers::CreatedAt))
                    .col(timestamp_with_time_zone_null(Providers::ReviewedAt))
                    .foreign_key(&mut fk(
                        Providers::Table,
                        Providers::UserId,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Elements::Table)
                    .col(big_pk_auto(Elements::Id))
                    .col(big_integer(Elements::ProviderId))
                    .col(
                        string_len(Elements::Kind, 20).check(Expr::col(Elements::Kind).is_in([
                            "module",
                            "event",
                            "programme",
                        ])),
                    )
                    .col(string_len(Elements::Title, 300))
                    .col(text(Elements::Summary))
                    .col(text(Elements::Content))
                    .col(integer(Elements::Credits).check(Expr::col(Elements::Credits).gt(0)))
                    .col(
                        string_len(Elements::Format, 10)
                            .check(Expr::col(Elements::Format).is_in(["online", "offline"])),
                    )
                    .col(string_len_null(Elements::Place, 300))
                    .col(date_null(Elements::StartsOn))
                    .col(date_null(Elements::EndsOn))
                    .col(integer(Elements::PassPercent).default(70))
                    .col(boolean(Elements::Published).default(true))
                    .col(text(Elements::SearchText))
                    .col(timestamp_with_time_zone(Elements::CreatedAt))
                    .col(timestamp_with_time_zone(Elements::UpdatedAt))
                    .foreign_key(&mut fk(
                        Elements::Table,
                        Elements::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_elements_kind")
                    .table(Elements::Table)
                    .col(Elements::Kind)
                    .col(Elements::Published)
                    .col(Elements::StartsOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_elements_provider")
                    .table(Elements::Table)
                    .col(Elements::ProviderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ElementSpecialties::Table)
                    .col(big_integer(ElementSpecialties::ElementId))
                    .col(big_integer(ElementSpecialties::SpecialtyId))
                    .primary_key(
                        Index::create()
                            .col(ElementSpecialties::ElementId)
                            .col(ElementSpecialties::SpecialtyId),
                    )
                    .foreign_key(&mut fk(
                        ElementSpecialties::Table,
                        ElementSpecialties::ElementId,
                        Elements::Table,
                        Elements::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ElementSpecialties::Table,
                        ElementSpecialties::SpecialtyId,
                        Specialties::Table,
                        Specialties::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_element_specialties_specialty")
                    .table(ElementSpecialties::Table)
                    .col(ElementSpecialties::SpecialtyId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModuleQuestions::Table)
                    .col(big_pk_auto(ModuleQuestions::Id))
                    .col(big_integer(ModuleQuestions::ElementId))
                    .col(integer(ModuleQuestions::Position))
                    .col(text(ModuleQuestions::Text))
                    .foreign_key(&mut fk(
                        ModuleQuestions::Table,
                        ModuleQuestions::ElementId,
                        Elements::Table,
                        Elements::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_module_questions_element")
                    .table(ModuleQuestions::Table)
                    .col(ModuleQuestions::ElementId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModuleOptions::Table)
                    .col(big_pk_auto(ModuleOptions::Id))
                    .col(big_integer(ModuleOptions::QuestionId))
                    .col(integer(ModuleOptions::Position))
                    .col(text(ModuleOptions::Text))
                    .col(boolean(ModuleOptions::Correct))
                    .foreign_key(&mut fk(
                        ModuleOptions::Table,
                        ModuleOptions::QuestionId,
                        ModuleQuestions::Table,
                        ModuleQuestions::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_module_options_question")
                    .table(ModuleOptions::Table)
                    .col(ModuleOptions::QuestionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgrammeRuns::Table)
                    .col(big_pk_auto(ProgrammeRuns::Id))
                    .col(big_integer(ProgrammeRuns::ElementId))
                    .col(date(ProgrammeRuns::StartsOn))
                    .col(date(ProgrammeRuns::EndsOn))
                    .foreign_key(&mut fk(
                        ProgrammeRuns::Table,
                        ProgrammeRuns::ElementId,
                        Elements::Table,
                        Elements::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_programme_runs_element")
                    .table(ProgrammeRuns::Table)
                    .col(ProgrammeRuns::ElementId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanItems::Table)
                    .col(big_pk_auto(PlanItems::Id))
                    .col(big_integer(PlanItems::UserId))
                    .col(big_integer(PlanItems::CycleId))
                    .col(big_integer(PlanItems::ElementId))
                    .col(big_integer_null(PlanItems::RunId))
                    .col(string_len(PlanItems::Status, 20).check(
                        Expr::col(PlanItems::Status).is_in([
                            "planned",
                            "passed",
                            "code_entered",
                            "confirmed",
                            "rejected",
                            "applied",
                            "enrolled",
                            "completed",
                        ]),
                    ))
                    .col(integer_null(PlanItems::Credits))
                    .col(date_null(PlanItems::CompletedOn))
                    .col(text_null(PlanItems::Note))
                    .col(timestamp_with_time_zone(PlanItems::CreatedAt))
                    .col(timestamp_with_time_zone(PlanItems::UpdatedAt))
                    .foreign_key(&mut fk(
                        PlanItems::Table,
                        PlanItems::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        PlanItems::Table,
                        PlanItems::CycleId,
                        Cycles::Table,
                        Cycles::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        PlanItems::Table,
                        PlanItems::ElementId,
                        Elements::Table,
                        Elements::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        PlanItems::Table,
                        PlanItems::RunId,
                        ProgrammeRuns::Table,
                        ProgrammeRuns::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_plan_items_cycle_element")
                    .table(PlanItems::Table)
                    .col(PlanItems::CycleId)
                    .col(PlanItems::ElementId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_items_element")
                    .table(PlanItems::Table)
                    .col(PlanItems::ElementId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_items_user")
                    .table(PlanItems::Table)
                    .col(PlanItems::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModuleAttempts::Table)
                    .col(big_pk_auto(ModuleAttempts::Id))
                    .col(big_integer(ModuleAttempts::PlanItemId))
                    .col(integer(ModuleAttempts::Correct))
                    .col(integer(ModuleAttempts::Total))
                    .col(boolean(ModuleAttempts::Passed))
                    .col(timestamp_with_time_zone(ModuleAttempts::CreatedAt))
                    .foreign_key(&mut fk(
                        ModuleAttempts::Table,
                        ModuleAttempts::PlanItemId,
                        PlanItems::Table,
                        PlanItems::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_module_attempts_item")
                    .table(ModuleAttempts::Table)
                    .col(ModuleAttempts::PlanItemId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CodeBatches::Table)
                    .col(big_pk_auto(CodeBatches::Id))
                    .col(big_integer(CodeBatches::ElementId))
                    .col(big_integer_null(CodeBatches::IssuedBy))
                    .col(integer(CodeBatches::Count))
                    .col(timestamp_with_time_zone(CodeBatches::CreatedAt))
                    .foreign_key(&mut fk(
                        CodeBatches::Table,
                        CodeBatches::ElementId,
                        Elements::Table,
                        Elements::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        CodeBatches::Table,
                        CodeBatches::IssuedBy,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConfirmationCodes::Table)
                    .col(big_pk_auto(ConfirmationCodes::Id))
                    .col(big_integer(ConfirmationCodes::ElementId))
                    .col(big_integer(ConfirmationCodes::BatchId))
                    .col(string_len_uniq(ConfirmationCodes::CodeHash, 64))
                    .col(string_len(ConfirmationCodes::Status, 20).check(
                        Expr::col(ConfirmationCodes::Status).is_in([
                            "issued",
                            "activated",
                            "confirmed",
                            "rejected",
                        ]),
                    ))
                    .col(big_integer_null(ConfirmationCodes::UserId))
                    .col(big_integer_null(ConfirmationCodes::PlanItemId))
                    .col(timestamp_with_time_zone_null(
                        ConfirmationCodes::ActivatedAt,
                    ))
                    .col(timestamp_with_time_zone_null(ConfirmationCodes::ReviewedAt))
                    .col(text_null(ConfirmationCodes::RejectReason))
                    .foreign_key(&mut fk(
                        ConfirmationCodes::Table,
                        ConfirmationCodes::ElementId,
                        Elements::Table,
                        Elements::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ConfirmationCodes::Table,
                        ConfirmationCodes::BatchId,
                        CodeBatches::Table,
                        CodeBatches::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ConfirmationCodes::Table,
                        ConfirmationCodes::UserId,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        ConfirmationCodes::Table,
                        ConfirmationCodes::PlanItemId,
                        PlanItems::Table,
                        PlanItems::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_confirmation_codes_element")
                    .table(ConfirmationCodes::Table)
                    .col(ConfirmationCodes::ElementId)
                    .col(ConfirmationCodes::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_confirmation_codes_due")
                    .table(ConfirmationCodes::Table)
                    .col(ConfirmationCodes::Status)
                    .col(ConfirmationCodes::ActivatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CodeAttempts::Table)
                    .col(big_pk_auto(CodeAttempts::Id))
                    .col(big_integer(CodeAttempts::UserId))
                    .col(timestamp_with_time_zone(CodeAttempts::CreatedAt))
                    .foreign_key(&mut fk(
                        CodeAttempts::Table,
                        CodeAttempts::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_code_attempts_user")
                    .table(CodeAttempts::Table)
                    .col(CodeAttempts::UserId)
                    .col(CodeAttempts::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CodeAttempts::Table.into_iden(),
            ConfirmationCodes::Table.into_iden(),
            CodeBatches::Table.into_iden(),
            ModuleAttempts::Table.into_iden(),
            PlanItems::Table.into_iden(),
            ProgrammeRuns::Table.into_iden(),
            ModuleOptions::Table.into_iden(),
            ModuleQuestions::Table.into_iden(),
            ElementSpecialties::Table.into_iden(),
            Elements::Table.into_iden(),
            Providers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
