//! «Мой план» for specialists: the element catalogue, plan items of the current cycle, module
//! final tests scored here, ИКП activation, and the credits they add up to.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::contact::format_date;
use crate::domain::nmo::code::Code;
use crate::domain::nmo::credits::{CycleCredits, Earned};
use crate::domain::nmo::documents::cycle_period;
use crate::domain::nmo::plan::{
    ElementKind, ItemStatus, PAGE_SIZE, date_range, passes, score_percent,
};
use crate::domain::nmo::search::ElementFilters;
use crate::domain::time::{format_moscow, format_moscow_time, moscow_date};
use crate::domain::words::{POINTS, count};
use crate::error::AppError;
use crate::model::plan::{
    AttemptView, Choice, ElementCard, ElementDetail, ElementQuery, ElementSearch, ModuleView,
    PlanCycle, PlanItemView, PlanView, QuestionView, RunOption,
};
use crate::ssr::context::db_err;
use crate::ssr::crypto::hash_token;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{
    code_attempt, confirmation_code, cycle, element, element_specialty, module_attempt,
    module_option, module_question, nmo_profile, plan_item, programme_run, provider, specialty,
    user,
};
use crate::ssr::mailer;
use crate::ssr::settings::Settings;

/// DOMAIN.md's exact text for a wrong or used code.
pub const CODE_FAILED: &str =
    "Код не был активирован. Возможно код неверен или уже был активирован ранее";
pub const NO_CYCLE: &str =
    "Сначала добавьте документ о допуске: план составляется для пятилетнего цикла";

/// The cycle the plan shows, if the specialist has one.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn current_cycle(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<cycle::Model>, AppError> {
    let Some(id) = nmo_profile::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
        .and_then(|p| p.current_cycle_id)
    else {
        return Ok(None);
    };
    cycle::Entity::find_by_id(id)
        .filter(cycle::Column::UserId.eq(user_id))
        .one(db)
        .await
        .map_err(db_err)
}

pub(crate) async fn specialty_name(db: &impl ConnectionTrait, id: i64) -> Result<String, AppError> {
    Ok(specialty::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|s| s.name)
        .unwrap_or_default())
}

fn like_escaped(word: &str) -> String {
    let mut s = String::from("%");
    for c in word.chars() {
        if matches!(c, '%' | '_' | '!') {
            s.push('!');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// Cards for `rows`, with providers, specialties and the current plan's statuses.
async fn cards(
    db: &impl ConnectionTrait,
    rows: Vec<element::Model>,
    cycle_id: Option<i64>,
) -> Result<Vec<ElementCard>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let provider_ids: HashSet<i64> = rows.iter().map(|e| e.provider_id).collect();
    let providers: HashMap<i64, String> = provider::Entity::find()
        .filter(provider::Column::Id.is_in(provider_ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let links = element_specialty::Entity::find()
        .filter(element_specialty::Column::ElementId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(db_err)?;
    let names: HashMap<i64, String> = specialty::Entity::find()
        .filter(
            specialty::Column::Id.is_in(links.iter().map(|l| l.specialty_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut specialties: HashMap<i64, Vec<String>> = HashMap::new();
    for l in links {
        if let Some(n) = names.get(&l.specialty_id) {
            specialties.entry(l.element_id).or_default().push(n.clone());
        }
    }
    let in_plan: HashMap<i64, ItemStatus> = match cycle_id {
        Some(c) => plan_item::Entity::find()
            .filter(plan_item::Column::CycleId.eq(c))
            .filter(plan_item::Column::ElementId.is_in(ids))
            .all(db)
            .await
            .map_err(db_err)?
            .into_iter()
            .filter_map(|i| ItemStatus::from_code(&i.status).map(|s| (i.element_id, s)))
            .collect(),
        None => HashMap::new(),
    };
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let kind = ElementKind::from_code(&e.kind)?;
            let mut spec = specialties.remove(&e.id).unwrap_or_default();
            spec.sort();
            Some(ElementCard {
                id: e.id,
                kind,
                in_plan: in_plan.get(&e.id).map(|s| s.label(kind).to_owned()),
                title: e.title,
                summary: e.summary,
                provider: providers.get(&e.provider_id).cloned().unwrap_or_default(),
                credits: e.credits,
                format: e.format,
                place: e.place,
                dates: date_range(e.starts_on, e.ends_on),
                specialties: spec,
            })
        })
        .collect())
}

/// «Добавить элементы»: one tab's published elements matching the filters, a page at a time.
///
/// # Errors
/// `BadRequest` for a filter that cannot be read.
pub async fn search(
    db: &impl ConnectionTrait,
    user_id: i64,
    query: &ElementQuery,
) -> Result<ElementSearch, AppError> {
    let cycle = current_cycle(db, user_id).await?;
    let f = ElementFilters::check(query, cycle.as_ref().map(|c| c.specialty_id))
        .map_err(AppError::BadRequest)?;
    let mut select = element::Entity::find()
        .filter(element::Column::Kind.eq(f.kind.code()))
        .filter(element::Column::Published.eq(true));
    for w in &f.words {
        select = select.filter(
            Expr::col((element::Entity, element::Column::SearchText))
                .like(LikeExpr::new(like_escaped(w)).escape('!')),
        );
    }
    if let Some(s) = f.specialty {
        select = select.filter(
            element::Column::Id.in_subquery(
                Query::select()
                    .column(element_specialty::Column::ElementId)
                    .from(element_specialty::Entity)
                    .and_where(element_specialty::Column::SpecialtyId.eq(s))
                    .to_owned(),
            ),
        );
    }
    if let Some(p) = f.provider {
        select = select.filter(element::Column::ProviderId.eq(p));
    }
    // Held within the dates: elements without dates (modules) are always available.
    if let Some(from) = f.from {
        select = select.filter(
            element::Column::EndsOn
                .is_null()
                .or(element::Column::EndsOn.gte(from)),
        );
    }
    if let Some(to) = f.to {
        select = select.filter(
            element::Column::StartsOn
                .is_null()
                .or(element::Column::StartsOn.lte(to)),
        );
    }
    if let Some(min) = f.credits_min {
        select = select.filter(element::Column::Credits.gte(min));
    }
    if let Some(max) = f.credits_max {
        select = select.filter(element::Column::Credits.lte(max));
    }
    if let Some(format) = f.format {
        select = select.filter(element::Column::Format.eq(format));
    }
    select = match f.kind {
        ElementKind::Module => select.order_by_asc(element::Column::Title),
        ElementKind::Event | ElementKind::Programme => select
            .order_by_desc(element::Column::StartsOn)
            .order_by_asc(element::Column::Title),
    }
    .order_by_asc(element::Column::Id);
    let paginator = select.paginate(db, PAGE_SIZE);
    let totals = paginator.num_items_and_pages().await.map_err(db_err)?;
    let pages = std::cmp::max(totals.number_of_pages, 1);
    let page = std::cmp::min(f.page, pages);
    let rows = paginator.fetch_page(page - 1).await.map_err(db_err)?;
    let items = cards(db, rows, cycle.as_ref().map(|c| c.id)).await?;
    let specialties = specialty::Entity::find()
        .order_by_asc(specialty::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| Choice {
            id: s.id,
            name: s.name,
        })
        .collect();
    let providers = provider::Entity::find()
        .filter(provider::Column::Status.eq("approved"))
        .order_by_asc(provider::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| Choice {
            id: p.id,
            name: p.name,
        })
        .collect();
    Ok(ElementSearch {
        items,
        total: totals.number_of_items,
        page,
        pages,
        specialties,
        providers,
        specialty: f.specialty,
        has_cycle: cycle.is_some(),
    })
}

async fn published(db: &impl ConnectionTrait, id: i64) -> Result<element::Model, AppError> {
    element::Entity::find_by_id(id)
        .filter(element::Column::Published.eq(true))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

async fn runs(db: &impl ConnectionTrait, element_id: i64) -> Result<Vec<RunOption>, AppError> {
    Ok(programme_run::Entity::find()
        .filter(programme_run::Column::ElementId.eq(element_id))
        .order_by_asc(programme_run::Column::StartsOn)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| RunOption {
            id: r.id,
            dates: date_range(Some(r.starts_on), Some(r.ends_on)).unwrap_or_default(),
        })
        .collect())
}

/// An element's page.
///
/// # Errors
/// `NotFound` for an unknown or unpublished element.
pub async fn element(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
) -> Result<ElementDetail, AppError> {
    let e = published(db, id).await?;
    let cycle = current_cycle(db, user_id).await?;
    let questions = module_question::Entity::find()
        .filter(module_question::Column::ElementId.eq(id))
        .count(db)
        .await
        .map_err(db_err)?;
    let plan_item = match &cycle {
        Some(c) => plan_item::Entity::find()
            .filter(plan_item::Column::CycleId.eq(c.id))
            .filter(plan_item::Column::ElementId.eq(id))
            .one(db)
            .await
            .map_err(db_err)?
            .map(|i| i.id),
        None => None,
    };
    let (content, pass_percent) = (e.content.clone(), e.pass_percent);
    let runs = runs(db, id).await?;
    let cycle_label = match &cycle {
        Some(c) => Some(format!(
            "{} · {}",
            specialty_name(db, c.specialty_id).await?,
            cycle_period(c.starts_on, c.ends_on)
        )),
        None => None,
    };
    let card = cards(db, vec![e], cycle.as_ref().map(|c| c.id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(ElementDetail {
        // The module's text opens from the plan, with its test.
        content: if card.kind == ElementKind::Module {
            String::new()
        } else {
            content
        },
        card,
        runs,
        questions: usize::try_from(questions).unwrap_or_default(),
        pass_percent,
        plan_item,
        cannot_include: cycle.is_none().then(|| NO_CYCLE.to_owned()),
        cycle: cycle_label,
    })
}

/// «Включить в план» for the current cycle. Including it again answers with the same item.
///
/// # Errors
/// `NotFound` for an unknown element; `Domain` without a cycle or for another specialty.
pub async fn include(
    db: &DatabaseConnection,
    user_id: i64,
    element_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let e = published(db, element_id).await?;
    let cycle = current_cycle(db, user_id)
        .await?
        .ok_or_else(|| AppError::Domain(NO_CYCLE.into()))?;
    let fits = element_specialty::Entity::find_by_id((e.id, cycle.specialty_id))
        .one(db)
        .await
        .map_err(db_err)?
        .is_some();
    if !fits {
        return Err(AppError::Domain(format!(
            "Этот элемент не предназначен для специальности «{}» текущего цикла: ЗЕТ за него в \
             этом цикле не засчитаются. Выберите другой цикл или другой элемент",
            specialty_name(db, cycle.specialty_id).await?
        )));
    }
    let at = now;
    plan_item::Entity::insert(plan_item::ActiveModel {
        user_id: Set(user_id),
        cycle_id: Set(cycle.id),
        element_id: Set(e.id),
        run_id: Set(None),
        status: Set(ItemStatus::Planned.code().into()),
        credits: Set(None),
        completed_on: Set(None),
        note: Set(None),
        applied_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([plan_item::Column::CycleId, plan_item::Column::ElementId])
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    plan_item::Entity::find()
        .filter(plan_item::Column::CycleId.eq(cycle.id))
        .filter(plan_item::Column::ElementId.eq(e.id))
        .one(db)
        .await
        .map_err(db_err)?
        .map(|i| i.id)
        .ok_or_else(|| crate::ssr::context::internal(&"plan item vanished after insert"))
}

pub(crate) async fn own_item(
    db: &impl ConnectionTrait,
    user_id: i64,
    item_id: i64,
) -> Result<(plan_item::Model, element::Model), AppError> {
    let item = plan_item::Entity::find_by_id(item_id)
        .filter(plan_item::Column::UserId.eq(user_id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let e = element::Entity::find_by_id(item.element_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    Ok((item, e))
}

async fn has_attempts(db: &impl ConnectionTrait, item_id: i64) -> Result<bool, AppError> {
    Ok(module_attempt::Entity::find()
        .filter(module_attempt::Column::PlanItemId.eq(item_id))
        .count(db)
        .await
        .map_err(db_err)?
        > 0)
}

/// Removes a plan item that is not started: no test taken, no code entered, no application.
///
/// # Errors
/// `NotFound` for someone else's item; `Domain` once it is started.
pub async fn remove(db: &DatabaseConnection, user_id: i64, item_id: i64) -> Result<(), AppError> {
    let txn = begin_write(db).await.map_err(db_err)?;
    let (item, _) = own_item(&txn, user_id, item_id).await?;
    if item.status != ItemStatus::Planned.code() || has_attempts(&txn, item.id).await? {
        return Err(AppError::Domain(
            "Обучение по этому элементу уже начато: удалить его из плана нельзя".into(),
        ));
    }
    plan_item::Entity::delete_many()
        .filter(plan_item::Column::Id.eq(item.id))
        .filter(plan_item::Column::Status.eq(ItemStatus::Planned.code()))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// The elements of plan items by id, and their providers' names by id.
///
/// # Errors
/// `Internal` on a database failure.
pub(crate) async fn elements_and_providers(
    db: &impl ConnectionTrait,
    items: &[plan_item::Model],
) -> Result<(HashMap<i64, element::Model>, HashMap<i64, String>), AppError> {
    let elements: HashMap<i64, element::Model> = element::Entity::find()
        .filter(element::Column::Id.is_in(items.iter().map(|i| i.element_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let providers = provider::Entity::find()
        .filter(
            provider::Column::Id.is_in(
                elements
                    .values()
                    .map(|e| e.provider_id)
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok((elements, providers))
}

/// The plan of the current cycle with its credits.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn plan(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<PlanView, AppError> {
    let Some(cycle) = current_cycle(db, user_id).await? else {
        return Ok(PlanView {
            cycle: None,
            items: Vec::new(),
            credits: None,
            sentence: NO_CYCLE.into(),
            chart_svg: String::new(),
        });
    };
    let items = plan_item::Entity::find()
        .filter(plan_item::Column::CycleId.eq(cycle.id))
        .filter(plan_item::Column::UserId.eq(user_id))
        .order_by_asc(plan_item::Column::CreatedAt)
        .order_by_asc(plan_item::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let (elements, providers) = elements_and_providers(db, &items).await?;
    // Every run of the plan's programmes: the chosen ones show their dates, the ones not
    // started yet can be applied for.
    let all_runs = programme_run::Entity::find()
        .filter(
            programme_run::Column::ElementId.is_in(
                elements
                    .values()
                    .filter(|e| e.kind == ElementKind::Programme.code())
                    .map(|e| e.id)
                    .collect::<Vec<_>>(),
            ),
        )
        .order_by_asc(programme_run::Column::StartsOn)
        .all(db)
        .await
        .map_err(db_err)?;
    let today = moscow_date(now);
    let run_dates: HashMap<i64, String> = all_runs
        .iter()
        .map(|r| {
            (
                r.id,
                date_range(Some(r.starts_on), Some(r.ends_on)).unwrap_or_default(),
            )
        })
        .collect();
    let mut open_runs: HashMap<i64, Vec<RunOption>> = HashMap::new();
    for r in all_runs.iter().filter(|r| r.starts_on > today) {
        open_runs.entry(r.element_id).or_default().push(RunOption {
            id: r.id,
            dates: run_dates.get(&r.id).cloned().unwrap_or_default(),
        });
    }
    let started: HashSet<i64> = module_attempt::Entity::find()
        .select_only()
        .column(module_attempt::Column::PlanItemId)
        .filter(
            module_attempt::Column::PlanItemId
                .is_in(items.iter().map(|i| i.id).collect::<Vec<_>>()),
        )
        .into_tuple::<i64>()
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .collect();
    let mut earned = Vec::new();
    let mut views = Vec::new();
    for i in items {
        let (Some(e), Some(status)) = (
            elements.get(&i.element_id),
            ItemStatus::from_code(&i.status),
        ) else {
            continue;
        };
        let Some(kind) = ElementKind::from_code(&e.kind) else {
            continue;
        };
        if let (true, Some(c), Some(on)) = (status.counts(), i.credits, i.completed_on) {
            earned.push(Earned {
                kind,
                credits: u32::try_from(c).unwrap_or_default(),
                completed_on: on,
            });
        }
        views.push(PlanItemView {
            id: i.id,
            element_id: e.id,
            kind,
            title: e.title.clone(),
            provider: providers.get(&e.provider_id).cloned().unwrap_or_default(),
            credits: e.credits,
            format: e.format.clone(),
            dates: date_range(e.starts_on, e.ends_on),
            status,
            status_label: status.label(kind).into(),
            earned: if status.counts() { i.credits } else { None },
            completed_on: i.completed_on.map(format_date),
            note: i.note,
            removable: status == ItemStatus::Planned && !started.contains(&i.id),
            run: i.run_id.and_then(|r| run_dates.get(&r).cloned()),
            run_id: i.run_id,
            runs: if matches!(status, ItemStatus::Planned | ItemStatus::Applied) {
                open_runs.get(&e.id).cloned().unwrap_or_default()
            } else {
                Vec::new()
            },
            application: i.applied_at.is_some() && i.run_id.is_some(),
        });
    }
    let credits = CycleCredits::compute(cycle.starts_on, &earned, settings.policy.credit_targets);
    Ok(PlanView {
        cycle: Some(PlanCycle {
            id: cycle.id,
            specialty: specialty_name(db, cycle.specialty_id).await?,
            period: cycle_period(cycle.starts_on, cycle.ends_on),
        }),
        items: views,
        sentence: credits.missing_sentence(today),
        chart_svg: credits.chart_svg(today),
        credits: Some(credits),
    })
}

/// A module's final test as saved: questions in order, each with its options in order.
///
/// # Errors
/// `Internal` on a database failure.
pub(crate) async fn questions_with_options(
    db: &impl ConnectionTrait,
    element_id: i64,
) -> Result<Vec<(module_question::Model, Vec<module_option::Model>)>, AppError> {
    let questions = module_question::Entity::find()
        .filter(module_question::Column::ElementId.eq(element_id))
        .order_by_asc(module_question::Column::Position)
        .order_by_asc(module_question::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut options: HashMap<i64, Vec<module_option::Model>> = HashMap::new();
    for o in module_option::Entity::find()
        .filter(
            module_option::Column::QuestionId
                .is_in(questions.iter().map(|q| q.id).collect::<Vec<_>>()),
        )
        .order_by_asc(module_option::Column::Position)
        .order_by_asc(module_option::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
    {
        options.entry(o.question_id).or_default().push(o);
    }
    Ok(questions
        .into_iter()
        .map(|q| {
            let opts = options.remove(&q.id).unwrap_or_default();
            (q, opts)
        })
        .collect())
}

/// A module with its test (without the answers) and the specialist's attempts.
///
/// # Errors
/// `NotFound` for someone else's item or an item that is not a module.
pub async fn module(
    db: &impl ConnectionTrait,
    user_id: i64,
    item_id: i64,
) -> Result<ModuleView, AppError> {
    let (item, e) = own_item(db, user_id, item_id).await?;
    if e.kind != ElementKind::Module.code() {
        return Err(AppError::NotFound);
    }
    let test = questions_with_options(db, e.id).await?;
    let attempts = module_attempt::Entity::find()
        .filter(module_attempt::Column::PlanItemId.eq(item.id))
        .order_by_desc(module_attempt::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(attempt_view)
        .collect();
    let provider = provider::Entity::find_by_id(e.provider_id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(|p| p.name)
        .unwrap_or_default();
    Ok(ModuleView {
        item_id: item.id,
        title: e.title,
        provider,
        content: e.content,
        credits: e.credits,
        pass_percent: e.pass_percent,
        // The options go out without which is right.
        questions: test
            .into_iter()
            .map(|(q, options)| QuestionView {
                options: options
                    .into_iter()
                    .map(|o| Choice {
                        id: o.id,
                        name: o.text,
                    })
                    .collect(),
                id: q.id,
                text: q.text,
            })
            .collect(),
        passed: item.status == ItemStatus::Passed.code(),
        attempts,
    })
}

fn attempt_view(a: module_attempt::Model) -> AttemptView {
    AttemptView {
        id: a.id,
        at: format_moscow(a.created_at),
        correct: a.correct,
        total: a.total,
        percent: score_percent(a.correct, a.total),
        passed: a.passed,
    }
}

/// Mails the specialist that credits were added.
pub(crate) async fn mail_credits(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    title: &str,
    credits: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(u) = user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(db_err)?
    else {
        return Ok(());
    };
    let n = u64::try_from(credits).unwrap_or_default();
    mailer::enqueue(
        db,
        settings,
        &u.email,
        "Зачислены баллы НМО",
        &format!(
            "Здравствуйте, {} {}!\n\nЗа «{title}» в ваш план зачислено {} ({n} ЗЕТ).\n\n\
             Мой план: {}/nmo/plan\n",
            u.first_name,
            u.middle_name.clone().unwrap_or_default(),
            count(n, POINTS),
            settings.public_url
        )
        .replace(" !", "!"),
        now,
    )
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Scores a final test here (the browser never sees the answers). A pass completes the item
/// once, adds its credits and mails the specialist; retakes are unlimited.
///
/// # Errors
/// `NotFound` for someone else's item; `Validation` on `answers` when a question is left
/// unanswered; `BadRequest` for an answer that is not one of the question's options.
pub async fn submit_test(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    item_id: i64,
    answers: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<AttemptView, AppError> {
    let (item, e) = own_item(db, user_id, item_id).await?;
    if e.kind != ElementKind::Module.code() {
        return Err(AppError::NotFound);
    }
    let questions = module_question::Entity::find()
        .filter(module_question::Column::ElementId.eq(e.id))
        .order_by_asc(module_question::Column::Position)
        .order_by_asc(module_question::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    if questions.is_empty() {
        return Err(AppError::Domain(
            "У этого модуля пока нет итогового теста".into(),
        ));
    }
    let options: HashMap<i64, module_option::Model> = module_option::Entity::find()
        .filter(
            module_option::Column::QuestionId
                .is_in(questions.iter().map(|q| q.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let known: HashSet<String> = questions.iter().map(|q| q.id.to_string()).collect();
    if answers.len() > questions.len() || answers.keys().any(|k| !known.contains(k)) {
        return Err(AppError::BadRequest(
            "Ответы не относятся к вопросам этого теста".into(),
        ));
    }
    let mut correct = 0i32;
    let mut unanswered = Vec::new();
    for (n, q) in questions.iter().enumerate() {
        let Some(chosen) = answers
            .get(&q.id.to_string())
            .filter(|a| !a.trim().is_empty())
        else {
            unanswered.push((n + 1).to_string());
            continue;
        };
        let option = chosen
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| options.get(&id))
            .filter(|o| o.question_id == q.id)
            .ok_or_else(|| AppError::BadRequest("Ответ не относится к вопросу теста".into()))?;
        if option.correct {
            correct += 1;
        }
    }
    if !unanswered.is_empty() {
        return Err(AppError::field(
            "answers",
            format!(
                "Ответьте на все вопросы: без ответа {} {}",
                if unanswered.len() == 1 {
                    "вопрос"
                } else {
                    "вопросы"
                },
                unanswered.join(", ")
            ),
        ));
    }
    let total = i32::try_from(questions.len()).unwrap_or(i32::MAX);
    let passed = passes(correct, total, e.pass_percent);
    let txn = begin_write(db).await.map_err(db_err)?;
    let attempt = module_attempt::ActiveModel {
        plan_item_id: Set(item.id),
        correct: Set(correct),
        total: Set(total),
        passed: Set(passed),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    if passed {
        let at = now;
        let done = plan_item::Entity::update_many()
            .col_expr(
                plan_item::Column::Status,
                Expr::value(ItemStatus::Passed.code()),
            )
            .col_expr(plan_item::Column::Credits, Expr::value(e.credits))
            .col_expr(plan_item::Column::CompletedOn, Expr::value(moscow_date(at)))
            .col_expr(plan_item::Column::UpdatedAt, Expr::value(at))
            .filter(plan_item::Column::Id.eq(item.id))
            .filter(plan_item::Column::Status.eq(ItemStatus::Planned.code()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if done.rows_affected == 1 {
            mail_credits(&txn, settings, user_id, &e.title, e.credits, now).await?;
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(attempt_view(attempt))
}

/// Reserves a place among the wrong codes of the last window; refuses beyond the limit with
/// the time the oldest one leaves it. Returns the reservation to release on success.
async fn reserve_code_attempt(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let at = now;
    let window = TimeDelta::from_std(settings.policy.code_failure_window).unwrap_or_default();
    let mine = code_attempt::ActiveModel {
        user_id: Set(user_id),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let recent = code_attempt::Entity::find()
        .filter(code_attempt::Column::UserId.eq(user_id))
        .filter(code_attempt::Column::CreatedAt.gt(at - window))
        .filter(code_attempt::Column::Id.lte(mine.id))
        .order_by_asc(code_attempt::Column::CreatedAt)
        .all(db)
        .await
        .map_err(db_err)?;
    if recent.len() > settings.policy.code_max_failures as usize {
        code_attempt::Entity::delete_by_id(mine.id)
            .exec(db)
            .await
            .map_err(db_err)?;
        let until = recent.first().map_or(at, |a| a.created_at) + window;
        return Err(AppError::TooManyRequests(format!(
            "Слишком много неверных кодов: за час можно ввести не больше {}. Попробуйте снова \
             после {} (МСК)",
            settings.policy.code_max_failures,
            format_moscow_time(until)
        )));
    }
    Ok(mine.id)
}

/// «Проверить код»: activates an ИКП for the event of `item_id`, once, for this specialist,
/// under any concurrency (a conditional UPDATE decides). The item waits for the provider.
///
/// # Errors
/// `Validation` on `code` for a malformed code or [`CODE_FAILED`]; `TooManyRequests` beyond
/// the hourly limit of wrong codes; `Domain` when this item already has a code.
pub async fn activate_code(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    item_id: i64,
    input: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if input.chars().count() > 100 {
        return Err(AppError::field("code", "Код подтверждения — 12 знаков"));
    }
    let code = Code::parse(input).map_err(|m| AppError::field("code", m))?;
    let (item, e) = own_item(db, user_id, item_id).await?;
    if e.kind != ElementKind::Event.code() {
        return Err(AppError::NotFound);
    }
    let open = [ItemStatus::Planned.code(), ItemStatus::Rejected.code()];
    if !open.contains(&item.status.as_str()) {
        return Err(AppError::Domain(
            "Код для этого мероприятия уже активирован".into(),
        ));
    }
    let reservation = reserve_code_attempt(db, settings, user_id, now).await?;
    let at = now;
    let txn = begin_write(db).await.map_err(db_err)?;
    let taken = confirmation_code::Entity::update_many()
        .col_expr(confirmation_code::Column::Status, Expr::value("activated"))
        .col_expr(confirmation_code::Column::UserId, Expr::value(user_id))
        .col_expr(confirmation_code::Column::PlanItemId, Expr::value(item.id))
        .col_expr(confirmation_code::Column::ActivatedAt, Expr::value(at))
        .filter(confirmation_code::Column::CodeHash.eq(hash_token(code.as_str())))
        .filter(confirmation_code::Column::ElementId.eq(e.id))
        .filter(confirmation_code::Column::Status.eq("issued"))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    if taken.rows_affected != 1 {
        txn.rollback().await.map_err(db_err)?;
        return Err(AppError::field("code", CODE_FAILED));
    }
    let moved = plan_item::Entity::update_many()
        .col_expr(
            plan_item::Column::Status,
            Expr::value(ItemStatus::CodeEntered.code()),
        )
        .col_expr(plan_item::Column::Note, Expr::value(Option::<String>::None))
        .col_expr(plan_item::Column::UpdatedAt, Expr::value(at))
        .filter(plan_item::Column::Id.eq(item.id))
        .filter(plan_item::Column::Status.is_in(open))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    if moved.rows_affected != 1 {
        // Another code for this item won a moment ago; this one stays unused.
        txn.rollback().await.map_err(db_err)?;
        code_attempt::Entity::delete_by_id(reservation)
            .exec(db)
            .await
            .map_err(db_err)?;
        return Err(AppError::Domain(
            "Код для этого мероприятия уже активирован".into(),
        ));
    }
    // A right code does not count toward the limit of wrong ones.
    code_attempt::Entity::delete_by_id(reservation)
        .exec(&txn)
        .await
        .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// Confirms (`Ok(None)`) or rejects (`Ok(Some(reason))`) an activated code, once: the code
/// moves only from `activated`, so the provider and the automatic check never both count it.
/// Returns whether this call made the change.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn settle_code(
    db: &DatabaseConnection,
    settings: &Settings,
    code_id: i64,
    reject: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let txn = begin_write(db).await.map_err(db_err)?;
    let Some(code) = confirmation_code::Entity::find_by_id(code_id)
        .one(&txn)
        .await
        .map_err(db_err)?
    else {
        return Ok(false);
    };
    let at = now;
    let moved = confirmation_code::Entity::update_many()
        .col_expr(
            confirmation_code::Column::Status,
            Expr::value(if reject.is_some() {
                "rejected"
            } else {
                "confirmed"
            }),
        )
        .col_expr(confirmation_code::Column::ReviewedAt, Expr::value(at))
        .col_expr(
            confirmation_code::Column::RejectReason,
            Expr::value(reject.map(str::to_owned)),
        )
        .filter(confirmation_code::Column::Id.eq(code_id))
        .filter(confirmation_code::Column::Status.eq("activated"))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    if moved.rows_affected != 1 {
        return Ok(false);
    }
    let (Some(item_id), Some(user_id)) = (code.plan_item_id, code.user_id) else {
        txn.commit().await.map_err(db_err)?;
        return Ok(true);
    };
    let e = element::Entity::find_by_id(code.element_id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let item = plan_item::Entity::update_many()
        .col_expr(plan_item::Column::UpdatedAt, Expr::value(at))
        .filter(plan_item::Column::Id.eq(item_id))
        .filter(plan_item::Column::Status.eq(ItemStatus::CodeEntered.code()));
    if let Some(reason) = reject {
        item.col_expr(
            plan_item::Column::Status,
            Expr::value(ItemStatus::Rejected.code()),
        )
        .col_expr(plan_item::Column::Note, Expr::value(reason))
        .exec(&txn)
        .await
        .map_err(db_err)?;
        if let Some(u) = user::Entity::find_by_id(user_id)
            .one(&txn)
            .await
            .map_err(db_err)?
        {
            mailer::enqueue(
                &txn,
                settings,
                &u.email,
                "Код подтверждения отклонён",
                &format!(
                    "Здравствуйте!\n\nОрганизатор мероприятия «{}» отклонил ваш код \
                     подтверждения.\nПричина: {reason}\n\nЕсли это ошибка, свяжитесь с \
                     организатором или введите другой код в плане: {}/nmo/plan\n",
                    e.title, settings.public_url
                ),
                now,
            )
            .await
            .map_err(db_err)?;
        }
    } else {
        // Credits count in the year the event ended (or the code was activated).
        let completed = e
            .ends_on
            .or(e.starts_on)
            .unwrap_or_else(|| moscow_date(code.activated_at.unwrap_or(at)));
        let done = item
            .col_expr(
                plan_item::Column::Status,
                Expr::value(ItemStatus::Confirmed.code()),
            )
            .col_expr(plan_item::Column::Credits, Expr::value(e.credits))
            .col_expr(plan_item::Column::CompletedOn, Expr::value(completed))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if done.rows_affected == 1 {
            mail_credits(&txn, settings, user_id, &e.title, e.credits, now).await?;
        }
    }
    txn.commit().await.map_err(db_err)?;
    Ok(true)
}

/// The automatic check: codes activated longer ago than the policy allows and not reviewed
/// are confirmed. Idempotent and safe on several instances at once. Returns how many.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn auto_confirm_due(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let cutoff = now - TimeDelta::from_std(settings.policy.code_auto_confirm).unwrap_or_default();
    let due: Vec<i64> = confirmation_code::Entity::find()
        .select_only()
        .column(confirmation_code::Column::Id)
        .filter(confirmation_code::Column::Status.eq("activated"))
        .filter(confirmation_code::Column::ActivatedAt.lte(cutoff))
        .order_by_asc(confirmation_code::Column::Id)
        .limit(500)
        .into_tuple::<i64>()
        .all(db)
        .await
        .map_err(db_err)?;
    let mut confirmed = 0;
    for id in due {
        if settle_code(db, settings, id, None, now).await? {
            confirmed += 1;
        }
    }
    Ok(confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_escaped("50%_!"), "%50!%!_!!%");
    }
}
