//! Admission documents — сертификат специалиста, свидетельство об аккредитации, выписка о
//! (периодической) аккредитации — and the five-year cycle each one opens (DOMAIN.md).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::contact::{format_date, parse_date};
use crate::domain::words::{DIGITS, count};
use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Certificate,
    Accreditation,
    Extract,
}

impl DocumentKind {
    pub const ALL: [Self; 3] = [Self::Certificate, Self::Accreditation, Self::Extract];

    pub fn code(self) -> &'static str {
        match self {
            Self::Certificate => "certificate",
            Self::Accreditation => "accreditation",
            Self::Extract => "extract",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Certificate => "Сертификат специалиста",
            Self::Accreditation => "Свидетельство об аккредитации специалиста",
            Self::Extract => "Выписка о (периодической) аккредитации",
        }
    }

    /// Digits in the series and in the number; `None` for the free-text number of an extract.
    pub fn digits(self) -> Option<(usize, usize)> {
        match self {
            Self::Certificate => Some((6, 7)),
            Self::Accreditation => Some((4, 8)),
            Self::Extract => None,
        }
    }
}

/// The form as typed. Catalogue fields carry the chosen name; the server finds its id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentForm {
    pub kind: String,
    pub specialty: String,
    pub organisation: String,
    pub series: String,
    pub number: String,
    pub protocol_date: String,
    pub exam_date: String,
    pub issue_date: String,
    /// Checkboxes: present when ticked.
    pub confirm_data: Option<String>,
    pub confirm_own: Option<String>,
}

/// A document that passed every check, before the catalogue names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDocument {
    pub kind: DocumentKind,
    pub specialty: String,
    pub organisation: String,
    pub series: Option<String>,
    pub number: String,
    pub protocol_date: Option<NaiveDate>,
    pub exam_date: NaiveDate,
    pub issue_date: Option<NaiveDate>,
}

impl CheckedDocument {
    /// The day the five-year cycle starts: the issue date, or the protocol date for an
    /// accreditation entered before its paper arrived.
    pub fn cycle_start(&self) -> NaiveDate {
        self.issue_date
            .or(self.protocol_date)
            .unwrap_or(self.exam_date)
    }
}

/// Keeps the digits of a series or number as typed with spaces or hyphens.
fn digits_only(input: &str) -> Option<String> {
    let kept: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    kept.chars().all(|c| c.is_ascii_digit()).then_some(kept)
}

fn date_field(
    input: &str,
    empty: &'static str,
    today: NaiveDate,
) -> Result<NaiveDate, &'static str> {
    if input.trim().is_empty() {
        return Err(empty);
    }
    let date = parse_date(input).ok_or("Дата в формате ДД.ММ.ГГГГ")?;
    if date > today {
        return Err("Дата не может быть в будущем");
    }
    if date < NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(date) {
        return Err("Проверьте год: документ не может быть выдан раньше 1970 года");
    }
    Ok(date)
}

pub const MAX_NAME_LEN: usize = 300;
pub const MAX_EXTRACT_NUMBER_LEN: usize = 40;

impl DocumentForm {
    /// Checks one field; used live in the browser as the person types.
    pub fn check_field(&self, field: &str, today: NaiveDate) -> Option<String> {
        self.validate(today).err().and_then(|errs| {
            errs.into_iter()
                .find(|e| e.field == field)
                .map(|e| e.message)
        })
    }

    /// # Errors
    /// Every wrong field with its message, in form order.
    pub fn validate(&self, today: NaiveDate) -> Result<CheckedDocument, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: &str| errors.push(FieldError::new(field, message));

        let kind = DocumentKind::from_code(self.kind.trim());
        if kind.is_none() {
            err("kind", "Выберите вид документа");
        }
        let specialty = self.specialty.trim().to_owned();
        if specialty.is_empty() {
            err("specialty", "Выберите специальность из справочника");
        } else if specialty.chars().count() > MAX_NAME_LEN {
            err("specialty", "Такой специальности нет в справочнике");
        }
        let organisation = self.organisation.trim().to_owned();
        if organisation.is_empty() {
            err(
                "organisation",
                "Выберите организацию, проводившую экзамен, или добавьте её",
            );
        } else if organisation.chars().count() > MAX_NAME_LEN {
            err(
                "organisation",
                "Название организации — не длиннее 300 знаков",
            );
        }

        let mut series = None;
        let mut number = String::new();
        let mut zeros = false;
        match kind.and_then(DocumentKind::digits) {
            Some((series_len, number_len)) => {
                let (mut s, mut n) = (
                    digits_only(&self.series),
                    digits_only(&self.number).unwrap_or_default(),
                );
                // The whole number pasted into «Серия»: split it.
                if let Some(all) = &s
                    && all.len() == series_len + number_len
                    && n.is_empty()
                {
                    n = all[series_len..].to_owned();
                    s = Some(all[..series_len].to_owned());
                }
                let kind_word = if series_len == 6 {
                    "сертификата"
                } else {
                    "свидетельства"
                };
                match s {
                    Some(s) if s.len() == series_len => series = Some(s),
                    Some(s) if s.is_empty() => err("series", &format!("Введите серию {kind_word}")),
                    Some(_) => err(
                        "series",
                        &format!("Серия {kind_word} — {}", count(series_len as u64, DIGITS)),
                    ),
                    None => err("series", "Серия состоит только из цифр"),
                }
                match digits_only(&self.number).map(|_| n) {
                    Some(n) if n.len() == number_len => number = n,
                    Some(n) if n.is_empty() => err("number", &format!("Введите номер {kind_word}")),
                    Some(_) => err(
                        "number",
                        &format!("Номер {kind_word} — {}", count(number_len as u64, DIGITS)),
                    ),
                    None => err("number", "Номер состоит только из цифр"),
                }
                zeros = kind == Some(DocumentKind::Accreditation)
                    && series
                        .as_deref()
                        .is_some_and(|s| s.bytes().all(|b| b == b'0'))
                    && number.bytes().all(|b| b == b'0')
                    && !number.is_empty();
                if kind == Some(DocumentKind::Certificate)
                    && series
                        .as_deref()
                        .is_some_and(|s| s.bytes().all(|b| b == b'0'))
                    && !number.is_empty()
                    && number.bytes().all(|b| b == b'0')
                {
                    err(
                        "number",
                        "Нулевые серия и номер допустимы только для свидетельства об аккредитации",
                    );
                }
            }
            None if kind == Some(DocumentKind::Extract) => {
                number = self.number.trim().to_owned();
                if number.is_empty() {
                    err("number", "Введите номер выписки");
                } else if number.chars().count() > MAX_EXTRACT_NUMBER_LEN {
                    err("number", "Номер выписки — не длиннее 40 знаков");
                }
            }
            None => {}
        }

        let protocol_date = if zeros {
            date_field(
                &self.protocol_date,
                "Для свидетельства с нулевыми серией и номером укажите дату протокола",
                today,
            )
            .map_err(|m| err("protocol_date", m))
            .ok()
        } else {
            None
        };
        let exam_date = date_field(&self.exam_date, "Укажите дату экзамена", today)
            .map_err(|m| err("exam_date", m))
            .ok();
        // Before the paper arrives there is no issue date yet.
        let issue_date = if zeros && self.issue_date.trim().is_empty() {
            None
        } else {
            date_field(&self.issue_date, "Укажите дату выдачи", today)
                .map_err(|m| err("issue_date", m))
                .ok()
        };
        if let (Some(exam), Some(issue)) = (exam_date, issue_date)
            && issue < exam
        {
            err(
                "issue_date",
                "Дата выдачи не может быть раньше даты экзамена",
            );
        }
        if let (Some(exam), Some(protocol)) = (exam_date, protocol_date)
            && protocol < exam
        {
            err(
                "protocol_date",
                "Дата протокола не может быть раньше даты экзамена",
            );
        }
        if self.confirm_data.is_none() {
            err(
                "confirm_data",
                "Подтвердите, что данные документа введены верно",
            );
        }
        if self.confirm_own.is_none() {
            err(
                "confirm_own",
                "Подтвердите, что документ выдан вам и вы согласны с его проверкой в ФРМР",
            );
        }

        match (kind, exam_date) {
            (Some(kind), Some(exam_date)) if errors.is_empty() => Ok(CheckedDocument {
                kind,
                specialty,
                organisation,
                series,
                number,
                protocol_date,
                exam_date,
                issue_date,
            }),
            _ => Err(errors),
        }
    }
}

/// «123456 1234567» for a certificate, «1234 12345678» for an accreditation, the number as
/// typed for an extract.
pub fn display_number(series: Option<&str>, number: &str) -> String {
    match series {
        Some(s) => format!("{s} {number}"),
        None => number.to_owned(),
    }
}

/// The last day of a five-year cycle that starts on `start`.
pub fn cycle_end(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(60))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start)
}

/// «01.02.2024 — 31.01.2029».
pub fn cycle_period(start: NaiveDate, end: NaiveDate) -> String {
    format!("{} — {}", format_date(start), format_date(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn form(kind: &str, series: &str, number: &str) -> DocumentForm {
        DocumentForm {
            kind: kind.into(),
            specialty: "Терапия".into(),
            organisation: "ФГАОУ ВО Первый МГМУ им. И. М. Сеченова".into(),
            series: series.into(),
            number: number.into(),
            protocol_date: String::new(),
            exam_date: "2024-06-10".into(),
            issue_date: "2024-06-20".into(),
            confirm_data: Some("on".into()),
            confirm_own: Some("on".into()),
        }
    }

    fn fields(f: &DocumentForm) -> Vec<(String, String)> {
        f.validate(today())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn certificate_is_six_and_seven_digits() {
        let ok = form("certificate", "017718", "0123456")
            .validate(today())
            .unwrap();
        assert_eq!(ok.series.as_deref(), Some("017718"));
        assert_eq!(ok.number, "0123456");
        assert_eq!(
            display_number(ok.series.as_deref(), &ok.number),
            "017718 0123456"
        );
        // Spaces and hyphens as printed are fine; the whole number pasted into «Серия» is split.
        let pasted = form("certificate", "0177-18 0123456", "")
            .validate(today())
            .unwrap();
        assert_eq!(
            (pasted.series.unwrap(), pasted.number),
            ("017718".into(), "0123456".into())
        );
        assert_eq!(
            fields(&form("certificate", "01771", "0123456")),
            [("series".into(), "Серия сертификата — 6 цифр".into())]
        );
        assert_eq!(
            fields(&form("certificate", "017718", "01234567")),
            [("number".into(), "Номер сертификата — 7 цифр".into())]
        );
        assert_eq!(
            fields(&form("certificate", "01771A", "0123456")),
            [("series".into(), "Серия состоит только из цифр".into())]
        );
        assert_eq!(
            fields(&form("certificate", "000000", "0000000"))[0].0,
            "number"
        );
    }

    #[test]
    fn accreditation_is_four_and_eight_digits_or_zeros_with_a_protocol_date() {
        let ok = form("accreditation", "7724", "31234567")
            .validate(today())
            .unwrap();
        assert_eq!(
            ok.cycle_start(),
            NaiveDate::from_ymd_opt(2024, 6, 20).unwrap()
        );
        assert_eq!(
            fields(&form("accreditation", "772", "31234567")),
            [("series".into(), "Серия свидетельства — 4 цифры".into())]
        );
        let mut zeros = form("accreditation", "0000", "00000000");
        zeros.issue_date = String::new();
        assert_eq!(
            fields(&zeros),
            [(
                "protocol_date".into(),
                "Для свидетельства с нулевыми серией и номером укажите дату протокола".into()
            )]
        );
        zeros.protocol_date = "01.07.2024".into();
        let ok = zeros.validate(today()).unwrap();
        assert_eq!(ok.issue_date, None);
        assert_eq!(
            ok.cycle_start(),
            NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()
        );
    }

    #[test]
    fn extract_has_a_free_number_and_dates_are_checked() {
        let ok = form("extract", "", " 2024-0012345 ")
            .validate(today())
            .unwrap();
        assert_eq!((ok.series, ok.number.as_str()), (None, "2024-0012345"));
        assert_eq!(fields(&form("extract", "", ""))[0].0, "number");
        let mut f = form("extract", "", "№ 15");
        f.issue_date = "2024-06-01".into();
        assert_eq!(
            fields(&f),
            [(
                "issue_date".into(),
                "Дата выдачи не может быть раньше даты экзамена".into()
            )]
        );
        f.issue_date = "2030-01-01".into();
        assert_eq!(fields(&f)[0].1, "Дата не может быть в будущем");
    }

    #[test]
    fn everything_missing_is_named_field_by_field() {
        let names: Vec<String> = fields(&DocumentForm::default())
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(
            names,
            [
                "kind",
                "specialty",
                "organisation",
                "exam_date",
                "issue_date",
                "confirm_data",
                "confirm_own"
            ]
        );
    }

    #[test]
    fn a_cycle_lasts_five_years_to_the_day_before() {
        let start = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(
            cycle_end(start),
            NaiveDate::from_ymd_opt(2029, 2, 27).unwrap()
        );
        let start = NaiveDate::from_ymd_opt(2024, 6, 20).unwrap();
        assert_eq!(
            cycle_end(start),
            NaiveDate::from_ymd_opt(2029, 6, 19).unwrap()
        );
        assert_eq!(
            cycle_period(start, cycle_end(start)),
            "20.06.2024 — 19.06.2029"
        );
    }
}
