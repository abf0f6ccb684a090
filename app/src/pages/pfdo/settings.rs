//! «Расписание» and «Настройки» of a child's cabinet.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::PfdoFrame;
use crate::api::pfdo::{
    PfdoSettingsConfirm, PfdoSettingsConsent, PfdoSettingsContacts, PfdoSettingsEmail,
    PfdoSettingsMerge, PfdoSettingsPassword, pfdo_schedule, pfdo_settings,
};
use crate::components::form::{Field, FormMessage, field_message, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::domain::pfdo::confirm::CONFIRM_TYPES;
use crate::domain::time::weekday_name;
use crate::error::AppError;
use crate::model::pfdo::{LessonSlot, PfdoSettingsView};

#[component]
pub fn SchedulePage() -> impl IntoView {
    let schedule = Resource::new(|| (), |()| pfdo_schedule());
    view! {
        <Title text="Расписание" />
        <section class="card">
            <div class="card__head">
                <h1>"Расписание"</h1>
                <a class="button button--ghost" href="/pfdo/schedule.ics" rel="external" download="raspisanie.ics">
                    "Скачать для календаря (.ics)"</a>
            </div>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match schedule.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(s) if s.lessons.is_empty() => view! {
                            <p>"Занятий пока нет: расписание появится, когда организация заключит договор. "
                               <a href="/pfdo/navigator">"Найти программу"</a></p>
                        }.into_any(),
                        Ok(s) => view! { <Week lessons=s.lessons /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Week(lessons: Vec<LessonSlot>) -> impl IntoView {
    view! {
        <div class="week" data-testid="week">
            {(1..=7_i16).map(|day| {
                let today: Vec<LessonSlot> = lessons.iter().filter(|l| l.weekday == day).cloned().collect();
                let name = weekday_name(day);
                let free = today.is_empty();
                view! {
                    <section class="week__day" aria-label=name class:week__day--free=free>
                        <h2>{name}</h2>
                        {if today.is_empty() {
                            view! { <p class="hint">"Занятий нет"</p> }.into_any()
                        } else {
                            view! {
                                <ul class="week__lessons">
                                    {today.into_iter().map(|l| view! {
                                        <li data-testid="lesson">
                                            <p class="week__time">{format!("{}–{}", l.starts_at, l.ends_at)}</p>
                                            <p class="element__title">{l.programme}</p>
                                            <p class="hint">{l.group} ", " {l.provider}</p>
                                            <p class="hint">{l.address} ", " {l.room} " · педагог " {l.teacher}</p>
                                            <p class="hint">{l.dates}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let contacts = ServerAction::<PfdoSettingsContacts>::new();
    let confirm = ServerAction::<PfdoSettingsConfirm>::new();
    let consent = ServerAction::<PfdoSettingsConsent>::new();
    let merge = ServerAction::<PfdoSettingsMerge>::new();
    let email = ServerAction::<PfdoSettingsEmail>::new();
    let password = ServerAction::<PfdoSettingsPassword>::new();
    let settings = Resource::new(
        move || {
            (
                contacts.version().get(),
                confirm.version().get(),
                consent.version().get(),
                email.version().get(),
            )
        },
        |_| pfdo_settings(),
    );
    if let Some(frame) = use_context::<PfdoFrame>() {
        frame.follow(move || merge.version().get());
    }
    let saved = move || {
        query.with(|q| match q.get_str("saved") {
            Some("contacts") => Some("Представитель и адрес сохранены."),
            Some("confirm") => Some("Способ подтверждения записи сохранён."),
            Some("consent") => Some("Согласие сохранено."),
            Some("email") => Some("Ссылка для подтверждения отправлена на новый адрес."),
            Some("password") => Some("Пароль изменён, другие сеансы входа завершены. Скачайте новую выписку сертификата."),
            _ => None,
        })
    };
    view! {
        <Title text="Настройки" />
        {move || saved().map(|s| view! { <div class="alert alert--info" role="status" data-testid="notice">{s}</div> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(s) => view! {
                        <section class="card">
                            <h1>"Настройки"</h1>
                            <p>"Сертификат № " {s.number.clone()} ", " {s.child_name.clone()}</p>
                        </section>
                        <Contacts s=s.clone() action=contacts />
                        <Confirmation s=s.clone() action=confirm />
                        <Merge action=merge />
                        <Documents />
                        <Consent s=s.clone() action=consent />
                        <Email current=s.email.clone() action=email />
                    }.into_any(),
                }
            })}
        </Suspense>
        <Password action=password />
    }
}

/// The shared form field for `name`, starting at `value`, with the server's message for it;
/// an empty `hint` shows none.
fn text(
    name: &'static str,
    label: &'static str,
    value: String,
    kind: &'static str,
    hint: &'static str,
    autocomplete: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <Field id=format!("settings-{name}") name label value=RwSignal::new(value)
            error=Signal::derive(move || field_message(&error.get(), name))
            kind hint autocomplete required=false maxlength=300 />
    }
}

#[component]
fn Contacts(s: PfdoSettingsView, action: ServerAction<PfdoSettingsContacts>) -> impl IntoView {
    let error = form_error(action, PfdoSettingsContacts::PATH);
    let district = s.district_id.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <section class="card">
            <h2>"Законный представитель и адрес"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                {text("representative", "Законный представитель", s.representative.clone(), "text", "ФИО и кем приходится ребёнку, например: Смирнова Ирина Петровна, мать", "off", error)}
                {text("address", "Предпочтительный адрес", s.address.clone(), "text", "Навигатор покажет сначала организации рядом с этим адресом", "street-address", error)}
                <div class="field">
                    <label for="settings-district">"Район"</label>
                    <select id="settings-district" name="district_id">
                        <option value="" selected=district.is_empty()>"Не указан"</option>
                        {s.districts.iter().map(|d| view! {
                            <option value=d.value.clone() selected=d.value == district>{d.label.clone()}</option>
                        }).collect_view()}
                    </select>
                    <p class="error" role="alert">{move || field_message(&error.get(), "district_id")}</p>
                </div>
                <button type="submit" class="button button--primary">"Сохранить"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Confirmation(s: PfdoSettingsView, action: ServerAction<PfdoSettingsConfirm>) -> impl IntoView {
    let error = form_error(action, PfdoSettingsConfirm::PATH);
    let has_phrase = s.has_phrase;
    view! {
        <section class="card">
            <h2>"Запись организацией от имени ребёнка"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                <fieldset class="question">
                    <legend>"Кто может подать заявку за ребёнка"</legend>
                    {CONFIRM_TYPES.into_iter().map(|(v, label, hint)| view! {
                        <label class="choice">
                            <input type="radio" name="confirm_type" value=v checked=s.confirm_type == v
                                data-testid=format!("confirm-{v}") />
                            <span>{label} <span class="hint">" — " {hint}</span></span>
                        </label>
                    }).collect_view()}
                </fieldset>
                {text("phrase", "Кодовая фраза", String::new(), "password", if has_phrase { "Фраза уже задана; оставьте поле пустым, чтобы не менять её" } else { "От 6 до 100 символов" }, "new-password", error)}
                <button type="submit" class="button button--primary">"Сохранить"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Merge(action: ServerAction<PfdoSettingsMerge>) -> impl IntoView {
    let error = form_error(action, PfdoSettingsMerge::PATH);
    view! {
        <section class="card">
            <h2>"Объединение кабинетов"</h2>
            <p>"Если у вас несколько детей, добавьте сертификат другого ребёнка по его логину и паролю — "
               "переключаться между детьми можно будет в шапке кабинета."</p>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                {text("number", "Номер сертификата (логин)", String::new(), "text", "", "off", error)}
                {text("password", "Пароль от кабинета этого сертификата", String::new(), "password", "", "off", error)}
                <button type="submit" class="button button--primary" data-testid="merge-submit"
                    disabled=move || action.pending().get()>"Объединить"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Documents() -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Документы"</h2>
            <ul class="links">
                <li><a href="/pfdo/attendance.pdf" rel="external" download="spravka.pdf">"Справка о посещении кружков (PDF)"</a></li>
                <li><a href="/pfdo/extract.pdf" rel="external" download="vypiska.pdf">"Выписка сертификата (PDF)"</a></li>
            </ul>
            <form method="post" action="/pfdo/extract.pdf" class="inline-form">
                <div class="field">
                    <label for="extract-password">"Выписка с паролем: введите текущий пароль"</label>
                    <input id="extract-password" name="password" type="password" autocomplete="current-password"
                        required=true maxlength="1024" />
                </div>
                <button type="submit" class="button button--ghost">"Скачать выписку с паролем"</button>
            </form>
        </section>
    }
}

#[component]
fn Consent(s: PfdoSettingsView, action: ServerAction<PfdoSettingsConsent>) -> impl IntoView {
    let given = s.consent_at.clone();
    view! {
        <section class="card">
            <h2>"Согласие на обработку персональных данных"</h2>
            {match given.clone() {
                Some(at) => view! { <p data-testid="consent">"Согласие дано " {at} "."</p> }.into_any(),
                None => view! { <p data-testid="consent">"Согласие не дано: без него организации не видят контакты представителя."</p> }.into_any(),
            }}
            <ActionForm action>
                {given.is_none().then(|| view! { <input type="hidden" name="agree" value="1" /> })}
                <button type="submit" class="button button--ghost">
                    {if given.is_some() { "Отозвать согласие" } else { "Дать согласие" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Email(current: String, action: ServerAction<PfdoSettingsEmail>) -> impl IntoView {
    let error = form_error(action, PfdoSettingsEmail::PATH);
    view! {
        <section class="card">
            <h2>"Электронная почта"</h2>
            <p>{if current.is_empty() { "Адрес не указан.".to_owned() } else { format!("Сейчас: {current}") }}</p>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                {text("email", "Новый адрес", String::new(), "email", "Адрес изменится, когда вы откроете ссылку из письма", "email", error)}
                <button type="submit" class="button button--primary">"Отправить ссылку"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Password(action: ServerAction<PfdoSettingsPassword>) -> impl IntoView {
    let error = form_error(action, PfdoSettingsPassword::PATH);
    view! {
        <section class="card">
            <h2>"Смена пароля"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                {text("current", "Текущий пароль", String::new(), "password", "", "current-password", error)}
                {text("new", "Новый пароль", String::new(), "password", "Не меньше 8 символов; слишком распространённые пароли не подойдут", "new-password", error)}
                {text("repeat", "Повторите новый пароль", String::new(), "password", "", "new-password", error)}
                <button type="submit" class="button button--primary">"Сменить пароль"</button>
            </ActionForm>
            <p class="hint">"После смены пароля скачайте новую выписку сертификата в разделе «Документы»: "
                "пароль печатается в ней, только если вы его введёте."</p>
        </section>
    }
}
