//! «Стать поставщиком»: an organisation's public application, with scans of its documents.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::providers::ApplyAsProvider;
use crate::components::form::{Submit, field_message, general_message, url_error};
use crate::components::island::{Island, island, island_state};
use crate::components::robot::{Robot, RobotCheck, challenge};
use crate::domain::robot::Challenge;
use crate::error::AppError;

#[component]
pub fn ProviderApplyPage() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent"));
    let redirected = url_error(ApplyAsProvider::PATH).get_untracked();
    view! {
        <Title text="Заявка организации-поставщика" />
        <section class="card narrow">
            <h1>"Стать поставщиком НМО"</h1>
            {move || match sent() {
                Some(n) => view! {
                    <div class="alert alert--info" role="status" data-testid="provider-application-sent">
                        "Заявка № " <strong>{n}</strong> " принята. Оператор проверит документы и напишет о "
                        "решении на указанную почту; при одобрении придут логин и пароль."
                    </div>
                }.into_any(),
                None => view! {
                    <p>"Образовательные организации публикуют в кабинете поставщика интерактивные модули, "
                       "мероприятия и программы повышения квалификации, выпускают коды подтверждения и "
                       "принимают заявки специалистов. Заполните форму и приложите сканы выписки из ЕГРЮЛ и "
                       "лицензии на образовательную деятельность."</p>
                }.into_any(),
            }}
            {island(ProviderApplyForm { redirected, challenge: challenge() })}
        </section>
    }
}

island_state! {
    /// The application with its scans; it is not sent before «Я не робот» is done (the page
    /// script sends it).
    provider_apply_form: ProviderApplyForm {
        redirected: Option<AppError>,
        challenge: Option<Challenge>,
    }
}

impl Island for ProviderApplyForm {
    fn view(self) -> impl IntoView {
        let ProviderApplyForm {
            redirected,
            challenge,
        } = self;
        let error = Signal::stored(redirected);
        let robot = Robot::new(challenge);
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            if robot.proof().is_none() {
                ev.prevent_default();
                robot.demand();
            }
        };
        let msg = move |f: &'static str| move || field_message(&error.get(), f);
        let invalid =
            move |f: &'static str| move || field_message(&error.get(), f).is_some().to_string();
        let text_field = move |id: &'static str,
                               label: &'static str,
                               kind: &'static str,
                               max: &'static str,
                               auto: &'static str| {
            view! {
                <div class="field" class:field--invalid=move || msg(id)().is_some()>
                    <label for=id>{label} <span class="req" aria-hidden="true">" *"</span></label>
                    <input id=id name=id type=kind maxlength=max required=true autocomplete=auto
                        aria-describedby=format!("{id}-error") aria-invalid=invalid(id) />
                    <p class="error" id=format!("{id}-error") role="alert">{msg(id)}</p>
                </div>
            }
        };
        view! {
                <Show when=move || general_message(&error.get()).is_some()>
                    <div class="alert alert--error" role="alert">{move || general_message(&error.get())}</div>
                </Show>
                <form method="post" enctype="multipart/form-data" action=ApplyAsProvider::url() on:submit=on_submit>
                    {text_field("name", "Полное название организации", "text", "300", "organization")}
                    {text_field("contact_person", "Ответственное лицо (фамилия, имя, отчество)", "text", "200", "name")}
                    {text_field("email", "Электронная почта", "email", "254", "email")}
                    {text_field("phone", "Телефон", "tel", "20", "tel")}
                    <div class="field" class:field--invalid=move || msg("scans")().is_some()>
                        <label for="scans">"Сканы документов" <span class="req" aria-hidden="true">" *"</span></label>
                        <p class="hint" id="scans-hint">"PDF, JPEG или PNG, до 10 МБ каждый, не больше трёх файлов"</p>
                        <input id="scans" name="scans" type="file" multiple=true required=true
                            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                            aria-describedby="scans-hint scans-error" aria-invalid=invalid("scans") />
                        <p class="error" id="scans-error" role="alert">{msg("scans")}</p>
                    </div>
                    <RobotCheck robot server_error=Signal::derive(move || field_message(&error.get(), "robot")) />
                    <Submit label="Отправить заявку" />
                </form>
        }
    }
}
