//! The four registries of programmes and what each means for the money.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registry {
    /// Paid from the certificate up to the normative price.
    Certified,
    /// The municipal assignment pays: free for the family.
    Significant,
    /// The family pays the whole price.
    Paid,
    /// General-development programmes; the family pays the whole price.
    General,
}

impl Registry {
    pub const ALL: [Self; 4] = [
        Self::Certified,
        Self::Significant,
        Self::Paid,
        Self::General,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Certified => "certified",
            Self::Significant => "significant",
            Self::Paid => "paid",
            Self::General => "general",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The registry's name as the navigator's badge shows it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Certified => "Сертифицированные",
            Self::Significant => "Значимые",
            Self::Paid => "Платные",
            Self::General => "Общеразвивающие",
        }
    }

    /// The «?» beside the cabinet's counter.
    pub fn explain(self) -> &'static str {
        match self {
            Self::Certified => {
                "Программы, обучение по которым оплачивается из номинала сертификата (до \
                 нормативной стоимости; остаток, если он есть, платит семья)."
            }
            Self::Significant => {
                "Программы муниципального задания: бесплатны для семьи, сертификат нужен для \
                 учёта места ребёнка."
            }
            Self::Paid => {
                "Платные программы: семья оплачивает их полностью, сертификат учитывает запись."
            }
            Self::General => {
                "Общеразвивающие программы организаций: семья оплачивает их полностью, \
                 сертификат учитывает запись."
            }
        }
    }
}

/// Who pays for a module of a programme in a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Funding {
    /// The certificate pays up to the normative price and the balance; the family the rest.
    Certificate,
    /// Nobody in the family pays.
    Free,
    /// The family pays everything.
    Family,
}

impl Registry {
    pub fn funding(self) -> Funding {
        match self {
            Self::Certified => Funding::Certificate,
            Self::Significant => Funding::Free,
            Self::Paid | Self::General => Funding::Family,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Technical,
    Arts,
    Sports,
    Science,
    Tourism,
    Social,
}

impl Activity {
    pub const ALL: [Self; 6] = [
        Self::Technical,
        Self::Arts,
        Self::Sports,
        Self::Science,
        Self::Tourism,
        Self::Social,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Technical => "technical",
            Self::Arts => "arts",
            Self::Sports => "sports",
            Self::Science => "science",
            Self::Tourism => "tourism",
            Self::Social => "social",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Technical => "Техническая",
            Self::Arts => "Художественная",
            Self::Sports => "Физкультурно-спортивная",
            Self::Science => "Естественнонаучная",
            Self::Tourism => "Туристско-краеведческая",
            Self::Social => "Социально-гуманитарная",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Registry::ALL {
            assert_eq!(Registry::from_code(r.code()), Some(r));
        }
        for a in Activity::ALL {
            assert_eq!(Activity::from_code(a.code()), Some(a));
        }
        assert_eq!(Registry::from_code("x"), None);
    }
}
