use std::sync::Arc;

use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use super::clock::Clock;
use super::robot::RobotKey;
use super::settings::Settings;

/// What every request handler and server function can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    pub robot_key: RobotKey,
    /// The one source of the current time.
    pub clock: Clock,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
