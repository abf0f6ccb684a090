use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::Profile;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactsInput {
    pub phone: String,
    pub region: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordInput {
    pub current: String,
    pub new: String,
    pub repeat: String,
}

/// The caller's own profile.
#[server(prefix = "/api", endpoint = "profile/get")]
pub async fn get_profile() -> Result<Profile, AppError> {
    use crate::ssr::{context, service::profile};
    let now = crate::ssr::context::now()?;
    let me = context::require_user().await?;
    let state = context::state()?;
    profile::get_profile(&state.db, &me, now).await
}

/// Phone and region.
#[server(prefix = "/api", endpoint = "profile/update_contacts")]
pub async fn update_contacts(form: ContactsInput) -> Result<(), AppError> {
    use crate::ssr::{context, service::profile};
    let me = context::require_user().await?;
    let state = context::state()?;
    profile::update_contacts(
        &state.db,
        &me,
        &profile::ContactsForm {
            phone: form.phone,
            region: form.region,
        },
    )
    .await?;
    context::redirect("/profile?saved=contacts");
    Ok(())
}

/// Mails a confirmation link to a new address.
#[server(prefix = "/api", endpoint = "profile/change_email")]
pub async fn change_email(email: String) -> Result<String, AppError> {
    use crate::ssr::{context, service::profile};
    let now = crate::ssr::context::now()?;
    let me = context::require_user().await?;
    let state = context::state()?;
    let masked =
        profile::request_email_change(&state.db, &state.settings, &me, &email, now).await?;
    context::redirect("/profile?saved=email");
    Ok(masked)
}

/// Opens the link from the new address.
#[server(prefix = "/api", endpoint = "profile/confirm_email")]
pub async fn confirm_email(token: String) -> Result<String, AppError> {
    use crate::ssr::{context, service::profile};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    let email = profile::confirm_email_change(&state.db, &token, now).await?;
    context::redirect("/profile/confirm-email?done=1");
    Ok(email)
}

/// Current + new password; ends the other sessions.
#[server(prefix = "/api", endpoint = "profile/change_password")]
pub async fn change_password(form: PasswordInput) -> Result<u64, AppError> {
    use crate::ssr::{context, service::profile};
    let now = crate::ssr::context::now()?;
    let me = context::require_user().await?;
    let state = context::state()?;
    let ended = profile::change_password(
        &state.db,
        &state.settings,
        &me,
        &profile::PasswordForm {
            current: form.current,
            new: form.new,
            repeat: form.repeat,
        },
        now,
    )
    .await?;
    context::redirect("/profile?saved=password");
    Ok(ended)
}
