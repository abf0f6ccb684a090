//! НМО pages for specialists.

pub mod cycles;
pub mod documents;
pub mod new_document;
pub mod start;
