//! «Записаться»: the quote for the chosen group and year, the three confirmations, submit.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::PfdoFrame;
use crate::api::pfdo::{PfdoApply, pfdo_quote};
use crate::components::form::{FormMessage, field_message, form_error, general_message};
use crate::components::layout::{LoadError, Loading};
use crate::domain::time::month_year;
use crate::error::AppError;
use crate::model::pfdo::QuoteView;

#[component]
pub fn ApplyPage() -> impl IntoView {
    let query = use_query_map();
    let apply = ServerAction::<PfdoApply>::new();
    let chosen = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get_str("group").and_then(|g| g.parse::<i64>().ok()),
                q.get_str("year").and_then(|y| y.parse::<i32>().ok()),
            )
        })
    });
    // A submit the rules refused (the balance changed meanwhile) shows the new quote at once;
    // a missing confirmation keeps the form as it is.
    let requote = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if let Some(Err(AppError::Domain(_))) = apply.value().get() {
            requote.update(|n| *n += 1);
        }
    });
    let quote = Resource::new(
        move || (chosen.get(), requote.get()),
        |((group, year), _)| async move {
            match group {
                Some(g) => pfdo_quote(g, year).await,
                None => Err(AppError::BadRequest(
                    "Выберите группу на странице программы в навигаторе".into(),
                )),
            }
        },
    );
    if let Some(frame) = use_context::<PfdoFrame>() {
        frame.follow(move || apply.version().get());
    }
    let error = form_error(apply, PfdoApply::PATH);
    view! {
        <Title text="Заявка на обучение" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match quote.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! {
                        <section class="card">
                            <h1>"Заявка на обучение"</h1>
                            <LoadError error=e />
                            <p><a href="/pfdo/navigator">"Вернуться в навигатор"</a></p>
                        </section>
                    }.into_any(),
                    Ok(q) => view! { <Quote q apply error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Quote(
    q: QuoteView,
    apply: ServerAction<PfdoApply>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let general = Signal::derive(move || general_message(&error.get()));
    let missing = move |f: &str| field_message(&error.get(), f);
    let money_text = if q.family_share.0 > 0 {
        format!(
            "Я согласен, что сертификат оплатит {}, а семья — {} по графику платежей",
            q.certificate_share, q.family_share
        )
    } else {
        format!(
            "Я согласен, что {} будут зарезервированы на сертификате и списываться по графику платежей",
            q.certificate_share
        )
    };
    let group_id = q.group_id;
    let year = q.year;
    view! {
        <section class="card">
            <p><a href=format!("/pfdo/programmes/{}", q.programme_id)>"← К программе"</a></p>
            <h1>"Заявка на обучение"</h1>
            <dl class="facts">
                <dt>"Программа"</dt><dd>{q.programme.clone()}</dd>
                <dt>"Модуль"</dt><dd>{q.module.clone()}</dd>
                <dt>"Группа"</dt><dd>{q.group.clone()}</dd>
                <dt>"Организация"</dt><dd>{q.provider.clone()}</dd>
                <dt>"Обучение"</dt><dd>{format!("с {} по {}", q.starts_on, q.ends_on)}</dd>
            </dl>
            {(q.years.len() > 1).then(|| view! {
                <nav class="tabs" aria-label="Период">
                    {q.years.iter().map(|y| view! {
                        <a class="tabs__tab" href=format!("/pfdo/apply?group={group_id}&year={y}")
                            aria-current=(*y == year).then_some("page")>{format!("{y} год")}</a>
                    }).collect_view()}
                </nav>
            })}
        </section>
        <section class="card" data-testid="quote">
            <h2>"Расчёт"</h2>
            <dl class="facts">
                <dt>"Стоимость за период"</dt><dd data-testid="quote-price">{q.price.to_string()}</dd>
                <dt>"Оплачивается сертификатом"</dt><dd data-testid="quote-certificate">{q.certificate_share.to_string()}</dd>
                <dt>"Оплачивает семья"</dt><dd data-testid="quote-family">{q.family_share.to_string()}</dd>
                <dt>"Баланс сертификата"</dt><dd data-testid="quote-balance">{q.balance.to_string()}</dd>
            </dl>
            <p class="hint">"Стоимость пересчитана по дням обучения в выбранном году. Сертификат оплачивает не больше "
                "цены, нормативной стоимости и баланса; ежемесячные платежи округлены вниз до копеек, остаток — в первом месяце."</p>
            <div class="table-wrap">
                <table class="table">
                    <caption>"Платежи по месяцам"</caption>
                    <thead><tr><th scope="col">"Месяц"</th><th scope="col">"Сертификат"</th><th scope="col">"Семья"</th></tr></thead>
                    <tbody>
                        {q.payments.iter().map(|p| view! {
                            <tr><th scope="row">{month_year(p.month)}</th><td>{p.certificate.to_string()}</td><td>{p.family.to_string()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <FormMessage message=general />
            {match q.obstacle.clone() {
                Some(o) => view! {
                    <p class="alert alert--error" role="alert" data-testid="apply-obstacle">{o}</p>
                    <p><a href="/pfdo/navigator">"Найти другую программу"</a></p>
                }.into_any(),
                None => view! {
                    <ActionForm action=apply attr:class="apply-form">
                        <input type="hidden" name="group_id" value=group_id.to_string() />
                        <input type="hidden" name="year" value=year.to_string() />
                        <input type="hidden" name="share" value=q.certificate_share.0.to_string() />
                        <fieldset>
                            <legend>"Подтвердите"</legend>
                            <Confirm name="confirm_apply" error=Signal::derive(move || missing("confirm_apply"))
                                text="Я подаю заявку на обучение ребёнка по выбранному модулю и группе" />
                            <Confirm name="confirm_family" error=Signal::derive(move || missing("confirm_family"))
                                text=money_text />
                            <Confirm name="confirm_terms" error=Signal::derive(move || missing("confirm_terms"))
                                text="Я ознакомлен с программой, расписанием и условиями договора-оферты" />
                        </fieldset>
                        <button type="submit" class="button button--primary" data-testid="apply-submit"
                            disabled=move || apply.pending().get()>"Подать заявку"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Confirm(
    name: &'static str,
    #[prop(into)] text: String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("{name}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="choice">
                <input type="checkbox" name=name value="on" data-testid=name
                    aria-describedby=id.clone() aria-invalid=move || error.get().is_some().then_some("true") />
                " " {text}
            </label>
            <p class="error" id=id>{move || error.get()}</p>
        </div>
    }
}
