//! The version for the visually impaired (ГОСТ Р 52872): font size, colours, serif or sans,
//! images on or off. The choice lives in the `a11y` cookie, so the server renders the page
//! in it (no flash, works without JavaScript); `page.js` applies a change at once.

use leptos::prelude::*;

/// The colour schemes: (value, title).
pub const SCHEMES: [(&str, &str); 3] = [
    ("bw", "Чёрным по белому"),
    ("wb", "Белым по чёрному"),
    ("blue", "Тёмно-синим по голубому"),
];
/// The font sizes: (value, what a screen reader says).
pub const SIZES: [(u8, &str); 3] = [
    (1, "Крупный шрифт"),
    (2, "Очень крупный шрифт"),
    (3, "Самый крупный шрифт"),
];

/// The settings of the version for the visually impaired; none means the usual version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct A11y {
    pub size: u8,
    pub scheme: &'static str,
    pub serif: bool,
    pub images: bool,
}

impl Default for A11y {
    fn default() -> Self {
        Self {
            size: 1,
            scheme: "bw",
            serif: false,
            images: true,
        }
    }
}

impl A11y {
    /// Reads `size.scheme.font.images`, e.g. `2.wb.serif.off`; anything else is `None`.
    pub fn parse(value: &str) -> Option<Self> {
        let mut parts = value.split('.');
        let size = parts
            .next()?
            .parse::<u8>()
            .ok()
            .filter(|s| (1..=3).contains(s))?;
        let scheme = parts.next()?;
        let scheme = SCHEMES.iter().map(|(s, _)| *s).find(|s| *s == scheme)?;
        let serif = match parts.next()? {
            "serif" => true,
            "sans" => false,
            _ => return None,
        };
        let images = match parts.next()? {
            "on" => true,
            "off" => false,
            _ => return None,
        };
        parts.next().is_none().then_some(Self {
            size,
            scheme,
            serif,
            images,
        })
    }

    /// The cookie's value, as `parse` reads it.
    pub fn value(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.size,
            self.scheme,
            if self.serif { "serif" } else { "sans" },
            if self.images { "on" } else { "off" }
        )
    }
}

/// The settings in the `a11y` cookie of a `Cookie` header.
pub fn a11y_in_cookies(cookies: &str) -> Option<A11y> {
    cookies
        .split(';')
        .filter_map(|c| c.trim().strip_prefix("a11y="))
        .find_map(A11y::parse)
}

/// The settings this page renders with (see `layout::rendered_cookies`).
pub fn current() -> Option<A11y> {
    super::layout::rendered_cookies("a11y", "data-a11y")
        .as_deref()
        .and_then(a11y_in_cookies)
}

/// «Версия для слабовидящих»: a disclosure with the settings, open while the version is on.
#[component]
pub fn A11yPanel() -> impl IntoView {
    let on = current();
    let s = on.unwrap_or_default();
    view! {
        <details class="a11y" open=on.is_some()>
            <summary class="a11y__toggle">
                <span class="a11y__eye" aria-hidden="true">"👁"</span>
                " Версия для слабовидящих"
            </summary>
            <form class="a11y-form" method="post" action="/a11y" data-local="1">
                <super::layout::BackField />
                <fieldset class="a11y-form__group">
                    <legend>"Размер шрифта"</legend>
                    {SIZES.iter().map(|(v, title)| view! {
                        <label class=format!("a11y-choice a11y-size a11y-size--{v}")>
                            <input type="radio" name="size" value=v.to_string() checked=s.size == *v />
                            <span aria-hidden="true">"А"</span>
                            <span class="visually-hidden">{*title}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="a11y-form__group">
                    <legend>"Цвета"</legend>
                    {SCHEMES.iter().map(|(v, title)| view! {
                        <label class=format!("a11y-choice a11y-scheme a11y-scheme--{v}")>
                            <input type="radio" name="scheme" value=*v checked=s.scheme == *v />
                            <span>{*title}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="a11y-form__group">
                    <legend>"Шрифт"</legend>
                    <label class="a11y-choice"><input type="radio" name="font" value="sans" checked=!s.serif />" Без засечек"</label>
                    <label class="a11y-choice a11y-font-serif"><input type="radio" name="font" value="serif" checked=s.serif />" С засечками"</label>
                </fieldset>
                <fieldset class="a11y-form__group">
                    <legend>"Изображения"</legend>
                    <label class="a11y-choice"><input type="radio" name="images" value="on" checked=s.images />" Показывать"</label>
                    <label class="a11y-choice"><input type="radio" name="images" value="off" checked=!s.images />" Скрыть"</label>
                </fieldset>
                <div class="a11y-form__actions">
                    <button type="submit" class="button button--primary">"Применить настройки"</button>
                    <button type="submit" class="button button--ghost" name="off" value="1">"Обычная версия"</button>
                </div>
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_cookie() {
        let s = A11y {
            size: 3,
            scheme: "blue",
            serif: true,
            images: false,
        };
        assert_eq!(s.value(), "3.blue.serif.off");
        assert_eq!(A11y::parse(&s.value()), Some(s));
        assert_eq!(
            a11y_in_cookies("theme=dark; a11y=2.wb.sans.on"),
            Some(A11y {
                size: 2,
                scheme: "wb",
                serif: false,
                images: true
            })
        );
    }

    #[test]
    fn anything_unknown_is_the_usual_version() {
        for bad in [
            "",
            "4.bw.sans.on",
            "0.bw.sans.on",
            "1.red.sans.on",
            "1.bw.mono.on",
            "1.bw.sans.maybe",
            "1.bw.sans.on.x",
            "1.bw.sans",
            "<b>",
        ] {
            assert_eq!(A11y::parse(bad), None, "{bad}");
        }
        assert_eq!(a11y_in_cookies("xa11y=1.bw.sans.on"), None);
    }
}
