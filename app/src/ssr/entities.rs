//! SeaORM entities: the rows the services read and write.

pub mod admission_document;
pub mod app_secret;
pub mod cycle;
pub mod email_token;
pub mod exam_organisation;
pub mod nmo_profile;
pub mod outbox;
pub mod robot_check;
pub mod session;
pub mod specialty;
pub mod support_ticket;
pub mod user;
