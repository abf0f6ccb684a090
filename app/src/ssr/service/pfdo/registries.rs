//! «Реестры» of the operator's municipality: the categories with the number of programmes of
//! each registry a certificate may use; the providers admitted to ПФДО with their limits; and
//! the programmes with their registry and whether the navigator shows them.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};

use super::applications::{open_codes, registry_limit};
use super::certificates::operator_municipality;
use crate::domain::contact::parse_text;
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::registry::Registry;
use crate::error::AppError;
use crate::model::pfdo::{
    CategoryLimits, NavigatorOption, OrganisationRow, ProgrammeRow, RegistriesView,
};
use crate::ssr::context::db_err;
use crate::ssr::db::{begin_write, is_unique_violation};
use crate::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_contract as contract,
    pfdo_district as district, pfdo_organisation as organisation, pfdo_programme as programme,
    provider,
};

/// The registries' limits of a category as typed, in the order of `Registry::ALL`.
#[derive(Debug, Clone, Default)]
pub struct CategoryForm {
    pub name: String,
    pub limits: [String; 4],
}

/// A provider's admission to the registry, or new limits for it.
#[derive(Debug, Clone, Default)]
pub struct OrganisationForm {
    pub address: String,
    pub district_id: String,
    pub inn: String,
    pub max_children: String,
    pub payer_limit: String,
}

fn field(name: &'static str) -> impl Fn(String) -> AppError {
    move |m| AppError::field(name, m)
}

/// A count typed into a form: 0 to `max`.
fn count(input: &str, name: &'static str, max: i32) -> Result<i32, AppError> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=max).contains(n))
        .ok_or_else(|| AppError::field(name, format!("Число от 0 до {max}")))
}

/// Everything the «Реестры» page shows.
///
/// # Errors
/// `Forbidden` for an account that is no operator's.
pub async fn view(db: &DatabaseConnection, operator_id: i64) -> Result<RegistriesView, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let cats = category::Entity::find()
        .filter(category::Column::MunicipalityId.eq(m.id))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut categories = Vec::new();
    for c in cats {
        let certificates = certificate::Entity::find()
            .filter(certificate::Column::CategoryId.eq(c.id))
            .count(db)
            .await
            .map_err(db_err)?;
        categories.push(CategoryLimits {
            id: c.id,
            limits: Registry::ALL
                .into_iter()
                .map(|r| (r, registry_limit(&c, r)))
                .collect(),
            name: c.name,
            certificates,
        });
    }
    let districts: Vec<district::Model> = district::Entity::find()
        .filter(district::Column::MunicipalityId.eq(m.id))
        .order_by_asc(district::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?;
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::MunicipalityId.eq(m.id))
        .all(db)
        .await
        .map_err(db_err)?;
    let admitted: Vec<i64> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::ProviderId)
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let providers: HashMap<i64, provider::Model> = provider::Entity::find()
        .filter(provider::Column::Status.eq("approved"))
        .order_by_asc(provider::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let name_of = |id: i64| {
        providers
            .get(&id)
            .map_or_else(String::new, |p| p.name.clone())
    };
    let mut organisations: Vec<OrganisationRow> = orgs
        .into_iter()
        .map(|o| OrganisationRow {
            provider_id: o.provider_id,
            name: name_of(o.provider_id),
            district: districts
                .iter()
                .find(|d| d.id == o.district_id)
                .map_or_else(String::new, |d| d.name.clone()),
            address: o.address,
            inn: o.inn,
            children: o.children,
            max_children: o.max_children,
            payer_used: Money(o.payer_used),
            payer_limit: Money(o.payer_limit),
        })
        .collect();
    organisations.sort_by(|a, b| a.name.cmp(&b.name));
    let mut candidates: Vec<NavigatorOption> = providers
        .values()
        .filter(|p| !admitted.contains(&p.id))
        .map(|p| NavigatorOption {
            value: p.id.to_string(),
            label: p.name.clone(),
        })
        .collect();
    candidates.sort_by(|a, b| a.label.cmp(&b.label));
    let progs = programme::Entity::find()
        .filter(programme::Column::MunicipalityId.eq(m.id))
        .order_by_asc(programme::Column::Title)
        .all(db)
        .await
        .map_err(db_err)?;
    let open: Vec<i64> = contract::Entity::find()
        .select_only()
        .column(contract::Column::ProgrammeId)
        .filter(contract::Column::ProgrammeId.is_in(progs.iter().map(|p| p.id)))
        .filter(contract::Column::Status.is_in(open_codes()))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    let programmes = progs
        .into_iter()
        .map(|p| ProgrammeRow {
            id: p.id,
            provider: name_of(p.provider_id),
            registry: Registry::from_code(&p.registry).unwrap_or(Registry::General),
            visible: p.visible,
            open_contracts: open.iter().filter(|id| **id == p.id).count() as u64,
            title: p.title,
        })
        .collect();
    Ok(RegistriesView {
        categories,
        organisations,
        candidates,
        districts: districts
            .into_iter()
            .map(|d| NavigatorOption {
                value: d.id.to_string(),
                label: d.name,
            })
            .collect(),
        programmes,
    })
}

/// Adds a category (`id` is `None`) or changes one of the municipality's.
///
/// # Errors
/// Field errors; `NotFound` for another municipality's category; a field error when the name is
/// taken.
pub async fn save_category(
    db: &DatabaseConnection,
    operator_id: i64,
    id: Option<i64>,
    form: &CategoryForm,
) -> Result<i64, AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let name =
        parse_text(&form.name, "Название категории", 3, 100, false).map_err(field("name"))?;
    let names = [
        "limit_certified",
        "limit_significant",
        "limit_paid",
        "limit_general",
    ];
    let mut limits = [0; 4];
    for (i, n) in names.into_iter().enumerate() {
        limits[i] = count(&form.limits[i], n, 100)?;
    }
    let taken = category::Entity::find()
        .filter(category::Column::MunicipalityId.eq(m.id))
        .filter(category::Column::Name.eq(&name))
        .one(db)
        .await
        .map_err(db_err)?
        .is_some_and(|c| Some(c.id) != id);
    if taken {
        return Err(AppError::field(
            "name",
            "Категория с таким названием уже есть",
        ));
    }
    let mut row = match id {
        Some(id) => category::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_err)?
            .filter(|c| c.municipality_id == m.id)
            .ok_or(AppError::NotFound)?
            .into(),
        None => category::ActiveModel {
            municipality_id: Set(m.id),
            ..Default::default()
        },
    };
    row.name = Set(name);
    row.limit_certified = Set(limits[0]);
    row.limit_significant = Set(limits[1]);
    row.limit_paid = Set(limits[2]);
    row.limit_general = Set(limits[3]);
    let saved = row.save(db).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field("name", "Категория с таким названием уже есть")
        } else {
            db_err(e)
        }
    })?;
    match saved.id {
        sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => Ok(id),
        sea_orm::ActiveValue::NotSet => Err(AppError::NotFound),
    }
}

/// Checks the limits of an organisation: the children and money it may take by certificates.
fn limits(form: &OrganisationForm) -> Result<(i32, i64), AppError> {
    let max_children = count(&form.max_children, "max_children", 100_000)?;
    let payer = Money::parse(&form.payer_limit)
        .map_err(|m| AppError::field("payer_limit", m))?
        .0;
    if !(0..=100_000_000_000).contains(&payer) {
        return Err(AppError::field(
            "payer_limit",
            "Лимит — от 0 до 1 000 000 000 ₽",
        ));
    }
    Ok((max_children, payer))
}

/// Admits an approved provider to the municipality's registry of providers.
///
/// # Errors
/// Field errors; `Domain` for a provider already in a registry or not approved.
pub async fn admit(
    db: &DatabaseConnection,
    operator_id: i64,
    provider_id: i64,
    form: &OrganisationForm,
) -> Result<(), AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let p = provider::Entity::find_by_id(provider_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|p| p.status == "approved")
        .ok_or_else(|| AppError::field("provider_id", "Выберите организацию из списка"))?;
    let address = parse_text(&form.address, "Адрес", 5, 300, false).map_err(field("address"))?;
    let district = match form.district_id.trim().parse::<i64>().ok() {
        Some(id) => district::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_err)?
            .filter(|d| d.municipality_id == m.id),
        None => None,
    }
    .ok_or_else(|| AppError::field("district_id", "Выберите район муниципалитета"))?;
    let inn = crate::domain::pfdo::parse_inn(&form.inn)
        .ok_or_else(|| AppError::field("inn", "ИНН — 10 или 12 цифр"))?;
    let (max_children, payer_limit) = limits(form)?;
    organisation::ActiveModel {
        provider_id: Set(p.id),
        municipality_id: Set(m.id),
        district_id: Set(district.id),
        address: Set(address),
        inn: Set(inn),
        max_children: Set(max_children),
        children: Set(0),
        payer_limit: Set(payer_limit),
        payer_used: Set(0),
    }
    .insert(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Domain(format!("«{}» уже есть в реестре поставщиков", p.name))
        } else {
            db_err(e)
        }
    })?;
    Ok(())
}

/// New limits for an organisation of the municipality; never below what it already took.
///
/// # Errors
/// Field errors; `NotFound` for another municipality's organisation.
pub async fn set_limits(
    db: &DatabaseConnection,
    operator_id: i64,
    provider_id: i64,
    form: &OrganisationForm,
) -> Result<(), AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let (max_children, payer_limit) = limits(form)?;
    // One conditional update, so a contract concluded meanwhile is never left above the limit.
    let done = organisation::Entity::update_many()
        .col_expr(organisation::Column::MaxChildren, Expr::value(max_children))
        .col_expr(organisation::Column::PayerLimit, Expr::value(payer_limit))
        .filter(organisation::Column::ProviderId.eq(provider_id))
        .filter(organisation::Column::MunicipalityId.eq(m.id))
        .filter(organisation::Column::Children.lte(max_children))
        .filter(organisation::Column::PayerUsed.lte(payer_limit))
        .exec(db)
        .await
        .map_err(db_err)?
        .rows_affected;
    if done == 1 {
        return Ok(());
    }
    let o = organisation::Entity::find_by_id(provider_id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|o| o.municipality_id == m.id)
        .ok_or(AppError::NotFound)?;
    if o.children > max_children {
        return Err(AppError::field(
            "max_children",
            format!(
                "У организации уже {} детей по сертификатам: лимит не может быть меньше",
                o.children
            ),
        ));
    }
    Err(AppError::field(
        "payer_limit",
        format!(
            "Организация уже получила {}: лимит не может быть меньше",
            Money(o.payer_used)
        ),
    ))
}

/// Moves a programme of the municipality to another registry, and shows or hides it in the
/// navigator. The registry stays while the programme has open contracts: certificates count
/// their registries by it.
///
/// # Errors
/// `NotFound` for another municipality's programme; a field error for an unknown registry or a
/// registry change with open contracts.
pub async fn set_programme(
    db: &DatabaseConnection,
    operator_id: i64,
    programme_id: i64,
    registry: &str,
    visible: bool,
) -> Result<(), AppError> {
    let m = operator_municipality(db, operator_id).await?;
    let r = Registry::from_code(registry)
        .ok_or_else(|| AppError::field("registry", "Выберите реестр"))?;
    // The programme's row lock orders this against an application taking a place in it: either
    // the application commits first and its contract is counted here, or its conditional
    // `UPDATE` (see `applications::take_place`) finds the registry changed and refuses.
    let txn = begin_write(db).await.map_err(db_err)?;
    let p = programme::Entity::find_by_id(programme_id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_err)?
        .filter(|p| p.municipality_id == m.id)
        .ok_or(AppError::NotFound)?;
    if p.registry != r.code() && open_contracts(&txn, p.id).await? > 0 {
        return Err(AppError::field(
            "registry",
            "По программе есть открытые заявки и договоры: реестр можно сменить, когда они закончатся",
        ));
    }
    programme::ActiveModel {
        id: Set(p.id),
        registry: Set(r.code().to_owned()),
        visible: Set(visible),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)
}

async fn open_contracts(db: &impl ConnectionTrait, programme_id: i64) -> Result<u64, AppError> {
    contract::Entity::find()
        .filter(contract::Column::ProgrammeId.eq(programme_id))
        .filter(contract::Column::Status.is_in(open_codes()))
        .count(db)
        .await
        .map_err(db_err)
}
