use sea_orm::entity::prelude::*;

/// An element in a specialist's plan for one cycle (never twice: unique cycle + element).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub cycle_id: i64,
    pub element_id: i64,
    pub run_id: Option<i64>,
    pub status: String,
    /// ЗЕТ counted, once the item is completed.
    pub credits: Option<i32>,
    pub completed_on: Option<Date>,
    /// Why a code was rejected.
    pub note: Option<String>,
    /// When the ДПП ПК application was (last) formed.
    pub applied_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
