//! Helpers for server functions: the app state, the request, the caller.

use chrono::{DateTime, Utc};
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use super::session::{self, CurrentUser};
use super::state::AppState;
use crate::error::AppError;
use crate::model::Role;

/// # Errors
/// `Internal` if the server forgot to provide the state (a bug, logged), or if the request is
/// gone: when a client leaves mid-page, its reactive owner is dropped with every context, yet
/// a resource already spawned still runs. No one is waiting for that answer, so it is not an
/// error worth a line in the log.
pub fn state() -> Result<AppState, AppError> {
    if let Some(state) = use_context::<AppState>() {
        return Ok(state);
    }
    if use_context::<Parts>().is_none() {
        tracing::debug!("work of a request that was dropped");
        return Err(AppError::Internal {
            request_id: "—".into(),
        });
    }
    Err(internal(&"AppState missing from context"))
}

/// Now, from the application's one clock.
///
/// # Errors
/// As `state`.
pub fn now() -> Result<DateTime<Utc>, AppError> {
    Ok(state()?.clock.now())
}

/// The id `SetRequestIdLayer` gave this request, for logs and for `Internal` errors.
pub fn request_id() -> String {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "—".into())
}

/// Logs an unexpected failure in full and gives the user only the request id.
pub fn internal(error: &dyn std::fmt::Display) -> AppError {
    let request_id = request_id();
    tracing::error!(%request_id, error = %error, "internal error");
    AppError::Internal { request_id }
}

pub fn db_err(error: sea_orm::DbErr) -> AppError {
    internal(&error)
}

/// The signed-in user, if the request carries a live session.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let Some(parts) = use_context::<Parts>() else {
        return Ok(None);
    };
    if let Some(resolved) = parts.extensions.get::<session::ResolvedUser>() {
        return Ok(Some(resolved.0.clone()));
    }
    let state = state()?;
    match use_context::<session::RequestSession>() {
        Some(once) => once
            .0
            .get_or_try_init(|| session::resolve(&state, &parts.headers))
            .await
            .cloned(),
        None => session::resolve(&state, &parts.headers).await,
    }
}

/// The signed-in user, or `Unauthorized`.
///
/// # Errors
/// `Unauthorized` without a live session.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user if they hold `role`.
///
/// # Errors
/// `Unauthorized` without a session, `Forbidden` with another role.
pub async fn require_role(role: Role) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if user.role == role {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// Sends the browser somewhere after a server function; works for plain form posts too.
pub fn redirect(path: &str) {
    leptos_axum::redirect(path);
}

/// The `User-Agent` of the request, for the session list.
pub fn request_headers() -> Option<http::HeaderMap> {
    use_context::<Parts>().map(|p| p.headers)
}
