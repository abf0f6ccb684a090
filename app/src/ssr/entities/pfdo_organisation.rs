use sea_orm::entity::prelude::*;

/// A provider's ПФДО side: address and the limits of its work by certificates.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pfdo_organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider_id: i64,
    pub municipality_id: i64,
    pub district_id: i64,
    pub address: String,
    pub inn: String,
    pub max_children: i32,
    pub children: i32,
    pub payer_limit: i64,
    pub payer_used: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
