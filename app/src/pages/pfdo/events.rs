//! «Новости» and «Мероприятия» of the child's municipality.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::PfdoFrame;
use crate::api::pfdo_activity::{PfdoEventApply, PfdoEventCancel, pfdo_events, pfdo_news};
use crate::components::form::{FormMessage, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::pfdo::{EventCard, NewsItem};

/// News items, newest first; `empty` when there are none.
#[component]
pub fn NewsList(items: Vec<NewsItem>, empty: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="hint">{empty}</p> }.into_any();
    }
    view! {
        <ul class="news" data-testid="news">
            {items.into_iter().map(|n| view! {
                <li class="card news__item">
                    <article aria-labelledby=format!("news-{}", n.id)>
                        <h2 id=format!("news-{}", n.id)>{n.title}</h2>
                        <p class="hint">{n.published} " · " {n.source}</p>
                        {n.body.split('\n').map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
                    </article>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn NewsPage() -> impl IntoView {
    let news = Resource::new(|| (), |()| pfdo_news());
    view! {
        <Title text="Новости" />
        <h1>"Новости"</h1>
        <p class="hint">"Новости оператора ПФДО вашего муниципалитета и организаций дополнительного образования."</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match news.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(items) => view! { <NewsList items empty="Новостей пока нет." /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let query = use_query_map();
    let apply = ServerAction::<PfdoEventApply>::new();
    let cancel = ServerAction::<PfdoEventCancel>::new();
    let q = move || query.with(|q| q.get_str("q").unwrap_or_default().to_owned());
    let events = Resource::new(
        move || (q(), apply.version().get(), cancel.version().get()),
        |(q, _, _)| pfdo_events(q),
    );
    if let Some(frame) = use_context::<PfdoFrame>() {
        frame.follow(move || apply.version().get() + cancel.version().get());
    }
    let apply_error = form_error(apply, PfdoEventApply::PATH);
    let cancel_error = form_error(cancel, PfdoEventCancel::PATH);
    let notice = move || {
        query.with(|q| {
            if q.get_str("applied").is_some() {
                Some("Заявка подана: ребёнок записан на мероприятие.")
            } else if q.get_str("cancelled").is_some() {
                Some("Заявка на мероприятие отменена.")
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Мероприятия" />
        <h1>"Мероприятия"</h1>
        <form class="filters" method="get" action="/pfdo/events" role="search">
            <div class="field filters__q">
                <label for="events-q">"Поиск мероприятий"</label>
                <input id="events-q" type="search" name="q" maxlength="200" value=q autocomplete="off"
                    placeholder="Например: выставка, турнир, концерт" data-testid="events-q" />
            </div>
            <div class="filters__actions">
                <button type="submit" class="button button--primary">"Найти"</button>
            </div>
        </form>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || general_message(&apply_error.get()).or_else(|| general_message(&cancel_error.get()))) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match events.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(v) if v.events.is_empty() => view! {
                        <p class="hint">"Предстоящих мероприятий не найдено."</p>
                    }.into_any(),
                    Ok(v) => {
                        let can_apply = v.can_apply;
                        view! {
                            <ul class="events" data-testid="events">
                                {v.events.into_iter().map(|e| view! { <Event e can_apply apply cancel q=q() /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Event(
    e: EventCard,
    can_apply: bool,
    apply: ServerAction<PfdoEventApply>,
    cancel: ServerAction<PfdoEventCancel>,
    /// The search the list was found by, kept across the action.
    q: String,
) -> impl IntoView {
    let id = e.id;
    let action = if !can_apply {
        view! { <p><a href="/login">"Войдите по номеру сертификата"</a>", чтобы подать заявку."</p> }.into_any()
    } else if e.applied {
        view! {
            <p class="badge badge--status-1" data-testid="event-applied">"Ребёнок записан"</p>
            <ActionForm action=cancel>
                <input type="hidden" name="event_id" value=id.to_string() />
                <input type="hidden" name="q" value=q.clone() />
                <button type="submit" class="button button--ghost" data-testid="event-cancel"
                    disabled=move || cancel.pending().get()>"Отменить заявку"</button>
            </ActionForm>
        }
        .into_any()
    } else if let Some(why) = e.obstacle.clone() {
        view! { <p class="hint" data-testid="event-obstacle">{why}</p> }.into_any()
    } else {
        view! {
            <ActionForm action=apply>
                <input type="hidden" name="event_id" value=id.to_string() />
                <input type="hidden" name="q" value=q />
                <button type="submit" class="button button--primary" data-testid="event-apply"
                    disabled=move || apply.pending().get()>"Подать заявку"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <li class="card" id=format!("event-{id}") data-testid="event">
            <h2>{e.title}</h2>
            <p class="hint">{e.when} " · " {e.place}</p>
            <p>{e.description}</p>
            <dl class="facts">
                <div><dt>"Организатор"</dt><dd>{e.provider}</dd></div>
                <div><dt>"Возраст"</dt><dd>{e.ages}</dd></div>
                <div><dt>"Свободных мест"</dt><dd data-testid="event-free">{format!("{} из {}", e.free, e.capacity)}</dd></div>
            </dl>
            {action}
        </li>
    }
}
