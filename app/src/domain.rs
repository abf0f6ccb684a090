//! Pure business rules: no IO, compiled into both the server and the WASM.

pub mod account;
pub mod contact;
pub mod dpo;
pub mod files;
pub mod nmo;
pub mod pfdo;
pub mod regions;
pub mod robot;
pub mod snils;
pub mod time;
pub mod words;
