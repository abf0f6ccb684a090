//! «Мои пятилетние циклы»: one per document; the chosen one is current (the plan shows it).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::nmo::{ChooseCycle, cycles};
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;

#[component]
pub fn CyclesPage() -> impl IntoView {
    let choose = ServerAction::<ChooseCycle>::new();
    let list = Resource::new(move || choose.version().get(), |_| cycles());
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            if q.get_str("added").is_some() {
                Some("Документ сохранён, открыт пятилетний цикл.")
            } else if q.get_str("chosen").is_some() {
                Some("Текущий цикл выбран.")
            } else {
                None
            }
        })
    };
    view! {
        <Title text="Мои пятилетние циклы" />
        {move || notice().map(|n| view! { <div class="alert alert--info" role="status">{n}</div> })}
        <section class="card">
            <div class="card__head">
                <h1>"Мои пятилетние циклы"</h1>
                <a class="button" href="/nmo/documents/new">"Добавить документ"</a>
            </div>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p>"Циклов пока нет: цикл открывается, когда вы добавляете документ о допуске."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="cycles">
                                {list.into_iter().map(|c| view! {
                                    <li class="cycle" class:cycle--current=c.current data-testid="cycle">
                                        <p class="cycle__title"><strong>{c.specialty}</strong> " · " {c.period}
                                            " " <span class="badge">{c.state}</span></p>
                                        <p class="hint">{c.document}</p>
                                        {if c.current {
                                            view! { <p class="cycle__current">"Текущий цикл"</p> }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=choose attr:class="inline-form">
                                                    <input type="hidden" name="id" value=c.id.to_string() />
                                                    <button type="submit" class="button button--ghost">"Сделать текущим"</button>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
