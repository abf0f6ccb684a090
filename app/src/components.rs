//! Reusable pieces of the pages.

pub mod form;
pub mod layout;
