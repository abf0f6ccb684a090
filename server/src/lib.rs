#![recursion_limit = "512"]
//! The `kabinet` server: settings, database, router, layers, workers.

pub mod cli;
pub mod http_layers;
pub mod offline;
pub mod precompress;
pub mod routes;

use std::sync::Arc;

use app::ssr::clock::Clock;
use app::ssr::settings::Settings;
use app::ssr::state::AppState;
use leptos::config::LeptosOptions;
use migrations::{Migrator, MigratorTrait as _};
use sea_orm::DatabaseConnection;
use tracing_subscriber::EnvFilter;

use cli::{Cli, Command};

/// Runs the chosen subcommand.
///
/// # Errors
/// A message for the operator; the process exits non-zero.
pub async fn run(cli: Cli) -> Result<(), String> {
    if let Some(Command::Precompress) = cli.command {
        return precompress();
    }
    let config = cli.config()?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(&config.log))
        .with_target(false)
        .try_init();
    let db = open_database(&config.database_url).await?;
    let clock = Clock::system();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("Миграции применены.");
            Ok(())
        }
        Command::SeedDemo => {
            let added = app::ssr::seed::seed_demo(&db, clock.now())
                .await
                .map_err(|e| e.to_string())?;
            println!("Демо-данные: добавлено учётных записей — {added}.");
            print_demo_accounts();
            Ok(())
        }
        Command::Serve => serve(db, config, clock).await,
        Command::Precompress => precompress(),
    }
}

/// Connects and applies migrations.
///
/// # Errors
/// A message naming the database problem.
pub async fn open_database(url: &str) -> Result<DatabaseConnection, String> {
    let sqlite_dir = sqlite_path(url).and_then(|p| {
        std::path::Path::new(&p)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(std::path::Path::to_path_buf)
    });
    if let Some(dir) = sqlite_dir {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("не удалось создать папку {}: {e}", dir.display()))?;
    }
    let db = app::ssr::db::connect(url)
        .await
        .map_err(|e| format!("база данных недоступна ({url}): {e}"))?;
    Migrator::up(&db, None)
        .await
        .map_err(|e| format!("миграции не применились: {e}"))?;
    Ok(db)
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

pub fn print_demo_accounts() {
    println!("Демо-учётные записи (логин / пароль):");
    for a in app::ssr::seed::DEMO_ACCOUNTS {
        println!("  {:<12} {:<16} {}", a.role, a.shown_login, a.password);
    }
}

/// `kabinet precompress`: brotli and gzip copies beside the site's assets.
fn precompress() -> Result<(), String> {
    let conf = leptos::config::get_configuration(None).map_err(|e| e.to_string())?;
    let options = conf.leptos_options;
    let pkg = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    for (name, raw, br, gz) in precompress::write_beside(&pkg)? {
        println!("{name}: {raw} Б, brotli {br} Б, gzip {gz} Б");
    }
    Ok(())
}

/// Leptos options from the environment cargo-leptos sets (site root, package name).
///
/// # Errors
/// A message when the configuration cannot be read.
pub fn leptos_options(addr: std::net::SocketAddr) -> Result<LeptosOptions, String> {
    let conf = leptos::config::get_configuration(None).map_err(|e| e.to_string())?;
    let mut options = conf.leptos_options;
    options.site_addr = addr;
    Ok(options)
}

async fn serve(db: DatabaseConnection, config: cli::Config, clock: Clock) -> Result<(), String> {
    let settings = Arc::new(config.settings);
    let state = AppState {
        db: db.clone(),
        settings: settings.clone(),
        leptos_options: leptos_options(config.addr)?,
        robot_key: app::ssr::robot::RobotKey::load_or_create(&db)
            .await
            .map_err(|e| format!("ключ проверки «Я не робот» недоступен: {e}"))?,
        clock: clock.clone(),
    };
    let transport = app::ssr::mailer::Transport::from_settings(&settings)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let workers = spawn_workers(&db, &settings, transport, &clock, stop_rx);
    let router = routes::router(state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("не удалось занять {}: {e}", config.addr))?;
    tracing::info!("Кабинет слушает http://{}", config.addr);
    if settings.demo {
        tracing::info!(
            "демо-режим: письма видны на {}/dev/mail",
            settings.public_url
        );
    }
    // Without TCP_NODELAY a streamed body waits on Nagle + delayed ACK: ~40 ms per static file.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "TCP_NODELAY not set");
        }
    });
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    let _ = stop_tx.send(true);
    for w in workers {
        let _ = w.await;
    }
    tracing::info!("остановлен");
    Ok(())
}

/// Background work: the mail outbox, the removal of expired sessions (and spent robot checks
/// and day-old idempotency keys), and the automatic
/// confirmation of ИКП the provider has not reviewed in time.
pub fn spawn_workers(
    db: &DatabaseConnection,
    settings: &Arc<Settings>,
    transport: app::ssr::mailer::Transport,
    clock: &Clock,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mail = tokio::spawn(app::ssr::mailer::run_worker(
        db.clone(),
        settings.clone(),
        transport,
        clock.clone(),
        stop.clone(),
    ));
    let stop_codes = stop.clone();
    let stop_pfdo = stop.clone();
    let purge = {
        let db = db.clone();
        let settings = settings.clone();
        let clock = clock.clone();
        let mut stop = stop;
        tokio::spawn(async move {
            loop {
                let now = clock.now();
                if let Err(e) = app::ssr::session::purge_expired(&db, &settings, now).await {
                    tracing::warn!(error = %e, "session purge failed");
                }
                if let Err(e) = app::ssr::robot::purge_spent(&db, now).await {
                    tracing::warn!(error = %e, "robot-check purge failed");
                }
                if let Err(e) = app::ssr::service::idempotency::purge_old(&db, now).await {
                    tracing::warn!(error = %e, "idempotency-key purge failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(600)) => {}
                    _ = stop.changed() => break,
                }
            }
        })
    };
    let codes = {
        let db = db.clone();
        let settings = settings.clone();
        let clock = clock.clone();
        let mut stop = stop_codes;
        tokio::spawn(async move {
            loop {
                let now = clock.now();
                match app::ssr::service::plan::auto_confirm_due(&db, &settings, now).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(confirmed = n, "ИКП подтверждены автоматически"),
                    Err(e) => tracing::warn!(error = %e, "automatic ИКП check failed"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
                    _ = stop.changed() => break,
                }
            }
        })
    };
    let pfdo = {
        let db = db.clone();
        let clock = clock.clone();
        let mut stop = stop_pfdo;
        // Several instances may run: the lease lets one of them do each round.
        let holder = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4());
        tokio::spawn(async move {
            loop {
                let at = clock.now();
                match app::ssr::service::pfdo::jobs::run_all(&db, &holder, at).await {
                    Ok(Some(report)) if report != Default::default() => {
                        tracing::info!(?report, "ПФДО: задания выполнены");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "ПФДО jobs failed"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(300)) => {}
                    _ = stop.changed() => break,
                }
            }
        })
    };
    vec![mail, purge, codes, pfdo]
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("получен сигнал остановки, завершаем запросы");
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths_are_found() {
        assert_eq!(
            super::sqlite_path("sqlite://data/kabinet.db?mode=rwc").as_deref(),
            Some("data/kabinet.db")
        );
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
        assert_eq!(super::sqlite_path("postgres://x"), None);
    }
}
