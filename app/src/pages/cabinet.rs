use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::nmo::{cycles, get_nmo_status};
use crate::api::profile::get_profile;
use crate::api::support::my_tickets;
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::Role;
use crate::model::nmo::{CycleView, NmoStatus};

#[component]
pub fn CabinetPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| get_profile());
    let tickets = Resource::new(|| (), |_| my_tickets());
    // Made here, not in the summary: the summary is rebuilt each time the block around it
    // renders again, and its own resources then fetched again (one to three times per page).
    // They answer Forbidden at once for other roles, whose page never shows them.
    let status = Resource::new(|| (), |_| get_nmo_status());
    let list = Resource::new(|| (), |_| cycles());
    view! {
        <Title text="Личный кабинет" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) if p.role == Role::Parent => view! { <Redirect path="/pfdo" /> }.into_any(),
                    Ok(p) => view! {
                        <section class="card">
                            <h1>"Здравствуйте, " <span data-testid="cabinet-name">{p.full_name.clone()}</span></h1>
                            <dl class="facts">
                                <dt>"Логин (СНИЛС)"</dt><dd>{p.login_display.clone()}</dd>
                                <dt>"Электронная почта"</dt><dd>{p.email.clone()}</dd>
                                <dt>"Телефон"</dt><dd>{p.phone.clone()}</dd>
                                <dt>"Регион"</dt><dd>{p.region_name.clone()}</dd>
                            </dl>
                            <p><a href="/profile">"Изменить контакты или пароль"</a></p>
                        </section>
                        {(p.role == Role::Specialist).then(|| view! { <NmoSummary status list /> })}
                        {(p.role == Role::Provider).then(|| view! {
                            <section class="card"><p><a class="button button--primary" href="/provider">"Кабинет поставщика"</a></p></section>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match tickets.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="card">
                            <h2>"Мои обращения"</h2>
                            <crate::pages::support::TicketList tickets=list />
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// The specialist's НМО at a glance; the first login is finished first.
#[component]
fn NmoSummary(
    status: Resource<Result<NmoStatus, AppError>>,
    list: Resource<Result<Vec<CycleView>, AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (status.await, list.await) {
                    (Ok(s), _) if !s.ready() => view! { <Redirect path="/nmo/start" /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <LoadError error=e /> }.into_any(),
                    (Ok(_), Ok(list)) => {
                        let current = list.iter().find(|c| c.current).cloned();
                        let count = list.len();
                        view! {
                            <section class="card" data-testid="nmo-summary">
                                <h2>"Непрерывное медицинское образование"</h2>
                                {match current {
                                    Some(c) => view! {
                                        <p>"Текущий пятилетний цикл: " <strong data-testid="current-cycle">{c.specialty}</strong>
                                            ", " {c.period} "."</p>
                                        <p><a class="button button--primary" href="/nmo/plan">"Мой план"</a></p>
                                        <p><a href="/nmo/cycles">"Мои пятилетние циклы"</a> " (" {count} ") · "
                                           <a href="/nmo/documents">"Мои документы"</a></p>
                                    }.into_any(),
                                    None => view! {
                                        <p>"Чтобы начать планировать обучение, добавьте документ о допуске: "
                                           "сертификат специалиста, свидетельство об аккредитации или выписку. "
                                           "С него откроется пятилетний цикл."</p>
                                        <p><a class="button button--primary" href="/nmo/documents/new">"Добавить документ"</a></p>
                                    }.into_any(),
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
