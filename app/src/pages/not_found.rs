use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Страница не найдена" />
        <section class="card narrow">
            <h1>"Страница не найдена"</h1>
            <p>"Адрес набран с ошибкой или страница удалена."</p>
            <p><a href="/">"На главную"</a></p>
        </section>
    }
}
