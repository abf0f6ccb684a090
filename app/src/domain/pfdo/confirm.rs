//! Who may start an application on a child's behalf, and how a provider proves it: the
//! child's full name, or the code phrase the parent chose (kept only as a hash of its key).

/// The three settings, with their titles and what each means.
pub const CONFIRM_TYPES: [(&str, &str, &str); 3] = [
    (
        "forbidden",
        "Запись запрещена",
        "Организации не могут подавать заявки за ребёнка.",
    ),
    (
        "name",
        "Подтверждение по ФИО",
        "Организация должна указать полное ФИО ребёнка.",
    ),
    (
        "phrase",
        "Подтверждение по кодовой фразе (рекомендуется)",
        "Организация должна назвать фразу, которую вы ей сообщили. Фраза хранится в \
         зашифрованном виде.",
    ),
];

/// The title of a setting, or `None` for an unknown code.
pub fn title(code: &str) -> Option<&'static str> {
    CONFIRM_TYPES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, t, _)| *t)
}

pub const PHRASE_LENGTH: &str = "Кодовая фраза — от 6 до 100 символов; сообщайте её только \
     организации, которой доверяете запись";

/// What is hashed and compared of a code phrase: trimmed, in lower case.
///
/// # Errors
/// [`PHRASE_LENGTH`] for fewer than 6 or more than 100 characters.
pub fn phrase_key(phrase: &str) -> Result<String, &'static str> {
    let key = phrase.trim().to_lowercase();
    if (6..=100).contains(&key.chars().count()) {
        Ok(key)
    } else {
        Err(PHRASE_LENGTH)
    }
}

/// Whether two full names are the same as people type them: case, «ё» and extra spaces do
/// not matter.
pub fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        s.split_whitespace()
            .map(|w| w.to_lowercase().replace('ё', "е"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_phrases_compare_as_typed() {
        assert!(same_name(
            "  смирнова   алиса игоревна ",
            "Смирнова Алиса Игоревна"
        ));
        assert!(same_name("Фёдоров Лев", "федоров лев"));
        assert!(!same_name("Смирнова Алиса", "Смирнова Алиса Игоревна"));
        assert_eq!(phrase_key("  Синий Слон 42 "), Ok("синий слон 42".into()));
        assert_eq!(phrase_key("кот"), Err(PHRASE_LENGTH));
        assert_eq!(title("name"), Some("Подтверждение по ФИО"));
        assert_eq!(title("anyone"), None);
    }
}
