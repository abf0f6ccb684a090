//! «Добавить документ»: an admission document with its catalogue choices and confirmations.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::nmo::{AddDocument, AddOrganisation, get_nmo_status, organisations, specialties};
use crate::components::form::{
    Field, FormMessage, LiveErrors, Submit, field_message, form_error, general_message, url_error,
};
use crate::components::island::{Island, island, island_state};
use crate::components::today::DateProp;
use crate::domain::nmo::documents::{DocumentForm, DocumentKind};
use crate::error::AppError;

const FIELDS: [&str; 10] = [
    "kind",
    "specialty",
    "organisation",
    "series",
    "number",
    "protocol_date",
    "exam_date",
    "issue_date",
    "confirm_data",
    "confirm_own",
];

#[component]
pub fn NewDocumentPage() -> impl IntoView {
    let today = crate::components::today::use_today();
    let redirected = url_error(AddDocument::PATH).get_untracked();
    let add_org = ServerAction::<AddOrganisation>::new();
    let query = use_query_map();
    // After «Добавить организацию» the page comes back with the new one chosen.
    let organisation = query
        .with_untracked(|q| q.get("organisation"))
        .unwrap_or_default();

    let status = Resource::new(|| (), |_| get_nmo_status());
    let specialty_list = Resource::new(|| (), |_| specialties());
    let organisation_list = Resource::new(
        move || add_org.version().get(),
        |_| organisations(String::new()),
    );

    view! {
        <Title text="Добавить документ" />
        <section class="card narrow">
            <h1>"Добавить документ о допуске"</h1>
            <p class="lead">"Документ откроет пятилетний цикл по его специальности. После сохранения "
                "документ изменить нельзя — проверьте данные."</p>
            {island(DocumentFields { today: DateProp(today), redirected, organisation })}
            // The fields' suggestions: a datalist serves its field from anywhere in the page.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let levels = status.await.unwrap_or_default();
                    let list = specialty_list.await.unwrap_or_default();
                    let any = !levels.level_vo && !levels.level_so;
                    view! {
                        <datalist id="specialty-list">
                            {list.into_iter()
                                .filter(|s| any || (s.level == "vo" && levels.level_vo) || (s.level == "so" && levels.level_so))
                                .map(|s| view! { <option value=s.name></option> })
                                .collect_view()}
                        </datalist>
                    }
                })}
            </Suspense>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = organisation_list.await.unwrap_or_default();
                    view! {
                        <datalist id="organisation-list">
                            {list.into_iter().map(|o| {
                                let label = match (&o.city, o.pending) {
                                    (Some(c), true) => format!("{c} · на проверке"),
                                    (Some(c), false) => c.clone(),
                                    (None, true) => "на проверке".into(),
                                    (None, false) => String::new(),
                                };
                                view! { <option value=o.name label=label></option> }
                            }).collect_view()}
                        </datalist>
                    }
                })}
            </Transition>
        </section>
        <AddOrganisationForm action=add_org />
    }
}

island_state! {
    /// The document's form: each field checked by the domain's rule as it is left, the whole form
    /// before it is sent (the page script sends it), and the fields a kind has no use for hidden.
    document_fields: DocumentFields {
        today: DateProp,
        /// The error the server refused the last post with.
        redirected: Option<AppError>,
        /// The organisation chosen before the form was opened.
        organisation: String,
    }
}

impl Island for DocumentFields {
    fn view(self) -> impl IntoView {
        let DocumentFields {
            today,
            redirected,
            organisation,
        } = self;
        let today = today.0;
        let error = Signal::stored(redirected);
        let kind = RwSignal::new(String::new());
        let specialty = RwSignal::new(String::new());
        let organisation = RwSignal::new(organisation);
        let series = RwSignal::new(String::new());
        let number = RwSignal::new(String::new());
        let protocol_date = RwSignal::new(String::new());
        let exam_date = RwSignal::new(String::new());
        let issue_date = RwSignal::new(String::new());
        let confirm_data = RwSignal::new(false);
        let confirm_own = RwSignal::new(false);

        let form = move || DocumentForm {
            kind: kind.get(),
            specialty: specialty.get(),
            organisation: organisation.get(),
            series: series.get(),
            number: number.get(),
            protocol_date: protocol_date.get(),
            exam_date: exam_date.get(),
            issue_date: issue_date.get(),
            confirm_data: confirm_data.get().then(|| "on".into()),
            confirm_own: confirm_own.get().then(|| "on".into()),
        };
        let live = LiveErrors::new(error);
        let touch = move |f: &'static str| live.touch(f);
        let clear_server = move |f: &'static str| live.clear_server(f);
        let message_for =
            move |f: &'static str| live.message(f, move |f| form().check_field(f, today));
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            // Read the form itself: what was typed before the WASM arrived is not in the signals.
            #[cfg(feature = "hydrate")]
            {
                let v = crate::components::form::submitted_values(&ev);
                let get = |k: &str| v.get(&format!("form[{k}]"));
                kind.set(get("kind"));
                specialty.set(get("specialty"));
                organisation.set(get("organisation"));
                series.set(get("series"));
                number.set(get("number"));
                protocol_date.set(get("protocol_date"));
                exam_date.set(get("exam_date"));
                issue_date.set(get("issue_date"));
                confirm_data.set(v.has("form[confirm_data]"));
                confirm_own.set(v.has("form[confirm_own]"));
            }
            for f in FIELDS {
                touch(f);
            }
            if form().validate(today).is_err() {
                ev.prevent_default();
            }
        };
        let kind_is = move |k: DocumentKind| kind.with(|v| v.is_empty() || v == k.code());
        let general = Signal::derive(move || general_message(&error.get()));

        view! {
                <form method="post" action=AddDocument::url() on:submit=on_submit novalidate=true>
                    <FormMessage message=general />
                    <fieldset class="field" class:field--invalid=move || message_for("kind").get().is_some()
                        aria-describedby="kind-error">
                        <legend>"Вид документа" <span class="req" aria-hidden="true">" *"</span></legend>
                        {DocumentKind::ALL.into_iter().map(|k| view! {
                            <label class="radio">
                                <input type="radio" name="form[kind]" value=k.code()
                                    on:change=move |_| { kind.set(k.code().into()); clear_server("kind"); touch("kind"); } />
                                {k.title()}
                            </label>
                        }).collect_view()}
                        <p class="error" id="kind-error" role="alert">{move || message_for("kind").get()}</p>
                    </fieldset>

                    <Field id="specialty" name="form[specialty]" label="Специальность" value=specialty
                        error=message_for("specialty") list="specialty-list" autocomplete="off"
                        hint="Начните вводить название и выберите из списка" maxlength=300
                        on_input=Callback::new(move |_| clear_server("specialty"))
                        on_blur=Callback::new(move |_| touch("specialty")) />

                    <Field id="organisation" name="form[organisation]" label="Организация, проводившая экзамен"
                        value=organisation error=message_for("organisation") list="organisation-list"
                        autocomplete="off" maxlength=300
                        hint="Начните вводить название или город. Нет в списке — добавьте ниже"
                        on_input=Callback::new(move |_| clear_server("organisation"))
                        on_blur=Callback::new(move |_| touch("organisation")) />
                    <p class="field-link"><a href="#add-organisation">"Добавить организацию"</a></p>
                    <div hidden=move || !kind_is(DocumentKind::Certificate) && !kind_is(DocumentKind::Accreditation)>
                        <Field id="series" name="form[series]" label="Серия" value=series
                            error=message_for("series") inputmode="numeric" maxlength=20 required=false
                            hint="Сертификат — 6 цифр, свидетельство — 4 цифры. У выписки серии нет"
                            on_input=Callback::new(move |_| clear_server("series"))
                            on_blur=Callback::new(move |_| touch("series")) />
                    </div>
                    <Field id="number" name="form[number]" label="Номер" value=number
                        error=message_for("number") maxlength=40
                        hint="Сертификат — 7 цифр, свидетельство — 8 цифр, выписка — как напечатано"
                        on_input=Callback::new(move |_| clear_server("number"))
                        on_blur=Callback::new(move |_| touch("number")) />
                    <div hidden=move || !kind_is(DocumentKind::Accreditation)>
                        <Field id="protocol_date" name="form[protocol_date]" label="Дата протокола" value=protocol_date
                            error=message_for("protocol_date") kind="date" required=false maxlength=10
                            hint="Только для свидетельства, которое ещё не выдано: серию и номер введите нулями"
                            on_input=Callback::new(move |_| clear_server("protocol_date"))
                            on_blur=Callback::new(move |_| touch("protocol_date")) />
                    </div>
                    <Field id="exam_date" name="form[exam_date]" label="Дата экзамена" value=exam_date
                        error=message_for("exam_date") kind="date" maxlength=10
                        on_input=Callback::new(move |_| clear_server("exam_date"))
                        on_blur=Callback::new(move |_| touch("exam_date")) />
                    <Field id="issue_date" name="form[issue_date]" label="Дата выдачи" value=issue_date
                        error=message_for("issue_date") kind="date" maxlength=10
                        on_input=Callback::new(move |_| clear_server("issue_date"))
                        on_blur=Callback::new(move |_| touch("issue_date")) />

                    <div class="field field--check" class:field--invalid=move || message_for("confirm_data").get().is_some()>
                        <label class="check">
                            <input type="checkbox" id="confirm_data" name="form[confirm_data]" value="on"
                                aria-describedby="confirm_data-error"
                                on:change=move |ev| { confirm_data.set(event_target_checked(&ev)); clear_server("confirm_data"); touch("confirm_data"); } />
                            "Данные документа введены верно; после сохранения изменить их можно только через техподдержку"
                        </label>
                        <p class="error" id="confirm_data-error" role="alert">{move || message_for("confirm_data").get()}</p>
                    </div>
                    <div class="field field--check" class:field--invalid=move || message_for("confirm_own").get().is_some()>
                        <label class="check">
                            <input type="checkbox" id="confirm_own" name="form[confirm_own]" value="on"
                                aria-describedby="confirm_own-error"
                                on:change=move |ev| { confirm_own.set(event_target_checked(&ev)); clear_server("confirm_own"); touch("confirm_own"); } />
                            "Документ выдан мне; согласен(на) на его сверку с ФРМР"
                        </label>
                        <p class="error" id="confirm_own-error" role="alert">{move || message_for("confirm_own").get()}</p>
                    </div>
                    <Submit label="Сохранить документ" />
                </form>
        }
    }
}

#[component]
fn AddOrganisationForm(action: ServerAction<AddOrganisation>) -> impl IntoView {
    let error = form_error(action, AddOrganisation::PATH);
    let name = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    view! {
        <section class="card narrow" id="add-organisation">
            <h2>"Добавить организацию"</h2>
            <p class="hint">"Если организации, где вы сдавали экзамен, нет в справочнике, добавьте её: "
                "её можно выбрать сразу, а проверит её администратор."</p>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action>
                <Field id="org-name" name="name" label="Полное название организации" value=name
                    error=Signal::derive(move || field_message(&error.get(), "name")) maxlength=300 />
                <Field id="org-city" name="city" label="Город" value=city required=false
                    error=Signal::derive(move || field_message(&error.get(), "city")) maxlength=100 />
                <Submit label="Добавить организацию" pending=action.pending() />
            </ActionForm>
        </section>
    }
}
