use sea_orm::entity::prelude::*;

/// A programme of children's education in one or more registries.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pfdo_programmes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider_id: i64,
    pub municipality_id: i64,
    pub title: String,
    pub description: String,
    pub goals: String,
    /// Title, description and provider folded for search (see `search_fold`).
    pub search_text: String,
    pub activity: String,
    pub age_from: i32,
    pub age_to: i32,
    pub registry: String,
    pub max_children: i32,
    pub children: i32,
    pub visible: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
