use sea_orm::entity::prelude::*;

/// One try of a module's final test, as the server scored it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "module_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_item_id: i64,
    pub correct: i32,
    pub total: i32,
    pub passed: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
