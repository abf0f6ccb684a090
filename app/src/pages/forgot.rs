use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;

use crate::api::auth::ForgotPassword;
use crate::components::form::{
    Field, FormMessage, Submit, field_message, form_error, general_message,
};
use crate::domain::snils::{Snils, format_partial};

#[component]
pub fn ForgotPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let error = form_error(action, ForgotPassword::PATH);
    let snils = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let snils_error = Signal::derive(move || {
        touched
            .get()
            .then(|| Snils::parse(&snils.get()).err().map(|e| e.to_string()))
            .flatten()
            .or_else(|| field_message(&error.get(), "snils"))
    });
    let general = Signal::derive(move || general_message(&error.get()));
    view! {
        <Title text="Восстановление пароля" />
        <section class="card narrow">
            <h1>"Забыли пароль?"</h1>
            <p>"Введите СНИЛС: новый пароль придёт на адрес электронной почты, указанный в учётной записи."</p>
            <FormMessage message=general />
            <ActionForm action>
                <Field id="snils" name="snils" label="СНИЛС" value=snils error=snils_error
                    inputmode="numeric" placeholder="123-456-789 01" maxlength=20
                    on_input=Callback::new(move |v: String| snils.set(format_partial(&v)))
                    on_blur=Callback::new(move |_| touched.set(true)) />
                <Submit label="Получить новый пароль" pending=action.pending().into() />
            </ActionForm>
            <p><a href="/login">"Вернуться ко входу"</a></p>
        </section>
    }
}
