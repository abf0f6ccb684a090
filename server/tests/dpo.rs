//! ДПО on SQLite and PostgreSQL, over real HTTP: a teacher registers, applies, is rejected with
//! a reason, applies again, is approved, enrolled and finishes; a paid course without approval;
//! withdrawals; the application and enrolment races over two server instances; who may see and
//! change what; the catalogue's filters; and the life cycle in the database against the domain
//! model over a long random walk.

mod common;

use app::domain::dpo::{Action, Funding, Status};
use app::ssr::entities::{
    dpo_application as application, dpo_course as course, dpo_group as group, dpo_school as school,
    dpo_school_member as member, notification, outbox,
};
use app::ssr::seed_dpo::{CITY, SCHOOL};
use app::ssr::service::dpo::{applications, provider, school as head};
use chrono::{DateTime, Datelike as _, TimeDelta, Utc};
use common::{TestApp, TestDb, direct_user, field_names, mail_to, provider_account};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, Set,
};

on_both_databases!(
    a_budget_application_goes_from_registration_to_the_record_book,
    a_paid_course_needs_no_approval_and_withdrawal_frees_the_place,
    places_and_seats_are_never_overfilled_when_requests_race,
    each_side_sees_only_its_own,
    the_catalogue_filters_by_year_search_and_places,
    the_life_cycle_in_the_database_follows_the_model,
    decisions_racing_on_the_same_applications_count_once,
);

async fn school_named(db: &DatabaseConnection, name: &str) -> i64 {
    school::Entity::find()
        .filter(school::Column::Name.eq(name))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn bind(db: &DatabaseConnection, user_id: i64, school_id: i64, kind: &str) {
    member::ActiveModel {
        user_id: Set(user_id),
        school_id: Set(school_id),
        kind: Set(kind.into()),
        position: Set("учитель".into()),
    }
    .insert(db)
    .await
    .unwrap();
}

/// A course of `provider_id` starting in `days` days, with `places`.
async fn course_of(
    db: &DatabaseConnection,
    provider_id: i64,
    code: &str,
    funding: Funding,
    days: i64,
    places: i32,
    now: DateTime<Utc>,
) -> course::Model {
    let today = app::domain::time::moscow_date(now);
    course::ActiveModel {
        provider_id: Set(provider_id),
        code: Set(code.into()),
        title: Set(format!("Курс {code}")),
        description: Set("Программа курса".into()),
        search_text: Set(code.to_lowercase()),
        hours: Set(72),
        format: Set("blended".into()),
        funding: Set(funding.code().into()),
        price: Set(if funding == Funding::Paid { 500_000 } else { 0 }),
        starts_on: Set(today + TimeDelta::days(days)),
        ends_on: Set(today + TimeDelta::days(days + 30)),
        places: Set(places),
        taken: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

async fn group_of(db: &DatabaseConnection, c: &course::Model, number: &str, capacity: i32) -> i64 {
    group::ActiveModel {
        course_id: Set(c.id),
        number: Set(number.into()),
        capacity: Set(capacity),
        enrolled: Set(0),
        starts_on: Set(c.starts_on),
        ends_on: Set(c.ends_on),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn taken(db: &DatabaseConnection, course_id: i64) -> i32 {
    course::Entity::find_by_id(course_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .taken
}

fn id(n: i64) -> String {
    n.to_string()
}

/// The teacher's form for `email` at `school`.
fn teacher_form(email: &str, school: i64) -> Vec<(&'static str, String)> {
    vec![
        ("form[last_name]", "Лебедева".into()),
        ("form[first_name]", "Анна".into()),
        ("form[middle_name]", "Сергеевна".into()),
        ("form[email]", email.into()),
        ("form[phone]", String::new()),
        ("form[school]", school.to_string()),
        ("form[position]", "учитель русского языка".into()),
        ("form[consent_personal_data]", "on".into()),
        ("form[consent_agreement]", "on".into()),
    ]
}

#[allow(clippy::too_many_lines)]
async fn a_budget_application_goes_from_registration_to_the_record_book(t: TestDb) {
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    assert_eq!(
        school::Entity::find().count(&t.db).await.unwrap(),
        4,
        "the demo loads once"
    );
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let db = &app.state.db;
    let school1 = school_named(db, SCHOOL).await;

    // Registration by e-mail at a school from the catalogue, confirmed by the mailed link.
    let guest = app.client();
    let (status, schools) = app.call(&guest, "dpo/schools", &[]).await;
    assert_eq!(status, 200);
    assert!(
        schools
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == SCHOOL && s["city"] == CITY)
    );
    let email = "lebedeva@school1.ru";
    let mut form = teacher_form(email, 999_999);
    form.extend(common::robot_proof(&app, &guest).await);
    let (status, body) = app
        .call(&guest, "auth/register_teacher", &common::pairs(&form))
        .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["school".to_owned()]),
        "{body}"
    );
    let mut form = teacher_form(email, school1);
    form.extend(common::robot_proof(&app, &guest).await);
    let (status, body) = app
        .call(&guest, "auth/register_teacher", &common::pairs(&form))
        .await;
    assert_eq!(status, 200, "{body}");
    let mail = mail_to(db, email, "Подтверждение регистрации")
        .await
        .unwrap();
    assert!(mail.body.contains(SCHOOL), "{}", mail.body);
    let mut again = teacher_form(email, school1);
    again.extend(common::robot_proof(&app, &guest).await);
    let (status, body) = app
        .call(&guest, "auth/register_teacher", &common::pairs(&again))
        .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["email".to_owned()]),
        "{body}"
    );
    let token = common::link_token(&mail.body);
    let (status, _) = app
        .call(&guest, "auth/confirm_registration", &[("token", &token)])
        .await;
    assert_eq!(status, 200);
    let password = common::password_in(&mail_to(db, email, "Логин и пароль").await.unwrap().body);
    let teacher = app.client();
    assert_eq!(
        app.login(&teacher, " Lebedeva@School1.ru ", &password)
            .await,
        200
    );
    let (_, me) = app.call(&teacher, "auth/me", &[]).await;
    assert_eq!(me["role"], "teacher");

    // The school's head and admin, and a provider with a budget course.
    let (head_id, head) = direct_user(&app, "school_head", "head@school1.ru").await;
    bind(db, head_id, school1, "head").await;
    let (admin_id, admin) = direct_user(&app, "school_head", "admin@school1.ru").await;
    bind(db, admin_id, school1, "admin").await;
    let (provider_id, _, prov) = provider_account(&app, "ИРО-тест", "irotest").await;
    let c = course_of(
        db,
        provider_id,
        "ПК-Т-001",
        Funding::Budget,
        10,
        3,
        t.clock.now(),
    )
    .await;
    let (status, body) = app
        .call(
            &prov,
            "dpo/provider/group",
            &[
                ("course_id", &id(c.id)),
                ("form[number]", "1"),
                ("form[capacity]", "0"),
                ("form[starts_on]", &c.starts_on.to_string()),
                ("form[ends_on]", &c.ends_on.to_string()),
            ],
        )
        .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["capacity".to_owned()])
    );
    let group_form = [
        ("course_id", id(c.id)),
        ("form[number]", "1".into()),
        ("form[capacity]", "20".into()),
        ("form[starts_on]", c.starts_on.to_string()),
        ("form[ends_on]", c.ends_on.to_string()),
    ];
    let (status, group_id) = app
        .call(&prov, "dpo/provider/group", &common::pairs(&group_form))
        .await;
    assert_eq!(status, 200, "{group_id}");
    let (status, body) = app
        .call(&prov, "dpo/provider/group", &common::pairs(&group_form))
        .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["number".to_owned()])
    );

    // «Записаться»: a mail to the teacher, and to the head and the admin.
    let (status, body) = app
        .call(&teacher, "dpo/apply", &[("course_id", &id(c.id))])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        mail_to(db, email, "Ваша заявка на курс принята")
            .await
            .is_some()
    );
    for who in ["head@school1.ru@example.ru", "admin@school1.ru@example.ru"] {
        assert!(
            mail_to(db, who, "Заявка педагога ждёт согласования")
                .await
                .is_some(),
            "{who}"
        );
    }
    let (status, body) = app
        .call(&teacher, "dpo/apply", &[("course_id", &id(c.id))])
        .await;
    assert_eq!(status, 422);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("уже подали заявку"),
        "{body}"
    );
    assert_eq!(taken(db, c.id).await, 1);

    // The head sees it waiting and rejects it: a reason is required and reaches the teacher.
    let (status, view) = app.call(&head, "dpo/school", &[]).await;
    assert_eq!(status, 200, "{view}");
    let mine = view["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == email)
        .expect("the teacher's application")
        .clone();
    assert_eq!(mine["status"], "Подана");
    let first = mine["id"].as_i64().unwrap();
    let (status, body) = app
        .call(
            &head,
            "dpo/school/reject",
            &[("application_id", &id(first)), ("reason", "  ")],
        )
        .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["reason".to_owned()])
    );
    let reason = "Нет замены на уроках в эти даты";
    let (status, _) = app
        .call(
            &head,
            "dpo/school/reject",
            &[("application_id", &id(first)), ("reason", reason)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        mail_to(db, email, "Заявка на курс отклонена")
            .await
            .unwrap()
            .body
            .contains(reason)
    );
    assert_eq!(taken(db, c.id).await, 0, "a rejection frees the place");
    let (_, mine) = app.call(&teacher, "dpo/mine", &[]).await;
    assert_eq!(mine["active"].as_array().unwrap().len(), 0);
    assert_eq!(mine["history"][0]["status"], "Отклонена");
    assert_eq!(mine["history"][0]["reason"], reason);
    assert!(
        mine["history"][0]["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["text"].as_str().unwrap().contains(reason))
    );

    // Applied again, approved by the admin; the head's second approval changes nothing.
    let (status, second) = app
        .call(&teacher, "dpo/apply", &[("course_id", &id(c.id))])
        .await;
    assert_eq!(status, 200);
    let second = second.as_i64().unwrap();
    let key = format!("ids[{second}]");
    let (status, done) = app
        .call(&admin, "dpo/school/approve", &[(key.as_str(), "on")])
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (done["done"].as_u64(), done["skipped"].as_u64()),
        (Some(1), Some(0))
    );
    let (_, done) = app
        .call(&head, "dpo/school/approve", &[(key.as_str(), "on")])
        .await;
    assert_eq!(
        (done["done"].as_u64(), done["skipped"].as_u64()),
        (Some(0), Some(1))
    );
    let (status, body) = app.call(&head, "dpo/school/approve", &[]).await;
    assert_eq!((status, field_names(&body)), (422, vec!["ids".to_owned()]));
    assert!(
        mail_to(db, email, "Заявка на курс согласована")
            .await
            .is_some()
    );

    // The provider enrols it into a group of this course only.
    let other = course_of(
        db,
        provider_id,
        "ПК-Т-002",
        Funding::Budget,
        10,
        3,
        t.clock.now(),
    )
    .await;
    let other_group = group_of(db, &other, "1", 5).await;
    let (status, body) = app
        .call(
            &prov,
            "dpo/provider/enrol",
            &[
                ("application_id", &id(second)),
                ("group_id", &id(other_group)),
            ],
        )
        .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["group_id".to_owned()])
    );
    let group_id = group_id.as_i64().unwrap();
    let (status, body) = app
        .call(
            &prov,
            "dpo/provider/enrol",
            &[("application_id", &id(second)), ("group_id", &id(group_id))],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(mail_to(db, email, "Вы зачислены в группу").await.is_some());
    let (_, mine) = app.call(&teacher, "dpo/mine", &[]).await;
    assert_eq!(mine["active"][0]["group"], "ПК-Т-001, группа 1");
    assert_eq!(mine["active"][0]["can_withdraw"], false);
    let (status, body) = app
        .call(&teacher, "dpo/withdraw", &[("application_id", &id(second))])
        .await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap().contains("техподдержку"),
        "{body}"
    );

    // «Закончил(а)» with the document's number: the record book and its PDF.
    let (status, body) = app
        .call(
            &prov,
            "dpo/provider/complete",
            &[("application_id", &id(second)), ("document_number", "")],
        )
        .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["document_number".to_owned()])
    );
    let (status, _) = app
        .call(
            &prov,
            "dpo/provider/complete",
            &[
                ("application_id", &id(second)),
                ("document_number", "7724 00099999"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        mail_to(db, email, "Курс окончен")
            .await
            .unwrap()
            .body
            .contains("7724 00099999")
    );
    let (_, book) = app.call(&teacher, "dpo/record_book", &[]).await;
    assert_eq!(book["rows"][0]["code"], "ПК-Т-001");
    assert_eq!(book["rows"][0]["document_number"], "7724 00099999");
    assert_eq!(book["total_hours"], 72);
    let pdf = teacher
        .get(app.url("/dpo/record-book.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(
        guest
            .get(app.url("/dpo/record-book.pdf"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    // Every transition left a notification; reading them marks them read.
    let teacher_id = me_id(db, email).await;
    let unread = notification::Entity::find()
        .filter(notification::Column::UserId.eq(teacher_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(
        unread, 6,
        "applied, rejected, applied, approved, enrolled, completed"
    );
    let (status, n) = app.call(&teacher, "dpo/notifications/read", &[]).await;
    assert_eq!((status, n.as_u64()), (200, Some(6)));
    let (_, mine) = app.call(&teacher, "dpo/mine", &[]).await;
    assert!(
        mine["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["unread"] == false)
    );
}

async fn me_id(db: &DatabaseConnection, login: &str) -> i64 {
    app::ssr::entities::user::Entity::find()
        .filter(app::ssr::entities::user::Column::Login.eq(login))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A teacher at `school` signed in on `app`.
async fn teacher_at(app: &TestApp, login: &str, school: i64) -> (i64, reqwest::Client) {
    let (id, client) = direct_user(app, "teacher", login).await;
    bind(&app.state.db, id, school, "teacher").await;
    (id, client)
}

async fn a_paid_course_needs_no_approval_and_withdrawal_frees_the_place(t: TestDb) {
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let db = &app.state.db;
    let school1 = school_named(db, SCHOOL).await;
    let (_, a) = teacher_at(&app, "paid-a@school1.ru", school1).await;
    let (_, b) = teacher_at(&app, "paid-b@school1.ru", school1).await;
    let (head_id, head) = direct_user(&app, "school_head", "paid-head@school1.ru").await;
    bind(db, head_id, school1, "head").await;
    let (provider_id, _, prov) = provider_account(&app, "Платный центр", "paidprov").await;
    let c = course_of(
        db,
        provider_id,
        "ПК-П-001",
        Funding::Paid,
        5,
        2,
        t.clock.now(),
    )
    .await;
    let g = group_of(db, &c, "П-1", 10).await;

    let (status, first) = app.call(&a, "dpo/apply", &[("course_id", &id(c.id))]).await;
    assert_eq!(status, 200);
    let first = first.as_i64().unwrap();
    assert!(
        mail_to(
            db,
            "paid-head@school1.ru@example.ru",
            "Заявка педагога ждёт согласования"
        )
        .await
        .is_none(),
        "a paid course asks no approval"
    );
    let (_, view) = app.call(&head, "dpo/school", &[("show", "all")]).await;
    assert!(
        !view.to_string().contains("ПК-П-001"),
        "the head sees budget courses only"
    );
    let key = format!("ids[{first}]");
    let (status, _) = app
        .call(&head, "dpo/school/approve", &[(key.as_str(), "on")])
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .call(
            &prov,
            "dpo/provider/enrol",
            &[("application_id", &id(first)), ("group_id", &id(g))],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The last place: B takes it, withdraws from the card, and the place is free again.
    let (status, second) = app.call(&b, "dpo/apply", &[("course_id", &id(c.id))]).await;
    assert_eq!(status, 200);
    assert_eq!(taken(db, c.id).await, 2);
    let (_, card) = app.call(&b, "dpo/course", &[("id", &id(c.id))]).await;
    assert_eq!(card["obstacle"], "Свободных мест на курсе не осталось");
    assert_eq!(card["mine"]["can_withdraw"], true);
    let (status, _) = app
        .call(
            &b,
            "dpo/withdraw",
            &[
                ("application_id", &id(second.as_i64().unwrap())),
                ("from", "course"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(taken(db, c.id).await, 1);
    assert!(
        mail_to(
            db,
            "paid-b@school1.ru@example.ru",
            "Заявка на курс отозвана"
        )
        .await
        .is_some()
    );
    let (_, mine) = app.call(&b, "dpo/mine", &[]).await;
    assert_eq!(mine["history"][0]["status"], "Отозвана");
    let (status, _) = app
        .call(
            &b,
            "dpo/withdraw",
            &[("application_id", &id(second.as_i64().unwrap()))],
        )
        .await;
    assert_eq!(status, 422, "a second withdrawal");

    // A course that has started takes no applications.
    let started = course_of(
        db,
        provider_id,
        "ПК-П-002",
        Funding::Paid,
        0,
        5,
        t.clock.now(),
    )
    .await;
    let (status, body) = app
        .call(&b, "dpo/apply", &[("course_id", &id(started.id))])
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        "Запись на курс закрыта: обучение уже началось"
    );
}

/// 24 teachers race for 7 places over two server instances; then 12 enrolments race for a
/// group of 5; one teacher racing itself applies once.
async fn places_and_seats_are_never_overfilled_when_requests_race(t: TestDb) {
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    let settings = t.settings();
    let first = TestApp::spawn(t.db.clone(), settings.clone(), &t.clock).await;
    let second = TestApp::spawn(t.reconnect().await, settings, &t.clock).await;
    let db = &first.state.db;
    let school1 = school_named(db, SCHOOL).await;
    let (provider_id, _, prov) = provider_account(&first, "Гонка", "raceprov").await;
    let c = course_of(
        db,
        provider_id,
        "ПК-Г-001",
        Funding::Paid,
        5,
        7,
        t.clock.now(),
    )
    .await;
    let mut teachers = Vec::new();
    for i in 0..24 {
        let app = if i % 2 == 0 { &first } else { &second };
        teachers.push((
            app,
            teacher_at(app, &format!("race{i}@school1.ru"), school1)
                .await
                .1,
        ));
    }
    let mut tasks = Vec::new();
    for (app, client) in &teachers {
        let url = app.url("/api/dpo/apply");
        let client = client.clone();
        let course = id(c.id);
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("course_id", course)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            200 => ok += 1,
            422 => {}
            other => panic!("status {other}"),
        }
    }
    assert_eq!(ok, 7);
    assert_eq!(taken(db, c.id).await, 7);

    // One teacher, eight clicks at once: one application.
    let (_, alone) = teacher_at(&first, "alone@school1.ru", school1).await;
    let roomy = course_of(
        db,
        provider_id,
        "ПК-Г-002",
        Funding::Paid,
        5,
        100,
        t.clock.now(),
    )
    .await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let url = first.url("/api/dpo/apply");
        let client = alone.clone();
        let course = id(roomy.id);
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("course_id", course)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut ok = 0;
    for task in tasks {
        if task.await.unwrap() == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(taken(db, roomy.id).await, 1);

    // Twelve enrolments into a group of five, through both instances.
    let big = course_of(
        db,
        provider_id,
        "ПК-Г-003",
        Funding::Paid,
        5,
        50,
        t.clock.now(),
    )
    .await;
    let g = group_of(db, &big, "1", 5).await;
    let mut apps = Vec::new();
    for (i, (app, client)) in teachers.iter().take(12).enumerate() {
        let (status, a) = app
            .call(client, "dpo/apply", &[("course_id", &id(big.id))])
            .await;
        assert_eq!(status, 200, "{i}: {a}");
        apps.push(a.as_i64().unwrap());
    }
    let prov2 = common::direct_user_session(&second, me_id(db, "raceprov").await)
        .await
        .1;
    let mut tasks = Vec::new();
    for (i, a) in apps.iter().enumerate() {
        let (url, client) = if i % 2 == 0 {
            (first.url("/api/dpo/provider/enrol"), prov.clone())
        } else {
            (second.url("/api/dpo/provider/enrol"), prov2.clone())
        };
        let form = [("application_id", id(*a)), ("group_id", id(g))];
        tasks.push(tokio::spawn(async move {
            let res = client.post(url).form(&form).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap_or_default())
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            (200, _) => ok += 1,
            (422, body) => assert!(body.contains("нет свободных мест"), "{body}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(ok, 5);
    let g = group::Entity::find_by_id(g).one(db).await.unwrap().unwrap();
    assert_eq!(g.enrolled, 5);
    let enrolled = application::Entity::find()
        .filter(application::Column::GroupId.eq(g.id))
        .filter(application::Column::Status.eq("enrolled"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(enrolled, 5);
}

#[allow(clippy::too_many_lines)]
async fn each_side_sees_only_its_own(t: TestDb) {
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let db = &app.state.db;
    let school1 = school_named(db, SCHOOL).await;
    let school2 = school_named(db, "МБОУ «Гимназия № 2»").await;
    let (_, mine) = teacher_at(&app, "own-a@school1.ru", school1).await;
    let (_, stranger) = teacher_at(&app, "own-b@school2.ru", school2).await;
    let (h1, head1) = direct_user(&app, "school_head", "own-head1@school1.ru").await;
    bind(db, h1, school1, "head").await;
    let (h2, head2) = direct_user(&app, "school_head", "own-head2@school2.ru").await;
    bind(db, h2, school2, "head").await;
    let (p1, _, prov1) = provider_account(&app, "Первый", "ownprov1").await;
    let (_, _, prov2) = provider_account(&app, "Второй", "ownprov2").await;
    let c = course_of(db, p1, "ПК-Д-001", Funding::Budget, 10, 10, t.clock.now()).await;
    let g = group_of(db, &c, "1", 10).await;
    let (_, a) = app
        .call(&mine, "dpo/apply", &[("course_id", &id(c.id))])
        .await;
    let a = id(a.as_i64().unwrap());
    let key = format!("ids[{a}]");

    // A head sees and decides only their school's teachers' applications.
    let (_, view) = app.call(&head2, "dpo/school", &[("show", "all")]).await;
    assert!(!view.to_string().contains("own-a@school1.ru"));
    assert_eq!(
        app.call(&head2, "dpo/school/approve", &[(key.as_str(), "on")])
            .await
            .0,
        404
    );
    let reject = [("application_id", a.as_str()), ("reason", "Чужая школа")];
    assert_eq!(app.call(&head2, "dpo/school/reject", &reject).await.0, 404);
    // A bulk approval with one stranger's id approves nothing.
    let (_, other) = app
        .call(&stranger, "dpo/apply", &[("course_id", &id(c.id))])
        .await;
    let other_key = format!("ids[{}]", other.as_i64().unwrap());
    let (status, _) = app
        .call(
            &head1,
            "dpo/school/approve",
            &[(key.as_str(), "on"), (other_key.as_str(), "on")],
        )
        .await;
    assert_eq!(status, 404);
    let first = application::Entity::find_by_id(a.parse::<i64>().unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.status, "submitted");
    assert_eq!(
        app.call(&head1, "dpo/school/approve", &[("ids[abc]", "on")])
            .await
            .0,
        400
    );

    // A teacher touches only their own applications.
    assert_eq!(
        app.call(&stranger, "dpo/withdraw", &[("application_id", &a)])
            .await
            .0,
        404
    );
    for (endpoint, form) in [
        ("dpo/school", vec![]),
        ("dpo/provider/courses", vec![]),
        ("dpo/provider/course", vec![("id", id(c.id))]),
    ] {
        assert_eq!(
            app.call(&mine, endpoint, &common::pairs(&form)).await.0,
            403,
            "{endpoint}"
        );
    }

    // A provider sees and changes only its own courses.
    let (status, list) = app.call(&prov2, "dpo/provider/courses", &[]).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(0)));
    assert_eq!(
        app.call(&prov2, "dpo/provider/course", &[("id", &id(c.id))])
            .await
            .0,
        404
    );
    let group_form = [
        ("course_id", id(c.id)),
        ("form[number]", "2".into()),
        ("form[capacity]", "5".into()),
        ("form[starts_on]", c.starts_on.to_string()),
        ("form[ends_on]", c.ends_on.to_string()),
    ];
    assert_eq!(
        app.call(&prov2, "dpo/provider/group", &common::pairs(&group_form))
            .await
            .0,
        404
    );
    app.call(&head1, "dpo/school/approve", &[(key.as_str(), "on")])
        .await;
    let enrol = [("application_id", a.clone()), ("group_id", id(g))];
    assert_eq!(
        app.call(&prov2, "dpo/provider/enrol", &common::pairs(&enrol))
            .await
            .0,
        404
    );
    assert_eq!(
        app.call(&prov1, "dpo/provider/enrol", &common::pairs(&enrol))
            .await
            .0,
        200
    );
    let complete = [("application_id", a.as_str()), ("document_number", "123")];
    assert_eq!(
        app.call(&prov2, "dpo/provider/complete", &complete).await.0,
        404
    );
    let (status, view) = app
        .call(&prov1, "dpo/provider/course", &[("id", &id(c.id))])
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["enrolled"][0]["group"], "ПК-Д-001, группа 1");
    assert_eq!(
        view["awaiting_approval"], 1,
        "the stranger's application waits for its head"
    );

    // Guests and other roles.
    let guest = app.client();
    for endpoint in [
        "dpo/mine",
        "dpo/record_book",
        "dpo/school",
        "dpo/provider/courses",
    ] {
        assert_eq!(app.call(&guest, endpoint, &[]).await.0, 401, "{endpoint}");
    }
    assert_eq!(app.call(&guest, "dpo/catalogue", &[]).await.0, 200);
    let (status, card) = app.call(&guest, "dpo/course", &[("id", &id(c.id))]).await;
    assert_eq!((status, card["teacher"].as_bool()), (200, Some(false)));
    let (_, parent) = direct_user(&app, "parent", "9900000001").await;
    assert_eq!(
        app.call(&parent, "dpo/apply", &[("course_id", &id(c.id))])
            .await
            .0,
        403
    );
    // A teacher account bound to no school cannot apply.
    let (_, unbound) = direct_user(&app, "teacher", "nobody@school.ru").await;
    assert_eq!(
        app.call(&unbound, "dpo/apply", &[("course_id", &id(c.id))])
            .await
            .0,
        403
    );
    assert_eq!(
        app.call(&mine, "dpo/apply", &[("course_id", "999999")])
            .await
            .0,
        404
    );
}

async fn the_catalogue_filters_by_year_search_and_places(t: TestDb) {
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let guest = app.client();
    let next = (t.clock.today().year() + 1).to_string();
    let codes = |v: &serde_json::Value| -> Vec<String> {
        v["courses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let find = |pairs: Vec<(&'static str, String)>| {
        let app = &app;
        let guest = guest.clone();
        async move {
            let (status, v) = app
                .call(&guest, "dpo/catalogue", &common::pairs(&pairs))
                .await;
            assert_eq!(status, 200, "{v}");
            v
        }
    };
    // What the catalogue of next year must hold, from the seeded rows themselves: at the end
    // of December the seed's «soon» courses start next year too.
    let year: Vec<course::Model> = course::Entity::find()
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.starts_on.year().to_string() == next)
        .collect();
    let expect = |keep: &dyn Fn(&course::Model) -> bool| -> Vec<String> {
        let mut v: Vec<String> = year
            .iter()
            .filter(|c| keep(c))
            .map(|c| c.code.clone())
            .collect();
        v.sort();
        v
    };
    let sorted = |v: &serde_json::Value| -> Vec<String> {
        let mut c = codes(v);
        c.sort();
        c
    };
    let all = find(vec![("query[year]", next.clone())]).await;
    assert!(codes(&all).len() >= 4);
    assert_eq!(sorted(&all), expect(&|_| true));
    assert!(all["years"].as_array().unwrap().len() >= 2);
    let paid = find(vec![
        ("query[year]", next.clone()),
        ("query[funding]", "paid".into()),
    ])
    .await;
    assert!(codes(&paid).contains(&format!("ПК-{next}-003")));
    assert_eq!(sorted(&paid), expect(&|c| c.funding == "paid"));
    let q = find(vec![
        ("query[year]", next.clone()),
        ("query[q]", "НАСТАВНИЧЕСТВО".into()),
    ])
    .await;
    assert_eq!(codes(&q), [format!("ПК-{next}-001")]);
    let by_code = find(vec![
        ("query[year]", next.clone()),
        ("query[q]", format!("пк-{next}-002")),
    ])
    .await;
    assert_eq!(codes(&by_code), [format!("ПК-{next}-002")]);
    let free = find(vec![
        ("query[year]", next.clone()),
        ("query[free]", "1".into()),
    ])
    .await;
    assert!(
        !codes(&free).contains(&format!("ПК-{next}-002")),
        "the full course is left out"
    );
    assert_eq!(sorted(&free), expect(&|c| c.taken < c.places));
    let feb = find(vec![
        ("query[year]", next.clone()),
        ("query[month]", "2".into()),
    ])
    .await;
    assert_eq!(codes(&feb), [format!("ПК-{next}-001")]);
    let distance = find(vec![
        ("query[year]", next.clone()),
        ("query[format]", "distance".into()),
    ])
    .await;
    assert!(codes(&distance).contains(&format!("ПК-{next}-003")));
    assert_eq!(sorted(&distance), expect(&|c| c.format == "distance"));
    let iro = all["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[1] == app::ssr::seed_dpo::IRO)
        .unwrap()[0]
        .as_i64()
        .unwrap();
    let by_provider = find(vec![
        ("query[year]", next.clone()),
        ("query[provider]", id(iro)),
    ])
    .await;
    assert_eq!(sorted(&by_provider), expect(&|c| c.provider_id == iro));
    for (field, value) in [
        ("query[year]", "двадцать"),
        ("query[funding]", "free"),
        ("query[month]", "13"),
        ("query[format]", "zoom"),
        ("query[free]", "yes"),
        ("query[provider]", "x"),
        ("query[page]", "0"),
        ("query[q]", "a\u{0}b"),
    ] {
        let (status, body) = app.call(&guest, "dpo/catalogue", &[(field, value)]).await;
        assert_eq!(status, 400, "{field}={value}: {body}");
    }
    let long = "я".repeat(201);
    assert_eq!(
        app.call(&guest, "dpo/catalogue", &[("query[q]", long.as_str())])
            .await
            .0,
        400
    );
    // The card: groups, places, no «Записаться» for a full course.
    let full = by_code["courses"][0]["id"].as_i64().unwrap();
    let (_, card) = app.call(&guest, "dpo/course", &[("id", &id(full))]).await;
    assert_eq!(card["groups"].as_array().unwrap().len(), 1);
    assert_eq!(card["free"], 0);
    assert_eq!(card["obstacle"], "Свободных мест на курсе не осталось");
    assert_eq!(app.call(&guest, "dpo/course", &[("id", "0")]).await.0, 404);
    assert_eq!(
        app.call(&guest, "dpo/course", &[("id", "abc")]).await.0,
        400
    );
}

/// A tiny deterministic generator, so a failure can be replayed.
struct Walk(u64);

impl Walk {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n as u64).unwrap_or(0)
    }
}

/// 300 random steps by teachers, the head and the provider on a budget and a paid course: each
/// call succeeds exactly when the domain model says it may, and afterwards every application's
/// status, every course's taken places and every group's seats match the model.
#[allow(clippy::too_many_lines)]
async fn the_life_cycle_in_the_database_follows_the_model(t: TestDb) {
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let db = &app.state.db;
    let settings = &app.state.settings;
    let school1 = school_named(db, SCHOOL).await;
    let (head_id, _) = direct_user(&app, "school_head", "walk-head@school1.ru").await;
    bind(db, head_id, school1, "head").await;
    let (provider_id, provider_user, _) = provider_account(&app, "Прогулка", "walkprov").await;
    let courses = [
        course_of(
            db,
            provider_id,
            "ПК-W-B",
            Funding::Budget,
            10,
            3,
            t.clock.now(),
        )
        .await,
        course_of(
            db,
            provider_id,
            "ПК-W-P",
            Funding::Paid,
            10,
            3,
            t.clock.now(),
        )
        .await,
    ];
    let groups = [
        group_of(db, &courses[0], "1", 2).await,
        group_of(db, &courses[1], "1", 2).await,
    ];
    let mut teachers = Vec::new();
    for i in 0..4 {
        teachers.push(
            teacher_at(&app, &format!("walk{i}@school1.ru"), school1)
                .await
                .0,
        );
    }
    // The model: each (teacher, course) has its latest application's status.
    let mut model: std::collections::HashMap<(usize, usize), (i64, Status)> =
        std::collections::HashMap::new();
    let mut walk = Walk(0x9E37_79B9_7F4A_7C15);
    let mut reached = std::collections::HashSet::new();
    for _ in 0..300 {
        let (ti, ci) = (walk.next(teachers.len()), walk.next(2));
        let funding = if ci == 0 {
            Funding::Budget
        } else {
            Funding::Paid
        };
        let c = &courses[ci];
        let current = model.get(&(ti, ci)).copied();
        match walk.next(6) {
            0 => {
                let on_course = model
                    .iter()
                    .filter(|((_, c2), (_, s))| *c2 == ci && s.is_live())
                    .count();
                let may = current.is_none_or(|(_, s)| !s.is_live()) && on_course < 3;
                let got =
                    applications::apply(db, settings, teachers[ti], c.id, t.clock.now()).await;
                assert_eq!(got.is_ok(), may, "apply {ti}/{ci}: {got:?}");
                if let Ok(a) = got {
                    model.insert((ti, ci), (a, Status::Submitted));
                }
            }
            step => {
                let Some((a, s)) = current else { continue };
                let action = [
                    Action::Approve,
                    Action::Reject,
                    Action::Withdraw,
                    Action::Enrol,
                    Action::Complete,
                ][step - 1];
                let expected = action.next(s, funding);
                let seats_left = {
                    let g = group::Entity::find_by_id(groups[ci])
                        .one(db)
                        .await
                        .unwrap()
                        .unwrap();
                    g.enrolled < g.capacity
                };
                let got = match action {
                    Action::Approve => head::approve(db, settings, head_id, &[a], t.clock.now())
                        .await
                        .map(|d| d.done == 1),
                    Action::Reject => {
                        head::reject(db, settings, head_id, a, "Причина", t.clock.now())
                            .await
                            .map(|()| true)
                    }
                    Action::Withdraw => {
                        applications::withdraw(db, settings, teachers[ti], a, t.clock.now())
                            .await
                            .map(|_| true)
                    }
                    Action::Enrol => {
                        provider::enrol(db, settings, provider_user, a, groups[ci], t.clock.now())
                            .await
                            .map(|_| true)
                    }
                    Action::Complete => {
                        provider::complete(db, settings, provider_user, a, "77 001", t.clock.now())
                            .await
                            .map(|_| true)
                    }
                };
                let allowed = match action {
                    // A head cannot see a paid course's applications at all.
                    Action::Approve | Action::Reject if funding == Funding::Paid => {
                        assert!(
                            matches!(got, Err(app::error::AppError::NotFound)),
                            "{got:?}"
                        );
                        continue;
                    }
                    Action::Enrol => expected.is_ok() && seats_left,
                    _ => expected.is_ok(),
                };
                assert_eq!(
                    got.as_ref().is_ok_and(|b| *b),
                    allowed,
                    "{action:?} from {s:?}: {got:?}"
                );
                if allowed {
                    reached.insert(action.target());
                    model.insert((ti, ci), (a, action.target()));
                }
            }
        }
    }
    assert_eq!(
        reached.len(),
        5,
        "the walk took every step at least once: {reached:?}"
    );
    for ((_, _), (a, s)) in &model {
        let row = application::Entity::find_by_id(*a)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, s.code(), "application {a}");
    }
    for (ci, c) in courses.iter().enumerate() {
        let live = model
            .iter()
            .filter(|((_, c2), (_, s))| *c2 == ci && s.is_live())
            .count();
        assert_eq!(
            usize::try_from(taken(db, c.id).await).unwrap(),
            live,
            "course {ci}"
        );
        let seated = model
            .iter()
            .filter(|((_, c2), (_, s))| {
                *c2 == ci && matches!(s, Status::Enrolled | Status::Completed)
            })
            .count();
        let g = group::Entity::find_by_id(groups[ci])
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(usize::try_from(g.enrolled).unwrap(), seated, "group {ci}");
    }
    // Every transition wrote its mail in the same transaction.
    let mails = outbox::Entity::find().count(db).await.unwrap();
    assert!(mails > 0);
}

/// The interleavings the counters depend on, over two connection pools: the head and an admin
/// approving overlapping sets; the teacher withdrawing while the head and the admin reject; one
/// application enrolled into two groups at once. Each application moves once, each place is
/// freed once, each seat taken once.
#[allow(clippy::too_many_lines)]
async fn decisions_racing_on_the_same_applications_count_once(t: TestDb) {
    app::ssr::seed_dpo::seed_dpo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let db = app.state.db.clone();
    let other = t.reconnect().await;
    let settings = app.state.settings.clone();
    let school1 = school_named(&db, SCHOOL).await;
    let (head_id, _) = direct_user(&app, "school_head", "race-head@school1.ru").await;
    bind(&db, head_id, school1, "head").await;
    let (admin_id, _) = direct_user(&app, "school_head", "race-admin@school1.ru").await;
    bind(&db, admin_id, school1, "admin").await;
    let (provider_id, provider_user, _) =
        provider_account(&app, "Гонка решений", "raceprov2").await;
    let c = course_of(
        &db,
        provider_id,
        "ПК-R-001",
        Funding::Budget,
        10,
        20,
        t.clock.now(),
    )
    .await;
    let ga = group_of(&db, &c, "А", 10).await;
    let gb = group_of(&db, &c, "Б", 10).await;
    let mut teachers = Vec::new();
    let mut apps = Vec::new();
    for i in 0..8 {
        let (tid, _) = teacher_at(&app, &format!("decide{i}@school1.ru"), school1).await;
        apps.push(
            applications::apply(&db, &settings, tid, c.id, t.clock.now())
                .await
                .unwrap(),
        );
        teachers.push(tid);
    }
    assert_eq!(taken(&db, c.id).await, 8);

    // The head approves all eight while the admin approves the odd ones and then the even ones.
    let odd: Vec<i64> = apps.iter().copied().skip(1).step_by(2).collect();
    let even: Vec<i64> = apps.iter().copied().step_by(2).collect();
    let mut tasks = Vec::new();
    for (who, ids, pool) in [
        (head_id, apps.clone(), db.clone()),
        (admin_id, odd, other.clone()),
        (admin_id, even, other.clone()),
    ] {
        let settings = settings.clone();
        let clock = t.clock.clone();
        tasks.push(tokio::spawn(async move {
            head::approve(&pool, &settings, who, &ids, clock.now()).await
        }));
    }
    let mut done = 0;
    for task in tasks {
        let a = task.await.unwrap().expect("approve");
        done += a.done;
    }
    assert_eq!(done, 8, "each application approved once");
    for tid in &teachers {
        let login = format!(
            "{}@example.ru",
            app::ssr::entities::user::Entity::find_by_id(*tid)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .login
        );
        assert_eq!(
            common::mails_with_subject(&db, "Заявка на курс согласована")
                .await
                .iter()
                .filter(|m| m.recipient == login)
                .count(),
            1,
            "{login}"
        );
    }

    // Withdrawal against two rejections, for the first four.
    let mut tasks = Vec::new();
    for (i, a) in apps.iter().copied().take(4).enumerate() {
        let teacher = teachers[i];
        for actor in 0..3 {
            let pool = if actor == 1 {
                other.clone()
            } else {
                db.clone()
            };
            let settings = settings.clone();
            let clock = t.clock.clone();
            tasks.push(tokio::spawn(async move {
                let r = match actor {
                    0 => applications::withdraw(&pool, &settings, teacher, a, clock.now())
                        .await
                        .map(|_| ()),
                    1 => head::reject(&pool, &settings, head_id, a, "Гонка", clock.now()).await,
                    _ => head::reject(&pool, &settings, admin_id, a, "Гонка", clock.now()).await,
                };
                (a, r)
            }));
        }
    }
    let mut moved: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    for task in tasks {
        let (a, r) = task.await.unwrap();
        match r {
            Ok(()) => *moved.entry(a).or_default() += 1,
            Err(app::error::AppError::Domain(_)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert!(
        apps.iter().take(4).all(|a| moved.get(a) == Some(&1)),
        "{moved:?}"
    );
    assert_eq!(taken(&db, c.id).await, 4, "four places freed, each once");

    // The other four, each enrolled into both groups at once.
    let mut tasks = Vec::new();
    for a in apps.iter().copied().skip(4) {
        for (g, pool) in [(ga, db.clone()), (gb, other.clone())] {
            let settings = settings.clone();
            let clock = t.clock.clone();
            tasks.push(tokio::spawn(async move {
                provider::enrol(&pool, &settings, provider_user, a, g, clock.now())
                    .await
                    .is_ok()
            }));
        }
    }
    let mut ok = 0;
    for task in tasks {
        if task.await.unwrap() {
            ok += 1;
        }
    }
    assert_eq!(ok, 4);
    let seats: i32 = group::Entity::find()
        .filter(group::Column::CourseId.eq(c.id))
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|g| g.enrolled)
        .sum();
    assert_eq!(seats, 4, "each enrolled application holds one seat");
    assert_eq!(taken(&db, c.id).await, 4);
}
