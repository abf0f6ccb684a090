//! Email, mobile phone, names and dates typed into forms.

use chrono::{Datelike, NaiveDate};

/// An email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// # Errors
    /// A Russian sentence saying what is wrong.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err("Укажите адрес электронной почты");
        }
        if s.len() > 254 {
            return Err("Адрес электронной почты слишком длинный");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("Адрес электронной почты указан неверно (пример: ivanova@mail.ru)");
        };
        let ok_local = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let ok_domain = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if ok_local && ok_domain {
            Ok(Self(s))
        } else {
            Err("Адрес электронной почты указан неверно (пример: ivanova@mail.ru)")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Russian mobile number, kept as `+7` and ten digits, e.g. `+79123456789`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Accepts `+7`, `7` or `8` before the ten digits, with any spaces, brackets and hyphens.
    ///
    /// # Errors
    /// A Russian sentence saying what is wrong.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        if input.trim().is_empty() {
            return Err("Укажите мобильный телефон");
        }
        let phone = Self::parse_any(input).map_err(|e| {
            if e.starts_with("Телефон указан неверно") {
                "Мобильный телефон указан неверно (пример: +7 912 345-67-89)"
            } else {
                e
            }
        })?;
        if !phone.0[2..].starts_with('9') {
            return Err("Укажите мобильный номер: он начинается с +7 9");
        }
        Ok(phone)
    }

    /// Any Russian number, landlines included (an organisation's phone), written as
    /// [`Phone::parse`] accepts.
    ///
    /// # Errors
    /// A Russian sentence saying what is wrong.
    pub fn parse_any(input: &str) -> Result<Self, &'static str> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("Укажите телефон");
        }
        if trimmed
            .chars()
            .any(|c| !(c.is_ascii_digit() || " +-()".contains(c)))
        {
            return Err("Телефон может содержать только цифры, пробелы, скобки, дефис и +");
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.len() {
            11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            10 => &digits[..],
            _ => {
                return Err(
                    "Телефон указан неверно: нужны 10 цифр после +7 (пример: +7 495 123-45-67)",
                );
            }
        };
        Ok(Self(format!("+7{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+7 912 345-67-89`.
    pub fn display(&self) -> String {
        let d = &self.0[2..];
        format!("+7 {} {}-{}-{}", &d[0..3], &d[3..6], &d[6..8], &d[8..10])
    }
}

/// A person's full name in two or three words (surname, name, patronymic if any), each a valid
/// name part.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn parse_full_name(input: &str) -> Result<(String, String, Option<String>), String> {
    const WHAT: &str = "Укажите фамилию, имя и отчество (если есть) ответственного лица";
    let words: Vec<&str> = input.split_whitespace().collect();
    let (last, first, middle) = match words.as_slice() {
        [last, first] => (*last, *first, None),
        [last, first, middle] => (*last, *first, Some(*middle)),
        _ => return Err(WHAT.into()),
    };
    Ok((
        parse_name(last, "Фамилия", true)?.unwrap_or_default(),
        parse_name(first, "Имя", true)?.unwrap_or_default(),
        match middle {
            Some(m) => parse_name(m, "Отчество", false)?,
            None => None,
        },
    ))
}

/// A refusal's reason, its spaces collapsed: required (`reader` is who will read it) and at
/// most `max` characters.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn refusal_reason(input: &str, max: usize, reader: &str) -> Result<String, String> {
    let reason = input.split_whitespace().collect::<Vec<_>>().join(" ");
    match reason.chars().count() {
        0 => Err(format!("Напишите причину: её получит {reader}")),
        n if n > max => Err(format!("Причина — не длиннее {max} знаков")),
        _ => Ok(reason),
    }
}

/// A title or text typed into a form, its spaces collapsed (line breaks kept where `multiline`):
/// from `min` to `max` characters. `what` names the field in the message.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn parse_text(
    input: &str,
    what: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, String> {
    let text = if multiline {
        input
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    } else {
        input.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    if !control_free(&text, multiline) {
        return Err(format!("{what}: уберите служебные символы"));
    }
    match text.chars().count() {
        0 => Err(format!("Заполните поле «{what}»")),
        n if n < min => Err(format!("{what}: не короче {min} знаков")),
        n if n > max => Err(format!("{what}: не длиннее {max} знаков")),
        _ => Ok(text),
    }
}

/// No control characters (NUL and the like, which PostgreSQL text refuses); line breaks and
/// tabs are allowed where the text has lines.
pub fn control_free(s: &str, multiline: bool) -> bool {
    s.chars()
        .all(|c| !c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// A surname, given name or patronymic: letters with inner hyphens, spaces and apostrophes.
///
/// # Errors
/// A Russian sentence naming the field by `what` («Фамилия», «Имя», «Отчество»).
pub fn parse_name(input: &str, what: &str, required: bool) -> Result<Option<String>, String> {
    let s: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return if required {
            Err(format!("Укажите: {}", what.to_lowercase()))
        } else {
            Ok(None)
        };
    }
    if s.chars().count() > 60 {
        return Err(format!("{what}: не более 60 символов"));
    }
    let letters_ok = s
        .chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == ' ' || c == '\'' || c == '’');
    let edges_ok = s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars().last().is_some_and(char::is_alphabetic);
    if !letters_ok || !edges_ok {
        return Err(format!("{what}: только буквы, дефис, пробел и апостроф"));
    }
    Ok(Some(s))
}

/// Parses `ГГГГ-ММ-ДД` (a date input) or `ДД.ММ.ГГГГ` (typed by hand; the day and month may
/// have one digit). By hand rather than with chrono's format strings, whose parser is a fifth
/// of the browser's date code.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    let (year, month, day) = match (s.split_once('-'), s.split_once('.')) {
        (Some((y, rest)), None) => {
            let (m, d) = rest.split_once('-')?;
            (y, m, d)
        }
        (None, Some((d, rest))) => {
            let (m, y) = rest.split_once('.')?;
            (y, m, d)
        }
        _ => return None,
    };
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let year = i32::try_from(number(year, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month, 1..=2)?, number(day, 1..=2)?)
}

/// A birth date for an adult specialist.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn parse_birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    if input.trim().is_empty() {
        return Err("Укажите дату рождения");
    }
    let date = parse_date(input).ok_or("Дата рождения указана неверно (пример: 31.12.1985)")?;
    if date > today {
        return Err("Дата рождения не может быть в будущем");
    }
    let age = today.year()
        - date.year()
        - i32::from((today.month(), today.day()) < (date.month(), date.day()));
    if !(16..=100).contains(&age) {
        return Err("Проверьте дату рождения: возраст должен быть от 16 до 100 лет");
    }
    Ok(date)
}

/// «Иванова Мария Петровна»; without a middle name, two words.
pub fn full_name(last: &str, first: &str, middle: Option<&str>) -> String {
    [Some(last), Some(first), middle]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Shows a date the Russian way: `31.12.1985`.
pub fn format_date(date: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_a_date_input_sends_them_or_as_typed() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_date("1985-12-31"), d(1985, 12, 31));
        assert_eq!(parse_date(" 31.12.1985 "), d(1985, 12, 31));
        assert_eq!(parse_date("1.2.1985"), d(1985, 2, 1));
        assert_eq!(parse_date("2024-02-29"), d(2024, 2, 29));
        for bad in [
            "",
            "2023-02-29",
            "31.13.1985",
            "32.01.1985",
            "85-12-31",
            "31.12.85",
            "1985-12-31x",
            "+1985-12-31",
            "1985-1231",
            "31.12-1985",
            "31.12.1985.",
            "001.12.1985",
            "1985-12--1",
            "３１.12.1985",
            "0.1.1985",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(1985, 2, 1).unwrap()),
            "01.02.1985"
        );
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(1, 2, 1).unwrap()),
            "01.02.0001"
        );
    }

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" Ivanova@Mail.RU ").unwrap().as_str(),
            "ivanova@mail.ru"
        );
        for bad in [
            "",
            "ivanova",
            "@mail.ru",
            "a@b",
            "a@b.c",
            "a b@mail.ru",
            "a@-b.ru",
            "a@b..ru",
            ".a@b.ru",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn phones_accept_the_usual_russian_spellings() {
        for ok in [
            "+7 912 345-67-89",
            "89123456789",
            "8 (912) 345 67 89",
            "9123456789",
            "79123456789",
        ] {
            assert_eq!(Phone::parse(ok).unwrap().as_str(), "+79123456789", "{ok}");
        }
        assert_eq!(
            Phone::parse("89123456789").unwrap().display(),
            "+7 912 345-67-89"
        );
        assert!(Phone::parse("+7 495 123-45-67").is_err());
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse("+7 912 abc").is_err());
        assert_eq!(Phone::parse(" ").unwrap_err(), "Укажите мобильный телефон");
        assert_eq!(
            Phone::parse("12345").unwrap_err(),
            "Мобильный телефон указан неверно (пример: +7 912 345-67-89)"
        );
        assert_eq!(
            Phone::parse("+7 912 abc").unwrap_err(),
            "Телефон может содержать только цифры, пробелы, скобки, дефис и +"
        );
    }

    #[test]
    fn an_organisations_phone_may_be_a_landline() {
        let landline = Phone::parse_any("8 (495) 123-45-67").unwrap();
        assert_eq!(landline.as_str(), "+74951234567");
        assert_eq!(landline.display(), "+7 495 123-45-67");
        assert_eq!(
            Phone::parse_any("+7 912 345-67-89").unwrap().as_str(),
            "+79123456789"
        );
        assert_eq!(
            Phone::parse_any("495 12").unwrap_err(),
            "Телефон указан неверно: нужны 10 цифр после +7 (пример: +7 495 123-45-67)"
        );
        assert_eq!(Phone::parse_any("").unwrap_err(), "Укажите телефон");
    }

    #[test]
    fn names_allow_hyphens_and_refuse_digits() {
        assert_eq!(
            parse_name("  Римский-Корсаков ", "Фамилия", true)
                .unwrap()
                .unwrap(),
            "Римский-Корсаков"
        );
        assert!(parse_name("Иван0в", "Фамилия", true).is_err());
        assert!(parse_name("-Иван", "Имя", true).is_err());
        assert_eq!(parse_name("", "Отчество", false).unwrap(), None);
        assert_eq!(
            parse_name("", "Фамилия", true).unwrap_err(),
            "Укажите: фамилия"
        );
        assert!(parse_name(&"а".repeat(61), "Имя", true).is_err());
    }

    #[test]
    fn birth_dates_must_be_past_and_plausible() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(
            parse_birth_date("1985-12-31", today).unwrap(),
            NaiveDate::from_ymd_opt(1985, 12, 31).unwrap()
        );
        assert_eq!(
            parse_birth_date("31.12.1985", today).unwrap(),
            NaiveDate::from_ymd_opt(1985, 12, 31).unwrap()
        );
        assert!(parse_birth_date("2027-01-01", today).is_err());
        assert!(parse_birth_date("2015-01-01", today).is_err());
        assert!(parse_birth_date("1900-01-01", today).is_err());
        assert!(parse_birth_date("31.02.1985", today).is_err());
        assert!(parse_birth_date("", today).is_err());
        assert!(parse_birth_date("2010-11-22", today).is_ok());
        assert!(parse_birth_date("2010-11-23", today).is_err());
    }
}
