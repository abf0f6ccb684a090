//! The frame around every page: header with the user's name and logout, navigation per role.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::auth::{Logout, get_me};
use crate::model::{Me, Role};

/// Who is signed in; refetched on every navigation so login and logout show at once.
#[derive(Clone, Copy)]
pub struct MeResource(pub Resource<Option<Me>>);

pub fn provide_me() {
    let location = use_location();
    let me = Resource::new(
        move || location.pathname.get(),
        |_| async move { get_me().await.ok().flatten() },
    );
    provide_context(MeResource(me));
}

fn nav_for(role: Role) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::Admin => vec![
            ("/admin/support", "Обращения"),
            ("/admin/organisations", "Организации"),
            ("/admin/providers", "Поставщики"),
            ("/profile", "Профиль"),
        ],
        Role::Specialist => vec![
            ("/cabinet", "Кабинет"),
            ("/nmo/plan", "Мой план"),
            ("/nmo/cycles", "Циклы"),
            ("/nmo/documents", "Документы"),
            ("/nmo/portfolio", "Портфолио"),
            ("/profile", "Профиль"),
            ("/support", "Техподдержка"),
        ],
        Role::Provider => vec![
            ("/provider", "Кабинет поставщика"),
            ("/provider/pfdo/contracts", "Заявки ПФДО"),
            ("/provider/pfdo/events", "Мероприятия и новости"),
            ("/provider/dpo", "Курсы ДПО"),
            ("/profile", "Профиль"),
            ("/support", "Техподдержка"),
        ],
        Role::Operator => vec![
            ("/operator", "Муниципалитет"),
            ("/operator/certificates", "Сертификаты"),
            ("/operator/certificates/new", "Выдать сертификат"),
            ("/operator/registries", "Реестры"),
            ("/operator/news", "Новости"),
            ("/support", "Техподдержка"),
        ],
        Role::Parent => vec![
            ("/pfdo", "Кабинет"),
            ("/pfdo/navigator", "Навигатор"),
            ("/pfdo/contracts", "Договоры"),
            ("/pfdo/schedule", "Расписание"),
            ("/pfdo/news", "Новости"),
            ("/pfdo/events", "Мероприятия"),
            ("/pfdo/portfolio", "Портфолио"),
            ("/pfdo/settings", "Настройки"),
            ("/support", "Техподдержка"),
        ],
        Role::Teacher => vec![
            ("/dpo", "Мои курсы"),
            ("/dpo/courses", "Каталог курсов"),
            ("/dpo/record-book", "Зачётная книжка"),
            ("/profile", "Профиль"),
            ("/support", "Техподдержка"),
        ],
        Role::SchoolHead => vec![
            ("/dpo/school", "Заявки педагогов"),
            ("/dpo/courses", "Каталог курсов"),
            ("/profile", "Профиль"),
            ("/support", "Техподдержка"),
        ],
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let MeResource(me) = expect_context::<MeResource>();
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="site-header">
            <div class="a11y-bar"><crate::components::a11y::A11yPanel /></div>
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"К"</span>
                    <span class="brand__name">"Кабинет"</span>
                    <span class="brand__sub">"непрерывное образование"</span>
                </a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match me.await {
                            Some(me) => view! {
                                <nav class="main-nav" aria-label="Разделы">
                                    <ul>
                                        {{
                                            let links = nav_for(me.role);
                                            // «Кабинет» at /pfdo is not current on /pfdo/navigator.
                                            let exact: Vec<bool> = links
                                                .iter()
                                                .map(|(href, _)| links.iter().any(|(o, _)| o != href && o.starts_with(href)))
                                                .collect();
                                            links
                                                .into_iter()
                                                .zip(exact)
                                                .map(|((href, label), exact)| view! { <li><A href=href exact>{label}</A></li> })
                                                .collect_view()
                                        }}
                                    </ul>
                                </nav>
                                <div class="user-box">
                                    <span class="user-box__name" data-testid="user-name">{me.short_name}</span>
                                    <span class="user-box__role">{me.role.title()}</span>
                                    <ActionForm action=logout attr:class="inline-form">
                                        <button type="submit" class="button button--ghost">"Выйти"</button>
                                    </ActionForm>
                                </div>
                            }
                            .into_any(),
                            None => view! {
                                <nav class="main-nav" aria-label="Вход">
                                    <ul>
                                        <li><A href="/login">"Войти"</A></li>
                                        <li><A href="/register">"Регистрация"</A></li>
                                    </ul>
                                </nav>
                            }
                            .into_any(),
                        }
                    })}
                </Transition>
            </div>
        </header>
    }
}

/// The colour themes: (value, title). Without a choice the system's setting applies.
pub const THEMES: [(&str, &str); 3] = [
    ("system", "Как в системе"),
    ("light", "Светлая"),
    ("dark", "Тёмная"),
];

/// The theme chosen in the `theme` cookie of a `Cookie` header: `light` or `dark`.
pub fn theme_in_cookies(cookies: &str) -> Option<&'static str> {
    cookies
        .split(';')
        .filter_map(|c| c.trim().strip_prefix("theme="))
        .find_map(|v| {
            THEMES
                .iter()
                .map(|(t, _)| *t)
                .find(|t| *t == v && *t != "system")
        })
}

/// The settings cookies this page was rendered with, as a `Cookie` header carries them: the
/// request's own header on the server; in the browser, `name=` the value the server wrote into
/// `<html>`'s `attribute`. Both sides then render the same.
pub fn rendered_cookies(name: &str, attribute: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    let cookies = {
        let _ = (name, attribute);
        use_context::<http::request::Parts>().and_then(|p| {
            p.headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
    };
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    let cookies = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute(attribute))
        .map(|v| format!("{name}={v}"));
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    let cookies = {
        let _ = (name, attribute);
        None
    };
    cookies
}

/// The theme this page was rendered with, so the server and the browser render the same footer.
pub fn current_theme() -> &'static str {
    rendered_cookies("theme", "data-theme")
        .as_deref()
        .and_then(theme_in_cookies)
        .unwrap_or("system")
}

/// The page a settings form returns to after its post: this page's path and query.
#[component]
pub fn BackField() -> impl IntoView {
    let back = leptos_router::hooks::use_location();
    view! {
        <input type="hidden" name="back" value=move || {
            let search = back.search.get();
            let search = search.trim_start_matches('?');
            let sep = if search.is_empty() { "" } else { "?" };
            format!("{}{sep}{search}", back.pathname.get())
        } />
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let theme = current_theme();
    view! {
        <footer class="site-footer">
            <p>
                "Кабинет — личный кабинет непрерывного образования. "
                <a href="/support">"Обращение в техподдержку"</a>
            </p>
            <form class="theme-form" method="post" action="/theme">
                <BackField />
                <label for="theme">"Оформление"</label>
                <select id="theme" name="theme">
                    {THEMES.iter().map(|(v, t)| view! { <option value=*v selected=*v == theme>{*t}</option> }).collect_view()}
                </select>
                <button type="submit" class="button button--ghost" data-testid="theme-apply">"Применить"</button>
            </form>
        </footer>
    }
}

/// Shown while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Загрузка…"</p> }
}

/// Shown when a page cannot load its data.
#[component]
pub fn LoadError(error: crate::error::AppError) -> impl IntoView {
    let message = error.to_string();
    let login = matches!(error, crate::error::AppError::Unauthorized);
    view! {
        <div class="alert alert--error" role="alert">
            <p>{message}</p>
            {login.then(|| view! { <p><a href="/login">"Перейти ко входу"</a></p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::theme_in_cookies;

    #[test]
    fn only_a_known_theme_is_taken_from_the_cookies() {
        assert_eq!(theme_in_cookies("a=1; theme=dark; b=2"), Some("dark"));
        assert_eq!(theme_in_cookies("theme=light"), Some("light"));
        assert_eq!(theme_in_cookies("theme=system"), None);
        assert_eq!(theme_in_cookies("theme=<script>"), None);
        assert_eq!(theme_in_cookies("xtheme=dark"), None);
        assert_eq!(theme_in_cookies(""), None);
    }
}
