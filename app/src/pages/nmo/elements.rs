//! «Добавить элементы»: three tabs with search, filters and pages (a plain GET form, so it
//! works and can be bookmarked without JavaScript), and the page of one element.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::plan::{IncludeElement, get_element, search_elements};
use crate::components::form::{FormMessage, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::domain::nmo::plan::{ElementKind, format_label};
use crate::error::AppError;
use crate::model::plan::{ElementCard, ElementQuery, ElementSearch};
use leptos::server_fn::ServerFn as _;

/// The address of page `page` of the same search.
fn page_link(f: &ElementQuery, page: u64) -> String {
    let page = page.to_string();
    let parts: Vec<String> = [
        ("kind", &f.kind),
        ("q", &f.q),
        ("specialty", &f.specialty),
        ("provider", &f.provider),
        ("from", &f.from),
        ("to", &f.to),
        ("credits_min", &f.credits_min),
        ("credits_max", &f.credits_max),
        ("format", &f.format),
        ("page", &page),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", crate::api::auth::urlencode(v)))
    .collect();
    format!("/nmo/elements?{}", parts.join("&"))
}

#[component]
pub fn ElementsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get_str(k).unwrap_or_default().to_owned();
            ElementQuery {
                kind: get("kind"),
                q: get("q"),
                specialty: get("specialty"),
                provider: get("provider"),
                from: get("from"),
                to: get("to"),
                credits_min: get("credits_min"),
                credits_max: get("credits_max"),
                format: get("format"),
                page: get("page"),
            }
        })
    });
    let results = Resource::new(move || filters.get(), search_elements);
    let kind = Memo::new(move |_| {
        ElementKind::from_code(&filters.get().kind).unwrap_or(ElementKind::Module)
    });
    view! {
        <Title text="Добавить элементы" />
        <section class="card">
            <div class="card__head">
                <h1>"Добавить элементы"</h1>
                <a href="/nmo/plan">"← Мой план"</a>
            </div>
            <nav class="tabs" aria-label="Вид элементов">
                {ElementKind::ALL.into_iter().map(|k| view! {
                    <a class="tabs__tab" href=format!("/nmo/elements?kind={}", k.code())
                        aria-current=move || (kind.get() == k).then_some("page")>{k.tab()}</a>
                }).collect_view()}
            </nav>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match results.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! {
                            <LoadError error=e />
                            <p><a href=format!("/nmo/elements?kind={}", kind.get_untracked().code())>"Сбросить фильтры"</a></p>
                        }.into_any(),
                        Ok(found) => view! { <Results found filters=filters.get_untracked() kind=kind.get_untracked() /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Results(found: ElementSearch, filters: ElementQuery, kind: ElementKind) -> impl IntoView {
    let selected_specialty = found
        .specialty
        .map_or_else(|| "all".to_owned(), |s| s.to_string());
    let dated = kind != ElementKind::Module;
    let pages = found.pages;
    let page = found.page;
    view! {
        <form class="filters" method="get" action="/nmo/elements" role="search">
            <input type="hidden" name="kind" value=kind.code() />
            <div class="field filters__q">
                <label for="q">"Поиск"</label>
                <input id="q" name="q" type="search" maxlength="300" value=filters.q.clone()
                    placeholder="Название, тема или организация" />
            </div>
            <div class="field">
                <label for="specialty">"Специальность"</label>
                <select id="specialty" name="specialty">
                    <option value="all" selected=selected_specialty == "all">"Все специальности"</option>
                    {found.specialties.iter().map(|s| {
                        let v = s.id.to_string();
                        view! { <option value=v.clone() selected=v == selected_specialty>{s.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="provider">"Организация"</label>
                <select id="provider" name="provider">
                    <option value="">"Любая"</option>
                    {found.providers.iter().map(|p| {
                        let v = p.id.to_string();
                        view! { <option value=v.clone() selected=v == filters.provider>{p.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            {dated.then(|| view! {
                <div class="field">
                    <label for="from">"Даты: с"</label>
                    <input id="from" name="from" type="date" value=filters.from.clone() />
                </div>
                <div class="field">
                    <label for="to">"по"</label>
                    <input id="to" name="to" type="date" value=filters.to.clone() />
                </div>
            })}
            <div class="field">
                <label for="credits_min">"ЗЕТ от"</label>
                <input id="credits_min" name="credits_min" type="number" min="0" max="10000" inputmode="numeric" value=filters.credits_min.clone() />
            </div>
            <div class="field">
                <label for="credits_max">"ЗЕТ до"</label>
                <input id="credits_max" name="credits_max" type="number" min="0" max="10000" inputmode="numeric" value=filters.credits_max.clone() />
            </div>
            <div class="field">
                <label for="format">"Формат"</label>
                <select id="format" name="format">
                    <option value="" selected=filters.format.is_empty()>"Любой"</option>
                    <option value="offline" selected=filters.format == "offline">"Очно"</option>
                    <option value="online" selected=filters.format == "online">"Дистанционно"</option>
                </select>
            </div>
            <div class="filters__actions">
                <button type="submit" class="button button--primary">"Найти"</button>
                <a href=format!("/nmo/elements?kind={}", kind.code())>"Сбросить"</a>
            </div>
        </form>
        {(!found.has_cycle).then(|| view! {
            <div class="alert alert--info">"Чтобы включать элементы в план, добавьте документ о допуске: "
                <a href="/nmo/documents/new">"Добавить документ"</a></div>
        })}
        <p class="hint" role="status" data-testid="found">"Найдено: " {found.total}</p>
        {if found.items.is_empty() {
            view! { <p>"Ничего не найдено. Попробуйте убрать часть фильтров или выбрать «Все специальности»."</p> }.into_any()
        } else {
            view! {
                <ul class="elements">
                    {found.items.into_iter().map(|c| view! { <Card card=c /> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Страницы">
                {(1..=pages).map(|p| {
                    let href = page_link(&filters, p);
                    view! { <a href=href aria-current=(p == page).then_some("page")>{p}</a> }
                }).collect_view()}
            </nav>
        })}
    }
}

#[component]
fn Card(card: ElementCard) -> impl IntoView {
    view! {
        <li class="element" data-testid="element-card">
            <p class="plan__kind">{format_label(&card.format)} {card.dates.clone().map(|d| view! { " · " {d} })}
                " · " <strong>{card.credits} " ЗЕТ"</strong></p>
            <h2 class="element__title"><a href=format!("/nmo/elements/{}", card.id)>{card.title.clone()}</a></h2>
            <p>{card.summary.clone()}</p>
            <p class="hint">{card.provider.clone()}</p>
            {card.in_plan.clone().map(|s| view! { <p><span class="badge">"В плане: " {s}</span></p> })}
        </li>
    }
}

#[component]
pub fn ElementPage() -> impl IntoView {
    let params = use_params_map();
    let include = ServerAction::<IncludeElement>::new();
    let error = form_error(include, IncludeElement::PATH);
    let detail = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        |id| async move {
            let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
            get_element(id).await
        },
    );
    view! {
        <Title text="Элемент плана" />
        <FormMessage message=Signal::derive(move || general_message(&error.get())) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => {
                        let c = d.card.clone();
                        view! {
                            <Title text=c.title.clone() />
                            <article class="card">
                                <p class="plan__kind">{c.kind.one()}</p>
                                <h1>{c.title.clone()}</h1>
                                <dl class="facts">
                                    <dt>"Организация"</dt><dd>{c.provider.clone()}</dd>
                                    <dt>"ЗЕТ"</dt><dd>{c.credits}</dd>
                                    <dt>"Формат"</dt><dd>{format_label(&c.format)}</dd>
                                    {c.place.clone().map(|p| view! { <dt>"Место"</dt><dd>{p}</dd> })}
                                    {c.dates.clone().map(|p| view! { <dt>"Даты"</dt><dd>{p}</dd> })}
                                    <dt>"Специальности"</dt><dd>{c.specialties.join(", ")}</dd>
                                    {(d.questions > 0).then(|| view! {
                                        <dt>"Итоговый тест"</dt>
                                        <dd>{d.questions} " вопр., зачёт — от " {d.pass_percent} " % верных ответов; пересдавать можно без ограничений"</dd>
                                    })}
                                </dl>
                                <p>{c.summary.clone()}</p>
                                {(!d.content.is_empty()).then(|| d.content.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view())}
                                {(!d.runs.is_empty()).then(|| view! {
                                    <h2>"Циклы обучения"</h2>
                                    <ul>{d.runs.iter().map(|r| view! { <li>{r.dates.clone()}</li> }).collect_view()}</ul>
                                    <p class="hint">"Цикл обучения выбирается в плане, когда вы формируете заявку."</p>
                                })}
                                {match (d.plan_item, d.cannot_include.clone()) {
                                    (Some(item), _) => view! {
                                        <p><span class="badge">"В плане: " {c.in_plan.clone().unwrap_or_default()}</span> " "
                                           <a href=format!("/nmo/plan#item-{item}")>"Открыть в плане"</a></p>
                                    }.into_any(),
                                    (None, Some(reason)) => view! {
                                        <div class="alert alert--info">{reason} " " <a href="/nmo/documents/new">"Добавить документ"</a></div>
                                    }.into_any(),
                                    (None, None) => view! {
                                        <ActionForm action=include attr:class="inline-form">
                                            <input type="hidden" name="element_id" value=c.id.to_string() />
                                            <p class="hint">"В план цикла: " {d.cycle.clone().unwrap_or_default()}</p>
                                            <button type="submit" class="button button--primary">"Включить в план"</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}
                                <p><a href=format!("/nmo/elements?kind={}", c.kind.code())>"← К поиску"</a></p>
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
