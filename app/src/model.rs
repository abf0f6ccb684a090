//! Data that crosses the wire between the server functions and the pages.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Specialist,
    Teacher,
    SchoolHead,
    Parent,
    Provider,
    Operator,
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Self::Specialist => "specialist",
            Self::Teacher => "teacher",
            Self::SchoolHead => "school_head",
            Self::Parent => "parent",
            Self::Provider => "provider",
            Self::Operator => "operator",
            Self::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "specialist" => Self::Specialist,
            "teacher" => Self::Teacher,
            "school_head" => Self::SchoolHead,
            "parent" => Self::Parent,
            "provider" => Self::Provider,
            "operator" => Self::Operator,
            "admin" => Self::Admin,
            _ => return None,
        })
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Specialist => "Специалист",
            Self::Teacher => "Педагог",
            Self::SchoolHead => "Руководитель ОО",
            Self::Parent => "Родитель",
            Self::Provider => "Поставщик",
            Self::Operator => "Оператор",
            Self::Admin => "Администратор",
        }
    }
}

/// Who is signed in, as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub role: Role,
    pub short_name: String,
}

/// The specialist's own profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub role: Role,
    pub login_display: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub region: Option<i32>,
    pub region_name: String,
    pub birth_date: String,
    pub citizenship: String,
    pub pending_email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub id: i64,
    pub number: String,
    pub topic: String,
    pub body: String,
    pub created_at: String,
    pub status: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub has_attachment: bool,
    pub attachment_name: Option<String>,
    /// Shown to the admin only.
    pub author: Option<String>,
}

pub const SUPPORT_TOPICS: &[(&str, &str)] = &[
    ("account", "Вход и учётная запись"),
    ("personal_data", "Изменение СНИЛС или ФИО"),
    ("documents", "Документы и пятилетние циклы"),
    ("credits", "Баллы (ЗЕТ) и коды подтверждения"),
    ("other", "Другое"),
];

pub fn topic_title(code: &str) -> Option<&'static str> {
    SUPPORT_TOPICS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
}

pub fn ticket_number(id: i64) -> String {
    format!("ТП-{id:06}")
}
