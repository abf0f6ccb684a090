//! `AppError`: the one error type that crosses the wire.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message for one form field; `field` is the input's `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every failure a server function can report. The messages users see are Russian sentences;
/// `Internal` carries only a request id, the details stay in the server log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "WireError", try_from = "WireError")]
pub enum AppError {
    #[error("Проверьте поля формы")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("Войдите в личный кабинет")]
    Unauthorized,
    #[error("Недостаточно прав для этого действия")]
    Forbidden,
    #[error("Не найдено")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Domain(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Нет связи с сервером, действие не выполнено")]
    Network,
    #[error("Внутренняя ошибка сервера. Код запроса: {request_id}")]
    Internal { request_id: String },
}

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Validation(_) | Self::Domain(_) => 422,
            Self::BadRequest(_) => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict(_) => 409,
            Self::TooManyRequests(_) => 429,
            Self::Network => 503,
            Self::Internal { .. } => 500,
        }
    }

    /// The message for one field, if the error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }
}

/// What the JSON body of an error looks like: a kind, the Russian message, and the field
/// messages or request id where there are any — readable by any HTTP client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireError {
    pub kind: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl From<AppError> for WireError {
    fn from(e: AppError) -> Self {
        let message = e.to_string();
        let (kind, fields, request_id) = match e {
            AppError::Validation(f) => ("validation", f, None),
            AppError::BadRequest(_) => ("bad_request", vec![], None),
            AppError::Unauthorized => ("unauthorized", vec![], None),
            AppError::Forbidden => ("forbidden", vec![], None),
            AppError::NotFound => ("not_found", vec![], None),
            AppError::Conflict(_) => ("conflict", vec![], None),
            AppError::Domain(_) => ("domain", vec![], None),
            AppError::TooManyRequests(_) => ("too_many_requests", vec![], None),
            AppError::Network => ("network", vec![], None),
            AppError::Internal { request_id } => ("internal", vec![], Some(request_id)),
        };
        Self {
            kind: kind.into(),
            message,
            fields,
            request_id,
        }
    }
}

impl TryFrom<WireError> for AppError {
    type Error = String;

    fn try_from(w: WireError) -> Result<Self, Self::Error> {
        Ok(match w.kind.as_str() {
            "validation" => Self::Validation(w.fields),
            "bad_request" => Self::BadRequest(w.message),
            "unauthorized" => Self::Unauthorized,
            "forbidden" => Self::Forbidden,
            "not_found" => Self::NotFound,
            "conflict" => Self::Conflict(w.message),
            "domain" => Self::Domain(w.message),
            "too_many_requests" => Self::TooManyRequests(w.message),
            "network" => Self::Network,
            "internal" => Self::Internal {
                request_id: w.request_id.unwrap_or_default(),
            },
            other => return Err(format!("unknown error kind {other}")),
        })
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::BadRequest("Запрос не удалось разобрать: проверьте поля формы".into())
            }
            // On the server, a body that cannot be read as the declared encoding.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => {
                Self::BadRequest("Запрос не удалось разобрать: проверьте поля формы".into())
            }
            ServerFnErrorErr::Request(_) => Self::Network,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed outside its body");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                Self::Internal {
                    request_id: current_request_id(),
                }
            }
        }
    }
}

#[cfg(feature = "ssr")]
fn current_request_id() -> String {
    crate::ssr::context::request_id()
}

#[cfg(not(feature = "ssr"))]
fn current_request_id() -> String {
    String::from("—")
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_readable_json_and_back() {
        for e in [
            AppError::field("snils", "СНИЛС пуст"),
            AppError::Unauthorized,
            AppError::TooManyRequests("Вход заблокирован до 10:00 (МСК)".into()),
            AppError::Internal {
                request_id: "abc".into(),
            },
        ] {
            let json = serde_json::to_string(&e).unwrap();
            assert!(json.contains("\"message\""), "{json}");
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), e);
        }
        let json = serde_json::to_string(&AppError::Unauthorized).unwrap();
        assert!(json.contains("Войдите в личный кабинет"));
    }
}
