use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub role: String,
    #[sea_orm(unique)]
    pub login: String,
    pub status: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub citizenship: Option<String>,
    pub region: Option<i32>,
    pub sex: Option<String>,
    pub birth_date: Option<Date>,
    pub email: String,
    pub phone: Option<String>,
    pub password_hash: Option<String>,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    /// A «Забыли пароль?» password that replaces `password_hash` at its first successful use.
    pub reset_password_hash: Option<String>,
    pub reset_expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
