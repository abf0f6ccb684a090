use sea_orm::entity::prelude::*;

/// Which specialties an element is for.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "element_specialties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub element_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub specialty_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
