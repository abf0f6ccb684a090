use sea_orm::entity::prelude::*;

/// A child's certificate; its number is the parent's login.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pfdo_certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub user_id: i64,
    pub municipality_id: i64,
    pub category_id: i64,
    pub kind: String,
    pub child_last_name: String,
    pub child_first_name: String,
    pub child_middle_name: Option<String>,
    pub child_birth_date: Date,
    pub status: String,
    pub queued_at: Option<DateTimeUtc>,
    pub activated_at: Option<DateTimeUtc>,
    pub representative: Option<String>,
    pub address: Option<String>,
    pub district_id: Option<i64>,
    pub confirm_type: String,
    pub phrase_hash: Option<String>,
    pub consent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
