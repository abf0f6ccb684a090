//! The router: Leptos pages, server functions, static files, health, the demo mailbox.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use app::ssr::session::RequestSession;
use app::ssr::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes as _, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::{http_layers, offline};

/// The pages' routes, found once per process. Finding them renders the app with every
/// resource held pending through a flag that is global to the process (leptos_server's
/// `SuppressResourceLoad`): a page rendered anywhere in the process meanwhile waits forever
/// on its first resource. A second router (the tests start many) reuses this list.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// Pages and server-function answers are compressed per request, so at the fastest level:
/// brotli 1 (gzip 1 for browsers without brotli). Measured with wrk on 2 cores against
/// tower-http's default (brotli 4): /login 3 090 req/s instead of 2 170, /nmo/plan 720 instead
/// of 590, /cabinet 445 instead of 405, for 14–19 % more bytes (/cabinet 3 290 B instead of
/// 2 880). Static files are not compressed here: they are sent as compressed at build time.
const PAGE_COMPRESSION: CompressionLevel = CompressionLevel::Precise(1);

pub fn router(mut state: AppState) -> Router {
    let build = Arc::new(offline::Build::load(&state.leptos_options));
    // Pages name their scripts under this build's address (see `offline`).
    state.leptos_options = build.page_options(&state.leptos_options);
    let routes = ROUTES.clone();
    let options = state.leptos_options.clone();
    let page_state = state.clone();
    let fallback_state = state.clone();

    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(page_state.clone());
                provide_context(RequestSession::default());
                app::provide_page_nonce();
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || {
                provide_context(fallback_state.clone());
                provide_context(RequestSession::default());
                app::provide_page_nonce();
            },
            shell,
        ));

    // Known server functions are registered by `leptos_routes_with_context`; this catches the rest.
    let api = Router::new().route("/api/{*fn_name}", post(unknown_api).get(unknown_api));

    let assets = Router::new()
        .route("/pkg/{*path}", get(offline::asset))
        .route("/sw.js", get(offline::service_worker))
        .with_state(build.clone());

    Router::new()
        .route("/healthz", get(healthz))
        .route("/theme", post(set_theme))
        .route("/a11y", post(set_a11y))
        .route("/readyz", get(readyz))
        .route("/dev/mail", get(dev_mail))
        .route("/dev/mail.json", get(dev_mail_json))
        .route("/support/attachment/{id}", get(attachment))
        .route("/provider/events/{id}/codes.csv", post(codes_csv))
        .route("/nmo/plan/{id}/application.pdf", get(application_pdf))
        .route("/nmo/portfolio.pdf", get(portfolio_pdf))
        .route("/admin/providers/scans/{id}", get(provider_scan))
        .route("/pfdo/extract.pdf", get(extract_pdf).post(extract_pdf_with_password))
        .route("/operator/certificates/issue.pdf", post(issue_without_js))
        .route("/pfdo/schedule.ics", get(schedule_ics))
        .route("/pfdo/attendance.pdf", get(attendance_pdf))
        .route("/pfdo/portfolio.pdf", get(pfdo_portfolio_pdf))
        .route("/dpo/record-book.pdf", get(record_book_pdf))
        .route("/operator/certificates/{id}/extract.pdf", post(operator_extract_pdf))
        .merge(api)
        .merge(assets)
        .merge(pages)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(state.clone(), http_layers::private_pages))
        .layer(axum::middleware::from_fn(http_layers::api_error_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), offline::idempotency))
        .layer(axum::middleware::from_fn(http_layers::api_body_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http_layers::csrf))
        .layer(axum::middleware::from_fn(http_layers::page_nonce))
        .layer(axum::middleware::from_fn(http_layers::security_headers))
        .layer(axum::middleware::from_fn_with_state((build, state.clock.clone()), offline::offline_headers))
        .layer(CompressionLayer::new().quality(PAGE_COMPRESSION))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CatchPanicLayer::custom(http_layers::panic_response))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

async fn unknown_api() -> Response {
    crate::http_layers::app_error(&app::error::AppError::NotFound)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "база данных недоступна").into_response()
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn dev_mail(State(state): State<AppState>) -> Response {
    if !state.settings.demo {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mails = match app::ssr::mailer::list_sent(&state.db, 200).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "dev mail");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Демо-почта — Кабинет</title>\
         <link rel=\"stylesheet\" href=\"/pkg/kabinet.css\"></head><body><main class=\"page\"><h1>Демо-почта</h1>\
         <p>Письма, которые отправил бы сервер (KABINET_DEMO=1, без SMTP_URL). Новые сверху.</p>",
    );
    for m in mails {
        html.push_str(&format!(
            "<article class=\"card mail\" data-to=\"{to}\"><h2>{subject}</h2><p>Кому: {to} · {date} · \
             <a href=\"/dev/mail/{id}.eml\">.eml</a></p><pre>{body}</pre></article>",
            to = escape(&m.recipient),
            subject = escape(&m.subject),
            date = app::domain::time::format_moscow(m.created_at),
            id = m.id,
            body = escape(&m.body),
        ));
    }
    html.push_str("</main></body></html>");
    Html(html).into_response()
}

async fn dev_mail_json(State(state): State<AppState>) -> Response {
    if !state.settings.demo {
        return StatusCode::NOT_FOUND.into_response();
    }
    match app::ssr::mailer::list_sent(&state.db, 500).await {
        Ok(mails) => axum::Json(
            mails
                .into_iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "to": m.recipient,
                        "subject": m.subject,
                        "body": m.body,
                        "message_id": m.message_id,
                    })
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "dev mail");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Without JavaScript, «Выпустить коды» downloads the batch as CSV straight away: the codes
/// are shown only at issue time.
async fn codes_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: axum::http::request::Parts,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    use app::api::provider::IssueCodes;
    use leptos::server_fn::ServerFn as _;
    let now = state.clock.now();
    let answer_in_place = in_place(&parts.headers);
    let page = format!("/provider/events/{id}");
    let fail = |e: app::error::AppError| {
        if answer_in_place && e.status() != 401 && e.status() != 404 {
            return back_with(IssueCodes::PATH, &page, e);
        }
        (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
            e.field_message("count").unwrap_or_else(|| e.to_string()),
        )
            .into_response()
    };
    let Ok(id) = id.parse::<i64>() else {
        return fail(app::error::AppError::NotFound);
    };
    let me = match app::ssr::session::resolve(&state, &parts.headers).await {
        Ok(Some(me)) if me.role == app::model::Role::Provider => me,
        Ok(Some(_)) => return fail(app::error::AppError::Forbidden),
        Ok(None) => return fail(app::error::AppError::Unauthorized),
        Err(e) => return fail(e),
    };
    let count =
        match app::domain::nmo::code::batch_size(form.get("count").map_or("", String::as_str)) {
            Ok(n) => n,
            Err(m) => return fail(app::error::AppError::field("count", m)),
        };
    match app::ssr::service::provider::issue_codes(&state.db, me.id, id, count, now).await {
        Ok(batch) if answer_in_place => page_with(&state, parts, &page, batch).await,
        Ok(batch) => Response::builder()
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .header(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ikp-{id}.csv\""),
            )
            .header(header::CACHE_CONTROL, "private, no-store")
            .body(Body::from(batch.csv))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Err(e) => fail(e),
    }
}

/// The theme switch in the footer: remembers the choice in a cookie for a year (none for the
/// system's own) and goes back to the page it came from.
/// A form's field, or "".
fn form_value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Back to the page a plain form came from: only a path of this site. `//host` would leave
/// it, and browsers drop tabs and line breaks and read `\` as `/` before they parse a URL, so
/// none of those may appear.
fn back_to(back: &str, cookie: &str) -> Response {
    let on_site = back.starts_with('/')
        && !back.starts_with("//")
        && !back.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\');
    let back = if on_site { back } else { "/" };
    match (HeaderValue::from_str(cookie), HeaderValue::from_str(back)) {
        (Ok(cookie), Ok(location)) => (
            StatusCode::SEE_OTHER,
            [(header::SET_COOKIE, cookie), (header::LOCATION, location)],
        )
            .into_response(),
        _ => (StatusCode::BAD_REQUEST, "Неверный адрес страницы").into_response(),
    }
}

async fn set_theme(axum::Form(form): axum::Form<Vec<(String, String)>>) -> Response {
    let theme =
        app::components::layout::theme_in_cookies(&format!("theme={}", form_value(&form, "theme")));
    let cookie = match theme {
        Some(t) => format!("theme={t}; Path=/; Max-Age=31536000; SameSite=Lax"),
        None => "theme=; Path=/; Max-Age=0; SameSite=Lax".to_owned(),
    };
    back_to(form_value(&form, "back"), &cookie)
}

/// The version for the visually impaired without JavaScript: its settings, or `off`.
async fn set_a11y(axum::Form(form): axum::Form<Vec<(String, String)>>) -> Response {
    use app::components::a11y::A11y;
    let chosen = format!(
        "{}.{}.{}.{}",
        form_value(&form, "size"),
        form_value(&form, "scheme"),
        form_value(&form, "font"),
        form_value(&form, "images")
    );
    let cookie = match A11y::parse(&chosen) {
        Some(a) if form_value(&form, "off").is_empty() => {
            format!("a11y={}; Path=/; Max-Age=31536000; SameSite=Lax", a.value())
        }
        None if form_value(&form, "off").is_empty() => {
            return (
                StatusCode::BAD_REQUEST,
                "Выберите размер шрифта, цвета, шрифт и показ изображений",
            )
                .into_response();
        }
        _ => "a11y=; Path=/; Max-Age=0; SameSite=Lax".to_owned(),
    };
    back_to(form_value(&form, "back"), &cookie)
}

/// A refused download: the status and the Russian message as text.
fn refused(e: &app::error::AppError) -> Response {
    (
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
        [(header::CACHE_CONTROL, "no-store")],
        e.to_string(),
    )
        .into_response()
}

/// The signed-in specialist, or the answer for anyone else.
async fn specialist(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<app::ssr::session::CurrentUser, Response> {
    signed_in(state, headers, app::model::Role::Specialist).await
}

/// The signed-in user of `role`, or the answer for anyone else.
async fn signed_in(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    role: app::model::Role,
) -> Result<app::ssr::session::CurrentUser, Response> {
    use app::error::AppError;
    match app::ssr::session::resolve(state, headers).await {
        Ok(Some(me)) if me.role == role => Ok(me),
        Ok(Some(_)) => Err(refused(&AppError::Forbidden)),
        Ok(None) => Err(refused(&AppError::Unauthorized)),
        Err(e) => Err(refused(&e)),
    }
}

/// A PDF of personal data, laid out off the async threads; never cached.
async fn pdf_download(
    name: String,
    render: impl FnOnce() -> Result<Vec<u8>, app::error::AppError> + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(render).await {
        Ok(Ok(bytes)) => Response::builder()
            .header(header::CONTENT_TYPE, "application/pdf")
            .header(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            )
            .header(header::CACHE_CONTROL, "private, no-store")
            .body(Body::from(bytes))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Ok(Err(e)) => refused(&e),
        Err(e) => refused(&app::ssr::context::internal(&e)),
    }
}

/// The «Заявка на обучение по ДПП ПК» of the caller's own plan item.
async fn application_pdf(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::ssr::service::programme;
    let Ok(id) = id.parse::<i64>() else {
        return refused(&app::error::AppError::NotFound);
    };
    let me = match specialist(&state, &headers).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    match programme::application(&state.db, me.id, id).await {
        Ok(data) => {
            pdf_download(format!("zayavka-dpp-pk-{id}.pdf"), move || {
                programme::application_pdf(&data)
            })
            .await
        }
        Err(e) => refused(&e),
    }
}

/// The caller's portfolio.
async fn portfolio_pdf(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    use app::ssr::service::portfolio;
    let now = state.clock.now();
    let me = match specialist(&state, &headers).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    match portfolio::portfolio(&state.db, &state.settings, me.id, now).await {
        Ok(data) => {
            pdf_download("portfolio.pdf".into(), move || {
                portfolio::portfolio_pdf(&data, now)
            })
            .await
        }
        Err(e) => refused(&e),
    }
}

/// A scan of an organisation's application, for the operator only.
async fn provider_scan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::error::AppError;
    let Ok(id) = id.parse::<i64>() else {
        return refused(&AppError::NotFound);
    };
    match app::ssr::session::resolve(&state, &headers).await {
        Ok(Some(me)) if me.role == app::model::Role::Admin => {}
        Ok(Some(_)) => return refused(&AppError::Forbidden),
        Ok(None) => return refused(&AppError::Unauthorized),
        Err(e) => return refused(&e),
    }
    match app::ssr::service::onboarding::scan(&state.db, id).await {
        Ok((name, mime, bytes)) => Response::builder()
            .header(header::CONTENT_TYPE, mime)
            .header(
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"file\"; filename*=UTF-8''{}",
                    app::api::auth::urlencode(&name)
                ),
            )
            .header(header::CACHE_CONTROL, "private, no-store")
            .body(Body::from(bytes))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Err(e) => refused(&e),
    }
}

async fn attachment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request<Body>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "Не найдено").into_response();
    };
    let me = match app::ssr::session::resolve(&state, req.headers()).await {
        Ok(Some(me)) => me,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Войдите в личный кабинет").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match app::ssr::service::support::attachment(&state.db, &me, id).await {
        Ok((name, mime, bytes)) => {
            let encoded = app::api::auth::urlencode(&name);
            Response::builder()
                .header(header::CONTENT_TYPE, mime)
                .header(
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"file\"; filename*=UTF-8''{encoded}"),
                )
                .header(header::CACHE_CONTROL, "private, no-store")
                .body(Body::from(bytes))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
            e.to_string(),
        )
            .into_response(),
    }
}

/// «Выписка сертификата» of the certificate the parent is looking at; the password is printed
/// only when the form brings the account's current one (just after changing it).
async fn extract(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    password: Option<&str>,
) -> Response {
    use app::ssr::service::pfdo::{certificates, current_certificate};
    let now = state.clock.now();
    let me = match signed_in(state, headers, app::model::Role::Parent).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    let cert = match current_certificate(&state.db, me.id).await {
        Ok(c) => c,
        Err(e) => return refused(&e),
    };
    match certificates::extract_pdf(&state.db, cert.id, password, now).await {
        Ok(bytes) => pdf_download(format!("vypiska-{}.pdf", cert.number), move || Ok(bytes)).await,
        Err(e) => refused(&e),
    }
}

async fn extract_pdf(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    extract(&state, &headers, None).await
}

async fn extract_pdf_with_password(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    extract(&state, &headers, form.get("password").map(String::as_str)).await
}

/// The operator's extract of a certificate just issued, with its password.
async fn operator_extract_pdf(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    use app::error::AppError;
    use app::ssr::service::pfdo::certificates;
    let now = state.clock.now();
    let me = match signed_in(&state, &headers, app::model::Role::Operator).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<i64>() else {
        return refused(&AppError::NotFound);
    };
    let cert = match certificates::operators_certificate(&state.db, me.id, id).await {
        Ok(c) => c,
        Err(e) => return refused(&e),
    };
    let password = form.get("password").map(String::as_str);
    match certificates::extract_pdf(&state.db, cert.id, password, now).await {
        Ok(bytes) => pdf_download(format!("vypiska-{}.pdf", cert.number), move || Ok(bytes)).await,
        Err(e) => refused(&e),
    }
}

/// «Выдать сертификат» without JavaScript: the extract with the login and password downloads
/// at once (the password is shown only at issue); a refused form goes back with its messages.
/// Whether the page script sent this form to be answered in place (`data-in-place`).
fn in_place(headers: &axum::http::HeaderMap) -> bool {
    headers.contains_key(app::components::form::IN_PLACE_HEADER)
}

/// Back to `page` with the error `form_fn`'s form was refused with, as a server function's
/// plain form post comes back: the page shows it at the form.
fn back_with(form_fn: &str, page: &str, e: app::error::AppError) -> Response {
    let url = leptos::server_fn::error::ServerFnUrlError::new(form_fn, e)
        .to_url(&format!("http://kabinet{page}"))
        .map_or_else(
            |_| page.to_owned(),
            |u| format!("{}?{}", u.path(), u.query().unwrap_or_default()),
        );
    axum::response::Redirect::to(&url).into_response()
}

/// The page at `path` as the person asking sees it, rendered with `outcome` of their form
/// (`app::components::form::Posted`): what is shown once — a password, codes — and so must
/// travel neither through an address nor through storage. Never kept by a cache.
async fn page_with<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    mut parts: axum::http::request::Parts,
    path: &str,
    outcome: T,
) -> Response {
    let Ok(uri) = path.parse() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.method = axum::http::Method::GET;
    parts.uri = uri;
    let page_state = state.clone();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(page_state.clone());
            app::provide_page_nonce();
            provide_context(app::components::form::Posted(outcome.clone()));
        },
        move || shell(options.clone()),
    );
    let mut page = render(Request::from_parts(parts, Body::empty())).await;
    page.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    page
}

async fn issue_without_js(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    axum::Form(form): axum::Form<app::model::pfdo::IssueForm>,
) -> Response {
    use app::api::pfdo_operator::OperatorIssue;
    use app::ssr::service::pfdo::certificates;
    use leptos::server_fn::ServerFn as _;
    const PAGE: &str = "/operator/certificates/new";
    let now = state.clock.now();
    let me = match signed_in(&state, &parts.headers, app::model::Role::Operator).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    let back = |e| back_with(OperatorIssue::PATH, PAGE, e);
    match certificates::issue(&state.db, &state.settings, me.id, &form, now).await {
        Ok(done) if in_place(&parts.headers) => page_with(&state, parts, PAGE, done).await,
        Ok(done) => {
            match certificates::extract_pdf(&state.db, done.id, Some(&done.password), now).await {
                Ok(bytes) => {
                    pdf_download(format!("vypiska-{}.pdf", done.number), move || Ok(bytes)).await
                }
                Err(e) => refused(&e),
            }
        }
        Err(e) => back(e),
    }
}

/// «Расписание» as an iCalendar file.
async fn schedule_ics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let now = state.clock.now();
    let me = match signed_in(&state, &headers, app::model::Role::Parent).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    let host = app::ssr::mailer::url_host(&state.settings.public_url);
    match app::ssr::service::pfdo::schedule::ics(&state.db, me.id, &host, now).await {
        Ok((number, text)) => Response::builder()
            .header(header::CONTENT_TYPE, "text/calendar; charset=utf-8")
            .header(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"raspisanie-{number}.ics\""),
            )
            .header(header::CACHE_CONTROL, "private, no-store")
            .body(Body::from(text))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Err(e) => refused(&e),
    }
}

/// «Портфолио» of the child as a PDF.
async fn pfdo_portfolio_pdf(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    let now = state.clock.now();
    let me = match signed_in(&state, &headers, app::model::Role::Parent).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    match app::ssr::service::pfdo::portfolio::pdf(&state.db, me.id, now).await {
        Ok((number, bytes)) => {
            pdf_download(format!("portfolio-{number}.pdf"), move || Ok(bytes)).await
        }
        Err(e) => refused(&e),
    }
}

/// The teacher's зачётная книжка.
async fn record_book_pdf(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::domain::time::moscow_date;
    use app::ssr::service::dpo::applications;
    let now = state.clock.now();
    let me = match signed_in(&state, &headers, app::model::Role::Teacher).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    match applications::record_book(&state.db, me.id).await {
        Ok(book) => {
            pdf_download("zachetnaya-knizhka.pdf".into(), move || {
                applications::record_book_pdf(&book, moscow_date(now))
            })
            .await
        }
        Err(e) => refused(&e),
    }
}

/// «Справка о посещении кружков».
async fn attendance_pdf(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let now = state.clock.now();
    let me = match signed_in(&state, &headers, app::model::Role::Parent).await {
        Ok(me) => me,
        Err(r) => return r,
    };
    match app::ssr::service::pfdo::schedule::attendance_pdf(&state.db, me.id, now).await {
        Ok((number, bytes)) => {
            pdf_download(format!("spravka-{number}.pdf"), move || Ok(bytes)).await
        }
        Err(e) => refused(&e),
    }
}
