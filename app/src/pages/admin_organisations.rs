//! Exam organisations filed by specialists, for the admin's review.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::nmo::{ReviewOrganisation, pending_organisations};
use crate::components::form::{FormMessage, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;

#[component]
pub fn AdminOrganisationsPage() -> impl IntoView {
    let review = ServerAction::<ReviewOrganisation>::new();
    let list = Resource::new(move || review.version().get(), |_| pending_organisations());
    let error = form_error(review, ReviewOrganisation::PATH);
    view! {
        <Title text="Организации на проверке" />
        <section class="card">
            <h1>"Организации на проверке"</h1>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Новых организаций нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="tickets">
                                {list.into_iter().map(|o| view! {
                                    <li class="ticket" data-testid="pending-organisation">
                                        <p class="ticket__head"><strong>{o.name.clone()}</strong>
                                            {o.city.clone().map(|c| view! { " · " {c} })}</p>
                                        <p class="hint">"Добавил(а) " {o.filed_by.clone()} " · " {o.filed_at.clone()}</p>
                                        <ActionForm action=review attr:class="inline-form">
                                            <input type="hidden" name="id" value=o.id.to_string() />
                                            <button type="submit" name="decision" value="approve" class="button button--primary">"Подтвердить"</button>
                                            " "
                                            <button type="submit" name="decision" value="reject" class="button button--ghost">"Отклонить"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
