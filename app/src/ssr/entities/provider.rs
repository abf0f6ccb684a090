use sea_orm::entity::prelude::*;

/// An education provider: applied through the public form, approved by the operator, then signed in as `user_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "providers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub contact_person: String,
    pub email: String,
    pub phone: String,
    /// pending, approved or rejected.
    pub status: String,
    #[sea_orm(unique)]
    pub user_id: Option<i64>,
    pub reject_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub reviewed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
