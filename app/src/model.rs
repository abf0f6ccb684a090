//! Data that crosses the wire between the server functions and the pages.

use serde::{Deserialize, Serialize};

pub mod dpo;
pub mod pfdo;
pub mod plan;

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

/// НМО data that crosses the wire.
pub mod nmo {
    use serde::{Deserialize, Serialize};

    /// Where a specialist stands after the first login.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct NmoStatus {
        pub agreement_accepted: bool,
        /// Higher (ВО) and secondary (СО) medical education.
        pub level_vo: bool,
        pub level_so: bool,
    }

    impl NmoStatus {
        /// The cabinet opens once the agreement is accepted and a level chosen.
        pub fn ready(&self) -> bool {
            self.agreement_accepted && (self.level_vo || self.level_so)
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct SpecialtyOption {
        pub id: i64,
        pub name: String,
        /// `vo` or `so`.
        pub level: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct OrganisationOption {
        pub id: i64,
        pub name: String,
        pub city: Option<String>,
        /// Filed by this specialist and not yet reviewed.
        pub pending: bool,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct DocumentView {
        pub id: i64,
        pub kind: String,
        pub kind_title: String,
        pub specialty: String,
        pub organisation: String,
        pub organisation_status: String,
        pub number: String,
        pub protocol_date: Option<String>,
        pub exam_date: String,
        pub issue_date: Option<String>,
        pub frmr_confirmed: bool,
        pub cycle_period: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct CycleView {
        pub id: i64,
        pub specialty: String,
        pub period: String,
        /// «Сертификат специалиста 017718 0123456».
        pub document: String,
        /// The cycle the plan shows.
        pub current: bool,
        /// «идёт», «завершён» or «начнётся».
        pub state: String,
    }

    /// An organisation filed by a specialist, for the admin's review.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PendingOrganisation {
        pub id: i64,
        pub name: String,
        pub city: Option<String>,
        pub filed_by: String,
        pub filed_at: String,
    }
}
