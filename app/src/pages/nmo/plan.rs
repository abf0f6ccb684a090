//! «Мой план»: the current cycle's elements with their states and actions, and the credits.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::plan::{ActivateCode, ApplyProgramme, RemoveItem, WithdrawApplication, get_plan};
use crate::components::form::{Field, FormMessage, Submit, url_error};
use crate::components::island::{Island, island, island_state};
use crate::components::layout::{LoadError, Loading};
use crate::domain::nmo::code::{Code, format_partial};
use crate::domain::nmo::credits::CycleCredits;
use crate::domain::nmo::plan::{ElementKind, ItemStatus, format_label};
use crate::error::AppError;
use crate::model::plan::{PlanItemView, PlanView, RunOption};

#[component]
pub fn PlanPage() -> impl IntoView {
    let query = use_query_map();
    let remove = ServerAction::<RemoveItem>::new();
    let apply = ServerAction::<ApplyProgramme>::new();
    let plan = Resource::new(
        move || {
            (
                query.with(|q| q.to_query_string()),
                remove.version().get(),
                apply.version().get(),
            )
        },
        |_| get_plan(),
    );
    // Without JavaScript a refused form comes back with its error in the address.
    let code_error = url_error(ActivateCode::PATH);
    let remove_error = url_error(RemoveItem::PATH);
    let apply_error = url_error(ApplyProgramme::PATH);
    let withdraw_error = url_error(WithdrawApplication::PATH);
    let notice = move || {
        query.with(|q| {
            if q.get_str("included").is_some() {
                Some("Элемент включён в план.")
            } else if q.get_str("activated").is_some() {
                Some("Код активирован, на проверке. Баллы зачислятся, когда организатор его подтвердит.")
            } else if q.get_str("applied").is_some() {
                Some("Заявка сформирована. Скачайте её, распечатайте, подпишите и передайте в \
                      организацию. Заявка не гарантирует зачисления: решение принимает организация.")
            } else if q.get_str("withdrawn").is_some() {
                Some("Заявка отозвана. Можно сформировать новую или удалить программу из плана.")
            } else if q.get_str("removed").is_some() {
                Some("Элемент удалён из плана.")
            } else {
                None
            }
        })
    };
    let general = Signal::derive(move || {
        let action_error = match (remove.value().get(), apply.value().get()) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e),
            _ => None,
        };
        action_error
            .or_else(|| remove_error.get())
            .or_else(|| code_error.get())
            .or_else(|| apply_error.get())
            .or_else(|| withdraw_error.get())
            .map(|e| match e {
                AppError::Validation(_) => e
                    .field_message("code")
                    .or_else(|| e.field_message("run_id"))
                    .unwrap_or_else(|| e.to_string()),
                other => other.to_string(),
            })
    });
    view! {
        <Title text="Мой план" />
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status">{n}</div> })}
        <FormMessage message=general />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match plan.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => view! { <Plan plan=p remove apply /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Plan(
    plan: PlanView,
    remove: ServerAction<RemoveItem>,
    apply: ServerAction<ApplyProgramme>,
) -> impl IntoView {
    let Some(cycle) = plan.cycle.clone() else {
        return view! {
            <section class="card">
                <h1>"Мой план"</h1>
                <p>{plan.sentence}</p>
                <p><a class="button button--primary" href="/nmo/documents/new">"Добавить документ"</a></p>
            </section>
        }
        .into_any();
    };
    let empty = plan.items.is_empty();
    view! {
        <section class="card">
            <div class="card__head">
                <h1>"Мой план"</h1>
                <a class="button button--primary" href="/nmo/elements">"Добавить элементы"</a>
            </div>
            <p>"Пятилетний цикл: " <strong data-testid="plan-cycle">{cycle.specialty}</strong> ", " {cycle.period}
               ". " <a href="/nmo/cycles">"Другой цикл"</a></p>
            {plan.credits.map(|c| view! { <Credits credits=c sentence=plan.sentence.clone() svg=plan.chart_svg.clone() /> })}
        </section>
        <section class="card">
            <h2>"Элементы плана"</h2>
            {if empty {
                view! {
                    <p>"В плане пока ничего нет. Нажмите «Добавить элементы», чтобы найти интерактивные модули, "
                       "образовательные мероприятия и программы повышения квалификации."</p>
                }.into_any()
            } else {
                view! {
                    <ul class="plan">
                        {plan.items.into_iter().map(|i| view! { <Item item=i remove apply /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn Credits(credits: CycleCredits, sentence: String, svg: String) -> impl IntoView {
    let t = credits.targets;
    let total = credits.total();
    let rows = [
        ("ИОМ", credits.modules),
        ("ДПП ПК", credits.programmes),
        ("Образовательные мероприятия", credits.events),
        ("Другое", credits.other),
    ];
    view! {
        <div class="credits" data-testid="credits">
            <h2>"Баллы (ЗЕТ) за цикл: " <span data-testid="credits-total">{total}</span> " из " {t.total}</h2>
            <progress max=t.total.to_string() value=total.min(t.total).to_string()>{total} " из " {t.total}</progress>
            <table class="credits__kinds">
                <caption class="visually-hidden">"ЗЕТ по видам обучения"</caption>
                <tbody>
                    {rows.into_iter().map(|(name, v)| view! {
                        <tr><th scope="row">{name}</th><td data-testid=format!("credits-{name}")>{v}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <figure class="credits__chart">
                <div inner_html=svg data-testid="credits-chart"></div>
                <figcaption>"ЗЕТ по годам цикла (засчитываются в году завершения)"</figcaption>
            </figure>
            <p class="credits__sentence" data-testid="credits-sentence">{sentence}</p>
        </div>
    }
}

#[component]
fn Item(
    item: PlanItemView,
    remove: ServerAction<RemoveItem>,
    apply: ServerAction<ApplyProgramme>,
) -> impl IntoView {
    let id = item.id;
    let status_class = format!("badge badge--{}", item.status.code());
    let withdraw = ServerAction::<WithdrawApplication>::new();
    let action = match (item.kind, item.status) {
        (ElementKind::Module, ItemStatus::Planned) => view! {
            <a class="button button--primary" href=format!("/nmo/modules/{id}")>"Перейти к обучению"</a>
        }
        .into_any(),
        (ElementKind::Module, _) => view! {
            <a class="button button--ghost" href=format!("/nmo/modules/{id}")>"Открыть модуль"</a>
        }
        .into_any(),
        (ElementKind::Event, ItemStatus::Planned | ItemStatus::Rejected) => {
            island(CodeForm { item_id: id }).into_any()
        }
        (ElementKind::Programme, ItemStatus::Planned) => {
            view! { <ApplyForm item_id=id runs=item.runs.clone() chosen=None apply /> }.into_any()
        }
        (ElementKind::Programme, ItemStatus::Applied) => view! {
            <ActionForm action=withdraw attr:class="inline-form">
                <input type="hidden" name="item_id" value=id.to_string() />
                <button type="submit" class="button button--ghost">"Отозвать заявку"</button>
            </ActionForm>
            <details class="code-form">
                <summary class="button button--ghost">"Выбрать другой цикл обучения"</summary>
                <ApplyForm item_id=id runs=item.runs.clone() chosen=item.run_id apply />
            </details>
        }
        .into_any(),
        _ => ().into_any(),
    };
    let download = item.application.then(|| {
        view! {
            <a class="button button--primary" href=format!("/nmo/plan/{id}/application.pdf")
                download=format!("zayavka-dpp-pk-{id}.pdf") rel="external">"Скачать заявку (PDF)"</a>
        }
    });
    view! {
        <li class="plan__item" id=format!("item-{id}") data-testid="plan-item">
            <p class="plan__kind">{item.kind.one()} " · " {format_label(&item.format)}
                {item.dates.clone().map(|d| view! { " · " {d} })}</p>
            <p class="plan__title"><a href=format!("/nmo/elements/{}", item.element_id)>{item.title.clone()}</a></p>
            <p class="hint">{item.provider.clone()} " · " {item.credits} " ЗЕТ"
                {item.run.clone().map(|r| view! { " · цикл обучения " {r} })}</p>
            <p><span class=status_class data-testid="plan-status">{item.status_label.clone()}</span>
                {item.earned.map(|e| view! { " " <span class="hint">"зачислено " {e} " ЗЕТ"
                    {item.completed_on.clone().map(|d| view! { ", " {d} })}</span> })}</p>
            {item.note.clone().map(|n| view! { <p class="alert alert--error">"Причина: " {n}</p> })}
            <div class="plan__actions">
                {download}
                {action}
                {item.removable.then(|| view! {
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="item_id" value=id.to_string() />
                        <button type="submit" class="button button--ghost">"Удалить из плана"</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

island_state! {
    /// «Ввести код подтверждения» → «Проверить код»; the code is formatted as it is typed by the
    /// same Rust that normalises it on the server.
    code_form: CodeForm {
        item_id: i64,
    }
}

impl Island for CodeForm {
    fn view(self) -> impl IntoView {
        let CodeForm { item_id } = self;
        let code = RwSignal::new(String::new());
        let touched = RwSignal::new(false);
        // The server's refusal is shown above the plan; here, the code's own shape.
        let error = Signal::derive(move || {
            (touched.get() && !code.get().is_empty())
                .then(|| Code::parse(&code.get()).err())
                .flatten()
        });
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            // Read the form itself: a code typed before the WASM arrived is not in the signal.
            #[cfg(feature = "hydrate")]
            {
                let v = crate::components::form::submitted_values(&ev);
                code.set(format_partial(&v.get("code")));
            }
            touched.set(true);
            if Code::parse(&code.get_untracked()).is_err() {
                ev.prevent_default();
            }
        };
        let field_id = format!("code-{item_id}");
        view! {
            <details class="code-form" open=move || error.get().is_some()>
                <summary class="button button--primary">"Ввести код подтверждения"</summary>
                <form method="post" action=ActivateCode::url() on:submit=on_submit novalidate=true>
                    <input type="hidden" name="item_id" value=item_id.to_string() />
                    <Field id=field_id name="code" label="Код подтверждения (ИКП)" value=code error=error
                        placeholder="например, K7PQ-01Z9X2M4" maxlength=40 autocomplete="one-time-code"
                        hint="12 латинских букв и цифр; регистр, пробелы и дефисы не важны"
                        on_input=Callback::new(move |v: String| code.set(format_partial(&v)))
                        on_blur=Callback::new(move |_| touched.set(true)) />
                    <Submit label="Проверить код" />
                </form>
            </details>
        }
    }
}

/// «Сформировать»: choose a run that has not started, then the application is formed.
#[component]
fn ApplyForm(
    item_id: i64,
    runs: Vec<RunOption>,
    chosen: Option<i64>,
    apply: ServerAction<ApplyProgramme>,
) -> impl IntoView {
    if runs.is_empty() {
        return view! {
            <p class="hint">"Набор закрыт: у программы нет циклов обучения, которые ещё не начались."</p>
        }
        .into_any();
    }
    let selected = chosen.or_else(|| runs.first().map(|r| r.id));
    view! {
        <ActionForm action=apply attr:class="apply-form">
            <input type="hidden" name="item_id" value=item_id.to_string() />
            <fieldset class="runs">
                <legend>"Цикл обучения"</legend>
                {runs.into_iter().map(|r| view! {
                    <label class="radio">
                        <input type="radio" name="run_id" value=r.id.to_string() checked=selected == Some(r.id)
                            required=true />
                        " " {r.dates}
                    </label>
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button button--primary" disabled=move || apply.pending().get()>
                "Сформировать заявку"
            </button>
        </ActionForm>
    }
    .into_any()
}
