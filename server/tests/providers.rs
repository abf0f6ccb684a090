//! Organisations becoming providers over HTTP on SQLite and PostgreSQL: the public application
//! with scans checked by content, the operator's review (once, under racing clicks), the
//! credentials mailed and used, and who may see what.

mod common;

use std::sync::Arc;

use common::{TestApp, TestDb, direct_user, mails_with_subject, password_in};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

on_both_databases!(
    an_organisation_applies_and_signs_in_once_approved,
    bad_applications_are_refused_field_by_field,
    a_rejected_organisation_learns_why_and_may_apply_again,
    racing_approvals_make_one_account,
    only_the_operator_sees_applications_and_scans,
);

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

fn form(name: &str, email: &str, scans: Vec<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new()
        .text("name", name.to_owned())
        .text("contact_person", "Смирнова Анна Викторовна")
        .text("email", email.to_owned())
        .text("phone", "+7 (495) 123-45-67");
    for (file, bytes) in scans {
        form = form.part(
            "scans",
            Part::bytes(bytes)
                .file_name(file.to_owned())
                .mime_str("application/octet-stream")
                .unwrap(),
        );
    }
    form
}

/// Sends the form with a solved robot check.
async fn apply(app: &TestApp, form: Form) -> (u16, Value) {
    let client = app.client();
    let mut form = form;
    for (name, value) in common::robot_proof(app, &client).await {
        form = form.text(name, value);
    }
    send(app, &client, form).await
}

async fn send(app: &TestApp, client: &reqwest::Client, form: Form) -> (u16, Value) {
    let res = client
        .post(app.url("/api/providers/apply"))
        .multipart(form)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn admin(app: &TestApp) -> reqwest::Client {
    direct_user(app, "admin", "operator").await.1
}

async fn review(
    app: &TestApp,
    who: &reqwest::Client,
    id: i64,
    decision: &str,
    reason: &str,
) -> u16 {
    app.call(
        who,
        "providers/review",
        &[
            ("id", &id.to_string()),
            ("decision", decision),
            ("reason", reason),
        ],
    )
    .await
    .0
}

fn messages(body: &Value, field: &str) -> Vec<String> {
    body["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["field"] == field)
        .map(|f| f["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn an_organisation_applies_and_signs_in_once_approved(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (status, id) = apply(
        &app,
        form(
            "ООО «Учебный центр Здоровье»",
            "Center@Example.ru",
            vec![("egrul.pdf", PDF.to_vec()), ("licence.png", PNG.to_vec())],
        ),
    )
    .await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().expect("application number");
    let accepted = mails_with_subject(&t.db, "Заявка организации принята").await;
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].recipient, "center@example.ru");
    assert!(accepted[0].body.contains(&format!("номером {id}")));

    // The same name cannot apply twice while the first application waits.
    let (status, body) = apply(
        &app,
        form(
            "ООО  «Учебный центр Здоровье» ",
            "other@example.ru",
            vec![("a.pdf", PDF.to_vec())],
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        messages(&body, "name"),
        ["Организация с таким названием уже зарегистрирована или подала заявку"]
    );

    // The operator sees the application with its scans, exactly as uploaded.
    let operator = admin(&app).await;
    let (status, list) = app.call(&operator, "providers/pending", &[]).await;
    assert_eq!(status, 200, "{list}");
    let mine = &list[0];
    assert_eq!(mine["name"], "ООО «Учебный центр Здоровье»");
    assert_eq!(mine["contact_person"], "Смирнова Анна Викторовна");
    assert_eq!(mine["phone"], "+7 495 123-45-67");
    let scans = mine["scans"].as_array().unwrap();
    assert_eq!(scans.len(), 2);
    assert_eq!(scans[0]["name"], "egrul.pdf");
    let res = operator
        .get(app.url(&format!("/admin/providers/scans/{}", scans[0]["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);

    // Approved: the credentials arrive and open the provider's cabinet.
    assert_eq!(review(&app, &operator, id, "approve", "").await, 200);
    assert_eq!(review(&app, &operator, id, "approve", "").await, 422);
    assert_eq!(review(&app, &operator, id, "reject", "поздно").await, 422);
    let (_, list) = app.call(&operator, "providers/pending", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    let creds = mails_with_subject(&t.db, "Логин и пароль для входа в кабинет поставщика").await;
    assert_eq!(creds.len(), 1);
    assert!(
        creds[0].body.contains("Логин: center@example.ru"),
        "{}",
        creds[0].body
    );
    let password = password_in(&creds[0].body);
    let provider = app.client();
    assert_eq!(
        app.login(&provider, "center@example.ru", &password).await,
        200
    );
    let (status, elements) = app.call(&provider, "provider/elements", &[]).await;
    assert_eq!((status, elements), (200, serde_json::json!([])));
}

async fn bad_applications_are_refused_field_by_field(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    // Nothing filled in: every field says what is missing.
    let (status, body) = apply(
        &app,
        Form::new()
            .text("name", "")
            .text("contact_person", "Смирнова")
            .text("email", "почта")
            .text("phone", "12"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    for field in ["name", "contact_person", "email", "phone", "scans"] {
        assert_eq!(messages(&body, field).len(), 1, "{field}: {body}");
    }
    assert_eq!(
        messages(&body, "contact_person"),
        ["Укажите фамилию, имя и отчество (если есть) ответственного лица"]
    );
    // The type is read from the content, whatever the name says.
    let (status, body) = apply(
        &app,
        form(
            "АНО ДПО «Ромашка»",
            "a@example.ru",
            vec![
                ("scan.pdf", b"MZ\x90\x00 not a pdf".to_vec()),
                ("empty.png", Vec::new()),
            ],
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        messages(&body, "scans"),
        [
            "«scan.pdf»: Можно приложить только PDF, JPEG или PNG",
            "«empty.png»: Файл пуст"
        ]
    );
    // Four files, or one over 10 MB, are refused before anything is stored.
    let four = (0..4)
        .map(|i| (["a.pdf", "b.pdf", "c.pdf", "d.pdf"][i], PDF.to_vec()))
        .collect();
    let (status, body) = apply(&app, form("АНО ДПО «Ромашка»", "a@example.ru", four)).await;
    assert_eq!(status, 422);
    assert_eq!(messages(&body, "scans"), ["Не больше 3 файлов"]);
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, body) = apply(
        &app,
        form("АНО ДПО «Ромашка»", "a@example.ru", vec![("big.pdf", big)]),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(messages(&body, "scans"), ["«big.pdf»: файл больше 10 МБ"]);
    // Three files of almost 10 MB each fit.
    let mut large = PDF.to_vec();
    large.resize(10 * 1024 * 1024 - 10, b' ');
    let three = vec![
        ("1.pdf", large.clone()),
        ("2.pdf", large.clone()),
        ("3.pdf", large),
    ];
    let (status, body) = apply(&app, form("АНО ДПО «Ромашка»", "a@example.ru", three)).await;
    assert_eq!(status, 200, "{body}");
    // Without the robot check: named, and nothing stored.
    let (status, body) = send(
        &app,
        &app.client(),
        form(
            "АНО ДПО «Без проверки»",
            "b@example.ru",
            vec![("a.pdf", PDF.to_vec())],
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(messages(&body, "robot").len(), 1, "{body}");
    // Control characters are refused by name, not stored.
    let (status, body) = apply(
        &app,
        form(
            "АНО ДПО\u{0}«Ноль»",
            "c@example.ru",
            vec![("a.pdf", PDF.to_vec())],
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        messages(&body, "name"),
        ["Уберите служебные символы: в названии есть невидимые управляющие знаки"]
    );
    // Not a multipart form at all.
    let res = app
        .client()
        .post(app.url("/api/providers/apply"))
        .form(&[("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        mails_with_subject(&t.db, "Заявка организации принята")
            .await
            .len(),
        1
    );
}

async fn a_rejected_organisation_learns_why_and_may_apply_again(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let operator = admin(&app).await;
    let name = "ЧОУ ДПО «Медицинский колледж»";
    let (_, id) = apply(
        &app,
        form(name, "college@example.ru", vec![("a.pdf", PDF.to_vec())]),
    )
    .await;
    let id = id.as_i64().unwrap();
    let (status, body) = app
        .call(
            &operator,
            "providers/review",
            &[
                ("id", &id.to_string()),
                ("decision", "reject"),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        messages(&body, "reason"),
        ["Напишите причину: её получит организация"]
    );
    assert_eq!(
        review(
            &app,
            &operator,
            id,
            "reject",
            "Нет лицензии на образовательную деятельность"
        )
        .await,
        200
    );
    let rejected = mails_with_subject(&t.db, "Заявка организации отклонена").await;
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected[0]
            .body
            .contains("Причина: Нет лицензии на образовательную деятельность")
    );
    assert_eq!(review(&app, &operator, id, "approve", "").await, 422);
    assert_eq!(review(&app, &operator, 999_999, "approve", "").await, 404);
    assert_eq!(review(&app, &operator, id, "maybe", "").await, 400);
    // The same name may apply again with better documents.
    let (status, again) = apply(
        &app,
        form(name, "college@example.ru", vec![("b.pdf", PDF.to_vec())]),
    )
    .await;
    assert_eq!(status, 200, "{again}");
    let (_, list) = app.call(&operator, "providers/pending", &[]).await;
    assert_eq!(list[0]["scans"][0]["name"], "b.pdf");
}

async fn racing_approvals_make_one_account(t: TestDb) {
    let app = Arc::new(TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await);
    let operator = admin(&app).await;
    let (_, id) = apply(
        &app,
        form(
            "ООО «Гонка»",
            "race@example.ru",
            vec![("a.pdf", PDF.to_vec())],
        ),
    )
    .await;
    let id = id.as_i64().unwrap();
    let mut tasks = Vec::new();
    for n in 0..12 {
        let (app, operator) = (app.clone(), operator.clone());
        let decision = if n % 3 == 0 { "reject" } else { "approve" };
        tasks.push(tokio::spawn(async move {
            review(&app, &operator, id, decision, "Гонка").await
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 422),
        "{statuses:?}"
    );
    let accounts = mails_with_subject(&t.db, "Логин и пароль для входа в кабинет поставщика")
        .await
        .len();
    let refusals = mails_with_subject(&t.db, "Заявка организации отклонена")
        .await
        .len();
    assert_eq!(accounts + refusals, 1);
    use sea_orm::{ColumnTrait as _, EntityTrait as _, PaginatorTrait as _, QueryFilter as _};
    let users = app::ssr::entities::user::Entity::find()
        .filter(app::ssr::entities::user::Column::Role.eq("provider"))
        .count(&t.db)
        .await
        .unwrap();
    assert_eq!(users as usize, accounts);
}

async fn only_the_operator_sees_applications_and_scans(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (_, id) = apply(
        &app,
        form(
            "ООО «Тайна»",
            "secret@example.ru",
            vec![("a.pdf", PDF.to_vec())],
        ),
    )
    .await;
    let id = id.as_i64().unwrap();
    let operator = admin(&app).await;
    let (_, list) = app.call(&operator, "providers/pending", &[]).await;
    let scan = list[0]["scans"][0]["id"].as_i64().unwrap();
    let guest = app.client();
    let (_, specialist) = direct_user(&app, "specialist", "curious").await;
    let (_, provider) = direct_user(&app, "provider", "nosy").await;
    for (who, client, expected) in [
        ("guest", &guest, 401),
        ("specialist", &specialist, 403),
        ("provider", &provider, 403),
    ] {
        let (status, _) = app.call(client, "providers/pending", &[]).await;
        assert_eq!(status, expected, "{who}");
        assert_eq!(
            review(&app, client, id, "approve", "").await,
            expected,
            "{who}"
        );
    }
    let url = app.url(&format!("/admin/providers/scans/{scan}"));
    assert_eq!(guest.get(&url).send().await.unwrap().status(), 303);
    assert_eq!(specialist.get(&url).send().await.unwrap().status(), 403);
    assert_eq!(provider.get(&url).send().await.unwrap().status(), 403);
    for junk in ["abc", "999999"] {
        let res = operator
            .get(app.url(&format!("/admin/providers/scans/{junk}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{junk}");
    }
}
