use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Login;
use crate::components::form::{
    Field, FormMessage, Submit, field_message, general_message, url_error,
};
use crate::components::island::{Island, island, island_state};
use crate::domain::snils::Snils;
use crate::error::AppError;

#[component]
pub fn LoginPage() -> impl IntoView {
    let redirected = url_error(Login::PATH).get_untracked();
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            if let Some(email) = q.get("confirmed") {
                Some(format!(
                    "Адрес подтверждён. Логин и пароль отправлены на {email}."
                ))
            } else if q.get("reset").is_some() {
                Some(crate::api::auth::FORGOT_DONE_TEXT.to_string())
            } else if q.get("logged_out").is_some() {
                Some("Вы вышли из личного кабинета.".to_string())
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Вход" />
        <section class="card narrow">
            <h1>"Вход в личный кабинет"</h1>
            {move || notice().map(|n| view! { <div class="alert alert--info" role="status">{n}</div> })}
            {island(LoginForm { redirected })}
            <p class="links">
                <a href="/forgot">"Забыли пароль?"</a>
                " · "
                <a href="/register">"Регистрация"</a>
            </p>
        </section>
    }
}

island_state! {
    /// The form, with the live check of a СНИЛС-like login as it is left.
    login_form: LoginForm {
        /// The error a plain form post was redirected back with.
        redirected: Option<AppError>,
    }
}

impl Island for LoginForm {
    fn view(self) -> impl IntoView {
        let LoginForm { redirected } = self;
        let error = Signal::stored(redirected);
        let login = RwSignal::new(String::new());
        let password = RwSignal::new(String::new());
        let touched = RwSignal::new(false);
        let login_error = Signal::derive(move || {
            let live = touched.get().then(|| {
                let v = login.get();
                let snils_like = !v.trim().is_empty()
                    && v.chars()
                        .all(|c| c.is_ascii_digit() || c == '-' || c.is_whitespace());
                // Ten digits are a child's certificate number: a parent's login.
                let certificate = crate::domain::pfdo::parse_certificate_number(&v).is_some();
                (snils_like && !certificate)
                    .then(|| Snils::parse(&v).err().map(|e| e.to_string()))
                    .flatten()
            });
            live.flatten()
                .or_else(|| field_message(&error.get(), "login"))
        });
        let password_error = Signal::derive(move || field_message(&error.get(), "password"));
        let general = Signal::derive(move || general_message(&error.get()));
        view! {
            <FormMessage message=general />
            <form method="post" action=Login::url()>
                <Field id="login" name="login" label="Логин" value=login error=login_error
                    autocomplete="username"
                    hint="СНИЛС специалиста (11 цифр), номер сертификата ребёнка (10 цифр) или логин организации" maxlength=254
                    on_blur=Callback::new(move |_| touched.set(true)) />
                <Field id="password" name="password" label="Пароль" value=password error=password_error
                    kind="password" autocomplete="current-password" maxlength=1024 />
                <Submit label="Войти" />
            </form>
        }
    }
}
