use sea_orm::entity::prelude::*;

/// Binds a user to a school: a teacher, the head or a school admin.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dpo_school_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub school_id: i64,
    /// teacher, head or admin.
    pub kind: String,
    /// «учитель математики», «директор».
    pub position: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
