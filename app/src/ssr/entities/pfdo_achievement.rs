use sea_orm::entity::prelude::*;

/// An achievement in the child's «Портфолио»: added by the parent, or confirmed by the
/// provider that recorded it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pfdo_achievements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub certificate_id: i64,
    pub title: String,
    pub level: String,
    pub result: String,
    pub achieved_on: Date,
    pub provider_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
