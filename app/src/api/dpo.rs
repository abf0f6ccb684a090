//! ДПО: teachers register and apply for courses, school heads approve, providers enrol into
//! groups and record completion.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::account::TeacherForm;
use crate::domain::dpo::GroupForm;
use crate::domain::robot::RobotProof;
use crate::error::AppError;
use crate::model::dpo::{
    Approved, CatalogueQuery, CatalogueView, CourseCard, MyCourses, ProviderCourseRow,
    ProviderCourseView, RecordBook, SchoolOption, SchoolView,
};

/// Registers a teacher at a school from the catalogue; mails the confirmation link.
#[server(prefix = "/api", endpoint = "auth/register_teacher")]
pub async fn register_teacher(
    form: TeacherForm,
    #[server(default)] robot: RobotProof,
) -> Result<String, AppError> {
    use crate::ssr::{context, service::auth};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    let masked = auth::register_teacher(
        &state.db,
        &state.settings,
        &state.robot_key,
        &form,
        &robot,
        now,
    )
    .await?;
    context::redirect(&format!(
        "/register/sent?email={}",
        crate::api::auth::urlencode(&masked)
    ));
    Ok(masked)
}

/// The schools a teacher may choose at registration.
#[server(prefix = "/api", endpoint = "dpo/schools")]
pub async fn dpo_schools() -> Result<Vec<SchoolOption>, AppError> {
    use crate::ssr::context;
    use crate::ssr::entities::dpo_school as school;
    use sea_orm::{EntityTrait as _, QueryOrder as _};
    let db = &context::state()?.db;
    Ok(school::Entity::find()
        .order_by_asc(school::Column::City)
        .order_by_asc(school::Column::Name)
        .all(db)
        .await
        .map_err(context::db_err)?
        .into_iter()
        .map(|s| SchoolOption {
            id: s.id,
            name: s.name,
            city: s.city,
        })
        .collect())
}

/// The signed-in teacher's id, if the caller is one.
#[cfg(feature = "ssr")]
async fn teacher() -> Result<Option<i64>, AppError> {
    use crate::model::Role;
    Ok(crate::ssr::context::current_user()
        .await?
        .filter(|u| u.role == Role::Teacher)
        .map(|u| u.id))
}

/// The course catalogue of a year; open to guests.
#[server(prefix = "/api", endpoint = "dpo/catalogue")]
pub async fn dpo_catalogue(
    #[server(default)] query: CatalogueQuery,
) -> Result<CatalogueView, AppError> {
    use crate::ssr::{context, service::dpo::catalogue};
    let now = crate::ssr::context::now()?;
    catalogue::catalogue(&context::state()?.db, teacher().await?, &query, now).await
}

/// «Карточка курса»; open to guests.
#[server(prefix = "/api", endpoint = "dpo/course")]
pub async fn dpo_course(id: i64) -> Result<CourseCard, AppError> {
    use crate::ssr::{context, service::dpo::catalogue};
    let now = crate::ssr::context::now()?;
    catalogue::card(&context::state()?.db, teacher().await?, id, now).await
}

/// «Записаться» on a course, after the confirmation.
#[server(prefix = "/api", endpoint = "dpo/apply")]
pub async fn dpo_apply(course_id: i64) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::applications};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Teacher).await?;
    let state = context::state()?;
    let id = applications::apply(&state.db, &state.settings, me.id, course_id, now).await?;
    context::redirect(&format!("/dpo/courses/{course_id}?applied=1"));
    Ok(id)
}

/// «Отозвать заявку»; back to the course's card (`from` = `course`) or to «Мои курсы».
#[server(prefix = "/api", endpoint = "dpo/withdraw")]
pub async fn dpo_withdraw(
    application_id: i64,
    #[server(default)] from: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::applications};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Teacher).await?;
    let state = context::state()?;
    let course =
        applications::withdraw(&state.db, &state.settings, me.id, application_id, now).await?;
    if from == "course" {
        context::redirect(&format!("/dpo/courses/{course}?withdrawn=1"));
    } else {
        context::redirect("/dpo?withdrawn=1");
    }
    Ok(())
}

/// «Мои курсы»: the teacher's applications and notifications.
#[server(prefix = "/api", endpoint = "dpo/mine")]
pub async fn dpo_mine() -> Result<MyCourses, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::applications};
    let me = context::require_role(Role::Teacher).await?;
    applications::mine(&context::state()?.db, me.id).await
}

/// Marks the caller's notifications read.
#[server(prefix = "/api", endpoint = "dpo/notifications/read")]
pub async fn notifications_read() -> Result<u64, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::notifications};
    let now = crate::ssr::context::now()?;
    let me = context::require_user().await?;
    let n = notifications::mark_read(&context::state()?.db, me.id, now).await?;
    context::redirect(match me.role {
        Role::SchoolHead => "/dpo/school",
        Role::Teacher => "/dpo",
        _ => "/",
    });
    Ok(n)
}

/// The зачётная книжка.
#[server(prefix = "/api", endpoint = "dpo/record_book")]
pub async fn dpo_record_book() -> Result<RecordBook, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::applications};
    let me = context::require_role(Role::Teacher).await?;
    applications::record_book(&context::state()?.db, me.id).await
}

/// The school's applications to budget courses.
#[server(prefix = "/api", endpoint = "dpo/school")]
pub async fn dpo_school(#[server(default)] show: String) -> Result<SchoolView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::school};
    let me = context::require_role(Role::SchoolHead).await?;
    school::view(&context::state()?.db, me.id, &show).await
}

/// The head's list keeps its tab across an action.
#[cfg(feature = "ssr")]
fn school_tab(show: &str) -> &'static str {
    if show == "all" { "show=all&" } else { "" }
}

/// «Согласовать» one application or the ticked ones (`ids[<id>]`).
#[server(prefix = "/api", endpoint = "dpo/school/approve")]
pub async fn dpo_school_approve(
    #[server(default)] ids: HashMap<String, String>,
    #[server(default)] show: String,
) -> Result<Approved, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::school};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::SchoolHead).await?;
    let ids = ids
        .keys()
        .map(|k| k.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::BadRequest("Неверный номер заявки".into()))?;
    let state = context::state()?;
    let done = school::approve(&state.db, &state.settings, me.id, &ids, now).await?;
    context::redirect(&format!(
        "/dpo/school?{}approved={}&skipped={}",
        school_tab(&show),
        done.done,
        done.skipped
    ));
    Ok(done)
}

/// «Отклонить» with the reason the teacher will read.
#[server(prefix = "/api", endpoint = "dpo/school/reject")]
pub async fn dpo_school_reject(
    application_id: i64,
    #[server(default)] reason: String,
    #[server(default)] show: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::school};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::SchoolHead).await?;
    let state = context::state()?;
    school::reject(
        &state.db,
        &state.settings,
        me.id,
        application_id,
        &reason,
        now,
    )
    .await?;
    context::redirect(&format!("/dpo/school?{}rejected=1", school_tab(&show)));
    Ok(())
}

/// The provider's ДПО courses.
#[server(prefix = "/api", endpoint = "dpo/provider/courses")]
pub async fn dpo_provider_courses() -> Result<Vec<ProviderCourseRow>, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::provider};
    let me = context::require_role(Role::Provider).await?;
    provider::courses(&context::state()?.db, me.id).await
}

/// One of the provider's courses with its groups and applicants.
#[server(prefix = "/api", endpoint = "dpo/provider/course")]
pub async fn dpo_provider_course(id: i64) -> Result<ProviderCourseView, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::provider};
    let me = context::require_role(Role::Provider).await?;
    provider::course_view(&context::state()?.db, me.id, id).await
}

/// Adds a group to the provider's course.
#[server(prefix = "/api", endpoint = "dpo/provider/group")]
pub async fn dpo_group_create(
    course_id: i64,
    #[server(default)] form: GroupForm,
) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::provider};
    let me = context::require_role(Role::Provider).await?;
    let id = provider::create_group(&context::state()?.db, me.id, course_id, &form).await?;
    context::redirect(&format!("/provider/dpo/courses/{course_id}?group=1"));
    Ok(id)
}

/// Enrols an application into a group.
#[server(prefix = "/api", endpoint = "dpo/provider/enrol")]
pub async fn dpo_enrol(
    application_id: i64,
    #[server(default)] group_id: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let group_id = group_id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::field("group_id", "Выберите группу"))?;
    let state = context::state()?;
    let course = provider::enrol(
        &state.db,
        &state.settings,
        me.id,
        application_id,
        group_id,
        now,
    )
    .await?;
    context::redirect(&format!("/provider/dpo/courses/{course}?enrolled=1"));
    Ok(())
}

/// «Закончил(а)» with the document's number.
#[server(prefix = "/api", endpoint = "dpo/provider/complete")]
pub async fn dpo_complete(
    application_id: i64,
    #[server(default)] document_number: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{context, service::dpo::provider};
    let now = crate::ssr::context::now()?;
    let me = context::require_role(Role::Provider).await?;
    let state = context::state()?;
    let course = provider::complete(
        &state.db,
        &state.settings,
        me.id,
        application_id,
        &document_number,
        now,
    )
    .await?;
    context::redirect(&format!("/provider/dpo/courses/{course}?completed=1"));
    Ok(())
}
