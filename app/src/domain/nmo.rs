//! НМО rules shared by the server and the browser.

pub mod catalogue;
pub mod code;
pub mod credits;
pub mod documents;
pub mod editor;
pub mod plan;
pub mod search;

/// The first-login choice of education levels needs at least one.
pub const LEVEL_REQUIRED: &str = "Выберите хотя бы один уровень: высшее (ВО) или среднее (СО) \
     медицинское или фармацевтическое образование";
