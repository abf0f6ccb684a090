use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Личный кабинет непрерывного образования"</h1>
            <p class="lead">
                "Для медицинских и фармацевтических специалистов (НМО): регистрация по СНИЛС, "
                "вход, профиль и обращения в техподдержку."
            </p>
            <div class="actions">
                <a class="button button--primary" href="/login">"Войти"</a>
                <a class="button" href="/register">"Зарегистрироваться"</a>
            </div>
        </section>
        <section class="card">
            <h2>"Как начать"</h2>
            <ol class="steps">
                <li>"Заполните регистрацию: СНИЛС, ФИО, контакты."</li>
                <li>"Откройте ссылку из письма — придёт второе письмо с логином и паролем."</li>
                <li>"Войдите по СНИЛС и паролю. Пароль можно сменить в профиле."</li>
            </ol>
        </section>
    }
}
