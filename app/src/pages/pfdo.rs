//! ПФДО pages of a child's certificate. Every page sits in one frame whose strip shows the
//! certificate's money and the children merged into the account; the strip stays mounted and
//! refetches after every navigation and every action, so the figures change without a reload.

pub mod apply;
pub mod contracts;
pub mod events;
pub mod navigator;
pub mod portfolio;
pub mod settings;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::pfdo::{PfdoSwitch, pfdo_cabinet};
use crate::components::form::{FormMessage, general_message, url_error};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::pfdo::{CabinetView, PeriodFigures};
use leptos::server_fn::ServerFn as _;

/// The certificate the frame shows, shared with the pages inside it.
#[derive(Clone, Copy)]
pub struct PfdoFrame {
    pub cabinet: Resource<Result<CabinetView, AppError>>,
    refresh: RwSignal<u64>,
}

impl PfdoFrame {
    /// Refetches the figures whenever `version` moves (an action finished).
    pub fn follow(self, version: impl Fn() -> usize + Send + Sync + 'static) {
        let refresh = self.refresh;
        Effect::new(move |before: Option<usize>| {
            let now = version();
            if before.is_some_and(|b| b != now) {
                refresh.update(|r| *r += 1);
            }
            now
        });
    }
}

#[component]
pub fn PfdoLayout() -> impl IntoView {
    let location = use_location();
    let refresh = RwSignal::new(0_u64);
    let cabinet = Resource::new(
        move || (location.pathname.get(), refresh.get()),
        |_| pfdo_cabinet(),
    );
    let frame = PfdoFrame { cabinet, refresh };
    provide_context(frame);
    let switch = ServerAction::<PfdoSwitch>::new();
    frame.follow(move || switch.version().get());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                cabinet.await.ok().map(|c| view! { <Strip cabinet=c switch /> })
            })}
        </Transition>
        <Outlet />
    }
}

/// The figures of the year a strip or card shows first: the current one.
fn current_period(c: &CabinetView) -> Option<&PeriodFigures> {
    c.periods.first()
}

#[component]
fn Strip(cabinet: CabinetView, switch: ServerAction<PfdoSwitch>) -> impl IntoView {
    let figures = if let Some(m) = cabinet.limit_message.clone() {
        view! { <p class="strip__note">{m}</p> }.into_any()
    } else if let Some(p) = current_period(&cabinet) {
        view! {
            <dl class="strip__money">
                <div><dt>"Баланс"</dt><dd data-testid="strip-balance">{p.balance.to_string()}</dd></div>
                <div><dt>"Резерв"</dt><dd data-testid="strip-reserve">{p.reserve.to_string()}</dd></div>
                <div><dt>"Оплачено"</dt><dd data-testid="strip-paid">{p.paid.to_string()}</dd></div>
            </dl>
        }
        .into_any()
    } else if cabinet.financed {
        view! { <p class="strip__note">"Номинал на этот год ещё не установлен"</p> }.into_any()
    } else {
        view! { <p class="strip__note">"Сертификат учёта: занятия оплачиваются семьёй или бесплатны"</p> }.into_any()
    };
    let others: Vec<_> = cabinet
        .children
        .iter()
        .filter(|c| !c.current)
        .cloned()
        .collect();
    view! {
        <section class="strip" aria-label="Сертификат" data-testid="cert-strip">
            <p class="strip__who">
                <strong data-testid="strip-child">{cabinet.child_name.clone()}</strong>
                <span class="hint">" · сертификат № " <span data-testid="strip-number">{cabinet.number.clone()}</span></span>
            </p>
            {figures}
            {(!others.is_empty()).then(|| view! {
                <div class="strip__children" role="group" aria-label="Другие дети">
                    <span class="hint">"Перейти к кабинету: "</span>
                    {others.into_iter().map(|c| view! {
                        <ActionForm action=switch attr:class="inline-form">
                            <input type="hidden" name="certificate_id" value=c.certificate_id.to_string() />
                            <button type="submit" class="button button--ghost" data-testid="switch-child">
                                {c.child_name} <span class="visually-hidden">{format!(", сертификат № {}", c.number)}</span>
                            </button>
                        </ActionForm>
                    }).collect_view()}
                </div>
            })}
        </section>
    }
}

/// «Кабинет»: the certificate's status, money for this year (and the next), the registries it
/// may still use, and the notifications.
#[component]
pub fn PfdoCabinetPage() -> impl IntoView {
    let frame = expect_context::<PfdoFrame>();
    let query = use_query_map();
    let switch_error = url_error(PfdoSwitch::PATH);
    let switched = move || {
        query.with(|q| {
            if q.get_str("switched").is_some() {
                Some("Открыт кабинет другого ребёнка.")
            } else if q.get_str("merged").is_some() {
                Some("Кабинеты объединены: открыт кабинет добавленного ребёнка. Переключаться между детьми можно вверху страницы.")
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Кабинет сертификата" />
        {move || switched().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || general_message(&switch_error.get())) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match frame.cabinet.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(c) => view! { <Cabinet cabinet=c /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Cabinet(cabinet: CabinetView) -> impl IntoView {
    let c = cabinet;
    let status_class = if c.activated {
        "badge badge--confirmed"
    } else {
        "badge badge--applied"
    };
    let not_active_note = (!c.activated).then(|| {
        view! {
            <p class="alert alert--info" data-testid="not-activated">
                "Сертификат ещё не активирован. Заявки подавать можно, но договор организация заключит "
                "только после активации сертификата оператором."
            </p>
        }
    });
    let money = if let Some(m) = c.limit_message.clone() {
        view! {
            <p class="alert alert--info" data-testid="limit-message">{m}</p>
        }
        .into_any()
    } else if c.financed && c.periods.is_empty() {
        view! { <p>"Номинал на текущий год ещё не установлен оператором."</p> }.into_any()
    } else if c.financed {
        view! {
            <div class="table-wrap">
                <table class="table money">
                    <caption class="visually-hidden">"Средства сертификата по годам"</caption>
                    <thead><tr>
                        <th scope="col">"Год"</th><th scope="col">"Номинал"</th>
                        <th scope="col">"Баланс (остаток)"</th><th scope="col">"Резерв"</th>
                        <th scope="col">"Оплачено"</th>
                    </tr></thead>
                    <tbody>
                        {c.periods.iter().map(|p| view! {
                            <tr data-testid=format!("period-{}", p.year)>
                                <th scope="row">{p.year}</th>
                                <td data-testid="nominal">{p.nominal.to_string()}</td>
                                <td data-testid="balance">{p.balance.to_string()}</td>
                                <td data-testid="reserve">{p.reserve.to_string()}</td>
                                <td data-testid="paid">{p.paid.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="hint">"Баланс — деньги, которые можно направить на новые заявки. Резерв — деньги, "
                "отложенные по заявкам и договорам на оставшиеся месяцы. Пока договоров нет, номинал "
                "уменьшается каждый месяц пропорционально оставшимся месяцам года."</p>
        }
        .into_any()
    } else {
        view! {
            <p>"Сертификат учёта: он подтверждает право ребёнка на запись. Значимые программы бесплатны, "
               "платные и общеразвивающие оплачивает семья."</p>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <div class="card__head">
                <h1>"Кабинет"</h1>
                <span class=status_class data-testid="certificate-status">{c.status_title.clone()}</span>
            </div>
            {c.queue_position.map(|n| view! {
                <p class="alert alert--info" data-testid="queue-position">{format!("Ваш номер в очереди — {n}")}</p>
            })}
            {not_active_note}
            <dl class="facts">
                <dt>"Ребёнок"</dt><dd>{c.child_name.clone()}</dd>
                <dt>"Дата рождения"</dt><dd>{c.birth_date.clone()}</dd>
                <dt>"Номер сертификата"</dt><dd>{c.number.clone()}</dd>
                <dt>"Категория"</dt><dd>{c.category.clone()}</dd>
                <dt>"Муниципалитет"</dt><dd>{c.municipality.clone()}</dd>
            </dl>
            <p><a href="/pfdo/extract.pdf" download=format!("vypiska-{}.pdf", c.number) rel="external">"Скачать выписку сертификата (PDF)"</a></p>
        </section>
        <section class="card">
            <h2>"Средства сертификата"</h2>
            {money}
        </section>
        <section class="card">
            <h2>"Сколько программ ещё доступно"</h2>
            <ul class="registries">
                {c.registries.into_iter().map(|r| {
                    let left = (r.limit - r.used).max(0);
                    view! {
                        <li data-testid=format!("registry-{}", r.registry.code())>
                            <span>{r.registry.title()} ": "</span>
                            <strong>{format!("ещё {left} из {}", r.limit)}</strong>
                            <details class="why">
                                <summary aria-label=format!("Что такое «{}»?", r.registry.title())>"?"</summary>
                                <p>{r.registry.explain()}</p>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a class="button button--primary" href="/pfdo/navigator">"Найти программу"</a></p>
        </section>
        <section class="card">
            <h2>"Оповещения"</h2>
            {if c.notifications.is_empty() {
                view! { <p>"Оповещений пока нет."</p> }.into_any()
            } else {
                view! {
                    <ul class="notices" data-testid="notifications">
                        {c.notifications.into_iter().map(|n| view! {
                            <li class:notices__unread=n.unread>
                                <time class="hint">{n.at}</time>
                                <p>{n.text}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
