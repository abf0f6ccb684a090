//! The teacher's side: «Записаться», «Отозвать заявку», «Все регистрации на курсы» with the
//! history, and the зачётная книжка.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, Set,
};

use super::{
    course_name, course_row, dates, free_place_of, funding, funding_text, member_of, person,
    record, status_of, step, tell, user_row,
};
use crate::domain::contact::format_date;
use crate::domain::dpo::{
    ALREADY_APPLIED, Action, Funding, NO_PLACES, NOT_NOW, Status, WITHDRAW_VIA_SUPPORT,
    can_withdraw, code_and_group,
};
use crate::domain::time::format_moscow;
use crate::error::AppError;
use crate::model::dpo::{ApplicationRow, HistoryStep, MyCourses, RecordBook, RecordRow};
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    dpo_application as application, dpo_application_log as log, dpo_course as course,
    dpo_group as group, dpo_school as school, dpo_school_member as member, provider,
};
use crate::ssr::service::notifications::{latest, notify};
use crate::ssr::settings::Settings;

/// «Записаться»: takes a place on the course and files the application. Returns its id.
///
/// # Errors
/// `Forbidden` for someone who is not a teacher at a school; `NotFound` for an unknown course;
/// `Domain` when registration is closed, the places are gone or the teacher already applied.
pub async fn apply(
    db: &DatabaseConnection,
    settings: &Settings,
    teacher_id: i64,
    course_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let me = member_of(db, teacher_id, &["teacher"]).await?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let c = course_row(&txn, course_id).await?;
    let live = application::Entity::find()
        .filter(application::Column::CourseId.eq(c.id))
        .filter(application::Column::TeacherId.eq(teacher_id))
        .filter(application::Column::Status.is_not_in(["rejected", "withdrawn"]))
        .one(&txn)
        .await
        .map_err(db_err)?;
    if live.is_some() {
        return Err(AppError::Domain(ALREADY_APPLIED.into()));
    }
    if let Some(why) = super::catalogue::obstacle(&c, now) {
        return Err(AppError::Domain(why.into()));
    }
    let took = course::Entity::update_many()
        .col_expr(
            course::Column::Taken,
            Expr::col(course::Column::Taken).add(1),
        )
        .filter(course::Column::Id.eq(c.id))
        .filter(Expr::col(course::Column::Taken).lt(Expr::col(course::Column::Places)))
        .exec(&txn)
        .await
        .map_err(db_err)?
        .rows_affected;
    if took != 1 {
        return Err(AppError::Domain(NO_PLACES.into()));
    }
    let at = now;
    let a = application::ActiveModel {
        course_id: Set(c.id),
        teacher_id: Set(teacher_id),
        school_id: Set(me.school_id),
        status: Set(Status::Submitted.code().into()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Domain(ALREADY_APPLIED.into())
        } else {
            db_err(e)
        }
    })?;
    record(&txn, a.id, Status::Submitted, Some(teacher_id), None, now).await?;
    let teacher = user_row(&txn, teacher_id).await?;
    let budget = funding(&c) == Funding::Budget;
    let next = if budget {
        "Её должен согласовать руководитель вашей образовательной организации; о решении мы \
         сообщим письмом."
    } else {
        "Курс платный, согласование руководителя не нужно: организация, которая проводит курс, \
         зачислит вас в группу."
    };
    tell(
        &txn,
        settings,
        &teacher,
        "Ваша заявка на курс принята",
        &format!(
            "Ваша заявка на курс {} ({}) принята. {next}",
            course_name(&c),
            dates(c.starts_on, c.ends_on)
        ),
        "/dpo",
        now,
    )
    .await?;
    if budget {
        let staff = member::Entity::find()
            .filter(member::Column::SchoolId.eq(me.school_id))
            .filter(member::Column::Kind.is_in(["head", "admin"]))
            .all(&txn)
            .await
            .map_err(db_err)?;
        for s in staff {
            let u = user_row(&txn, s.user_id).await?;
            tell(
                &txn,
                settings,
                &u,
                "Заявка педагога ждёт согласования",
                &format!(
                    "{} подал(а) заявку на бюджетный курс {}. Согласуйте или отклоните её.",
                    person(&teacher),
                    course_name(&c)
                ),
                "/dpo/school",
                now,
            )
            .await?;
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(a.id)
}

/// «Отозвать заявку»: until the teacher is in a group. Returns the course's id.
///
/// # Errors
/// `NotFound` for someone else's or an unknown application; `Domain` once enrolled (only
/// support can help then) or when it was already decided.
pub async fn withdraw(
    db: &DatabaseConnection,
    settings: &Settings,
    teacher_id: i64,
    application_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let txn = begin_write(db).await.map_err(db_err)?;
    let a = application::Entity::find_by_id(application_id)
        .filter(application::Column::TeacherId.eq(teacher_id))
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let c = course_row(&txn, a.course_id).await?;
    let before = status_of(&a);
    if matches!(before, Status::Enrolled | Status::Completed) {
        return Err(AppError::Domain(WITHDRAW_VIA_SUPPORT.into()));
    }
    if !step(&txn, a.id, Action::Withdraw, funding(&c), Vec::new(), now).await? {
        return Err(AppError::Domain(NOT_NOW.into()));
    }
    free_place_of(&txn, c.id).await?;
    record(&txn, a.id, Status::Withdrawn, Some(teacher_id), None, now).await?;
    let teacher = user_row(&txn, teacher_id).await?;
    tell(
        &txn,
        settings,
        &teacher,
        "Заявка на курс отозвана",
        &format!("Вы отозвали заявку на курс {}.", course_name(&c)),
        "/dpo",
        now,
    )
    .await?;
    if funding(&c) == Funding::Budget {
        let staff = member::Entity::find()
            .filter(member::Column::SchoolId.eq(a.school_id))
            .filter(member::Column::Kind.is_in(["head", "admin"]))
            .all(&txn)
            .await
            .map_err(db_err)?;
        for s in staff {
            notify(
                &txn,
                s.user_id,
                format!(
                    "{} отозвал(а) заявку на курс {}.",
                    person(&teacher),
                    course_name(&c)
                ),
                Some("/dpo/school?show=all".into()),
                now,
            )
            .await?;
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(c.id)
}

/// Everything needed to show applications: their courses, groups and history.
struct Context {
    courses: HashMap<i64, course::Model>,
    groups: HashMap<i64, group::Model>,
    logs: HashMap<i64, Vec<log::Model>>,
}

async fn context(
    db: &impl ConnectionTrait,
    apps: &[application::Model],
) -> Result<Context, AppError> {
    let course_ids: Vec<i64> = apps.iter().map(|a| a.course_id).collect();
    let group_ids: Vec<i64> = apps.iter().filter_map(|a| a.group_id).collect();
    let app_ids: Vec<i64> = apps.iter().map(|a| a.id).collect();
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let groups = group::Entity::find()
        .filter(group::Column::Id.is_in(group_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut logs: HashMap<i64, Vec<log::Model>> = HashMap::new();
    for l in log::Entity::find()
        .filter(log::Column::ApplicationId.is_in(app_ids))
        .order_by_asc(log::Column::At)
        .order_by_asc(log::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
    {
        logs.entry(l.application_id).or_default().push(l);
    }
    Ok(Context {
        courses,
        groups,
        logs,
    })
}

fn row(a: application::Model, ctx: &Context) -> Option<ApplicationRow> {
    let c = ctx.courses.get(&a.course_id)?;
    let status = status_of(&a);
    let group = a
        .group_id
        .and_then(|g| ctx.groups.get(&g))
        .map(|g| code_and_group(&c.code, &g.number));
    let history = ctx
        .logs
        .get(&a.id)
        .map(|steps| {
            steps
                .iter()
                .map(|l| HistoryStep {
                    at: format_moscow(l.at),
                    text: match (&l.note, Status::from_code(&l.status)) {
                        (Some(n), Some(s)) => format!("{}: {n}", s.title()),
                        (None, Some(s)) => s.title().to_owned(),
                        (_, None) => l.status.clone(),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ApplicationRow {
        id: a.id,
        course_id: c.id,
        code: c.code.clone(),
        title: c.title.clone(),
        funding: funding_text(c),
        dates: dates(c.starts_on, c.ends_on),
        status: status.title().to_owned(),
        status_code: status.code().to_owned(),
        group,
        reason: a.reason,
        document_number: a.document_number,
        created: format_moscow(a.created_at),
        can_withdraw: can_withdraw(status),
        history,
    })
}

/// The teacher's live application to a course, for its card.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn mine_for_course(
    db: &DatabaseConnection,
    teacher_id: i64,
    course_id: i64,
) -> Result<Option<ApplicationRow>, AppError> {
    let apps = application::Entity::find()
        .filter(application::Column::TeacherId.eq(teacher_id))
        .filter(application::Column::CourseId.eq(course_id))
        .filter(application::Column::Status.is_not_in(["rejected", "withdrawn"]))
        .all(db)
        .await
        .map_err(db_err)?;
    let ctx = context(db, &apps).await?;
    Ok(apps.into_iter().find_map(|a| row(a, &ctx)))
}

/// «Мои курсы»: every application (live ones in «Все регистрации на курсы», rejected and
/// withdrawn ones in the history) and the notifications.
///
/// # Errors
/// `Forbidden` for someone who is not a teacher.
pub async fn mine(db: &DatabaseConnection, teacher_id: i64) -> Result<MyCourses, AppError> {
    let me = member_of(db, teacher_id, &["teacher"]).await?;
    let s = school::Entity::find_by_id(me.school_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let apps = application::Entity::find()
        .filter(application::Column::TeacherId.eq(teacher_id))
        .order_by_desc(application::Column::CreatedAt)
        .order_by_desc(application::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let ctx = context(db, &apps).await?;
    let (active, history): (Vec<_>, Vec<_>) = apps
        .into_iter()
        .filter_map(|a| row(a, &ctx))
        .partition(|r| Status::from_code(&r.status_code).is_some_and(Status::is_live));
    Ok(MyCourses {
        school: format!("{}, {}", s.name, s.city),
        active,
        history,
        notifications: latest(db, teacher_id).await?,
    })
}

/// The зачётная книжка: completed courses with hours, dates and document numbers.
///
/// # Errors
/// `Forbidden` for someone who is not a teacher.
pub async fn record_book(db: &DatabaseConnection, teacher_id: i64) -> Result<RecordBook, AppError> {
    let me = member_of(db, teacher_id, &["teacher"]).await?;
    let s = school::Entity::find_by_id(me.school_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let teacher = user_row(db, teacher_id).await?;
    let apps = application::Entity::find()
        .filter(application::Column::TeacherId.eq(teacher_id))
        .filter(application::Column::Status.eq(Status::Completed.code()))
        .all(db)
        .await
        .map_err(db_err)?;
    let ctx = context(db, &apps).await?;
    let provider_ids: Vec<i64> = ctx.courses.values().map(|c| c.provider_id).collect();
    let providers: HashMap<i64, String> = provider::Entity::find()
        .filter(provider::Column::Id.is_in(provider_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut rows: Vec<(chrono::NaiveDate, RecordRow)> = apps
        .iter()
        .filter_map(|a| {
            let c = ctx.courses.get(&a.course_id)?;
            let g = a.group_id.and_then(|g| ctx.groups.get(&g));
            let (starts, ends) = g.map_or((c.starts_on, c.ends_on), |g| (g.starts_on, g.ends_on));
            Some((
                ends,
                RecordRow {
                    code: c.code.clone(),
                    title: c.title.clone(),
                    provider: providers.get(&c.provider_id).cloned().unwrap_or_default(),
                    hours: c.hours,
                    dates: dates(starts, ends),
                    group: g.map(|g| g.number.clone()).unwrap_or_default(),
                    document_number: a.document_number.clone().unwrap_or_default(),
                },
            ))
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    let rows: Vec<RecordRow> = rows.into_iter().map(|(_, r)| r).collect();
    Ok(RecordBook {
        teacher: person(&teacher),
        school: format!("{}, {}", s.name, s.city),
        total_hours: rows.iter().map(|r| i64::from(r.hours)).sum(),
        rows,
    })
}

/// The зачётная книжка as a PDF; pure, so it can be laid out off the async threads.
///
/// # Errors
/// `Internal` when the PDF cannot be made.
pub fn record_book_pdf(book: &RecordBook, on: chrono::NaiveDate) -> Result<Vec<u8>, AppError> {
    use crate::ssr::pdf::Pdf;
    let mut pdf = Pdf::new("Зачётная книжка")?;
    pdf.title("Зачётная книжка педагога");
    pdf.field("Педагог", &book.teacher);
    pdf.field("Организация", &book.school);
    pdf.field(
        "Всего",
        &crate::domain::words::count(
            u64::try_from(book.total_hours).unwrap_or(0),
            ["час", "часа", "часов"],
        ),
    );
    pdf.heading("Пройденные курсы");
    if book.rows.is_empty() {
        pdf.paragraph("Законченных курсов пока нет.");
    }
    for r in &book.rows {
        pdf.paragraph(&format!(
            "{} «{}» — {} ч., {}, группа {}; {}; удостоверение № {}",
            r.code, r.title, r.hours, r.dates, r.group, r.provider, r.document_number
        ));
    }
    pdf.gap(4.0);
    pdf.field("Дата", &format_date(on));
    pdf.finish()
}
