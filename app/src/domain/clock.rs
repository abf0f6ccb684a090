//! The current time, read from the server's clock or the browser's.

use chrono::{DateTime, Utc};

pub fn now_utc() -> DateTime<Utc> {
    #[cfg(feature = "ssr")]
    {
        Utc::now()
    }
    #[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
    {
        #[allow(clippy::cast_possible_truncation)]
        let ms = js_sys::Date::now() as i64;
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        DateTime::default()
    }
}
