//! First login: the user agreement, then ВО and/or СО.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::nmo::{AcceptAgreement, SetLevels, get_nmo_status};
use crate::components::form::{FormMessage, Submit, field_message, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::nmo::NmoStatus;

#[component]
pub fn StartPage() -> impl IntoView {
    let accept = ServerAction::<AcceptAgreement>::new();
    let status = Resource::new(move || accept.version().get(), |_| get_nmo_status());
    view! {
        <Title text="Начало работы" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match status.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(s) if !s.agreement_accepted => view! { <Agreement action=accept /> }.into_any(),
                    Ok(s) => view! {
                        <section class="card narrow">
                            <p class="step">"Шаг 2 из 2"</p>
                            <h1>"Уровень образования"</h1>
                            <p>"Выберите, какое у вас образование: от этого зависят специальности в справочнике. "
                               "Выбор можно изменить позже в профиле."</p>
                            <LevelsForm status=s back="cabinet" />
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Agreement(action: ServerAction<AcceptAgreement>) -> impl IntoView {
    let error = form_error(action, AcceptAgreement::PATH);
    view! {
        <section class="card narrow">
            <p class="step">"Шаг 1 из 2"</p>
            <h1>"Пользовательское соглашение"</h1>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <div class="agreement" tabindex="0" aria-label="Текст соглашения">
                <p>"1. Портал помогает специалисту планировать непрерывное образование: хранить документы "
                   "о допуске, вести пятилетние циклы, включать в план модули, мероприятия и программы и "
                   "получать за них баллы (ЗЕТ)."</p>
                <p>"2. Вы вносите сведения о себе и своих документах достоверно. Документы сверяются с "
                   "Федеральным регистром медицинских работников (ФРМР); пока сверки нет, планировать "
                   "обучение можно."</p>
                <p>"3. Код подтверждения участия (ИКП) вводит только тот, кто участвовал в мероприятии; "
                   "код действует один раз."</p>
                <p>"4. Персональные данные обрабатываются для учёта обучения и не передаются третьим лицам, "
                   "кроме организаций, в которые вы сами подаёте заявку."</p>
                <p>"5. Вопросы и исправления данных — через обращение в техподдержку."</p>
            </div>
            <ActionForm action>
                <Submit label="Принимаю условия соглашения" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// The choice of ВО and/or СО, on the first login and in the profile.
#[component]
pub fn LevelsForm(status: NmoStatus, back: &'static str) -> impl IntoView {
    let action = ServerAction::<SetLevels>::new();
    let error = form_error(action, SetLevels::PATH);
    let vo = RwSignal::new(status.level_vo);
    let so = RwSignal::new(status.level_so);
    let local = RwSignal::new(None::<&'static str>);
    let message = move || {
        local
            .get()
            .map(str::to_owned)
            .or_else(|| field_message(&error.get(), "levels"))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !vo.get_untracked() && !so.get_untracked() {
            local.set(Some(crate::domain::nmo::LEVEL_REQUIRED));
            return;
        }
        action.dispatch(SetLevels {
            vo: vo.get_untracked().then(|| "on".into()),
            so: so.get_untracked().then(|| "on".into()),
            back: Some(back.into()),
        });
    };
    view! {
        <form method="post" action=SetLevels::url() on:submit=on_submit novalidate=true>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <input type="hidden" name="back" value=back />
            <fieldset class="field" class:field--invalid=move || message().is_some() aria-describedby="levels-error">
                <legend>"Образование"</legend>
                <label class="check">
                    <input type="checkbox" name="vo" value="on" checked=status.level_vo
                        on:change=move |ev| { vo.set(event_target_checked(&ev)); local.set(None); } />
                    "Высшее медицинское или фармацевтическое (ВО)"
                </label>
                <label class="check">
                    <input type="checkbox" name="so" value="on" checked=status.level_so
                        on:change=move |ev| { so.set(event_target_checked(&ev)); local.set(None); } />
                    "Среднее медицинское или фармацевтическое (СО)"
                </label>
                <p class="error" id="levels-error" role="alert">{message}</p>
            </fieldset>
            <Submit label="Сохранить" pending=action.pending() />
        </form>
    }
}
