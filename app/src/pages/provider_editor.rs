//! The provider's editor for an ИОМ (text and final test), an event or a ДПП ПК with its runs.
//! A plain form: the test and the runs are typed as text, so it works without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::provider::{SaveElement, get_editor};
use crate::components::form::{FormMessage, field_message, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::domain::nmo::plan::ElementKind;
use crate::error::AppError;
use crate::model::plan::EditorData;

#[component]
pub fn ElementEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveElement>::new();
    let error = form_error(save, SaveElement::PATH);
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let kind = Memo::new(move |_| query.with(|q| q.get("kind").unwrap_or_default()));
    let data = Resource::new(
        move || (id.get(), kind.get()),
        |(id, kind)| get_editor(id, kind),
    );
    view! {
        <Title text="Элемент НМО" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <Editor d save error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(
    d: EditorData,
    save: ServerAction<SaveElement>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let msg = move |f: &'static str| move || field_message(&error.get(), f);
    let invalid =
        move |f: &'static str| move || field_message(&error.get(), f).is_some().to_string();
    let heading = match (d.element_id, d.kind) {
        (Some(_), _) => format!("Изменить: {}", d.input.title),
        (None, ElementKind::Module) => "Новый интерактивный модуль (ИОМ)".into(),
        (None, ElementKind::Event) => "Новое образовательное мероприятие".into(),
        (None, ElementKind::Programme) => "Новая программа ДПП ПК".into(),
    };
    let kind = d.kind;
    let input = d.input.clone();
    let text = move |field: &'static str, label: &'static str, value: String, max: &'static str| {
        let name = format!("form[{field}]");
        view! {
            <div class="field" class:field--invalid=move || msg(field)().is_some()>
                <label for=field>{label}</label>
                <input id=field name=name value=value maxlength=max
                    aria-describedby=format!("{field}-error") aria-invalid=invalid(field) />
                <p class="error" id=format!("{field}-error") role="alert">{msg(field)}</p>
            </div>
        }
    };
    let area = move |field: &'static str,
                     label: &'static str,
                     hint: &'static str,
                     value: String,
                     rows: &'static str| {
        let name = format!("form[{field}]");
        view! {
            <div class="field" class:field--invalid=move || msg(field)().is_some()>
                <label for=field>{label}</label>
                <p class="hint" id=format!("{field}-hint")>{hint}</p>
                <textarea id=field name=name rows=rows
                    aria-describedby=format!("{field}-hint {field}-error") aria-invalid=invalid(field)>{value}</textarea>
                <p class="error" id=format!("{field}-error") role="alert">{msg(field)}</p>
            </div>
        }
    };
    let number = move |field: &'static str,
                       label: &'static str,
                       value: String,
                       min: &'static str,
                       max: &'static str| {
        let name = format!("form[{field}]");
        view! {
            <div class="field field--short" class:field--invalid=move || msg(field)().is_some()>
                <label for=field>{label}</label>
                <input id=field name=name type="number" value=value min=min max=max inputmode="numeric"
                    aria-describedby=format!("{field}-error") aria-invalid=invalid(field) />
                <p class="error" id=format!("{field}-error") role="alert">{msg(field)}</p>
            </div>
        }
    };
    let date = move |field: &'static str, label: &'static str, value: String| {
        let name = format!("form[{field}]");
        view! {
            <div class="field field--short" class:field--invalid=move || msg(field)().is_some()>
                <label for=field>{label}</label>
                <input id=field name=name type="date" value=value
                    aria-describedby=format!("{field}-error") aria-invalid=invalid(field) />
                <p class="error" id=format!("{field}-error") role="alert">{msg(field)}</p>
            </div>
        }
    };
    let online = input.format == "online";
    view! {
        <section class="card">
            <p><a href="/provider">"← Кабинет поставщика"</a></p>
            <h1>{heading}</h1>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=save attr:class="editor" attr:novalidate=true>
                {d.element_id.map(|id| view! { <input type="hidden" name="element_id" value=id.to_string() /> })}
                <input type="hidden" name="form[kind]" value=kind.code() />
                {text("title", "Название", input.title.clone(), "300")}
                {text("summary", "Кратко (для каталога)", input.summary.clone(), "500")}
                {area("content",
                    if kind == ElementKind::Module { "Учебный текст модуля" } else { "Описание" },
                    "Абзацы разделяйте пустой строкой.", input.content.clone(), "8")}
                {number("credits", "ЗЕТ (академические часы)", input.credits.clone(), "1", "144")}
                <div class="field" class:field--invalid=move || msg("format")().is_some()>
                    <label for="format">"Формат"</label>
                    <select id="format" name="form[format]" aria-describedby="format-error" aria-invalid=invalid("format")>
                        <option value="online" selected=online>"Дистанционно"</option>
                        <option value="offline" selected=!online>"Очно"</option>
                    </select>
                    <p class="error" id="format-error" role="alert">{msg("format")}</p>
                </div>
                {(kind != ElementKind::Module).then(|| text("place", "Место проведения (для очного формата)", input.place.clone(), "300"))}
                {(kind == ElementKind::Event).then(|| view! {
                    {date("starts_on", "Дата начала", input.starts_on.clone())}
                    {date("ends_on", "Дата окончания", input.ends_on.clone())}
                })}
                {(kind == ElementKind::Module).then(|| view! {
                    {number("pass_percent", "Проходной порог теста, %", input.pass_percent.clone(), "50", "100")}
                    {area("questions", "Итоговый тест",
                        "Вопрос — строка с «?», затем варианты: «+» верный (ровно один), «-» неверный.",
                        input.questions.clone(), "12")}
                })}
                {(kind == ElementKind::Programme).then(|| area("runs", "Циклы обучения",
                    "По одному в строке: 12.01.2027 — 25.01.2027. Цикл с заявками убрать нельзя.",
                    input.runs.clone(), "4"))}
                <fieldset class="field specialties" class:field--invalid=move || msg("specialties")().is_some()
                    aria-describedby="specialties-error">
                    <legend>"Специальности"</legend>
                    <div class="specialties__list">
                        {d.specialties.into_iter().map(|s| {
                            let checked = input.specialties.contains_key(&s.id.to_string());
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=format!("form[specialties][{}]", s.id) value="on" checked=checked />
                                    {s.name}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="error" id="specialties-error" role="alert">{msg("specialties")}</p>
                </fieldset>
                <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                    {if d.element_id.is_some() { "Сохранить изменения" } else { "Опубликовать" }}
                </button>
            </ActionForm>
        </section>
    }
}
