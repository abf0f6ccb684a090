//! ДПО: a teacher's application to a course and who may move it where.
//!
//! Подана → (budget course only: Согласована by the school head or school admin, or Отклонена
//! with a reason) → Зачислен(а) в группу (by the provider) → Закончил(а). The teacher may
//! withdraw until enrolled. A paid course needs no approval.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contact::{control_free, parse_date};

/// Who pays for a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Funding {
    /// Paid by the region: the school head approves.
    Budget,
    /// Paid by the teacher or the school: no approval.
    Paid,
}

impl Funding {
    pub const ALL: [Self; 2] = [Self::Budget, Self::Paid];

    pub fn code(self) -> &'static str {
        match self {
            Self::Budget => "budget",
            Self::Paid => "paid",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Budget => "Бюджетный",
            Self::Paid => "Платный",
        }
    }
}

/// How a course is taught: (code, title).
pub const FORMATS: [(&str, &str); 3] = [
    ("full_time", "Очная"),
    ("blended", "Очно-заочная"),
    ("distance", "Дистанционная"),
];

pub fn format_title(code: &str) -> &'static str {
    FORMATS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("—", |(_, t)| *t)
}

/// An application's statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Submitted,
    Approved,
    Rejected,
    Withdrawn,
    Enrolled,
    Completed,
}

impl Status {
    pub const ALL: [Self; 6] = [
        Self::Submitted,
        Self::Approved,
        Self::Rejected,
        Self::Withdrawn,
        Self::Enrolled,
        Self::Completed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Enrolled => "enrolled",
            Self::Completed => "completed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Submitted => "Подана",
            Self::Approved => "Согласована",
            Self::Rejected => "Отклонена",
            Self::Withdrawn => "Отозвана",
            Self::Enrolled => "Зачислен(а) в группу",
            Self::Completed => "Закончил(а)",
        }
    }

    /// Holds a place on the course; at most one live application per teacher and course.
    pub fn is_live(self) -> bool {
        !matches!(self, Self::Rejected | Self::Withdrawn)
    }
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Teacher,
    /// The school head or a school admin of the teacher's school.
    School,
    Provider,
}

/// What can happen to an application after it is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// School: a budget application, Подана → Согласована.
    Approve,
    /// School: a budget application not yet in a group → Отклонена, with a reason.
    Reject,
    /// Teacher: «Отозвать заявку» until enrolled.
    Withdraw,
    /// Provider: into a group; a budget application once approved, a paid one at once.
    Enrol,
    /// Provider: «Закончил(а)» with the document's number.
    Complete,
}

pub const NOT_NOW: &str = "Это действие с заявкой в её нынешнем статусе невозможно: обновите \
     страницу, чтобы увидеть, что с ней произошло.";

/// Why «Отозвать заявку» is gone once the teacher is in a group.
pub const WITHDRAW_VIA_SUPPORT: &str = "Вы зачислены в группу, поэтому отозвать заявку здесь \
     уже нельзя. Если вы не сможете учиться, напишите в техподдержку.";

impl Action {
    pub const ALL: [Self; 5] = [
        Self::Approve,
        Self::Reject,
        Self::Withdraw,
        Self::Enrol,
        Self::Complete,
    ];

    pub fn allowed(self, actor: Actor) -> bool {
        match self {
            Self::Approve | Self::Reject => actor == Actor::School,
            Self::Withdraw => actor == Actor::Teacher,
            Self::Enrol | Self::Complete => actor == Actor::Provider,
        }
    }

    /// The statuses this step may start from on a course with `funding`: the services'
    /// conditional updates use them, so a racing second click changes nothing.
    pub fn from_statuses(self, funding: Funding) -> &'static [Status] {
        use Status::{Approved, Enrolled, Submitted};
        match (self, funding) {
            (Self::Approve, Funding::Budget) => &[Submitted],
            (Self::Reject, Funding::Budget) => &[Submitted, Approved],
            (Self::Approve | Self::Reject, Funding::Paid) => &[],
            (Self::Withdraw, _) => &[Submitted, Approved],
            (Self::Enrol, Funding::Budget) => &[Approved],
            (Self::Enrol, Funding::Paid) => &[Submitted],
            (Self::Complete, _) => &[Enrolled],
        }
    }

    /// The status after this step.
    ///
    /// # Errors
    /// [`NOT_NOW`] when the step does not apply.
    pub fn next(self, from: Status, funding: Funding) -> Result<Status, &'static str> {
        if !self.from_statuses(funding).contains(&from) {
            return Err(NOT_NOW);
        }
        Ok(self.target())
    }

    /// The status the step leads to.
    pub fn target(self) -> Status {
        match self {
            Self::Approve => Status::Approved,
            Self::Reject => Status::Rejected,
            Self::Withdraw => Status::Withdrawn,
            Self::Enrol => Status::Enrolled,
            Self::Complete => Status::Completed,
        }
    }
}

/// «Отозвать заявку» is offered while this holds.
pub fn can_withdraw(status: Status) -> bool {
    Action::Withdraw
        .from_statuses(Funding::Budget)
        .contains(&status)
}

/// A group as the provider typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    pub number: String,
    pub capacity: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A group that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub number: String,
    pub capacity: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub const MAX_GROUP_CAPACITY: i32 = 500;

impl GroupForm {
    /// Checks the group against its course's dates.
    ///
    /// # Errors
    /// Each wrong field with its message.
    pub fn validate(
        &self,
        course_starts: NaiveDate,
        course_ends: NaiveDate,
    ) -> Result<Group, Vec<crate::error::FieldError>> {
        use crate::error::FieldError;
        let mut errors = Vec::new();
        let number = self.number.split_whitespace().collect::<Vec<_>>().join(" ");
        if number.is_empty() {
            errors.push(FieldError::new("number", "Укажите номер группы"));
        } else if number.chars().count() > 20
            || !control_free(&number, false)
            || !number
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | ' ' | '.'))
        {
            errors.push(FieldError::new(
                "number",
                "Номер группы: до 20 букв и цифр, можно «-», «/» и «.»",
            ));
        }
        let capacity = match self.capacity.trim().parse::<i32>() {
            Ok(n) if (1..=MAX_GROUP_CAPACITY).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(
                    "capacity",
                    format!("Число мест — целое от 1 до {MAX_GROUP_CAPACITY}"),
                ));
                None
            }
        };
        let period = format!(
            "{} — {}",
            super::contact::format_date(course_starts),
            super::contact::format_date(course_ends)
        );
        let mut date = |field: &'static str, input: &str, what: &str| match parse_date(input) {
            None => {
                errors.push(FieldError::new(field, format!("Укажите дату {what}")));
                None
            }
            Some(d) if d < course_starts || d > course_ends => {
                errors.push(FieldError::new(
                    field,
                    format!("Даты группы — в пределах дат курса: {period}"),
                ));
                None
            }
            Some(d) => Some(d),
        };
        let starts_on = date("starts_on", &self.starts_on, "начала");
        let ends_on = date("ends_on", &self.ends_on, "окончания");
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.push(FieldError::new(
                "ends_on",
                "Окончание не может быть раньше начала",
            ));
        }
        match (capacity, starts_on, ends_on) {
            (Some(capacity), Some(starts_on), Some(ends_on)) if errors.is_empty() => Ok(Group {
                number,
                capacity,
                starts_on,
                ends_on,
            }),
            _ => Err(errors),
        }
    }
}

/// The number of the document (удостоверение о повышении квалификации) issued at the end.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn parse_document_number(input: &str) -> Result<String, &'static str> {
    let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return Err("Укажите номер удостоверения о повышении квалификации");
    }
    let ok = s.chars().count() <= 40
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | ' ' | '№' | '.'));
    if ok {
        Ok(s)
    } else {
        Err("Номер удостоверения: до 40 букв и цифр (хотя бы одна цифра), можно «-», «/», «№»")
    }
}

/// «шифр + группа», as the teacher sees an enrolment.
pub fn code_and_group(code: &str, group: &str) -> String {
    format!("{code}, группа {group}")
}

/// The longest rejection reason.
pub const MAX_REASON: usize = 1000;

/// Courses accept applications until the day before they start.
pub fn registration_open(today: NaiveDate, starts_on: NaiveDate) -> bool {
    today < starts_on
}

pub const REGISTRATION_CLOSED: &str = "Запись на курс закрыта: обучение уже началось";
pub const NO_PLACES: &str = "Свободных мест на курсе не осталось";
pub const ALREADY_APPLIED: &str = "Вы уже подали заявку на этот курс: она в списке «Все \
     регистрации на курсы»";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn statuses_and_fundings_round_trip_their_codes() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for f in Funding::ALL {
            assert_eq!(Funding::from_code(f.code()), Some(f));
        }
        assert_eq!(Status::from_code("approved "), None);
    }

    #[test]
    fn a_paid_course_needs_no_approval_and_a_budget_one_does() {
        use Status::*;
        assert_eq!(Action::Enrol.next(Submitted, Funding::Paid), Ok(Enrolled));
        assert_eq!(Action::Enrol.next(Submitted, Funding::Budget), Err(NOT_NOW));
        assert_eq!(Action::Approve.next(Submitted, Funding::Paid), Err(NOT_NOW));
        assert_eq!(
            Action::Approve.next(Submitted, Funding::Budget),
            Ok(Approved)
        );
        assert_eq!(Action::Enrol.next(Approved, Funding::Budget), Ok(Enrolled));
        assert_eq!(
            Action::Withdraw.next(Enrolled, Funding::Budget),
            Err(NOT_NOW)
        );
        assert!(can_withdraw(Approved) && !can_withdraw(Enrolled));
    }

    #[test]
    fn a_group_is_checked_field_by_field() {
        let f = GroupForm {
            number: " 2-Б ".into(),
            capacity: "25".into(),
            starts_on: "2027-02-01".into(),
            ends_on: "10.02.2027".into(),
        };
        let g = f.validate(d("2027-01-15"), d("2027-03-01")).unwrap();
        assert_eq!((g.number.as_str(), g.capacity), ("2-Б", 25));
        let bad = GroupForm {
            number: "<script>".into(),
            capacity: "0".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "".into(),
        };
        let fields: Vec<String> = bad
            .validate(d("2027-01-15"), d("2027-03-01"))
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["number", "capacity", "starts_on", "ends_on"]);
        let backwards = GroupForm {
            ends_on: "2027-01-20".into(),
            ..f
        };
        assert_eq!(
            backwards
                .validate(d("2027-01-15"), d("2027-03-01"))
                .unwrap_err()[0]
                .field,
            "ends_on"
        );
    }

    #[test]
    fn document_numbers_need_a_digit_and_no_markup() {
        assert_eq!(
            parse_document_number(" 7724  00012345 "),
            Ok("7724 00012345".into())
        );
        assert_eq!(
            parse_document_number("ПК № 12/345"),
            Ok("ПК № 12/345".into())
        );
        assert!(parse_document_number("").is_err());
        assert!(parse_document_number("нет").is_err());
        assert!(parse_document_number("12<b>").is_err());
        assert!(parse_document_number(&"1".repeat(41)).is_err());
    }

    /// The life cycle as a model: any sequence of steps by any actor on either kind of course
    /// keeps the rules.
    fn any_step() -> impl Strategy<Value = (Action, Actor)> {
        (
            prop::sample::select(Action::ALL.to_vec()),
            prop::sample::select(vec![Actor::Teacher, Actor::School, Actor::Provider]),
        )
    }

    proptest! {
        #[test]
        fn the_life_cycle_keeps_its_rules(
            paid in any::<bool>(),
            steps in prop::collection::vec(any_step(), 0..30),
        ) {
            let funding = if paid { Funding::Paid } else { Funding::Budget };
            let mut status = Status::Submitted;
            let mut seen = vec![status];
            for (action, actor) in steps {
                if !action.allowed(actor) {
                    continue;
                }
                let before = status;
                match action.next(status, funding) {
                    Ok(next) => {
                        status = next;
                        seen.push(next);
                        // A withdrawal or a rejection ends it; nothing leaves Закончил(а).
                        prop_assert!(before.is_live());
                        prop_assert!(before != Status::Completed);
                        if action == Action::Withdraw {
                            prop_assert!(can_withdraw(before));
                        }
                    }
                    Err(m) => {
                        prop_assert_eq!(m, NOT_NOW);
                        prop_assert_eq!(status, before);
                    }
                }
            }
            // A paid course is never approved or rejected; a budget one reaches a group only
            // after approval.
            if paid {
                prop_assert!(!seen.contains(&Status::Approved) && !seen.contains(&Status::Rejected));
            } else if let Some(i) = seen.iter().position(|s| *s == Status::Enrolled) {
                prop_assert!(seen[..i].contains(&Status::Approved));
            }
            // Completion comes only from a group.
            if let Some(i) = seen.iter().position(|s| *s == Status::Completed) {
                prop_assert_eq!(seen[i - 1], Status::Enrolled);
            }
            // Terminal statuses are terminal.
            for (i, s) in seen.iter().enumerate() {
                if !s.is_live() || *s == Status::Completed {
                    prop_assert_eq!(i, seen.len() - 1);
                }
            }
        }
    }
}
