//! Sessions in the database, so every instance sees the same ones. The cookie carries a random
//! token; the table keeps only its hash.

use chrono::{DateTime, Utc};
use http::HeaderMap;
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::crypto::{hash_token, new_token};
use super::entities::{session, user};
use super::settings::Settings;
use super::state::AppState;
use crate::error::AppError;
use crate::model::Role;

pub const COOKIE_NAME: &str = "kabinet_session";

/// How often `last_seen_at` is refreshed: one write a minute per session at most.
const TOUCH_EVERY_SECS: i64 = 60;

/// The caller, resolved once by the private-page middleware and carried in the request's
/// extensions, so the server functions a page calls do not look the session up again.
#[derive(Debug, Clone)]
pub struct ResolvedUser(pub CurrentUser);

/// The caller of one request, looked up at most once however many of the page's resources
/// ask (the header's and the page's run side by side); provided with each request's context.
#[derive(Debug, Clone, Default)]
pub struct RequestSession(pub std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub session_id: i64,
    pub role: Role,
    pub login: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub email: String,
}

impl CurrentUser {
    /// «Иванова М. П.»
    pub fn short_name(&self) -> String {
        short_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}

pub fn short_name(last: &str, first: &str, middle: Option<&str>) -> String {
    let initial = |s: &str| {
        s.chars()
            .next()
            .map(|c| format!(" {c}."))
            .unwrap_or_default()
    };
    format!(
        "{last}{}{}",
        initial(first),
        middle.map(initial).unwrap_or_default()
    )
}

pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 100)
}

/// Finds the live session the request carries and its user.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = token_from_headers(headers) else {
        return Ok(None);
    };
    resolve_token(&state.db, &state.settings, &token, state.clock.now()).await
}

/// # Errors
/// `Internal` on a database failure.
pub async fn resolve_token(
    db: &impl ConnectionTrait,
    settings: &Settings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<CurrentUser>, AppError> {
    let idle = chrono::Duration::from_std(settings.policy.session_idle).unwrap_or_default();
    let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await
        .map_err(super::context::db_err)?
    else {
        return Ok(None);
    };
    if s.expires_at <= now || s.last_seen_at + idle <= now {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id)
        .one(db)
        .await
        .map_err(super::context::db_err)?
        .filter(|u| u.status == "active")
    else {
        return Ok(None);
    };
    if (now - s.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(session::Column::Id.eq(s.id))
            .exec(db)
            .await
            .map_err(super::context::db_err)?;
    }
    let Some(role) = Role::from_code(&u.role) else {
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        id: u.id,
        session_id: s.id,
        role,
        login: u.login,
        last_name: u.last_name,
        first_name: u.first_name,
        middle_name: u.middle_name,
        email: u.email,
    }))
}

/// Starts a session; returns the token for the cookie.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn create(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token();
    let absolute = chrono::Duration::from_std(settings.policy.session_absolute).unwrap_or_default();
    session::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + absolute),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(super::context::db_err)?;
    Ok(token)
}

/// # Errors
/// `Internal` on a database failure.
pub async fn delete_by_token(db: &impl ConnectionTrait, token: &str) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(hash_token(token)))
        .exec(db)
        .await
        .map_err(super::context::db_err)?;
    Ok(())
}

/// Ends every session of a user except `keep` (after a password change or reset).
///
/// # Errors
/// `Internal` on a database failure.
pub async fn delete_others(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<i64>,
) -> Result<u64, AppError> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        q = q.filter(session::Column::Id.ne(keep));
    }
    Ok(q.exec(db)
        .await
        .map_err(super::context::db_err)?
        .rows_affected)
}

/// The `Set-Cookie` value that carries a new session.
pub fn cookie(settings: &Settings, token: &str) -> String {
    let max_age = settings.policy.session_absolute.as_secs();
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(settings: &Settings) -> String {
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Removes sessions past their absolute or idle limit.
///
/// # Errors
/// `Internal` on a database failure.
pub async fn purge_expired(
    db: &impl ConnectionTrait,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let idle = chrono::Duration::from_std(settings.policy.session_idle).unwrap_or_default();
    let res = session::Entity::delete_many()
        .filter(
            session::Column::ExpiresAt
                .lte(now)
                .or(session::Column::LastSeenAt.lte(now - idle)),
        )
        .exec(db)
        .await
        .map_err(super::context::db_err)?;
    Ok(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; kabinet_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(token_from_headers(&h).as_deref(), Some("abc"));
        h.insert(http::header::COOKIE, "kabinet_session=".parse().unwrap());
        assert_eq!(token_from_headers(&h), None);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_on_https() {
        let mut s = Settings::for_tests(std::env::temp_dir());
        let c = cookie(&s, "t");
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        s.secure_cookies = true;
        assert!(cookie(&s, "t").ends_with("; Secure"));
    }

    #[test]
    fn short_names_use_initials() {
        assert_eq!(
            short_name("Иванова", "Мария", Some("Петровна")),
            "Иванова М. П."
        );
        assert_eq!(short_name("Smith", "John", None), "Smith J.");
    }
}
