//! «Заявки педагогов»: the school head or a school admin approves their teachers' applications
//! to budget courses, one or several at once, or rejects one with a reason.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{Notifications, StatusBadge};
use crate::api::dpo::{DpoSchoolApprove, DpoSchoolReject, NotificationsRead, dpo_school};
use crate::components::form::{FormMessage, field_message, general_message, url_error};
use crate::components::layout::{LoadError, Loading};
use crate::domain::dpo::MAX_REASON;
use crate::error::AppError;
use crate::model::dpo::SchoolApplication;

/// The form the ticked checkboxes belong to (they sit in the rows, outside it).
const BULK: &str = "bulk-approve";

#[component]
pub fn SchoolPage() -> impl IntoView {
    let query = use_query_map();
    let approve = ServerAction::<DpoSchoolApprove>::new();
    let reject = ServerAction::<DpoSchoolReject>::new();
    let read = ServerAction::<NotificationsRead>::new();
    // The row whose rejection was sent last: its message shows on that row only.
    let last = RwSignal::new(None::<i64>);
    let show = move || query.with(|q| q.get_str("show").unwrap_or_default().to_owned());
    let view_ = Resource::new(
        move || {
            (
                show(),
                approve.version().get(),
                reject.version().get(),
                read.version().get(),
            )
        },
        |(show, _, _, _)| dpo_school(show),
    );
    // Without JavaScript a refused form comes back in the address; with it, each row's form
    // shows its own message.
    let approve_url = url_error(DpoSchoolApprove::PATH);
    let reject_url = url_error(DpoSchoolReject::PATH);
    let approve_error = Signal::derive(move || match approve.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => approve_url.get(),
    });
    let notice = move || {
        query.with(|q| {
            if let Some(n) = q.get_str("approved") {
                let skipped = q.get_str("skipped").unwrap_or("0");
                Some(if skipped == "0" {
                    format!("Согласовано заявок: {n}.")
                } else {
                    format!(
                        "Согласовано заявок: {n}. Уже рассмотрены другим сотрудником: {skipped}."
                    )
                })
            } else if q.get_str("rejected").is_some() {
                Some("Заявка отклонена, педагог получит письмо с причиной.".to_owned())
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Заявки педагогов" />
        <h1>"Заявки педагогов на бюджетные курсы"</h1>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || {
            general_message(&approve_error.get())
                .or_else(|| field_message(&approve_error.get(), "ids"))
                .or_else(|| reject_url.get().map(|e| field_message(&Some(e.clone()), "reason").unwrap_or_else(|| e.to_string())))
        }) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match view_.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(v) => {
                        let all = v.show == "all";
                        let any_pending = v.applications.iter().any(|a| a.pending);
                        view! {
                            <p class="hint">{v.school} " · " {v.my_position}</p>
                            <nav class="tabs" aria-label="Заявки">
                                <a class="tabs__tab" href="/dpo/school" aria-current=(!all).then_some("page") data-testid="tab-pending">
                                    "Ждут решения (" {v.pending} ")"</a>
                                <a class="tabs__tab" href="/dpo/school?show=all" aria-current=all.then_some("page") data-testid="tab-all">"Все"</a>
                            </nav>
                            <section class="card">
                                {all.then(|| view! { <input type="hidden" name="show" value="all" form=BULK /> })}
                                {if v.applications.is_empty() {
                                    view! { <p>{if all { "Заявок на бюджетные курсы пока нет." } else { "Заявок, ждущих решения, нет." }}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="elements" data-testid="school-applications">
                                            {v.applications.into_iter().map(|a| view! { <Row a approve reject last all /> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                {any_pending.then(|| view! {
                                    <ActionForm action=approve attr:id=BULK>
                                        <button type="submit" class="button button--primary" data-testid="approve-selected"
                                            disabled=move || approve.pending().get()>"Согласовать отмеченные"</button>
                                    </ActionForm>
                                })}
                            </section>
                            <Notifications items=v.notifications read />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Row(
    a: SchoolApplication,
    approve: ServerAction<DpoSchoolApprove>,
    reject: ServerAction<DpoSchoolReject>,
    last: RwSignal<Option<i64>>,
    /// The «Все» tab is shown: the actions come back to it.
    all: bool,
) -> impl IntoView {
    let id = a.id;
    let tab = move || all.then(|| view! { <input type="hidden" name="show" value="all" /> });
    let key = format!("ids[{id}]");
    let label = format!("Отметить заявку: {}, {}", a.teacher, a.code);
    let reason_error = Signal::derive(move || {
        if last.get() != Some(id) {
            return None;
        }
        match reject.value().get() {
            Some(Err(e)) => {
                Some(field_message(&Some(e.clone()), "reason").unwrap_or_else(|| e.to_string()))
            }
            _ => None,
        }
    });
    let reason_id = format!("reason-{id}");
    view! {
        <li class="element" data-testid="school-application" id=format!("application-{id}")>
            <div class="row-head">
                {a.pending.then(|| view! {
                    <input type="checkbox" form=BULK name=key.clone() value="on" aria-label=label.clone()
                        data-testid="school-select" />
                })}
                <p class="element__title">{a.teacher.clone()} <span class="hint">" · " {a.position.clone()} " · " {a.email.clone()}</span></p>
            </div>
            <p>{a.code.clone()} " «" {a.title.clone()} "» · " {a.hours} " ч. · " {a.dates.clone()}</p>
            <p class="hint">{a.provider.clone()} " · подана " {a.created.clone()}</p>
            <p><StatusBadge code=a.status_code.clone() title=a.status.clone() /></p>
            {a.group.clone().map(|g| view! { <p>"Группа: " {g}</p> })}
            {a.reason.clone().map(|r| view! { <p data-testid="school-reason">"Причина отклонения: " {r}</p> })}
            <div class="actions">
                {a.pending.then(|| view! {
                    <ActionForm action=approve>
                        <input type="hidden" name=key.clone() value="on" />
                        {tab()}
                        <button type="submit" class="button button--primary" data-testid="school-approve"
                            disabled=move || approve.pending().get()>"Согласовать"</button>
                    </ActionForm>
                })}
                {a.can_reject.then(|| view! {
                    <details class="reject">
                        <summary class="button button--ghost" data-testid="school-reject-open">"Отклонить"</summary>
                        <ActionForm action=reject>
                            <input type="hidden" name="application_id" value=id.to_string() />
                            {tab()}
                            <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                                <label for=reason_id.clone()>"Причина (её получит педагог)" <span class="req" aria-hidden="true">" *"</span></label>
                                <textarea id=reason_id.clone() name="reason" rows="3" maxlength=MAX_REASON required=true
                                    aria-invalid=move || if reason_error.get().is_some() { "true" } else { "false" }
                                    aria-describedby=format!("{reason_id}-error") data-testid="school-reason-input"></textarea>
                                <p class="error" id=format!("{reason_id}-error") role="alert">{move || reason_error.get()}</p>
                            </div>
                            <button type="submit" class="button" data-testid="school-reject"
                                on:click=move |_| last.set(Some(id))
                                disabled=move || reject.pending().get()>"Отклонить заявку"</button>
                        </ActionForm>
                    </details>
                })}
            </div>
        </li>
    }
}
