//! ПФДО rules shared by the server and the browser: money, the quote of an application, the
//! contract's statuses, the monthly decrease of an unused nominal, eligibility messages.

pub mod confirm;
pub mod contract;
pub mod eligibility;
pub mod events;
pub mod money;
pub mod nominal;
pub mod quote;
pub mod registry;

/// A certificate's number is 10 digits; it is also the parent's login.
pub fn parse_certificate_number(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// An organisation's ИНН: 10 digits (a company) or 12 (a sole trader), spaces ignored.
pub fn parse_inn(input: &str) -> Option<String> {
    let inn: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    ((inn.len() == 10 || inn.len() == 12) && inn.chars().all(|c| c.is_ascii_digit())).then_some(inn)
}

/// Full years of age on `on`.
pub fn age_on(birth: chrono::NaiveDate, on: chrono::NaiveDate) -> u32 {
    on.years_since(birth).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn an_inn_has_ten_or_twelve_digits() {
        assert_eq!(parse_inn(" 7701 234567 ").as_deref(), Some("7701234567"));
        assert_eq!(parse_inn("770123456789").as_deref(), Some("770123456789"));
        assert_eq!(parse_inn("12345"), None);
        assert_eq!(parse_inn("77012345ab"), None);
    }

    #[test]
    fn numbers_are_ten_digits() {
        assert_eq!(
            parse_certificate_number(" 99011 01325 ").as_deref(),
            Some("9901101325")
        );
        assert_eq!(parse_certificate_number("990110132"), None);
        assert_eq!(parse_certificate_number("99011013255"), None);
        assert_eq!(parse_certificate_number("99011O1325"), None);
    }

    #[test]
    fn age_counts_full_years() {
        let birth = NaiveDate::from_ymd_opt(2016, 11, 23).unwrap();
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()),
            9
        );
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
            10
        );
    }
}
