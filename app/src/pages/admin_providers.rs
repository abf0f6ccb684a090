//! Organisations' applications to become providers, for the operator's review.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::providers::{ReviewProvider, pending_providers};
use crate::components::form::{FormMessage, field_message, url_error};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::plan::ProviderApplicationView;

#[component]
pub fn AdminProvidersPage() -> impl IntoView {
    let query = use_query_map();
    // Without JavaScript a refused review comes back with its error in the address.
    let from_url = url_error(ReviewProvider::PATH);
    let list = Resource::new(
        move || query.with(|q| q.get("reviewed")),
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
            <FormMessage message=Signal::derive(move || {
                from_url.get().map(|e| e.field_message("reason").unwrap_or_else(|| e.to_string()))
            }) />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Новых заявок нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="tickets">
                                {list.into_iter().map(|a| view! { <Application a /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One application with its own review: its errors stay beside it.
#[component]
fn Application(a: ProviderApplicationView) -> impl IntoView {
    let review = ServerAction::<ReviewProvider>::new();
    let error = Signal::derive(move || match review.value().get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    let reason_id = format!("reason-{}", a.id);
    let reason_error = format!("reason-{}-error", a.id);
    let described_by = reason_error.clone();
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
                    aria-describedby=described_by
                    aria-invalid=move || field_message(&error.get(), "reason").is_some().to_string() />
                <button type="submit" class="button button--ghost">"Отклонить"</button>
            </ActionForm>
            <p class="error" id=reason_error role="alert">{move || {
                error.get().map(|e| e.field_message("reason").unwrap_or_else(|| e.to_string()))
            }}</p>
        </li>
    }
}
