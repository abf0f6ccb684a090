//! Registration and profile forms: the same checks run live in the browser and on the server.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contact::{Email, Phone, parse_birth_date, parse_name};
use super::regions::{citizenship_name, parse_region};
use super::snils::Snils;
use crate::error::FieldError;

/// The registration form as typed. Field names are the form inputs' names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub snils: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub citizenship: String,
    pub region: String,
    pub sex: String,
    pub birth_date: String,
    pub email: String,
    pub phone: String,
    /// Checkboxes: present (any value) when ticked.
    pub consent_personal_data: Option<String>,
    pub consent_agreement: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }
}

/// A registration that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub snils: Snils,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub citizenship: String,
    pub region: i32,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub email: Email,
    pub phone: Phone,
}

pub const MAX_FIELD_LEN: usize = 300;

impl RegistrationForm {
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
    pub fn validate(&self, today: NaiveDate) -> Result<Registration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| errors.push(FieldError::new(field, message));

        let snils = Snils::parse(&self.snils)
            .map_err(|e| err("snils", e.to_string()))
            .ok();
        let last_name = parse_name(&self.last_name, "Фамилия", true)
            .map_err(|m| err("last_name", m))
            .ok()
            .flatten();
        let first_name = parse_name(&self.first_name, "Имя", true)
            .map_err(|m| err("first_name", m))
            .ok()
            .flatten();
        let middle_name = parse_name(&self.middle_name, "Отчество", false)
            .map_err(|m| err("middle_name", m))
            .ok()
            .flatten();
        let citizenship =
            citizenship_name(self.citizenship.trim()).map(|_| self.citizenship.trim().to_string());
        if citizenship.is_none() {
            err("citizenship", "Выберите гражданство".into());
        }
        let region = parse_region(&self.region);
        if region.is_none() {
            err("region", "Выберите регион проживания".into());
        }
        let sex = match self.sex.trim() {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => {
                err("sex", "Укажите пол".into());
                None
            }
        };
        let birth_date = parse_birth_date(&self.birth_date, today)
            .map_err(|m| err("birth_date", m.into()))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|m| err("email", m.into()))
            .ok();
        let phone = Phone::parse(&self.phone)
            .map_err(|m| err("phone", m.into()))
            .ok();
        if self.consent_personal_data.is_none() {
            err(
                "consent_personal_data",
                "Нужно согласие на обработку персональных данных".into(),
            );
        }
        if self.consent_agreement.is_none() {
            err(
                "consent_agreement",
                "Нужно принять пользовательское соглашение".into(),
            );
        }
        match (
            snils,
            last_name,
            first_name,
            citizenship,
            region,
            sex,
            birth_date,
            email,
            phone,
        ) {
            (
                Some(snils),
                Some(last_name),
                Some(first_name),
                Some(citizenship),
                Some(region),
                Some(sex),
                Some(birth_date),
                Some(email),
                Some(phone),
            ) if errors.is_empty() => Ok(Registration {
                snils,
                last_name,
                first_name,
                middle_name,
                citizenship,
                region,
                sex,
                birth_date,
                email,
                phone,
            }),
            _ => Err(errors),
        }
    }
}

/// A teacher's registration for ДПО: the login is the e-mail, the school comes from the
/// catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeacherForm {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub email: String,
    pub phone: String,
    /// A school's id from the catalogue.
    pub school: String,
    pub position: String,
    pub consent_personal_data: Option<String>,
    pub consent_agreement: Option<String>,
}

/// A teacher's registration that passed every check (the school's existence is the server's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherRegistration {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub email: Email,
    pub phone: Option<Phone>,
    pub school_id: i64,
    pub position: String,
}

impl TeacherForm {
    pub fn check_field(&self, field: &str) -> Option<String> {
        self.validate().err().and_then(|errs| {
            errs.into_iter()
                .find(|e| e.field == field)
                .map(|e| e.message)
        })
    }

    /// # Errors
    /// Every wrong field with its message, in form order.
    pub fn validate(&self) -> Result<TeacherRegistration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| errors.push(FieldError::new(field, message));
        let last_name = parse_name(&self.last_name, "Фамилия", true)
            .map_err(|m| err("last_name", m))
            .ok()
            .flatten();
        let first_name = parse_name(&self.first_name, "Имя", true)
            .map_err(|m| err("first_name", m))
            .ok()
            .flatten();
        let middle_name = parse_name(&self.middle_name, "Отчество", false)
            .map_err(|m| err("middle_name", m))
            .ok()
            .flatten();
        let email = Email::parse(&self.email)
            .map_err(|m| err("email", m.into()))
            .ok();
        let phone = if self.phone.trim().is_empty() {
            Ok(None)
        } else {
            Phone::parse(&self.phone).map(Some)
        }
        .map_err(|m| err("phone", m.into()))
        .ok()
        .flatten();
        let school_id = self.school.trim().parse::<i64>().ok().filter(|id| *id > 0);
        if school_id.is_none() {
            err("school", "Выберите свою школу из списка".into());
        }
        let position = super::contact::parse_text(&self.position, "Должность", 3, 100, false)
            .map_err(|m| err("position", m))
            .ok();
        if self.consent_personal_data.is_none() {
            err(
                "consent_personal_data",
                "Нужно согласие на обработку персональных данных".into(),
            );
        }
        if self.consent_agreement.is_none() {
            err(
                "consent_agreement",
                "Нужно принять пользовательское соглашение".into(),
            );
        }
        match (last_name, first_name, email, school_id, position) {
            (Some(last_name), Some(first_name), Some(email), Some(school_id), Some(position))
                if errors.is_empty() =>
            {
                Ok(TeacherRegistration {
                    last_name,
                    first_name,
                    middle_name,
                    email,
                    phone,
                    school_id,
                    position,
                })
            }
            _ => Err(errors),
        }
    }
}

/// What «Забыли пароль?» takes: a СНИЛС (specialists) or the e-mail that is the login of
/// teachers and school staff. Returns the stored login.
///
/// # Errors
/// The СНИЛС's or the e-mail's message.
pub fn parse_reset_login(input: &str) -> Result<String, String> {
    if input.contains('@') {
        Email::parse(input)
            .map(|e| e.as_str().to_owned())
            .map_err(str::to_owned)
    } else {
        Snils::parse(input)
            .map(|s| s.digits().to_owned())
            .map_err(|e| e.to_string())
    }
}

pub const MIN_PASSWORD_LEN: usize = 8;
pub const MAX_PASSWORD_LEN: usize = 128;

/// The shape rules for a new password; the common-password list is checked on the server.
///
/// # Errors
/// A Russian sentence saying what is wrong.
pub fn check_new_password(password: &str) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len == 0 {
        return Err("Введите новый пароль");
    }
    if len < MIN_PASSWORD_LEN {
        return Err("Пароль должен содержать не менее 8 символов");
    }
    if len > MAX_PASSWORD_LEN {
        return Err("Пароль слишком длинный: не более 128 символов");
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err("Пароль не может состоять из одного повторяющегося символа");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    pub fn good_form() -> RegistrationForm {
        RegistrationForm {
            snils: "112-233-445 95".into(),
            last_name: "Иванова".into(),
            first_name: "Мария".into(),
            middle_name: "Петровна".into(),
            citizenship: "RU".into(),
            region: "77".into(),
            sex: "female".into(),
            birth_date: "1985-03-14".into(),
            email: "ivanova@example.ru".into(),
            phone: "+7 912 345-67-89".into(),
            consent_personal_data: Some("on".into()),
            consent_agreement: Some("on".into()),
        }
    }

    #[test]
    fn a_teacher_registers_by_email_at_a_school_from_the_catalogue() {
        let f = TeacherForm {
            last_name: "Орлова".into(),
            first_name: "Наталья".into(),
            middle_name: String::new(),
            email: " Orlova@School1.ru ".into(),
            phone: String::new(),
            school: "3".into(),
            position: "учитель  математики".into(),
            consent_personal_data: Some("on".into()),
            consent_agreement: Some("on".into()),
        };
        let r = f.validate().unwrap();
        assert_eq!(r.email.as_str(), "orlova@school1.ru");
        assert_eq!(
            (r.school_id, r.position.as_str(), r.phone),
            (3, "учитель математики", None)
        );
        let fields: Vec<String> = TeacherForm {
            school: "школа".into(),
            phone: "123".into(),
            ..TeacherForm::default()
        }
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(
            fields,
            [
                "last_name",
                "first_name",
                "email",
                "phone",
                "school",
                "position",
                "consent_personal_data",
                "consent_agreement"
            ]
        );
    }

    #[test]
    fn a_password_is_reset_by_snils_or_by_the_email_login() {
        assert_eq!(
            parse_reset_login("112-233-445 95").as_deref(),
            Ok("11223344595")
        );
        assert_eq!(
            parse_reset_login(" Orlova@School.RU ").as_deref(),
            Ok("orlova@school.ru")
        );
        assert!(parse_reset_login("orlova@").is_err());
        assert!(parse_reset_login("112").is_err());
    }

    #[test]
    fn a_complete_form_is_accepted() {
        let r = good_form().validate(today()).unwrap();
        assert_eq!(r.snils.digits(), "11223344595");
        assert_eq!(r.phone.as_str(), "+79123456789");
        assert_eq!(r.region, 77);
    }

    #[test]
    fn an_empty_form_names_every_required_field() {
        let errs = RegistrationForm::default().validate(today()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "snils",
                "last_name",
                "first_name",
                "citizenship",
                "region",
                "sex",
                "birth_date",
                "email",
                "phone",
                "consent_personal_data",
                "consent_agreement"
            ]
        );
        assert_eq!(errs[0].message, "СНИЛС пуст");
    }

    #[test]
    fn one_field_is_checked_on_its_own() {
        let mut f = good_form();
        f.snils = "112-233-445 96".into();
        assert_eq!(
            f.check_field("snils", today()).as_deref(),
            Some("Неправильное контрольное число СНИЛС")
        );
        assert_eq!(f.check_field("email", today()), None);
    }

    #[test]
    fn unknown_region_and_citizenship_are_refused() {
        let mut f = good_form();
        f.region = "999".into();
        f.citizenship = "XX".into();
        let errs = f.validate(today()).unwrap_err();
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn password_shape_rules() {
        assert!(check_new_password("Kab1net-2026").is_ok());
        assert_eq!(
            check_new_password("short").unwrap_err(),
            "Пароль должен содержать не менее 8 символов"
        );
        assert!(check_new_password("aaaaaaaaaa").is_err());
        assert!(check_new_password(&"x1".repeat(65)).is_err());
        assert!(check_new_password("").is_err());
    }
}
