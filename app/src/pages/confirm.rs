use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::ConfirmRegistration;
use crate::components::form::{FormMessage, Submit, form_error};

/// The link from the mail leads here; the account is confirmed by a button (a POST), so mail
/// scanners that open links cannot use up the one-time link.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).unwrap_or_default();
    let action = ServerAction::<ConfirmRegistration>::new();
    let error = form_error(action, ConfirmRegistration::PATH);
    let message = Signal::derive(move || error.get().map(|e| e.to_string()));
    view! {
        <Title text="Подтверждение регистрации" />
        <section class="card narrow">
            <h1>"Подтверждение регистрации"</h1>
            <p>"Нажмите кнопку, чтобы подтвердить адрес. Логин и пароль придут отдельным письмом."</p>
            <FormMessage message />
            <ActionForm action>
                <input type="hidden" name="token" prop:value=token value=token />
                <Submit label="Подтвердить адрес и получить пароль" pending=action.pending() />
            </ActionForm>
        </section>
    }
}
