use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::profile::{ChangeEmail, ChangePassword, ConfirmEmail, UpdateContacts, get_profile};
use crate::components::form::{
    Field, FormMessage, Submit, field_message, form_error, general_message,
};
use crate::components::layout::{LoadError, Loading};
use crate::domain::regions::REGIONS;
use crate::error::AppError;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let contacts = ServerAction::<UpdateContacts>::new();
    let email_action = ServerAction::<ChangeEmail>::new();
    let password_action = ServerAction::<ChangePassword>::new();
    let profile = Resource::new(
        move || (contacts.version().get(), email_action.version().get()),
        |_| get_profile(),
    );
    let query = use_query_map();
    let saved = move || {
        query.with(|q| match q.get_str("saved") {
            Some("contacts") => Some("Контакты сохранены."),
            Some("email") => Some("Ссылка для подтверждения отправлена на новый адрес. Пока он не подтверждён, письма приходят на прежний."),
            Some("password") => Some("Пароль изменён. Другие сеансы входа завершены."),
            Some("levels") => Some("Уровень образования сохранён."),
            _ => None,
        })
    };
    view! {
        <Title text="Профиль" />
        {move || saved().map(|s| view! { <div class="alert alert--info" role="status">{s}</div> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => view! {
                        <section class="card">
                            <h1>"Профиль"</h1>
                            <dl class="facts">
                                <dt>"ФИО"</dt><dd>{p.full_name.clone()}</dd>
                                <dt>"Логин (СНИЛС)"</dt><dd>{p.login_display.clone()}</dd>
                                <dt>"Дата рождения"</dt><dd>{p.birth_date.clone()}</dd>
                                <dt>"Гражданство"</dt><dd>{p.citizenship.clone()}</dd>
                            </dl>
                            <p class="hint">
                                "СНИЛС и ФИО меняются только через "
                                <a href="/support">"обращение в техподдержку"</a>
                                " — приложите скан документа."
                            </p>
                        </section>
                        <ContactsForm action=contacts phone=p.phone.clone() region=p.region />
                        <EmailForm action=email_action current=p.email.clone() pending_email=p.pending_email.clone() />
                        {(p.role == crate::model::Role::Specialist).then(|| view! { <Levels /> })}
                    }.into_any(),
                }
            })}
        </Suspense>
        <PasswordForm action=password_action />
    }
}

#[component]
fn ContactsForm(
    action: ServerAction<UpdateContacts>,
    phone: String,
    region: Option<i32>,
) -> impl IntoView {
    let error = form_error(action, UpdateContacts::PATH);
    let phone = RwSignal::new(phone);
    let region = RwSignal::new(region.map(|r| r.to_string()).unwrap_or_default());
    let phone_error = Signal::derive(move || field_message(&error.get(), "phone"));
    let region_error = move || field_message(&error.get(), "region");
    view! {
        <section class="card">
            <h2>"Контакты"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                <Field id="phone" name="form[phone]" label="Мобильный телефон" value=phone error=phone_error
                    kind="tel" autocomplete="tel" maxlength=20 />
                <div class="field" class:field--invalid=move || region_error().is_some()>
                    <label for="region">"Регион проживания"</label>
                    <select id="region" name="form[region]" aria-describedby="region-error"
                        on:change=move |ev| region.set(event_target_value(&ev))>
                        {REGIONS.iter().map(|(code, name)| {
                            let code = code.to_string();
                            let c2 = code.clone();
                            view! { <option value=code selected=move || region.get() == c2>{*name}</option> }
                        }).collect_view()}
                    </select>
                    <p class="error" id="region-error" role="alert">{region_error}</p>
                </div>
                <Submit label="Сохранить контакты" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn EmailForm(
    action: ServerAction<ChangeEmail>,
    current: String,
    pending_email: Option<String>,
) -> impl IntoView {
    let error = form_error(action, ChangeEmail::PATH);
    let email = RwSignal::new(String::new());
    let email_error = Signal::derive(move || field_message(&error.get(), "email"));
    view! {
        <section class="card">
            <h2>"Электронная почта"</h2>
            <p>"Сейчас: " <strong>{current}</strong></p>
            {pending_email.map(|p| view! { <p class="hint">"Ожидает подтверждения: " {p}</p> })}
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                <Field id="new-email" name="email" label="Новый адрес" value=email error=email_error
                    kind="email" autocomplete="email" maxlength=254
                    hint="Адрес изменится, когда вы откроете ссылку из письма" />
                <Submit label="Отправить ссылку" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let error = form_error(action, ChangePassword::PATH);
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let live_new = Signal::derive(move || {
        let v = new.get();
        (!v.is_empty())
            .then(|| {
                crate::domain::account::check_new_password(&v)
                    .err()
                    .map(str::to_owned)
            })
            .flatten()
            .or_else(|| field_message(&error.get(), "new"))
    });
    view! {
        <section class="card">
            <h2>"Смена пароля"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                <Field id="current-password" name="form[current]" label="Текущий пароль" value=current
                    error=Signal::derive(move || field_message(&error.get(), "current"))
                    kind="password" autocomplete="current-password" maxlength=1024 />
                <Field id="new-password" name="form[new]" label="Новый пароль" value=new error=live_new
                    kind="password" autocomplete="new-password" maxlength=128
                    hint="Не меньше 8 символов; слишком распространённые пароли не подойдут" />
                <Field id="repeat-password" name="form[repeat]" label="Повторите новый пароль" value=repeat
                    error=Signal::derive(move || field_message(&error.get(), "repeat"))
                    kind="password" autocomplete="new-password" maxlength=128 />
                <Submit label="Сменить пароль" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).unwrap_or_default();
    let done = move || query.with(|q| q.get("done").is_some());
    let action = ServerAction::<ConfirmEmail>::new();
    let error = form_error(action, ConfirmEmail::PATH);
    view! {
        <Title text="Подтверждение адреса" />
        <section class="card narrow">
            <h1>"Подтверждение нового адреса"</h1>
            <Show when=done fallback=move || view! {
                <FormMessage message=Signal::derive(move || error.get().map(|e| e.to_string())) />
                <ActionForm action>
                    <input type="hidden" name="token" prop:value=token value=token />
                    <Submit label="Подтвердить адрес" pending=action.pending() />
                </ActionForm>
            }>
                <div class="alert alert--info" role="status">"Адрес электронной почты изменён."</div>
                <p><a href="/profile">"В профиль"</a></p>
            </Show>
        </section>
    }
}

/// ВО and/or СО, chosen at the first login.
#[component]
fn Levels() -> impl IntoView {
    let status = Resource::new(|| (), |_| crate::api::nmo::get_nmo_status());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                status.await.ok().filter(|s| s.agreement_accepted).map(|s| view! {
                    <section class="card">
                        <h2>"Уровень образования"</h2>
                        <crate::pages::nmo::start::LevelsForm status=s back="profile" />
                    </section>
                })
            })}
        </Suspense>
    }
}
