//! «Договоры»: the tabs of applications and contracts, and a contract's card with its payment
//! schedule, history, «Отменить заявку» and «Оценить программу». The card's body is shared
//! with the provider's side.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::PfdoFrame;
use crate::api::pfdo::{PfdoCancel, PfdoRate, pfdo_contract, pfdo_contracts};
use crate::components::form::{FormMessage, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::domain::pfdo::contract::Tab;
use crate::error::AppError;
use crate::model::pfdo::{ContractCard, ContractRow, ContractsView, Rating};

/// The tabs with their counts; `base` is the list's address.
#[component]
fn ContractTabs(view: ContractsView, base: &'static str) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Статус">
            {Tab::ALL.into_iter().map(|t| {
                let count = view.counts.iter().find(|(c, _)| c == t.code()).map_or(0, |(_, n)| *n);
                view! {
                    <a class="tabs__tab" href=format!("{base}?tab={}", t.code())
                        aria-current=(view.tab == t.code()).then_some("page")
                        data-testid=format!("tab-{}", t.code())>
                        {t.title()} " (" {count} ")"
                    </a>
                }
            }).collect_view()}
        </nav>
    }
}

/// One row of a list; `href` opens the card.
#[component]
fn ContractItem(c: ContractRow, href: String, for_provider: bool) -> impl IntoView {
    view! {
        <li class="element" data-testid="contract-row">
            <p class="plan__kind">"№ " {c.number.clone()} " · " {c.created_at.clone()}</p>
            <p class="element__title"><a href=href>{c.programme.clone()}</a></p>
            <p class="hint">{c.module.clone()} " · " {c.group.clone()} " · "
                {if for_provider { format!("{} (сертификат № {})", c.child_name, c.certificate_number) } else { c.provider.clone() }}</p>
            <p><span class=format!("badge badge--status-{}", c.status) data-testid="contract-status">{c.status_title.clone()}</span>
                " " <span class="hint">{c.dates.clone()} " · сертификат " {c.certificate_share.to_string()}
                " · семья " {c.family_share.to_string()}</span></p>
        </li>
    }
}

#[component]
pub fn ContractsPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(
        move || query.with(|q| q.get_str("tab").unwrap_or_default().to_owned()),
        pfdo_contracts,
    );
    view! {
        <Title text="Договоры" />
        <section class="card">
            <h1>"Договоры"</h1>
            <ContractLists list base="/pfdo/contracts" empty=|| view! {
                <p>"Здесь пока ничего нет. Заявки подаются из " <a href="/pfdo/navigator">"навигатора"</a> "."</p>
            } />
        </section>
    }
}

/// One tab of a list of applications and contracts (the parent's or the provider's): the tabs
/// with their counts, then the rows; each row opens `{base}/{id}`.
#[component]
pub fn ContractLists(
    list: Resource<Result<ContractsView, AppError>>,
    base: &'static str,
    #[prop(optional)] for_provider: bool,
    #[prop(into)] empty: ViewFn,
) -> impl IntoView {
    view! {
        <Suspense fallback=Loading>
            {move || {
                let empty = empty.clone();
                Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(v) => {
                            let rows = v.contracts.clone();
                            view! {
                                <ContractTabs view=v base />
                                {if rows.is_empty() {
                                    empty.run()
                                } else {
                                    view! {
                                        <ul class="elements">
                                            {rows.into_iter().map(|c| {
                                                let href = format!("{base}/{}", c.id);
                                                view! { <ContractItem c href for_provider /> }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// The card's facts, payments and history: the same for the parent and the provider.
#[component]
pub fn ContractBody(card: ContractCard, #[prop(optional)] for_provider: bool) -> impl IntoView {
    let c = card.contract;
    view! {
        <section class="card">
            <p class="plan__kind">"Договор № " <span data-testid="contract-number">{c.number.clone()}</span></p>
            <h1>{c.programme.clone()}</h1>
            <p><span class=format!("badge badge--status-{}", c.status) data-testid="contract-status">{c.status_title.clone()}</span></p>
            {c.reason.clone().map(|r| view! { <p class="alert alert--info" data-testid="contract-reason">"Причина: " {r}</p> })}
            {c.closes_on.clone().map(|d| view! { <p class="alert alert--info">"Договор расторгнут и прекратит действие " {d} "."</p> })}
            {c.prolong_due.clone().map(|d| view! {
                <p class="alert alert--info">"Договор продлён организацией на следующий период. Если вы не отмените заявку до "
                    {d} ", она будет принята автоматически."</p>
            })}
            <dl class="facts">
                {for_provider.then(|| view! {
                    <dt>"Ребёнок"</dt><dd>{c.child_name.clone()}</dd>
                    <dt>"Сертификат"</dt><dd>{c.certificate_number.clone()}</dd>
                })}
                <dt>"Модуль"</dt><dd>{c.module.clone()}</dd>
                <dt>"Группа"</dt><dd>{c.group.clone()}</dd>
                <dt>"Организация"</dt><dd>{c.provider.clone()}</dd>
                <dt>"Период обучения"</dt><dd>{c.dates.clone()}</dd>
                <dt>"Стоимость"</dt><dd>{c.price.to_string()}</dd>
                <dt>"Оплачивается сертификатом"</dt><dd data-testid="contract-share">{c.certificate_share.to_string()}</dd>
                <dt>"Оплачивает семья"</dt><dd>{c.family_share.to_string()}</dd>
                <dt>"В резерве"</dt><dd data-testid="contract-reserve">{c.reserve.to_string()}</dd>
                <dt>"Оплачено"</dt><dd data-testid="contract-paid">{c.paid.to_string()}</dd>
            </dl>
        </section>
        <section class="card">
            <h2>"График платежей по сертификату"</h2>
            {if card.payments.is_empty() {
                view! { <p>"Платежей по сертификату нет: обучение оплачивается семьёй или бесплатно."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <caption class="visually-hidden">"Платежи по месяцам"</caption>
                            <thead><tr><th scope="col">"Месяц"</th><th scope="col">"Сумма"</th><th scope="col">"Состояние"</th></tr></thead>
                            <tbody>
                                {card.payments.into_iter().map(|p| view! {
                                    <tr><th scope="row">{p.month}</th><td>{p.amount.to_string()}</td>
                                        <td>{if p.paid { "оплачено" } else { "в резерве" }}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"История"</h2>
            <ol class="history" data-testid="contract-history">
                {card.history.into_iter().map(|h| view! { <li><time class="hint">{h.at}</time> " " {h.text}</li> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub fn ContractPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let cancel = ServerAction::<PfdoCancel>::new();
    let rate = ServerAction::<PfdoRate>::new();
    let card = Resource::new(
        move || {
            (
                params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok())),
                cancel.version().get(),
                rate.version().get(),
            )
        },
        |(id, _, _)| async move {
            match id {
                Some(id) => pfdo_contract(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    if let Some(frame) = use_context::<PfdoFrame>() {
        frame.follow(move || cancel.version().get());
    }
    let cancel_error = form_error(cancel, PfdoCancel::PATH);
    let rate_error = form_error(rate, PfdoRate::PATH);
    let notice = move || {
        query.with(|q| {
            if q.get_str("applied").is_some() {
                Some("Заявка подана: деньги по ней перешли в резерв сертификата. Организация подтвердит её и заключит договор.")
            } else if q.get_str("cancelled").is_some() {
                Some("Заявка отменена: резерв вернулся на баланс сертификата.")
            } else if q.get_str("rated").is_some() {
                Some("Спасибо! Оценка сохранена, её можно изменить до конца срока оценки.")
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Договор" />
        <p><a href="/pfdo/contracts">"← Все договоры"</a></p>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || general_message(&cancel_error.get()).or_else(|| general_message(&rate_error.get()))) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match card.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(c) => {
                        let id = c.contract.id;
                        let can_cancel = c.can_cancel;
                        let rate_until = c.rate_until.clone();
                        let rating = c.rating.clone();
                        view! {
                            <ContractBody card=c />
                            {can_cancel.then(|| view! {
                                <section class="card">
                                    <ActionForm action=cancel>
                                        <input type="hidden" name="contract_id" value=id.to_string() />
                                        <p class="hint">"Резерв по заявке вернётся на баланс сертификата."</p>
                                        <button type="submit" class="button button--ghost" data-testid="cancel-application"
                                            disabled=move || cancel.pending().get()>"Отменить заявку"</button>
                                    </ActionForm>
                                </section>
                            })}
                            {rate_until.map(|until| view! { <RateForm id until rating rate error=rate_error /> })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

const ASPECTS: [(&str, &str); 4] = [
    ("results", "Достигнуты ли результаты обучения"),
    ("staff", "Квалификация педагогов"),
    ("resources", "Материально-техническая база"),
    ("overall", "Общая удовлетворённость"),
];

#[component]
fn RateForm(
    id: i64,
    until: String,
    rating: Option<Rating>,
    rate: ServerAction<PfdoRate>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let rated = rating.is_some();
    let start = move |name: &str| {
        rating.as_ref().map_or(50, |r| match name {
            "results" => r.results,
            "staff" => r.staff,
            "resources" => r.resources,
            _ => r.overall,
        })
    };
    view! {
        <section class="card" data-testid="rate-form">
            <h2>"Оценить программу"</h2>
            <p class="hint">{format!("Оценку можно поставить и изменить до {until}.")}</p>
            <ActionForm action=rate>
                <input type="hidden" name="contract_id" value=id.to_string() />
                {ASPECTS.into_iter().map(|(name, label)| {
                    let value = start(name);
                    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(name)));
                    view! {
                        <div class="field slider">
                            <label for=format!("rate-{name}")>{label} ": "
                                // page.js follows the slider with its value and this unit.
                                <output for=format!("rate-{name}") data-unit=" %">{format!("{value} %")}</output></label>
                            <input id=format!("rate-{name}") name=name type="range" min="0" max="100" step="5"
                                value=value.to_string() data-testid=format!("rate-{name}") />
                            <p class="error">{move || message.get()}</p>
                        </div>
                    }
                }).collect_view()}
                <button type="submit" class="button button--primary" data-testid="rate-submit">
                    {if rated { "Изменить оценку" } else { "Сохранить оценку" }}
                </button>
            </ActionForm>
        </section>
    }
}
