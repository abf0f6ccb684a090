use sea_orm::entity::prelude::*;

/// A dated run (цикл обучения) of a ДПП ПК.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub element_id: i64,
    pub starts_on: Date,
    pub ends_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
