//! «Мероприятия» and «Портфолио»: when an event starts, who may come, and how an achievement is
//! described.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::domain::contact::parse_date;
use crate::domain::time::moscow_instant;
use crate::domain::words::{YEARS, count};

/// Achievement levels: (code, title).
pub const LEVELS: [(&str, &str); 4] = [
    ("municipal", "Муниципальный"),
    ("regional", "Региональный"),
    ("federal", "Всероссийский"),
    ("international", "Международный"),
];

/// Achievement results: (code, title).
pub const RESULTS: [(&str, &str); 3] = [
    ("participant", "Участник"),
    ("prize", "Призёр"),
    ("winner", "Победитель"),
];

fn title_of(list: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

pub fn level_title(code: &str) -> Option<&'static str> {
    title_of(&LEVELS, code)
}

pub fn result_title(code: &str) -> Option<&'static str> {
    title_of(&RESULTS, code)
}

/// The start of an event typed as a date and a Moscow time: in the future and within a year.
///
/// # Errors
/// The field (`date` or `time`) and a Russian sentence.
pub fn parse_start(
    date: &str,
    time: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, (&'static str, &'static str)> {
    let day = parse_date(date).ok_or(("date", "Укажите дату мероприятия (пример: 31.12.2026)"))?;
    let at = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .map_err(|_| ("time", "Укажите время начала (пример: 15:30)"))?;
    let start = moscow_instant(day, at);
    if start <= now {
        return Err(("date", "Мероприятие должно начинаться в будущем"));
    }
    if start > now + chrono::Duration::days(366) {
        return Err(("date", "Мероприятие можно объявить не больше чем за год"));
    }
    Ok(start)
}

/// An age range typed as two numbers, 0–18 each, the first not above the second.
///
/// # Errors
/// The field and a Russian sentence.
pub fn parse_ages(from: &str, to: &str) -> Result<(i16, i16), (&'static str, &'static str)> {
    let age = |s: &str, field| {
        s.trim()
            .parse::<i16>()
            .ok()
            .filter(|a| (0..=18).contains(a))
            .ok_or((field, "Возраст — число от 0 до 18"))
    };
    let (a, b) = (age(from, "age_from")?, age(to, "age_to")?);
    if a > b {
        return Err(("age_to", "Возраст «до» не может быть меньше возраста «от»"));
    }
    Ok((a, b))
}

/// The date an achievement was reached: not in the future and not before the child was born.
///
/// # Errors
/// A Russian sentence.
pub fn parse_achieved_on(
    input: &str,
    birth: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, &'static str> {
    let day = parse_date(input).ok_or("Укажите дату (пример: 31.05.2026)")?;
    if day > today {
        return Err("Дата не может быть в будущем");
    }
    if day < birth {
        return Err("Дата не может быть раньше рождения ребёнка");
    }
    Ok(day)
}

/// Why a child of `age` cannot come to an event for `from`–`to`-year-olds, if so.
pub fn age_obstacle(age: u32, from: i16, to: i16) -> Option<String> {
    let fits = i64::from(age) >= i64::from(from) && i64::from(age) <= i64::from(to);
    (!fits).then(|| {
        format!(
            "Мероприятие для детей {from}–{to} лет, а ребёнку в день мероприятия будет {}",
            count(u64::from(age), YEARS)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn a_start_is_moscow_time_in_the_future_within_a_year() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        assert_eq!(
            parse_start("2026-12-01", "15:30", now),
            Ok(Utc.with_ymd_and_hms(2026, 12, 1, 12, 30, 0).unwrap())
        );
        assert_eq!(
            parse_start("01.12.2026", "15:30", now),
            parse_start("2026-12-01", "15:30", now)
        );
        assert_eq!(
            parse_start("2026-11-22", "11:00", now).unwrap_err().0,
            "date"
        );
        assert_eq!(
            parse_start("2028-01-01", "11:00", now).unwrap_err().0,
            "date"
        );
        assert_eq!(parse_start("", "11:00", now).unwrap_err().0, "date");
        assert_eq!(
            parse_start("2026-12-01", "25:00", now).unwrap_err().0,
            "time"
        );
    }

    #[test]
    fn ages_and_dates_are_checked() {
        assert_eq!(parse_ages("7", "12"), Ok((7, 12)));
        assert_eq!(parse_ages("12", "7").unwrap_err().0, "age_to");
        assert_eq!(parse_ages("x", "7").unwrap_err().0, "age_from");
        assert_eq!(parse_ages("5", "19").unwrap_err().0, "age_to");
        let birth = NaiveDate::from_ymd_opt(2015, 3, 1).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert!(parse_achieved_on("2026-05-31", birth, today).is_ok());
        assert!(parse_achieved_on("2026-12-01", birth, today).is_err());
        assert!(parse_achieved_on("2014-12-01", birth, today).is_err());
    }

    #[test]
    fn the_age_message_names_the_range_and_the_age() {
        assert_eq!(age_obstacle(9, 7, 12), None);
        assert_eq!(
            age_obstacle(5, 7, 12).as_deref(),
            Some("Мероприятие для детей 7–12 лет, а ребёнку в день мероприятия будет 5 лет")
        );
        assert_eq!(level_title("federal"), Some("Всероссийский"));
        assert_eq!(result_title("nope"), None);
    }
}
