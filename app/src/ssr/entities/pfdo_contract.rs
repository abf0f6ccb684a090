use sea_orm::entity::prelude::*;

/// An application or contract for a module, with its money in kopecks.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pfdo_contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub certificate_id: i64,
    pub year: i32,
    pub programme_id: i64,
    pub module_id: i64,
    pub group_id: i64,
    pub provider_id: i64,
    pub status: i16,
    pub starts_on: Date,
    pub ends_on: Date,
    pub price: i64,
    pub cert_share: i64,
    pub parent_share: i64,
    pub reserve: i64,
    pub paid: i64,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub concluded_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub closes_on: Option<Date>,
    pub reason: Option<String>,
    pub prolonged_from: Option<i64>,
    pub prolong_due: Option<DateTimeUtc>,
    pub rating_results: Option<i16>,
    pub rating_staff: Option<i16>,
    pub rating_resources: Option<i16>,
    pub rating_overall: Option<i16>,
    pub rated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
