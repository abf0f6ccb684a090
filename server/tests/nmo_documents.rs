//! НМО first login, documents and cycles over HTTP, on SQLite and PostgreSQL; access control.

mod common;

use common::{TestApp, TestDb, field_names, pairs, registered_specialist, snils};

on_both_databases!(
    first_login_needs_the_agreement_then_a_level,
    a_document_opens_a_cycle_and_stays_read_only,
    documents_are_checked_field_by_field_and_never_twice,
    organisations_are_filed_for_review_and_usable_at_once,
    nobody_reads_or_chooses_another_specialists_cycles,
);

async fn signed_in(app: &TestApp, n: u32, email: &str) -> reqwest::Client {
    let s = snils(n);
    let password = registered_specialist(app, &s, email).await;
    let client = app.client();
    let (status, body) = app
        .call(
            &client,
            "auth/login",
            &[("login", &s), ("password", &password)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    client
}

async fn onboarded(app: &TestApp, n: u32, email: &str) -> reqwest::Client {
    let client = signed_in(app, n, email).await;
    assert_eq!(app.call(&client, "nmo/accept_agreement", &[]).await.0, 200);
    assert_eq!(
        app.call(&client, "nmo/set_levels", &[("vo", "on")]).await.0,
        200
    );
    client
}

fn certificate(series: &str, number: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[kind]", "certificate".into()),
        ("form[specialty]", "терапия".into()),
        (
            "form[organisation]",
            "ФГАОУ ВО Первый МГМУ им. И. М. Сеченова Минздрава России".into(),
        ),
        ("form[series]", series.into()),
        ("form[number]", number.into()),
        ("form[exam_date]", "10.06.2024".into()),
        ("form[issue_date]", "2024-06-20".into()),
        ("form[confirm_data]", "on".into()),
        ("form[confirm_own]", "on".into()),
    ]
}

async fn first_login_needs_the_agreement_then_a_level(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = signed_in(&app, 101, "first@example.ru").await;
    let (status, s) = app.call(&client, "nmo/status", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(s["agreement_accepted"], false);
    // Levels before the agreement are refused.
    let (status, body) = app.call(&client, "nmo/set_levels", &[("so", "on")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("соглашение"), "{body}");
    assert_eq!(app.call(&client, "nmo/accept_agreement", &[]).await.0, 200);
    assert_eq!(app.call(&client, "nmo/accept_agreement", &[]).await.0, 200);
    let (status, body) = app.call(&client, "nmo/set_levels", &[]).await;
    assert_eq!(status, 422);
    assert_eq!(field_names(&body), ["levels"]);
    assert_eq!(
        app.call(&client, "nmo/set_levels", &[("vo", "on"), ("so", "on")])
            .await
            .0,
        200
    );
    let (_, s) = app.call(&client, "nmo/status", &[]).await;
    assert_eq!(
        (&s["agreement_accepted"], &s["level_vo"], &s["level_so"]),
        (&true.into(), &true.into(), &true.into())
    );
    // Changed later in the profile: СО only.
    assert_eq!(
        app.call(
            &client,
            "nmo/set_levels",
            &[("so", "on"), ("back", "profile")]
        )
        .await
        .0,
        200
    );
    let (_, s) = app.call(&client, "nmo/status", &[]).await;
    assert_eq!(
        (&s["level_vo"], &s["level_so"]),
        (&false.into(), &true.into())
    );
    // The admin is not a specialist.
    let admin = app.client();
    app::ssr::seed::seed_demo(&t.db, t.clock.now())
        .await
        .unwrap();
    assert_eq!(app.login(&admin, "admin", "Demo-Admin-2026").await, 200);
    assert_eq!(app.call(&admin, "nmo/status", &[]).await.0, 403);
    assert_eq!(app.call(&app.client(), "nmo/status", &[]).await.0, 401);
}

async fn a_document_opens_a_cycle_and_stays_read_only(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = onboarded(&app, 102, "doc@example.ru").await;
    let (_, cycles) = app.call(&client, "nmo/cycles", &[]).await;
    assert_eq!(cycles, serde_json::json!([]));
    let form = certificate("017718", "0123456");
    let (status, cycle) = app.call(&client, "nmo/add_document", &pairs(&form)).await;
    assert_eq!(status, 200, "{cycle}");
    let (_, docs) = app.call(&client, "nmo/documents", &[]).await;
    assert_eq!(docs.as_array().unwrap().len(), 1);
    let d = &docs[0];
    assert_eq!(d["number"], "017718 0123456");
    assert_eq!(d["specialty"], "Терапия");
    assert_eq!(d["frmr_confirmed"], false);
    assert_eq!(d["cycle_period"], "20.06.2024 — 19.06.2029");
    let (_, cycles) = app.call(&client, "nmo/cycles", &[]).await;
    assert_eq!(cycles[0]["id"], cycle);
    assert_eq!(cycles[0]["current"], true, "the first cycle is current");
    assert_eq!(cycles[0]["state"], "идёт");

    // A second document: a second cycle, the first stays current until another is chosen.
    let mut form = certificate("017718", "7654321");
    form[1].1 = "Кардиология".into();
    let (status, second) = app.call(&client, "nmo/add_document", &pairs(&form)).await;
    assert_eq!(status, 200);
    let (_, cycles) = app.call(&client, "nmo/cycles", &[]).await;
    let current: Vec<&serde_json::Value> = cycles
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["current"] == true)
        .map(|c| &c["id"])
        .collect();
    assert_eq!(current, [&cycle]);
    let id = second.to_string();
    assert_eq!(
        app.call(&client, "nmo/choose_cycle", &[("id", &id)])
            .await
            .0,
        200
    );
    let (_, cycles) = app.call(&client, "nmo/cycles", &[]).await;
    let current: Vec<&serde_json::Value> = cycles
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["current"] == true)
        .map(|c| &c["id"])
        .collect();
    assert_eq!(current, [&second]);
    // There is no endpoint that changes or deletes a document.
    for endpoint in ["nmo/update_document", "nmo/delete_document"] {
        assert_eq!(app.call(&client, endpoint, &[("id", "1")]).await.0, 404);
    }
}

async fn documents_are_checked_field_by_field_and_never_twice(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = onboarded(&app, 103, "check@example.ru").await;
    let (status, body) = app.call(&client, "nmo/add_document", &[]).await;
    assert_eq!(status, 422);
    assert_eq!(
        field_names(&body),
        [
            "kind",
            "specialty",
            "organisation",
            "exam_date",
            "issue_date",
            "confirm_data",
            "confirm_own"
        ]
    );
    let mut form = certificate("01771", "0123456");
    form[1].1 = "Астрология".into();
    let (status, body) = app.call(&client, "nmo/add_document", &pairs(&form)).await;
    assert_eq!(status, 422);
    assert_eq!(field_names(&body), ["series"], "shape first: {body}");
    form[3].1 = "017718".into();
    let (status, body) = app.call(&client, "nmo/add_document", &pairs(&form)).await;
    assert_eq!(status, 422);
    assert_eq!(field_names(&body), ["specialty"], "{body}");

    let form = certificate("017718", "0123456");
    assert_eq!(
        app.call(&client, "nmo/add_document", &pairs(&form)).await.0,
        200
    );
    let (status, body) = app.call(&client, "nmo/add_document", &pairs(&form)).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("уже добавлен"), "{body}");

    // An accreditation before its paper: zeros with a protocol date, twice is fine.
    let zeros = vec![
        ("form[kind]", "accreditation".to_owned()),
        ("form[specialty]", "Педиатрия".into()),
        (
            "form[organisation]",
            "ФГБОУ ВО Казанский ГМУ Минздрава России".into(),
        ),
        ("form[series]", "0000".into()),
        ("form[number]", "00000000".into()),
        ("form[protocol_date]", "2025-07-01".into()),
        ("form[exam_date]", "2025-06-25".into()),
        ("form[confirm_data]", "on".into()),
        ("form[confirm_own]", "on".into()),
    ];
    for _ in 0..2 {
        let (status, body) = app.call(&client, "nmo/add_document", &pairs(&zeros)).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, cycles) = app.call(&client, "nmo/cycles", &[]).await;
    assert!(
        cycles
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["period"] == "01.07.2025 — 30.06.2030"),
        "{cycles}"
    );
}

async fn organisations_are_filed_for_review_and_usable_at_once(t: TestDb) {
    app::ssr::seed::seed_demo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = onboarded(&app, 104, "org@example.ru").await;
    let other = onboarded(&app, 105, "org2@example.ru").await;
    let (_, found) = app
        .call(&client, "nmo/organisations", &[("q", "казань")])
        .await;
    assert_eq!(
        found.as_array().unwrap().len(),
        2,
        "by city, any case: {found}"
    );
    let (status, body) = app
        .call(&client, "nmo/add_organisation", &[("name", "  ")])
        .await;
    assert_eq!((status, field_names(&body)), (422, vec!["name".to_owned()]));
    let name = "ГБУЗ «Областной центр аккредитации»";
    let (status, added) = app
        .call(
            &client,
            "nmo/add_organisation",
            &[("name", name), ("city", "Тверь")],
        )
        .await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["pending"], true);
    // The same name again answers with the same organisation.
    let (_, again) = app
        .call(
            &client,
            "nmo/add_organisation",
            &[("name", "гбуз  «областной центр аккредитации»")],
        )
        .await;
    assert_eq!(again["id"], added["id"]);
    let (_, mine) = app
        .call(&client, "nmo/organisations", &[("q", "тверь")])
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let (_, theirs) = app
        .call(&other, "nmo/organisations", &[("q", "тверь")])
        .await;
    assert_eq!(
        theirs,
        serde_json::json!([]),
        "not listed for others before review"
    );
    let mut form = certificate("017718", "1111111");
    form[2].1 = name.into();
    assert_eq!(
        app.call(&client, "nmo/add_document", &pairs(&form)).await.0,
        200
    );
    let (_, docs) = app.call(&client, "nmo/documents", &[]).await;
    assert_eq!(docs[0]["organisation_status"], "pending");

    // The admin reviews it; specialists cannot.
    let id = added["id"].to_string();
    assert_eq!(
        app.call(
            &client,
            "nmo/review_organisation",
            &[("id", &id), ("decision", "approve")]
        )
        .await
        .0,
        403
    );
    let admin = app.client();
    assert_eq!(app.login(&admin, "admin", "Demo-Admin-2026").await, 200);
    let (_, pending) = app.call(&admin, "nmo/pending_organisations", &[]).await;
    assert_eq!(pending[0]["name"], name);
    assert_eq!(
        app.call(
            &admin,
            "nmo/review_organisation",
            &[("id", &id), ("decision", "maybe")]
        )
        .await
        .0,
        400
    );
    assert_eq!(
        app.call(
            &admin,
            "nmo/review_organisation",
            &[("id", &id), ("decision", "approve")]
        )
        .await
        .0,
        200
    );
    assert_eq!(
        app.call(
            &admin,
            "nmo/review_organisation",
            &[("id", &id), ("decision", "approve")]
        )
        .await
        .0,
        404,
        "reviewed once"
    );
    let (_, theirs) = app
        .call(&other, "nmo/organisations", &[("q", "тверь")])
        .await;
    assert_eq!(
        theirs.as_array().unwrap().len(),
        1,
        "listed for all once approved"
    );
}

async fn nobody_reads_or_chooses_another_specialists_cycles(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let owner = onboarded(&app, 106, "owner@example.ru").await;
    let stranger = onboarded(&app, 107, "stranger@example.ru").await;
    let form = certificate("017718", "2222222");
    let (_, cycle) = app.call(&owner, "nmo/add_document", &pairs(&form)).await;
    let id = cycle.to_string();
    assert_eq!(
        app.call(&stranger, "nmo/choose_cycle", &[("id", &id)])
            .await
            .0,
        404
    );
    let (_, docs) = app.call(&stranger, "nmo/documents", &[]).await;
    assert_eq!(docs, serde_json::json!([]));
    let (_, cycles) = app.call(&stranger, "nmo/cycles", &[]).await;
    assert_eq!(cycles, serde_json::json!([]));
    assert_eq!(app.call(&app.client(), "nmo/documents", &[]).await.0, 401);
}
