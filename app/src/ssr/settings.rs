//! Settings the server validated at start, and the policy values DOMAIN.md leaves to us.

use std::path::PathBuf;
use std::time::Duration;

use crate::domain::nmo::credits::Targets;

#[derive(Debug, Clone)]
pub struct Settings {
    /// How users reach us, without a trailing slash; used in mailed links and the CSRF check.
    pub public_url: String,
    /// `Secure` cookies: on when `public_url` is https.
    pub secure_cookies: bool,
    /// Demo mode: `/dev/mail` lists outgoing mail.
    pub demo: bool,
    /// Where files live: the mail folder when there is no SMTP server.
    pub data_dir: PathBuf,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub policy: Policy,
}

#[derive(Debug, Clone)]
pub struct Policy {
    /// Wrong passwords in a row that lock an account.
    pub login_max_failures: i32,
    pub login_lock: Duration,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub registration_link_ttl: Duration,
    pub email_change_link_ttl: Duration,
    /// «Я не робот»: leading zero bits of the browser's proof of work.
    pub robot_bits: u8,
    /// How long a «Я не робот» challenge may wait for its form.
    pub robot_ttl: Duration,
    /// How long a «Забыли пароль?» password waits for its first use; the old one keeps working.
    pub reset_password_ttl: Duration,
    /// Wrong ИКП a specialist may enter per `code_failure_window`.
    pub code_max_failures: u32,
    pub code_failure_window: Duration,
    /// An activated ИКП the provider has not reviewed is confirmed after this long.
    pub code_auto_confirm: Duration,
    /// The ЗЕТ targets of a five-year cycle.
    pub credit_targets: Targets,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            login_max_failures: 5,
            login_lock: Duration::from_secs(10 * 60),
            session_idle: Duration::from_secs(60 * 60),
            session_absolute: Duration::from_secs(12 * 60 * 60),
            registration_link_ttl: Duration::from_secs(48 * 60 * 60),
            email_change_link_ttl: Duration::from_secs(24 * 60 * 60),
            robot_bits: 17,
            robot_ttl: Duration::from_secs(60 * 60),
            reset_password_ttl: Duration::from_secs(24 * 60 * 60),
            code_max_failures: 10,
            code_failure_window: Duration::from_secs(60 * 60),
            code_auto_confirm: Duration::from_secs(24 * 60 * 60),
            credit_targets: Targets::default(),
        }
    }
}

impl Settings {
    /// Settings for tests and tools: a local URL, demo on, mail into `data_dir/mail`, and a
    /// light «Я не робот» so unoptimised test builds solve it at once.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Self {
            public_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            demo: true,
            data_dir,
            smtp_url: None,
            mail_from: "Кабинет <noreply@kabinet.local>".into(),
            policy: Policy {
                robot_bits: 8,
                ..Policy::default()
            },
        }
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}
