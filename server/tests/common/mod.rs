//! Test harness: a fresh database per test (a SQLite file, or a PostgreSQL schema when
//! TEST_DATABASE_URL is set) and the real router on a random port.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use app::ssr::clock::Clock;
use app::ssr::settings::Settings;
use app::ssr::state::AppState;
use sea_orm::{ConnectionTrait, DatabaseConnection};

pub struct TestDb {
    pub db: DatabaseConnection,
    pub url: String,
    pub kind: &'static str,
    pub dir: PathBuf,
    /// The test's own clock: it stands still until the test moves it.
    pub clock: Clock,
}

/// Where a test's clock starts: `KABINET_TEST_NOW` (RFC 3339, e.g. `2026-12-31T23:30:00+03:00`)
/// so that the suite can be run on a chosen date, or else the real time.
///
/// # Panics
/// On a value that is not an RFC 3339 instant.
pub fn start_instant() -> DateTime<Utc> {
    match std::env::var("KABINET_TEST_NOW") {
        Ok(v) if !v.trim().is_empty() => chrono::DateTime::parse_from_rfc3339(v.trim())
            .unwrap_or_else(|e| panic!("KABINET_TEST_NOW={v}: {e}"))
            .with_timezone(&chrono::Utc),
        _ => Clock::system().now(),
    }
}

fn test_clock() -> Clock {
    Clock::manual(start_instant())
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kabinet-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = temp_dir();
        let url = format!("sqlite://{}/test.db?mode=rwc", dir.display());
        let db = kabinet::open_database(&url).await.expect("sqlite");
        Self {
            db,
            url,
            kind: "sqlite",
            dir,
            clock: test_clock(),
        }
    }

    /// A schema of its own on the PostgreSQL server in TEST_DATABASE_URL, or `None`.
    pub async fn postgres() -> Option<Self> {
        let base = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = app::ssr::db::connect(&base)
            .await
            .expect("postgres admin connection");
        admin
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("create schema");
        admin.close().await.ok();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        let db = kabinet::open_database(&url).await.expect("postgres");
        Some(Self {
            db,
            url,
            kind: "postgres",
            dir: temp_dir(),
            clock: test_clock(),
        })
    }

    /// A second connection pool on the same database, as another instance would have.
    pub async fn reconnect(&self) -> DatabaseConnection {
        kabinet::open_database(&self.url)
            .await
            .expect("second pool")
    }

    pub fn settings(&self) -> Settings {
        let mut s = Settings::for_tests(self.dir.clone());
        s.public_url = "http://127.0.0.1:3000".into();
        s
    }
}

/// Every SQL statement a connection runs, in order: attach it before the connection is cloned
/// into the app (a clone made earlier does not report).
#[derive(Clone, Default)]
pub struct StatementLog(Arc<Mutex<Vec<String>>>);

impl StatementLog {
    pub fn attach(db: &mut DatabaseConnection) -> Self {
        let log = Self::default();
        let sink = log.0.clone();
        db.set_metric_callback(move |info| {
            sink.lock()
                .expect("statement log")
                .push(info.statement.sql.clone());
        });
        log
    }

    /// The statements run since the last call.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("statement log"))
    }
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
}

impl TestApp {
    /// Starts the real router on 127.0.0.1:0 over `db`, telling the time by `clock`.
    pub async fn spawn(db: DatabaseConnection, settings: Settings, clock: &Clock) -> Self {
        Self::spawn_with_site(db, settings, clock, None).await
    }

    /// Like `spawn`, serving the built site (assets, service worker) in `site_root`.
    pub async fn spawn_with_site(
        db: DatabaseConnection,
        settings: Settings,
        clock: &Clock,
        site_root: Option<&std::path::Path>,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let robot_key = app::ssr::robot::RobotKey::load_or_create(&db)
            .await
            .expect("robot key");
        let state = AppState {
            db,
            settings: Arc::new(settings),
            leptos_options: {
                let mut options = kabinet::leptos_options(addr).expect("leptos options");
                if let Some(root) = site_root {
                    options.site_root = root.to_string_lossy().into_owned().into();
                }
                options
            },
            robot_key,
            clock: clock.clone(),
        };
        let router = kabinet::routes::router(state.clone());
        tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serve");
        });
        Self {
            base: format!("http://{addr}"),
            state,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client: keeps cookies, sends our Origin.
    pub fn client(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, self.base.parse().expect("origin"));
        headers.insert("sec-fetch-site", "same-origin".parse().expect("header"));
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Calls a server function with form-encoded arguments.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let res = client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, json)
    }
}

impl TestApp {
    /// Signs `client` in; returns the status.
    pub async fn login(&self, client: &reqwest::Client, login: &str, password: &str) -> u16 {
        self.call(
            client,
            "auth/login",
            &[("login", login), ("password", password)],
        )
        .await
        .0
    }
}

/// Borrowed pairs of an owned form, as `TestApp::call` takes them.
pub fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The fields a validation error names, in order.
pub fn field_names(body: &serde_json::Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The newest outbox mail to `to` with `subject` in its subject line.
pub async fn mail_to(
    db: &DatabaseConnection,
    to: &str,
    subject: &str,
) -> Option<app::ssr::entities::outbox::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    app::ssr::entities::outbox::Entity::find()
        .filter(app::ssr::entities::outbox::Column::Recipient.eq(to))
        .filter(app::ssr::entities::outbox::Column::Subject.contains(subject))
        .order_by_desc(app::ssr::entities::outbox::Column::Id)
        .one(db)
        .await
        .expect("outbox")
}

pub fn link_token(body: &str) -> String {
    let start = body.find("token=").expect("token in mail") + "token=".len();
    body[start..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned()
}

pub fn password_in(body: &str) -> String {
    let start = body.find("Пароль: ").expect("password in mail") + "Пароль: ".len();
    body[start..]
        .split_whitespace()
        .next()
        .expect("password")
        .to_owned()
}

/// A valid СНИЛС from a number, with its check digits.
pub fn snils(n: u32) -> String {
    let nine = format!("{:09}", 100_000_000 + n);
    let digits: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits.iter().zip((1..=9).rev()).map(|(d, w)| d * w).sum();
    let control = match sum {
        s if s < 100 => s,
        100 | 101 => 0,
        s => match s % 101 {
            100 => 0,
            r => r,
        },
    };
    format!(
        "{}-{}-{} {control:02}",
        &nine[0..3],
        &nine[3..6],
        &nine[6..9]
    )
}

pub fn registration(snils: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[snils]", snils.to_owned()),
        ("form[last_name]", "Кузнецова".into()),
        ("form[first_name]", "Ольга".into()),
        ("form[middle_name]", "Игоревна".into()),
        ("form[citizenship]", "RU".into()),
        ("form[region]", "78".into()),
        ("form[sex]", "female".into()),
        ("form[birth_date]", "1990-01-15".into()),
        ("form[email]", email.to_owned()),
        ("form[phone]", "+7 921 000-11-22".into()),
        ("form[consent_personal_data]", "on".into()),
        ("form[consent_agreement]", "on".into()),
    ]
}

/// A solved «Я не робот» challenge, as the browser would post it.
pub async fn robot_proof(app: &TestApp, client: &reqwest::Client) -> Vec<(&'static str, String)> {
    let (status, challenge) = app.call(client, "auth/robot_challenge", &[]).await;
    assert_eq!(status, 200, "challenge: {challenge}");
    let token = challenge["token"].as_str().expect("token").to_owned();
    let bits = u8::try_from(challenge["bits"].as_u64().expect("bits")).expect("bits");
    let nonce = app::domain::robot::solve(&token, bits);
    vec![("robot[token]", token), ("robot[nonce]", nonce.to_string())]
}

/// The registration form with a solved robot check.
pub async fn registration_with_proof(
    app: &TestApp,
    client: &reqwest::Client,
    snils: &str,
    email: &str,
) -> Vec<(&'static str, String)> {
    let mut form = registration(snils, email);
    form.extend(robot_proof(app, client).await);
    form
}

/// Registers, confirms and returns the mailed password.
pub async fn registered_specialist(app: &TestApp, snils: &str, email: &str) -> String {
    let client = app.client();
    let form = registration_with_proof(app, &client, snils, email).await;
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call(&client, "auth/register_specialist", &pairs).await;
    assert_eq!(status, 200, "register: {body}");
    let mail = mail_to(&app.state.db, email, "Подтверждение регистрации")
        .await
        .expect("confirmation mail");
    let token = link_token(&mail.body);
    let (status, body) = app
        .call(&client, "auth/confirm_registration", &[("token", &token)])
        .await;
    assert_eq!(status, 200, "confirm: {body}");
    let mail = mail_to(&app.state.db, email, "Логин и пароль")
        .await
        .expect("credentials mail");
    password_in(&mail.body)
}

/// Runs each named `async fn(TestDb)` on SQLite, and on PostgreSQL when it is configured.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name($crate::common::TestDb::sqlite().await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    match $crate::common::TestDb::postgres().await {
                        Some(db) => super::$name(db).await,
                        None => eprintln!("TEST_DATABASE_URL не задан: пропущено"),
                    }
                }
            }
        )*
    };
}

/// A user made straight in the database (no mail, no password) and a client signed in as them
/// through a real session cookie: for tests that need many users fast.
pub async fn direct_user(app: &TestApp, role: &str, login: &str) -> (i64, reqwest::Client) {
    use sea_orm::{ActiveModelTrait as _, Set};
    let db = &app.state.db;
    let u = app::ssr::entities::user::ActiveModel {
        role: Set(role.into()),
        login: Set(login.into()),
        status: Set("active".into()),
        last_name: Set("Тестова".into()),
        first_name: Set(format!("Участница{}", login.len())),
        middle_name: Set(Some("Ивановна".into())),
        email: Set(format!("{login}@example.ru")),
        failed_logins: Set(0),
        created_at: Set(app.state.clock.now()),
        confirmed_at: Set(Some(app.state.clock.now())),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("user");
    direct_user_session(app, u.id).await
}

/// A client signed in as `user_id` through a fresh session cookie for `app`.
pub async fn direct_user_session(app: &TestApp, user_id: i64) -> (i64, reqwest::Client) {
    let token = app::ssr::session::create(
        &app.state.db,
        &app.state.settings,
        user_id,
        app.state.clock.now(),
    )
    .await
    .expect("session");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, app.base.parse().expect("origin"));
    headers.insert("sec-fetch-site", "same-origin".parse().expect("header"));
    headers.insert(
        reqwest::header::COOKIE,
        format!("{}={token}", app::ssr::session::COOKIE_NAME)
            .parse()
            .expect("cookie"),
    );
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (user_id, client)
}

/// A specialist with the agreement accepted, ВО chosen and a «Терапия» certificate, so the
/// current cycle is for «Терапия» and started on 20.06.2024.
pub async fn specialist_with_cycle(app: &TestApp, login: &str) -> (i64, reqwest::Client) {
    let date = |m, d| chrono::NaiveDate::from_ymd_opt(2024, m, d).expect("a date");
    specialist_certified(app, login, date(6, 10), date(6, 20)).await
}

/// A specialist with the agreement accepted, ВО chosen and a «Терапия» certificate of an exam
/// passed on `exam` and issued on `issued`, whose cycle is the one the plan shows.
pub async fn specialist_certified(
    app: &TestApp,
    login: &str,
    exam: chrono::NaiveDate,
    issued: chrono::NaiveDate,
) -> (i64, reqwest::Client) {
    use app::ssr::service::nmo;
    let (id, client) = direct_user(app, "specialist", login).await;
    let db = &app.state.db;
    nmo::accept_agreement(db, id, app.state.clock.now())
        .await
        .expect("agreement");
    nmo::set_levels(db, id, true, false).await.expect("levels");
    let form = app::domain::nmo::documents::DocumentForm {
        kind: "certificate".into(),
        specialty: "Терапия".into(),
        organisation: "ФГАОУ ВО Первый МГМУ им. И. М. Сеченова Минздрава России".into(),
        series: "017718".into(),
        number: "0456123".into(),
        protocol_date: String::new(),
        exam_date: exam.format("%Y-%m-%d").to_string(),
        issue_date: issued.format("%Y-%m-%d").to_string(),
        confirm_data: Some("on".into()),
        confirm_own: Some("on".into()),
    };
    nmo::add_document(db, id, &form, app.state.clock.now())
        .await
        .expect("document");
    (id, client)
}

/// An approved provider with its own account; returns the provider row's id, the user's id
/// and a signed-in client.
pub async fn provider_account(
    app: &TestApp,
    name: &str,
    login: &str,
) -> (i64, i64, reqwest::Client) {
    use sea_orm::{ActiveModelTrait as _, Set};
    let (user_id, client) = direct_user(app, "provider", login).await;
    let p = app::ssr::entities::provider::ActiveModel {
        name: Set(name.into()),
        contact_person: Set("Иванов Иван Иванович".into()),
        email: Set(format!("{login}@example.ru")),
        phone: Set("+79160000000".into()),
        status: Set("approved".into()),
        user_id: Set(Some(user_id)),
        created_at: Set(app.state.clock.now()),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .expect("provider");
    (p.id, user_id, client)
}

/// Publishes an element for «Терапия» owned by `provider_id`; returns its id.
pub async fn publish(
    app: &TestApp,
    provider_id: i64,
    kind: app::domain::nmo::plan::ElementKind,
    title: &str,
    credits: i32,
    questions: Vec<(String, Vec<(String, bool)>)>,
) -> i64 {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 10).expect("date");
    let on = (kind != app::domain::nmo::plan::ElementKind::Module).then_some(day);
    publish_on(app, provider_id, (kind, title, credits), questions, on).await
}

/// Publishes an element for «Терапия» owned by `provider_id`, held on `on` (an event's day,
/// `None` for a module); returns its id.
pub async fn publish_on(
    app: &TestApp,
    provider_id: i64,
    (kind, title, credits): (app::domain::nmo::plan::ElementKind, &str, i32),
    questions: Vec<(String, Vec<(String, bool)>)>,
    on: Option<chrono::NaiveDate>,
) -> i64 {
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
    let db = &app.state.db;
    let owner = app::ssr::entities::provider::Entity::find_by_id(provider_id)
        .one(db)
        .await
        .expect("provider")
        .expect("provider row");
    let therapy = app::ssr::entities::specialty::Entity::find()
        .filter(app::ssr::entities::specialty::Column::Name.eq("Терапия"))
        .one(db)
        .await
        .expect("specialty")
        .expect("Терапия");
    let draft = app::ssr::service::provider::Draft {
        kind,
        title: title.into(),
        summary: "Описание".into(),
        content: "Содержание".into(),
        credits,
        format: "online".into(),
        place: None,
        starts_on: on,
        ends_on: on,
        pass_percent: 70,
        specialties: vec![therapy.id],
        questions,
        runs: Vec::new(),
    };
    app::ssr::service::provider::insert_element(db, &owner, &draft, app.state.clock.now())
        .await
        .expect("element")
}

/// Every mail in the outbox (sent or not) with `subject`.
pub async fn mails_with_subject(
    db: &DatabaseConnection,
    subject: &str,
) -> Vec<app::ssr::entities::outbox::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    app::ssr::entities::outbox::Entity::find()
        .filter(app::ssr::entities::outbox::Column::Subject.eq(subject))
        .all(db)
        .await
        .expect("outbox")
}
