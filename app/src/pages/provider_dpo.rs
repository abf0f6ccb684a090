//! The provider's «Курсы ДПО»: its courses, and per course the groups, enrolment of approved
//! (or paid) applications into a group, and «Закончил(а)» with the document's number.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::dpo::{
    DpoComplete, DpoEnrol, DpoGroupCreate, dpo_provider_course, dpo_provider_courses,
};
use crate::components::form::{
    Field, FormMessage, field_message, form_error, general_message, reset_on_success, url_error,
};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::dpo::{Applicant, GroupRow, ProviderCourseView};

#[component]
pub fn ProviderCoursesPage() -> impl IntoView {
    let list = Resource::new(|| (), |()| dpo_provider_courses());
    view! {
        <Title text="Курсы ДПО" />
        <h1>"Курсы ДПО"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="card">"Курсов повышения квалификации педагогов у вашей организации пока нет."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <section class="card">
                            <ul class="elements" data-testid="provider-courses">
                                {list.into_iter().map(|c| view! {
                                    <li class="element" data-testid="provider-course">
                                        <p class="plan__kind">{c.code.clone()} " · " {c.funding.clone()}</p>
                                        <p class="element__title"><a href=format!("/provider/dpo/courses/{}", c.id)>{c.title.clone()}</a></p>
                                        <p class="hint">{c.dates.clone()} " · заявок " {c.taken} " из " {c.places}
                                            " · групп " {c.groups}</p>
                                        {(c.waiting > 0).then(|| view! {
                                            <p><span class="badge badge--approved">"Ждут зачисления: " {c.waiting}</span></p>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ProviderCoursePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let create = ServerAction::<DpoGroupCreate>::new();
    let enrol = ServerAction::<DpoEnrol>::new();
    let complete = ServerAction::<DpoComplete>::new();
    let id = move || params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok()));
    let course = Resource::new(
        move || {
            (
                id(),
                create.version().get(),
                enrol.version().get(),
                complete.version().get(),
            )
        },
        |(id, _, _, _)| async move {
            match id {
                Some(id) => dpo_provider_course(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let notice = move || {
        query.with(|q| {
            if q.get_str("group").is_some() {
                Some("Группа добавлена.")
            } else if q.get_str("enrolled").is_some() {
                Some("Педагог зачислен в группу и получит письмо.")
            } else if q.get_str("completed").is_some() {
                Some("Отмечено: курс закончен, он появится в зачётной книжке педагога.")
            } else {
                None
            }
        })
    };
    // A refused row form without JavaScript comes back in the address.
    let enrol_url = url_error(DpoEnrol::PATH);
    let complete_url = url_error(DpoComplete::PATH);
    view! {
        <Title text="Курс ДПО" />
        <p><a href="/provider/dpo">"← Курсы ДПО"</a></p>
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || {
            let e = enrol_url.get().or_else(|| complete_url.get());
            e.clone().map(|e| field_message(&Some(e.clone()), "group_id")
                .or_else(|| field_message(&Some(e.clone()), "document_number"))
                .unwrap_or_else(|| e.to_string()))
        }) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match course.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(v) => view! { <Course v create enrol complete /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Course(
    v: ProviderCourseView,
    create: ServerAction<DpoGroupCreate>,
    enrol: ServerAction<DpoEnrol>,
    complete: ServerAction<DpoComplete>,
) -> impl IntoView {
    let groups = v.groups.clone();
    let last = RwSignal::new(None::<i64>);
    view! {
        <section class="card">
            <p class="plan__kind">{v.code.clone()} " · " {v.funding.clone()}</p>
            <h1>{v.title.clone()}</h1>
            <dl class="facts">
                <div><dt>"Даты"</dt><dd>{v.dates.clone()}</dd></div>
                <div><dt>"Заявок"</dt><dd>{v.taken} " из " {v.places}</dd></div>
            </dl>
            <h2>"Группы"</h2>
            {if v.groups.is_empty() {
                view! { <p class="hint">"Групп пока нет: добавьте первую, чтобы зачислять педагогов."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="provider-groups">
                            <thead><tr><th scope="col">"Группа"</th><th scope="col">"Даты"</th><th scope="col">"Зачислено"</th></tr></thead>
                            <tbody>
                                {v.groups.iter().map(|g| view! {
                                    <tr><td>{g.number.clone()}</td><td>{g.dates.clone()}</td>
                                        <td data-testid="group-enrolled">{format!("{} из {}", g.enrolled, g.capacity)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="ready">
            <h2 id="ready">"Ждут зачисления"</h2>
            {(v.budget && v.awaiting_approval > 0).then(|| view! {
                <p class="hint">"Ещё " {v.awaiting_approval} " заявок ждут согласования руководителей школ: их можно будет зачислить после согласования."</p>
            })}
            {if v.ready.is_empty() {
                view! { <p class="hint">"Заявок, готовых к зачислению, нет."</p> }.into_any()
            } else {
                view! {
                    <ul class="elements" data-testid="ready">
                        {v.ready.into_iter().map(|a| view! { <Ready a groups=groups.clone() enrol last /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="studying">
            <h2 id="studying">"Учатся в группах"</h2>
            {if v.enrolled.is_empty() {
                view! { <p class="hint">"Пока никого."</p> }.into_any()
            } else {
                view! {
                    <ul class="elements" data-testid="studying">
                        {v.enrolled.into_iter().map(|a| view! { <Studying a complete last /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(!v.completed.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="finished">
                <h2 id="finished">"Закончили"</h2>
                <ul class="elements" data-testid="finished">
                    {v.completed.into_iter().map(|a| view! {
                        <li class="element">{a.teacher} " · " {a.school} " · " {a.group.unwrap_or_default()}
                            " · удостоверение № " {a.document_number.unwrap_or_default()}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <NewGroup create course_id=v.id starts_on=v.starts_on ends_on=v.ends_on />
    }
}

/// The message of `action`'s last error if it was this row's.
fn row_error<I>(
    action: ServerAction<I>,
    last: RwSignal<Option<i64>>,
    id: i64,
    field: &'static str,
) -> Signal<Option<String>>
where
    I: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        if last.get() != Some(id) {
            return None;
        }
        match action.value().get() {
            Some(Err(e)) => {
                Some(field_message(&Some(e.clone()), field).unwrap_or_else(|| e.to_string()))
            }
            _ => None,
        }
    })
}

#[component]
fn Ready(
    a: Applicant,
    groups: Vec<GroupRow>,
    enrol: ServerAction<DpoEnrol>,
    last: RwSignal<Option<i64>>,
) -> impl IntoView {
    let id = a.id;
    let error = row_error(enrol, last, id, "group_id");
    let select_id = format!("group-{id}");
    view! {
        <li class="element" data-testid="ready-row">
            <p class="element__title">{a.teacher.clone()}</p>
            <p class="hint">{a.email.clone()} " · " {a.school.clone()} " · " {a.status.clone()}</p>
            {if groups.is_empty() {
                view! { <p class="hint">"Добавьте группу, чтобы зачислить."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=enrol attr:class="row-form">
                        <input type="hidden" name="application_id" value=id.to_string() />
                        <div class="field" class:field--invalid=move || error.get().is_some()>
                            <label for=select_id.clone()>"Группа"</label>
                            <select id=select_id.clone() name="group_id" data-testid="enrol-group"
                                aria-describedby=format!("{select_id}-error")>
                                {groups.iter().map(|g| view! {
                                    <option value=g.id.to_string() disabled={g.enrolled >= g.capacity}>
                                        {format!("{} ({}, мест {} из {})", g.number, g.dates, g.capacity - g.enrolled, g.capacity)}
                                    </option>
                                }).collect_view()}
                            </select>
                            <p class="error" id=format!("{select_id}-error") role="alert">{move || error.get()}</p>
                        </div>
                        <button type="submit" class="button button--primary" data-testid="enrol"
                            on:click=move |_| last.set(Some(id))
                            disabled=move || enrol.pending().get()>"Зачислить"</button>
                    </ActionForm>
                }.into_any()
            }}
        </li>
    }
}

#[component]
fn Studying(
    a: Applicant,
    complete: ServerAction<DpoComplete>,
    last: RwSignal<Option<i64>>,
) -> impl IntoView {
    let id = a.id;
    let error = row_error(complete, last, id, "document_number");
    let input_id = format!("document-{id}");
    view! {
        <li class="element" data-testid="studying-row">
            <p class="element__title">{a.teacher.clone()}</p>
            <p class="hint">{a.email.clone()} " · " {a.school.clone()} " · " {a.group.clone().unwrap_or_default()}</p>
            <ActionForm action=complete attr:class="row-form">
                <input type="hidden" name="application_id" value=id.to_string() />
                <div class="field" class:field--invalid=move || error.get().is_some()>
                    <label for=input_id.clone()>"Номер удостоверения"</label>
                    <input id=input_id.clone() name="document_number" maxlength="40" required=true autocomplete="off"
                        aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                        aria-describedby=format!("{input_id}-error") data-testid="document-number" />
                    <p class="error" id=format!("{input_id}-error") role="alert">{move || error.get()}</p>
                </div>
                <button type="submit" class="button" data-testid="complete"
                    on:click=move |_| last.set(Some(id))
                    disabled=move || complete.pending().get()>"Закончил(а)"</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn NewGroup(
    create: ServerAction<DpoGroupCreate>,
    course_id: i64,
    starts_on: String,
    ends_on: String,
) -> impl IntoView {
    let error = form_error(create, DpoGroupCreate::PATH);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(create, form);
    let message =
        move |name: &'static str| Signal::derive(move || field_message(&error.get(), name));
    view! {
        <section class="card" aria-labelledby="new-group">
            <h2 id="new-group">"Добавить группу"</h2>
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <ActionForm action=create node_ref=form>
                <input type="hidden" name="course_id" value=course_id.to_string() />
                <Field id="group-number" name="form[number]" label="Номер группы" value=RwSignal::new(String::new())
                    error=message("number") maxlength=20 />
                <Field id="group-capacity" name="form[capacity]" label="Мест в группе" kind="number" inputmode="numeric"
                    value=RwSignal::new(String::new()) error=message("capacity") maxlength=3 />
                <Field id="group-starts" name="form[starts_on]" label="Начало занятий" kind="date"
                    value=RwSignal::new(starts_on) error=message("starts_on") />
                <Field id="group-ends" name="form[ends_on]" label="Окончание" kind="date"
                    value=RwSignal::new(ends_on) error=message("ends_on") />
                <button type="submit" class="button button--primary" data-testid="group-create"
                    disabled=move || create.pending().get()>"Добавить группу"</button>
            </ActionForm>
        </section>
    }
}
