//! The ПФДО operator's pages: the municipality (limit and queue, categories and nominals),
//! its certificates (search, activation), issuing a certificate with its extract, and the
//! municipality's news.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::pfdo_activity::{PfdoNewsPublish, operator_news};
use crate::api::pfdo_operator::{
    OperatorActivate, OperatorIssue, OperatorLimit, OperatorNominal, operator_certificates,
    operator_overview,
};
use crate::components::form::{
    FormMessage, field_message, form_error, general_message, posted, url_error,
};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::pfdo::{CategoryView, CertificateList, CertificateQuery, Issued, OperatorView};
use crate::pages::pfdo::events::NewsList;
use crate::pages::provider_pfdo_events::Publish;

#[component]
pub fn OperatorPage() -> impl IntoView {
    let query = use_query_map();
    let limit = ServerAction::<OperatorLimit>::new();
    let nominal = ServerAction::<OperatorNominal>::new();
    let overview = Resource::new(
        move || (limit.version().get(), nominal.version().get()),
        |_| operator_overview(),
    );
    let limit_error = form_error(limit, OperatorLimit::PATH);
    let nominal_error = form_error(nominal, OperatorNominal::PATH);
    let notice = move || {
        query.with(|q| {
            if q.get_str("limit").is_some() {
                Some(match q.get_str("activated").unwrap_or("0") {
                    "0" => "Лимит сохранён.".to_owned(),
                    n => format!("Лимит сохранён. Из очереди активировано сертификатов: {n}."),
                })
            } else if q.get_str("nominal").is_some() {
                Some(
                    "Номинал установлен: сертификаты категории получили средства на этот год."
                        .to_owned(),
                )
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Оператор ПФДО" />
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status" data-testid="notice">{n}</div> })}
        <FormMessage message=Signal::derive(move || general_message(&nominal_error.get())) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(o) => view! { <Overview o limit limit_error nominal nominal_error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(
    o: OperatorView,
    limit: ServerAction<OperatorLimit>,
    limit_error: Signal<Option<AppError>>,
    nominal: ServerAction<OperatorNominal>,
    nominal_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let limit_message = Signal::derive(move || {
        field_message(&limit_error.get(), "limit").or_else(|| general_message(&limit_error.get()))
    });
    view! {
        <section class="card">
            <div class="card__head">
                <h1>{o.municipality.clone()}</h1>
                <span>
                    <a class="button button--primary" href="/operator/certificates/new">"Выдать сертификат"</a>
                    " "
                    <a class="button button--ghost" href="/operator/certificates">"Все сертификаты"</a>
                </span>
            </div>
            <dl class="facts" data-testid="operator-counts">
                <dt>"Лимит сертификатов финансирования"</dt><dd data-testid="limit">{o.limit}</dd>
                <dt>"Активировано"</dt><dd data-testid="active">{o.active}</dd>
                <dt>"В очереди на активацию"</dt><dd data-testid="queued">{o.queued}</dd>
                <dt>"Выдано, не активировано"</dt><dd>{o.issued}</dd>
                <dt>"Сертификатов учёта"</dt><dd>{o.registration}</dd>
            </dl>
            <ActionForm action=limit attr:class="inline-form">
                <div class="field field--short" class:field--invalid=move || limit_message.get().is_some()>
                    <label for="limit">"Новый лимит"</label>
                    <input id="limit" name="limit" type="number" min="0" max="10000000" inputmode="numeric"
                        value=o.limit.to_string() required=true aria-describedby="limit-error" />
                    <p class="error" id="limit-error" role="alert">{move || limit_message.get()}</p>
                </div>
                <button type="submit" class="button button--primary" disabled=move || limit.pending().get()>"Сохранить лимит"</button>
                <p class="hint">"Если лимит вырастет, сертификаты из очереди активируются в порядке очереди."</p>
            </ActionForm>
        </section>
        <section class="card">
            <h2>"Категории и номиналы"</h2>
            {o.categories.into_iter().map(|c| view! { <Category c nominal error=nominal_error /> }).collect_view()}
        </section>
    }
}

#[component]
fn Category(
    c: CategoryView,
    nominal: ServerAction<OperatorNominal>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = c.id;
    view! {
        <div class="element" data-testid="category">
            <h3 class="element__title">{c.name.clone()}</h3>
            <p class="hint">"Лимиты программ: "
                {c.limits.iter().map(|l| format!("{} — {}", l.registry.title(), l.limit)).collect::<Vec<_>>().join(", ")}</p>
            <ul class="registries">
                {c.nominals.into_iter().map(|(year, amount)| match amount {
                    Some(a) => view! { <li>{format!("{year} год: ")} <strong>{a.to_string()}</strong></li> }.into_any(),
                    None => {
                        let field = format!("amount-{id}-{year}");
                        view! {
                            <li>
                                <ActionForm action=nominal attr:class="inline-form">
                                    <input type="hidden" name="category_id" value=id.to_string() />
                                    <input type="hidden" name="year" value=year.to_string() />
                                    <label for=field.clone()>{format!("{year} год: номинал не установлен. Номинал, ₽")}</label>
                                    <input id=field name="amount" inputmode="decimal" required=true placeholder="30 000,00" />
                                    <button type="submit" class="button button--primary">"Установить"</button>
                                    <span class="error" role="alert">{move || field_message(&error.get(), "amount")}</span>
                                </ActionForm>
                            </li>
                        }.into_any()
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
pub fn OperatorCertificatesPage() -> impl IntoView {
    let query = use_query_map();
    let activate = ServerAction::<OperatorActivate>::new();
    let filters = Memo::new(move |_| {
        query.with(|q| CertificateQuery {
            q: q.get_str("q").unwrap_or_default().to_owned(),
            status: q.get_str("status").unwrap_or_default().to_owned(),
            page: q.get_str("page").and_then(|p| p.parse().ok()),
        })
    });
    let list = Resource::new(
        move || (filters.get(), activate.version().get()),
        |(f, _)| operator_certificates(f),
    );
    let error = form_error(activate, OperatorActivate::PATH);
    let done = move || {
        activate
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| query.with(|q| q.get_str("done").map(str::to_owned)))
    };
    let start = filters.get_untracked();
    view! {
        <Title text="Сертификаты" />
        <section class="card">
            <div class="card__head">
                <h1>"Сертификаты"</h1>
                <a class="button button--primary" href="/operator/certificates/new">"Выдать сертификат"</a>
            </div>
            {move || done().map(|d| view! { <div class="alert alert--info" role="status" data-testid="notice">{d}</div> })}
            <FormMessage message=Signal::derive(move || general_message(&error.get())) />
            <form class="filters" method="get" action="/operator/certificates" role="search">
                <div class="field">
                    <label for="q">"Номер или фамилия ребёнка"</label>
                    <input id="q" name="q" type="search" maxlength="100" value=start.q.clone() />
                </div>
                <div class="field">
                    <label for="status">"Статус"</label>
                    <select id="status" name="status">
                        {[("", "Все"), ("issued", "Не активированы"), ("queued", "В очереди"), ("active", "Активированы")]
                            .into_iter().map(|(v, l)| view! { <option value=v selected=start.status == v>{l}</option> }).collect_view()}
                    </select>
                </div>
                <div class="filters__actions">
                    <button type="submit" class="button button--primary">"Найти"</button>
                </div>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(l) => view! { <Certificates l activate filters=filters.get_untracked() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Certificates(
    l: CertificateList,
    activate: ServerAction<OperatorActivate>,
    filters: CertificateQuery,
) -> impl IntoView {
    let link = move |page: u32| {
        format!(
            "/operator/certificates?q={}&status={}&page={page}",
            crate::api::auth::urlencode(&filters.q),
            filters.status
        )
    };
    view! {
        <p>"Найдено: " {l.total}</p>
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">"Номер"</th><th scope="col">"Ребёнок"</th><th scope="col">"Категория"</th>
                    <th scope="col">"Статус"</th><th scope="col"><span class="visually-hidden">"Действия"</span></th>
                </tr></thead>
                <tbody>
                    {l.rows.into_iter().map(|c| {
                        let status = match c.queue_position {
                            Some(n) => format!("{}, № {n} в очереди", c.status_title),
                            None => c.status_title.clone(),
                        };
                        view! {
                            <tr data-testid="certificate-row">
                                <td>{c.number.clone()}</td>
                                <td>{c.child_name.clone()} <span class="hint">{format!(", {}", c.birth_date)}</span></td>
                                <td>{c.category.clone()} {(!c.financed).then_some(" (учёт)")}</td>
                                <td data-testid="certificate-status">{status}</td>
                                <td>{(c.status == "issued").then(|| view! {
                                    <ActionForm action=activate attr:class="inline-form">
                                        <input type="hidden" name="certificate_id" value=c.id.to_string() />
                                        <button type="submit" class="button button--ghost" data-testid="activate"
                                            disabled=move || activate.pending().get()>
                                            "Активировать" <span class="visually-hidden">{format!(" сертификат {}", c.number)}</span>
                                        </button>
                                    </ActionForm>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(l.pages > 1).then(|| view! {
            <nav class="pager" aria-label="Страницы">
                {(1..=l.pages).map(|n| view! {
                    <a href=link(n) aria-current=(n == l.page).then_some("page")>{n}</a>
                }).collect_view()}
            </nav>
        })}
    }
}

/// «Выдать сертификат». With JavaScript the login and password show here once, with the
/// extract to download (the server answers the form with this page and the certificate in
/// it); without it, the form downloads the extract straight away.
#[component]
pub fn IssueCertificatePage() -> impl IntoView {
    let overview = Resource::new(|| (), |()| operator_overview());
    let error = url_error(OperatorIssue::PATH).into();
    view! {
        <Title text="Выдать сертификат" />
        <section class="card">
            <p><a href="/operator/certificates">"← Сертификаты"</a></p>
            <h1>"Выдать сертификат"</h1>
            // Only a success replaces the form: a refused one keeps what was typed.
            {match posted::<Issued>() {
                Some(done) => view! { <IssuedCard done /> }.into_any(),
                None => view! {
                    <Suspense fallback=Loading>
                        {move || Suspend::new(async move {
                            match overview.await {
                                Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                                Err(e) => view! { <LoadError error=e /> }.into_any(),
                                Ok(o) => view! { <IssueForm o error /> }.into_any(),
                            }
                        })}
                    </Suspense>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn IssueForm(o: OperatorView, error: Signal<Option<AppError>>) -> impl IntoView {
    let field = move |name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      required: bool,
                      hint: &'static str| {
        let message = Signal::derive(move || field_message(&error.get(), name));
        view! {
            <div class="field" class:field--invalid=move || message.get().is_some()>
                <label for=name>{label} {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
                <input id=name name=name type=kind required=required aria-describedby=format!("{name}-error")
                    aria-invalid=move || message.get().is_some().then_some("true") />
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                <p class="error" id=format!("{name}-error") role="alert">{move || message.get()}</p>
            </div>
        }
    };
    let choice_error =
        move |name: &'static str| Signal::derive(move || field_message(&error.get(), name));
    let category_error = choice_error("category_id");
    let kind_error = choice_error("kind");
    view! {
        <FormMessage message=Signal::derive(move || general_message(&error.get())) />
        <form method="post" action="/operator/certificates/issue.pdf" class="editor" data-in-place="">
            {field("last_name", "Фамилия ребёнка", "text", true, "")}
            {field("first_name", "Имя ребёнка", "text", true, "")}
            {field("middle_name", "Отчество ребёнка", "text", false, "Если есть")}
            {field("birth_date", "Дата рождения", "date", true, "Сертификат выдаётся детям от 5 до 18 лет")}
            <div class="field" class:field--invalid=move || category_error.get().is_some()>
                <label for="category_id">"Категория"</label>
                <select id="category_id" name="category_id" required=true>
                    {o.categories.iter().map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> }).collect_view()}
                </select>
                <p class="error" role="alert">{move || category_error.get()}</p>
            </div>
            <fieldset class="question" class:field--invalid=move || kind_error.get().is_some()>
                <legend>"Тип сертификата"</legend>
                <label class="choice"><input type="radio" name="kind" value="financed" checked=true />
                    " Сертификат финансирования: номинал оплачивает обучение"</label>
                <label class="choice"><input type="radio" name="kind" value="registration" />
                    " Сертификат учёта: только запись, без номинала"</label>
                <p class="error" role="alert">{move || kind_error.get()}</p>
            </fieldset>
            {field("number", "Номер сертификата", "text", false, "10 цифр; оставьте пустым, и номер подберётся сам. Номер станет логином родителя.")}
            {field("email", "Электронная почта родителя", "email", false, "Если указать, логин и пароль придут и письмом")}
            <button type="submit" class="button button--primary" data-testid="issue-submit">"Выдать сертификат"</button>
        </form>
    }
}

#[component]
fn IssuedCard(done: Issued) -> impl IntoView {
    view! {
        <div class="alert alert--info" role="status" data-testid="issued">
            <p>"Сертификат выдан. Передайте родителю логин и пароль — пароль показывается только сейчас "
               "и печатается в выписке."</p>
            <dl class="facts">
                <dt>"Логин (номер сертификата)"</dt><dd data-testid="issued-number">{done.number.clone()}</dd>
                <dt>"Пароль"</dt><dd><code data-testid="issued-password">{done.password.clone()}</code></dd>
            </dl>
        </div>
        <form method="post" action=format!("/operator/certificates/{}/extract.pdf", done.id) class="inline-form">
            <input type="hidden" name="password" value=done.password.clone() />
            <button type="submit" class="button button--primary" data-testid="issued-extract">"Скачать выписку сертификата (PDF)"</button>
        </form>
        " "
        <a class="button button--ghost" href="/operator/certificates" rel="external">"К списку сертификатов"</a>
    }
}

/// The municipality's news: publishing and what was published.
#[component]
pub fn OperatorNewsPage() -> impl IntoView {
    let query = use_query_map();
    let publish = ServerAction::<PfdoNewsPublish>::new();
    let news = Resource::new(move || publish.version().get(), |_| operator_news());
    view! {
        <Title text="Новости муниципалитета" />
        <h1>"Новости муниципалитета"</h1>
        {move || query.with(|q| q.get_str("published").is_some()).then(|| view! {
            <div class="alert alert--info" role="status" data-testid="notice">
                "Новость опубликована: её увидят родители всех сертификатов муниципалитета."
            </div>
        })}
        <Publish publish />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match news.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(items) => view! { <NewsList items empty="Новостей пока нет." /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
