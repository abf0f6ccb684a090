//! Settings from flags and the environment, validated before anything starts.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use app::ssr::settings::{Policy, Settings};

#[derive(Debug, clap::Parser)]
#[command(
    name = "kabinet",
    version,
    about = "Кабинет — личный кабинет непрерывного образования"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// sqlite://… (default, one process) or postgres://… (several instances).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/kabinet.db?mode=rwc",
        global = true
    )]
    pub database_url: String,

    /// Address to listen on.
    #[arg(
        long,
        env = "KABINET_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: String,

    /// The address users open, for links in mail and the cross-site check (default: http://ADDR).
    #[arg(long, env = "KABINET_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// smtp://host:port, smtp://user:pass@host:587?tls=required or smtps://…; without it mail
    /// is written to DATA_DIR/mail as .eml files.
    #[arg(long, env = "SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// The From: of outgoing mail.
    #[arg(
        long,
        env = "KABINET_MAIL_FROM",
        default_value = "Кабинет <noreply@kabinet.local>",
        global = true
    )]
    pub mail_from: String,

    /// 1 turns on the demo mailbox at /dev/mail.
    #[arg(long, env = "KABINET_DEMO", default_value = "0", global = true)]
    pub demo: String,

    /// Log filter, e.g. info or kabinet=debug,tower_http=info.
    #[arg(long, env = "KABINET_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Folder for local files (the mail folder when there is no SMTP server).
    #[arg(long, env = "KABINET_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Wrong passwords in a row before the account locks.
    #[arg(
        long,
        env = "KABINET_LOGIN_MAX_FAILURES",
        default_value_t = 5,
        global = true
    )]
    pub login_max_failures: u32,

    /// «Я не робот»: zero bits of SHA-256 the browser must find (each bit doubles the work;
    /// 17 took a median 0.16 s, at most 1.0 s, in 15 tries in headless Chromium here).
    #[arg(long, env = "KABINET_ROBOT_BITS", default_value_t = 17, global = true)]
    pub robot_bits: u8,

    /// Wrong ИКП a specialist may enter in an hour.
    #[arg(
        long,
        env = "KABINET_CODE_MAX_FAILURES",
        default_value_t = 10,
        global = true
    )]
    pub code_max_failures: u32,

    /// Hours after which an activated ИКП the provider has not reviewed is confirmed.
    #[arg(
        long,
        env = "KABINET_CODE_AUTO_CONFIRM_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub code_auto_confirm_hours: u64,

    /// ЗЕТ per five-year cycle.
    #[arg(
        long,
        env = "KABINET_CREDITS_TOTAL",
        default_value_t = 250,
        global = true
    )]
    pub credits_total: u32,

    /// Recommended ЗЕТ per year of a cycle.
    #[arg(
        long,
        env = "KABINET_CREDITS_PER_YEAR",
        default_value_t = 50,
        global = true
    )]
    pub credits_per_year: u32,

    /// Hours of education for periodic accreditation.
    #[arg(
        long,
        env = "KABINET_ACCREDITATION_HOURS",
        default_value_t = 144,
        global = true
    )]
    pub accreditation_hours: u32,

    /// Of those, hours from ДПП ПК at least.
    #[arg(
        long,
        env = "KABINET_ACCREDITATION_PROGRAMME_HOURS",
        default_value_t = 72,
        global = true
    )]
    pub accreditation_programme_hours: u32,

    /// How long a locked account stays locked, minutes.
    #[arg(
        long,
        env = "KABINET_LOGIN_LOCK_MINUTES",
        default_value_t = 10,
        global = true
    )]
    pub login_lock_minutes: u64,

    /// A session ends after this many minutes without requests.
    #[arg(
        long,
        env = "KABINET_SESSION_IDLE_MINUTES",
        default_value_t = 60,
        global = true
    )]
    pub session_idle_minutes: u64,

    /// A session ends this many hours after login, whatever happens.
    #[arg(
        long,
        env = "KABINET_SESSION_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_hours: u64,
}

#[derive(Debug, Clone, Copy, clap::Subcommand)]
pub enum Command {
    /// Migrate, then serve HTTP (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Migrate and load the demo accounts (idempotent).
    SeedDemo,
    /// Write brotli and gzip copies beside the built site's assets (run after the build).
    Precompress,
}

/// Everything `serve` needs, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    pub settings: Settings,
    pub log: String,
}

fn parse_bool(name: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(format!("{name}: ожидается 1 или 0, получено «{other}»")),
    }
}

impl Cli {
    /// # Errors
    /// A message naming the setting and what is wrong with it.
    pub fn config(&self) -> Result<Config, String> {
        let addr: SocketAddr = self.addr.parse().map_err(|_| {
            format!(
                "KABINET_ADDR: «{}» — не адрес вида 127.0.0.1:3000",
                self.addr
            )
        })?;
        let db = self.database_url.trim();
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(format!(
                "DATABASE_URL: поддерживаются sqlite://… и postgres://…, получено «{db}»"
            ));
        }
        let public_url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://"))
            || public_url.len() <= "https://".len()
        {
            return Err(format!(
                "KABINET_PUBLIC_URL: ожидается http://… или https://…, получено «{public_url}»"
            ));
        }
        if let Some(smtp) = &self.smtp_url
            && !(smtp.starts_with("smtp://") || smtp.starts_with("smtps://"))
        {
            return Err(format!(
                "SMTP_URL: ожидается smtp://… или smtps://…, получено «{smtp}»"
            ));
        }
        if self.mail_from.parse::<lettre_address::Mailbox>().is_err() {
            return Err(format!(
                "KABINET_MAIL_FROM: «{}» — не адрес отправителя",
                self.mail_from
            ));
        }
        let demo = parse_bool("KABINET_DEMO", &self.demo)?;
        tracing_subscriber::EnvFilter::try_new(&self.log)
            .map_err(|e| format!("KABINET_LOG: «{}» — {e}", self.log))?;
        if !(1..=100).contains(&self.login_max_failures) {
            return Err("KABINET_LOGIN_MAX_FAILURES: от 1 до 100".into());
        }
        if !(1..=26).contains(&self.robot_bits) {
            return Err("KABINET_ROBOT_BITS: от 1 до 26".into());
        }
        if self.login_lock_minutes == 0 || self.session_idle_minutes == 0 || self.session_hours == 0
        {
            return Err("Сроки блокировки и сеансов должны быть больше нуля".into());
        }
        if !(1..=1000).contains(&self.code_max_failures) {
            return Err("KABINET_CODE_MAX_FAILURES: от 1 до 1000".into());
        }
        if self.code_auto_confirm_hours == 0 {
            return Err("KABINET_CODE_AUTO_CONFIRM_HOURS: больше нуля".into());
        }
        if self.credits_total == 0
            || self.credits_per_year == 0
            || self.accreditation_hours == 0
            || self.accreditation_programme_hours > self.accreditation_hours
        {
            return Err(
                "Нормы ЗЕТ должны быть больше нуля, а часы ДПП ПК — не больше \
                        часов для аккредитации"
                    .into(),
            );
        }
        let policy = Policy {
            code_max_failures: self.code_max_failures,
            code_auto_confirm: Duration::from_secs(self.code_auto_confirm_hours * 3600),
            credit_targets: app::domain::nmo::credits::Targets {
                total: self.credits_total,
                per_year: self.credits_per_year,
                accreditation: self.accreditation_hours,
                accreditation_programmes: self.accreditation_programme_hours,
            },
            login_max_failures: i32::try_from(self.login_max_failures).unwrap_or(5),
            login_lock: Duration::from_secs(self.login_lock_minutes * 60),
            session_idle: Duration::from_secs(self.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(self.session_hours * 3600),
            robot_bits: self.robot_bits,
            ..Policy::default()
        };
        let settings = Settings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            demo,
            data_dir: self.data_dir.clone(),
            smtp_url: self.smtp_url.clone(),
            mail_from: self.mail_from.clone(),
            policy,
        };
        Ok(Config {
            database_url: db.to_owned(),
            addr,
            settings,
            log: self.log.clone(),
        })
    }
}

mod lettre_address {
    pub use app::ssr::mailer::Mailbox;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    fn cli(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("kabinet").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn defaults_are_valid() {
        let c = cli(&[]).config().unwrap();
        assert_eq!(c.settings.public_url, "http://127.0.0.1:3000");
        assert!(!c.settings.secure_cookies);
    }

    #[test]
    fn bad_values_are_named() {
        assert!(
            cli(&["--addr", "nowhere"])
                .config()
                .unwrap_err()
                .starts_with("KABINET_ADDR")
        );
        assert!(
            cli(&["--database-url", "mysql://x"])
                .config()
                .unwrap_err()
                .starts_with("DATABASE_URL")
        );
        assert!(
            cli(&["--public-url", "ftp://x"])
                .config()
                .unwrap_err()
                .starts_with("KABINET_PUBLIC_URL")
        );
        assert!(
            cli(&["--demo", "maybe"])
                .config()
                .unwrap_err()
                .starts_with("KABINET_DEMO")
        );
        assert!(
            cli(&["--smtp-url", "http://x"])
                .config()
                .unwrap_err()
                .starts_with("SMTP_URL")
        );
    }

    #[test]
    fn https_turns_on_secure_cookies() {
        let c = cli(&["--public-url", "https://kabinet.example.ru/"])
            .config()
            .unwrap();
        assert!(c.settings.secure_cookies);
        assert_eq!(c.settings.public_url, "https://kabinet.example.ru");
    }
}
