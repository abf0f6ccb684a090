//! The provider's cabinet: its elements, ИКП batches, and the activations it reviews. A
//! provider reaches only its own elements and codes; anything else is «не найдено».

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng as _;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::plan::settle_code;
use crate::domain::contact::{full_name, refusal_reason};
use crate::domain::nmo::catalogue::search_text;
use crate::domain::nmo::code::{ALPHABET, Code, LENGTH, MAX_BATCH};
use crate::domain::nmo::plan::{ElementKind, code_status_label, date_range};
use crate::domain::time::format_moscow;
use crate::domain::words::count;
use crate::error::AppError;
use crate::model::plan::{ActivationView, EventActivations, IssuedCodes, ProviderElement};
use crate::ssr::context::db_err;
use crate::ssr::crypto::hash_token;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    code_batch, confirmation_code, element, element_specialty, module_option, module_question,
    plan_item, programme_run, provider, user,
};
use crate::ssr::settings::Settings;

/// The approved provider a user signs in for.
///
/// # Errors
/// `Forbidden` when the user is no approved provider's account.
pub async fn me(db: &impl ConnectionTrait, user_id: i64) -> Result<provider::Model, AppError> {
    provider::Entity::find()
        .filter(provider::Column::UserId.eq(user_id))
        .filter(provider::Column::Status.eq("approved"))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::Forbidden)
}

/// An element as a provider describes it, before it is saved.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: ElementKind,
    pub title: String,
    pub summary: String,
    pub content: String,
    pub credits: i32,
    /// `online` or `offline`.
    pub format: String,
    pub place: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub pass_percent: i32,
    pub specialties: Vec<i64>,
    /// Questions with their options; `true` marks the right one.
    pub questions: Vec<(String, Vec<(String, bool)>)>,
    /// Dated runs of a programme.
    pub runs: Vec<(NaiveDate, NaiveDate)>,
}

/// Saves a new published element with its specialties, questions and runs.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn insert_element(
    db: &impl ConnectionTrait,
    owner: &provider::Model,
    d: &Draft,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let at = now;
    let (starts_on, ends_on) = if d.runs.is_empty() {
        (d.starts_on, d.ends_on)
    } else {
        (
            d.runs.iter().map(|r| r.0).min(),
            d.runs.iter().map(|r| r.1).max(),
        )
    };
    let saved = element::ActiveModel {
        provider_id: Set(owner.id),
        kind: Set(d.kind.code().into()),
        title: Set(d.title.clone()),
        summary: Set(d.summary.clone()),
        content: Set(d.content.clone()),
        credits: Set(d.credits),
        format: Set(d.format.clone()),
        place: Set(d.place.clone()),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        pass_percent: Set(d.pass_percent),
        published: Set(true),
        search_text: Set(search_text(&d.title, &d.summary, &owner.name)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    insert_specialties(db, saved.id, &d.specialties).await?;
    insert_questions(db, saved.id, &d.questions).await?;
    insert_runs(db, saved.id, &d.runs).await?;
    Ok(saved.id)
}

/// Links an element to its specialties.
pub(crate) async fn insert_specialties(
    db: &impl ConnectionTrait,
    element_id: i64,
    specialties: &[i64],
) -> Result<(), AppError> {
    for s in specialties {
        element_specialty::ActiveModel {
            element_id: Set(element_id),
            specialty_id: Set(*s),
        }
        .insert(db)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// Saves a module's questions with their options, in order.
pub(crate) async fn insert_questions(
    db: &impl ConnectionTrait,
    element_id: i64,
    questions: &[(String, Vec<(String, bool)>)],
) -> Result<(), AppError> {
    for (qn, (text, options)) in questions.iter().enumerate() {
        let q = module_question::ActiveModel {
            element_id: Set(element_id),
            position: Set(i32::try_from(qn).unwrap_or_default()),
            text: Set(text.clone()),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(db_err)?;
        for (on, (text, correct)) in options.iter().enumerate() {
            module_option::ActiveModel {
                question_id: Set(q.id),
                position: Set(i32::try_from(on).unwrap_or_default()),
                text: Set(text.clone()),
                correct: Set(*correct),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(db_err)?;
        }
    }
    Ok(())
}

/// Saves a programme's dated runs; a run it already has (by dates) is left as it is.
pub(crate) async fn insert_runs(
    db: &impl ConnectionTrait,
    element_id: i64,
    runs: &[(NaiveDate, NaiveDate)],
) -> Result<(), AppError> {
    for (from, to) in runs {
        programme_run::Entity::insert(programme_run::ActiveModel {
            element_id: Set(element_id),
            starts_on: Set(*from),
            ends_on: Set(*to),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([
            programme_run::Column::ElementId,
            programme_run::Column::StartsOn,
            programme_run::Column::EndsOn,
        ])
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

fn tally(ids: impl Iterator<Item = i64>) -> HashMap<i64, u64> {
    let mut map = HashMap::new();
    for id in ids {
        *map.entry(id).or_insert(0) += 1;
    }
    map
}

/// The provider's elements, newest first, with inclusions and codes.
///
/// # Errors
/// `Forbidden` for a user who is not an approved provider.
pub async fn elements(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<ProviderElement>, AppError> {
    let owner = me(db, user_id).await?;
    let rows = element::Entity::find()
        .filter(element::Column::ProviderId.eq(owner.id))
        .order_by_desc(element::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let items: Vec<(i64, bool)> = plan_item::Entity::find()
        .select_only()
        .column(plan_item::Column::ElementId)
        .column_as(plan_item::Column::AppliedAt.is_not_null(), "applied")
        .filter(plan_item::Column::ElementId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let included = tally(items.iter().map(|i| i.0));
    let applications = tally(items.iter().filter(|i| i.1).map(|i| i.0));
    let codes: Vec<(i64, String)> = confirmation_code::Entity::find()
        .select_only()
        .column(confirmation_code::Column::ElementId)
        .column(confirmation_code::Column::Status)
        .filter(confirmation_code::Column::ElementId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let issued = tally(codes.iter().map(|c| c.0));
    let waiting = tally(codes.iter().filter(|c| c.1 == "activated").map(|c| c.0));
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            Some(ProviderElement {
                kind: ElementKind::from_code(&e.kind)?,
                included: included.get(&e.id).copied().unwrap_or(0),
                codes_issued: issued.get(&e.id).copied().unwrap_or(0),
                codes_waiting: waiting.get(&e.id).copied().unwrap_or(0),
                applications: applications.get(&e.id).copied().unwrap_or(0),
                dates: date_range(e.starts_on, e.ends_on),
                id: e.id,
                title: e.title,
                credits: e.credits,
                published: e.published,
            })
        })
        .collect())
}

/// An own element of one kind; anything else is «не найдено».
pub(crate) async fn own_element(
    db: &impl ConnectionTrait,
    owner: &provider::Model,
    element_id: i64,
    kind: ElementKind,
) -> Result<element::Model, AppError> {
    element::Entity::find_by_id(element_id)
        .filter(element::Column::ProviderId.eq(owner.id))
        .filter(element::Column::Kind.eq(kind.code()))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

fn fresh_code() -> Code {
    let mut rng = rand::rngs::OsRng;
    let mut indices = [0u8; LENGTH];
    for i in &mut indices {
        // Uniform below 35: `gen_range` rejects rather than folds, so no character is likelier.
        *i = rng.gen_range(0..u8::try_from(ALPHABET.len()).unwrap_or(35));
    }
    Code::from_indices(indices)
}

/// Issues `n` ИКП for an own event from the operating system's CSPRNG; returns them once (and
/// as CSV). Only their SHA-256 is stored.
///
/// # Errors
/// `Validation` on `count` outside 1–1000; `NotFound` for an element that is not the
/// provider's event.
pub async fn issue_codes(
    db: &DatabaseConnection,
    user_id: i64,
    element_id: i64,
    n: u32,
    now: DateTime<Utc>,
) -> Result<IssuedCodes, AppError> {
    if !(1..=MAX_BATCH).contains(&n) {
        return Err(AppError::field(
            "count",
            format!("Количество кодов — от 1 до {MAX_BATCH}"),
        ));
    }
    let owner = me(db, user_id).await?;
    let event = own_element(db, &owner, element_id, ElementKind::Event).await?;
    // A clash with an existing code (about one in 10¹⁸ per pair) just draws the batch again.
    for _ in 0..3 {
        let codes: Vec<Code> = (0..n).map(|_| fresh_code()).collect();
        let txn = begin_write(db).await.map_err(db_err)?;
        let batch = code_batch::ActiveModel {
            element_id: Set(event.id),
            issued_by: Set(Some(user_id)),
            count: Set(i32::try_from(n).unwrap_or(i32::MAX)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
        let rows = codes.iter().map(|c| confirmation_code::ActiveModel {
            element_id: Set(event.id),
            batch_id: Set(batch.id),
            code_hash: Set(hash_token(c.as_str())),
            status: Set("issued".into()),
            ..Default::default()
        });
        let mut clash = false;
        for chunk in rows.collect::<Vec<_>>().chunks(200) {
            match confirmation_code::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await
            {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => {
                    clash = true;
                    break;
                }
                Err(e) => return Err(db_err(e)),
            }
        }
        if clash {
            txn.rollback().await.map_err(db_err)?;
            continue;
        }
        txn.commit().await.map_err(db_err)?;
        let shown: Vec<String> = codes.iter().map(ToString::to_string).collect();
        return Ok(IssuedCodes {
            element_id: event.id,
            csv: codes_csv(&event.title, &shown),
            title: event.title,
            codes: shown,
        });
    }
    Err(crate::ssr::context::internal(
        &"code batch clashed three times",
    ))
}

/// `№;ИКП;Мероприятие`, with a BOM so spreadsheet programs read the Cyrillic.
pub fn codes_csv(title: &str, codes: &[String]) -> String {
    let title = title.replace('"', "\"\"");
    let mut csv = String::from("\u{feff}№;ИКП;Мероприятие\r\n");
    for (i, c) in codes.iter().enumerate() {
        csv.push_str(&format!("{};{c};\"{title}\"\r\n", i + 1));
    }
    csv
}

/// Activations of an own event's codes, newest first.
///
/// # Errors
/// `NotFound` for an element that is not the provider's event.
pub async fn activations(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    element_id: i64,
) -> Result<EventActivations, AppError> {
    let owner = me(db, user_id).await?;
    let event = own_element(db, &owner, element_id, ElementKind::Event).await?;
    let issued = confirmation_code::Entity::find()
        .filter(confirmation_code::Column::ElementId.eq(event.id))
        .count(db)
        .await
        .map_err(db_err)?;
    let used = confirmation_code::Entity::find()
        .filter(confirmation_code::Column::ElementId.eq(event.id))
        .filter(confirmation_code::Column::Status.ne("issued"))
        .order_by_desc(confirmation_code::Column::ActivatedAt)
        .order_by_desc(confirmation_code::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(used.iter().filter_map(|c| c.user_id).collect::<Vec<_>>()))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|u| {
            (
                u.id,
                full_name(&u.last_name, &u.first_name, u.middle_name.as_deref()),
            )
        })
        .collect();
    let hours = settings.policy.code_auto_confirm.as_secs() / 3600;
    Ok(EventActivations {
        element_id: event.id,
        title: event.title.clone(),
        dates: date_range(event.starts_on, event.ends_on),
        issued,
        unused: issued - used.len() as u64,
        items: used
            .into_iter()
            .map(|c| ActivationView {
                code_id: c.id,
                specialist: c
                    .user_id
                    .and_then(|u| names.get(&u).cloned())
                    .unwrap_or_else(|| "Учётная запись удалена".into()),
                activated_at: c.activated_at.map(format_moscow).unwrap_or_default(),
                status_label: code_status_label(&c.status).into(),
                status: c.status,
                reason: c.reject_reason,
            })
            .collect(),
        auto_confirm: count(hours, ["час", "часа", "часов"]),
    })
}

/// Confirms or rejects (with a reason the specialist is mailed) an activation of an own
/// event's code; returns the event's id.
///
/// # Errors
/// `NotFound` for another provider's code; `Validation` on `reason` when rejecting without
/// one; `Domain` when it was already reviewed (or confirmed automatically).
pub async fn review(
    db: &DatabaseConnection,
    settings: &Settings,
    user_id: i64,
    code_id: i64,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let owner = me(db, user_id).await?;
    let code = confirmation_code::Entity::find_by_id(code_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    own_element(db, &owner, code.element_id, ElementKind::Event).await?;
    let reason = if approve {
        String::new()
    } else {
        refusal_reason(reason, 500, "специалист").map_err(|m| AppError::field("reason", m))?
    };
    let changed = settle_code(
        db,
        settings,
        code.id,
        (!approve).then_some(reason.as_str()),
        now,
    )
    .await?;
    if !changed {
        return Err(AppError::Domain(
            "Эта активация уже проверена: обновите страницу".into(),
        ));
    }
    Ok(code.element_id)
}

/// Marks a provider account's element published or hidden (hidden ones leave the search, stay
/// in plans that have them).
///
/// # Errors
/// `NotFound` for another provider's element.
pub async fn set_published(
    db: &DatabaseConnection,
    user_id: i64,
    element_id: i64,
    published: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let owner = me(db, user_id).await?;
    let done = element::Entity::update_many()
        .col_expr(element::Column::Published, Expr::value(published))
        .col_expr(element::Column::UpdatedAt, Expr::value(now))
        .filter(element::Column::Id.eq(element_id))
        .filter(element::Column::ProviderId.eq(owner.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    if done.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_codes_use_the_alphabet_and_differ() {
        let a = fresh_code();
        let b = fresh_code();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), LENGTH);
        assert!(a.as_str().bytes().all(|c| ALPHABET.contains(&c)));
        assert_eq!(Code::parse(&a.to_string()).unwrap(), a);
    }

    #[test]
    fn the_csv_quotes_the_title() {
        let csv = codes_csv("Съезд «Терапия» \"2027\"", &["AB12-CD34EF56".into()]);
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("1;AB12-CD34EF56;\"Съезд «Терапия» \"\"2027\"\"\"\r\n"));
    }
}
