//! Kabinet: the one crate built twice — `ssr` into the server, `hydrate` into the WASM.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{Meta, MetaTags, Title, provide_meta_context};
use leptos_router::SsrMode;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use components::layout::{Footer, Header, provide_me};
use pages::{
    admin_organisations::AdminOrganisationsPage,
    admin_providers::AdminProvidersPage,
    admin_support::AdminSupportPage,
    cabinet::CabinetPage,
    confirm::ConfirmPage,
    dpo::{
        MyCoursesPage, RecordBookPage,
        catalogue::{CataloguePage, CoursePage},
        school::SchoolPage,
    },
    forgot::ForgotPage,
    home::HomePage,
    login::LoginPage,
    nmo::{
        cycles::CyclesPage,
        documents::DocumentsPage,
        elements::{ElementPage, ElementsPage},
        module::ModulePage,
        new_document::NewDocumentPage,
        plan::PlanPage,
        portfolio::PortfolioPage,
        start::StartPage,
    },
    not_found::NotFoundPage,
    operator::{IssueCertificatePage, OperatorCertificatesPage, OperatorNewsPage, OperatorPage},
    operator_registries::OperatorRegistriesPage,
    pfdo::{
        PfdoCabinetPage, PfdoLayout,
        apply::ApplyPage,
        contracts::{ContractPage, ContractsPage},
        events::{EventsPage, NewsPage},
        navigator::{NavigatorPage, ProgrammePage},
        portfolio::PortfolioPage as PfdoPortfolioPage,
        settings::{SchedulePage, SettingsPage},
    },
    profile::{ConfirmEmailPage, ProfilePage},
    provider::{ProviderEventPage, ProviderPage, ProviderProgrammePage},
    provider_apply::ProviderApplyPage,
    provider_dpo::{ProviderCoursePage, ProviderCoursesPage},
    provider_editor::ElementEditorPage,
    provider_pfdo::{ApplyForChildPage, ProviderContractPage, ProviderContractsPage},
    provider_pfdo_events::ProviderEventsPage,
    register::{RegisterPage, RegisterSentPage, RegisterTeacherPage},
    support::SupportPage,
};

/// The HTML document the server renders around the app. Its scripts and styles are named
/// under this build's address (`options.site_pkg_dir` is `pkg/<version>`, see the server's
/// `offline` module). Pages are server HTML: `page.js` loads the WASM only where the page has
/// islands (`<leptos-island>`), and hydrates just those.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = components::layout::current_theme();
    let a11y = components::a11y::current();
    let pkg = options.site_pkg_dir.to_string();
    let version = pkg.rsplit('/').next().unwrap_or_default().to_owned();
    let nonce = leptos::nonce::use_nonce();
    // Islands mode: only what an island renders is hydrated, so nothing else carries
    // hydration markers or serialised resources (as `HydrationScripts islands=true` would do).
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html
            lang="ru"
            data-theme=(theme != "system").then_some(theme)
            data-a11y=a11y.map(|a| a.value())
            data-a11y-size=a11y.map(|a| a.size.to_string())
            data-a11y-scheme=a11y.map(|a| a.scheme)
            data-a11y-font=a11y.map(|a| if a.serif { "serif" } else { "sans" })
            data-a11y-images=a11y.map(|a| if a.images { "on" } else { "off" })
        >
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="kabinet-version" content=version />
                <link rel="stylesheet" href=format!("/{pkg}/kabinet.css") />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <script type="module" src=format!("/{pkg}/page.js") nonce=nonce></script>
                <AutoReload options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The nonce of this page's scripts, chosen by the server's middleware (which also sends the
/// Content-Security-Policy naming it) and handed to Leptos through the request.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

/// The Content-Security-Policy of a page whose scripts carry `nonce`: only ours run.
#[cfg(feature = "ssr")]
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Makes Leptos use the middleware's nonce for this page (instead of one of its own that the
/// header would not name).
#[cfg(feature = "ssr")]
pub fn provide_page_nonce() {
    if let Some(n) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<PageNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::today::provide_today();
    view! {
        <Meta name="description" content="Личный кабинет непрерывного образования: НМО, ДПО, ПФДО" />
        <Title formatter=|t: String| if t.is_empty() { "Кабинет".to_string() } else { format!("{t} — Кабинет") } />
        <Router>
            <Frame />
        </Router>
    }
}

#[component]
fn Frame() -> impl IntoView {
    provide_me();
    view! {
        <a class="skip-link" href="#main">"Перейти к содержанию"</a>
        // Filled by page.js when there is no connection; the WASM never renders into it.
        <div id="net-banner" class="net-banner" role="status" aria-live="polite"></div>
        <Header />
        <main id="main" class="page" tabindex="-1">
            <ErrorBoundary fallback=|errors| {
                view! {
                    <div class="alert alert--error" role="alert">
                        <h1>"Что-то пошло не так"</h1>
                        <ul>
                            {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
                        </ul>
                        <p><a href="/">"На главную"</a></p>
                    </div>
                }
            }>
                // Async: each page is sent whole, so it reads complete without JavaScript and
                // redirects are real HTTP redirects.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/register/sent") view=RegisterSentPage ssr=SsrMode::Async />
                    <Route path=path!("/register/teacher") view=RegisterTeacherPage ssr=SsrMode::Async />
                    <Route path=path!("/confirm") view=ConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot") view=ForgotPage ssr=SsrMode::Async />
                    <Route path=path!("/cabinet") view=CabinetPage ssr=SsrMode::Async />
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/profile/confirm-email") view=ConfirmEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/support") view=SupportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/support") view=AdminSupportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/organisations") view=AdminOrganisationsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/providers") view=AdminProvidersPage ssr=SsrMode::Async />
                    <Route path=path!("/providers/apply") view=ProviderApplyPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/start") view=StartPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/documents") view=DocumentsPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/documents/new") view=NewDocumentPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/cycles") view=CyclesPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/plan") view=PlanPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/portfolio") view=PortfolioPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/elements") view=ElementsPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/elements/:id") view=ElementPage ssr=SsrMode::Async />
                    <Route path=path!("/nmo/modules/:id") view=ModulePage ssr=SsrMode::Async />
                    <Route path=path!("/provider") view=ProviderPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/events/:id") view=ProviderEventPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/programmes/:id") view=ProviderProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/provider/elements/:id") view=ElementEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/pfdo/contracts") view=ProviderContractsPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/pfdo/contracts/:id") view=ProviderContractPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/pfdo/apply") view=ApplyForChildPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/pfdo/events") view=ProviderEventsPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/dpo") view=ProviderCoursesPage ssr=SsrMode::Async />
                    <Route path=path!("/provider/dpo/courses/:id") view=ProviderCoursePage ssr=SsrMode::Async />
                    <Route path=path!("/dpo") view=MyCoursesPage ssr=SsrMode::Async />
                    <Route path=path!("/dpo/courses") view=CataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/dpo/courses/:id") view=CoursePage ssr=SsrMode::Async />
                    <Route path=path!("/dpo/record-book") view=RecordBookPage ssr=SsrMode::Async />
                    <Route path=path!("/dpo/school") view=SchoolPage ssr=SsrMode::Async />
                    <Route path=path!("/operator") view=OperatorPage ssr=SsrMode::Async />
                    <Route path=path!("/operator/certificates") view=OperatorCertificatesPage ssr=SsrMode::Async />
                    <Route path=path!("/operator/certificates/new") view=IssueCertificatePage ssr=SsrMode::Async />
                    <Route path=path!("/operator/news") view=OperatorNewsPage ssr=SsrMode::Async />
                    <Route path=path!("/operator/registries") view=OperatorRegistriesPage ssr=SsrMode::Async />
                    <ParentRoute path=path!("/pfdo") view=PfdoLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=PfdoCabinetPage ssr=SsrMode::Async />
                        <Route path=path!("navigator") view=NavigatorPage ssr=SsrMode::Async />
                        <Route path=path!("programmes/:id") view=ProgrammePage ssr=SsrMode::Async />
                        <Route path=path!("apply") view=ApplyPage ssr=SsrMode::Async />
                        <Route path=path!("contracts") view=ContractsPage ssr=SsrMode::Async />
                        <Route path=path!("contracts/:id") view=ContractPage ssr=SsrMode::Async />
                        <Route path=path!("schedule") view=SchedulePage ssr=SsrMode::Async />
                        <Route path=path!("news") view=NewsPage ssr=SsrMode::Async />
                        <Route path=path!("events") view=EventsPage ssr=SsrMode::Async />
                        <Route path=path!("portfolio") view=PfdoPortfolioPage ssr=SsrMode::Async />
                        <Route path=path!("settings") view=SettingsPage ssr=SsrMode::Async />
                    </ParentRoute>
                </Routes>
            </ErrorBoundary>
        </main>
        <Footer />
    }
}
