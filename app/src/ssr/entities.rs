//! SeaORM entities: the rows the services read and write.

pub mod admission_document;
pub mod app_secret;
pub mod code_attempt;
pub mod code_batch;
pub mod confirmation_code;
pub mod cycle;
pub mod element;
pub mod element_specialty;
pub mod email_token;
pub mod exam_organisation;
pub mod module_attempt;
pub mod module_option;
pub mod module_question;
pub mod nmo_profile;
pub mod outbox;
pub mod plan_item;
pub mod programme_run;
pub mod provider;
pub mod provider_scan;
pub mod robot_check;
pub mod session;
pub mod specialty;
pub mod support_ticket;
pub mod user;
