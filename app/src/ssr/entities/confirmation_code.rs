use sea_orm::entity::prelude::*;

/// An ИКП, kept only as the SHA-256 of its normalised 12 characters.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "confirmation_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub element_id: i64,
    pub batch_id: i64,
    #[sea_orm(unique)]
    pub code_hash: String,
    /// issued, activated, confirmed or rejected.
    pub status: String,
    pub user_id: Option<i64>,
    pub plan_item_id: Option<i64>,
    pub activated_at: Option<DateTimeUtc>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub reject_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
