use sea_orm::entity::prelude::*;

/// A provider's ДПО course; `taken` counts live applications against `places`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dpo_courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider_id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub title: String,
    pub description: String,
    /// Code, title and description folded for search.
    pub search_text: String,
    pub hours: i32,
    /// full_time, blended or distance.
    pub format: String,
    /// budget or paid.
    pub funding: String,
    /// Kopecks; 0 for a budget course.
    pub price: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    pub places: i32,
    pub taken: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
