use sea_orm::entity::prelude::*;

/// A saved admission document; never updated (changes go through support).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admission_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub specialty_id: i64,
    pub organisation_id: i64,
    pub series: Option<String>,
    pub number: String,
    pub protocol_date: Option<Date>,
    pub exam_date: Date,
    pub issue_date: Option<Date>,
    pub frmr_confirmed: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
