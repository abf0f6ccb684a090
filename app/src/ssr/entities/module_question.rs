use sea_orm::entity::prelude::*;

/// A question of a module's final test.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "module_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub element_id: i64,
    pub position: i32,
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
