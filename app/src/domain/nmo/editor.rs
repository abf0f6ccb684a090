//! What a provider types for an element: the final test's questions and a programme's runs as
//! plain text (so the editor works without JavaScript), read back line by line.

use chrono::NaiveDate;

use crate::domain::contact::{format_date, parse_date};

/// A question with its options; `true` marks the right one.
pub type Question = (String, Vec<(String, bool)>);

pub const MAX_QUESTIONS: usize = 50;
pub const MAX_OPTIONS: usize = 8;
pub const MAX_LINE: usize = 500;

/// Reads questions written as
///
/// ```text
/// ? Question
/// + the right option
/// - a wrong option
/// ```
///
/// (blank lines ignored).
///
/// # Errors
/// A Russian sentence naming the line that is wrong.
pub fn parse_questions(text: &str) -> Result<Vec<Question>, String> {
    let mut questions: Vec<Question> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let at = n + 1;
        let (mark, rest) = line.split_at(line.chars().next().map_or(0, char::len_utf8));
        let rest = rest.trim();
        if !matches!(mark, "?" | "+" | "-") {
            return Err(format!(
                "Строка {at}: начните её с «?» (вопрос), «+» (верный ответ) или «-» (неверный)"
            ));
        }
        if rest.is_empty() {
            return Err(format!("Строка {at}: после «{mark}» нужен текст"));
        }
        if rest.chars().count() > MAX_LINE {
            return Err(format!("Строка {at}: не длиннее {MAX_LINE} знаков"));
        }
        if mark == "?" {
            if questions.len() == MAX_QUESTIONS {
                return Err(format!("Не больше {MAX_QUESTIONS} вопросов"));
            }
            questions.push((rest.to_owned(), Vec::new()));
            continue;
        }
        let Some((_, options)) = questions.last_mut() else {
            return Err(format!(
                "Строка {at}: сначала напишите вопрос — строку, начинающуюся с «?»"
            ));
        };
        if options.len() == MAX_OPTIONS {
            return Err(format!(
                "Строка {at}: у вопроса не больше {MAX_OPTIONS} вариантов"
            ));
        }
        options.push((rest.to_owned(), mark == "+"));
    }
    if questions.is_empty() {
        return Err("Добавьте хотя бы один вопрос итогового теста".into());
    }
    for (i, (_, options)) in questions.iter().enumerate() {
        let right = options.iter().filter(|o| o.1).count();
        if options.len() < 2 || right != 1 {
            return Err(format!(
                "Вопрос {}: нужны хотя бы два варианта и ровно один верный («+»)",
                i + 1
            ));
        }
    }
    Ok(questions)
}

/// The questions as [`parse_questions`] reads them.
pub fn questions_text(questions: &[Question]) -> String {
    let mut out = String::new();
    for (q, options) in questions {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("? {q}\n"));
        for (o, right) in options {
            out.push_str(&format!("{} {o}\n", if *right { '+' } else { '-' }));
        }
    }
    out
}

/// Reads one run a line: `12.01.2027 — 25.01.2027` (a hyphen or dash between the dates; ISO
/// dates also do).
///
/// # Errors
/// A Russian sentence naming the line that is wrong.
pub fn parse_runs(text: &str) -> Result<Vec<(NaiveDate, NaiveDate)>, String> {
    let mut runs = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let at = n + 1;
        let wrong = || {
            format!(
                "Строка {at}: напишите даты начала и окончания, например 12.01.2027 — 25.01.2027"
            )
        };
        let dates: Vec<&str> = line
            .split([' ', '—', '–'])
            .filter(|p| !p.is_empty() && *p != "-")
            .collect();
        // ISO dates contain hyphens themselves, so «2027-01-12 - 2027-01-25» splits on spaces;
        // «12.01.2027-25.01.2027» is one word with one hyphen.
        let pair: Vec<&str> = match dates.as_slice() {
            [one] => one.split('-').collect(),
            more => more.to_vec(),
        };
        let [from, to] = pair.as_slice() else {
            return Err(wrong());
        };
        let (Some(from), Some(to)) = (parse_date(from), parse_date(to)) else {
            return Err(wrong());
        };
        if to < from {
            return Err(format!("Строка {at}: окончание раньше начала"));
        }
        if runs.contains(&(from, to)) {
            return Err(format!("Строка {at}: такой цикл уже есть"));
        }
        runs.push((from, to));
    }
    if runs.is_empty() {
        return Err("Добавьте хотя бы один цикл обучения с датами".into());
    }
    runs.sort();
    Ok(runs)
}

/// The runs as [`parse_runs`] reads them.
pub fn runs_text(runs: &[(NaiveDate, NaiveDate)]) -> String {
    runs.iter()
        .map(|(a, b)| format!("{} — {}\n", format_date(*a), format_date(*b)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn questions_read_back_what_they_write() {
        let text = "? Целевое давление?\n+ Ниже 130/80\n- Ниже 160/100\n\n?Сколько минут отдыха?\n-1\n+ 5\n";
        let qs = parse_questions(text).unwrap();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].0, "Целевое давление?");
        assert_eq!(qs[1].1, vec![("1".into(), false), ("5".into(), true)]);
        assert_eq!(parse_questions(&questions_text(&qs)).unwrap(), qs);
    }

    #[test]
    fn each_mistake_in_questions_is_named_with_its_line() {
        assert_eq!(
            parse_questions("+ ответ").unwrap_err(),
            "Строка 1: сначала напишите вопрос — строку, начинающуюся с «?»"
        );
        assert_eq!(
            parse_questions("? В\n* ответ").unwrap_err(),
            "Строка 2: начните её с «?» (вопрос), «+» (верный ответ) или «-» (неверный)"
        );
        assert_eq!(
            parse_questions("? В\n+ ").unwrap_err(),
            "Строка 2: после «+» нужен текст"
        );
        assert_eq!(
            parse_questions("? В\n+ а\n+ б").unwrap_err(),
            "Вопрос 1: нужны хотя бы два варианта и ровно один верный («+»)"
        );
        assert_eq!(
            parse_questions("? В\n+ а").unwrap_err(),
            "Вопрос 1: нужны хотя бы два варианта и ровно один верный («+»)"
        );
        assert_eq!(
            parse_questions(" \n").unwrap_err(),
            "Добавьте хотя бы один вопрос итогового теста"
        );
        let many = "? q\n+ a\n- b\n".repeat(MAX_QUESTIONS + 1);
        assert_eq!(parse_questions(&many).unwrap_err(), "Не больше 50 вопросов");
    }

    #[test]
    fn runs_take_dashes_hyphens_and_iso_dates() {
        let runs =
            parse_runs("02.03.2027 — 15.03.2027\n12.01.2027 - 25.01.2027\n2027-05-01 – 2027-05-14")
                .unwrap();
        assert_eq!(
            runs,
            [
                (d(2027, 1, 12), d(2027, 1, 25)),
                (d(2027, 3, 2), d(2027, 3, 15)),
                (d(2027, 5, 1), d(2027, 5, 14))
            ]
        );
        assert_eq!(parse_runs(&runs_text(&runs)).unwrap(), runs);
        assert_eq!(
            parse_runs("15.03.2027 — 02.03.2027").unwrap_err(),
            "Строка 1: окончание раньше начала"
        );
        assert!(
            parse_runs("завтра")
                .unwrap_err()
                .starts_with("Строка 1: напишите даты")
        );
        assert_eq!(
            parse_runs("").unwrap_err(),
            "Добавьте хотя бы один цикл обучения с датами"
        );
        assert_eq!(
            parse_runs("01.02.2027 — 02.02.2027\n01.02.2027-02.02.2027").unwrap_err(),
            "Строка 2: такой цикл уже есть"
        );
    }
}
