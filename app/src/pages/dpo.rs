//! ДПО for teachers: «Мои курсы» (every application with its status and history, and the
//! notifications) and the зачётная книжка. The catalogue and the course card are in
//! [`catalogue`]; the school head's page in [`school`].

pub mod catalogue;
pub mod school;

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::dpo::{DpoWithdraw, NotificationsRead, dpo_mine, dpo_record_book};
use crate::components::form::{FormMessage, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::domain::dpo::WITHDRAW_VIA_SUPPORT;
use crate::error::AppError;
use crate::model::dpo::{ApplicationRow, NotificationRow};

/// The status as a badge.
#[component]
pub fn StatusBadge(code: String, title: String) -> impl IntoView {
    view! { <span class=format!("badge badge--{code}") data-testid="dpo-status">{title}</span> }
}

/// «Отозвать заявку», or why it is gone once the teacher is in a group. `from` tells where to
/// come back: `course` (the card) or the list. The page owns `action`, so its list follows it.
#[component]
pub fn Withdraw(
    a: ApplicationRow,
    from: &'static str,
    action: ServerAction<DpoWithdraw>,
) -> impl IntoView {
    if a.can_withdraw {
        view! {
            <ActionForm action>
                <input type="hidden" name="application_id" value=a.id.to_string() />
                <input type="hidden" name="from" value=from />
                <button type="submit" class="button button--ghost" data-testid="dpo-withdraw"
                    disabled=move || action.pending().get()>"Отозвать заявку"</button>
            </ActionForm>
        }
        .into_any()
    } else if a.status_code == "enrolled" {
        view! {
            <p class="hint" data-testid="dpo-withdraw-closed">{WITHDRAW_VIA_SUPPORT} " "
                <a href="/support">"Написать в техподдержку"</a></p>
        }
        .into_any()
    } else {
        ().into_any()
    }
}

/// One application: course, status, group, history; `withdraw` adds «Отозвать заявку».
#[component]
fn ApplicationItem(
    a: ApplicationRow,
    withdraw: Option<ServerAction<DpoWithdraw>>,
) -> impl IntoView {
    let history = a.history.clone();
    view! {
        <li class="element" data-testid="dpo-application">
            <p class="plan__kind">{a.code.clone()} " · " {a.funding.clone()} " · подана " {a.created.clone()}</p>
            <p class="element__title"><a href=format!("/dpo/courses/{}", a.course_id)>{a.title.clone()}</a></p>
            <p><StatusBadge code=a.status_code.clone() title=a.status.clone() />
                " " <span class="hint">{a.dates.clone()}</span></p>
            {a.group.clone().map(|g| view! { <p data-testid="dpo-group">"Группа: " <strong>{g}</strong></p> })}
            {a.reason.clone().map(|r| view! { <p data-testid="dpo-reason">"Причина отклонения: " {r}</p> })}
            {a.document_number.clone().map(|d| view! { <p>"Удостоверение № " {d}</p> })}
            <details>
                <summary>"История заявки"</summary>
                <ul class="history">
                    {history.into_iter().map(|h| view! { <li>{h.at} " — " {h.text}</li> }).collect_view()}
                </ul>
            </details>
            {withdraw.map(|action| view! { <Withdraw a=a.clone() from="list" action /> })}
        </li>
    }
}

/// The notifications with «Отметить прочитанными»; the page owns `read` and follows it.
#[component]
pub fn Notifications(
    items: Vec<NotificationRow>,
    read: ServerAction<NotificationsRead>,
) -> impl IntoView {
    let unread = items.iter().filter(|n| n.unread).count();
    view! {
        <section class="card" aria-labelledby="notifications">
            <h2 id="notifications">"Уведомления"</h2>
            {if items.is_empty() {
                view! { <p class="hint">"Уведомлений пока нет."</p> }.into_any()
            } else {
                view! {
                    <ul class="history" data-testid="notifications">
                        {items.into_iter().map(|n| view! {
                            <li class:unread=n.unread>
                                <span class="hint">{n.at}</span> " "
                                {if n.unread { "● " } else { "" }}
                                {match n.link {
                                    Some(l) => view! { <a href=l>{n.text}</a> }.into_any(),
                                    None => view! { <span>{n.text}</span> }.into_any(),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                    {(unread > 0).then(|| view! {
                        <ActionForm action=read>
                            <button type="submit" class="button button--ghost" data-testid="notifications-read">
                                "Отметить прочитанными (" {unread} ")"
                            </button>
                        </ActionForm>
                    })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn MyCoursesPage() -> impl IntoView {
    let query = use_query_map();
    let read = ServerAction::<NotificationsRead>::new();
    let withdraw = ServerAction::<DpoWithdraw>::new();
    let mine = Resource::new(
        move || {
            (
                query.with(|q| q.get_str("withdrawn").is_some()),
                read.version().get(),
                withdraw.version().get(),
            )
        },
        |_| dpo_mine(),
    );
    let withdraw_error = form_error(withdraw, DpoWithdraw::PATH);
    view! {
        <Title text="Мои курсы" />
        <h1>"Мои курсы"</h1>
        {move || query.with(|q| q.get_str("withdrawn").is_some()).then(|| view! {
            <div class="alert alert--info" role="status" data-testid="notice">"Заявка отозвана."</div>
        })}
        <FormMessage message=Signal::derive(move || general_message(&withdraw_error.get())) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match mine.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(m) => view! {
                        <p class="hint">{m.school}</p>
                        <section class="card" aria-labelledby="registrations">
                            <h2 id="registrations">"Все регистрации на курсы"</h2>
                            {if m.active.is_empty() {
                                view! { <p>"Заявок пока нет. Выберите курс в " <a href="/dpo/courses">"каталоге"</a> "."</p> }.into_any()
                            } else {
                                view! { <ul class="elements" data-testid="dpo-active">
                                    {m.active.into_iter().map(|a| view! { <ApplicationItem a withdraw=Some(withdraw) /> }).collect_view()}
                                </ul> }.into_any()
                            }}
                            <p><a class="button" href="/dpo/courses">"Каталог курсов"</a> " "
                               <a href="/dpo/record-book">"Зачётная книжка"</a></p>
                        </section>
                        {(!m.history.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="dpo-history">
                                <h2 id="dpo-history">"История: отклонённые и отозванные заявки"</h2>
                                <ul class="elements" data-testid="dpo-history">
                                    {m.history.into_iter().map(|a| view! { <ApplicationItem a withdraw=None /> }).collect_view()}
                                </ul>
                            </section>
                        })}
                        <Notifications items=m.notifications read />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RecordBookPage() -> impl IntoView {
    let book = Resource::new(|| (), |()| dpo_record_book());
    view! {
        <Title text="Зачётная книжка" />
        <h1>"Зачётная книжка"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match book.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(b) => view! {
                        <section class="card">
                            <dl class="facts">
                                <div><dt>"Педагог"</dt><dd>{b.teacher}</dd></div>
                                <div><dt>"Организация"</dt><dd>{b.school}</dd></div>
                                <div><dt>"Всего часов"</dt><dd data-testid="record-hours">{b.total_hours}</dd></div>
                            </dl>
                            {if b.rows.is_empty() {
                                view! { <p>"Законченных курсов пока нет: курс появится здесь, когда организация отметит, что вы его закончили."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="table" data-testid="record-book">
                                            <caption class="visually-hidden">"Пройденные курсы"</caption>
                                            <thead><tr>
                                                <th scope="col">"Шифр"</th><th scope="col">"Курс"</th><th scope="col">"Часов"</th>
                                                <th scope="col">"Даты"</th><th scope="col">"Группа"</th><th scope="col">"Удостоверение"</th>
                                            </tr></thead>
                                            <tbody>
                                                {b.rows.into_iter().map(|r| view! {
                                                    <tr>
                                                        <td>{r.code}</td>
                                                        <td>{r.title}<br /><span class="hint">{r.provider}</span></td>
                                                        <td>{r.hours}</td>
                                                        <td>{r.dates}</td>
                                                        <td>{r.group}</td>
                                                        <td>{r.document_number}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                            <p><a class="button" href="/dpo/record-book.pdf" rel="external" download="zachetnaya-knizhka.pdf"
                                data-testid="record-book-pdf">"Скачать PDF"</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
