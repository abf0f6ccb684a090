//! The provider's side: its courses, their groups, enrolment into a group and «Закончил(а)».
//! A group's seats are a counter with a CHECK, taken by one conditional `UPDATE`, so racing
//! enrolments never overfill it.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, Set,
};

use super::catalogue::groups_of;
use super::{
    course_name, dates, funding, funding_text, person, record, status_of, step, tell, user_row,
};
use crate::domain::dpo::{
    Action, Funding, GroupForm, NOT_NOW, Status, code_and_group, parse_document_number,
};
use crate::error::AppError;
use crate::model::dpo::{Applicant, ProviderCourseRow, ProviderCourseView};
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    dpo_application as application, dpo_course as course, dpo_group as group, dpo_school as school,
    user,
};
use crate::ssr::service::provider::me;
use crate::ssr::settings::Settings;

/// The provider's course of `id`.
///
/// # Errors
/// `NotFound` for an unknown course or another provider's.
async fn own_course(
    db: &impl ConnectionTrait,
    provider_id: i64,
    course_id: i64,
) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(course_id)
        .filter(course::Column::ProviderId.eq(provider_id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

/// «Курсы ДПО»: the provider's courses, newest first.
///
/// # Errors
/// `Forbidden` for someone who is not an approved provider.
pub async fn courses(
    db: &DatabaseConnection,
    user_id: i64,
) -> Result<Vec<ProviderCourseRow>, AppError> {
    let p = me(db, user_id).await?;
    let list = course::Entity::find()
        .filter(course::Column::ProviderId.eq(p.id))
        .order_by_desc(course::Column::StartsOn)
        .order_by_asc(course::Column::Code)
        .all(db)
        .await
        .map_err(db_err)?;
    let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
    let mut groups: HashMap<i64, u64> = HashMap::new();
    for g in group::Entity::find()
        .filter(group::Column::CourseId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(db_err)?
    {
        *groups.entry(g.course_id).or_default() += 1;
    }
    let mut waiting: HashMap<i64, u64> = HashMap::new();
    let funding_of: HashMap<i64, Funding> = list.iter().map(|c| (c.id, funding(c))).collect();
    for a in application::Entity::find()
        .filter(application::Column::CourseId.is_in(ids))
        .filter(
            application::Column::Status.is_in([Status::Submitted.code(), Status::Approved.code()]),
        )
        .all(db)
        .await
        .map_err(db_err)?
    {
        let f = funding_of
            .get(&a.course_id)
            .copied()
            .unwrap_or(Funding::Budget);
        if Action::Enrol.from_statuses(f).contains(&status_of(&a)) {
            *waiting.entry(a.course_id).or_default() += 1;
        }
    }
    Ok(list
        .into_iter()
        .map(|c| ProviderCourseRow {
            id: c.id,
            code: c.code.clone(),
            title: c.title.clone(),
            funding: funding_text(&c),
            dates: dates(c.starts_on, c.ends_on),
            places: c.places,
            taken: c.taken,
            groups: groups.get(&c.id).copied().unwrap_or(0),
            waiting: waiting.get(&c.id).copied().unwrap_or(0),
        })
        .collect())
}

/// One course with its groups and applicants.
///
/// # Errors
/// `NotFound` for another provider's course.
pub async fn course_view(
    db: &DatabaseConnection,
    user_id: i64,
    course_id: i64,
) -> Result<ProviderCourseView, AppError> {
    let p = me(db, user_id).await?;
    let c = own_course(db, p.id, course_id).await?;
    let f = funding(&c);
    let apps = application::Entity::find()
        .filter(application::Column::CourseId.eq(c.id))
        .filter(
            application::Column::Status
                .is_not_in([Status::Rejected.code(), Status::Withdrawn.code()]),
        )
        .order_by_asc(application::Column::CreatedAt)
        .order_by_asc(application::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let teachers: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(apps.iter().map(|a| a.teacher_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let schools: HashMap<i64, String> = school::Entity::find()
        .filter(school::Column::Id.is_in(apps.iter().map(|a| a.school_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, format!("{}, {}", s.name, s.city)))
        .collect();
    let groups = groups_of(db, c.id).await?;
    let numbers: HashMap<i64, String> = groups.iter().map(|g| (g.id, g.number.clone())).collect();
    let mut view = ProviderCourseView {
        id: c.id,
        code: c.code.clone(),
        title: c.title.clone(),
        funding: funding_text(&c),
        budget: f == Funding::Budget,
        dates: dates(c.starts_on, c.ends_on),
        starts_on: c.starts_on.to_string(),
        ends_on: c.ends_on.to_string(),
        places: c.places,
        taken: c.taken,
        groups,
        ready: Vec::new(),
        awaiting_approval: 0,
        enrolled: Vec::new(),
        completed: Vec::new(),
    };
    for a in apps {
        let status = status_of(&a);
        let applicant = Applicant {
            id: a.id,
            teacher: teachers.get(&a.teacher_id).map(person).unwrap_or_default(),
            email: teachers
                .get(&a.teacher_id)
                .map(|t| t.email.clone())
                .unwrap_or_default(),
            school: schools.get(&a.school_id).cloned().unwrap_or_default(),
            status: status.title().to_owned(),
            group: a
                .group_id
                .and_then(|g| numbers.get(&g))
                .map(|n| code_and_group(&c.code, n)),
            document_number: a.document_number.clone(),
        };
        if Action::Enrol.from_statuses(f).contains(&status) {
            view.ready.push(applicant);
        } else if status == Status::Submitted {
            view.awaiting_approval += 1;
        } else if status == Status::Enrolled {
            view.enrolled.push(applicant);
        } else if status == Status::Completed {
            view.completed.push(applicant);
        }
    }
    Ok(view)
}

/// Adds a group to the provider's course; returns its id.
///
/// # Errors
/// `Validation` field by field (a taken number on `number`); `NotFound` for another
/// provider's course.
pub async fn create_group(
    db: &DatabaseConnection,
    user_id: i64,
    course_id: i64,
    form: &GroupForm,
) -> Result<i64, AppError> {
    let p = me(db, user_id).await?;
    let c = own_course(db, p.id, course_id).await?;
    let g = form
        .validate(c.starts_on, c.ends_on)
        .map_err(AppError::Validation)?;
    let created = group::ActiveModel {
        course_id: Set(c.id),
        number: Set(g.number),
        capacity: Set(g.capacity),
        enrolled: Set(0),
        starts_on: Set(g.starts_on),
        ends_on: Set(g.ends_on),
        ..Default::default()
    }
    .insert(db)
    .await;
    match created {
        Ok(g) => Ok(g.id),
        Err(e) if is_unique_violation(&e) => Err(AppError::field(
            "number",
            "Группа с таким номером у курса уже есть",
        )),
        Err(e) => Err(db_err(e)),
    }
}

/// The provider's application of `id` with its course.
async fn own_application(
    db: &impl ConnectionTrait,
    provider_id: i64,
    application_id: i64,
) -> Result<(application::Model, course::Model), AppError> {
    let a = application::Entity::find_by_id(application_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let c = own_course(db, provider_id, a.course_id).await?;
    Ok((a, c))
}

/// Enrols an application into a group of its course: a seat is taken only if one is free.
/// Returns the course's id.
///
/// # Errors
/// `NotFound` for another provider's application or a group of another course; `Domain` when
/// the group is full or the application is not ready (not approved, withdrawn, enrolled).
pub async fn enrol(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    application_id: i64,
    group_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let p = me(db, user_id).await?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let (a, c) = own_application(&txn, p.id, application_id).await?;
    let g = group::Entity::find_by_id(group_id)
        .filter(group::Column::CourseId.eq(c.id))
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::field("group_id", "Выберите группу этого курса"))?;
    // The status first: a second click on a done enrolment says so, not «no seats».
    let extra = vec![(application::Column::GroupId, Expr::value(g.id))];
    if !step(&txn, a.id, Action::Enrol, funding(&c), extra, now).await? {
        return Err(AppError::Domain(NOT_NOW.into()));
    }
    let seat = group::Entity::update_many()
        .col_expr(
            group::Column::Enrolled,
            Expr::col(group::Column::Enrolled).add(1),
        )
        .filter(group::Column::Id.eq(g.id))
        .filter(Expr::col(group::Column::Enrolled).lt(Expr::col(group::Column::Capacity)))
        .exec(&txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if seat != 1 {
        return Err(AppError::Domain(format!(
            "В группе {} нет свободных мест: выберите другую или добавьте группу",
            g.number
        )));
    }
    let placed = code_and_group(&c.code, &g.number);
    record(
        &txn,
        a.id,
        Status::Enrolled,
        Some(user_id),
        Some(placed.clone()),
        now,
    )
    .await?;
    let teacher = user_row(&txn, a.teacher_id).await?;
    tell(
        &txn,
        settings,
        &teacher,
        "Вы зачислены в группу",
        &format!(
            "Вы зачислены на курс {}: {placed}. Занятия группы — {}.",
            course_name(&c),
            dates(g.starts_on, g.ends_on)
        ),
        "/dpo",
        now,
    )
    .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(c.id)
}

/// «Закончил(а)»: records the document's number; the course enters the record book. Returns
/// the course's id.
///
/// # Errors
/// `Validation` for a bad number; `NotFound` for another provider's application; `Domain`
/// when the teacher is not in a group.
pub async fn complete(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    application_id: i64,
    document_number: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let p = me(db, user_id).await?;
    let number = parse_document_number(document_number)
        .map_err(|m| AppError::field("document_number", m))?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let (a, c) = own_application(&txn, p.id, application_id).await?;
    let extra = vec![(
        application::Column::DocumentNumber,
        Expr::value(number.clone()),
    )];
    if !step(&txn, a.id, Action::Complete, funding(&c), extra, now).await? {
        return Err(AppError::Domain(NOT_NOW.into()));
    }
    record(
        &txn,
        a.id,
        Status::Completed,
        Some(user_id),
        Some(format!("удостоверение № {number}")),
        now,
    )
    .await?;
    let teacher = user_row(&txn, a.teacher_id).await?;
    tell(
        &txn,
        settings,
        &teacher,
        "Курс окончен",
        &format!(
            "Вы закончили курс {} ({} ч.). Удостоверение о повышении квалификации № {number}. \
             Курс добавлен в зачётную книжку.",
            course_name(&c),
            c.hours
        ),
        "/dpo/record-book",
        now,
    )
    .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(c.id)
}
