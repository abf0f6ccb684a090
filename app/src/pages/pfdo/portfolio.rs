//! «Портфолио»: the child's achievements, programmes and events, and the portfolio as a PDF.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::pfdo_activity::{PfdoAchievementAdd, PfdoAchievementRemove, pfdo_portfolio};
use crate::components::form::{
    Choice, Field, FormMessage, field_message, form_error, general_message, reset_on_success,
};
use crate::components::layout::{LoadError, Loading};
use crate::domain::pfdo::events::{LEVELS, RESULTS};
use crate::error::AppError;
use crate::model::pfdo::{AchievementView, PortfolioView};

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let query = use_query_map();
    let add = ServerAction::<PfdoAchievementAdd>::new();
    let remove = ServerAction::<PfdoAchievementRemove>::new();
    let portfolio = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| pfdo_portfolio(),
    );
    let remove_error = form_error(remove, PfdoAchievementRemove::PATH);
    let notice = move || {
        query.with(|q| {
            if q.get_str("added").is_some() {
                Some("Достижение добавлено в портфолио.")
            } else if q.get_str("removed").is_some() {
                Some("Достижение удалено.")
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Портфолио" />
        <h1>"Портфолио"</h1>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || general_message(&remove_error.get())) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match portfolio.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => view! { <Portfolio p remove /> }.into_any(),
                }
            })}
        </Suspense>
        <AddAchievement add />
    }
}

#[component]
fn Portfolio(p: PortfolioView, remove: ServerAction<PfdoAchievementRemove>) -> impl IntoView {
    view! {
        <section class="card">
            <p>{p.child.clone()}</p>
            <p><a href="/pfdo/portfolio.pdf" rel="external" download="portfolio.pdf" data-testid="portfolio-pdf">
                "Скачать портфолио (PDF)"</a></p>
        </section>
        <section class="card" aria-labelledby="achievements">
            <h2 id="achievements">"Достижения"</h2>
            {if p.achievements.is_empty() {
                view! { <p class="hint">"Достижений пока нет. Добавьте грамоты и дипломы ниже; организация, где учится ребёнок, может отметить их сама — тогда они будут подтверждены."</p> }.into_any()
            } else {
                view! {
                    <ul class="history" data-testid="achievements">
                        {p.achievements.into_iter().map(|a| view! { <Achievement a remove /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="studied">
            <h2 id="studied">"Программы"</h2>
            <Lines lines=p.programmes empty="Договоров об обучении пока нет." />
        </section>
        <section class="card" aria-labelledby="attended">
            <h2 id="attended">"Мероприятия"</h2>
            <Lines lines=p.events empty="Прошедших мероприятий, на которые ребёнок был записан, пока нет." />
        </section>
    }
}

#[component]
fn Lines(lines: Vec<String>, empty: &'static str) -> impl IntoView {
    if lines.is_empty() {
        view! { <p class="hint">{empty}</p> }.into_any()
    } else {
        view! { <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }
            .into_any()
    }
}

#[component]
fn Achievement(a: AchievementView, remove: ServerAction<PfdoAchievementRemove>) -> impl IntoView {
    let id = a.id;
    let confirmed = a.confirmed_by.clone();
    view! {
        <li data-testid="achievement">
            <p><strong>{a.title}</strong></p>
            <p class="hint">{a.date} " · " {a.level} " уровень · " {a.result}</p>
            {match confirmed {
                Some(by) => view! { <p class="badge badge--status-1">"Подтверждено: " {by}</p> }.into_any(),
                None => view! {
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <button type="submit" class="button button--ghost" data-testid="achievement-remove"
                            disabled=move || remove.pending().get()>"Удалить"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn AddAchievement(add: ServerAction<PfdoAchievementAdd>) -> impl IntoView {
    let error = form_error(add, PfdoAchievementAdd::PATH);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(add, form);
    let message =
        move |name: &'static str| Signal::derive(move || field_message(&error.get(), name));
    view! {
        <section class="card" aria-labelledby="add-achievement">
            <h2 id="add-achievement">"Добавить достижение"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=add node_ref=form>
                <Field id="achievement-title" name="title" label="Достижение" value=RwSignal::new(String::new())
                    error=message("title") hint="Например: Диплом II степени городского конкурса рисунка" />
                <Choice id="achievement-level" name="level" label="Уровень" options=&LEVELS error=message("level") />
                <Choice id="achievement-result" name="result" label="Результат" options=&RESULTS error=message("result") />
                <Field id="achievement-date" name="date" label="Дата" kind="date" value=RwSignal::new(String::new())
                    error=message("date") />
                <button type="submit" class="button button--primary" data-testid="achievement-add"
                    disabled=move || add.pending().get()>"Добавить"</button>
            </ActionForm>
        </section>
    }
}
