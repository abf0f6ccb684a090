use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::RegisterSpecialist;
use crate::api::dpo::{RegisterTeacher, dpo_schools};
use crate::components::form::{
    Field, FormMessage, LiveErrors, Submit, field_message, general_message, url_error,
};
use crate::components::island::{Island, island, island_state};
use crate::components::robot::{Robot, RobotCheck, challenge};
use crate::components::today::DateProp;
use crate::domain::account::{RegistrationForm, TeacherForm};
use crate::domain::regions::{CITIZENSHIPS, REGIONS};
use crate::domain::robot::Challenge;
use crate::domain::snils::format_partial;
use crate::error::AppError;
use crate::model::dpo::SchoolOption;

const FIELDS: [&str; 11] = [
    "snils",
    "last_name",
    "first_name",
    "middle_name",
    "citizenship",
    "region",
    "sex",
    "birth_date",
    "email",
    "phone",
    "consent_personal_data",
];

#[component]
pub fn RegisterPage() -> impl IntoView {
    let today = crate::components::today::use_today();
    let redirected = url_error(RegisterSpecialist::PATH).get_untracked();
    view! {
        <Title text="Регистрация специалиста" />
        <section class="card narrow">
            <h1>"Регистрация специалиста"</h1>
            <p class="lead">
                "После регистрации придёт письмо со ссылкой. Когда вы её откроете, придёт второе письмо "
                "с логином (это ваш СНИЛС) и паролем."
            </p>
            {island(RegisterForm { today: DateProp(today), redirected, challenge: challenge() })}
            <p>"Уже зарегистрированы? " <a href="/login">"Войти"</a></p>
            <p>"Вы педагог и хотите записаться на курсы повышения квалификации? "
                <a href="/register/teacher">"Регистрация педагога"</a></p>
        </section>
    }
}

island_state! {
    /// The specialist's form: each field checked by the domain's rule as it is left, and the whole
    /// form before it is sent (the page script sends it).
    register_form: RegisterForm {
        today: DateProp,
        /// The error the server refused the last post with.
        redirected: Option<AppError>,
        challenge: Option<Challenge>,
    }
}

impl Island for RegisterForm {
    fn view(self) -> impl IntoView {
        let RegisterForm {
            today,
            redirected,
            challenge,
        } = self;
        let today = today.0;
        let error = Signal::stored(redirected);

        let snils = RwSignal::new(String::new());
        let last_name = RwSignal::new(String::new());
        let first_name = RwSignal::new(String::new());
        let middle_name = RwSignal::new(String::new());
        let citizenship = RwSignal::new(String::from("RU"));
        let region = RwSignal::new(String::new());
        let sex = RwSignal::new(String::new());
        let birth_date = RwSignal::new(String::new());
        let email = RwSignal::new(String::new());
        let phone = RwSignal::new(String::new());
        let consent_pd = RwSignal::new(false);
        let consent_agreement = RwSignal::new(false);
        let robot = Robot::new(challenge);

        let form = move || RegistrationForm {
            snils: snils.get(),
            last_name: last_name.get(),
            first_name: first_name.get(),
            middle_name: middle_name.get(),
            citizenship: citizenship.get(),
            region: region.get(),
            sex: sex.get(),
            birth_date: birth_date.get(),
            email: email.get(),
            phone: phone.get(),
            consent_personal_data: consent_pd.get().then(|| "on".into()),
            consent_agreement: consent_agreement.get().then(|| "on".into()),
        };

        let live = LiveErrors::new(error);
        let touch = move |f: &'static str| live.touch(f);
        let clear_server = move |f: &'static str| live.clear_server(f);
        let message_for =
            move |f: &'static str| live.message(f, move |f| form().check_field(f, today));

        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            // Read the form itself: fields filled before the WASM arrived are not in the signals.
            #[cfg(feature = "hydrate")]
            {
                let v = crate::components::form::submitted_values(&ev);
                let get = |k: &str| v.get(&format!("form[{k}]"));
                snils.set(format_partial(&get("snils")));
                last_name.set(get("last_name"));
                first_name.set(get("first_name"));
                middle_name.set(get("middle_name"));
                citizenship.set(get("citizenship"));
                region.set(get("region"));
                sex.set(get("sex"));
                birth_date.set(get("birth_date"));
                email.set(get("email"));
                phone.set(get("phone"));
                consent_pd.set(v.has("form[consent_personal_data]"));
                consent_agreement.set(v.has("form[consent_agreement]"));
            }
            let f = form();
            for field in FIELDS.iter().chain(["consent_agreement"].iter()) {
                touch(field);
            }
            let proof = robot.proof();
            if proof.is_none() {
                robot.demand();
            }
            if f.validate(today).is_err() || proof.is_none() {
                ev.prevent_default();
            }
        };
        let general = Signal::derive(move || general_message(&error.get()));

        let select_error = move |f: &'static str| message_for(f);

        view! {
                <form method="post" action=RegisterSpecialist::url() on:submit=on_submit novalidate=true>
                    <FormMessage message=general />
                    <Field id="snils" name="form[snils]" label="СНИЛС" value=snils
                        error=message_for("snils") inputmode="numeric" placeholder="123-456-789 01"
                        hint="11 цифр, как на карточке: 123-456-789 01" maxlength=20
                        on_input=Callback::new(move |v: String| { snils.set(format_partial(&v)); clear_server("snils"); })
                        on_blur=Callback::new(move |_| touch("snils")) />
                    <Field id="last_name" name="form[last_name]" label="Фамилия" value=last_name
                        error=message_for("last_name") autocomplete="family-name" maxlength=60
                        on_input=Callback::new(move |_| clear_server("last_name"))
                        on_blur=Callback::new(move |_| touch("last_name")) />
                    <Field id="first_name" name="form[first_name]" label="Имя" value=first_name
                        error=message_for("first_name") autocomplete="given-name" maxlength=60
                        on_input=Callback::new(move |_| clear_server("first_name"))
                        on_blur=Callback::new(move |_| touch("first_name")) />
                    <Field id="middle_name" name="form[middle_name]" label="Отчество" value=middle_name
                        error=message_for("middle_name") autocomplete="additional-name" required=false
                        hint="Если отчества нет, оставьте поле пустым" maxlength=60
                        on_input=Callback::new(move |_| clear_server("middle_name"))
                        on_blur=Callback::new(move |_| touch("middle_name")) />

                    <div class="field" class:field--invalid=move || select_error("citizenship").get().is_some()>
                        <label for="citizenship">"Гражданство" <span class="req" aria-hidden="true">" *"</span></label>
                        <select id="citizenship" name="form[citizenship]" required=true
                            aria-describedby="citizenship-error"
                            aria-invalid=move || select_error("citizenship").get().is_some().to_string()
                            on:change=move |ev| { citizenship.set(event_target_value(&ev)); clear_server("citizenship"); touch("citizenship"); }>
                            {CITIZENSHIPS.iter().map(|(code, name)| view! {
                                <option value=*code selected=*code == "RU">{*name}</option>
                            }).collect_view()}
                        </select>
                        <p class="error" id="citizenship-error" role="alert">{move || select_error("citizenship").get()}</p>
                    </div>

                    <div class="field" class:field--invalid=move || select_error("region").get().is_some()>
                        <label for="region">"Регион проживания" <span class="req" aria-hidden="true">" *"</span></label>
                        <select id="region" name="form[region]" required=true
                            aria-describedby="region-error"
                            aria-invalid=move || select_error("region").get().is_some().to_string()
                            on:change=move |ev| { region.set(event_target_value(&ev)); clear_server("region"); touch("region"); }>
                            <option value="">"— выберите регион —"</option>
                            {REGIONS.iter().map(|(code, name)| view! { <option value=code.to_string()>{*name}</option> }).collect_view()}
                        </select>
                        <p class="error" id="region-error" role="alert">{move || select_error("region").get()}</p>
                    </div>

                    <fieldset class="field" class:field--invalid=move || select_error("sex").get().is_some()
                        aria-describedby="sex-error">
                        <legend>"Пол" <span class="req" aria-hidden="true">" *"</span></legend>
                        <label class="radio">
                            <input type="radio" name="form[sex]" value="female"
                                on:change=move |_| { sex.set("female".into()); clear_server("sex"); touch("sex"); } />
                            "Женский"
                        </label>
                        <label class="radio">
                            <input type="radio" name="form[sex]" value="male"
                                on:change=move |_| { sex.set("male".into()); clear_server("sex"); touch("sex"); } />
                            "Мужской"
                        </label>
                        <p class="error" id="sex-error" role="alert">{move || select_error("sex").get()}</p>
                    </fieldset>

                    <Field id="birth_date" name="form[birth_date]" label="Дата рождения" value=birth_date
                        error=message_for("birth_date") kind="date" autocomplete="bday" maxlength=10
                        on_input=Callback::new(move |_| clear_server("birth_date"))
                        on_blur=Callback::new(move |_| touch("birth_date")) />
                    <Field id="email" name="form[email]" label="Электронная почта" value=email
                        error=message_for("email") kind="email" autocomplete="email" maxlength=254
                        hint="На этот адрес придут ссылка для подтверждения и пароль"
                        on_input=Callback::new(move |_| clear_server("email"))
                        on_blur=Callback::new(move |_| touch("email")) />
                    <Field id="phone" name="form[phone]" label="Мобильный телефон" value=phone
                        error=message_for("phone") kind="tel" autocomplete="tel" placeholder="+7 912 345-67-89" maxlength=20
                        on_input=Callback::new(move |_| clear_server("phone"))
                        on_blur=Callback::new(move |_| touch("phone")) />

                    <div class="field field--check" class:field--invalid=move || select_error("consent_personal_data").get().is_some()>
                        <label class="check">
                            <input type="checkbox" id="consent_personal_data" name="form[consent_personal_data]" value="on"
                                aria-describedby="consent_personal_data-error"
                                on:change=move |ev| { consent_pd.set(event_target_checked(&ev)); clear_server("consent_personal_data"); touch("consent_personal_data"); } />
                            "Согласен(на) на обработку персональных данных"
                        </label>
                        <p class="error" id="consent_personal_data-error" role="alert">{move || select_error("consent_personal_data").get()}</p>
                    </div>
                    <div class="field field--check" class:field--invalid=move || select_error("consent_agreement").get().is_some()>
                        <label class="check">
                            <input type="checkbox" id="consent_agreement" name="form[consent_agreement]" value="on"
                                aria-describedby="consent_agreement-error"
                                on:change=move |ev| { consent_agreement.set(event_target_checked(&ev)); clear_server("consent_agreement"); touch("consent_agreement"); } />
                            "Принимаю пользовательское соглашение"
                        </label>
                        <p class="error" id="consent_agreement-error" role="alert">{move || select_error("consent_agreement").get()}</p>
                    </div>
                    <RobotCheck robot server_error=Signal::derive(move || field_message(&error.get(), "robot")) />
                    <Submit label="Зарегистрироваться" />
                </form>
        }
    }
}

#[component]
pub fn RegisterSentPage() -> impl IntoView {
    let query = use_query_map();
    let email = move || query.with(|q| q.get("email")).unwrap_or_default();
    view! {
        <Title text="Письмо отправлено" />
        <section class="card narrow">
            <h1>"Проверьте почту"</h1>
            <p data-testid="register-sent">
                "Мы отправили письмо со ссылкой для подтверждения на " <strong>{email}</strong> "."
            </p>
            <p>
                "Откройте ссылку из письма — придёт второе письмо с логином и паролем. "
                "Если письма нет, загляните в «Спам»; ссылка действует 48 часов."
            </p>
        </section>
    }
}

const TEACHER_FIELDS: [&str; 9] = [
    "last_name",
    "first_name",
    "middle_name",
    "email",
    "phone",
    "school",
    "position",
    "consent_personal_data",
    "consent_agreement",
];

/// ДПО: a teacher registers by e-mail at a school from the catalogue.
#[component]
pub fn RegisterTeacherPage() -> impl IntoView {
    let redirected = url_error(RegisterTeacher::PATH).get_untracked();
    let schools = Resource::new(|| (), |()| dpo_schools());
    view! {
        <Title text="Регистрация педагога" />
        <section class="card narrow">
            <h1>"Регистрация педагога"</h1>
            <p class="lead">
                "Для записи на курсы повышения квалификации (ДПО). Логином будет адрес электронной почты: "
                "на него придёт ссылка для подтверждения, а затем пароль."
            </p>
            <Suspense fallback=|| ()>
                {move || {
                    let redirected = redirected.clone();
                    Suspend::new(async move {
                        let schools = schools.await.unwrap_or_default();
                        island(TeacherRegistration { redirected, challenge: challenge(), schools })
                    })
                }}
            </Suspense>
            <p>"Уже зарегистрированы? " <a href="/login">"Войти"</a></p>
        </section>
    }
}

island_state! {
    /// The teacher's form, checked like the specialist's.
    teacher_form: TeacherRegistration {
        redirected: Option<AppError>,
        challenge: Option<Challenge>,
        schools: Vec<SchoolOption>,
    }
}

impl Island for TeacherRegistration {
    fn view(self) -> impl IntoView {
        let TeacherRegistration {
            redirected,
            challenge,
            schools,
        } = self;
        let error = Signal::stored(redirected);
        let last_name = RwSignal::new(String::new());
        let first_name = RwSignal::new(String::new());
        let middle_name = RwSignal::new(String::new());
        let email = RwSignal::new(String::new());
        let phone = RwSignal::new(String::new());
        let school = RwSignal::new(String::new());
        let position = RwSignal::new(String::new());
        let consent_pd = RwSignal::new(false);
        let consent_agreement = RwSignal::new(false);
        let robot = Robot::new(challenge);
        let form = move || TeacherForm {
            last_name: last_name.get(),
            first_name: first_name.get(),
            middle_name: middle_name.get(),
            email: email.get(),
            phone: phone.get(),
            school: school.get(),
            position: position.get(),
            consent_personal_data: consent_pd.get().then(|| "on".into()),
            consent_agreement: consent_agreement.get().then(|| "on".into()),
        };
        let live = LiveErrors::new(error);
        let touch = move |f: &'static str| live.touch(f);
        let clear_server = move |f: &'static str| live.clear_server(f);
        let message_for = move |f: &'static str| live.message(f, move |f| form().check_field(f));
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            {
                let v = crate::components::form::submitted_values(&ev);
                let get = |k: &str| v.get(&format!("form[{k}]"));
                last_name.set(get("last_name"));
                first_name.set(get("first_name"));
                middle_name.set(get("middle_name"));
                email.set(get("email"));
                phone.set(get("phone"));
                school.set(get("school"));
                position.set(get("position"));
                consent_pd.set(v.has("form[consent_personal_data]"));
                consent_agreement.set(v.has("form[consent_agreement]"));
            }
            for field in TEACHER_FIELDS {
                touch(field);
            }
            let f = form();
            let proof = robot.proof();
            if proof.is_none() {
                robot.demand();
            }
            if f.validate().is_err() || proof.is_none() {
                ev.prevent_default();
            }
        };
        let general = Signal::derive(move || general_message(&error.get()));
        let mut cities: Vec<String> = schools.iter().map(|s| s.city.clone()).collect();
        cities.dedup();
        let options = cities
        .into_iter()
        .map(|city| {
            let in_city: Vec<_> = schools.iter().filter(|s| s.city == city).cloned().collect();
            view! {
                <optgroup label=city>
                    {in_city.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                </optgroup>
            }
        })
        .collect_view();
        let check = move |f: &'static str, label: &'static str, on: RwSignal<bool>| {
            let err = message_for(f);
            let id = f.to_owned();
            view! {
                <div class="field field--check" class:field--invalid=move || err.get().is_some()>
                    <label class="check">
                        <input type="checkbox" id=id.clone() name=format!("form[{f}]") value="on"
                            aria-describedby=format!("{id}-error")
                            on:change=move |ev| { on.set(event_target_checked(&ev)); clear_server(f); touch(f); } />
                        {label}
                    </label>
                    <p class="error" id=format!("{id}-error") role="alert">{move || err.get()}</p>
                </div>
            }
        };
        let school_error = message_for("school");
        view! {
                <form method="post" action=RegisterTeacher::url() on:submit=on_submit novalidate=true>
                    <FormMessage message=general />
                    <Field id="last_name" name="form[last_name]" label="Фамилия" value=last_name
                        error=message_for("last_name") autocomplete="family-name" maxlength=60
                        on_input=Callback::new(move |_| clear_server("last_name"))
                        on_blur=Callback::new(move |_| touch("last_name")) />
                    <Field id="first_name" name="form[first_name]" label="Имя" value=first_name
                        error=message_for("first_name") autocomplete="given-name" maxlength=60
                        on_input=Callback::new(move |_| clear_server("first_name"))
                        on_blur=Callback::new(move |_| touch("first_name")) />
                    <Field id="middle_name" name="form[middle_name]" label="Отчество" value=middle_name
                        error=message_for("middle_name") autocomplete="additional-name" required=false
                        hint="Если отчества нет, оставьте поле пустым" maxlength=60
                        on_input=Callback::new(move |_| clear_server("middle_name"))
                        on_blur=Callback::new(move |_| touch("middle_name")) />
                    <Field id="email" name="form[email]" label="Электронная почта (логин)" value=email
                        error=message_for("email") kind="email" autocomplete="email" maxlength=254
                        on_input=Callback::new(move |_| clear_server("email"))
                        on_blur=Callback::new(move |_| touch("email")) />
                    <Field id="phone" name="form[phone]" label="Мобильный телефон" value=phone
                        error=message_for("phone") kind="tel" autocomplete="tel" placeholder="+7 912 345-67-89"
                        required=false maxlength=20
                        on_input=Callback::new(move |_| clear_server("phone"))
                        on_blur=Callback::new(move |_| touch("phone")) />
                    <div class="field" class:field--invalid=move || school_error.get().is_some()>
                        <label for="school">"Образовательная организация" <span class="req" aria-hidden="true">" *"</span></label>
                        <select id="school" name="form[school]" required=true aria-describedby="school-error"
                            aria-invalid=move || school_error.get().is_some().to_string()
                            on:change=move |ev| { school.set(event_target_value(&ev)); clear_server("school"); touch("school"); }>
                            <option value="">"— выберите школу —"</option>
                            {options}
                        </select>
                        <p class="error" id="school-error" role="alert">{move || school_error.get()}</p>
                    </div>
                    <Field id="position" name="form[position]" label="Должность" value=position
                        error=message_for("position") placeholder="Например: учитель математики" maxlength=100
                        on_input=Callback::new(move |_| clear_server("position"))
                        on_blur=Callback::new(move |_| touch("position")) />
                    {check("consent_personal_data", "Согласен(на) на обработку персональных данных", consent_pd)}
                    {check("consent_agreement", "Принимаю пользовательское соглашение", consent_agreement)}
                    <RobotCheck robot server_error=Signal::derive(move || field_message(&error.get(), "robot")) />
                    <Submit label="Зарегистрироваться" />
                </form>
        }
    }
}
