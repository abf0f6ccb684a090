//! Elements of education and the states of a plan item, with their Russian names.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::contact::format_date;

/// What a provider publishes and a specialist plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// ИОМ: an interactive module with a final test.
    Module,
    /// Образовательное мероприятие: confirmed by an ИКП.
    Event,
    /// ДПП ПК: an application for a dated run, completed by the provider.
    Programme,
}

impl ElementKind {
    pub const ALL: [Self; 3] = [Self::Module, Self::Event, Self::Programme];

    pub fn code(self) -> &'static str {
        match self {
            Self::Module => "module",
            Self::Event => "event",
            Self::Programme => "programme",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The tab of «Добавить элементы».
    pub fn tab(self) -> &'static str {
        match self {
            Self::Module => "ИОМ",
            Self::Event => "Образовательные мероприятия",
            Self::Programme => "ДПП ПК",
        }
    }

    /// One element of the kind, as a label.
    pub fn one(self) -> &'static str {
        match self {
            Self::Module => "Интерактивный образовательный модуль",
            Self::Event => "Образовательное мероприятие",
            Self::Programme => "ДПП ПК",
        }
    }
}

/// Where a plan item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Planned,
    /// A module's final test is passed.
    Passed,
    /// An event's ИКП is activated and waits for the provider (or the automatic check).
    CodeEntered,
    Confirmed,
    Rejected,
    /// A ДПП ПК application is formed.
    Applied,
    Enrolled,
    Completed,
}

impl ItemStatus {
    pub const ALL: [Self; 8] = [
        Self::Planned,
        Self::Passed,
        Self::CodeEntered,
        Self::Confirmed,
        Self::Rejected,
        Self::Applied,
        Self::Enrolled,
        Self::Completed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Passed => "passed",
            Self::CodeEntered => "code_entered",
            Self::Confirmed => "confirmed",
            Self::Rejected => "rejected",
            Self::Applied => "applied",
            Self::Enrolled => "enrolled",
            Self::Completed => "completed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status as the plan shows it, which depends on the kind of element.
    pub fn label(self, kind: ElementKind) -> &'static str {
        match (self, kind) {
            (Self::Planned, ElementKind::Module) => "Не пройден",
            (Self::Planned, ElementKind::Event) => "Ожидает кода подтверждения",
            (Self::Planned, ElementKind::Programme) => "Заявка не сформирована",
            (Self::Passed, _) => "Пройден",
            (Self::CodeEntered, _) => "Код активирован, на проверке",
            (Self::Confirmed, _) => "Подтверждено",
            (Self::Rejected, _) => "Код отклонён",
            (Self::Applied, _) => "Заявка сформирована",
            (Self::Enrolled, _) => "Зачислен на обучение",
            (Self::Completed, _) => "Обучение завершено",
        }
    }

    /// Credits count from these states on.
    pub fn counts(self) -> bool {
        matches!(self, Self::Passed | Self::Confirmed | Self::Completed)
    }
}

/// Очно or дистанционно.
pub fn format_label(format: &str) -> &'static str {
    if format == "online" {
        "Дистанционно"
    } else {
        "Очно"
    }
}

/// «12.03.2027», «12.03.2027 — 14.03.2027», «с 12.03.2027», or nothing without dates.
pub fn date_range(starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) -> Option<String> {
    match (starts_on, ends_on) {
        (Some(a), Some(b)) if a == b => Some(format_date(a)),
        (Some(a), Some(b)) => Some(format!("{} — {}", format_date(a), format_date(b))),
        (Some(a), None) => Some(format!("с {}", format_date(a))),
        (None, Some(b)) => Some(format!("до {}", format_date(b))),
        (None, None) => None,
    }
}

/// The share of right answers, whole percent rounded down.
pub fn score_percent(correct: i32, total: i32) -> i32 {
    if total <= 0 { 0 } else { correct * 100 / total }
}

/// A final test passes at `pass_percent` of right answers or more (exactly, without rounding).
pub fn passes(correct: i32, total: i32, pass_percent: i32) -> bool {
    total > 0 && i64::from(correct) * 100 >= i64::from(pass_percent) * i64::from(total)
}

/// An ИКП's state as the provider's list shows it.
pub fn code_status_label(status: &str) -> &'static str {
    match status {
        "activated" => "Ждёт проверки",
        "confirmed" => "Подтверждён",
        "rejected" => "Отклонён",
        _ => "Не использован",
    }
}

/// The page size of «Добавить элементы».
pub const PAGE_SIZE: u64 = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in ElementKind::ALL {
            assert_eq!(ElementKind::from_code(k.code()), Some(k));
        }
        for s in ItemStatus::ALL {
            assert_eq!(ItemStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(ElementKind::from_code("course"), None);
    }

    #[test]
    fn seventy_percent_passes_exactly() {
        assert!(passes(7, 10, 70));
        assert!(!passes(2, 3, 70));
        assert!(passes(3, 4, 70));
        assert!(!passes(0, 0, 70));
        assert_eq!(score_percent(2, 3), 66);
        assert_eq!(score_percent(1, 0), 0);
    }

    #[test]
    fn date_ranges_read_naturally() {
        let d = |day| NaiveDate::from_ymd_opt(2027, 3, day);
        assert_eq!(date_range(d(12), d(12)).as_deref(), Some("12.03.2027"));
        assert_eq!(
            date_range(d(12), d(14)).as_deref(),
            Some("12.03.2027 — 14.03.2027")
        );
        assert_eq!(date_range(None, None), None);
    }

    #[test]
    fn only_finished_items_count() {
        let counting: Vec<_> = ItemStatus::ALL.into_iter().filter(|s| s.counts()).collect();
        assert_eq!(
            counting,
            [
                ItemStatus::Passed,
                ItemStatus::Confirmed,
                ItemStatus::Completed
            ]
        );
    }
}
