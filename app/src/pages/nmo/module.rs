//! An interactive module: its text, then the final test, scored on the server. Retakes are
//! unlimited; the newest result is shown on top.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::plan::{SubmitTest, get_module};
use crate::components::form::{FormMessage, form_error};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::plan::ModuleView;

#[component]
pub fn ModulePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let submit = ServerAction::<SubmitTest>::new();
    let error = form_error(submit, SubmitTest::PATH);
    let module = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                query.with(|q| q.get("attempt")),
            )
        },
        |(id, _)| async move {
            let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
            get_module(id).await
        },
    );
    let message = Signal::derive(move || {
        error
            .get()
            .map(|e| e.field_message("answers").unwrap_or_else(|| e.to_string()))
    });
    view! {
        <Title text="Интерактивный модуль" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match module.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(m) => view! { <Module module=m submit message /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Module(
    module: ModuleView,
    submit: ServerAction<SubmitTest>,
    message: Signal<Option<String>>,
) -> impl IntoView {
    let latest = module.attempts.first().cloned();
    let item_id = module.item_id;
    view! {
        <Title text=module.title.clone() />
        <article class="card">
            <p class="plan__kind">"Интерактивный образовательный модуль · " {module.provider.clone()}</p>
            <h1>{module.title.clone()}</h1>
            <p class="hint">{module.credits} " ЗЕТ · зачёт — от " {module.pass_percent} " % верных ответов"</p>
            {module.content.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
        </article>
        {latest.map(|a| view! {
            <section id="result" class=if a.passed { "alert alert--info" } else { "alert alert--error" }
                role="status" data-testid="test-result">
                <p><strong>{if a.passed { "Тест пройден." } else { "Тест не пройден." }}</strong>
                    " Верных ответов: " {a.correct} " из " {a.total} " (" {a.percent} " %)."</p>
                <p>{if a.passed {
                    format!("Баллы зачислены в план: {} ЗЕТ.", module.credits)
                } else {
                    format!("Нужно не меньше {} %. Перечитайте материал и попробуйте ещё раз — число попыток не ограничено.", module.pass_percent)
                }}</p>
            </section>
        })}
        <section class="card">
            <h2>"Итоговый тест"</h2>
            {module.passed.then(|| view! { <p>"Модуль пройден. Тест можно пройти ещё раз для себя: баллы уже засчитаны."</p> })}
            <FormMessage message />
            <ActionForm action=submit attr:class="test">
                <input type="hidden" name="item_id" value=item_id.to_string() />
                {module.questions.into_iter().enumerate().map(|(n, q)| view! {
                    <fieldset class="question" data-testid="question">
                        <legend>{n + 1} ". " {q.text.clone()}</legend>
                        {q.options.into_iter().map(|o| {
                            let id = format!("q{}-o{}", q.id, o.id);
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id.clone() name=format!("answers[{}]", q.id) value=o.id.to_string() />
                                    <label for=id>{o.name}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                }).collect_view()}
                <button type="submit" class="button button--primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { "Проверяем…" } else { "Завершить тест" }}
                </button>
            </ActionForm>
        </section>
        {(!module.attempts.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Попытки"</h2>
                <ul class="attempts">
                    {module.attempts.into_iter().map(|a| view! {
                        <li>{a.at} " — " {a.correct} " из " {a.total} " (" {a.percent} " %), "
                            {if a.passed { "пройден" } else { "не пройден" }}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <p><a href="/nmo/plan">"← Мой план"</a></p>
    }
}
