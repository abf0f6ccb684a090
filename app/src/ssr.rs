//! Server-only code: state, sessions, passwords, mail and the services behind the server
//! functions. Never compiled into the WASM.

pub mod clock;
pub mod context;
pub mod crypto;
pub mod db;
pub mod entities;
pub mod mailer;
pub mod password;
pub mod pdf;
pub mod robot;
pub mod seed;
pub mod seed_dpo;
pub mod seed_pfdo;
pub mod seed_plan;
pub mod service;
pub mod session;
pub mod settings;
pub mod state;
