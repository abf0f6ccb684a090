//! SeaORM entities: the rows the services read and write.

pub mod app_secret;
pub mod email_token;
pub mod outbox;
pub mod robot_check;
pub mod session;
pub mod support_ticket;
pub mod user;
