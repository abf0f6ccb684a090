//! ДПП ПК applications: the specialist chooses a dated run and forms the «Заявка на обучение по
//! ДПП ПК» (a PDF to print and sign); the provider marks them enrolled, then completed, and the
//! programme's ЗЕТ count on completion.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::plan::{mail_credits, own_item, specialty_name};
use super::provider::{me as provider_of, own_element};
use crate::domain::contact::{Phone, format_date, full_name};
use crate::domain::nmo::documents::{DocumentKind, cycle_period, display_number};
use crate::domain::nmo::plan::{ElementKind, ItemStatus, date_range, format_label};
use crate::domain::snils::Snils;
use crate::domain::time::{format_moscow, moscow_date};
use crate::domain::words::count;
use crate::error::AppError;
use crate::model::plan::{ApplicationView, ProgrammeApplications};
use crate::ssr::context::db_err;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{admission_document, cycle, plan_item, programme_run, provider, user};
use crate::ssr::mailer;
use crate::ssr::pdf::Pdf;
use crate::ssr::settings::Settings;

pub const HOURS: [&str; 3] = [
    "академический час",
    "академических часа",
    "академических часов",
];

/// What the application says it does not do.
pub const NO_GUARANTEE: &str = "Заявка не гарантирует зачисления на обучение: решение о \
     зачислении принимает образовательная организация.";

const ALREADY_REVIEWED: &str = "Организация уже рассмотрела заявку: изменить цикл обучения нельзя";

/// «Сформировать»: the application of a programme in the plan for a run that has not started
/// yet. Forming it again chooses another run.
///
/// # Errors
/// `NotFound` for someone else's item or an item that is not a programme; `Validation` on
/// `run_id` for a missing, foreign or started run; `Domain` once the provider has enrolled.
pub async fn apply(
    db: &DatabaseConnection,
    user_id: i64,
    item_id: i64,
    run_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let run_id = run_id.ok_or_else(|| AppError::field("run_id", "Выберите цикл обучения"))?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let (item, e) = own_item(&txn, user_id, item_id).await?;
    if e.kind != ElementKind::Programme.code() {
        return Err(AppError::NotFound);
    }
    let open = [ItemStatus::Planned.code(), ItemStatus::Applied.code()];
    if !open.contains(&item.status.as_str()) {
        return Err(AppError::Domain(ALREADY_REVIEWED.into()));
    }
    let run = programme_run::Entity::find_by_id(run_id)
        .filter(programme_run::Column::ElementId.eq(e.id))
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::field("run_id", "У этой программы нет такого цикла обучения"))?;
    let at = now;
    if run.starts_on <= moscow_date(at) {
        return Err(AppError::field(
            "run_id",
            "Этот цикл обучения уже начался: выберите другой",
        ));
    }
    let done = plan_item::Entity::update_many()
        .col_expr(plan_item::Column::RunId, Expr::value(run.id))
        .col_expr(
            plan_item::Column::Status,
            Expr::value(ItemStatus::Applied.code()),
        )
        .col_expr(plan_item::Column::AppliedAt, Expr::value(at))
        .col_expr(plan_item::Column::UpdatedAt, Expr::value(at))
        .filter(plan_item::Column::Id.eq(item.id))
        .filter(plan_item::Column::Status.is_in(open))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    if done.rows_affected != 1 {
        return Err(AppError::Domain(ALREADY_REVIEWED.into()));
    }
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// Everything the printed application says.
#[derive(Debug, Clone)]
pub struct Application {
    pub number: i64,
    pub formed_at: DateTime<Utc>,
    pub specialist: String,
    pub snils: String,
    pub birth_date: Option<NaiveDate>,
    pub email: String,
    pub phone: Option<String>,
    pub specialty: String,
    pub document: Option<String>,
    pub cycle: String,
    pub programme: String,
    pub provider: String,
    pub provider_contacts: String,
    pub hours: i32,
    pub format: String,
    pub place: Option<String>,
    pub run: String,
}

/// «Отозвать заявку»: an application the provider has not enrolled yet goes back to «Заявка
/// не сформирована» (and the item may then leave the plan).
///
/// # Errors
/// `NotFound` for someone else's item or one without an application; `Domain` once enrolled.
pub async fn withdraw(
    db: &DatabaseConnection,
    user_id: i64,
    item_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await.map_err(db_err)?;
    let (item, e) = own_item(&txn, user_id, item_id).await?;
    if e.kind != ElementKind::Programme.code() || item.applied_at.is_none() {
        return Err(AppError::NotFound);
    }
    let done = plan_item::Entity::update_many()
        .col_expr(plan_item::Column::RunId, Expr::value(Option::<i64>::None))
        .col_expr(
            plan_item::Column::Status,
            Expr::value(ItemStatus::Planned.code()),
        )
        .col_expr(
            plan_item::Column::AppliedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(plan_item::Column::UpdatedAt, Expr::value(now))
        .filter(plan_item::Column::Id.eq(item.id))
        .filter(plan_item::Column::Status.eq(ItemStatus::Applied.code()))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    if done.rows_affected != 1 {
        return Err(AppError::Domain(
            "Организация уже зачислила вас: отозвать заявку можно только через организацию".into(),
        ));
    }
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// The data of a formed application of the specialist's own plan item.
///
/// # Errors
/// `NotFound` for someone else's item, a non-programme, or an application not formed yet.
pub async fn application(
    db: &impl ConnectionTrait,
    user_id: i64,
    item_id: i64,
) -> Result<Application, AppError> {
    let (item, e) = own_item(db, user_id, item_id).await?;
    let (Some(run_id), Some(formed_at)) = (item.run_id, item.applied_at) else {
        return Err(AppError::NotFound);
    };
    if e.kind != ElementKind::Programme.code() {
        return Err(AppError::NotFound);
    }
    let run = programme_run::Entity::find_by_id(run_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let c = cycle::Entity::find_by_id(item.cycle_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let doc = admission_document::Entity::find_by_id(c.document_id)
        .one(db)
        .await
        .map_err(db_err)?;
    let p = provider::Entity::find_by_id(e.provider_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    Ok(Application {
        number: item.id,
        formed_at,
        specialist: full_name(&u.last_name, &u.first_name, u.middle_name.as_deref()),
        snils: Snils::parse(&u.login).map_or(u.login.clone(), |s| s.to_string()),
        birth_date: u.birth_date,
        phone: u
            .phone
            .as_deref()
            .map(|p| Phone::parse(p).map_or_else(|_| p.to_owned(), |p| p.display())),
        email: u.email,
        specialty: specialty_name(db, c.specialty_id).await?,
        document: doc.map(|d| {
            let kind = DocumentKind::from_code(&d.kind).map_or("Документ", DocumentKind::title);
            let date = d.issue_date.or(d.protocol_date).unwrap_or(d.exam_date);
            format!(
                "{kind} № {} от {}",
                display_number(d.series.as_deref(), &d.number),
                format_date(date)
            )
        }),
        cycle: cycle_period(c.starts_on, c.ends_on),
        programme: e.title,
        provider_contacts: format!(
            "{} · {}",
            p.email,
            Phone::parse_any(&p.phone).map_or_else(|_| p.phone.clone(), |ph| ph.display())
        ),
        provider: p.name,
        hours: e.credits,
        format: format_label(&e.format).to_owned(),
        place: e.place,
        run: date_range(Some(run.starts_on), Some(run.ends_on)).unwrap_or_default(),
    })
}

/// The application as a PDF.
///
/// # Errors
/// `Internal` if the document cannot be written.
pub fn application_pdf(a: &Application) -> Result<Vec<u8>, AppError> {
    let mut pdf = Pdf::new("Заявка на обучение по ДПП ПК")?;
    pdf.paragraph(&format!("Кому: {}", a.provider));
    pdf.gap(4.0);
    pdf.title("Заявка на обучение по ДПП ПК");
    pdf.paragraph(&format!(
        "№ {} от {}",
        a.number,
        format_date(moscow_date(a.formed_at))
    ));
    pdf.heading("Специалист");
    pdf.field("Фамилия, имя, отчество", &a.specialist);
    pdf.field("СНИЛС", &a.snils);
    if let Some(b) = a.birth_date {
        pdf.field("Дата рождения", &format_date(b));
    }
    pdf.field("Электронная почта", &a.email);
    if let Some(p) = &a.phone {
        pdf.field("Телефон", p);
    }
    pdf.field("Специальность", &a.specialty);
    if let Some(d) = &a.document {
        pdf.field("Документ о допуске", d);
    }
    pdf.field("Пятилетний цикл", &a.cycle);
    pdf.heading("Программа повышения квалификации");
    pdf.field("Название", &a.programme);
    pdf.field("Организация", &a.provider);
    pdf.field("Контакты организации", &a.provider_contacts);
    pdf.field(
        "Объём",
        &format!(
            "{} ({} ЗЕТ)",
            count(u64::try_from(a.hours).unwrap_or_default(), HOURS),
            a.hours
        ),
    );
    pdf.field("Форма обучения", &a.format);
    if let Some(p) = &a.place {
        pdf.field("Место", p);
    }
    pdf.field("Цикл обучения", &a.run);
    pdf.gap(4.0);
    pdf.paragraph(
        "Прошу зачислить меня на обучение по указанной дополнительной профессиональной программе \
         повышения квалификации в указанные сроки. Согласен(на) на обработку моих персональных \
         данных образовательной организацией в целях зачисления и обучения.",
    );
    pdf.paragraph(&format!(
        "{NO_GUARANTEE} Организация свяжется с вами по электронной почте или телефону, \
         указанным в заявке."
    ));
    pdf.signature(&format!("подпись / {}", a.specialist));
    pdf.signature("дата");
    pdf.gap(6.0);
    pdf.paragraph(&format!(
        "Заявка сформирована в личном кабинете НМО {}.",
        format_moscow(a.formed_at)
    ));
    pdf.finish()
}

/// The applications for an own programme, newest first.
///
/// # Errors
/// `NotFound` for an element that is not the provider's programme.
pub async fn applications(
    db: &impl ConnectionTrait,
    user_id: i64,
    element_id: i64,
) -> Result<ProgrammeApplications, AppError> {
    let owner = provider_of(db, user_id).await?;
    let e = own_element(db, &owner, element_id, ElementKind::Programme).await?;
    let items = plan_item::Entity::find()
        .filter(plan_item::Column::ElementId.eq(e.id))
        .filter(plan_item::Column::AppliedAt.is_not_null())
        .order_by_desc(plan_item::Column::AppliedAt)
        .order_by_desc(plan_item::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let users: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(items.iter().map(|i| i.user_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let runs: HashMap<i64, String> = programme_run::Entity::find()
        .filter(programme_run::Column::ElementId.eq(e.id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| {
            (
                r.id,
                date_range(Some(r.starts_on), Some(r.ends_on)).unwrap_or_default(),
            )
        })
        .collect();
    let cycles: HashMap<i64, i64> = cycle::Entity::find()
        .filter(cycle::Column::Id.is_in(items.iter().map(|i| i.cycle_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c.specialty_id))
        .collect();
    let mut views = Vec::with_capacity(items.len());
    for i in items {
        let (Some(u), Some(status)) = (users.get(&i.user_id), ItemStatus::from_code(&i.status))
        else {
            continue;
        };
        let specialty = match cycles.get(&i.cycle_id) {
            Some(s) => specialty_name(db, *s).await?,
            None => String::new(),
        };
        let phone = u
            .phone
            .as_deref()
            .map(|p| Phone::parse(p).map_or_else(|_| p.to_owned(), |p| p.display()));
        views.push(ApplicationView {
            item_id: i.id,
            specialist: full_name(&u.last_name, &u.first_name, u.middle_name.as_deref()),
            specialty,
            contact: phone.map_or_else(|| u.email.clone(), |p| format!("{} · {p}", u.email)),
            run: i
                .run_id
                .and_then(|r| runs.get(&r).cloned())
                .unwrap_or_default(),
            run_id: i.run_id,
            applied_at: i.applied_at.map(format_moscow).unwrap_or_default(),
            status_label: status.label(ElementKind::Programme).into(),
            status,
        });
    }
    Ok(ProgrammeApplications {
        element_id: e.id,
        title: e.title,
        credits: e.credits,
        items: views,
    })
}

/// What the provider marks an application as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Зачислен: from «Заявка сформирована».
    Enrol,
    /// Обучение завершено: from «Зачислен»; the ЗЕТ count.
    Complete,
}

impl Step {
    /// `enrol` or `complete`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "enrol" => Some(Self::Enrol),
            "complete" => Some(Self::Complete),
            _ => None,
        }
    }
}

/// Moves an application of an own programme one step on, once; returns the programme's id.
/// `run_id` is the run the provider saw: if the specialist chose another meanwhile, nothing
/// happens. Completion, possible once the run has begun, counts the programme's ЗЕТ in the
/// year the run ended (or today, if earlier) and mails the specialist.
///
/// # Errors
/// `NotFound` for an item of another provider's programme or without an application;
/// `Domain` when it is not in the state the step starts from, the run changed, or (to
/// complete) the run has not begun.
pub async fn advance(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    item_id: i64,
    step: Step,
    run_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let owner = provider_of(db, user_id).await?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let item = plan_item::Entity::find_by_id(item_id)
        .filter(plan_item::Column::AppliedAt.is_not_null())
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let e = own_element(&txn, &owner, item.element_id, ElementKind::Programme).await?;
    let at = now;
    let (from, to) = match step {
        Step::Enrol => (ItemStatus::Applied, ItemStatus::Enrolled),
        Step::Complete => (ItemStatus::Enrolled, ItemStatus::Completed),
    };
    if run_id.is_some_and(|r| item.run_id != Some(r)) {
        return Err(AppError::Domain(
            "Специалист выбрал другой цикл обучения: обновите страницу".into(),
        ));
    }
    let mut update = plan_item::Entity::update_many()
        .col_expr(plan_item::Column::Status, Expr::value(to.code()))
        .col_expr(plan_item::Column::UpdatedAt, Expr::value(at))
        .filter(plan_item::Column::Id.eq(item.id))
        .filter(plan_item::Column::RunId.eq(item.run_id))
        .filter(plan_item::Column::Status.eq(from.code()));
    if step == Step::Complete {
        let run = match item.run_id {
            Some(r) => programme_run::Entity::find_by_id(r)
                .one(&txn)
                .await
                .map_err(db_err)?,
            None => None,
        };
        let today = moscow_date(at);
        if let Some(r) = run.as_ref().filter(|r| r.starts_on > today) {
            return Err(AppError::Domain(format!(
                "Обучение начнётся {}: отметить его завершение можно после начала",
                format_date(r.starts_on)
            )));
        }
        let completed = run.map_or(today, |r| std::cmp::min(r.ends_on, today));
        update = update
            .col_expr(plan_item::Column::Credits, Expr::value(e.credits))
            .col_expr(plan_item::Column::CompletedOn, Expr::value(completed));
    }
    let done = update.exec(&txn).await.map_err(db_err)?;
    if done.rows_affected != 1 {
        return Err(AppError::Domain(format!(
            "Заявка уже не в состоянии «{}»: обновите страницу",
            from.label(ElementKind::Programme)
        )));
    }
    match step {
        Step::Complete => {
            mail_credits(&txn, settings, item.user_id, &e.title, e.credits, now).await?
        }
        Step::Enrol => {
            if let Some(u) = user::Entity::find_by_id(item.user_id)
                .one(&txn)
                .await
                .map_err(db_err)?
            {
                mailer::enqueue(
                    &txn,
                    settings,
                    &u.email,
                    "Вы зачислены на обучение",
                    &format!(
                        "Здравствуйте, {}!\n\nОрганизация «{}» зачислила вас на обучение по \
                         программе «{}». Баллы (ЗЕТ) зачислятся в план, когда организация \
                         отметит, что обучение завершено.\n\nМой план: {}/nmo/plan\n",
                        [Some(u.first_name.as_str()), u.middle_name.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" "),
                        owner.name,
                        e.title,
                        settings.public_url
                    ),
                    now,
                )
                .await
                .map_err(db_err)?;
            }
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(e.id)
}
