//! Islands whose state the browser reads without serde.
//!
//! Leptos's `#[island]` hands an island its props as JSON read by `serde_json`, which with serde's
//! error machinery (and the float formatting it needs) is about a tenth of the browser's WASM. An
//! island here is a state struct instead: the server writes it with serde as Leptos does
//! (`<leptos-island data-component=… data-props=…>`), and the browser parses the attribute with its
//! own `JSON.parse` and reads each field through [`FromJson`]. What the island renders is the same
//! code on both sides ([`Island::view`]), hydrated just as `#[island]` would.
//!
//! Declare one with [`island_state!`](crate::island) and render it with [`island`].

use leptos::prelude::*;

use crate::components::today::DateProp;
use crate::domain::robot::Challenge;
use crate::error::{AppError, FieldError, WireError};
use crate::model::dpo::SchoolOption;

/// A parsed JSON value: the browser's (`JSON.parse`) or, in tests and on the server, serde_json's.
pub trait Json: Sized {
    /// A field of an object; `None` when it is missing or `null`.
    fn field(&self, key: &str) -> Option<Self>;
    fn text(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn items(&self) -> Option<Vec<Self>>;
}

/// A value read back from what serde wrote for it.
pub trait FromJson: Sized {
    fn from_json<J: Json>(v: &J) -> Option<Self>;

    /// Reads a field that may be missing; only `Option` accepts that.
    fn from_field<J: Json>(v: Option<J>) -> Option<Self> {
        Self::from_json(&v?)
    }
}

/// Reads `key` of the object `v`.
pub fn field<T: FromJson, J: Json>(v: &J, key: &str) -> Option<T> {
    T::from_field(v.field(key))
}

impl FromJson for String {
    fn from_json<J: Json>(v: &J) -> Option<Self> {
        v.text()
    }
}

impl FromJson for i64 {
    fn from_json<J: Json>(v: &J) -> Option<Self> {
        let n = v.number()?;
        // Ids are far below 2^53, where a JSON number stops being exact.
        (n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0).then_some(n as i64)
    }
}

impl FromJson for u8 {
    fn from_json<J: Json>(v: &J) -> Option<Self> {
        u8::try_from(i64::from_json(v)?).ok()
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json<J: Json>(v: &J) -> Option<Self> {
        T::from_json(v).map(Some)
    }

    fn from_field<J: Json>(v: Option<J>) -> Option<Self> {
        match v {
            None => Some(None),
            Some(v) => Self::from_json(&v),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json<J: Json>(v: &J) -> Option<Self> {
        v.items()?.iter().map(T::from_json).collect()
    }
}

impl FromJson for DateProp {
    fn from_json<J: Json>(v: &J) -> Option<Self> {
        crate::domain::contact::parse_date(&v.text()?).map(DateProp)
    }
}

/// Reads a struct serde wrote field by field, every field by its own name.
macro_rules! from_json_fields {
    ($ty:ident { $($f:ident),* $(,)? }) => {
        impl $crate::components::island::FromJson for $ty {
            fn from_json<J: $crate::components::island::Json>(v: &J) -> Option<Self> {
                Some(Self { $($f: $crate::components::island::field(v, stringify!($f))?),* })
            }
        }
    };
}
pub(crate) use from_json_fields;

from_json_fields!(FieldError { field, message });
from_json_fields!(Challenge {
    token,
    bits,
    question
});
from_json_fields!(SchoolOption { id, name, city });

impl FromJson for AppError {
    fn from_json<J: Json>(v: &J) -> Option<Self> {
        let wire = WireError {
            kind: field(v, "kind")?,
            message: field(v, "message")?,
            fields: field::<Option<_>, _>(v, "fields")?.unwrap_or_default(),
            request_id: field(v, "request_id")?,
        };
        AppError::try_from(wire).ok()
    }
}

/// An island's name: the browser export that hydrates it, and its `data-component`.
pub trait Named {
    const NAME: &'static str;
}

/// The state an island starts from, and what it renders from it.
pub trait Island: Named + FromJson + serde::Serialize + Send + 'static {
    fn view(self) -> impl IntoView + 'static;
}

/// Renders an island on the server; in the browser, [`hydrate`] runs the same view.
pub fn island<S: Island>(state: S) -> impl IntoView {
    // Written for the browser by serde, like Leptos's own island props. The browser never renders
    // a page itself, so serde_json stays out of its WASM.
    #[cfg(feature = "ssr")]
    let props = serde_json::to_string(&state).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let props = String::new();
    shell(props, state)
}

/// What `#[island]` wraps an island's view in: its own reactive owner, hydrated.
fn shell<S: Island>(props: String, state: S) -> impl IntoView {
    use leptos::reactive::owner::Owner;
    use leptos::tachys::{html::islands, reactive_graph::OwnedView};
    islands::Island::new(
        S::NAME,
        leptos::reactive::graph::untrack_with_diagnostics(move || {
            Owner::new().with(|| Owner::with_hydration(move || OwnedView::new(state.view())))
        }),
    )
    .with_props(props)
}

/// Hydrates the server's HTML of an island from the state in its `data-props`. An island whose
/// state cannot be read stays server HTML: its form still posts and the server still checks it.
#[cfg(feature = "hydrate")]
pub fn hydrate<S: Island>(el: &web_sys::HtmlElement) {
    use leptos::tachys::view::{Position, RenderHtml as _};
    let state = el
        .get_attribute("data-props")
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .and_then(|v| S::from_json(&v));
    let Some(state) = state else {
        web_sys::console::warn_1(&format!("{}: data-props unreadable", S::NAME).into());
        return;
    };
    let view = shell(String::new(), state);
    std::mem::forget(view.hydrate_from_position::<true>(el, Position::Current));
}

#[cfg(feature = "hydrate")]
impl Json for wasm_bindgen::JsValue {
    fn field(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        let v = js_sys::Reflect::get(self, &key.into()).ok()?;
        (!v.is_null() && !v.is_undefined()).then_some(v)
    }

    fn text(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn items(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(self).then(|| js_sys::Array::from(self).iter().collect())
    }
}

#[cfg(test)]
impl Json for serde_json::Value {
    fn field(&self, key: &str) -> Option<Self> {
        self.get(key).filter(|v| !v.is_null()).cloned()
    }

    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

/// Declares an island: its state struct (written by serde, read by [`FromJson`]) and, in the
/// browser, the export `page.js` calls with the `<leptos-island>` element. Implement [`Island`]
/// for the struct to say what it renders.
///
/// ```ignore
/// island_state! {
///     /// The login form.
///     login_form: LoginForm { redirected: Option<AppError> }
/// }
/// ```
macro_rules! island_state {
    (
        $(#[$meta:meta])*
        $export:ident: $name:ident { $($(#[$fmeta:meta])* $f:ident: $ty:ty),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $name {
            $($(#[$fmeta])* pub $f: $ty),*
        }

        $crate::components::island::from_json_fields!($name { $($f),* });

        impl $crate::components::island::Named for $name {
            const NAME: &'static str = stringify!($export);
        }

        #[cfg(feature = "hydrate")]
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub fn $export(el: web_sys::HtmlElement) {
            $crate::components::island::hydrate::<$name>(&el);
        }
    };
}
pub(crate) use island_state;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// What serde wrote, read back through the browser's path.
    fn round_trip<T: serde::Serialize + FromJson>(v: &T) -> Option<T> {
        let json: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap();
        T::from_json(&json)
    }

    #[test]
    fn every_error_reads_back_as_it_was_written() {
        let errors = [
            AppError::Validation(vec![
                FieldError::new("snils", "Неверная контрольная сумма"),
                FieldError::new("email", "Укажите адрес"),
            ]),
            AppError::Validation(vec![]),
            AppError::BadRequest("Плохо".into()),
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Conflict("Уже есть".into()),
            AppError::Domain("Нельзя".into()),
            AppError::TooManyRequests("Подождите".into()),
            AppError::Network,
            AppError::Internal {
                request_id: "r-1".into(),
            },
        ];
        for e in errors {
            assert_eq!(round_trip(&e), Some(e.clone()), "{e:?}");
            assert_eq!(round_trip(&Some(e.clone())), Some(Some(e)));
        }
    }

    #[test]
    fn challenges_schools_dates_and_ids_read_back() {
        let c = Challenge {
            token: "t.o.k".into(),
            bits: 255,
            question: "Сколько будет 2 + 3?".into(),
        };
        assert_eq!(round_trip(&c), Some(c));
        let schools = vec![SchoolOption {
            id: 9_007_199_254_740_991,
            name: "Школа «№ 1»".into(),
            city: "Пермь".into(),
        }];
        assert_eq!(round_trip(&schools), Some(schools));
        let d = DateProp(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
        assert_eq!(round_trip(&d), Some(d));
        assert_eq!(round_trip(&-42_i64), Some(-42));
    }

    #[test]
    fn anything_else_is_refused_not_guessed() {
        let read = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(i64::from_json(&read("1.5")), None);
        assert_eq!(i64::from_json(&read("1e300")), None);
        assert_eq!(u8::from_json(&read("256")), None);
        assert_eq!(String::from_json(&read("7")), None);
        assert_eq!(DateProp::from_json(&read("\"2026-02-30\"")), None);
        assert_eq!(
            AppError::from_json(&read(r#"{"kind":"other","message":""}"#)),
            None
        );
        assert_eq!(
            Challenge::from_json(&read(r#"{"token":"t","bits":3}"#)),
            None
        );
        // A missing or null optional field is fine; a wrong one is not.
        assert_eq!(
            field::<Option<Challenge>, _>(&read(r#"{"challenge":null}"#), "challenge"),
            Some(None)
        );
        assert_eq!(
            field::<Option<String>, _>(&read("{}"), "request_id"),
            Some(None)
        );
        assert_eq!(
            field::<Option<String>, _>(&read(r#"{"request_id":1}"#), "request_id"),
            None
        );
    }
}
