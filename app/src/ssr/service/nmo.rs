//! НМО: first login, catalogues, admission documents and five-year cycles.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::contact::format_date;
use crate::domain::nmo::LEVEL_REQUIRED;
use crate::domain::nmo::catalogue::{MAX_QUERY_LEN, check_organisation, fold};
use crate::domain::nmo::documents::{
    CheckedDocument, DocumentForm, DocumentKind, cycle_end, cycle_period, display_number,
};
use crate::domain::time::{format_moscow, moscow_date};
use crate::error::AppError;
use crate::model::nmo::{
    CycleView, DocumentView, NmoStatus, OrganisationOption, PendingOrganisation, SpecialtyOption,
};
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    admission_document, cycle, exam_organisation, nmo_profile, specialty, user,
};

pub const AGREEMENT_FIRST: &str = "Сначала примите пользовательское соглашение";
pub const DOCUMENT_TWICE: &str = "Этот документ уже добавлен. Если в нём ошибка, напишите в \
     техподдержку";
/// How many organisations one specialist may have waiting for review.
pub const MAX_PENDING_ORGANISATIONS: usize = 10;

/// The specialist's first-login state; no row yet means nothing chosen.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn status(db: &impl ConnectionTrait, user_id: i64) -> Result<NmoStatus, AppError> {
    Ok(nmo_profile::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|p| NmoStatus {
            agreement_accepted: p.agreement_accepted_at.is_some(),
            level_vo: p.level_vo,
            level_so: p.level_so,
        })
        .unwrap_or_default())
}

/// Accepts the user agreement (again is harmless: the first time is kept).
///
/// # Errors
/// `Internal` on a database failure.
pub async fn accept_agreement(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    nmo_profile::Entity::insert(nmo_profile::ActiveModel {
        user_id: Set(user_id),
        agreement_accepted_at: Set(Some(now)),
        level_vo: Set(false),
        level_so: Set(false),
        current_cycle_id: Set(None),
    })
    .on_conflict_do_nothing_on([nmo_profile::Column::UserId])
    .exec(db)
    .await
    .map_err(db_err)?;
    // A row made earlier (a document added first) still needs the date.
    nmo_profile::Entity::update_many()
        .col_expr(
            nmo_profile::Column::AgreementAcceptedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(nmo_profile::Column::UserId.eq(user_id))
        .filter(nmo_profile::Column::AgreementAcceptedAt.is_null())
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// ВО and/or СО: at least one.
///
/// # Errors
/// `Validation` on `levels` with none chosen; `Domain` before the agreement.
pub async fn set_levels(
    db: &impl ConnectionTrait,
    user_id: i64,
    vo: bool,
    so: bool,
) -> Result<(), AppError> {
    if !vo && !so {
        return Err(AppError::field("levels", LEVEL_REQUIRED));
    }
    let updated = nmo_profile::Entity::update_many()
        .col_expr(
            nmo_profile::Column::LevelVo,
            sea_orm::sea_query::Expr::value(vo),
        )
        .col_expr(
            nmo_profile::Column::LevelSo,
            sea_orm::sea_query::Expr::value(so),
        )
        .filter(nmo_profile::Column::UserId.eq(user_id))
        .filter(nmo_profile::Column::AgreementAcceptedAt.is_not_null())
        .exec(db)
        .await
        .map_err(db_err)?;
    if updated.rows_affected == 0 {
        return Err(AppError::Domain(AGREEMENT_FIRST.into()));
    }
    Ok(())
}

/// The whole specialty catalogue, by level then name.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn specialties(db: &impl ConnectionTrait) -> Result<Vec<SpecialtyOption>, AppError> {
    Ok(specialty::Entity::find()
        .order_by_asc(specialty::Column::Level)
        .order_by_asc(specialty::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| SpecialtyOption {
            id: s.id,
            name: s.name,
            level: s.level,
        })
        .collect())
}

/// Approved organisations and the ones this specialist filed, matching `query` anywhere in
/// the name or city, any case (compared here: SQL `lower` is ASCII-only on SQLite); at most
/// `limit`.
///
/// # Errors
/// `BadRequest` for a query over 300 characters; `Internal` on a database failure.
pub async fn organisations(
    db: &impl ConnectionTrait,
    user_id: i64,
    query: &str,
    limit: usize,
) -> Result<Vec<OrganisationOption>, AppError> {
    if query.chars().count() > MAX_QUERY_LEN {
        return Err(AppError::BadRequest("Слишком длинный запрос".into()));
    }
    let q = fold(query);
    let rows = exam_organisation::Entity::find()
        .filter(
            exam_organisation::Column::Status
                .eq("approved")
                .or(exam_organisation::Column::Status
                    .eq("pending")
                    .and(exam_organisation::Column::FiledBy.eq(user_id))),
        )
        .order_by_asc(exam_organisation::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .filter(|o| {
            q.is_empty()
                || fold(&o.name).contains(&q)
                || o.city.as_deref().is_some_and(|c| fold(c).contains(&q))
        })
        .take(limit)
        .map(|o| OrganisationOption {
            pending: o.status == "pending",
            id: o.id,
            name: o.name,
            city: o.city,
        })
        .collect())
}

/// «Добавить организацию»: files a new one for review, usable by its author at once. A name
/// already in the catalogue answers with that organisation instead of a copy.
///
/// # Errors
/// `Validation` on `name` or `city`; `Domain` when too many are waiting for review.
pub async fn add_organisation(
    db: &DatabaseConnection,
    user_id: i64,
    name: &str,
    city: &str,
    now: DateTime<Utc>,
) -> Result<OrganisationOption, AppError> {
    let (name, city) = check_organisation(name, city).map_err(AppError::Validation)?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let all = exam_organisation::Entity::find()
        .all(&txn)
        .await
        .map_err(db_err)?;
    if let Some(existing) = all
        .iter()
        .find(|o| fold(&o.name) == fold(&name) && o.status != "rejected")
    {
        return Ok(OrganisationOption {
            id: existing.id,
            name: existing.name.clone(),
            city: existing.city.clone(),
            pending: existing.status == "pending",
        });
    }
    let waiting = all
        .iter()
        .filter(|o| o.status == "pending" && o.filed_by == Some(user_id))
        .count();
    if waiting >= MAX_PENDING_ORGANISATIONS {
        return Err(AppError::Domain(
            "Вы уже добавили 10 организаций, которые ждут проверки. Дождитесь её или напишите в \
             техподдержку"
                .into(),
        ));
    }
    let inserted = exam_organisation::ActiveModel {
        name: Set(name.clone()),
        city: Set((!city.is_empty()).then_some(city)),
        status: Set("pending".into()),
        filed_by: Set(Some(user_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        // Same name, different case or a rejected one: the catalogue keeps one row per name.
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field(
                "name",
                "Организация с таким названием уже была отклонена при проверке. Напишите в \
                 техподдержку",
            ));
        }
        Err(e) => return Err(db_err(e)),
    };
    txn.commit().await.map_err(db_err)?;
    Ok(OrganisationOption {
        id: row.id,
        name: row.name,
        city: row.city,
        pending: true,
    })
}

/// Saves a document and opens its cycle, in one transaction. The first cycle becomes the one
/// the plan shows. Returns the cycle's id.
///
/// # Errors
/// `Validation` field by field (unknown specialty or organisation too); `Domain` for the same
/// document twice.
pub async fn add_document(
    db: &DatabaseConnection,
    user_id: i64,
    form: &DocumentForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let doc = form
        .validate(moscow_date(now))
        .map_err(AppError::Validation)?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let (specialty_id, organisation_id) = resolve_names(&txn, &doc).await?;
    // Accreditations entered before their paper arrives all read 0000 00000000.
    let placeholder = doc.kind == DocumentKind::Accreditation && doc.protocol_date.is_some();
    if !placeholder {
        let twin = admission_document::Entity::find()
            .filter(admission_document::Column::UserId.eq(user_id))
            .filter(admission_document::Column::Kind.eq(doc.kind.code()))
            .filter(admission_document::Column::Number.eq(&doc.number))
            .all(&txn)
            .await
            .map_err(db_err)?
            .into_iter()
            .any(|d| d.series == doc.series);
        if twin {
            return Err(AppError::Domain(DOCUMENT_TWICE.into()));
        }
    }
    let saved = admission_document::ActiveModel {
        user_id: Set(user_id),
        kind: Set(doc.kind.code().into()),
        specialty_id: Set(specialty_id),
        organisation_id: Set(organisation_id),
        series: Set(doc.series.clone()),
        number: Set(doc.number.clone()),
        protocol_date: Set(doc.protocol_date),
        exam_date: Set(doc.exam_date),
        issue_date: Set(doc.issue_date),
        frmr_confirmed: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let start = doc.cycle_start();
    let opened = cycle::ActiveModel {
        user_id: Set(user_id),
        document_id: Set(saved.id),
        specialty_id: Set(specialty_id),
        starts_on: Set(start),
        ends_on: Set(cycle_end(start)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    // The first cycle is the one the plan shows until the specialist chooses another.
    nmo_profile::Entity::insert(nmo_profile::ActiveModel {
        user_id: Set(user_id),
        agreement_accepted_at: Set(None),
        level_vo: Set(false),
        level_so: Set(false),
        current_cycle_id: Set(Some(opened.id)),
    })
    .on_conflict_do_nothing_on([nmo_profile::Column::UserId])
    .exec(&txn)
    .await
    .map_err(db_err)?;
    nmo_profile::Entity::update_many()
        .col_expr(
            nmo_profile::Column::CurrentCycleId,
            sea_orm::sea_query::Expr::value(opened.id),
        )
        .filter(nmo_profile::Column::UserId.eq(user_id))
        .filter(nmo_profile::Column::CurrentCycleId.is_null())
        .exec(&txn)
        .await
        .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(opened.id)
}

/// Finds the chosen names in the catalogues: any specialty; an organisation that is approved
/// or waiting for review (whoever filed it — typing its exact name is choosing it).
async fn resolve_names(
    db: &impl ConnectionTrait,
    doc: &CheckedDocument,
) -> Result<(i64, i64), AppError> {
    let specialty = specialty::Entity::find()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .find(|s| fold(&s.name) == fold(&doc.specialty));
    let organisation = exam_organisation::Entity::find()
        .filter(exam_organisation::Column::Status.ne("rejected"))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .find(|o| fold(&o.name) == fold(&doc.organisation));
    let mut errors = Vec::new();
    if specialty.is_none() {
        errors.push(crate::error::FieldError::new(
            "specialty",
            "Такой специальности нет в справочнике — выберите её из списка",
        ));
    }
    if organisation.is_none() {
        errors.push(crate::error::FieldError::new(
            "organisation",
            "Такой организации нет в справочнике — выберите её из списка или нажмите \
             «Добавить организацию»",
        ));
    }
    match (specialty, organisation) {
        (Some(s), Some(o)) => Ok((s.id, o.id)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Names of the catalogue rows a list refers to.
async fn names(
    db: &impl ConnectionTrait,
) -> Result<(HashMap<i64, String>, HashMap<i64, exam_organisation::Model>), AppError> {
    let specialties = specialty::Entity::find()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let organisations = exam_organisation::Entity::find()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok((specialties, organisations))
}

fn document_title(d: &admission_document::Model) -> String {
    let kind = DocumentKind::from_code(&d.kind).map_or("Документ", DocumentKind::title);
    format!("{kind} {}", display_number(d.series.as_deref(), &d.number))
}

/// The specialist's documents, newest first.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn documents(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<DocumentView>, AppError> {
    let (specialties, organisations) = names(db).await?;
    let docs = admission_document::Entity::find()
        .filter(admission_document::Column::UserId.eq(user_id))
        .order_by_desc(admission_document::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let cycles: HashMap<i64, cycle::Model> = cycle::Entity::find()
        .filter(cycle::Column::UserId.eq(user_id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.document_id, c))
        .collect();
    Ok(docs
        .into_iter()
        .map(|d| {
            let organisation = organisations.get(&d.organisation_id);
            DocumentView {
                id: d.id,
                kind: d.kind.clone(),
                kind_title: DocumentKind::from_code(&d.kind)
                    .map_or("Документ", DocumentKind::title)
                    .into(),
                specialty: specialties
                    .get(&d.specialty_id)
                    .cloned()
                    .unwrap_or_default(),
                organisation: organisation.map(|o| o.name.clone()).unwrap_or_default(),
                organisation_status: organisation.map(|o| o.status.clone()).unwrap_or_default(),
                number: display_number(d.series.as_deref(), &d.number),
                protocol_date: d.protocol_date.map(format_date),
                exam_date: format_date(d.exam_date),
                issue_date: d.issue_date.map(format_date),
                frmr_confirmed: d.frmr_confirmed,
                cycle_period: cycles
                    .get(&d.id)
                    .map(|c| cycle_period(c.starts_on, c.ends_on))
                    .unwrap_or_default(),
            }
        })
        .collect())
}

/// «Мои пятилетние циклы», the newest first, with the one the plan shows marked.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn cycles(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<CycleView>, AppError> {
    let (specialties, _) = names(db).await?;
    let current = nmo_profile::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .and_then(|p| p.current_cycle_id);
    let docs: HashMap<i64, admission_document::Model> = admission_document::Entity::find()
        .filter(admission_document::Column::UserId.eq(user_id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let today = moscow_date(now);
    Ok(cycle::Entity::find()
        .filter(cycle::Column::UserId.eq(user_id))
        .order_by_desc(cycle::Column::StartsOn)
        .order_by_desc(cycle::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| CycleView {
            id: c.id,
            specialty: specialties
                .get(&c.specialty_id)
                .cloned()
                .unwrap_or_default(),
            period: cycle_period(c.starts_on, c.ends_on),
            document: docs
                .get(&c.document_id)
                .map(document_title)
                .unwrap_or_default(),
            current: current == Some(c.id),
            state: if today < c.starts_on {
                "начнётся"
            } else if today > c.ends_on {
                "завершён"
            } else {
                "идёт"
            }
            .into(),
        })
        .collect())
}

/// Remembers which cycle the plan shows.
///
/// # Errors
/// `NotFound` for a cycle that is not the caller's.
pub async fn choose_cycle(
    db: &impl ConnectionTrait,
    user_id: i64,
    cycle_id: i64,
) -> Result<(), AppError> {
    let own = cycle::Entity::find_by_id(cycle_id)
        .filter(cycle::Column::UserId.eq(user_id))
        .one(db)
        .await
        .map_err(db_err)?;
    if own.is_none() {
        return Err(AppError::NotFound);
    }
    nmo_profile::Entity::update_many()
        .col_expr(
            nmo_profile::Column::CurrentCycleId,
            sea_orm::sea_query::Expr::value(cycle_id),
        )
        .filter(nmo_profile::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Organisations waiting for the admin's review, oldest first.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn pending_organisations(
    db: &impl ConnectionTrait,
) -> Result<Vec<PendingOrganisation>, AppError> {
    let rows = exam_organisation::Entity::find()
        .filter(exam_organisation::Column::Status.eq("pending"))
        .order_by_asc(exam_organisation::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let authors: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.filed_by)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.last_name, u.first_name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|o| PendingOrganisation {
            id: o.id,
            filed_by: o
                .filed_by
                .and_then(|id| authors.get(&id).cloned())
                .unwrap_or_default(),
            filed_at: format_moscow(o.created_at),
            name: o.name,
            city: o.city,
        })
        .collect())
}

/// Approves or rejects a filed organisation.
///
/// # Errors
/// `NotFound` when it is not waiting for review.
pub async fn review_organisation(
    db: &impl ConnectionTrait,
    id: i64,
    approve: bool,
) -> Result<(), AppError> {
    let done = exam_organisation::Entity::update_many()
        .col_expr(
            exam_organisation::Column::Status,
            sea_orm::sea_query::Expr::value(if approve { "approved" } else { "rejected" }),
        )
        .filter(exam_organisation::Column::Id.eq(id))
        .filter(exam_organisation::Column::Status.eq("pending"))
        .exec(db)
        .await
        .map_err(db_err)?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
