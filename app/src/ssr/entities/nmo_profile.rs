use sea_orm::entity::prelude::*;

/// A specialist's first-login choices and the cycle the plan shows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "nmo_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub agreement_accepted_at: Option<DateTimeUtc>,
    pub level_vo: bool,
    pub level_so: bool,
    pub current_cycle_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
