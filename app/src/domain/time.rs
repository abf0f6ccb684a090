//! Dates are stored in UTC and shown in Moscow time (UTC+3, no daylight saving since 2014).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};

pub fn moscow() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// `22.11.2026 14:05`
pub fn format_moscow(at: DateTime<Utc>) -> String {
    at.with_timezone(&moscow())
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// `22.11 14:05`
pub fn format_moscow_short(at: DateTime<Utc>) -> String {
    at.with_timezone(&moscow())
        .format("%d.%m %H:%M")
        .to_string()
}

/// `14:05`
pub fn format_moscow_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&moscow()).format("%H:%M").to_string()
}

/// Today's date in Moscow at the given instant.
pub fn moscow_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&moscow()).date_naive()
}

/// The instant a Moscow wall clock shows `time` on `date`.
pub fn moscow_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    date.and_time(time).and_utc() - TimeDelta::seconds(i64::from(moscow().local_minus_utc()))
}

/// Month names in the nominative, January first.
pub const MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// Weekday names, Monday first (the ПФДО lessons' `weekday` 1–7).
pub const WEEKDAYS: [&str; 7] = [
    "Понедельник",
    "Вторник",
    "Среда",
    "Четверг",
    "Пятница",
    "Суббота",
    "Воскресенье",
];

/// The name of weekday `n` (1 = Monday … 7 = Sunday); out-of-range numbers are clamped.
pub fn weekday_name(n: i16) -> &'static str {
    WEEKDAYS[usize::try_from(n.clamp(1, 7) - 1).unwrap_or(0)]
}

/// `ноябрь 2026`
pub fn month_year(d: NaiveDate) -> String {
    use chrono::Datelike as _;
    format!("{} {}", MONTHS[d.month0() as usize], d.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moscow_is_three_hours_ahead() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 22, 30, 0).unwrap();
        assert_eq!(format_moscow(at), "23.11.2026 01:30");
        assert_eq!(format_moscow_short(at), "23.11 01:30");
        assert_eq!(
            moscow_date(at),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }

    #[test]
    fn a_moscow_wall_clock_time_is_three_hours_earlier_in_utc() {
        let new_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let at = moscow_instant(new_year, NaiveTime::from_hms_opt(0, 10, 0).unwrap());
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 12, 31, 21, 10, 0).unwrap());
        assert_eq!(moscow_date(at), new_year);
    }
}
