//! «Навигатор»: programmes, organisations and events found as the parent types, the advanced filters,
//! the exclusion of programmes this certificate cannot be used for, and the ranking by the
//! preferred address; and a programme's page.

use crate::domain::time::moscow_date;
use std::collections::HashMap;

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _,
};

use super::applications::{open_codes, registry_limit};
use super::{current_certificate, find_period};
use crate::domain::nmo::catalogue::search_fold;
use crate::domain::nmo::plan::date_range;
use crate::domain::pfdo::age_on;
use crate::domain::pfdo::eligibility::{Facts, Place, first_obstacle};
use crate::domain::pfdo::money::Money;
use crate::domain::pfdo::registry::{Activity, Registry};
use crate::error::AppError;
use crate::model::pfdo::{
    GroupView, ModuleView, NavigatorOption, NavigatorQuery, NavigatorResult, OrganisationHit,
    ProgrammeCard, ProgrammeView,
};
use crate::ssr::context::db_err;
use crate::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_contract as contract,
    pfdo_district as district, pfdo_group as group, pfdo_lesson as lesson, pfdo_module as module,
    pfdo_municipality as municipality, pfdo_organisation as organisation,
    pfdo_programme as programme, provider,
};

const PAGE: usize = 20;

const WEEKDAYS: [&str; 7] = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];

pub fn ages(from: i32, to: i32) -> String {
    format!("{from}–{to} лет")
}

/// Everything the navigator needs about the programmes, loaded in a few queries.
struct Catalogue {
    programmes: Vec<programme::Model>,
    modules: HashMap<i64, Vec<module::Model>>,
    groups: HashMap<i64, Vec<group::Model>>,
    providers: HashMap<i64, provider::Model>,
    organisations: HashMap<i64, organisation::Model>,
    districts: HashMap<i64, district::Model>,
}

async fn catalogue(
    db: &impl ConnectionTrait,
    programmes: Vec<programme::Model>,
) -> Result<Catalogue, AppError> {
    let ids: Vec<i64> = programmes.iter().map(|p| p.id).collect();
    let mods = module::Entity::find()
        .filter(module::Column::ProgrammeId.is_in(ids.clone()))
        .order_by_asc(module::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let gs = group::Entity::find()
        .filter(group::Column::ModuleId.is_in(mods.iter().map(|m| m.id)))
        .order_by_asc(group::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let provider_ids: Vec<i64> = programmes.iter().map(|p| p.provider_id).collect();
    let providers = provider::Entity::find()
        .filter(provider::Column::Id.is_in(provider_ids.clone()))
        .all(db)
        .await
        .map_err(db_err)?;
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::ProviderId.is_in(provider_ids))
        .all(db)
        .await
        .map_err(db_err)?;
    let districts = district::Entity::find().all(db).await.map_err(db_err)?;
    let mut modules: HashMap<i64, Vec<module::Model>> = HashMap::new();
    for m in mods {
        modules.entry(m.programme_id).or_default().push(m);
    }
    let mut groups: HashMap<i64, Vec<group::Model>> = HashMap::new();
    for g in gs {
        groups.entry(g.module_id).or_default().push(g);
    }
    Ok(Catalogue {
        programmes,
        modules,
        groups,
        providers: providers.into_iter().map(|p| (p.id, p)).collect(),
        organisations: orgs.into_iter().map(|o| (o.provider_id, o)).collect(),
        districts: districts.into_iter().map(|d| (d.id, d)).collect(),
    })
}

impl Catalogue {
    fn groups_of(&self, programme_id: i64) -> impl Iterator<Item = &group::Model> {
        self.modules
            .get(&programme_id)
            .into_iter()
            .flatten()
            .flat_map(|m| self.groups.get(&m.id).into_iter().flatten())
    }

    /// The lowest price among the modules still open (a group not yet finished).
    fn min_price(&self, programme_id: i64, today: NaiveDate) -> Money {
        self.modules
            .get(&programme_id)
            .into_iter()
            .flatten()
            .filter(|m| {
                self.groups
                    .get(&m.id)
                    .into_iter()
                    .flatten()
                    .any(|g| g.ends_on >= today)
            })
            .map(|m| Money(m.price))
            .min()
            .unwrap_or(Money::ZERO)
    }

    fn free_places(&self, programme_id: i64, today: NaiveDate) -> i32 {
        self.groups_of(programme_id)
            .filter(|g| g.ends_on >= today)
            .map(|g| (g.capacity - g.taken).max(0))
            .sum()
    }
}

/// The certificate's context for the eligibility of programmes.
struct Holder {
    cert: certificate::Model,
    category: category::Model,
    balance: Option<i64>,
    used: HashMap<Registry, i64>,
    busy_modules: Vec<i64>,
    x: Option<(i32, i32)>,
}

async fn holder(
    db: &impl ConnectionTrait,
    cert: certificate::Model,
    now: DateTime<Utc>,
) -> Result<Holder, AppError> {
    let year = moscow_date(now).year();
    let category = category::Entity::find_by_id(cert.category_id)
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)?;
    let balance = find_period(db, cert.id, year).await?.map(|p| p.balance);
    let open = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(cert.id))
        .filter(contract::Column::Year.eq(year))
        .filter(contract::Column::Status.is_in(open_codes()))
        .all(db)
        .await
        .map_err(db_err)?;
    let progs: HashMap<i64, String> = programme::Entity::find()
        .filter(programme::Column::Id.is_in(open.iter().map(|c| c.programme_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p.registry))
        .collect();
    let mut used = HashMap::new();
    for c in &open {
        if let Some(r) = progs
            .get(&c.programme_id)
            .and_then(|r| Registry::from_code(r))
        {
            *used.entry(r).or_insert(0) += 1;
        }
    }
    let x = match cert.district_id {
        Some(id) => district::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_err)?
            .map(|d| (d.x, d.y)),
        None => None,
    };
    Ok(Holder {
        busy_modules: open.iter().map(|c| c.module_id).collect(),
        cert,
        category,
        balance,
        used,
        x,
    })
}

impl Holder {
    /// Why this certificate cannot be used for the programme at all (any module, any group).
    fn obstacle(&self, cat: &Catalogue, p: &programme::Model, today: NaiveDate) -> Option<String> {
        let registry = Registry::from_code(&p.registry).unwrap_or(Registry::Paid);
        let modules = cat
            .modules
            .get(&p.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let org = cat.organisations.get(&p.provider_id);
        first_obstacle(&Facts {
            age: age_on(self.cert.child_birth_date, today),
            age_from: p.age_from,
            age_to: p.age_to,
            same_module: !modules.is_empty()
                && modules.iter().all(|m| self.busy_modules.contains(&m.id)),
            registry,
            financed: self.cert.kind == "financed",
            balance: self.balance,
            place: if cat.free_places(p.id, today) == 0 {
                Place::AllGroupsFull
            } else {
                Place::Free
            },
            programme_title: p.title.clone(),
            programme_full: p.children >= p.max_children,
            provider_name: cat
                .providers
                .get(&p.provider_id)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            provider_full: org.is_some_and(|o| o.children >= o.max_children),
            payer_short: false,
            registry_used: self.used.get(&registry).copied().unwrap_or(0),
            registry_limit: registry_limit(&self.category, registry),
        })
    }
}

fn distance(a: (i32, i32), b: &district::Model) -> i64 {
    let dx = i64::from(a.0 - b.x);
    let dy = i64::from(a.1 - b.y);
    dx * dx + dy * dy
}

/// Searches the navigator. A parent's certificate is used for the eligibility filter and the
/// ranking; a guest sees everything.
///
/// # Errors
/// `BadRequest` for malformed filters.
#[allow(clippy::too_many_lines)]
pub async fn search(
    db: &DatabaseConnection,
    parent: Option<i64>,
    q: &NavigatorQuery,
    now: DateTime<Utc>,
) -> Result<NavigatorResult, AppError> {
    let today = moscow_date(now);
    let bad = |m: &str| AppError::BadRequest(m.to_owned());
    if q.q.chars().count() > 200 {
        return Err(bad("Запрос слишком длинный: не больше 200 символов"));
    }
    if !crate::domain::contact::control_free(&q.q, false) {
        return Err(bad("Запрос содержит служебные символы"));
    }
    let age = match q.age.trim() {
        "" => None,
        s => Some(
            s.parse::<i32>()
                .ok()
                .filter(|a| (0..=18).contains(a))
                .ok_or_else(|| bad("Возраст — число от 0 до 18"))?,
        ),
    };
    let month = match q.month.trim() {
        "" => None,
        s => Some(
            s.parse::<u32>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| bad("Месяц начала — от 1 до 12"))?,
        ),
    };
    let registry = match q.registry.trim() {
        "" => None,
        s => Some(Registry::from_code(s).ok_or_else(|| bad("Неизвестный реестр"))?),
    };
    let activity = match q.activity.trim() {
        "" => None,
        s => Some(Activity::from_code(s).ok_or_else(|| bad("Неизвестная направленность"))?),
    };
    let municipality_id = match q.municipality.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| bad("Неизвестный муниципалитет"))?,
        ),
    };
    let provider_id = match q.provider.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| bad("Неизвестная организация"))?,
        ),
    };
    let price_to = match q.price_to.trim() {
        "" => None,
        s => Some(Money::parse(s).map_err(|_| bad("Цена — число рублей"))?),
    };
    let holder = match parent {
        Some(user) => Some(holder(db, current_certificate(db, user).await?, now).await?),
        None => None,
    };
    let folded = search_fold(q.q.trim());
    let mut find = programme::Entity::find().filter(programme::Column::Visible.eq(true));
    if !folded.is_empty() {
        find = find.filter(programme::Column::SearchText.contains(&folded));
    }
    if let Some(r) = registry {
        find = find.filter(programme::Column::Registry.eq(r.code()));
    }
    if let Some(a) = activity {
        find = find.filter(programme::Column::Activity.eq(a.code()));
    }
    if let Some(m) = municipality_id {
        find = find.filter(programme::Column::MunicipalityId.eq(m));
    }
    if let Some(p) = provider_id {
        find = find.filter(programme::Column::ProviderId.eq(p));
    }
    if let Some(a) = age {
        find = find
            .filter(programme::Column::AgeFrom.lte(a))
            .filter(programme::Column::AgeTo.gte(a));
    }
    let found = find
        .order_by_asc(programme::Column::Title)
        .order_by_asc(programme::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let cat = catalogue(db, found).await?;
    let mut cards: Vec<(i64, ProgrammeCard)> = Vec::new();
    for p in &cat.programmes {
        if let Some(m) = month
            && !cat
                .groups_of(p.id)
                .any(|g| g.starts_on.month() == m && g.ends_on >= today)
        {
            continue;
        }
        let min_price = cat.min_price(p.id, today);
        if price_to.is_some_and(|limit| min_price > limit) {
            continue;
        }
        let obstacle = holder.as_ref().and_then(|h| h.obstacle(&cat, p, today));
        if q.eligible.is_some() && obstacle.is_some() {
            continue;
        }
        let org = cat.organisations.get(&p.provider_id);
        let district = org.and_then(|o| cat.districts.get(&o.district_id));
        let rank = match (holder.as_ref().and_then(|h| h.x), district) {
            (Some(at), Some(d)) => distance(at, d),
            _ => 0,
        };
        cards.push((
            rank,
            ProgrammeCard {
                id: p.id,
                title: p.title.clone(),
                provider: cat
                    .providers
                    .get(&p.provider_id)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                district: district.map(|d| d.name.clone()).unwrap_or_default(),
                registry: Registry::from_code(&p.registry).unwrap_or(Registry::Paid),
                activity: Activity::from_code(&p.activity)
                    .map(Activity::title)
                    .unwrap_or_default()
                    .into(),
                ages: ages(p.age_from, p.age_to),
                min_price,
                free_places: cat.free_places(p.id, today),
                obstacle,
            },
        ));
    }
    // Stable: equal distances keep the alphabetical order.
    cards.sort_by_key(|(rank, _)| *rank);
    let total = cards.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page = (q.page.unwrap_or(1).max(1) as usize).min(pages);
    let programmes = cards
        .into_iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .map(|(_, c)| c)
        .collect();
    let (organisations, events) = if folded.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            organisations(db, &folded).await?,
            super::events::upcoming(
                db,
                parent,
                &q.q,
                super::events::EventFilter {
                    municipality: municipality_id,
                    age,
                },
                5,
                now,
            )
            .await?
            .events,
        )
    };
    let municipalities = municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| NavigatorOption {
            value: m.id.to_string(),
            label: m.name,
        })
        .collect();
    let near = match &holder {
        Some(h) => match h.cert.district_id {
            Some(d) => cat.districts.get(&d).map(|d| d.name.clone()),
            None => None,
        },
        None => None,
    };
    Ok(NavigatorResult {
        programmes,
        organisations,
        events,
        total: total as u64,
        page: u32::try_from(page).unwrap_or(1),
        pages: u32::try_from(pages).unwrap_or(1),
        municipalities,
        near,
    })
}

async fn organisations(
    db: &impl ConnectionTrait,
    folded: &str,
) -> Result<Vec<OrganisationHit>, AppError> {
    let orgs = organisation::Entity::find().all(db).await.map_err(db_err)?;
    let providers: HashMap<i64, provider::Model> = provider::Entity::find()
        .filter(provider::Column::Id.is_in(orgs.iter().map(|o| o.provider_id)))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let counts = programme::Entity::find()
        .filter(programme::Column::Visible.eq(true))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .fold(HashMap::<i64, i64>::new(), |mut m, p| {
            *m.entry(p.provider_id).or_default() += 1;
            m
        });
    let mut hits: Vec<OrganisationHit> = orgs
        .into_iter()
        .filter_map(|o| {
            let p = providers.get(&o.provider_id)?;
            search_fold(&format!("{} {}", p.name, o.address))
                .contains(folded)
                .then(|| OrganisationHit {
                    id: p.id,
                    name: p.name.clone(),
                    address: o.address.clone(),
                    programmes: counts.get(&p.id).copied().unwrap_or(0),
                })
        })
        .collect();
    hits.sort_by(|a, b| a.name.cmp(&b.name));
    hits.truncate(10);
    Ok(hits)
}

/// A programme's page.
///
/// # Errors
/// `NotFound` for an unknown or hidden programme.
pub async fn programme_page(
    db: &DatabaseConnection,
    parent: Option<i64>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<ProgrammeView, AppError> {
    let p = programme::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .filter(|p| p.visible)
        .ok_or(AppError::NotFound)?;
    let cat = catalogue(db, vec![p.clone()]).await?;
    let today = moscow_date(now);
    let holder = match parent {
        Some(user) => Some(holder(db, current_certificate(db, user).await?, now).await?),
        None => None,
    };
    let group_ids: Vec<i64> = cat.groups_of(p.id).map(|g| g.id).collect();
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::GroupId.is_in(group_ids))
        .order_by_asc(lesson::Column::Weekday)
        .order_by_asc(lesson::Column::StartsAt)
        .all(db)
        .await
        .map_err(db_err)?;
    let modules = cat
        .modules
        .get(&p.id)
        .into_iter()
        .flatten()
        .map(|m| ModuleView {
            id: m.id,
            title: m.title.clone(),
            hours: m.hours,
            price: Money(m.price),
            normative_price: Money(m.normative_price),
            dates: date_range(Some(m.starts_on), Some(m.ends_on)).unwrap_or_default(),
            groups: cat
                .groups
                .get(&m.id)
                .into_iter()
                .flatten()
                .filter(|g| g.ends_on >= today)
                .map(|g| GroupView {
                    id: g.id,
                    name: g.name.clone(),
                    address: g.address.clone(),
                    teacher: g.teacher.clone(),
                    capacity: g.capacity,
                    free: (g.capacity - g.taken).max(0),
                    dates: date_range(Some(g.starts_on), Some(g.ends_on)).unwrap_or_default(),
                    lessons: lessons
                        .iter()
                        .filter(|l| l.group_id == g.id)
                        .map(|l| {
                            format!(
                                "{} {}–{}, {}",
                                WEEKDAYS[usize::try_from(l.weekday - 1).unwrap_or(0).min(6)],
                                l.starts_at,
                                l.ends_at,
                                l.room
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        // A module whose groups have all finished is history, not an offer.
        .filter(|m| !m.groups.is_empty())
        .collect();
    let provider = cat.providers.get(&p.provider_id);
    let org = cat.organisations.get(&p.provider_id);
    Ok(ProgrammeView {
        id: p.id,
        title: p.title.clone(),
        description: p.description.clone(),
        goals: p.goals.clone(),
        activity: Activity::from_code(&p.activity)
            .map(Activity::title)
            .unwrap_or_default()
            .into(),
        ages: ages(p.age_from, p.age_to),
        registry: Registry::from_code(&p.registry).unwrap_or(Registry::Paid),
        provider: provider.map(|x| x.name.clone()).unwrap_or_default(),
        provider_address: org.map(|o| o.address.clone()).unwrap_or_default(),
        provider_contacts: provider
            .map(|x| format!("{}, {}", x.phone, x.email))
            .unwrap_or_default(),
        modules,
        obstacle: holder.as_ref().and_then(|h| h.obstacle(&cat, &p, today)),
        can_apply: holder.is_some(),
    })
}
