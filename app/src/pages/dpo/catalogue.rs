//! The ДПО course catalogue by year, with search and filters (a plain GET form, so it works the
//! same without JavaScript), and «Карточка курса» with «Записаться» and its confirmation.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{StatusBadge, Withdraw};
use crate::api::auth::urlencode;
use crate::api::dpo::{DpoApply, DpoWithdraw, dpo_catalogue, dpo_course};
use crate::components::form::{FormMessage, form_error, general_message};
use crate::components::layout::{LoadError, Loading, MeResource};
use crate::domain::dpo::{FORMATS, Funding};
use crate::domain::time::MONTHS;
use crate::model::Role;
use crate::model::dpo::{CatalogueQuery, CatalogueView, CourseCard, CourseRow};

const FIELDS: [&str; 8] = [
    "year", "q", "funding", "provider", "format", "month", "free", "page",
];

fn query_from(q: &leptos_router::params::ParamsMap) -> CatalogueQuery {
    let get = |k: &str| q.get_str(k).unwrap_or_default().to_owned();
    CatalogueQuery {
        year: get("year"),
        q: get("q"),
        funding: get("funding"),
        provider: get("provider"),
        format: get("format"),
        month: get("month"),
        free: get("free"),
        page: get("page"),
    }
}

/// The catalogue's address with `changes` applied (and the page reset unless it is changed).
fn link(q: &CatalogueQuery, changes: &[(&str, String)]) -> String {
    let value = |k: &str| -> String {
        if let Some((_, v)) = changes.iter().find(|(c, _)| *c == k) {
            return v.clone();
        }
        match k {
            "year" => q.year.clone(),
            "q" => q.q.clone(),
            "funding" => q.funding.clone(),
            "provider" => q.provider.clone(),
            "format" => q.format.clone(),
            "month" => q.month.clone(),
            "free" => q.free.clone(),
            _ => String::new(),
        }
    };
    let parts: Vec<String> = FIELDS
        .iter()
        .map(|k| (k, value(k)))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(&v)))
        .collect();
    format!("/dpo/courses?{}", parts.join("&"))
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map();
    let found = Resource::new(move || query.with(query_from), dpo_catalogue);
    view! {
        <Title text="Каталог курсов" />
        <h1>"Каталог курсов повышения квалификации"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let q = query.with_untracked(query_from);
                match found.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(v) => view! { <Catalogue v q /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Catalogue(v: CatalogueView, q: CatalogueQuery) -> impl IntoView {
    let year = v.year;
    let (page, pages) = (v.page, v.pages);
    let selected = |current: &str, value: &str| current == value;
    view! {
        <nav class="tabs" aria-label="Год">
            {v.years.iter().map(|y| view! {
                <a class="tabs__tab" href=link(&q, &[("year", y.to_string())])
                    aria-current=(*y == year).then_some("page") data-testid=format!("year-{y}")>{*y}</a>
            }).collect_view()}
        </nav>
        <form class="filters card" method="get" action="/dpo/courses" role="search">
            <input type="hidden" name="year" value=year.to_string() />
            <div class="field filters__q">
                <label for="dpo-q">"Шифр или название курса"</label>
                <input id="dpo-q" type="search" name="q" maxlength="200" value=q.q.clone() autocomplete="off"
                    placeholder="Например: ПК-2027-001 или наставничество" data-testid="dpo-q" />
            </div>
            <div class="field">
                <label for="dpo-funding">"Финансирование"</label>
                <select id="dpo-funding" name="funding">
                    <option value="">"Любое"</option>
                    {Funding::ALL.iter().map(|f| view! {
                        <option value=f.code() selected=selected(&q.funding, f.code())>{f.title()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="dpo-provider">"Организация"</label>
                <select id="dpo-provider" name="provider">
                    <option value="">"Любая"</option>
                    {v.providers.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=selected(&q.provider, &id.to_string())>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="dpo-format">"Форма обучения"</label>
                <select id="dpo-format" name="format">
                    <option value="">"Любая"</option>
                    {FORMATS.iter().map(|(c, t)| view! {
                        <option value=*c selected=selected(&q.format, c)>{*t}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="dpo-month">"Месяц начала"</label>
                <select id="dpo-month" name="month">
                    <option value="">"Любой"</option>
                    {MONTHS.iter().enumerate().map(|(i, m)| {
                        let n = (i + 1).to_string();
                        view! { <option value=n.clone() selected=selected(&q.month, &n)>{*m}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--check">
                <label class="check">
                    <input type="checkbox" name="free" value="1" checked=!q.free.is_empty() data-testid="dpo-free" />
                    "Есть свободные места"
                </label>
            </div>
            <div class="filters__actions">
                <button type="submit" class="button button--primary" data-testid="dpo-search">"Найти"</button>
                <a href=format!("/dpo/courses?year={year}")>"Сбросить"</a>
            </div>
        </form>
        <section class="card" aria-live="polite">
            <h2>"Курсы " {year} " года: " <span data-testid="dpo-total">{v.total}</span></h2>
            {if v.courses.is_empty() {
                view! { <p>"Ничего не нашлось. Попробуйте изменить запрос или сбросить фильтры."</p> }.into_any()
            } else {
                view! {
                    <ul class="elements" data-testid="dpo-courses">
                        {v.courses.into_iter().map(|c| view! { <CourseItem c /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(pages > 1).then(|| view! {
                <nav class="pager" aria-label="Страницы">
                    {(1..=pages).map(|n| view! {
                        <a href=link(&q, &[("page", n.to_string())]) aria-current=(n == page).then_some("page")>{n}</a>
                    }).collect_view()}
                </nav>
            })}
        </section>
    }
}

#[component]
fn CourseItem(c: CourseRow) -> impl IntoView {
    view! {
        <li class="element" data-testid="dpo-course">
            <p class="plan__kind">{c.code.clone()} " · " {c.funding.clone()} " · " {c.format.clone()}</p>
            <p class="element__title"><a href=format!("/dpo/courses/{}", c.id)>{c.title.clone()}</a></p>
            <p class="hint">{c.provider.clone()} " · " {c.hours} " ч. · " {c.dates.clone()}</p>
            <p>
                <span class="hint" data-testid="dpo-free-places">{format!("Свободных мест: {} из {}", c.free, c.places)}</span>
                {c.mine.clone().map(|m| view! { " " <span class="badge badge--applied">"Ваша заявка: " {m}</span> })}
            </p>
        </li>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let apply = ServerAction::<DpoApply>::new();
    let withdraw = ServerAction::<DpoWithdraw>::new();
    let id = move || params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok()));
    let card = Resource::new(
        move || {
            (
                id(),
                apply.version().get(),
                query.with(|q| q.get_str("withdrawn").is_some()),
            )
        },
        |(id, _, _)| async move {
            match id {
                Some(id) => dpo_course(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let apply_error = form_error(apply, DpoApply::PATH);
    let withdraw_error = form_error(withdraw, DpoWithdraw::PATH);
    let notice = move || {
        query.with(|q| {
            if q.get_str("applied").is_some() {
                Some("Ваша заявка на курс принята")
            } else if q.get_str("withdrawn").is_some() {
                Some("Заявка отозвана.")
            } else {
                None
            }
        })
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match card.await {
                    Err(e) => view! { <Title text="Курс" /> <LoadError error=e /> }.into_any(),
                    Ok(c) => view! {
                        <Title text=c.title.clone() />
                        <p><a href="/dpo/courses">"← Каталог курсов"</a></p>
                        {notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
                        <FormMessage message=Signal::derive(move || general_message(&apply_error.get()).or_else(|| general_message(&withdraw_error.get()))) />
                        <Card c apply withdraw confirming=query.with(|q| q.get_str("confirm").is_some()) />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Card(
    c: CourseCard,
    apply: ServerAction<DpoApply>,
    withdraw: ServerAction<DpoWithdraw>,
    confirming: bool,
) -> impl IntoView {
    let MeResource(me) = expect_context::<MeResource>();
    let id = c.id;
    let budget = c.budget;
    let title = c.title.clone();
    let code = c.code.clone();
    let action = if let Some(mine) = c.mine.clone() {
        view! {
            <div class="card" data-testid="dpo-mine">
                <h2>"Ваша заявка"</h2>
                <p><StatusBadge code=mine.status_code.clone() title=mine.status.clone() /></p>
                {mine.group.clone().map(|g| view! { <p data-testid="dpo-group">"Группа: " <strong>{g}</strong></p> })}
                <Withdraw a=mine from="course" action=withdraw />
            </div>
        }
        .into_any()
    } else if !c.teacher {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        None => view! { <p><a href="/login">"Войдите как педагог"</a>", чтобы записаться. Нет учётной записи? "
                            <a href="/register/teacher">"Регистрация педагога"</a></p> }.into_any(),
                        Some(m) if m.role == Role::SchoolHead => view! { <p class="hint">"Заявки педагогов вашей школы — на странице "
                            <a href="/dpo/school">"«Заявки педагогов»"</a>"."</p> }.into_any(),
                        Some(_) => view! { <p class="hint">"Записываются на курсы педагоги со своей учётной записью."</p> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    } else if let Some(why) = c.obstacle.clone() {
        view! { <p class="alert alert--info" data-testid="dpo-obstacle">{why}</p> }.into_any()
    } else if confirming {
        view! {
            <section class="card confirm" role="dialog" aria-modal="false" aria-labelledby="confirm-title"
                data-testid="dpo-confirm">
                <h2 id="confirm-title">"Записаться на курс?"</h2>
                <p>{code.clone()} " «" {title.clone()} "»"</p>
                <p>{if budget {
                    "Курс бюджетный: заявку согласует руководитель вашей образовательной организации, затем организация, которая проводит курс, зачислит вас в группу."
                } else {
                    "Курс платный: согласование руководителя не нужно, организация, которая проводит курс, зачислит вас в группу."
                }}</p>
                <div class="actions">
                    <ActionForm action=apply>
                        <input type="hidden" name="course_id" value=id.to_string() />
                        <button type="submit" class="button button--primary" data-testid="dpo-confirm-apply"
                            disabled=move || apply.pending().get()>"Да, записаться"</button>
                    </ActionForm>
                    <a class="button button--ghost" href=format!("/dpo/courses/{id}")>"Отмена"</a>
                </div>
            </section>
        }
        .into_any()
    } else {
        view! {
            <p><a class="button button--primary" href=format!("/dpo/courses/{id}?confirm=1") data-testid="dpo-apply">"Записаться"</a></p>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <p class="plan__kind">{c.code.clone()} " · " {c.funding.clone()}</p>
            <h1 data-testid="dpo-course-title">{c.title.clone()}</h1>
            <dl class="facts">
                <div><dt>"Организация"</dt><dd>{c.provider.clone()}</dd></div>
                <div><dt>"Контакты"</dt><dd>{c.provider_contacts.clone()}</dd></div>
                <div><dt>"Объём"</dt><dd>{c.hours} " ч."</dd></div>
                <div><dt>"Форма обучения"</dt><dd>{c.format.clone()}</dd></div>
                <div><dt>"Даты"</dt><dd>{c.dates.clone()}</dd></div>
                <div><dt>"Свободных мест"</dt><dd data-testid="dpo-card-free">{format!("{} из {}", c.free, c.places)}</dd></div>
            </dl>
            <h2>"Программа"</h2>
            {c.description.split('\n').map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
            <h2>"Группы"</h2>
            {if c.groups.is_empty() {
                view! { <p class="hint">"Группы ещё не сформированы."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr><th scope="col">"Группа"</th><th scope="col">"Даты"</th><th scope="col">"Зачислено"</th></tr></thead>
                            <tbody>
                                {c.groups.iter().map(|g| view! {
                                    <tr><td>{g.number.clone()}</td><td>{g.dates.clone()}</td><td>{format!("{} из {}", g.enrolled, g.capacity)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {action}
    }
}
