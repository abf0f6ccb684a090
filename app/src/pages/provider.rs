//! The provider's cabinet: its elements, and per event the ИКП batches and activations.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::provider::{
    AdvanceApplication, IssueCodes, ReviewActivation, SetPublished, get_activations,
    get_applications, provider_elements,
};
use crate::components::form::{
    FormMessage, field_message, form_error, general_message, posted, url_error,
};
use crate::components::layout::{LoadError, Loading};
use crate::domain::nmo::plan::{ElementKind, ItemStatus};
use crate::error::AppError;
use crate::model::plan::{ActivationView, ApplicationView, IssuedCodes};

#[component]
pub fn ProviderPage() -> impl IntoView {
    let publish = ServerAction::<SetPublished>::new();
    let error = form_error(publish, SetPublished::PATH);
    let query = use_query_map();
    let list = Resource::new(
        move || (publish.version().get(), query.with(|q| q.get("saved"))),
        |_| provider_elements(),
    );
    view! {
        <Title text="Кабинет поставщика" />
        <section class="card">
            <h1>"Кабинет поставщика"</h1>
            <p>"Ваши элементы НМО: сколько специалистов включили их в план, выпущенные коды "
               "подтверждения и активации, которые ждут проверки."</p>
            <p class="actions">
                <a class="button button--primary" href="/provider/elements/new?kind=module">"Добавить ИОМ"</a>
                <a class="button" href="/provider/elements/new?kind=event">"Добавить мероприятие"</a>
                <a class="button" href="/provider/elements/new?kind=programme">"Добавить ДПП ПК"</a>
            </p>
            {move || query.with(|q| q.get("saved")).map(|_| view! {
                <div class="alert alert--info" role="status">"Сохранено и опубликовано."</div>
            })}
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Элементов пока нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="table">
                                    <thead><tr>
                                        <th scope="col">"Элемент"</th>
                                        <th scope="col">"ЗЕТ"</th>
                                        <th scope="col">"В планах"</th>
                                        <th scope="col">"ИКП и заявки"</th>
                                        <th scope="col">"Действия"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|e| view! {
                                            <tr data-testid="provider-element" id=format!("element-{}", e.id)>
                                                <td><span class="hint">{e.kind.one()}</span><br />
                                                    {match e.kind {
                                                        ElementKind::Event => view! { <a href=format!("/provider/events/{}", e.id)>{e.title.clone()}</a> }.into_any(),
                                                        ElementKind::Programme => view! { <a href=format!("/provider/programmes/{}", e.id)>{e.title.clone()}</a> }.into_any(),
                                                        ElementKind::Module => view! { <span>{e.title.clone()}</span> }.into_any(),
                                                    }}
                                                    {e.dates.clone().map(|d| view! { <br /><span class="hint">{d}</span> })}</td>
                                                <td>{e.credits}</td>
                                                <td>{e.included}</td>
                                                <td>{(e.kind == ElementKind::Event).then(|| view! {
                                                    {e.codes_issued} " выпущено"
                                                    {(e.codes_waiting > 0).then(|| view! { <br /><strong>{e.codes_waiting} " ждут проверки"</strong> })}
                                                })}
                                                {(e.kind == ElementKind::Programme).then(|| view! {
                                                    <a href=format!("/provider/programmes/{}", e.id)>"Заявок: " {e.applications}</a>
                                                })}</td>
                                                <td>
                                                    <a class="button button--ghost" href=format!("/provider/elements/{}", e.id)>"Изменить"</a>
                                                    <ActionForm action=publish attr:class="inline-form">
                                                        <input type="hidden" name="element_id" value=e.id.to_string() />
                                                        <input type="hidden" name="published" value=if e.published { "0" } else { "1" } />
                                                        <button type="submit" class="button button--ghost">
                                                            {if e.published { "Снять с публикации" } else { "Опубликовать" }}
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }.into_any()).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ProviderEventPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let review = ServerAction::<ReviewActivation>::new();
    let issue_error: Signal<Option<AppError>> = url_error(IssueCodes::PATH).into();
    let review_error = form_error(review, ReviewActivation::PATH);
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").unwrap_or_default().parse::<i64>().unwrap_or(0))
    });
    let data = Resource::new(
        move || (id.get(), query.with(|q| q.get("reviewed"))),
        |(id, _)| get_activations(id),
    );
    // The batch is shown once, on the page the server answers the form with; without
    // JavaScript the plain form downloads it as CSV instead.
    let batch = StoredValue::new(posted::<IssuedCodes>());
    view! {
        <Title text="Коды подтверждения" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(a) => {
                        let event_id = a.element_id;
                        view! {
                            <section class="card">
                                <p><a href="/provider">"← Кабинет поставщика"</a></p>
                                <h1>{a.title.clone()}</h1>
                                <p class="hint">{a.dates.clone()}</p>
                                <p>"Выпущено кодов: " <strong data-testid="issued">{a.issued}</strong>
                                   ", не использовано: " {a.unused} "."</p>
                                <h2>"Выпустить коды (ИКП)"</h2>
                                <p class="hint">"Каждому участнику — свой код. Коды показываются один раз: сохраните их "
                                   "или скачайте CSV. После этого в системе хранятся только их хэши."</p>
                                // Put in place by the page script, which sends it in place.
                                <template data-js-only="">
                                <form method="post" action=format!("/provider/events/{event_id}/codes.csv")
                                    class="inline-form" data-in-place="">
                                    <div class="field">
                                        <label for="count">"Количество кодов"</label>
                                        <input id="count" name="count" type="number" min="1" max="1000" value="10" required=true
                                            inputmode="numeric"
                                            aria-invalid=move || field_message(&issue_error.get(), "count").is_some().to_string() />
                                        <p class="error" role="alert">{move || field_message(&issue_error.get(), "count")}</p>
                                    </div>
                                    <button type="submit" class="button button--primary">"Выпустить коды"</button>
                                </form>
                                </template>
                                <noscript>
                                    <form method="post" action=format!("/provider/events/{event_id}/codes.csv") class="inline-form">
                                        <label for="count-csv">"Количество кодов"</label>
                                        <input id="count-csv" name="count" type="number" min="1" max="1000" value="10" required=true />
                                        <button type="submit" class="button button--primary">"Выпустить и скачать CSV"</button>
                                    </form>
                                </noscript>
                                <FormMessage message=Signal::derive(move || general_message(&issue_error.get())) />
                                {batch.get_value().map(|batch| view! { <Batch batch /> })}
                            </section>
                            <section class="card">
                                <h2>"Активации"</h2>
                                <p class="hint">"Проверьте, что специалист был на мероприятии. Непроверенные активации "
                                   "подтверждаются автоматически через " {a.auto_confirm.clone()} "."</p>
                                <FormMessage message=Signal::derive(move || general_message(&review_error.get())) />
                                {if a.items.is_empty() {
                                    view! { <p>"Коды ещё не активировали."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="tickets">
                                            {a.items.into_iter().map(|i| view! { <Activation item=i review /> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Batch(batch: IssuedCodes) -> impl IntoView {
    let href = format!(
        "data:text/csv;charset=utf-8,{}",
        crate::api::auth::urlencode(&batch.csv)
    );
    let count = batch.codes.len();
    view! {
        <div class="alert alert--info" role="status">
            <p><strong>"Выпущено кодов: " {count}</strong> ". Сохраните их сейчас — позже они не показываются."</p>
            <p><a class="button" href=href download=format!("ikp-{}.csv", batch.element_id)>"Скачать CSV"</a></p>
            <ol class="codes" data-testid="issued-codes">
                {batch.codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
        </div>
    }
}

#[component]
fn Activation(item: ActivationView, review: ServerAction<ReviewActivation>) -> impl IntoView {
    let waiting = item.status == "activated";
    let reason_id = format!("reason-{}", item.code_id);
    view! {
        <li class="ticket" data-testid="activation">
            <p class="ticket__head"><strong>{item.specialist.clone()}</strong> " · " {item.activated_at.clone()}
                " " <span class="badge">{item.status_label.clone()}</span></p>
            {item.reason.clone().map(|r| view! { <p class="hint">"Причина отказа: " {r}</p> })}
            {waiting.then(|| view! {
                <ActionForm action=review attr:class="inline-form">
                    <input type="hidden" name="code_id" value=item.code_id.to_string() />
                    <button type="submit" name="decision" value="confirm" class="button button--primary">"Подтвердить"</button>
                </ActionForm>
                <ActionForm action=review attr:class="inline-form">
                    <input type="hidden" name="code_id" value=item.code_id.to_string() />
                    <input type="hidden" name="decision" value="reject" />
                    <label for=reason_id.clone()>"Причина отказа"</label>
                    <input id=reason_id name="reason" type="text" maxlength="500" required=true />
                    <button type="submit" class="button button--ghost">"Отклонить"</button>
                </ActionForm>
            })}
        </li>
    }
}

/// An own ДПП ПК: who applied, for which run; «Зачислен» and «Обучение завершено».
#[component]
pub fn ProviderProgrammePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let advance = ServerAction::<AdvanceApplication>::new();
    let error = form_error(advance, AdvanceApplication::PATH);
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").unwrap_or_default().parse::<i64>().unwrap_or(0))
    });
    let data = Resource::new(
        move || {
            (
                id.get(),
                advance.version().get(),
                query.with(|q| q.get("updated")),
            )
        },
        |(id, _, _)| get_applications(id),
    );
    view! {
        <Title text="Заявки на обучение" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => view! {
                        <section class="card">
                            <p><a href="/provider">"← Кабинет поставщика"</a></p>
                            <h1>{p.title.clone()}</h1>
                            <p class="hint">"ДПП ПК, " {p.credits} " ЗЕТ. Отметьте зачисление, когда специалист "
                               "принят на обучение, и завершение — когда он его окончил: тогда ЗЕТ зачислятся в его план."</p>
                            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
                            {if p.items.is_empty() {
                                view! { <p>"Заявок пока нет."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="tickets">
                                        {p.items.into_iter().map(|a| view! { <Application item=a advance /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Application(item: ApplicationView, advance: ServerAction<AdvanceApplication>) -> impl IntoView {
    let next = match item.status {
        ItemStatus::Applied => Some(("enrol", "Зачислен")),
        ItemStatus::Enrolled => Some(("complete", "Обучение завершено")),
        _ => None,
    };
    view! {
        <li class="ticket" id=format!("application-{}", item.item_id) data-testid="application">
            <p class="ticket__head"><strong>{item.specialist.clone()}</strong> " · " {item.specialty.clone()}
                " " <span class="badge">{item.status_label.clone()}</span></p>
            <p>"Цикл обучения: " {item.run.clone()} <br />
               <span class="hint">{item.contact.clone()} " · заявка от " {item.applied_at.clone()}</span></p>
            {next.map(|(step, label)| view! {
                <ActionForm action=advance attr:class="inline-form">
                    <input type="hidden" name="item_id" value=item.item_id.to_string() />
                    <input type="hidden" name="step" value=step />
                    {item.run_id.map(|r| view! { <input type="hidden" name="run_id" value=r.to_string() /> })}
                    <button type="submit" class="button button--primary"
                        disabled=move || advance.pending().get()>{label}</button>
                </ActionForm>
            })}
        </li>
    }
}
