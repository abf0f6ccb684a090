use sea_orm::entity::prelude::*;

/// «Мероприятие» of a provider: a one-off event children apply to, up to its capacity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pfdo_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider_id: i64,
    pub municipality_id: i64,
    pub title: String,
    pub description: String,
    /// The folded title and description the navigator searches.
    pub search_text: String,
    pub place: String,
    pub starts_at: DateTimeUtc,
    pub age_from: i16,
    pub age_to: i16,
    pub capacity: i32,
    pub taken: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
