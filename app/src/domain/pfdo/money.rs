//! Money is whole kopecks in an `i64`, never a float.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Self = Self(0);

    pub fn rubles(rubles: i64) -> Self {
        Self(rubles * 100)
    }

    pub fn kopecks(self) -> i64 {
        self.0
    }

    /// `30 001,00` without the sign of the currency.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let rubles = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in rubles.chars().enumerate() {
            if i > 0 && (rubles.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{:02}", abs % 100)
    }

    /// Reads what an operator typed: `30001`, `30 001,50`, `30001.5`.
    ///
    /// # Errors
    /// A message naming what is wrong.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let cleaned: String = input
            .trim()
            .trim_end_matches('₽')
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        if cleaned.is_empty() {
            return Err("Введите сумму");
        }
        let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if whole.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 2
        {
            return Err("Сумма — число рублей, копейки через запятую: 30 001,00");
        }
        if whole.len() > 12 {
            return Err("Сумма слишком велика");
        }
        let rubles: i64 = whole.parse().map_err(|_| "Сумма слишком велика")?;
        let kopecks: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        Ok(Self(rubles * 100 + kopecks))
    }
}

impl fmt::Display for Money {
    /// `30 001,00 ₽` (the spaces do not break).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\u{a0}₽", self.plain())
    }
}

impl std::ops::Add for Money {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        Self(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        Self(self.0 - rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_groups_and_kopecks() {
        assert_eq!(Money(3_000_100).to_string(), "30\u{a0}001,00\u{a0}₽");
        assert_eq!(Money(100).to_string(), "1,00\u{a0}₽");
        assert_eq!(Money(5).plain(), "0,05");
        assert_eq!(Money(123_456_789).plain(), "1\u{a0}234\u{a0}567,89");
        assert_eq!(Money(-250).plain(), "-2,50");
        assert_eq!(Money(0).plain(), "0,00");
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Money::parse("30 001,00"), Ok(Money(3_000_100)));
        assert_eq!(Money::parse("30001"), Ok(Money(3_000_100)));
        assert_eq!(Money::parse("30001.5 ₽"), Ok(Money(3_000_150)));
        assert_eq!(Money::parse("0,07"), Ok(Money(7)));
        assert!(Money::parse("").is_err());
        assert!(Money::parse("1,234").is_err());
        assert!(Money::parse("-5").is_err());
        assert!(Money::parse("abc").is_err());
        assert!(Money::parse("99999999999999999").is_err());
    }
}
