//! Catalogue names: how a typed name is compared, and what a filed organisation must be.

use crate::error::FieldError;

/// Case- and space-insensitive form of a name, Cyrillic included.
pub fn fold(name: &str) -> String {
    tidy(name).to_lowercase()
}

/// Inner runs of spaces made one, ends trimmed.
pub fn tidy(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub const MAX_QUERY_LEN: usize = 300;

/// Lower case, single spaces, «ё» as «е»: how element texts are stored for search and queries
/// compared (in Rust, since SQLite's `lower` knows only ASCII).
pub fn search_fold(text: &str) -> String {
    fold(text).replace('ё', "е")
}

/// The text an element is found by: its title, summary and provider.
pub fn search_text(title: &str, summary: &str, provider: &str) -> String {
    search_fold(&format!("{title} {summary} {provider}"))
}

/// «Добавить организацию»: name 3–300 characters, city up to 100. Returns both tidied.
///
/// # Errors
/// The wrong fields with their messages.
pub fn check_organisation(name: &str, city: &str) -> Result<(String, String), Vec<FieldError>> {
    let (name, city) = (tidy(name), tidy(city));
    let mut errors = Vec::new();
    match name.chars().count() {
        0 => errors.push(FieldError::new("name", "Введите название организации")),
        1..=2 => errors.push(FieldError::new(
            "name",
            "Название слишком короткое — введите его полностью",
        )),
        301.. => errors.push(FieldError::new("name", "Название — не длиннее 300 знаков")),
        _ => {}
    }
    if city.chars().count() > 100 {
        errors.push(FieldError::new("city", "Город — не длиннее 100 знаков"));
    }
    if errors.is_empty() {
        Ok((name, city))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_folded() {
        assert_eq!(
            search_text("Лечение  ЁЖИКОВ", "Кратко", "НМО-Центр"),
            "лечение ежиков кратко нмо-центр"
        );
    }

    #[test]
    fn names_fold_and_organisations_are_checked() {
        assert_eq!(fold("  ГБУЗ   «Центр» "), "гбуз «центр»");
        assert_eq!(
            check_organisation(" Колледж  № 1 ", " Тверь "),
            Ok(("Колледж № 1".into(), "Тверь".into()))
        );
        let fields = |r: Result<(String, String), Vec<FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(check_organisation("  ", "")), ["name"]);
        assert_eq!(
            fields(check_organisation("аб", &"г".repeat(101))),
            ["name", "city"]
        );
        assert_eq!(fields(check_organisation(&"я".repeat(301), "")), ["name"]);
    }
}
