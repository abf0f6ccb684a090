//! The one clock. Services, jobs and pages never read the system time themselves: they are
//! given an instant that came from here, so a test can run the whole application on any date
//! and move time forward instead of sleeping.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, DurationRound as _, NaiveDate, TimeDelta, Utc};

use crate::domain::time::moscow_date;

#[derive(Clone)]
pub struct Clock(Arc<Source>);

enum Source {
    System,
    /// Stands still until moved; each reading is 1 µs after the one before, so rows written
    /// one after another keep their order.
    Manual(Mutex<DateTime<Utc>>),
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Source::System => f.write_str("Clock::System"),
            Source::Manual(_) => write!(f, "Clock::Manual({})", self.peek()),
        }
    }
}

impl Clock {
    /// The real time, for production.
    pub fn system() -> Self {
        Self(Arc::new(Source::System))
    }

    /// A clock that stands at `at` until a test moves it.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Source::Manual(Mutex::new(truncate(at)))))
    }

    /// Now, to the microsecond: both databases keep microseconds, so values round-trip exactly.
    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => truncate(Utc::now()),
            Source::Manual(at) => {
                let mut at = at.lock().unwrap_or_else(PoisonError::into_inner);
                let now = *at;
                *at = now + TimeDelta::microseconds(1);
                now
            }
        }
    }

    /// Today's date in Moscow.
    pub fn today(&self) -> NaiveDate {
        moscow_date(self.now())
    }

    /// Moves a manual clock to `at` (forward or back).
    ///
    /// # Panics
    /// On the system clock: production time cannot be moved.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.manual_source() = truncate(at);
    }

    /// Moves a manual clock forward by `by`.
    ///
    /// # Panics
    /// On the system clock.
    pub fn advance(&self, by: TimeDelta) {
        let mut at = self.manual_source();
        *at += by;
    }

    fn peek(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => truncate(Utc::now()),
            Source::Manual(at) => *at.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    fn manual_source(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        match &*self.0 {
            Source::Manual(at) => at.lock().unwrap_or_else(PoisonError::into_inner),
            Source::System => panic!("the system clock cannot be moved"),
        }
    }
}

fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_manual_clock_stands_still_but_never_repeats_itself() {
        let c = Clock::manual(at("2026-12-31T20:30:00Z"));
        let a = c.now();
        let b = c.now();
        assert_eq!(a, at("2026-12-31T20:30:00Z"));
        assert_eq!(b - a, TimeDelta::microseconds(1));
    }

    #[test]
    fn today_is_the_moscow_date() {
        let c = Clock::manual(at("2026-12-31T21:30:00Z"));
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        c.set(at("2026-12-31T20:59:59Z"));
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        c.advance(TimeDelta::seconds(1));
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    }

    #[test]
    fn clones_share_one_time() {
        let c = Clock::manual(at("2028-02-29T09:00:00Z"));
        let other = c.clone();
        c.advance(TimeDelta::days(1));
        assert_eq!(other.today(), NaiveDate::from_ymd_opt(2028, 3, 1).unwrap());
    }

    #[test]
    #[should_panic(expected = "cannot be moved")]
    fn the_system_clock_cannot_be_moved() {
        Clock::system().advance(TimeDelta::days(1));
    }
}
