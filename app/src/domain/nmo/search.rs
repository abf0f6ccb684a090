//! «Добавить элементы»: the filters as the page's address carries them, checked into values.
//! Anything unreadable is named in Russian (the server answers it with 400).

use chrono::NaiveDate;

use super::catalogue::{MAX_QUERY_LEN, search_fold};
use super::plan::ElementKind;
use crate::domain::contact::parse_date;
use crate::model::plan::ElementQuery;

/// The checked filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementFilters {
    pub kind: ElementKind,
    /// Folded words, every one of which must occur.
    pub words: Vec<String>,
    pub specialty: Option<i64>,
    pub provider: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub credits_min: Option<i32>,
    pub credits_max: Option<i32>,
    pub format: Option<&'static str>,
    /// From 1.
    pub page: u64,
}

fn parse_id(text: &str, what: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .map(Some)
        .map_err(|_| format!("{what}: ожидается номер из списка"))
}

fn parse_credits(text: &str, what: &str) -> Result<Option<i32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i32>()
        .ok()
        .filter(|n| (0..=10_000).contains(n))
        .map(Some)
        .ok_or_else(|| format!("{what}: введите число ЗЕТ от 0 до 10000"))
}

fn parse_filter_date(text: &str, what: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_date(t)
        .map(Some)
        .ok_or_else(|| format!("{what}: введите дату как ДД.ММ.ГГГГ"))
}

impl ElementFilters {
    /// Reads `q`; an empty specialty means the current cycle's, `all` means any.
    ///
    /// # Errors
    /// Which filter cannot be read, in Russian.
    pub fn check(q: &ElementQuery, cycle_specialty: Option<i64>) -> Result<Self, String> {
        let kind = if q.kind.is_empty() {
            ElementKind::Module
        } else {
            ElementKind::from_code(&q.kind)
                .ok_or_else(|| "Раздел: ИОМ, мероприятия или ДПП ПК".to_owned())?
        };
        if q.q.chars().count() > MAX_QUERY_LEN {
            return Err("Слишком длинный запрос".into());
        }
        if !crate::domain::contact::control_free(&q.q, false) {
            return Err("Запрос содержит служебные символы".into());
        }
        let specialty = match q.specialty.trim() {
            "" => cycle_specialty,
            "all" => None,
            s => parse_id(s, "Специальность")?,
        };
        let format = match q.format.trim() {
            "" => None,
            "online" => Some("online"),
            "offline" => Some("offline"),
            _ => return Err("Формат: очно или дистанционно".into()),
        };
        let page = match q.page.trim() {
            "" => 1,
            p => p
                .parse::<u64>()
                .ok()
                .filter(|p| (1..=100_000).contains(p))
                .ok_or_else(|| "Страница: ожидается число".to_owned())?,
        };
        let from = parse_filter_date(&q.from, "Дата «с»")?;
        let to = parse_filter_date(&q.to, "Дата «по»")?;
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err("Дата «с» позже даты «по»".into());
        }
        Ok(Self {
            kind,
            words: search_fold(&q.q)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
            specialty,
            provider: parse_id(&q.provider, "Организация")?,
            from,
            to,
            credits_min: parse_credits(&q.credits_min, "ЗЕТ от")?,
            credits_max: parse_credits(&q.credits_max, "ЗЕТ до")?,
            format,
            page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_mean_modules_of_the_cycle_specialty_page_one() {
        let f = ElementFilters::check(&ElementQuery::default(), Some(7)).unwrap();
        assert_eq!(
            (f.kind, f.specialty, f.page),
            (ElementKind::Module, Some(7), 1)
        );
        let all = ElementQuery {
            specialty: "all".into(),
            q: " Ёжик  в  ТУМАНЕ ".into(),
            ..ElementQuery::default()
        };
        let f = ElementFilters::check(&all, Some(7)).unwrap();
        assert_eq!(f.specialty, None);
        assert_eq!(f.words, ["ежик", "в", "тумане"]);
    }

    #[test]
    fn unreadable_filters_are_named() {
        let bad = |q: ElementQuery| ElementFilters::check(&q, None).unwrap_err();
        assert!(
            bad(ElementQuery {
                page: "0".into(),
                ..Default::default()
            })
            .starts_with("Страница")
        );
        assert!(
            bad(ElementQuery {
                credits_max: "-3".into(),
                ..Default::default()
            })
            .starts_with("ЗЕТ до")
        );
        assert!(
            bad(ElementQuery {
                from: "2026-02-30".into(),
                ..Default::default()
            })
            .starts_with("Дата «с»")
        );
        assert_eq!(
            bad(ElementQuery {
                from: "02.02.2026".into(),
                to: "01.02.2026".into(),
                ..Default::default()
            }),
            "Дата «с» позже даты «по»"
        );
    }
}
