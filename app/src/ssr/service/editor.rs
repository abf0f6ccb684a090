//! The provider's editor: new ИОМ (text and final test), events (dates, place or online,
//! specialties, ЗЕТ) and ДПП ПК with dated runs, and changes to its own — never to others'.

use chrono::{DateTime, Utc};
use std::collections::HashSet;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::plan::questions_with_options;
use super::provider::{
    Draft, insert_element, insert_questions, insert_runs, insert_specialties, me,
};
use crate::domain::contact::{control_free, parse_date};
use crate::domain::nmo::catalogue::search_text;
use crate::domain::nmo::editor::{parse_questions, parse_runs, questions_text, runs_text};
use crate::domain::nmo::plan::{ElementKind, date_range};
use crate::error::{AppError, FieldError};
use crate::model::plan::{Choice, EditorData, ElementInput};
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_foreign_key_violation};
use crate::ssr::entities::{
    element, element_specialty, module_option, module_question, plan_item, programme_run, specialty,
};

const MAX_CONTENT: usize = 20_000;
pub const CONTROL_CHARACTERS: &str =
    "Уберите служебные символы: в тексте есть невидимые управляющие знаки";

fn kind_of(code: &str) -> Result<ElementKind, AppError> {
    ElementKind::from_code(code)
        .ok_or_else(|| AppError::BadRequest("Вид элемента: module, event или programme".into()))
}

async fn all_specialties(db: &impl ConnectionTrait) -> Result<Vec<Choice>, AppError> {
    Ok(specialty::Entity::find()
        .order_by_asc(specialty::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| Choice {
            id: s.id,
            name: s.name,
        })
        .collect())
}

/// A module's test as the editor writes it: texts, and which option is right.
async fn saved_questions(
    db: &impl ConnectionTrait,
    element_id: i64,
) -> Result<Vec<(String, Vec<(String, bool)>)>, AppError> {
    Ok(questions_with_options(db, element_id)
        .await?
        .into_iter()
        .map(|(q, options)| {
            (
                q.text,
                options.into_iter().map(|o| (o.text, o.correct)).collect(),
            )
        })
        .collect())
}

/// The editor's form: empty for a new element of `kind`, or an own element as it is.
///
/// # Errors
/// `NotFound` for another provider's element; `BadRequest` for an unknown kind.
pub async fn editor(
    db: &impl ConnectionTrait,
    user_id: i64,
    element_id: Option<i64>,
    kind: &str,
) -> Result<EditorData, AppError> {
    let owner = me(db, user_id).await?;
    let specialties = all_specialties(db).await?;
    let Some(id) = element_id else {
        let kind = kind_of(kind)?;
        return Ok(EditorData {
            element_id: None,
            kind,
            input: ElementInput {
                kind: kind.code().into(),
                credits: String::new(),
                format: "online".into(),
                pass_percent: "70".into(),
                ..ElementInput::default()
            },
            specialties,
        });
    };
    let e = element::Entity::find_by_id(id)
        .filter(element::Column::ProviderId.eq(owner.id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let kind = kind_of(&e.kind).map_err(|_| AppError::NotFound)?;
    let chosen = element_specialty::Entity::find()
        .filter(element_specialty::Column::ElementId.eq(e.id))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|s| (s.specialty_id.to_string(), "on".to_owned()))
        .collect();
    let questions = saved_questions(db, e.id).await?;
    let runs: Vec<_> = programme_run::Entity::find()
        .filter(programme_run::Column::ElementId.eq(e.id))
        .order_by_asc(programme_run::Column::StartsOn)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| (r.starts_on, r.ends_on))
        .collect();
    let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(EditorData {
        element_id: Some(e.id),
        kind,
        input: ElementInput {
            kind: kind.code().into(),
            title: e.title,
            summary: e.summary,
            content: e.content,
            credits: e.credits.to_string(),
            format: e.format,
            place: e.place.unwrap_or_default(),
            starts_on: if kind == ElementKind::Event {
                iso(e.starts_on)
            } else {
                String::new()
            },
            ends_on: if kind == ElementKind::Event {
                iso(e.ends_on)
            } else {
                String::new()
            },
            pass_percent: e.pass_percent.to_string(),
            specialties: chosen,
            questions: if questions.is_empty() {
                String::new()
            } else {
                questions_text(&questions)
            },
            runs: runs_text(&runs),
        },
        specialties,
    })
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks the form field by field and makes the element's draft.
fn validate(
    kind: ElementKind,
    input: &ElementInput,
    known: &HashSet<i64>,
) -> Result<Draft, AppError> {
    for (field, value, multiline) in [
        ("title", &input.title, false),
        ("summary", &input.summary, false),
        ("content", &input.content, true),
        ("place", &input.place, false),
        ("questions", &input.questions, true),
        ("runs", &input.runs, true),
    ] {
        if !control_free(value, multiline) {
            return Err(AppError::field(field, CONTROL_CHARACTERS));
        }
    }
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| errors.push(FieldError::new(field, message));
    let title = collapse(&input.title);
    if !(3..=300).contains(&title.chars().count()) {
        fail("title", "Название: от 3 до 300 знаков".into());
    }
    let summary = collapse(&input.summary);
    if !(1..=500).contains(&summary.chars().count()) {
        fail("summary", "Кратко опишите элемент: до 500 знаков".into());
    }
    let content = input.content.trim().replace("\r\n", "\n");
    if content.chars().count() > MAX_CONTENT {
        fail("content", "Текст — не длиннее 20 000 знаков".into());
    } else if kind == ElementKind::Module && content.is_empty() {
        fail("content", "Напишите учебный текст модуля".into());
    }
    let credits = match input.credits.trim().parse::<i32>() {
        Ok(n) if (1..=144).contains(&n) => n,
        _ => {
            fail(
                "credits",
                "ЗЕТ — целое число от 1 до 144 (1 ЗЕТ = 1 академический час)".into(),
            );
            0
        }
    };
    let format = input.format.trim().to_owned();
    if !matches!(format.as_str(), "online" | "offline") {
        fail("format", "Выберите формат: очно или дистанционно".into());
    }
    let place = collapse(&input.place);
    if place.chars().count() > 300 {
        fail("place", "Место — не длиннее 300 знаков".into());
    } else if kind != ElementKind::Module && format == "offline" && place.is_empty() {
        fail("place", "Укажите, где пройдёт обучение".into());
    }
    let (mut starts_on, mut ends_on) = (None, None);
    if kind == ElementKind::Event {
        starts_on = parse_date(&input.starts_on);
        ends_on = parse_date(&input.ends_on);
        match (starts_on, ends_on) {
            (None, _) => fail("starts_on", "Укажите дату начала".into()),
            (_, None) => fail("ends_on", "Укажите дату окончания".into()),
            (Some(a), Some(b)) if b < a => {
                fail("ends_on", "Окончание не может быть раньше начала".into())
            }
            _ => {}
        }
    }
    let mut pass_percent = 70;
    let mut questions = Vec::new();
    if kind == ElementKind::Module {
        match input.pass_percent.trim().parse::<i32>() {
            Ok(n) if (50..=100).contains(&n) => pass_percent = n,
            _ => fail("pass_percent", "Проходной порог — от 50 до 100 %".into()),
        }
        match parse_questions(&input.questions) {
            Ok(q) => questions = q,
            Err(m) => fail("questions", m),
        }
    }
    let mut runs = Vec::new();
    if kind == ElementKind::Programme {
        match parse_runs(&input.runs) {
            Ok(r) => runs = r,
            Err(m) => fail("runs", m),
        }
    }
    let mut specialties = Vec::new();
    for key in input.specialties.keys() {
        match key.parse::<i64>() {
            Ok(id) if known.contains(&id) => specialties.push(id),
            _ => return Err(AppError::BadRequest("Неизвестная специальность".into())),
        }
    }
    if specialties.is_empty() {
        fail("specialties", "Выберите хотя бы одну специальность".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Draft {
        kind,
        title,
        summary,
        content,
        credits,
        format: format.clone(),
        place: (!place.is_empty() && !(kind == ElementKind::Module)).then_some(place),
        starts_on,
        ends_on,
        pass_percent,
        specialties,
        questions,
        runs,
    })
}

/// Saves a new element (published at once) or changes an own one; returns its id. A changed
/// test replaces the old questions (attempts keep their scores); a run with applications cannot
/// be removed.
///
/// # Errors
/// `Validation` field by field; `NotFound` for another provider's element or another kind;
/// `BadRequest` for an unknown kind or specialty.
pub async fn save(
    db: &DatabaseConnection,
    user_id: i64,
    element_id: Option<i64>,
    input: &ElementInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let owner = me(db, user_id).await?;
    let kind = kind_of(&input.kind)?;
    let known: HashSet<i64> = all_specialties(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let draft = validate(kind, input, &known)?;
    let txn = begin_write(db).await.map_err(db_err)?;
    let Some(id) = element_id else {
        let id = insert_element(&txn, &owner, &draft, now).await?;
        txn.commit().await.map_err(db_err)?;
        return Ok(id);
    };
    // Saves of one element take turns (a row lock on PostgreSQL; SQLite's write lock already
    // serialises), so racing saves never insert the same specialty or question twice.
    let e = element::Entity::find_by_id(id)
        .filter(element::Column::ProviderId.eq(owner.id))
        .filter(element::Column::Kind.eq(kind.code()))
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    if kind == ElementKind::Programme {
        let existing = programme_run::Entity::find()
            .filter(programme_run::Column::ElementId.eq(e.id))
            .all(&txn)
            .await
            .map_err(db_err)?;
        let gone: Vec<&programme_run::Model> = existing
            .iter()
            .filter(|r| !draft.runs.contains(&(r.starts_on, r.ends_on)))
            .collect();
        let used: HashSet<i64> = plan_item::Entity::find()
            .select_only()
            .column(plan_item::Column::RunId)
            .filter(plan_item::Column::RunId.is_in(gone.iter().map(|r| r.id).collect::<Vec<_>>()))
            .into_tuple::<Option<i64>>()
            .all(&txn)
            .await
            .map_err(db_err)?
            .into_iter()
            .flatten()
            .collect();
        if let Some(r) = gone.iter().find(|r| used.contains(&r.id)) {
            return Err(AppError::field(
                "runs",
                format!(
                    "Цикл {} убрать нельзя: на него уже есть заявки",
                    date_range(Some(r.starts_on), Some(r.ends_on)).unwrap_or_default()
                ),
            ));
        }
        // On PostgreSQL a specialist may apply for a run between the check and the delete:
        // the reference then refuses the delete, and the provider is told to look again.
        let deleted = programme_run::Entity::delete_many()
            .filter(programme_run::Column::Id.is_in(gone.iter().map(|r| r.id).collect::<Vec<_>>()))
            .exec(&txn)
            .await;
        match deleted {
            Ok(_) => {}
            Err(e) if is_foreign_key_violation(&e) => {
                return Err(AppError::Conflict(
                    "Пока вы редактировали, на цикл обучения подали заявку: обновите страницу \
                     и сохраните снова"
                        .into(),
                ));
            }
            Err(e) => return Err(db_err(e)),
        }
        let kept: Vec<_> = existing.iter().map(|r| (r.starts_on, r.ends_on)).collect();
        let new: Vec<_> = draft
            .runs
            .iter()
            .filter(|r| !kept.contains(r))
            .copied()
            .collect();
        insert_runs(&txn, e.id, &new).await?;
    }
    // The test is replaced only when it changed: a specialist taking it keeps valid answers.
    if kind == ElementKind::Module && saved_questions(&txn, e.id).await? != draft.questions {
        let questions: Vec<i64> = module_question::Entity::find()
            .select_only()
            .column(module_question::Column::Id)
            .filter(module_question::Column::ElementId.eq(e.id))
            .into_tuple()
            .all(&txn)
            .await
            .map_err(db_err)?;
        module_option::Entity::delete_many()
            .filter(module_option::Column::QuestionId.is_in(questions.clone()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        module_question::Entity::delete_many()
            .filter(module_question::Column::Id.is_in(questions))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        insert_questions(&txn, e.id, &draft.questions).await?;
    }
    element_specialty::Entity::delete_many()
        .filter(element_specialty::Column::ElementId.eq(e.id))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    insert_specialties(&txn, e.id, &draft.specialties).await?;
    let (starts_on, ends_on) = if kind == ElementKind::Programme {
        (
            draft.runs.iter().map(|r| r.0).min(),
            draft.runs.iter().map(|r| r.1).max(),
        )
    } else {
        (draft.starts_on, draft.ends_on)
    };
    element::Entity::update_many()
        .col_expr(element::Column::Title, Expr::value(draft.title.clone()))
        .col_expr(element::Column::Summary, Expr::value(draft.summary.clone()))
        .col_expr(element::Column::Content, Expr::value(draft.content.clone()))
        .col_expr(element::Column::Credits, Expr::value(draft.credits))
        .col_expr(element::Column::Format, Expr::value(draft.format.clone()))
        .col_expr(element::Column::Place, Expr::value(draft.place.clone()))
        .col_expr(element::Column::StartsOn, Expr::value(starts_on))
        .col_expr(element::Column::EndsOn, Expr::value(ends_on))
        .col_expr(
            element::Column::PassPercent,
            Expr::value(draft.pass_percent),
        )
        .col_expr(
            element::Column::SearchText,
            Expr::value(search_text(&draft.title, &draft.summary, &owner.name)),
        )
        .col_expr(element::Column::UpdatedAt, Expr::value(now))
        .filter(element::Column::Id.eq(e.id))
        .exec(&txn)
        .await
        .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(e.id)
}
