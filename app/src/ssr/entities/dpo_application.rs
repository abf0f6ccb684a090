use sea_orm::entity::prelude::*;

/// A teacher's application to a course; see `domain::dpo::Status` for its life cycle.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dpo_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub teacher_id: i64,
    /// The teacher's school when applying: its head approves.
    pub school_id: i64,
    pub status: String,
    pub group_id: Option<i64>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The certificate (удостоверение) issued at the end.
    pub document_number: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
