//! The school head's and school admins' side: their teachers' applications to budget courses,
//! approved (one or several at once) or rejected with a reason.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _, PaginatorTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _,
};

use super::{
    course_name, dates, free_place_of, member_of, person, record, status_of, step, tell, user_row,
};
use crate::domain::contact::refusal_reason;
use crate::domain::dpo::{Action, Funding, MAX_REASON, NOT_NOW, Status, code_and_group};
use crate::domain::time::format_moscow;
use crate::error::AppError;
use crate::model::dpo::{Approved, SchoolApplication, SchoolView};
use crate::ssr::context::db_err;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{
    dpo_application as application, dpo_course as course, dpo_group as group, dpo_school as school,
    dpo_school_member as member, provider, user,
};
use crate::ssr::service::notifications::latest;
use crate::ssr::settings::Settings;

pub const STAFF: [&str; 2] = ["head", "admin"];

/// The most applications approved in one go.
pub const MAX_BULK: usize = 200;

/// The most applications the list shows.
pub const SHOWN: u64 = 500;

fn budget_courses() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(course::Column::Id)
        .from(course::Entity)
        .and_where(course::Column::Funding.eq(Funding::Budget.code()))
        .to_owned()
}

/// The school's applications to budget courses: those waiting (`show` = `pending`, oldest
/// first) or all (newest first).
///
/// # Errors
/// `Forbidden` for someone who is not the head or an admin of a school; `BadRequest` for an
/// unknown `show`.
pub async fn view(
    db: &DatabaseConnection,
    user_id: i64,
    show: &str,
) -> Result<SchoolView, AppError> {
    let me = member_of(db, user_id, &STAFF).await?;
    let show = match show.trim() {
        "" | "pending" => "pending",
        "all" => "all",
        _ => {
            return Err(AppError::BadRequest(
                "Показать можно «pending» или «all»".into(),
            ));
        }
    };
    let s = school::Entity::find_by_id(me.school_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let base = application::Entity::find()
        .filter(application::Column::SchoolId.eq(me.school_id))
        .filter(application::Column::CourseId.in_subquery(budget_courses()));
    let pending = base
        .clone()
        .filter(application::Column::Status.eq(Status::Submitted.code()))
        .count(db)
        .await
        .map_err(db_err)?;
    let apps = if show == "pending" {
        base.filter(application::Column::Status.eq(Status::Submitted.code()))
            .order_by_asc(application::Column::CreatedAt)
    } else {
        base.order_by_desc(application::Column::CreatedAt)
    }
    .order_by_asc(application::Column::Id)
    .limit(SHOWN)
    .all(db)
    .await
    .map_err(db_err)?;
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(apps.iter().map(|a| a.course_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let teacher_ids: Vec<i64> = apps.iter().map(|a| a.teacher_id).collect();
    let teachers: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(teacher_ids.clone()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let positions: HashMap<i64, String> = member::Entity::find()
        .filter(member::Column::UserId.is_in(teacher_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| (m.user_id, m.position))
        .collect();
    let providers: HashMap<i64, String> = provider::Entity::find()
        .filter(
            provider::Column::Id.is_in(courses.values().map(|c| c.provider_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let groups: HashMap<i64, String> = group::Entity::find()
        .filter(group::Column::Id.is_in(apps.iter().filter_map(|a| a.group_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|g| (g.id, g.number))
        .collect();
    let applications = apps
        .into_iter()
        .filter_map(|a| {
            let c = courses.get(&a.course_id)?;
            let t = teachers.get(&a.teacher_id)?;
            let status = status_of(&a);
            Some(SchoolApplication {
                id: a.id,
                teacher: person(t),
                email: t.email.clone(),
                position: positions.get(&t.id).cloned().unwrap_or_default(),
                code: c.code.clone(),
                title: c.title.clone(),
                provider: providers.get(&c.provider_id).cloned().unwrap_or_default(),
                dates: dates(c.starts_on, c.ends_on),
                hours: c.hours,
                status: status.title().to_owned(),
                status_code: status.code().to_owned(),
                created: format_moscow(a.created_at),
                reason: a.reason.clone(),
                group: a
                    .group_id
                    .and_then(|g| groups.get(&g))
                    .map(|g| code_and_group(&c.code, g)),
                pending: status == Status::Submitted,
                can_reject: Action::Reject
                    .from_statuses(Funding::Budget)
                    .contains(&status),
            })
        })
        .collect();
    Ok(SchoolView {
        school: format!("{}, {}", s.name, s.city),
        my_position: if me.kind == "head" {
            "Руководитель".into()
        } else {
            "Администратор ОО".into()
        },
        show: show.into(),
        pending,
        applications,
        notifications: latest(db, user_id).await?,
    })
}

/// The applications of `ids` if every one is this school's and on a budget course; otherwise
/// `NotFound`, and nothing is done.
async fn own(
    db: &impl ConnectionTrait,
    school_id: i64,
    ids: &[i64],
) -> Result<Vec<(application::Model, course::Model)>, AppError> {
    let apps = application::Entity::find()
        .filter(application::Column::Id.is_in(ids.to_vec()))
        .filter(application::Column::SchoolId.eq(school_id))
        .filter(application::Column::CourseId.in_subquery(budget_courses()))
        // One order for every transaction, so overlapping approvals never deadlock.
        .order_by_asc(application::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    if apps.len() != ids.len() {
        return Err(AppError::NotFound);
    }
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(apps.iter().map(|a| a.course_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    apps.into_iter()
        .map(|a| {
            let c = courses
                .get(&a.course_id)
                .cloned()
                .ok_or(AppError::NotFound)?;
            Ok((a, c))
        })
        .collect()
}

/// Approves the applications of `ids` («Согласовать», one or several at once). Those someone
/// else decided meanwhile are skipped and counted.
///
/// # Errors
/// `Validation` for an empty choice, `BadRequest` for too many; `NotFound` when any id is not
/// this school's budget application (then nothing is approved).
pub async fn approve(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Approved, AppError> {
    let me = member_of(db, user_id, &STAFF).await?;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::field(
            "ids",
            "Отметьте заявки, которые согласуете",
        ));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::BadRequest(format!(
            "За один раз можно согласовать не больше {MAX_BULK} заявок"
        )));
    }
    let txn = begin_write(db).await.map_err(db_err)?;
    let mut done = 0;
    let mut skipped = 0;
    for (a, c) in own(&txn, me.school_id, &ids).await? {
        if !step(
            &txn,
            a.id,
            Action::Approve,
            Funding::Budget,
            Vec::new(),
            now,
        )
        .await?
        {
            skipped += 1;
            continue;
        }
        done += 1;
        record(&txn, a.id, Status::Approved, Some(user_id), None, now).await?;
        let teacher = user_row(&txn, a.teacher_id).await?;
        tell(
            &txn,
            settings,
            &teacher,
            "Заявка на курс согласована",
            &format!(
                "Руководитель вашей образовательной организации согласовал заявку на курс {}. \
                 Организация, которая проводит курс, зачислит вас в группу.",
                course_name(&c)
            ),
            "/dpo",
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(db_err)?;
    Ok(Approved { done, skipped })
}

/// Rejects an application with a reason the teacher reads; its place on the course is freed.
///
/// # Errors
/// `Validation` without a reason; `NotFound` for another school's application; `Domain` when
/// it is already in a group or decided.
pub async fn reject(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    application_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let me = member_of(db, user_id, &STAFF).await?;
    let reason =
        refusal_reason(reason, MAX_REASON, "педагог").map_err(|m| AppError::field("reason", m))?;
    if !crate::domain::contact::control_free(&reason, false) {
        return Err(AppError::field(
            "reason",
            "Причина: уберите служебные символы",
        ));
    }
    let txn = begin_write(db).await.map_err(db_err)?;
    let Some((a, c)) = own(&txn, me.school_id, &[application_id]).await?.pop() else {
        return Err(AppError::NotFound);
    };
    let extra = vec![(application::Column::Reason, Expr::value(reason.clone()))];
    if !step(&txn, a.id, Action::Reject, Funding::Budget, extra, now).await? {
        return Err(AppError::Domain(NOT_NOW.into()));
    }
    free_place_of(&txn, c.id).await?;
    record(
        &txn,
        a.id,
        Status::Rejected,
        Some(user_id),
        Some(reason.clone()),
        now,
    )
    .await?;
    let teacher = user_row(&txn, a.teacher_id).await?;
    tell(
        &txn,
        settings,
        &teacher,
        "Заявка на курс отклонена",
        &format!(
            "Руководитель вашей образовательной организации отклонил заявку на курс {}. \
             Причина: {reason}",
            course_name(&c)
        ),
        "/dpo",
        now,
    )
    .await?;
    txn.commit().await.map_err(db_err)
}
