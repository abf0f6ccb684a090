use leptos::prelude::*;

use crate::domain::account::RegistrationForm;
use crate::domain::robot::{Challenge, RobotProof};
use crate::error::AppError;
use crate::model::Me;

/// Registers a specialist and mails the confirmation link; then to «письмо отправлено».
#[server(prefix = "/api", endpoint = "auth/register_specialist")]
pub async fn register_specialist(
    form: RegistrationForm,
    #[server(default)] robot: RobotProof,
) -> Result<String, AppError> {
    use crate::ssr::{context, service::auth};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    let masked = auth::register_specialist(
        &state.db,
        &state.settings,
        &state.robot_key,
        &form,
        &robot,
        now,
    )
    .await?;
    context::redirect(&format!("/register/sent?email={}", urlencode(&masked)));
    Ok(masked)
}

/// Opens the confirmation link: activates the account and mails the credentials.
#[server(prefix = "/api", endpoint = "auth/confirm_registration")]
pub async fn confirm_registration(token: String) -> Result<String, AppError> {
    use crate::ssr::{context, service::auth};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    let done = auth::confirm_registration(&state.db, &state.settings, &token, now).await?;
    context::redirect(&format!(
        "/login?confirmed={}",
        urlencode(&done.masked_email)
    ));
    Ok(done.masked_email)
}

/// Signs in by login (СНИЛС) and password; sets the session cookie.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(login: String, password: String) -> Result<(), AppError> {
    use crate::ssr::{context, service::auth, session};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    let done = auth::login(&state.db, &state.settings, &login, &password, now).await?;
    context::set_cookie(&session::cookie(&state.settings, &done.token));
    let home = match done.role.as_str() {
        "admin" => "/admin/support",
        "provider" => "/provider",
        "parent" => "/pfdo",
        "operator" => "/operator",
        "teacher" => "/dpo",
        "school_head" => "/dpo/school",
        _ => "/cabinet",
    };
    context::redirect(home);
    Ok(())
}

/// Ends the session and removes the cookie.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::{context, session};
    let state = context::state()?;
    if let Some(token) = context::request_headers().and_then(|h| session::token_from_headers(&h)) {
        session::delete_by_token(&state.db, &token).await?;
    }
    context::set_cookie(&session::clear_cookie(&state.settings));
    context::redirect("/login?logged_out=1");
    Ok(())
}

/// «Забыли пароль?»: the same answer whether or not the account exists.
#[server(prefix = "/api", endpoint = "auth/forgot_password")]
pub async fn forgot_password(
    snils: String,
    #[server(default)] robot: RobotProof,
) -> Result<String, AppError> {
    use crate::ssr::{context, service::auth};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    let message = auth::forgot_password(
        &state.db,
        &state.settings,
        &state.robot_key,
        &snils,
        &robot,
        now,
    )
    .await?;
    context::redirect("/login?reset=1");
    Ok(message.to_owned())
}

/// A fresh «Я не робот» challenge for the registration and «Забыли пароль?» forms.
#[server(prefix = "/api", endpoint = "auth/robot_challenge")]
pub async fn robot_challenge() -> Result<Challenge, AppError> {
    use crate::ssr::{context, robot};
    let now = crate::ssr::context::now()?;
    let state = context::state()?;
    Ok(robot::issue(&state.robot_key, &state.settings.policy, now))
}

/// Who is signed in, for the header; `None` for a guest.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    use crate::ssr::context;
    Ok(context::current_user().await?.map(|u| Me {
        role: u.role,
        short_name: u.short_name(),
    }))
}

/// What «Забыли пароль?» answers, whether or not the account exists.
pub const FORGOT_DONE_TEXT: &str = "Если учётная запись с этим логином существует, новый пароль отправлен на её адрес электронной почты. Прежний пароль действует, пока вы не войдёте с новым.";

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
