use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::support::{AnswerTicket, all_tickets};
use crate::components::form::{field_message, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::TicketView;

#[component]
pub fn AdminSupportPage() -> impl IntoView {
    let answer = ServerAction::<AnswerTicket>::new();
    let tickets = Resource::new(move || answer.version().get(), |_| all_tickets());
    let error = form_error(answer, AnswerTicket::PATH);
    view! {
        <Title text="Обращения в техподдержку" />
        <section class="card">
            <h1>"Обращения в техподдержку"</h1>
            <Show when=move || general_message(&error.get()).is_some()>
                <div class="alert alert--error" role="alert">{move || general_message(&error.get())}</div>
            </Show>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match tickets.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Обращений пока нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="tickets">
                                {list.into_iter().map(|t| view! { <AdminTicket t action=answer error /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AdminTicket(
    t: TicketView,
    action: ServerAction<AnswerTicket>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = t.id;
    let field_id = format!("answer-{id}");
    let error_id = format!("answer-{id}-error");
    let msg = move || {
        let ours = action.input().get().map(|i| i.id == id).unwrap_or(true);
        ours.then(|| field_message(&error.get(), "answer"))
            .flatten()
    };
    view! {
        <li class="ticket">
            <p class="ticket__head">
                <strong>{t.number.clone()}</strong> " · " {t.topic.clone()} " · " {t.created_at.clone()}
                " · " <span class="badge">{t.status.clone()}</span>
            </p>
            <p class="ticket__author">{t.author.clone()}</p>
            <p class="ticket__body">{t.body.clone()}</p>
            {t.attachment_name.clone().map(|n| view! {
                <p><a href=format!("/support/attachment/{id}")>"Вложение: " {n}</a></p>
            })}
            {match t.answer.clone() {
                Some(a) => view! {
                    <div class="ticket__answer">
                        <p class="ticket__head">"Ответ · " {t.answered_at.clone().unwrap_or_default()}</p>
                        <p>{a}</p>
                    </div>
                }.into_any(),
                None => view! {
                    <ActionForm action attr:class="answer-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <div class="field">
                            <label for=field_id.clone()>"Ответ на " {t.number.clone()}</label>
                            <textarea id=field_id name="answer" rows="4" maxlength="5000" required=true
                                aria-describedby=error_id.clone()></textarea>
                            <p class="error" id=error_id role="alert">{msg}</p>
                        </div>
                        <button type="submit" class="button button--primary">"Ответить"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}
