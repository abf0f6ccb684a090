//! Organisations' applications to become providers, for the operator's review.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::providers::{ReviewProvider, pending_providers};
use crate::components::form::{FormMessage, field_message, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::plan::ProviderApplicationView;

#[component]
pub fn AdminProvidersPage() -> impl IntoView {
    let query = use_query_map();
    let review = ServerAction::<ReviewProvider>::new();
    let error = form_error(review, ReviewProvider::PATH);
    let list = Resource::new(
        move || (review.version().get(), query.with(|q| q.get("reviewed"))),
        |_| pending_providers(),
    );
    view! {
        <Title text="Заявки поставщиков" />
        <section class="card">
            <h1>"Заявки поставщиков"</h1>
            <p class="hint">"Проверьте сканы документов. При одобрении организация получит логин и пароль "
               "кабинета поставщика, при отказе — причину."</p>
            {move || query.with(|q| q.get("reviewed")).map(|_| view! {
                <div class="alert alert--info" role="status">"Решение сохранено, организации отправлено письмо."</div>
            })}
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Новых заявок нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="tickets">
                                {list.into_iter().map(|a| view! { <Application a review error /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Application(
    a: ProviderApplicationView,
    review: ServerAction<ReviewProvider>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let reason_id = format!("reason-{}", a.id);
    let id = a.id;
    view! {
        <li class="ticket" data-testid="provider-application">
            <p class="ticket__head"><strong>{a.name.clone()}</strong> " · заявка № " {a.id} " · " {a.filed_at.clone()}</p>
            <p>{a.contact_person.clone()} " · " {a.email.clone()} " · " {a.phone.clone()}</p>
            <ul class="scans">
                {a.scans.iter().map(|s| view! {
                    <li><a href=format!("/admin/providers/scans/{}", s.id) rel="external">{s.name.clone()}</a></li>
                }).collect_view()}
            </ul>
            <ActionForm action=review attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="decision" value="approve" />
                <button type="submit" class="button button--primary">"Одобрить и отправить пароль"</button>
            </ActionForm>
            <ActionForm action=review attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="decision" value="reject" />
                <label for=reason_id.clone()>"Причина отказа"</label>
                <input id=reason_id name="reason" type="text" maxlength="1000" required=true
                    aria-invalid=move || field_message(&error.get(), "reason").is_some().to_string() />
                <button type="submit" class="button button--ghost">"Отклонить"</button>
            </ActionForm>
        </li>
    }
}
