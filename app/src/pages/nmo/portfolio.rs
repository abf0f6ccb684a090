//! «Портфолио»: documents, every cycle's credits and completed elements; a PDF of the same.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::plan::get_portfolio;
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::plan::{Portfolio, PortfolioCycle};

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_portfolio());
    view! {
        <Title text="Портфолио" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => view! { <PortfolioView p /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PortfolioView(p: Portfolio) -> impl IntoView {
    view! {
        <section class="card">
            <div class="card__head">
                <h1>"Портфолио"</h1>
                <a class="button button--primary" href="/nmo/portfolio.pdf" download="portfolio.pdf"
                    rel="external">"Скачать PDF"</a>
            </div>
            <p><strong>{p.specialist}</strong> " · СНИЛС " {p.snils}</p>
            <h2>"Документы о допуске"</h2>
            {if p.documents.is_empty() {
                view! { <p>"Документов пока нет. " <a href="/nmo/documents/new">"Добавить документ"</a></p> }.into_any()
            } else {
                view! {
                    <ul class="portfolio__documents">
                        {p.documents.into_iter().map(|d| view! {
                            <li data-testid="portfolio-document">{d.kind_title} " № " {d.number} ", " {d.specialty}
                                <span class="hint">" · " {d.organisation} " · цикл " {d.cycle_period}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {p.cycles.into_iter().map(|c| view! { <CycleCard c /> }).collect_view()}
    }
}

#[component]
fn CycleCard(c: PortfolioCycle) -> impl IntoView {
    let total = c.credits.total();
    let target = c.credits.targets.total;
    view! {
        <section class="card" data-testid="portfolio-cycle">
            <h2>"Цикл: " {c.specialty} ", " {c.period}</h2>
            <p>"Баллы (ЗЕТ): " <strong data-testid="portfolio-total">{total}</strong> " из " {target}
               " · ИОМ " {c.credits.modules} " · ДПП ПК " {c.credits.programmes}
               " · мероприятия " {c.credits.events} " · другое " {c.credits.other}</p>
            <p class="hint">{c.sentence}</p>
            {if c.items.is_empty() {
                view! { <p>"Завершённых элементов пока нет."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <caption class="visually-hidden">"Завершённые элементы цикла"</caption>
                            <thead><tr>
                                <th scope="col">"Дата"</th>
                                <th scope="col">"Элемент"</th>
                                <th scope="col">"ЗЕТ"</th>
                            </tr></thead>
                            <tbody>
                                {c.items.into_iter().map(|i| view! {
                                    <tr data-testid="portfolio-item">
                                        <td>{i.completed_on}</td>
                                        <td>{i.title}<br /><span class="hint">{i.kind.one()} " · " {i.provider}</span></td>
                                        <td>{i.credits}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
