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
