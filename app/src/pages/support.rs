use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::support::{CreateTicket, my_tickets};
use crate::components::form::{field_message, general_message, url_error};
use crate::components::layout::MeResource;
use crate::model::{SUPPORT_TOPICS, TicketView};

#[component]
pub fn SupportPage() -> impl IntoView {
    let MeResource(me) = expect_context::<MeResource>();
    let query = use_query_map();
    let created = move || query.with(|q| q.get("created"));
    // The page script sends the form with its file in place and holds the button meanwhile.
    let error = url_error(CreateTicket::PATH);
    let tickets = Resource::new(created, |_| my_tickets());
    let msg = move |f: &'static str| move || field_message(&error.get(), f);
    let invalid =
        move |f: &'static str| move || field_message(&error.get(), f).is_some().to_string();

    view! {
        <Title text="Обращение в техподдержку" />
        <section class="card narrow">
            <h1>"Обращение в техподдержку"</h1>
            {move || created().map(|n| view! {
                <div class="alert alert--info" role="status" data-testid="ticket-created">
                    "Обращение зарегистрировано, номер " <strong>{n}</strong> ". Номер отправлен на вашу почту."
                </div>
            })}
            <Show when=move || general_message(&error.get()).is_some()>
                <div class="alert alert--error" role="alert">{move || general_message(&error.get())}</div>
            </Show>
            <form method="post" enctype="multipart/form-data" action=CreateTicket::url()>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let guest = me.await.is_none();
                        guest.then(|| view! {
                            <div class="field" class:field--invalid=move || msg("name")().is_some()>
                                <label for="name">"Как к вам обращаться" <span class="req" aria-hidden="true">" *"</span></label>
                                <input id="name" name="name" maxlength="200" required=true autocomplete="name"
                                    aria-describedby="name-error" aria-invalid=invalid("name") />
                                <p class="error" id="name-error" role="alert">{msg("name")}</p>
                            </div>
                            <div class="field" class:field--invalid=move || msg("email")().is_some()>
                                <label for="email">"Электронная почта для ответа" <span class="req" aria-hidden="true">" *"</span></label>
                                <input id="email" name="email" type="email" maxlength="254" required=true autocomplete="email"
                                    aria-describedby="email-error" aria-invalid=invalid("email") />
                                <p class="error" id="email-error" role="alert">{msg("email")}</p>
                            </div>
                        })
                    })}
                </Transition>
                <div class="field" class:field--invalid=move || msg("topic")().is_some()>
                    <label for="topic">"Тема" <span class="req" aria-hidden="true">" *"</span></label>
                    <select id="topic" name="topic" required=true aria-describedby="topic-error" aria-invalid=invalid("topic")>
                        <option value="">"— выберите тему —"</option>
                        {SUPPORT_TOPICS.iter().map(|(c, t)| view! { <option value=*c>{*t}</option> }).collect_view()}
                    </select>
                    <p class="error" id="topic-error" role="alert">{msg("topic")}</p>
                </div>
                <div class="field" class:field--invalid=move || msg("body")().is_some()>
                    <label for="body">"Опишите вопрос" <span class="req" aria-hidden="true">" *"</span></label>
                    <textarea id="body" name="body" rows="6" maxlength="5000" required=true
                        aria-describedby="body-error" aria-invalid=invalid("body")></textarea>
                    <p class="error" id="body-error" role="alert">{msg("body")}</p>
                </div>
                <div class="field" class:field--invalid=move || msg("attachment")().is_some()>
                    <label for="attachment">"Файл (необязательно)"</label>
                    <p class="hint" id="attachment-hint">"PDF, JPEG или PNG, до 10 МБ"</p>
                    <input id="attachment" name="attachment" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                        aria-describedby="attachment-hint attachment-error" aria-invalid=invalid("attachment") />
                    <p class="error" id="attachment-error" role="alert">{msg("attachment")}</p>
                </div>
                <button type="submit" class="button button--primary">"Отправить обращение"</button>
            </form>
        </section>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match tickets.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="card">
                            <h2>"Мои обращения"</h2>
                            <TicketList tickets=list />
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// Tickets with their answers, newest first.
#[component]
pub fn TicketList(tickets: Vec<TicketView>) -> impl IntoView {
    view! {
        <ul class="tickets">
            {tickets.into_iter().map(|t| view! {
                <li class="ticket">
                    <p class="ticket__head">
                        <strong>{t.number.clone()}</strong> " · " {t.topic.clone()} " · " {t.created_at.clone()}
                        " · " <span class="badge">{t.status.clone()}</span>
                    </p>
                    <p class="ticket__body">{t.body.clone()}</p>
                    {t.attachment_name.clone().map(|n| view! {
                        <p><a href=format!("/support/attachment/{}", t.id)>"Вложение: " {n}</a></p>
                    })}
                    {t.answer.clone().map(|a| view! {
                        <div class="ticket__answer">
                            <p class="ticket__head">"Ответ техподдержки · " {t.answered_at.clone().unwrap_or_default()}</p>
                            <p>{a}</p>
                        </div>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}
