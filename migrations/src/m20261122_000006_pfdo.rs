//! ПФДО: municipalities with their categories, nominals and limits; children's certificates
//! with their money per financial year; organisations' programmes, modules, groups and lessons;
//! contracts (applications are contracts in their first statuses) with payments and history;
//! notifications; and the leases that keep a background job to one instance at a time.
//!
//! The money invariant lives in the schema: for every certificate and year
//! `nominal = balance + reserve + paid`, none of them negative; a contract never holds more
//! than its certificate share; a group never takes more children than its capacity.

use sea_orm_migration::{prelude::*, schema::*};

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
enum PfdoMunicipalities {
    Table,
    Id,
    Name,
    CertificateLimit,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoDistricts {
    Table,
    Id,
    MunicipalityId,
    Name,
    X,
    Y,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoOperators {
    Table,
    UserId,
    MunicipalityId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoCategories {
    Table,
    Id,
    MunicipalityId,
    Name,
    LimitCertified,
    LimitSignificant,
    LimitPaid,
    LimitGeneral,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoNominals {
    Table,
    CategoryId,
    Year,
    Amount,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoCertificates {
    Table,
    Id,
    Number,
    UserId,
    MunicipalityId,
    CategoryId,
    Kind,
    ChildLastName,
    ChildFirstName,
    ChildMiddleName,
    ChildBirthDate,
    Status,
    QueuedAt,
    ActivatedAt,
    Representative,
    Address,
    DistrictId,
    ConfirmType,
    PhraseHash,
    ConsentAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoCertificatePeriods {
    Table,
    CertificateId,
    Year,
    Nominal,
    Balance,
    Reserve,
    Paid,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoCertificateAccess {
    Table,
    UserId,
    CertificateId,
    ChosenAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoOrganisations {
    Table,
    ProviderId,
    MunicipalityId,
    DistrictId,
    Address,
    Inn,
    MaxChildren,
    Children,
    PayerLimit,
    PayerUsed,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoProgrammes {
    Table,
    Id,
    ProviderId,
    MunicipalityId,
    Title,
    Description,
    Goals,
    SearchText,
    Activity,
    AgeFrom,
    AgeTo,
    Registry,
    MaxChildren,
    Children,
    Visible,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoModules {
    Table,
    Id,
    ProgrammeId,
    Title,
    Hours,
    Price,
    NormativePrice,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoGroups {
    Table,
    Id,
    ModuleId,
    Name,
    Address,
    Teacher,
    Capacity,
    Taken,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoLessons {
    Table,
    Id,
    GroupId,
    Weekday,
    StartsAt,
    EndsAt,
    Room,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoContracts {
    Table,
    Id,
    Number,
    CertificateId,
    Year,
    ProgrammeId,
    ModuleId,
    GroupId,
    ProviderId,
    Status,
    StartsOn,
    EndsOn,
    Price,
    CertShare,
    ParentShare,
    Reserve,
    Paid,
    CreatedBy,
    CreatedAt,
    ConfirmedAt,
    ConcludedAt,
    ClosedAt,
    ClosesOn,
    Reason,
    ProlongedFrom,
    ProlongDue,
    RatingResults,
    RatingStaff,
    RatingResources,
    RatingOverall,
    RatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoPayments {
    Table,
    Id,
    ContractId,
    Month,
    Amount,
    PaidAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoContractEvents {
    Table,
    Id,
    ContractId,
    At,
    Actor,
    Text,
}

#[derive(DeriveIden, Clone, Copy)]
enum PfdoNotifications {
    Table,
    Id,
    CertificateId,
    At,
    Text,
    ReadAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum JobLeases {
    Table,
    Name,
    Holder,
    Until,
}

pub(crate) fn fk(
    from: impl IntoIden,
    from_col: impl IntoIden,
    to: impl IntoIden,
    to_col: impl IntoIden,
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.from(from, from_col).to(to, to_col);
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    }
    f.to_owned()
}

pub(crate) fn money(col: impl IntoIden + Clone + 'static) -> ColumnDef {
    big_integer(col.clone())
        .check(Expr::col(col).gte(0))
        .to_owned()
}

pub(crate) fn index(
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines)]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PfdoMunicipalities::Table)
                    .col(big_pk_auto(PfdoMunicipalities::Id))
                    .col(string_len_uniq(PfdoMunicipalities::Name, 200))
                    .col(
                        integer(PfdoMunicipalities::CertificateLimit)
                            .check(Expr::col(PfdoMunicipalities::CertificateLimit).gte(0)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoDistricts::Table)
                    .col(big_pk_auto(PfdoDistricts::Id))
                    .col(big_integer(PfdoDistricts::MunicipalityId))
                    .col(string_len(PfdoDistricts::Name, 200))
                    .col(integer(PfdoDistricts::X))
                    .col(integer(PfdoDistricts::Y))
                    .foreign_key(&mut fk(
                        PfdoDistricts::Table,
                        PfdoDistricts::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoOperators::Table)
                    .col(big_integer(PfdoOperators::UserId).primary_key())
                    .col(big_integer(PfdoOperators::MunicipalityId))
                    .foreign_key(&mut fk(
                        PfdoOperators::Table,
                        PfdoOperators::UserId,
                        Users::Table,
                        Users::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoOperators::Table,
                        PfdoOperators::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoCategories::Table)
                    .col(big_pk_auto(PfdoCategories::Id))
                    .col(big_integer(PfdoCategories::MunicipalityId))
                    .col(string_len(PfdoCategories::Name, 200))
                    .col(
                        integer(PfdoCategories::LimitCertified)
                            .check(Expr::col(PfdoCategories::LimitCertified).gte(0)),
                    )
                    .col(
                        integer(PfdoCategories::LimitSignificant)
                            .check(Expr::col(PfdoCategories::LimitSignificant).gte(0)),
                    )
                    .col(
                        integer(PfdoCategories::LimitPaid)
                            .check(Expr::col(PfdoCategories::LimitPaid).gte(0)),
                    )
                    .col(
                        integer(PfdoCategories::LimitGeneral)
                            .check(Expr::col(PfdoCategories::LimitGeneral).gte(0)),
                    )
                    .foreign_key(&mut fk(
                        PfdoCategories::Table,
                        PfdoCategories::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_categories_name",
                PfdoCategories::Table,
                &["municipality_id", "name"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoNominals::Table)
                    .col(big_integer(PfdoNominals::CategoryId))
                    .col(integer(PfdoNominals::Year))
                    .col(money(PfdoNominals::Amount))
                    .primary_key(
                        Index::create()
                            .col(PfdoNominals::CategoryId)
                            .col(PfdoNominals::Year),
                    )
                    .foreign_key(&mut fk(
                        PfdoNominals::Table,
                        PfdoNominals::CategoryId,
                        PfdoCategories::Table,
                        PfdoCategories::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoCertificates::Table)
                    .col(big_pk_auto(PfdoCertificates::Id))
                    .col(string_len_uniq(PfdoCertificates::Number, 10))
                    .col(big_integer(PfdoCertificates::UserId).unique_key())
                    .col(big_integer(PfdoCertificates::MunicipalityId))
                    .col(big_integer(PfdoCertificates::CategoryId))
                    .col(string_len(PfdoCertificates::Kind, 20).check(
                        Expr::col(PfdoCertificates::Kind).is_in(["financed", "registration"]),
                    ))
                    .col(string_len(PfdoCertificates::ChildLastName, 60))
                    .col(string_len(PfdoCertificates::ChildFirstName, 60))
                    .col(string_len_null(PfdoCertificates::ChildMiddleName, 60))
                    .col(date(PfdoCertificates::ChildBirthDate))
                    .col(string_len(PfdoCertificates::Status, 20).check(
                        Expr::col(PfdoCertificates::Status).is_in(["issued", "queued", "active"]),
                    ))
                    .col(timestamp_with_time_zone_null(PfdoCertificates::QueuedAt))
                    .col(timestamp_with_time_zone_null(PfdoCertificates::ActivatedAt))
                    .col(string_len_null(PfdoCertificates::Representative, 200))
                    .col(string_len_null(PfdoCertificates::Address, 300))
                    .col(big_integer_null(PfdoCertificates::DistrictId))
                    .col(
                        string_len(PfdoCertificates::ConfirmType, 20)
                            .default("forbidden")
                            .check(Expr::col(PfdoCertificates::ConfirmType).is_in([
                                "forbidden",
                                "name",
                                "phrase",
                            ])),
                    )
                    .col(string_len_null(PfdoCertificates::PhraseHash, 200))
                    .col(timestamp_with_time_zone_null(PfdoCertificates::ConsentAt))
                    .col(timestamp_with_time_zone(PfdoCertificates::CreatedAt))
                    .foreign_key(&mut fk(
                        PfdoCertificates::Table,
                        PfdoCertificates::UserId,
                        Users::Table,
                        Users::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoCertificates::Table,
                        PfdoCertificates::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoCertificates::Table,
                        PfdoCertificates::CategoryId,
                        PfdoCategories::Table,
                        PfdoCategories::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoCertificates::Table,
                        PfdoCertificates::DistrictId,
                        PfdoDistricts::Table,
                        PfdoDistricts::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_certificates_queue",
                PfdoCertificates::Table,
                &["municipality_id", "status", "queued_at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoCertificatePeriods::Table)
                    .col(big_integer(PfdoCertificatePeriods::CertificateId))
                    .col(integer(PfdoCertificatePeriods::Year))
                    .col(money(PfdoCertificatePeriods::Nominal))
                    .col(money(PfdoCertificatePeriods::Balance))
                    .col(money(PfdoCertificatePeriods::Reserve))
                    .col(money(PfdoCertificatePeriods::Paid))
                    .check(
                        Expr::col(PfdoCertificatePeriods::Nominal).eq(Expr::col(
                            PfdoCertificatePeriods::Balance,
                        )
                        .add(Expr::col(PfdoCertificatePeriods::Reserve))
                        .add(Expr::col(PfdoCertificatePeriods::Paid))),
                    )
                    .primary_key(
                        Index::create()
                            .col(PfdoCertificatePeriods::CertificateId)
                            .col(PfdoCertificatePeriods::Year),
                    )
                    .foreign_key(&mut fk(
                        PfdoCertificatePeriods::Table,
                        PfdoCertificatePeriods::CertificateId,
                        PfdoCertificates::Table,
                        PfdoCertificates::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoCertificateAccess::Table)
                    .col(big_integer(PfdoCertificateAccess::UserId))
                    .col(big_integer(PfdoCertificateAccess::CertificateId))
                    .col(timestamp_with_time_zone(PfdoCertificateAccess::ChosenAt))
                    .primary_key(
                        Index::create()
                            .col(PfdoCertificateAccess::UserId)
                            .col(PfdoCertificateAccess::CertificateId),
                    )
                    .foreign_key(&mut fk(
                        PfdoCertificateAccess::Table,
                        PfdoCertificateAccess::UserId,
                        Users::Table,
                        Users::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoCertificateAccess::Table,
                        PfdoCertificateAccess::CertificateId,
                        PfdoCertificates::Table,
                        PfdoCertificates::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoOrganisations::Table)
                    .col(big_integer(PfdoOrganisations::ProviderId).primary_key())
                    .col(big_integer(PfdoOrganisations::MunicipalityId))
                    .col(big_integer(PfdoOrganisations::DistrictId))
                    .col(string_len(PfdoOrganisations::Address, 300))
                    .col(string_len(PfdoOrganisations::Inn, 12))
                    .col(
                        integer(PfdoOrganisations::MaxChildren)
                            .check(Expr::col(PfdoOrganisations::MaxChildren).gte(0)),
                    )
                    .col(
                        integer(PfdoOrganisations::Children).default(0).check(
                            Expr::col(PfdoOrganisations::Children).gte(0).and(
                                Expr::col(PfdoOrganisations::Children)
                                    .lte(Expr::col(PfdoOrganisations::MaxChildren)),
                            ),
                        ),
                    )
                    .col(money(PfdoOrganisations::PayerLimit))
                    .col(
                        big_integer(PfdoOrganisations::PayerUsed).default(0).check(
                            Expr::col(PfdoOrganisations::PayerUsed).gte(0).and(
                                Expr::col(PfdoOrganisations::PayerUsed)
                                    .lte(Expr::col(PfdoOrganisations::PayerLimit)),
                            ),
                        ),
                    )
                    .foreign_key(&mut fk(
                        PfdoOrganisations::Table,
                        PfdoOrganisations::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoOrganisations::Table,
                        PfdoOrganisations::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoOrganisations::Table,
                        PfdoOrganisations::DistrictId,
                        PfdoDistricts::Table,
                        PfdoDistricts::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoProgrammes::Table)
                    .col(big_pk_auto(PfdoProgrammes::Id))
                    .col(big_integer(PfdoProgrammes::ProviderId))
                    .col(big_integer(PfdoProgrammes::MunicipalityId))
                    .col(string_len(PfdoProgrammes::Title, 300))
                    .col(text(PfdoProgrammes::Description))
                    .col(text(PfdoProgrammes::Goals))
                    .col(text(PfdoProgrammes::SearchText))
                    .col(string_len(PfdoProgrammes::Activity, 40).check(
                        Expr::col(PfdoProgrammes::Activity).is_in([
                            "technical",
                            "arts",
                            "sports",
                            "science",
                            "tourism",
                            "social",
                        ]),
                    ))
                    .col(integer(PfdoProgrammes::AgeFrom))
                    .col(integer(PfdoProgrammes::AgeTo))
                    .col(string_len(PfdoProgrammes::Registry, 20).check(
                        Expr::col(PfdoProgrammes::Registry).is_in([
                            "certified",
                            "significant",
                            "paid",
                            "general",
                        ]),
                    ))
                    .col(
                        integer(PfdoProgrammes::MaxChildren)
                            .check(Expr::col(PfdoProgrammes::MaxChildren).gte(0)),
                    )
                    .col(
                        integer(PfdoProgrammes::Children).default(0).check(
                            Expr::col(PfdoProgrammes::Children).gte(0).and(
                                Expr::col(PfdoProgrammes::Children)
                                    .lte(Expr::col(PfdoProgrammes::MaxChildren)),
                            ),
                        ),
                    )
                    .col(boolean(PfdoProgrammes::Visible).default(true))
                    .col(timestamp_with_time_zone(PfdoProgrammes::CreatedAt))
                    .check(Expr::col(PfdoProgrammes::AgeFrom).gte(0).and(
                        Expr::col(PfdoProgrammes::AgeTo).gte(Expr::col(PfdoProgrammes::AgeFrom)),
                    ))
                    .foreign_key(&mut fk(
                        PfdoProgrammes::Table,
                        PfdoProgrammes::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        PfdoProgrammes::Table,
                        PfdoProgrammes::MunicipalityId,
                        PfdoMunicipalities::Table,
                        PfdoMunicipalities::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_programmes_provider",
                PfdoProgrammes::Table,
                &["provider_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoModules::Table)
                    .col(big_pk_auto(PfdoModules::Id))
                    .col(big_integer(PfdoModules::ProgrammeId))
                    .col(string_len(PfdoModules::Title, 300))
                    .col(integer(PfdoModules::Hours).check(Expr::col(PfdoModules::Hours).gt(0)))
                    .col(money(PfdoModules::Price))
                    .col(money(PfdoModules::NormativePrice))
                    .col(date(PfdoModules::StartsOn))
                    .col(date(PfdoModules::EndsOn))
                    .check(Expr::col(PfdoModules::EndsOn).gte(Expr::col(PfdoModules::StartsOn)))
                    .foreign_key(&mut fk(
                        PfdoModules::Table,
                        PfdoModules::ProgrammeId,
                        PfdoProgrammes::Table,
                        PfdoProgrammes::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_modules_programme",
                PfdoModules::Table,
                &["programme_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoGroups::Table)
                    .col(big_pk_auto(PfdoGroups::Id))
                    .col(big_integer(PfdoGroups::ModuleId))
                    .col(string_len(PfdoGroups::Name, 200))
                    .col(string_len(PfdoGroups::Address, 300))
                    .col(string_len(PfdoGroups::Teacher, 200))
                    .col(integer(PfdoGroups::Capacity).check(Expr::col(PfdoGroups::Capacity).gt(0)))
                    .col(
                        integer(PfdoGroups::Taken).default(0).check(
                            Expr::col(PfdoGroups::Taken).gte(0).and(
                                Expr::col(PfdoGroups::Taken).lte(Expr::col(PfdoGroups::Capacity)),
                            ),
                        ),
                    )
                    .col(date(PfdoGroups::StartsOn))
                    .col(date(PfdoGroups::EndsOn))
                    .check(Expr::col(PfdoGroups::EndsOn).gte(Expr::col(PfdoGroups::StartsOn)))
                    .foreign_key(&mut fk(
                        PfdoGroups::Table,
                        PfdoGroups::ModuleId,
                        PfdoModules::Table,
                        PfdoModules::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_groups_module",
                PfdoGroups::Table,
                &["module_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoLessons::Table)
                    .col(big_pk_auto(PfdoLessons::Id))
                    .col(big_integer(PfdoLessons::GroupId))
                    .col(
                        small_integer(PfdoLessons::Weekday)
                            .check(Expr::col(PfdoLessons::Weekday).between(1, 7)),
                    )
                    .col(string_len(PfdoLessons::StartsAt, 5))
                    .col(string_len(PfdoLessons::EndsAt, 5))
                    .col(string_len(PfdoLessons::Room, 100))
                    .foreign_key(&mut fk(
                        PfdoLessons::Table,
                        PfdoLessons::GroupId,
                        PfdoGroups::Table,
                        PfdoGroups::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_lessons_group",
                PfdoLessons::Table,
                &["group_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoContracts::Table)
                    .col(big_pk_auto(PfdoContracts::Id))
                    .col(string_len_uniq(PfdoContracts::Number, 30))
                    .col(big_integer(PfdoContracts::CertificateId))
                    .col(integer(PfdoContracts::Year))
                    .col(big_integer(PfdoContracts::ProgrammeId))
                    .col(big_integer(PfdoContracts::ModuleId))
                    .col(big_integer(PfdoContracts::GroupId))
                    .col(big_integer(PfdoContracts::ProviderId))
                    .col(
                        small_integer(PfdoContracts::Status)
                            .check(Expr::col(PfdoContracts::Status).is_in([0, 1, 2, 3, 4])),
                    )
                    .col(date(PfdoContracts::StartsOn))
                    .col(date(PfdoContracts::EndsOn))
                    .col(money(PfdoContracts::Price))
                    .col(money(PfdoContracts::CertShare))
                    .col(money(PfdoContracts::ParentShare))
                    .col(money(PfdoContracts::Reserve))
                    .col(money(PfdoContracts::Paid))
                    .col(
                        string_len(PfdoContracts::CreatedBy, 20).check(
                            Expr::col(PfdoContracts::CreatedBy).is_in(["parent", "provider"]),
                        ),
                    )
                    .col(timestamp_with_time_zone(PfdoContracts::CreatedAt))
                    .col(timestamp_with_time_zone_null(PfdoContracts::ConfirmedAt))
                    .col(timestamp_with_time_zone_null(PfdoContracts::ConcludedAt))
                    .col(timestamp_with_time_zone_null(PfdoContracts::ClosedAt))
                    .col(date_null(PfdoContracts::ClosesOn))
                    .col(text_null(PfdoContracts::Reason))
                    .col(big_integer_null(PfdoContracts::ProlongedFrom))
                    .col(timestamp_with_time_zone_null(PfdoContracts::ProlongDue))
                    .col(small_integer_null(PfdoContracts::RatingResults))
                    .col(small_integer_null(PfdoContracts::RatingStaff))
                    .col(small_integer_null(PfdoContracts::RatingResources))
                    .col(small_integer_null(PfdoContracts::RatingOverall))
                    .col(timestamp_with_time_zone_null(PfdoContracts::RatedAt))
                    .check(
                        Expr::col(PfdoContracts::Reserve)
                            .add(Expr::col(PfdoContracts::Paid))
                            .lte(Expr::col(PfdoContracts::CertShare)),
                    )
                    .check(
                        Expr::col(PfdoContracts::Price).eq(Expr::col(PfdoContracts::CertShare)
                            .add(Expr::col(PfdoContracts::ParentShare))),
                    )
                    .check(Expr::col(PfdoContracts::EndsOn).gte(Expr::col(PfdoContracts::StartsOn)))
                    .foreign_key(&mut fk(
                        PfdoContracts::Table,
                        PfdoContracts::CertificateId,
                        PfdoCertificates::Table,
                        PfdoCertificates::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoContracts::Table,
                        PfdoContracts::ProgrammeId,
                        PfdoProgrammes::Table,
                        PfdoProgrammes::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoContracts::Table,
                        PfdoContracts::ModuleId,
                        PfdoModules::Table,
                        PfdoModules::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoContracts::Table,
                        PfdoContracts::GroupId,
                        PfdoGroups::Table,
                        PfdoGroups::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoContracts::Table,
                        PfdoContracts::ProviderId,
                        Providers::Table,
                        Providers::Id,
                        false,
                    ))
                    .foreign_key(&mut fk(
                        PfdoContracts::Table,
                        PfdoContracts::ProlongedFrom,
                        PfdoContracts::Table,
                        PfdoContracts::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_pfdo_contracts_certificate",
                &["certificate_id", "year"][..],
            ),
            (
                "idx_pfdo_contracts_provider",
                &["provider_id", "status"][..],
            ),
            ("idx_pfdo_contracts_group", &["group_id"][..]),
        ] {
            manager
                .create_index(index(name, PfdoContracts::Table, cols, false))
                .await?;
        }
        // One open contract (or application) per certificate and module: a partial unique
        // index, written the same way for SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_pfdo_contracts_open_module ON pfdo_contracts \
                 (certificate_id, module_id, year) WHERE status IN (0, 1, 3)",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoPayments::Table)
                    .col(big_pk_auto(PfdoPayments::Id))
                    .col(big_integer(PfdoPayments::ContractId))
                    .col(date(PfdoPayments::Month))
                    .col(money(PfdoPayments::Amount))
                    .col(timestamp_with_time_zone_null(PfdoPayments::PaidAt))
                    .foreign_key(&mut fk(
                        PfdoPayments::Table,
                        PfdoPayments::ContractId,
                        PfdoContracts::Table,
                        PfdoContracts::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_payments_month",
                PfdoPayments::Table,
                &["contract_id", "month"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoContractEvents::Table)
                    .col(big_pk_auto(PfdoContractEvents::Id))
                    .col(big_integer(PfdoContractEvents::ContractId))
                    .col(timestamp_with_time_zone(PfdoContractEvents::At))
                    .col(string_len(PfdoContractEvents::Actor, 20))
                    .col(text(PfdoContractEvents::Text))
                    .foreign_key(&mut fk(
                        PfdoContractEvents::Table,
                        PfdoContractEvents::ContractId,
                        PfdoContracts::Table,
                        PfdoContracts::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_contract_events_contract",
                PfdoContractEvents::Table,
                &["contract_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PfdoNotifications::Table)
                    .col(big_pk_auto(PfdoNotifications::Id))
                    .col(big_integer(PfdoNotifications::CertificateId))
                    .col(timestamp_with_time_zone(PfdoNotifications::At))
                    .col(text(PfdoNotifications::Text))
                    .col(timestamp_with_time_zone_null(PfdoNotifications::ReadAt))
                    .foreign_key(&mut fk(
                        PfdoNotifications::Table,
                        PfdoNotifications::CertificateId,
                        PfdoCertificates::Table,
                        PfdoCertificates::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_pfdo_notifications_certificate",
                PfdoNotifications::Table,
                &["certificate_id", "at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string_len(JobLeases::Name, 100).primary_key())
                    .col(string_len(JobLeases::Holder, 100))
                    .col(timestamp_with_time_zone(JobLeases::Until))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            JobLeases::Table.into_iden(),
            PfdoNotifications::Table.into_iden(),
            PfdoContractEvents::Table.into_iden(),
            PfdoPayments::Table.into_iden(),
            PfdoContracts::Table.into_iden(),
            PfdoLessons::Table.into_iden(),
            PfdoGroups::Table.into_iden(),
            PfdoModules::Table.into_iden(),
            PfdoProgrammes::Table.into_iden(),
            PfdoOrganisations::Table.into_iden(),
            PfdoCertificateAccess::Table.into_iden(),
            PfdoCertificatePeriods::Table.into_iden(),
            PfdoCertificates::Table.into_iden(),
            PfdoNominals::Table.into_iden(),
            PfdoCategories::Table.into_iden(),
            PfdoOperators::Table.into_iden(),
            PfdoDistricts::Table.into_iden(),
            PfdoMunicipalities::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
