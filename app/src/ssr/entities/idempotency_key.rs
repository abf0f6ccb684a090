use sea_orm::entity::prelude::*;

/// The outcome of a state-changing call under a client's idempotency key: pending while the
/// first call runs, then its answer, replayed to any retry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub pending: bool,
    pub status: Option<i32>,
    /// JSON pairs: the answer's headers a retry needs.
    pub headers: Option<String>,
    pub body: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
