//! ИКП — the individual confirmation code of an attended event (DOMAIN.md): shown
//! four characters, a hyphen and eight (`K7PQ-01Z9X2M4`), 12 Latin letters (never «O») and digits. Input is case-insensitive, spaces
//! and other symbols are ignored and a typed «O» means zero.

use std::fmt;

use crate::domain::words::plural;

pub const LENGTH: usize = 12;
/// At most this many codes in one batch.
pub const MAX_BATCH: u32 = 1000;

/// How many codes a provider asked for, typed as text.
///
/// # Errors
/// The message for the «Количество кодов» field.
pub fn batch_size(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_BATCH).contains(n))
        .ok_or_else(|| format!("Введите количество кодов числом, от 1 до {MAX_BATCH}"))
}
/// The alphabet codes are issued from: digits and Latin capitals without «O».
pub const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ";

/// A code in its one canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Code(String);

impl Code {
    /// Normalises as DOMAIN.md says: uppercase → keep [A-Z0-9] → O→0 → exactly 12.
    ///
    /// # Errors
    /// What is wrong with the shape (never anything about other codes).
    pub fn parse(input: &str) -> Result<Self, String> {
        let kept = keep(input);
        if kept.is_empty() {
            return Err(if input.chars().any(is_cyrillic) {
                LAYOUT.into()
            } else {
                "Введите код подтверждения".into()
            });
        }
        if kept.len() != LENGTH {
            let n = kept.len() as u64;
            let mut message = format!(
                "В коде 12 знаков (латинские буквы и цифры), а введено {n} {}",
                plural(n, ["знак", "знака", "знаков"])
            );
            if input.chars().any(is_cyrillic) {
                message.push_str(". ");
                message.push_str(LAYOUT);
            }
            return Err(message);
        }
        Ok(Self(kept))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A fresh code from 12 alphabet indices, each drawn uniformly below 35 by a CSPRNG.
    pub fn from_indices(indices: [u8; LENGTH]) -> Self {
        Self(
            indices
                .iter()
                .map(|i| char::from(ALPHABET[usize::from(*i) % ALPHABET.len()]))
                .collect(),
        )
    }
}

impl fmt::Display for Code {
    /// Grouped four and eight: `K7PQ-01Z9X2M4`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..4], &self.0[4..])
    }
}

const LAYOUT: &str = "Код состоит из латинских букв и цифр — проверьте раскладку клавиатуры";

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn keep(input: &str) -> String {
    input
        .chars()
        .flat_map(char::to_uppercase)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| if c == 'O' { '0' } else { c })
        .collect()
}

/// What the field shows while the person types: normalised, at most 12, a hyphen after 4.
pub fn format_partial(input: &str) -> String {
    let kept: String = keep(input).chars().take(LENGTH).collect();
    if kept.len() > 4 {
        format!("{}-{}", &kept[..4], &kept[4..])
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_vectors() {
        for (input, canonical) in [
            ("ABCD-12345678", "ABCD12345678"),
            ("abcd-12345678", "ABCD12345678"),
            ("  ab cd 1234 5678 ", "ABCD12345678"),
            ("AB_CD/1234.5678", "ABCD12345678"),
            ("oOoO-12345678", "000012345678"),
            ("k7pq-o1z9x2m4", "K7PQ01Z9X2M4"),
        ] {
            assert_eq!(Code::parse(input).unwrap().as_str(), canonical, "{input}");
        }
        assert_eq!(
            Code::parse("k7pq o1z9x2m4").unwrap().to_string(),
            "K7PQ-01Z9X2M4"
        );
    }

    #[test]
    fn shape_errors_say_what_is_wrong() {
        assert_eq!(Code::parse("").unwrap_err(), "Введите код подтверждения");
        assert_eq!(Code::parse(" - ").unwrap_err(), "Введите код подтверждения");
        assert_eq!(
            Code::parse("ABCD-1234567").unwrap_err(),
            "В коде 12 знаков (латинские буквы и цифры), а введено 11 знаков"
        );
        assert_eq!(
            Code::parse("ABCD-123456789").unwrap_err(),
            "В коде 12 знаков (латинские буквы и цифры), а введено 13 знаков"
        );
        assert_eq!(
            Code::parse("A").unwrap_err(),
            "В коде 12 знаков (латинские буквы и цифры), а введено 1 знак"
        );
        assert!(
            Code::parse("АВСD-12345678")
                .unwrap_err()
                .contains("раскладку")
        );
        assert_eq!(Code::parse("ЙЦУК").unwrap_err(), LAYOUT);
    }

    #[test]
    fn issued_codes_never_hold_the_letter_o_and_print_grouped() {
        let code = Code::from_indices([0, 9, 10, 23, 24, 34, 35, 70, 1, 2, 3, 4]);
        assert!(!code.as_str().contains('O'));
        assert_eq!(code.as_str().len(), LENGTH);
        assert_eq!(Code::parse(&code.to_string()).unwrap(), code);
        assert_eq!(ALPHABET.len(), 35);
    }

    #[test]
    fn typing_is_formatted_live() {
        assert_eq!(format_partial("k7p"), "K7P");
        assert_eq!(format_partial("k7pq"), "K7PQ");
        assert_eq!(format_partial("k7pqo"), "K7PQ-0");
        assert_eq!(format_partial("K7PQ-01Z9X2M4EXTRA"), "K7PQ-01Z9X2M4");
    }
}
