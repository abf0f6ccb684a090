//! Reusable pieces of the pages.

pub mod form;
pub mod layout;
pub mod robot;
