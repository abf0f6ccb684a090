//! «Мои документы»: admission documents, read-only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::nmo::documents;
use crate::components::layout::{LoadError, Loading};
use crate::error::AppError;
use crate::model::nmo::DocumentView;

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| documents());
    view! {
        <Title text="Мои документы" />
        <section class="card">
            <div class="card__head">
                <h1>"Мои документы"</h1>
                <a class="button button--primary" href="/nmo/documents/new">"Добавить документ"</a>
            </div>
            <p class="hint">
                "Сохранённый документ изменить нельзя. Если в нём ошибка, "
                <a href="/support?topic=documents">"напишите в техподдержку"</a> "."
            </p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(docs) if docs.is_empty() => view! {
                            <p data-testid="no-documents">
                                "Документов пока нет. Добавьте сертификат специалиста, свидетельство об "
                                "аккредитации или выписку о периодической аккредитации — с документа "
                                "начинается пятилетний цикл."
                            </p>
                        }.into_any(),
                        Ok(docs) => view! {
                            <ul class="documents">
                                {docs.into_iter().map(|d| view! { <DocumentCard d /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DocumentCard(d: DocumentView) -> impl IntoView {
    let frmr = if d.frmr_confirmed {
        ("badge badge--ok", "Подтверждён в ФРМР")
    } else {
        (
            "badge",
            "Не подтверждён в ФРМР — планировать обучение можно",
        )
    };
    view! {
        <li class="document" data-testid="document">
            <p class="document__title"><strong>{d.kind_title}</strong> " " {d.number}</p>
            <p><span class=frmr.0>{frmr.1}</span></p>
            <dl class="facts">
                <dt>"Специальность"</dt><dd>{d.specialty}</dd>
                <dt>"Организация"</dt>
                <dd>{d.organisation}
                    {(d.organisation_status == "pending").then(|| view! { " " <span class="badge">"на проверке"</span> })}
                </dd>
                <dt>"Дата экзамена"</dt><dd>{d.exam_date}</dd>
                {d.protocol_date.map(|p| view! { <dt>"Дата протокола"</dt><dd>{p}</dd> })}
                {d.issue_date.map(|p| view! { <dt>"Дата выдачи"</dt><dd>{p}</dd> })}
                <dt>"Пятилетний цикл"</dt><dd>{d.cycle_period}</dd>
            </dl>
        </li>
    }
}
