//! Today's date as the server's clock gives it, for the checks a form makes in the browser.
//! The browser never reads its own clock: a phone set to the wrong day must not disagree with
//! the server about whether a date lies in the future.

use chrono::NaiveDate;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug)]
struct Today(NaiveDate);

/// Reads the date once on the server and carries it into the hydrated page.
pub fn provide_today() {
    let today = SharedValue::new_str(server_today).into_inner();
    provide_context(Today(today));
}

/// Today in Moscow, from the server's clock.
pub fn use_today() -> NaiveDate {
    use_context::<Today>().map(|t| t.0).unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn server_today() -> NaiveDate {
    use_context::<crate::ssr::state::AppState>()
        .map(|s| s.clock.today())
        .unwrap_or_default()
}

// Only runs when the page was not rendered by the server, which Kabinet never does.
#[cfg(not(feature = "ssr"))]
fn server_today() -> NaiveDate {
    NaiveDate::default()
}

/// A date handed to an island, as `ГГГГ-ММ-ДД`: read back with [`parse_date`] instead of
/// chrono's own `FromStr`, whose format-string parser would otherwise reach the browser
/// (see `components::island`).
///
/// [`parse_date`]: crate::domain::contact::parse_date
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateProp(pub NaiveDate);

impl serde::Serialize for DateProp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use chrono::Datelike as _;
        let d = self.0;
        s.collect_str(&format_args!(
            "{:04}-{:02}-{:02}",
            d.year(),
            d.month(),
            d.day()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_prop_travels_as_an_iso_date() {
        let d = DateProp(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"2026-03-09\"");
    }
}
