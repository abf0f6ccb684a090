//! Why an application cannot be made: each rule has its own message.

use super::money::Money;
use super::registry::Registry;
use crate::domain::words::plural;

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
        plural(a, ["год", "года", "лет"])
    )
}

pub fn balance_short(balance: Money) -> String {
    format!("На сертификате свободно {balance}: этого не хватает для заявки.")
}

#[cfg(test)]
mod tests {
    use super::*;

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
