//! НМО: the specialty and exam-organisation catalogues, the specialist's first-login choices,
//! admission documents and the five-year cycles they open.

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
    Name,
    Level,
}

#[derive(DeriveIden)]
enum ExamOrganisations {
    Table,
    Id,
    Name,
    City,
    Status,
    FiledBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NmoProfiles {
    Table,
    UserId,
    AgreementAcceptedAt,
    LevelVo,
    LevelSo,
    CurrentCycleId,
}

#[derive(DeriveIden)]
enum AdmissionDocuments {
    Table,
    Id,
    UserId,
    Kind,
    SpecialtyId,
    OrganisationId,
    Series,
    Number,
    ProtocolDate,
    ExamDate,
    IssueDate,
    FrmrConfirmed,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cycles {
    Table,
    Id,
    UserId,
    DocumentId,
    SpecialtyId,
    StartsOn,
    EndsOn,
    CreatedAt,
}

/// The specialties a document can be for: higher (ВО) and secondary (СО) medical and
/// pharmaceutical education. A subset of the official nomenclature, enough to be real.
const SPECIALTIES: &[(&str, &str)] = &[
    ("Акушерство и гинекология", "vo"),
    ("Анестезиология-реаниматология", "vo"),
    ("Гастроэнтерология", "vo"),
    ("Дерматовенерология", "vo"),
    ("Инфекционные болезни", "vo"),
    ("Кардиология", "vo"),
    ("Клиническая лабораторная диагностика", "vo"),
    ("Лечебное дело", "vo"),
    ("Неврология", "vo"),
    ("Общая врачебная практика (семейная медицина)", "vo"),
    ("Онкология", "vo"),
    ("Оториноларингология", "vo"),
    ("Офтальмология", "vo"),
    ("Педиатрия", "vo"),
    ("Психиатрия", "vo"),
    ("Рентгенология", "vo"),
    ("Скорая медицинская помощь", "vo"),
    ("Стоматология общей практики", "vo"),
    ("Терапия", "vo"),
    ("Травматология и ортопедия", "vo"),
    ("Урология", "vo"),
    ("Фармация", "vo"),
    ("Хирургия", "vo"),
    ("Эндокринология", "vo"),
    ("Акушерское дело", "so"),
    ("Анестезиология и реаниматология (СО)", "so"),
    ("Лабораторная диагностика", "so"),
    ("Лечебное дело (СО)", "so"),
    ("Медицинский массаж", "so"),
    ("Операционное дело", "so"),
    ("Рентгенология (СО)", "so"),
    ("Сестринское дело", "so"),
    ("Сестринское дело в педиатрии", "so"),
    ("Скорая и неотложная помощь", "so"),
    ("Стоматология профилактическая", "so"),
    ("Фармация (СО)", "so"),
];

/// Organisations that hold accreditation and certification exams.
const ORGANISATIONS: &[(&str, &str)] = &[
    (
        "ФГАОУ ВО Первый МГМУ им. И. М. Сеченова Минздрава России",
        "Москва",
    ),
    (
        "ФГАОУ ВО РНИМУ им. Н. И. Пирогова Минздрава России",
        "Москва",
    ),
    (
        "ФГБОУ ВО СЗГМУ им. И. И. Мечникова Минздрава России",
        "Санкт-Петербург",
    ),
    (
        "ФГБОУ ВО ПСПбГМУ им. И. П. Павлова Минздрава России",
        "Санкт-Петербург",
    ),
    ("ФГБОУ ВО Казанский ГМУ Минздрава России", "Казань"),
    ("ФГБОУ ВО НГМУ Минздрава России", "Новосибирск"),
    ("ФГБОУ ВО УГМУ Минздрава России", "Екатеринбург"),
    ("ФГБОУ ВО СамГМУ Минздрава России", "Самара"),
    ("ФГБОУ ВО РостГМУ Минздрава России", "Ростов-на-Дону"),
    ("ГБПОУ ДЗМ «Медицинский колледж № 1»", "Москва"),
    ("СПб ГБПОУ «Медицинский колледж № 2»", "Санкт-Петербург"),
    ("ГАПОУ «Казанский медицинский колледж»", "Казань"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Specialties::Table)
                    .col(big_pk_auto(Specialties::Id))
                    .col(string_len_uniq(Specialties::Name, 200))
                    .col(
                        string_len(Specialties::Level, 2)
                            .check(Expr::col(Specialties::Level).is_in(["vo", "so"])),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExamOrganisations::Table)
                    .col(big_pk_auto(ExamOrganisations::Id))
                    .col(string_len_uniq(ExamOrganisations::Name, 300))
                    .col(string_len_null(ExamOrganisations::City, 100))
                    .col(
                        string_len(ExamOrganisations::Status, 20).check(
                            Expr::col(ExamOrganisations::Status)
                                .is_in(["approved", "pending", "rejected"]),
                        ),
                    )
                    .col(big_integer_null(ExamOrganisations::FiledBy))
                    .col(timestamp_with_time_zone(ExamOrganisations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ExamOrganisations::Table, ExamOrganisations::FiledBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NmoProfiles::Table)
                    .col(big_integer(NmoProfiles::UserId).primary_key())
                    .col(timestamp_with_time_zone_null(
                        NmoProfiles::AgreementAcceptedAt,
                    ))
                    .col(boolean(NmoProfiles::LevelVo).default(false))
                    .col(boolean(NmoProfiles::LevelSo).default(false))
                    .col(big_integer_null(NmoProfiles::CurrentCycleId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NmoProfiles::Table, NmoProfiles::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AdmissionDocuments::Table)
                    .col(big_pk_auto(AdmissionDocuments::Id))
                    .col(big_integer(AdmissionDocuments::UserId))
                    .col(string_len(AdmissionDocuments::Kind, 20).check(
                        Expr::col(AdmissionDocuments::Kind).is_in([
                            "certificate",
                            "accreditation",
                            "extract",
                        ]),
                    ))
                    .col(big_integer(AdmissionDocuments::SpecialtyId))
                    .col(big_integer(AdmissionDocuments::OrganisationId))
                    .col(string_len_null(AdmissionDocuments::Series, 10))
                    .col(string_len(AdmissionDocuments::Number, 40))
                    .col(date_null(AdmissionDocuments::ProtocolDate))
                    .col(date(AdmissionDocuments::ExamDate))
                    .col(date_null(AdmissionDocuments::IssueDate))
                    .col(boolean(AdmissionDocuments::FrmrConfirmed).default(false))
                    .col(timestamp_with_time_zone(AdmissionDocuments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdmissionDocuments::Table, AdmissionDocuments::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdmissionDocuments::Table, AdmissionDocuments::SpecialtyId)
                            .to(Specialties::Table, Specialties::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AdmissionDocuments::Table,
                                AdmissionDocuments::OrganisationId,
                            )
                            .to(ExamOrganisations::Table, ExamOrganisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_admission_documents_user")
                    .table(AdmissionDocuments::Table)
                    .col(AdmissionDocuments::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Cycles::Table)
                    .col(big_pk_auto(Cycles::Id))
                    .col(big_integer(Cycles::UserId))
                    .col(big_integer_uniq(Cycles::DocumentId))
                    .col(big_integer(Cycles::SpecialtyId))
                    .col(date(Cycles::StartsOn))
                    .col(date(Cycles::EndsOn))
                    .col(timestamp_with_time_zone(Cycles::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cycles::Table, Cycles::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cycles::Table, Cycles::DocumentId)
                            .to(AdmissionDocuments::Table, AdmissionDocuments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cycles::Table, Cycles::SpecialtyId)
                            .to(Specialties::Table, Specialties::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_cycles_user")
                    .table(Cycles::Table)
                    .col(Cycles::UserId)
                    .to_owned(),
            )
            .await?;

        let mut specialties = Query::insert()
            .into_table(Specialties::Table)
            .columns([Specialties::Name, Specialties::Level])
            .to_owned();
        for (name, level) in SPECIALTIES {
            specialties.values_panic([(*name).into(), (*level).into()]);
        }
        manager.exec_stmt(specialties).await?;
        let mut organisations = Query::insert()
            .into_table(ExamOrganisations::Table)
            .columns([
                ExamOrganisations::Name,
                ExamOrganisations::City,
                ExamOrganisations::Status,
                ExamOrganisations::CreatedAt,
            ])
            .to_owned();
        for (name, city) in ORGANISATIONS {
            organisations.values_panic([
                (*name).into(),
                (*city).into(),
                "approved".into(),
                Expr::current_timestamp(),
            ]);
        }
        manager.exec_stmt(organisations).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Cycles::Table.into_iden(),
            AdmissionDocuments::Table.into_iden(),
            NmoProfiles::Table.into_iden(),
            ExamOrganisations::Table.into_iden(),
            Specialties::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
