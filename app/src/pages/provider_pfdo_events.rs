//! The provider's ПФДО «Мероприятия и новости»: announcing an event and seeing who applied,
//! publishing news; and recording a pupil's achievement from a contract's card.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::pfdo_activity::{
    PfdoNewsPublish, ProviderAchievementAdd, ProviderEventCreate, provider_events,
};
use crate::components::form::{
    Choice, Field, FormMessage, TextArea, field_message, form_error, general_message,
    reset_on_success,
};
use crate::components::layout::{LoadError, Loading};
use crate::domain::pfdo::events::{LEVELS, RESULTS};
use crate::error::AppError;
use crate::model::pfdo::ProviderEventRow;
use crate::pages::pfdo::events::NewsList;

/// The message for `name` in `error`, as a signal for a field.
fn message(error: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || field_message(&error.get(), name))
}

fn empty() -> RwSignal<String> {
    RwSignal::new(String::new())
}

#[component]
pub fn ProviderEventsPage() -> impl IntoView {
    let query = use_query_map();
    let create = ServerAction::<ProviderEventCreate>::new();
    let publish = ServerAction::<PfdoNewsPublish>::new();
    let view_ = Resource::new(
        move || (create.version().get(), publish.version().get()),
        |_| provider_events(),
    );
    let notice = move || {
        query.with(|q| {
            if q.get_str("created").is_some() {
                Some("Мероприятие объявлено: родители детей подходящего возраста увидят его в разделе «Мероприятия».")
            } else if q.get_str("published").is_some() {
                Some("Новость опубликована.")
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Мероприятия и новости" />
        <h1>"Мероприятия и новости ПФДО"</h1>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match view_.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(v) => view! {
                        <section class="card" aria-labelledby="my-events">
                            <h2 id="my-events">"Мероприятия"</h2>
                            {if v.events.is_empty() {
                                view! { <p class="hint">"Мероприятий пока нет."</p> }.into_any()
                            } else {
                                view! { <ul class="history" data-testid="provider-events">
                                    {v.events.into_iter().map(|e| view! { <EventRow e /> }).collect_view()}
                                </ul> }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="my-news">
                            <h2 id="my-news">"Наши новости"</h2>
                            <NewsList items=v.news empty="Новостей пока нет." />
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
        <NewEvent create />
        <Publish publish />
    }
}

#[component]
fn EventRow(e: ProviderEventRow) -> impl IntoView {
    view! {
        <li data-testid="provider-event">
            <p><strong>{e.title}</strong></p>
            <p class="hint">{e.when} " · " {e.place} " · " {e.ages}</p>
            <p data-testid="provider-event-taken">{format!("Записано: {} из {}", e.taken, e.capacity)}</p>
            {(!e.applicants.is_empty()).then(|| view! {
                <details>
                    <summary>"Кто записан"</summary>
                    <ul>{e.applicants.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                </details>
            })}
        </li>
    }
}

#[component]
fn NewEvent(create: ServerAction<ProviderEventCreate>) -> impl IntoView {
    let error = form_error(create, ProviderEventCreate::PATH);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(create, form);
    view! {
        <section class="card" aria-labelledby="new-event">
            <h2 id="new-event">"Объявить мероприятие"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=create node_ref=form>
                <Field id="event-title" name="title" label="Название" value=empty() error=message(error, "title") />
                <TextArea id="event-description" name="description" label="Описание" error=message(error, "description") />
                <Field id="event-place" name="place" label="Место проведения" value=empty() error=message(error, "place")
                    maxlength=300 />
                <Field id="event-date" name="date" label="Дата" kind="date" value=empty() error=message(error, "date") />
                <Field id="event-time" name="time" label="Время начала (МСК)" kind="time" value=empty() error=message(error, "time") />
                <Field id="event-age-from" name="age_from" label="Возраст от, лет" kind="number" inputmode="numeric"
                    value=empty() error=message(error, "age_from") maxlength=2 />
                <Field id="event-age-to" name="age_to" label="Возраст до, лет" kind="number" inputmode="numeric"
                    value=empty() error=message(error, "age_to") maxlength=2 />
                <Field id="event-capacity" name="capacity" label="Количество мест" kind="number" inputmode="numeric"
                    value=empty() error=message(error, "capacity") maxlength=5 />
                <button type="submit" class="button button--primary" data-testid="event-create"
                    disabled=move || create.pending().get()>"Объявить"</button>
            </ActionForm>
        </section>
    }
}

/// «Опубликовать новость», for the provider and the operator alike.
#[component]
pub fn Publish(publish: ServerAction<PfdoNewsPublish>) -> impl IntoView {
    let error = form_error(publish, PfdoNewsPublish::PATH);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(publish, form);
    view! {
        <section class="card" aria-labelledby="publish-news">
            <h2 id="publish-news">"Опубликовать новость"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=publish node_ref=form>
                <Field id="news-title" name="title" label="Заголовок" value=empty() error=message(error, "title") />
                <TextArea id="news-body" name="body" label="Текст" error=message(error, "body") rows=6 />
                <button type="submit" class="button button--primary" data-testid="news-publish"
                    disabled=move || publish.pending().get()>"Опубликовать"</button>
            </ActionForm>
        </section>
    }
}

/// «Отметить достижение» on a contract's card: the provider records a pupil's achievement.
#[component]
pub fn RecordAchievement(contract_id: i64) -> impl IntoView {
    let add = ServerAction::<ProviderAchievementAdd>::new();
    let error = form_error(add, ProviderAchievementAdd::PATH);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(add, form);
    view! {
        <section class="card" aria-labelledby="record-achievement">
            <h2 id="record-achievement">"Отметить достижение ребёнка"</h2>
            <p class="hint">"Достижение появится в портфолио ребёнка как подтверждённое вашей организацией."</p>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=add node_ref=form>
                <input type="hidden" name="contract_id" value=contract_id.to_string() />
                <Field id="record-title" name="title" label="Достижение" value=empty() error=message(error, "title") />
                <Choice id="record-level" name="level" label="Уровень" options=&LEVELS error=message(error, "level") />
                <Choice id="record-result" name="result" label="Результат" options=&RESULTS error=message(error, "result") />
                <Field id="record-date" name="date" label="Дата" kind="date" value=empty() error=message(error, "date") />
                <button type="submit" class="button button--primary" data-testid="record-achievement"
                    disabled=move || add.pending().get()>"Добавить в портфолио"</button>
            </ActionForm>
        </section>
    }
}
