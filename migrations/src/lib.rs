//! Schema migrations, shared by SQLite and PostgreSQL. Tables and columns are named here with
//! local identifiers, never through the app's entities, so old migrations never change.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_accounts;
mod m20261122_000002_robot_check_and_reset;
mod m20261122_000003_nmo_documents;
mod m20261122_000004_nmo_plan;
mod m20261122_000005_applications;
mod m20261122_000006_pfdo;
mod m20261122_000007_pfdo_news_events;
mod m20261122_000008_dpo;
mod m20261123_000009_idempotency;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_robot_check_and_reset::Migration),
            Box::new(m20261122_000003_nmo_documents::Migration),
            Box::new(m20261122_000004_nmo_plan::Migration),
            Box::new(m20261122_000005_applications::Migration),
            Box::new(m20261122_000006_pfdo::Migration),
            Box::new(m20261122_000007_pfdo_news_events::Migration),
            Box::new(m20261122_000008_dpo::Migration),
            Box::new(m20261123_000009_idempotency::Migration),
        ]
    }
}
