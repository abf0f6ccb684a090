use sea_orm::entity::prelude::*;

/// An element of education a provider publishes: an ИОМ (`module`), an event, or a ДПП ПК (`programme`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "elements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider_id: i64,
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// The module's learning text, or the event's or programme's description.
    pub content: String,
    /// ЗЕТ: 1 per academic hour.
    pub credits: i32,
    /// online or offline.
    pub format: String,
    pub place: Option<String>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    /// The share of right answers that passes a module's final test.
    pub pass_percent: i32,
    pub published: bool,
    /// Title, summary and provider folded to lower case in Rust, for `LIKE` on both databases.
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
