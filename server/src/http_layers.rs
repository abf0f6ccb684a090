//! Middleware: the cross-site check, error statuses for server functions, body limits,
//! security headers, panics.

use std::any::Any;

use app::error::AppError;
use app::ssr::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest body a server function accepts; the forms with files are the exception.
pub const API_BODY_LIMIT: usize = 64 * 1024;
const DRAIN_LIMIT: usize = 2 * 1024 * 1024;
/// Server functions that take multipart forms, with the largest body each accepts: files of
/// 10 MB (one for support, three for an organisation's application) and the text around them.
pub const MULTIPART_ENDPOINTS: &[(&str, usize)] = &[
    ("/api/support/create_ticket", 11 * 1024 * 1024),
    ("/api/providers/apply", 31 * 1024 * 1024),
];
/// Pages that need a session; without one the browser goes to the login page.
pub const PRIVATE_PAGES: &[&str] = &["/cabinet", "/profile", "/admin", "/nmo", "/provider"];
/// Private-page exceptions: links from mail that work in any browser.
pub const PUBLIC_UNDER_PRIVATE: &[&str] = &["/profile/confirm-email"];

/// An `AppError` as server functions send it (JSON), with `status`.
pub fn json_error(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// An `AppError` with its own status.
pub fn app_error(error: &AppError) -> Response {
    json_error(
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        error,
    )
}

fn russian(status: StatusCode, message: &str) -> Response {
    json_error(status, &AppError::BadRequest(message.to_owned()))
}

/// Whether the answer is an HTML page.
pub fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Answers an error before the handler runs. A modest body is read (and dropped) first, so
/// the client finishes sending and sees the answer instead of a reset connection.
async fn refuse_after_reading(req: Request, status: StatusCode, message: &str) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_none_or(|n| n <= DRAIN_LIMIT) {
        let _ = to_bytes(req.into_body(), DRAIN_LIMIT).await;
    }
    russian(status, message)
}

/// A state-changing request from another site gets 403: the `Sec-Fetch-Site` header when the
/// browser sends it, else the `Origin` against our host. Requests without either come from
/// non-browser clients, which carry no victim's cookies.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let allowed = match (site, origin) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            origin == state.settings.public_url || Some(origin_host) == host
        }
        (None, None) => true,
    };
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(?origin, ?site, "cross-site request refused");
        refuse_after_reading(
            req,
            StatusCode::FORBIDDEN,
            "Запрос с другого сайта отклонён",
        )
        .await
    }
}

/// Refuses bodies over the limit before they are read.
pub async fn api_body_limit(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let upload = MULTIPART_ENDPOINTS
        .iter()
        .find(|(path, _)| *path == req.uri().path())
        .map(|(_, limit)| *limit);
    let multipart = upload.is_some();
    let limit = upload.unwrap_or(API_BODY_LIMIT);
    if multipart {
        // server_fn panics on a multipart body without a boundary; answer 400 before it.
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|ct| multer::parse_boundary(ct).ok());
        if boundary.is_none() {
            return refuse_after_reading(
                req,
                StatusCode::BAD_REQUEST,
                "Ожидалась форма с файлом (multipart/form-data)",
            )
            .await;
        }
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return refuse_after_reading(req, StatusCode::PAYLOAD_TOO_LARGE, "Слишком большой запрос")
            .await;
    }
    let (parts, body) = req.into_parts();
    let limited = Body::new(http_body_util_limited(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

fn http_body_util_limited(
    body: Body,
    limit: usize,
) -> impl http_body::Body<Data = bytes::Bytes, Error = axum::BoxError> + Send + 'static {
    http_body_util::Limited::new(body, limit)
}

/// Server functions answer errors with 500 by default; this sets the status the error
/// deserves (422 for validation, 400 for undecodable input, 401, 403, 404, 409, 429).
pub async fn api_error_status(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Every page's scripts carry a fresh nonce, chosen here: Leptos takes it from the request
/// (`app::provide_page_nonce`) and this layer sends the policy naming it with the page, so
/// the two always agree.
pub async fn page_nonce(mut req: Request, next: Next) -> Response {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    req.extensions_mut().insert(app::PageNonce(nonce.clone()));
    let mut res = next.run(req).await;
    if is_html(&res)
        && let Ok(v) = HeaderValue::from_str(&app::page_csp(&nonce))
    {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

/// Headers every response carries; pages get their CSP with the nonce from `page_nonce`.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; frame-ancestors 'none'; object-src 'none'",
            ),
        );
    }
    res
}

/// A panic answers 500 with the request id instead of dropping the connection.
pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    tracing::error!(panic = %detail, "handler panicked");
    app_error(&AppError::Internal {
        request_id: "—".into(),
    })
}

/// A private page without a live session redirects to the login page (303), so no personal
/// page is ever rendered for a guest and plain browsers get a real redirect.
pub async fn private_pages(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let private = *req.method() == Method::GET
        && PRIVATE_PAGES
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
        && !PUBLIC_UNDER_PRIVATE.contains(&path);
    if !private {
        return next.run(req).await;
    }
    match app::ssr::session::resolve(&state, req.headers()).await {
        Ok(Some(user)) => {
            req.extensions_mut()
                .insert(app::ssr::session::ResolvedUser(user));
            next.run(req).await
        }
        Ok(None) => Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(header::LOCATION, "/login")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
