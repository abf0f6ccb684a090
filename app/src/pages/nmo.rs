//! НМО pages for specialists.

pub mod cycles;
pub mod documents;
pub mod elements;
pub mod module;
pub mod new_document;
pub mod plan;
pub mod portfolio;
pub mod start;
