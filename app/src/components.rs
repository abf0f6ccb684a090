//! Reusable pieces of the pages.

pub mod a11y;
pub mod form;
pub mod island;
pub mod layout;
pub mod robot;
pub mod today;
