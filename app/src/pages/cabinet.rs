use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::profile::get_profile;
use crate::api::support::my_tickets;
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;

#[component]
pub fn CabinetPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| get_profile());
    let tickets = Resource::new(|| (), |_| my_tickets());
    view! {
        <Title text="Личный кабинет" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
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
