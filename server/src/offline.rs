//! What offline reading needs from the server.
//!
//! - The build's version: a hash of the app's assets. It is part of their addresses
//!   (`/pkg/<version>/…`), so a page always loads the WASM of its own build, and those
//!   addresses can be cached for good.
//! - The service worker (`public/sw.js`) with that version and the list of assets to keep,
//!   and `public/page.js` with the list of calls that change something.
//! - Headers that tell the worker which pages it may keep, for whom, and when to forget them.
//! - Idempotency: a state-changing call retried after a lost answer is answered, not redone.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use app::api::{PURGE_OFFLINE_AFTER, STATE_CHANGING};
use app::domain::time::format_moscow_short;
use app::error::AppError;
use app::ssr::clock::Clock;
use app::ssr::service::idempotency::{self, Claim, Stored};
use app::ssr::state::AppState;

use crate::http_layers::{app_error, is_html};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use sha2::{Digest as _, Sha256};

use crate::precompress::Compressed;

/// Pages never kept for offline reading: their address or content is a one-time secret.
pub const NEVER_KEPT: &[&str] = &["/confirm", "/profile/confirm-email"];
/// The headers of an answer a retry gets again: its type, and where a redirect leads (the
/// `Location` of a plain form post, `serverfnredirect` for the WASM's calls).
const REPLAYED_HEADERS: &[&str] = &["content-type", "location", "serverfnredirect"];
/// The largest answer read to be kept for a retry (server functions answer far less).
const STORED_LIMIT: usize = 16 * 1024 * 1024;

/// This build's assets and service worker, read once at start.
#[derive(Debug, Clone)]
pub struct Build {
    pub version: String,
    /// `(name under /pkg/<version>/, the file in each encoding)`, page.js among them with the
    /// list of state-changing calls filled in.
    assets: Vec<(String, Arc<Compressed>)>,
    /// The worker script with the version and asset list filled in, if the site has one.
    service_worker: Option<Arc<Compressed>>,
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const JS: &str = "text/javascript; charset=utf-8";

impl Build {
    /// Reads the site's assets. A site without them (the integration tests) still gets a
    /// version; its pages simply have no scripts to load.
    pub fn load(options: &LeptosOptions) -> Self {
        let root = Path::new(options.site_root.as_ref());
        let pkg = root.join(options.site_pkg_dir.as_ref());
        let name = options.output_name.as_ref();
        let candidates = [
            format!("{name}.js"),
            format!("{name}.wasm"),
            format!("{name}_bg.wasm"),
            format!("{name}.css"),
        ];
        let worker = std::fs::read_to_string(root.join("sw.js")).ok();
        let actions = serde_json::to_string(STATE_CHANGING).unwrap_or_else(|_| "[]".into());
        let mut hasher = Sha256::new();
        let mut assets = Vec::new();
        for url in candidates {
            match Compressed::read(&pkg.join(&url)) {
                Ok(file) => {
                    hasher.update(url.as_bytes());
                    hasher.update(&file.identity);
                    assets.push((url, Arc::new(file)));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::error!(file = %url, "ресурс сборки не прочитан: {e}"),
            }
        }
        if let Ok(page) = std::fs::read_to_string(root.join("page.js")) {
            let page = page.replace("[\"__KABINET_ACTIONS__\"]", &actions);
            hasher.update(b"page.js");
            hasher.update(page.as_bytes());
            assets.push((
                "page.js".to_owned(),
                Arc::new(Compressed::new(JS, page.into_bytes())),
            ));
        }
        if let Some(w) = &worker {
            hasher.update(w.as_bytes());
        }
        hasher.update(actions.as_bytes());
        let version: String = hasher
            .finalize()
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut precache: Vec<String> = assets
            .iter()
            .map(|(url, _)| format!("/pkg/{version}/{url}"))
            .collect();
        precache.push("/favicon.svg".to_owned());
        let service_worker = worker.map(|w| {
            let filled = w
                .replace("\"__KABINET_VERSION__\"", &format!("{version:?}"))
                .replace(
                    "[\"__KABINET_ASSETS__\"]",
                    &serde_json::to_string(&precache).unwrap_or_else(|_| "[]".into()),
                );
            Arc::new(Compressed::new(JS, filled.into_bytes()))
        });
        Self {
            version,
            assets,
            service_worker,
        }
    }

    /// The options pages render with: their scripts and styles under this build's address.
    pub fn page_options(&self, options: &LeptosOptions) -> LeptosOptions {
        let mut options = options.clone();
        options.site_pkg_dir = format!("pkg/{}", self.version).into();
        options
    }

    fn asset(&self, name: &str) -> Option<&Compressed> {
        self.assets
            .iter()
            .find(|(url, _)| url == name)
            .map(|(_, file)| file.as_ref())
    }
}

fn not_an_asset() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CACHE_CONTROL, "no-store")],
        "Файл не найден: страница устарела, обновите её",
    )
        .into_response()
}

/// `/pkg/<version>/<file>`: this build's assets, cached for good, in the encoding the browser
/// takes (compressed at build time, see `precompress`). Another build's, and
/// anything else under `/pkg/`, are gone.
pub async fn asset(
    State(build): State<Arc<Build>>,
    axum::extract::Path(path): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let Some((_, file)) = path
        .split_once('/')
        .filter(|(version, _)| *version == build.version)
    else {
        return not_an_asset();
    };
    match build.asset(file) {
        Some(asset) => asset.respond(req.headers(), IMMUTABLE),
        None => not_an_asset(),
    }
}

/// `/sw.js`: the service worker of this build, always checked for a newer one.
pub async fn service_worker(State(build): State<Arc<Build>>, req: Request) -> Response {
    match &build.service_worker {
        Some(script) => script.respond(req.headers(), "no-cache"),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Whose pages these are, for the worker: a hash of the session, or `guest`. A new sign-in
/// is a new owner, so nothing kept for one session is shown in another.
pub fn owner_key(session: Option<&str>) -> String {
    session.map_or_else(
        || "guest".to_owned(),
        |token| app::ssr::crypto::hash_token(&format!("offline\n{token}"))[..16].to_owned(),
    )
}

/// Marks every answer with the build's version, and pages with whether and for whom the
/// service worker may keep them; after sign-in, sign-out and a change of child it asks the
/// worker to forget the pages it kept.
pub async fn offline_headers(
    State((build, clock)): State<(Arc<Build>, Clock)>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    let get = *req.method() == Method::GET;
    let owner = owner_key(app::ssr::session::token_from_headers(req.headers()).as_deref());
    let mut res = next.run(req).await;
    let status = res.status();
    let html = is_html(&res);
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&build.version) {
        h.insert("x-kabinet-version", v);
    }
    if get && html && status == StatusCode::OK && !NEVER_KEPT.contains(&path.as_str()) {
        h.insert("x-kabinet-offline", HeaderValue::from_static("keep"));
        // The time the banner of a kept copy names, in Moscow as every date Kabinet shows.
        if let Ok(v) = HeaderValue::from_str(&format_moscow_short(clock.now())) {
            h.insert("x-kabinet-kept-label", v);
        }
        if let Ok(v) = HeaderValue::from_str(&owner) {
            h.insert("x-kabinet-owner", v);
        }
    }
    if PURGE_OFFLINE_AFTER.contains(&path.as_str())
        && (status.is_success() || status.is_redirection())
    {
        h.insert("x-kabinet-purge", HeaderValue::from_static("1"));
    }
    res
}

fn replay(stored: Stored) -> Response {
    let mut res = Response::new(Body::from(stored.body));
    *res.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let h = res.headers_mut();
    for (name, value) in stored.headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            h.insert(name, value);
        }
    }
    h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}

/// A state-changing call with an `Idempotency-Key` runs once per key (and session and
/// endpoint): a retry gets the first call's answer; one racing it waits for that answer.
/// Refusals and failures are not kept, so a corrected retry runs.
pub async fn idempotency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if *req.method() != Method::POST || !STATE_CHANGING.contains(&path) {
        return next.run(req).await;
    }
    let Some(client_key) = req.headers().get("idempotency-key") else {
        return next.run(req).await;
    };
    let Some(client_key) = client_key
        .to_str()
        .ok()
        .filter(|k| idempotency::valid_client_key(k))
    else {
        return app_error(&AppError::BadRequest(
            "Ключ повторного запроса (Idempotency-Key): от 8 до 100 латинских букв, цифр, «-» или «_»"
                .into(),
        ));
    };
    let session = app::ssr::session::token_from_headers(req.headers());
    let key = idempotency::scoped_key(session.as_deref(), path, client_key);
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let internal = |e: sea_orm::DbErr| {
        tracing::error!(error = %e, "idempotency key not readable");
        app_error(&AppError::Internal {
            request_id: request_id.clone(),
        })
    };
    // A racing call with the same key waits for the first one's answer (each call is cut at
    // 30 s, so this ends).
    let mut waited = 0;
    loop {
        match idempotency::claim(&state.db, &key, state.clock.now()).await {
            Err(e) => return internal(e),
            Ok(Claim::Done(stored)) => return replay(stored),
            Ok(Claim::Running) if waited < 300 => {
                waited += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok(Claim::Running) => {
                return app_error(&AppError::Conflict(
                    "Это действие уже выполняется: подождите немного и обновите страницу".into(),
                ));
            }
            Ok(Claim::Fresh) => break,
        }
    }
    let res = next.run(req).await;
    let status = res.status();
    let keep = (status.is_success() || status.is_redirection())
        && !res.headers().contains_key(header::SET_COOKIE);
    if !keep {
        if let Err(e) = idempotency::release(&state.db, &key).await {
            tracing::warn!(error = %e, "idempotency key not released");
        }
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match to_bytes(body, STORED_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            // Done, but too large to keep: the call stays claimed, so a retry is refused
            // rather than repeated; the answer itself is lost with the stream.
            tracing::error!(error = %e, "answer too large to keep for retries");
            return app_error(&AppError::Internal { request_id });
        }
    };
    let headers = REPLAYED_HEADERS
        .iter()
        .filter_map(|name| {
            let value = parts.headers.get(*name)?.to_str().ok()?;
            Some(((*name).to_owned(), value.to_owned()))
        })
        .collect();
    let stored = Stored {
        status: status.as_u16(),
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    if let Err(e) = idempotency::finish(&state.db, &key, stored).await {
        tracing::error!(error = %e, "answer not kept for retries");
    }
    Response::from_parts(parts, Body::from(bytes))
}
