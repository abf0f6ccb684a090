//! Why an application cannot be made: each rule has its own message.

use chrono::{Months, NaiveDate};

use super::money::Money;
use super::registry::{Funding, Registry};
use crate::domain::words::{YEARS, plural};

pub const NOT_FINANCED: &str = "Ваш сертификат — сертификат учёта: он не оплачивает обучение. \
     За счёт сертификата можно записаться только по сертификату финансирования; программы \
     реестров «Значимые», «Платные» и «Общеразвивающие» доступны.";

pub const NO_BALANCE: &str = "На сертификате не осталось свободных средств (баланс 0,00 ₽): \
     записаться на программу, которую оплачивает сертификат, сейчас нельзя.";

pub const SAME_MODULE: &str =
    "На этот модуль у ребёнка уже есть заявка или договор: вторая запись невозможна.";

pub const BALANCE_CHANGED: &str = "К сожалению заявка не может быть направлена в организацию, \
     поскольку после последнего расчета значение Вашего номинала было изменено. Пересчитайте \
     параметры заявки.";

pub const CONFIRMATIONS: &str = "Вы должны подтвердить своё согласие";

pub const NOT_ACTIVATED: &str = "Сертификат ещё не активирован: договор можно заключить только \
     после активации сертификата. Заявка подождёт — подтвердить её можно уже сейчас.";

pub const NO_PERIOD: &str =
    "Номинал сертификата на этот период ещё не установлен: запись на него пока невозможна.";

pub fn group_full(group: &str) -> String {
    format!("В группе «{group}» нет свободных мест: выберите другую группу.")
}

pub fn programme_full(title: &str) -> String {
    format!(
        "Программа «{title}» набрала предельное число обучающихся по сертификатам: запись \
         закрыта."
    )
}

pub fn provider_full(name: &str) -> String {
    format!(
        "Организация «{name}» достигла предельного числа детей, которых она может обучать по \
         сертификатам: запись закрыта."
    )
}

pub fn payer_limit(name: &str) -> String {
    format!(
        "Средства, которые муниципалитет выделил организации «{name}» на обучение по \
         сертификатам, исчерпаны: запись за счёт сертификата закрыта."
    )
}

pub fn registry_limit(registry: Registry, limit: i32) -> String {
    let n = u64::try_from(limit).unwrap_or(0);
    format!(
        "По категории сертификата можно пройти не больше {n} {} реестра «{}»: лимит \
         использован.",
        plural(n, ["программы", "программ", "программ"]),
        registry.title()
    )
}

pub fn age(from: i32, to: i32, age: u32) -> String {
    let a = u64::from(age);
    format!(
        "Программа рассчитана на детей от {from} до {to} лет, а ребёнку {a} {}.",
        plural(a, YEARS)
    )
}

pub fn balance_short(balance: Money) -> String {
    format!("На сертификате свободно {balance}: этого не хватает для заявки.")
}

/// Where the child would study: a group with a free place, a full group, or (for a whole
/// programme in the navigator) no free place in any group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Free,
    GroupFull(String),
    AllGroupsFull,
}

/// What is known about a certificate and a programme (or one of its groups) when deciding
/// whether the certificate can be used there.
#[derive(Debug, Clone)]
pub struct Facts {
    pub age: u32,
    pub age_from: i32,
    pub age_to: i32,
    pub same_module: bool,
    pub registry: Registry,
    pub financed: bool,
    /// The balance of the year, `None` when the year's nominal is not set.
    pub balance: Option<i64>,
    pub place: Place,
    pub programme_title: String,
    pub programme_full: bool,
    pub provider_name: String,
    pub provider_full: bool,
    pub payer_short: bool,
    pub registry_used: i64,
    pub registry_limit: i32,
}

/// The first rule broken, in the order a parent would want to hear them; `None` when the
/// certificate can be used. The navigator and the application ask the same question here.
pub fn first_obstacle(f: &Facts) -> Option<String> {
    if i64::from(f.age) < i64::from(f.age_from) || i64::from(f.age) > i64::from(f.age_to) {
        return Some(age(f.age_from, f.age_to, f.age));
    }
    if f.same_module {
        return Some(SAME_MODULE.into());
    }
    if f.registry.funding() == Funding::Certificate {
        if !f.financed {
            return Some(NOT_FINANCED.into());
        }
        match f.balance {
            None => return Some(NO_PERIOD.into()),
            Some(b) if b <= 0 => return Some(NO_BALANCE.into()),
            Some(_) => {}
        }
    }
    match &f.place {
        Place::Free => {}
        Place::GroupFull(name) => return Some(group_full(name)),
        Place::AllGroupsFull => return Some(ALL_GROUPS_FULL.into()),
    }
    if f.programme_full {
        return Some(programme_full(&f.programme_title));
    }
    if f.provider_full {
        return Some(provider_full(&f.provider_name));
    }
    if f.payer_short {
        return Some(payer_limit(&f.provider_name));
    }
    if f.registry_used >= i64::from(f.registry_limit) {
        return Some(registry_limit(f.registry, f.registry_limit));
    }
    None
}

pub const ALL_GROUPS_FULL: &str = "Во всех группах программы нет свободных мест.";

/// A programme can be rated until a month after its contract ended.
pub fn rating_until(ended: NaiveDate) -> Option<NaiveDate> {
    ended.checked_add_months(Months::new(1))
}

/// Certificates are issued to children of 5–18 years.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn child_birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    if input.trim().is_empty() {
        return Err("Укажите дату рождения ребёнка");
    }
    let d = crate::domain::contact::parse_date(input)
        .ok_or("Дата рождения указана неверно (пример: 31.12.2016)")?;
    let age = today
        .years_since(d)
        .ok_or("Дата рождения не может быть в будущем")?;
    if !(5..=17).contains(&age) {
        return Err("Сертификат выдаётся детям от 5 до 18 лет");
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            age: 9,
            age_from: 7,
            age_to: 12,
            same_module: false,
            registry: Registry::Certified,
            financed: true,
            balance: Some(100),
            place: Place::Free,
            programme_title: "Робототехника".into(),
            programme_full: false,
            provider_name: "Радуга".into(),
            provider_full: false,
            payer_short: false,
            registry_used: 0,
            registry_limit: 3,
        }
    }

    #[test]
    fn the_first_broken_rule_speaks() {
        assert_eq!(first_obstacle(&facts()), None);
        let mut f = facts();
        f.financed = false;
        f.place = Place::GroupFull("Группа 1".into());
        assert_eq!(first_obstacle(&f).as_deref(), Some(NOT_FINANCED));
        f.registry = Registry::Significant;
        assert_eq!(first_obstacle(&f), Some(group_full("Группа 1")));
        f.age = 5;
        assert!(
            first_obstacle(&f)
                .unwrap()
                .starts_with("Программа рассчитана")
        );
        let mut f = facts();
        f.registry_used = 3;
        assert_eq!(
            first_obstacle(&f),
            Some(registry_limit(Registry::Certified, 3))
        );
        f.balance = None;
        assert_eq!(first_obstacle(&f).as_deref(), Some(NO_PERIOD));
    }

    #[test]
    fn birth_dates_of_children() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert!(child_birth_date("10.05.2016", today).is_ok());
        assert!(child_birth_date("2024-01-01", today).is_err());
        assert!(child_birth_date("", today).is_err());
        assert!(child_birth_date("2030-01-01", today).is_err());
    }

    #[test]
    fn messages_agree_with_numbers() {
        assert!(
            registry_limit(Registry::Certified, 1)
                .contains("не больше 1 программы реестра «Сертифицированные»")
        );
        assert!(registry_limit(Registry::Paid, 5).contains("5 программ"));
        assert_eq!(
            age(7, 12, 5),
            "Программа рассчитана на детей от 7 до 12 лет, а ребёнку 5 лет."
        );
        assert!(age(7, 12, 21).ends_with("21 год."));
        assert!(age(7, 12, 3).ends_with("3 года."));
    }
}
