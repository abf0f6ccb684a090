//! Accounts end to end over HTTP, on SQLite and PostgreSQL: registration, confirmation,
//! login with lockout, sessions across instances, password reset and change, support.

mod common;

use app::ssr::entities::user;
use common::{TestApp, TestDb, mail_to, registered_specialist, snils};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both_databases!(
    register_confirm_and_receive_credentials,
    a_confirmation_link_works_once_even_when_clicked_in_parallel,
    a_taken_snils_is_refused_without_details,
    login_lockout_and_unlock_after_the_period,
    fifty_parallel_wrong_passwords_are_all_counted,
    a_session_from_one_instance_is_valid_on_another,
    logout_ends_the_session,
    forgot_password_answers_the_same_for_unknown_accounts,
    a_mailed_password_waits_beside_the_old_one_and_opens_a_lock,
    a_password_change_ends_other_sessions,
    support_ticket_is_filed_answered_and_mailed,
    the_outbox_delivers_each_mail_once_into_files,
);

async fn register_confirm_and_receive_credentials(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let s = snils(1);
    let password = registered_specialist(&app, &s, "olga@example.ru").await;
    assert_eq!(password.len(), 12);
    let u = user::Entity::find()
        .filter(user::Column::Login.eq(s.replace(['-', ' '], "")))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.status, "active");
    assert!(u.password_hash.unwrap().starts_with("$argon2id$"));

    let client = app.client();
    let (status, body) = app
        .call(
            &client,
            "auth/login",
            &[("login", &s), ("password", &password)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, me) = app.call(&client, "auth/me", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(me["short_name"], "Кузнецова О. И.", "{}", t.kind);
    // The token in the link is stored only as a hash.
    let mail = mail_to(&t.db, "olga@example.ru", "Подтверждение")
        .await
        .unwrap();
    let token = common::link_token(&mail.body);
    let stored = app::ssr::entities::email_token::Entity::find()
        .all(&t.db)
        .await
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|r| r.token_hash != token && r.token_hash.len() == 64)
    );
}

async fn a_confirmation_link_works_once_even_when_clicked_in_parallel(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = app.client();
    let form = common::registration_with_proof(&app, &client, &snils(2), "race@example.ru").await;
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call(&client, "auth/register_specialist", &pairs)
            .await
            .0,
        200
    );
    let token = common::link_token(
        &mail_to(&t.db, "race@example.ru", "Подтверждение")
            .await
            .unwrap()
            .body,
    );
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let client = app.client();
        let url = app.url("/api/auth/confirm_registration");
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("token", token)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let statuses: Vec<u16> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 422),
        "{statuses:?}"
    );
    use sea_orm::PaginatorTrait as _;
    let credential_mails = app::ssr::entities::outbox::Entity::find()
        .filter(app::ssr::entities::outbox::Column::Subject.eq("Логин и пароль для входа"))
        .count(&t.db)
        .await
        .unwrap();
    assert_eq!(credential_mails, 1);
}

async fn a_taken_snils_is_refused_without_details(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let s = snils(3);
    registered_specialist(&app, &s, "first@example.ru").await;
    let client = app.client();
    let form = common::registration_with_proof(&app, &client, &s, "second@example.ru").await;
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call(&client, "auth/register_specialist", &pairs).await;
    assert_eq!(status, 422);
    let text = body.to_string();
    assert!(
        text.contains("snils") && text.contains("уже есть учётная запись"),
        "{text}"
    );
    assert!(
        !text.contains("first@") && !text.contains("fi***"),
        "leaks the account: {text}"
    );
    assert!(
        mail_to(&t.db, "second@example.ru", "Подтверждение")
            .await
            .is_none()
    );
}

async fn login_lockout_and_unlock_after_the_period(t: TestDb) {
    let settings = t.settings();
    let lock = chrono::TimeDelta::from_std(settings.policy.login_lock).unwrap();
    assert_eq!(
        lock,
        chrono::TimeDelta::minutes(10),
        "DOMAIN.md: 10 minutes"
    );
    let app = TestApp::spawn(t.db.clone(), settings, &t.clock).await;
    let s = snils(4);
    let password = registered_specialist(&app, &s, "lock@example.ru").await;
    let client = app.client();
    for i in 1..=4 {
        let (status, body) = app
            .call(
                &client,
                "auth/login",
                &[("login", &s), ("password", "wrong-one")],
            )
            .await;
        assert_eq!(status, 422, "attempt {i}: {body}");
        assert!(body.to_string().contains("Неверный логин или пароль"));
    }
    let (status, body) = app
        .call(
            &client,
            "auth/login",
            &[("login", &s), ("password", "wrong-one")],
        )
        .await;
    assert_eq!(status, 429, "{body}");
    let until = app::domain::time::format_moscow_time(t.clock.now() + lock);
    assert!(
        body.to_string()
            .contains(&format!("Вход заблокирован до {until} (МСК)")),
        "{body}"
    );
    // Locked: even the right password is refused, with the time.
    let (status, body) = app
        .call(
            &client,
            "auth/login",
            &[("login", &s), ("password", &password)],
        )
        .await;
    assert_eq!(status, 429, "{body}");
    // A second before the end it still holds; then it is over.
    t.clock.advance(lock - chrono::TimeDelta::seconds(1));
    let (status, body) = app
        .call(
            &client,
            "auth/login",
            &[("login", &s), ("password", &password)],
        )
        .await;
    assert_eq!(status, 429, "{body}");
    t.clock.advance(chrono::TimeDelta::seconds(1));
    let (status, body) = app
        .call(
            &client,
            "auth/login",
            &[("login", &s), ("password", &password)],
        )
        .await;
    assert_eq!(status, 200, "after the lock: {body}");
    let u = user::Entity::find()
        .filter(user::Column::Login.eq(s.replace(['-', ' '], "")))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.failed_logins, 0);
    assert_eq!(u.locked_until, None);
}

async fn fifty_parallel_wrong_passwords_are_all_counted(t: TestDb) {
    let mut settings = t.settings();
    settings.policy.login_max_failures = 1000;
    let app = TestApp::spawn(t.db.clone(), settings, &t.clock).await;
    let s = snils(5);
    registered_specialist(&app, &s, "storm@example.ru").await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let client = app.client();
        let url = app.url("/api/auth/login");
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("login", s), ("password", format!("wrong-{i}"))])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let statuses: Vec<u16> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(statuses.iter().all(|s| *s == 422), "{statuses:?}");
    let u = user::Entity::find()
        .filter(user::Column::Login.eq(s.replace(['-', ' '], "")))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.failed_logins, 50, "{}: lost updates", t.kind);
}

async fn a_session_from_one_instance_is_valid_on_another(t: TestDb) {
    let one = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let two = TestApp::spawn(t.reconnect().await, t.settings(), &t.clock).await;
    let s = snils(6);
    let password = registered_specialist(&one, &s, "two@example.ru").await;
    let client = one.client();
    let res = client
        .post(one.url("/api/auth/login"))
        .form(&[("login", s.as_str()), ("password", password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kabinet_session="))
        .expect("session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    let other = reqwest::Client::new();
    let res = other
        .post(two.url("/api/auth/me"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["short_name"], "Кузнецова О. И.");
    // The cabinet page itself renders the name on the second instance.
    let html = other
        .get(two.url("/cabinet"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Кузнецова Ольга Игоревна"),
        "cabinet page on instance two"
    );
}

async fn logout_ends_the_session(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let s = snils(7);
    let password = registered_specialist(&app, &s, "out@example.ru").await;
    let client = app.client();
    assert_eq!(app.login(&client, &s, &password).await, 200);
    assert_eq!(app.call(&client, "profile/get", &[]).await.0, 200);
    assert_eq!(app.call(&client, "auth/logout", &[]).await.0, 200);
    assert_eq!(app.call(&client, "profile/get", &[]).await.0, 401);
    use sea_orm::PaginatorTrait as _;
    assert_eq!(
        app::ssr::entities::session::Entity::find()
            .count(&t.db)
            .await
            .unwrap(),
        0
    );
}

async fn forgot(app: &TestApp, client: &reqwest::Client, snils: &str) -> (u16, serde_json::Value) {
    let mut form = vec![("snils", snils.to_owned())];
    form.extend(common::robot_proof(app, client).await);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(client, "auth/forgot_password", &pairs).await
}

async fn forgot_password_answers_the_same_for_unknown_accounts(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let s = snils(8);
    let old = registered_specialist(&app, &s, "forgot@example.ru").await;
    let earlier = app.client();
    assert_eq!(app.login(&earlier, &s, &old).await, 200);
    let client = app.client();
    let (known_status, known) = forgot(&app, &client, &s).await;
    let (unknown_status, unknown) = forgot(&app, &client, &snils(9)).await;
    assert_eq!((known_status, unknown_status), (200, 200));
    assert_eq!(known, unknown);
    let mail = mail_to(&t.db, "forgot@example.ru", "Новый пароль")
        .await
        .expect("new password mail");
    let new = common::password_in(&mail.body);
    assert_ne!(new, old);
    // Asking for a new password changes nothing until the mailed one is used.
    let (_, me) = app.call(&earlier, "auth/me", &[]).await;
    assert!(me.is_object(), "the earlier session still works: {me}");
    assert_eq!(app.login(&client, &s, &new).await, 200);
    assert_eq!(app.login(&app.client(), &s, &old).await, 422);
    assert_eq!(app.login(&app.client(), &s, &new).await, 200);
    let (_, me) = app.call(&earlier, "auth/me", &[]).await;
    assert!(me.is_null(), "sessions of the old password end: {me}");
}

async fn a_mailed_password_waits_beside_the_old_one_and_opens_a_lock(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let s = snils(21);
    let old = registered_specialist(&app, &s, "waits@example.ru").await;
    let client = app.client();
    // Someone else asks for a new password: the owner keeps logging in as before, and that
    // cancels the mailed password.
    assert_eq!(forgot(&app, &client, &s).await.0, 200);
    let mailed = common::password_in(
        &mail_to(&t.db, "waits@example.ru", "Новый пароль")
            .await
            .unwrap()
            .body,
    );
    assert_eq!(app.login(&client, &s, &old).await, 200);
    assert_eq!(app.login(&app.client(), &s, &mailed).await, 422);

    // Five wrong passwords lock the account; a mailed password still lets the owner in.
    for _ in 0..5 {
        app.login(&client, &s, "wrong-password").await;
    }
    assert_eq!(app.login(&client, &s, &old).await, 429);
    assert_eq!(forgot(&app, &client, &s).await.0, 200);
    let mailed = common::password_in(
        &mail_to(&t.db, "waits@example.ru", "Новый пароль")
            .await
            .unwrap()
            .body,
    );
    assert_eq!(app.login(&client, &s, "wrong-again").await, 429);
    assert_eq!(app.login(&client, &s, &mailed).await, 200);
    assert_eq!(app.login(&app.client(), &s, &old).await, 422);
    let u = user::Entity::find()
        .filter(user::Column::Login.eq(s.replace(['-', ' '], "")))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (u.failed_logins, u.locked_until, u.reset_password_hash),
        (1, None, None)
    );
}

async fn a_password_change_ends_other_sessions(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let s = snils(10);
    let password = registered_specialist(&app, &s, "change@example.ru").await;
    let phone = app.client();
    let laptop = app.client();
    for c in [&phone, &laptop] {
        assert_eq!(app.login(c, &s, &password).await, 200);
    }
    let (status, body) = app
        .call(
            &laptop,
            "profile/change_password",
            &[
                ("form[current]", &password),
                ("form[new]", "qwerty123"),
                ("form[repeat]", "qwerty123"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("распространён"), "{body}");
    let new = "Весенний-Ветер-42";
    let (status, body) = app
        .call(
            &laptop,
            "profile/change_password",
            &[
                ("form[current]", &password),
                ("form[new]", new),
                ("form[repeat]", new),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.call(&laptop, "profile/get", &[]).await.0, 200);
    assert_eq!(app.call(&phone, "profile/get", &[]).await.0, 401);
    let fresh = app.client();
    assert_eq!(app.login(&fresh, &s, new).await, 200);
}

async fn support_ticket_is_filed_answered_and_mailed(t: TestDb) {
    app::ssr::seed::seed_demo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let user = app.client();
    assert_eq!(
        app.login(&user, "112-233-445 95", "Demo-Vrach-2026").await,
        200
    );
    let form = reqwest::multipart::Form::new()
        .text("topic", "credits")
        .text("body", "Где мои баллы?")
        .part(
            "attachment",
            reqwest::multipart::Part::bytes(b"\x89PNG\r\n\x1a\nrest".to_vec())
                .file_name("скан.png"),
        );
    let res = user
        .post(app.url("/api/support/create_ticket"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let number: String = res.json().await.unwrap();
    assert!(number.starts_with("ТП-"));
    assert!(
        mail_to(
            &t.db,
            "ivanova@demo.kabinet.local",
            &format!("Обращение {number} принято")
        )
        .await
        .is_some()
    );

    // Not an image despite its name: refused by content.
    let form = reqwest::multipart::Form::new()
        .text("topic", "credits")
        .text("body", "Ещё вопрос")
        .part(
            "attachment",
            reqwest::multipart::Part::bytes(b"MZ\x90\x00".to_vec()).file_name("photo.png"),
        );
    let res = user
        .post(app.url("/api/support/create_ticket"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // A specialist cannot answer; the admin can.
    let id = number
        .trim_start_matches("ТП-")
        .trim_start_matches('0')
        .to_owned();
    assert_eq!(
        app.call(
            &user,
            "support/answer_ticket",
            &[("id", &id), ("answer", "сам себе")]
        )
        .await
        .0,
        403
    );
    let admin = app.client();
    assert_eq!(app.login(&admin, "admin", "Demo-Admin-2026").await, 200);
    let (status, body) = app
        .call(
            &admin,
            "support/answer_ticket",
            &[("id", &id), ("answer", "Баллы начислены")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.call(
            &admin,
            "support/answer_ticket",
            &[("id", &id), ("answer", "Ещё раз")]
        )
        .await
        .0,
        409
    );
    let (_, mine) = app.call(&user, "support/my_tickets", &[]).await;
    assert_eq!(mine[0]["answer"], "Баллы начислены");
    assert!(
        mail_to(
            &t.db,
            "ivanova@demo.kabinet.local",
            &format!("Ответ на обращение {number}")
        )
        .await
        .is_some()
    );

    // The attachment: its author and the admin may download it, another user may not.
    let res = user
        .get(app.url(&format!("/support/attachment/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let other = app.client();
    assert_eq!(
        app.call(
            &other,
            "auth/login",
            &[
                ("login", "123-456-789 64"),
                ("password", "Demo-Medsestra-2026")
            ]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        other
            .get(app.url(&format!("/support/attachment/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn the_outbox_delivers_each_mail_once_into_files(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    registered_specialist(&app, &snils(11), "files@example.ru").await;
    let settings = t.settings();
    let transport = app::ssr::mailer::Transport::from_settings(&settings).unwrap();
    // Two workers (as two instances would run) race over the same outbox.
    let second = t.reconnect().await;
    let (a, b) = tokio::join!(
        app::ssr::mailer::deliver_due(&t.db, &settings, &transport, &t.clock),
        app::ssr::mailer::deliver_due(&second, &settings, &transport, &t.clock),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(
        app::ssr::mailer::deliver_due(&t.db, &settings, &transport, &t.clock)
            .await
            .unwrap(),
        0
    );
    let files: Vec<_> = std::fs::read_dir(settings.mail_dir())
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 2);
    let eml = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(
        eml.contains("Message-ID: <") && eml.contains("To: files@example.ru"),
        "{eml}"
    );
}
