//! «Навигатор»: search as you type with the advanced filters (a plain GET form without
//! JavaScript, so results can be bookmarked), and a programme's page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::PfdoFrame;
use crate::api::pfdo::{pfdo_navigator, pfdo_programme};
use crate::components::layout::{LoadError, Loading};
use crate::domain::pfdo::registry::{Activity, Registry};
use crate::domain::time::MONTHS;
use crate::model::pfdo::{
    GroupView, ModuleView, NavigatorQuery, NavigatorResult, ProgrammeCard, ProgrammeView,
};

fn query_of(q: &leptos_router::params::ParamsMap) -> NavigatorQuery {
    let get = |k: &str| q.get_str(k).unwrap_or_default().to_owned();
    NavigatorQuery {
        q: get("q"),
        age: get("age"),
        month: get("month"),
        registry: get("registry"),
        municipality: get("municipality"),
        activity: get("activity"),
        price_to: get("price_to"),
        provider: get("provider"),
        eligible: q.get_str("eligible").map(str::to_owned),
        page: q.get_str("page").and_then(|p| p.parse().ok()),
    }
}

/// The address of page `page` of the same search.
fn page_link(f: &NavigatorQuery, page: u32) -> String {
    let page = page.to_string();
    let eligible = f.eligible.clone().unwrap_or_default();
    let parts: Vec<String> = [
        ("q", &f.q),
        ("age", &f.age),
        ("month", &f.month),
        ("registry", &f.registry),
        ("municipality", &f.municipality),
        ("activity", &f.activity),
        ("price_to", &f.price_to),
        ("provider", &f.provider),
        ("eligible", &eligible),
        ("page", &page),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", crate::api::auth::urlencode(v)))
    .collect();
    format!("/pfdo/navigator?{}", parts.join("&"))
}

#[component]
pub fn NavigatorPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(query_of));
    let results = Resource::new(move || filters.get(), pfdo_navigator);
    let start = filters.get_untracked();
    let start_eligible = start.eligible.is_some();
    let frame = use_context::<PfdoFrame>();
    let selected =
        move |k: &'static str| move || query.with(|q| q.get_str(k).unwrap_or_default().to_owned());
    view! {
        <Title text="Навигатор" />
        <section class="card">
            <h1>"Навигатор"</h1>
            // `data-live`: page.js searches again a moment after each change, in place.
            <form class="filters" method="get" action="/pfdo/navigator" role="search" data-live="">
                <div class="field filters__q">
                    <label for="q">"Поиск"</label>
                    <input id="q" name="q" type="search" maxlength="200" value=start.q.clone() autocomplete="off"
                        placeholder="Программа, организация или адрес" data-testid="navigator-q" />
                </div>
                <div class="field">
                    <label for="age">"Возраст ребёнка"</label>
                    <input id="age" name="age" type="number" min="0" max="18" inputmode="numeric" value=start.age.clone() />
                </div>
                <div class="field">
                    <label for="month">"Начало занятий"</label>
                    <select id="month" name="month" prop:value=selected("month")>
                        <option value="">"Любой месяц"</option>
                        {MONTHS.iter().enumerate().map(|(i, m)| {
                            let v = (i + 1).to_string();
                            view! { <option value=v.clone() selected=start.month == v>{*m}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="registry">"Реестр"</label>
                    <select id="registry" name="registry" prop:value=selected("registry")>
                        <option value="">"Все реестры"</option>
                        {Registry::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=start.registry == r.code()>{r.title()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="activity">"Направленность"</label>
                    <select id="activity" name="activity" prop:value=selected("activity")>
                        <option value="">"Любая"</option>
                        {Activity::ALL.into_iter().map(|a| view! {
                            <option value=a.code() selected=start.activity == a.code()>{a.title()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="municipality">"Муниципалитет"</label>
                    <Municipalities results />
                </div>
                <div class="field">
                    <label for="price_to">"Цена модуля до, ₽"</label>
                    <input id="price_to" name="price_to" type="number" min="0" inputmode="numeric" value=start.price_to.clone() />
                </div>
                {(!start.provider.is_empty()).then(|| view! {
                    <input type="hidden" name="provider" value=start.provider.clone() />
                })}
                {frame.map(|f| view! {
                    <Transition fallback=|| ()>
                        {move || { let checked = start_eligible; Suspend::new(async move {
                            f.cabinet.await.ok().map(|_| view! {
                                <div class="field filters__q">
                                    <label class="choice">
                                        <input type="checkbox" name="eligible" value="1" checked=checked
                                            data-testid="navigator-eligible" />
                                        " Исключить программы, на которые не получится записаться по моему сертификату"
                                    </label>
                                </div>
                            })
                        })}}
                    </Transition>
                })}
                <div class="filters__actions">
                    <button type="submit" class="button button--primary">"Найти"</button>
                    <a href="/pfdo/navigator" rel="external">"Сбросить фильтры"</a>
                </div>
            </form>
        </section>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match results.await {
                    Err(e) => view! { <section class="card"><LoadError error=e /></section> }.into_any(),
                    Ok(found) => view! { <Results found filters=filters.get_untracked() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Municipalities(
    results: Resource<Result<NavigatorResult, crate::error::AppError>>,
) -> impl IntoView {
    let query = use_query_map();
    view! {
        <Transition fallback=move || view! {
            <select id="municipality" name="municipality"><option value="">"Все"</option></select>
        }>
            {move || {
                let selected = query.with_untracked(|q| q.get_str("municipality").unwrap_or_default().to_owned());
                Suspend::new(async move {
                    let options = results.await.map(|r| r.municipalities).unwrap_or_default();
                    view! {
                        <select id="municipality" name="municipality">
                            <option value="">"Все"</option>
                            {options.into_iter().map(|o| view! {
                                <option value=o.value.clone() selected=o.value == selected>{o.label}</option>
                            }).collect_view()}
                        </select>
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn Results(found: NavigatorResult, filters: NavigatorQuery) -> impl IntoView {
    let pages = found.pages;
    let page = found.page;
    let near = found.near.clone();
    view! {
        {(!found.organisations.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Организации"</h2>
                <ul class="elements" data-testid="navigator-organisations">
                    {found.organisations.into_iter().map(|o| view! {
                        <li class="element">
                            <p class="element__title"><a href=format!("/pfdo/navigator?provider={}", o.id)>{o.name}</a></p>
                            <p class="hint">{o.address} " · программ: " {o.programmes}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!found.events.is_empty()).then(|| {
            let q = crate::api::auth::urlencode(&filters.q);
            view! {
                <section class="card">
                    <h2>"Мероприятия"</h2>
                    <ul class="elements" data-testid="navigator-events">
                        {found.events.into_iter().map(|e| view! {
                            <li class="element">
                                <p class="element__title"><a href=format!("/pfdo/events?q={q}#event-{}", e.id)>{e.title}</a></p>
                                <p class="hint">{e.when} " · " {e.provider} " · " {e.ages}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })}
        <section class="card" aria-live="polite">
            <h2>"Программы: " <span data-testid="navigator-total">{found.total}</span></h2>
            {match near {
                Some(d) => view! { <p class="hint">"Сначала — организации рядом с адресом из настроек (" {d} ")."</p> }.into_any(),
                None => ().into_any(),
            }}
            {if found.programmes.is_empty() {
                view! { <p>"Ничего не нашлось. Попробуйте изменить запрос или сбросить фильтры."</p> }.into_any()
            } else {
                view! {
                    <ul class="elements" data-testid="navigator-results">
                        {found.programmes.into_iter().map(|p| view! { <Card p /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(pages > 1).then(|| view! {
                <nav class="pager" aria-label="Страницы">
                    {(1..=pages).map(|n| view! {
                        <a href=page_link(&filters, n) aria-current=(n == page).then_some("page")>{n}</a>
                    }).collect_view()}
                </nav>
            })}
        </section>
    }
}

#[component]
fn Card(p: ProgrammeCard) -> impl IntoView {
    view! {
        <li class="element" data-testid="programme-card">
            <p class="plan__kind">
                <span class=format!("badge badge--reg-{}", p.registry.code())>{p.registry.title()}</span>
                " " {p.activity.clone()} " · " {p.ages.clone()}
            </p>
            <p class="element__title"><a href=format!("/pfdo/programmes/{}", p.id)>{p.title.clone()}</a></p>
            <p class="hint">{p.provider.clone()} {(!p.district.is_empty()).then(|| format!(" · {}", p.district))}</p>
            <p>"от " {p.min_price.to_string()} " за модуль · свободных мест: " {p.free_places}</p>
            {p.obstacle.map(|o| view! { <p class="hint" data-testid="programme-obstacle">"Записаться не получится: " {o}</p> })}
        </li>
    }
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let params = use_params_map();
    let programme = Resource::new(
        move || params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok())),
        |id| async move {
            match id {
                Some(id) => pfdo_programme(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match programme.await {
                    Err(e) => view! { <Title text="Программа" /><LoadError error=e /> }.into_any(),
                    Ok(p) => view! { <Programme p /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Programme(p: ProgrammeView) -> impl IntoView {
    let can_apply = p.can_apply;
    let blocked = p.obstacle.clone();
    view! {
        <Title text=p.title.clone() />
        <section class="card">
            <p><a href="/pfdo/navigator">"← Навигатор"</a></p>
            <p class="plan__kind">
                <span class=format!("badge badge--reg-{}", p.registry.code())>{p.registry.title()}</span>
                " " {p.activity.clone()} " · " {p.ages.clone()}
            </p>
            <h1>{p.title.clone()}</h1>
            <p>{p.description.clone()}</p>
            <h2>"Цели"</h2>
            <p>{p.goals.clone()}</p>
            <h2>"Организация"</h2>
            <dl class="facts">
                <dt>"Название"</dt><dd>{p.provider.clone()}</dd>
                <dt>"Адрес"</dt><dd>{p.provider_address.clone()}</dd>
                <dt>"Контакты"</dt><dd>{p.provider_contacts.clone()}</dd>
            </dl>
            {blocked.clone().map(|o| view! { <p class="alert alert--info" data-testid="programme-obstacle">"Записаться не получится: " {o}</p> })}
            {(!can_apply).then(|| view! {
                <p class="hint">"Чтобы записаться, "
                    <a href="/login">"войдите по номеру сертификата"</a> " ребёнка."</p>
            })}
        </section>
        {p.modules.into_iter().map(|m| view! { <Module m can_apply=can_apply && blocked.is_none() /> }).collect_view()}
    }
}

#[component]
fn Module(m: ModuleView, can_apply: bool) -> impl IntoView {
    view! {
        <section class="card" data-testid="module">
            <h2>{m.title.clone()}</h2>
            <p class="hint">{m.dates.clone()} " · " {m.hours} " ч · стоимость " {m.price.to_string()}
                " · нормативная стоимость " {m.normative_price.to_string()}</p>
            <ul class="elements">
                {m.groups.into_iter().map(|g| view! { <Group g can_apply /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Group(g: GroupView, can_apply: bool) -> impl IntoView {
    let full = g.free <= 0;
    view! {
        <li class="element" data-testid="group">
            <p class="element__title">{g.name.clone()}</p>
            <p class="hint">{g.address.clone()} {(!g.teacher.is_empty()).then(|| format!(" · педагог {}", g.teacher))}</p>
            <p>{g.dates.clone()}</p>
            <ul class="lessons">
                {g.lessons.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
            <p data-testid="group-free">{format!("Свободных мест: {} из {}", g.free.max(0), g.capacity)}</p>
            {(can_apply && !full).then(|| view! {
                <p><a class="button button--primary" href=format!("/pfdo/apply?group={}", g.id)
                    data-testid="group-apply">"Записаться"</a></p>
            })}
        </li>
    }
}
