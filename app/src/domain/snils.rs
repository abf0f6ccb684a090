//! СНИЛС: the 11-digit insurance number that is the НМО login.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SnilsError {
    #[error("СНИЛС пуст")]
    Empty,
    #[error("СНИЛС может состоять только из цифр")]
    NotDigits,
    #[error("СНИЛС должен состоять из 11 цифр")]
    WrongLength,
    #[error("Неправильное контрольное число СНИЛС")]
    WrongChecksum,
}

/// A valid СНИЛС, kept as its 11 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Snils(String);

/// Numbers up to 001-001-998 were issued before the checksum rule and are never checked.
const FIRST_CHECKED: u64 = 1_001_998;

impl Snils {
    /// Accepts digits with optional spaces and hyphens.
    ///
    /// # Errors
    /// One [`SnilsError`] per rule, in the order a person fixes them.
    pub fn parse(input: &str) -> Result<Self, SnilsError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if cleaned.is_empty() {
            return Err(SnilsError::Empty);
        }
        if !cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(SnilsError::NotDigits);
        }
        if cleaned.len() != 11 {
            return Err(SnilsError::WrongLength);
        }
        let digits: Vec<u32> = cleaned.bytes().map(|b| u32::from(b - b'0')).collect();
        let number = digits[..9]
            .iter()
            .fold(0u64, |acc, d| acc * 10 + u64::from(*d));
        let control = digits[9] * 10 + digits[10];
        if number > FIRST_CHECKED && control != checksum(&digits[..9]) {
            return Err(SnilsError::WrongChecksum);
        }
        Ok(Self(cleaned))
    }

    /// The 11 digits, as stored and used for login.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

fn checksum(first_nine: &[u32]) -> u32 {
    let sum: u32 = first_nine
        .iter()
        .zip((1..=9).rev())
        .map(|(d, w)| d * w)
        .sum();
    match sum {
        s if s < 100 => s,
        100 | 101 => 0,
        s => match s % 101 {
            100 => 0,
            r => r,
        },
    }
}

impl fmt::Display for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

/// Formats what a person is typing as `123-456-789 01`, keeping only digits (at most 11).
pub fn format_partial(input: &str) -> String {
    let digits: String = input
        .chars()
        .filter(char::is_ascii_digit)
        .take(11)
        .collect();
    let mut out = String::with_capacity(14);
    for (i, c) in digits.chars().enumerate() {
        match i {
            3 | 6 => out.push('-'),
            9 => out.push(' '),
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_valid_vector_from_the_rules_is_accepted() {
        for s in [
            "112-233-445 95",
            "123-456-789 64",
            "001-326-679 00",
            "001-508-816 00",
            "017-996-174 00",
            "006-996-683 00",
            "999-999-999 01",
        ] {
            assert!(Snils::parse(s).is_ok(), "{s} must be valid");
        }
    }

    #[test]
    fn numbers_up_to_001_001_998_are_not_checked() {
        for control in ["00", "42", "99"] {
            assert!(Snils::parse(&format!("001-001-998 {control}")).is_ok());
        }
        assert!(Snils::parse("000-000-001 77").is_ok());
    }

    #[test]
    fn the_first_checked_number_needs_its_control() {
        assert_eq!(
            Snils::parse("001-001-999 00"),
            Err(SnilsError::WrongChecksum)
        );
        assert!(Snils::parse("001-001-999 65").is_ok());
    }

    #[test]
    fn each_shape_error_has_its_own_message() {
        assert_eq!(Snils::parse("").unwrap_err().to_string(), "СНИЛС пуст");
        assert_eq!(Snils::parse("  - ").unwrap_err(), SnilsError::Empty);
        assert_eq!(
            Snils::parse("112-233-44A 95").unwrap_err().to_string(),
            "СНИЛС может состоять только из цифр"
        );
        assert_eq!(
            Snils::parse("112-233-445 9").unwrap_err().to_string(),
            "СНИЛС должен состоять из 11 цифр"
        );
        assert_eq!(
            Snils::parse("112-233-445 96").unwrap_err().to_string(),
            "Неправильное контрольное число СНИЛС"
        );
    }

    #[test]
    fn spaces_and_hyphens_are_ignored_and_display_is_canonical() {
        let s = Snils::parse(" 112 233 445-95 ").unwrap();
        assert_eq!(s.digits(), "11223344595");
        assert_eq!(s.to_string(), "112-233-445 95");
    }

    #[test]
    fn partial_input_is_formatted_as_typed() {
        assert_eq!(format_partial("1122"), "112-2");
        assert_eq!(format_partial("11223344595999"), "112-233-445 95");
        assert_eq!(format_partial("abc"), "");
    }

    proptest::proptest! {
        #[test]
        fn any_nine_digits_with_their_checksum_are_valid(n in 1_001_999u64..=999_999_999) {
            let nine = format!("{n:09}");
            let digits: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
            let s = format!("{nine}{:02}", checksum(&digits));
            proptest::prop_assert!(Snils::parse(&s).is_ok());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Snils::parse(&s);
        }
    }
}
