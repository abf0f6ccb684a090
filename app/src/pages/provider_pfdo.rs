//! The provider's ПФДО applications and contracts: the tabs, and a card with the steps its
//! status allows (confirm, refuse with a reason, conclude, terminate, prolong).

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::pfdo::{
    PfdoProviderAct, PfdoProviderApply, pfdo_contract, pfdo_provider_contracts,
    pfdo_provider_groups,
};
use crate::components::form::{FormMessage, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::domain::pfdo::contract::Status;
use crate::error::AppError;
use crate::pages::pfdo::contracts::{ContractBody, ContractLists};
use crate::pages::provider_pfdo_events::RecordAchievement;

#[component]
pub fn ProviderContractsPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(
        move || query.with(|q| q.get_str("tab").unwrap_or_default().to_owned()),
        pfdo_provider_contracts,
    );
    view! {
        <Title text="Заявки и договоры ПФДО" />
        <section class="card">
            <div class="card__head">
                <h1>"Заявки и договоры ПФДО"</h1>
                <a class="button button--primary" href="/provider/pfdo/apply">"Записать ребёнка"</a>
            </div>
            <ContractLists list base="/provider/pfdo/contracts" for_provider=true
                empty=|| view! { <p>"Здесь пока ничего нет."</p> } />
        </section>
    }
}

#[component]
pub fn ProviderContractPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let act = ServerAction::<PfdoProviderAct>::new();
    let card = Resource::new(
        move || {
            (
                params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok())),
                act.version().get(),
            )
        },
        |(id, _)| async move {
            match id {
                Some(id) => pfdo_contract(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let error = form_error(act, PfdoProviderAct::PATH);
    let notice = move || {
        query.with(|q| {
            if q.get_str("created").is_some() {
                return Some("Заявка от имени ребёнка создана, родитель получил оповещение. Подтвердите её, когда будете готовы.");
            }
            if q.get_str("achievement").is_some() {
                return Some("Достижение добавлено в портфолио ребёнка как подтверждённое, родитель получил оповещение.");
            }
            if q.get_str("prolonged").is_some() {
                return Some("Договор продлён: у родителя 7 дней, чтобы отменить продление, потом оно будет принято автоматически.");
            }
            match q.get_str("done") {
                Some("confirm") => Some("Заявка подтверждена. Заключите договор, когда родитель примет оферту."),
                Some("refuse") => Some("Заявка отклонена, резерв вернулся на баланс сертификата."),
                Some("conclude") => Some("Договор заключён, первый месяц оплачен из резерва сертификата."),
                Some("terminate") => Some("Договор расторгнут: он прекратит действие в конце месяца, остаток резерва вернётся на сертификат."),
                _ => None,
            }
        })
    };
    view! {
        <Title text="Договор ПФДО" />
        <p><a href="/provider/pfdo/contracts">"← Все заявки и договоры"</a></p>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || general_message(&error.get())) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match card.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(c) => {
                        let id = c.contract.id;
                        let status = Status::from_code(c.contract.status);
                        let closing = c.contract.closes_on.is_some();
                        let studies = matches!(status, Some(Status::Active))
                            || (matches!(status, Some(Status::Closed)) && c.rate_until.is_some());
                        view! {
                            <ContractBody card=c for_provider=true />
                            <Steps id status closing act />
                            {studies.then(|| view! { <RecordAchievement contract_id=id /> })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Steps(
    id: i64,
    status: Option<Status>,
    closing: bool,
    act: ServerAction<PfdoProviderAct>,
) -> impl IntoView {
    let step = move |step: &'static str, label: &'static str, primary: bool| {
        view! {
            <ActionForm action=act attr:class="inline-form">
                <input type="hidden" name="contract_id" value=id.to_string() />
                <input type="hidden" name="step" value=step />
                <button type="submit" data-testid=format!("step-{step}")
                    class=if primary { "button button--primary" } else { "button button--ghost" }
                    disabled=move || act.pending().get()>{label}</button>
            </ActionForm>
        }
    };
    let with_reason = move |step: &'static str, label: &'static str, hint: &'static str| {
        view! {
            <details class="code-form">
                <summary class="button button--ghost">{label}</summary>
                <ActionForm action=act>
                    <input type="hidden" name="contract_id" value=id.to_string() />
                    <input type="hidden" name="step" value=step />
                    <div class="field">
                        <label for=format!("reason-{step}")>"Причина"</label>
                        <textarea id=format!("reason-{step}") name="reason" rows="3" maxlength="1000" required
                            data-testid=format!("reason-{step}")></textarea>
                        <p class="hint">{hint}</p>
                    </div>
                    <button type="submit" class="button button--primary" data-testid=format!("step-{step}")
                        disabled=move || act.pending().get()>{label}</button>
                </ActionForm>
            </details>
        }
    };
    let steps = match status {
        Some(Status::Created) => view! {
            {step("confirm", "Подтвердить заявку", true)}
            {with_reason("refuse", "Отклонить заявку", "Родитель увидит причину в карточке заявки.")}
        }
        .into_any(),
        Some(Status::Confirmed) => view! {
            {step("conclude", "Заключить договор", true)}
            {with_reason("refuse", "Отклонить заявку", "Родитель увидит причину в карточке заявки.")}
        }
        .into_any(),
        Some(Status::Active) if !closing => view! {
            {step("prolong", "Продлить на следующий период", false)}
            {with_reason("terminate", "Расторгнуть договор", "Договор прекратит действие в конце месяца.")}
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! { <section class="card"><div class="plan__actions">{steps}</div></section> }
}

/// «Записать ребёнка»: an application on a child's behalf, proved as the certificate's
/// settings require (the child's full name or the code phrase the parent gave).
#[component]
pub fn ApplyForChildPage() -> impl IntoView {
    let apply = ServerAction::<PfdoProviderApply>::new();
    let groups = Resource::new(|| (), |()| pfdo_provider_groups());
    let error = form_error(apply, PfdoProviderApply::PATH);
    let message = move |f: &'static str| {
        Signal::derive(move || crate::components::form::field_message(&error.get(), f))
    };
    let number_error = message("number");
    view! {
        <Title text="Записать ребёнка" />
        <section class="card">
            <p><a href="/provider/pfdo/contracts">"← Заявки и договоры ПФДО"</a></p>
            <h1>"Записать ребёнка"</h1>
            <p>"Заявку от имени ребёнка можно подать, только если родитель разрешил это в настройках сертификата: "
               "по ФИО ребёнка или по кодовой фразе, которую он вам сообщил. Родитель получит оповещение и сможет отменить заявку."</p>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match groups.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Открытых групп ПФДО нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ActionForm action=apply>
                                <div class="field">
                                    <label for="group_id">"Группа"</label>
                                    <select id="group_id" name="group_id" required=true>
                                        {list.into_iter().map(|o| view! { <option value=o.value>{o.label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field" class:field--invalid=move || number_error.get().is_some()>
                                    <label for="number">"Номер сертификата"</label>
                                    <input id="number" name="number" inputmode="numeric" maxlength="20" required=true
                                        aria-describedby="number-error" />
                                    <p class="error" id="number-error" role="alert">{move || number_error.get()}</p>
                                </div>
                                <div class="field">
                                    <label for="child_name">"ФИО ребёнка"</label>
                                    <input id="child_name" name="child_name" maxlength="300" autocomplete="off" />
                                    <p class="hint">"Если родитель выбрал подтверждение по ФИО"</p>
                                </div>
                                <div class="field">
                                    <label for="phrase">"Кодовая фраза"</label>
                                    <input id="phrase" name="phrase" type="password" maxlength="100" autocomplete="off" />
                                    <p class="hint">"Если родитель выбрал подтверждение по кодовой фразе"</p>
                                </div>
                                <button type="submit" class="button button--primary" disabled=move || apply.pending().get()>
                                    "Подать заявку"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
