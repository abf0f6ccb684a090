//! ДПП ПК over HTTP on SQLite and PostgreSQL: a run is chosen, the «Заявка на обучение по ДПП
//! ПК» is formed and downloaded as a PDF whose text is read back with `pdftotext`; the provider
//! enrols and completes (once, under racing clicks); who may read and mark what.

mod common;

use std::sync::Arc;

use app::domain::nmo::plan::ElementKind;
use app::ssr::service::programme::NO_GUARANTEE;
use chrono::{Days, NaiveDate};
use common::{TestApp, TestDb, direct_user, provider_account, specialist_with_cycle};
use serde_json::Value;

on_both_databases!(
    an_application_is_formed_printed_and_credited_on_completion,
    racing_clicks_complete_an_application_once,
    nobody_reads_another_application_or_marks_another_providers,
);

/// A programme for «Терапия» with a run that has started and two that have not; returns its
/// id and the run ids (started, next, later).
async fn programme(app: &TestApp, provider_id: i64, title: &str) -> (i64, [i64; 3]) {
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _};
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
    let today = app.state.clock.today();
    let day = |n: u64| today.checked_add_days(Days::new(n)).expect("date");
    let started = today.checked_sub_days(Days::new(3)).expect("date");
    let draft = app::ssr::service::provider::Draft {
        kind: ElementKind::Programme,
        title: title.into(),
        summary: "ДПП ПК".into(),
        content: "Программа".into(),
        credits: 36,
        format: "offline".into(),
        place: Some("Москва, ул. Трубецкая, 8".into()),
        starts_on: None,
        ends_on: None,
        pass_percent: 70,
        specialties: vec![therapy.id],
        questions: Vec::new(),
        runs: vec![(started, day(10)), (day(30), day(44)), (day(60), day(74))],
    };
    let id = app::ssr::service::provider::insert_element(db, &owner, &draft, app.state.clock.now())
        .await
        .expect("element");
    let runs: Vec<i64> = app::ssr::entities::programme_run::Entity::find()
        .filter(app::ssr::entities::programme_run::Column::ElementId.eq(id))
        .order_by_asc(app::ssr::entities::programme_run::Column::StartsOn)
        .all(db)
        .await
        .expect("runs")
        .into_iter()
        .map(|r| r.id)
        .collect();
    (id, [runs[0], runs[1], runs[2]])
}

/// Moves a run into the past week, as if its training had begun and ended.
async fn run_has_passed(app: &TestApp, run: i64) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
    let today = app.state.clock.today();
    app::ssr::entities::programme_run::Entity::update_many()
        .col_expr(
            app::ssr::entities::programme_run::Column::StartsOn,
            Expr::value(today.checked_sub_days(Days::new(7)).unwrap()),
        )
        .col_expr(
            app::ssr::entities::programme_run::Column::EndsOn,
            Expr::value(today.checked_sub_days(Days::new(1)).unwrap()),
        )
        .filter(app::ssr::entities::programme_run::Column::Id.eq(run))
        .exec(&app.state.db)
        .await
        .expect("run moved");
}

async fn in_plan(app: &TestApp, me: &reqwest::Client, element: i64) -> String {
    let (status, item) = app
        .call(me, "plan/include", &[("element_id", &element.to_string())])
        .await;
    assert_eq!(status, 200, "{item}");
    item.as_i64().expect("item id").to_string()
}

async fn apply(app: &TestApp, me: &reqwest::Client, item: &str, run: i64) -> (u16, Value) {
    app.call(
        me,
        "plan/apply",
        &[("item_id", item), ("run_id", &run.to_string())],
    )
    .await
}

async fn advance(app: &TestApp, provider: &reqwest::Client, item: &str, step: &str) -> u16 {
    app.call(
        provider,
        "provider/advance_application",
        &[("item_id", item), ("step", step)],
    )
    .await
    .0
}

async fn pdf_response(app: &TestApp, me: &reqwest::Client, item: &str) -> reqwest::Response {
    me.get(app.url(&format!("/nmo/plan/{item}/application.pdf")))
        .send()
        .await
        .expect("request")
}

/// The text of a PDF as `pdftotext` (Debian poppler-utils) reads it, whitespace collapsed.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("kabinet-pdf-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("a.pdf");
    std::fs::write(&file, bytes).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext is needed: apt-get install poppler-utils (make test installs it)");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn plan_item<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
        .expect("item in plan")
}

fn dates(from: NaiveDate, to: NaiveDate) -> String {
    format!("{} — {}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"))
}

async fn an_application_is_formed_printed_and_credited_on_completion(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, provider) = provider_account(&app, "Академия", "prov-dpp").await;
    let (prog, [started, next, later]) =
        programme(&app, pid, "Терапия: амбулаторная практика").await;
    let (_, other_runs) = programme(&app, pid, "Другая программа").await;
    let (_, me) = specialist_with_cycle(&app, "dpp1").await;
    let item = in_plan(&app, &me, prog).await;

    // Only runs that have not started are offered; the rest are refused by name.
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    let runs: Vec<i64> = plan_item(&plan, &item)["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(runs, [next, later]);
    assert_eq!(
        plan_item(&plan, &item)["status_label"],
        "Заявка не сформирована"
    );
    assert_eq!(plan_item(&plan, &item)["application"], false);
    let (status, body) = app.call(&me, "plan/apply", &[("item_id", &item)]).await;
    assert_eq!(
        (status, body["fields"][0]["message"].as_str()),
        (422, Some("Выберите цикл обучения")),
        "{body}"
    );
    let (status, body) = apply(&app, &me, &item, started).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["fields"][0]["message"],
        "Этот цикл обучения уже начался: выберите другой"
    );
    let (status, body) = apply(&app, &me, &item, other_runs[1]).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["fields"][0]["message"],
        "У этой программы нет такого цикла обучения"
    );
    let not_formed = pdf_response(&app, &me, &item).await;
    assert_eq!(not_formed.status(), 404);

    // Formed for the next run: the PDF says who, what, when, and that it guarantees nothing.
    let (status, body) = apply(&app, &me, &item, next).await;
    assert_eq!(status, 200, "{body}");
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(
        plan_item(&plan, &item)["status_label"],
        "Заявка сформирована"
    );
    assert_eq!(plan_item(&plan, &item)["application"], true);
    assert_eq!(plan_item(&plan, &item)["removable"], false);
    let res = pdf_response(&app, &me, &item).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.len() < 150_000, "{} bytes", bytes.len());
    let text = pdf_text(&bytes);
    let today = t.clock.today();
    let day = |n: u64| today.checked_add_days(Days::new(n)).unwrap();
    for expected in [
        "Заявка на обучение по ДПП ПК",
        "Кому: Академия",
        "Тестова Участница4 Ивановна",
        "Терапия: амбулаторная практика",
        "36 академических часов (36 ЗЕТ)",
        "Сертификат специалиста № 017718 0456123 от 20.06.2024",
        "Москва, ул. Трубецкая, 8",
        &dates(day(30), day(44)),
        NO_GUARANTEE,
    ] {
        assert!(text.contains(expected), "«{expected}» not in: {text}");
    }
    assert!(text.contains(&format!("№ {item} от {}", today.format("%d.%m.%Y"))));

    // Withdrawn, it is a plain plan item again; formed again for a later run, the application
    // says so; while it stands it cannot leave the plan.
    let (status, _) = app.call(&me, "plan/withdraw", &[("item_id", &item)]).await;
    assert_eq!(status, 200);
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(
        plan_item(&plan, &item)["status_label"],
        "Заявка не сформирована"
    );
    assert_eq!(plan_item(&plan, &item)["application"], false);
    assert_eq!(pdf_response(&app, &me, &item).await.status(), 404);
    assert_eq!(
        app.call(&me, "plan/withdraw", &[("item_id", &item)])
            .await
            .0,
        404
    );
    assert_eq!(apply(&app, &me, &item, later).await.0, 200);
    let text = pdf_text(&pdf_response(&app, &me, &item).await.bytes().await.unwrap());
    assert!(text.contains(&dates(day(60), day(74))), "{text}");
    let (status, _) = app.call(&me, "plan/remove", &[("item_id", &item)]).await;
    assert_eq!(status, 422);

    // The provider sees who applied; completion needs enrolment first.
    let (status, list) = app
        .call(
            &provider,
            "provider/applications",
            &[("element_id", &prog.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list["items"][0]["specialist"],
        "Тестова Участница4 Ивановна"
    );
    assert_eq!(list["items"][0]["run"], dates(day(60), day(74)));
    assert_eq!(list["items"][0]["status_label"], "Заявка сформирована");
    let (_, elements) = app.call(&provider, "provider/elements", &[]).await;
    let mine = elements
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == prog)
        .unwrap();
    assert_eq!(
        (mine["included"].as_u64(), mine["applications"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(advance(&app, &provider, &item, "complete").await, 422);
    // The provider enrols on the run it saw; had the specialist switched, nothing happens.
    let (status, body) = app
        .call(
            &provider,
            "provider/advance_application",
            &[
                ("item_id", &item),
                ("step", "enrol"),
                ("run_id", &next.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.to_string()
            .contains("Специалист выбрал другой цикл обучения"),
        "{body}"
    );
    assert_eq!(advance(&app, &provider, &item, "enrol").await, 200);
    assert_eq!(advance(&app, &provider, &item, "enrol").await, 422);
    let enrolled = common::mails_with_subject(&t.db, "Вы зачислены на обучение").await;
    assert_eq!(enrolled.len(), 1);
    assert!(
        enrolled[0]
            .body
            .contains("«Терапия: амбулаторная практика»")
    );
    // Enrolled: the run can no longer be changed.
    let (status, body) = apply(&app, &me, &item, next).await;
    assert_eq!(status, 422);
    assert!(
        body.to_string()
            .contains("Организация уже рассмотрела заявку"),
        "{body}"
    );
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(
        plan_item(&plan, &item)["status_label"],
        "Зачислен на обучение"
    );
    assert_eq!(plan["credits"]["programmes"], 0);

    assert_eq!(
        app.call(&me, "plan/withdraw", &[("item_id", &item)])
            .await
            .0,
        422
    );

    // Completion waits for the run to begin.
    let (status, body) = app
        .call(
            &provider,
            "provider/advance_application",
            &[("item_id", &item), ("step", "complete")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.to_string().contains(&format!(
            "Обучение начнётся {}: отметить его завершение можно после начала",
            day(60).format("%d.%m.%Y")
        )),
        "{body}"
    );
    run_has_passed(&app, later).await;

    // Completed: 36 ЗЕТ of ДПП ПК in the plan, one mail; the PDF stays downloadable.
    assert_eq!(advance(&app, &provider, &item, "complete").await, 200);
    assert_eq!(advance(&app, &provider, &item, "complete").await, 422);
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(
        plan_item(&plan, &item)["status_label"],
        "Обучение завершено"
    );
    assert_eq!(plan_item(&plan, &item)["earned"], 36);
    assert_eq!(plan["credits"]["programmes"], 36, "{plan}");
    let credited = common::mails_with_subject(&t.db, "Зачислены баллы НМО").await;
    assert_eq!(credited.len(), 1);
    assert!(
        credited[0].body.contains("36 баллов"),
        "{}",
        credited[0].body
    );
    assert_eq!(pdf_response(&app, &me, &item).await.status(), 200);

    // The portfolio lists the document, the cycle's credits and the completed programme.
    let (status, folio) = app.call(&me, "plan/portfolio", &[]).await;
    assert_eq!(status, 200, "{folio}");
    assert_eq!(folio["documents"].as_array().unwrap().len(), 1);
    assert_eq!(folio["cycles"][0]["credits"]["programmes"], 36);
    assert_eq!(
        folio["cycles"][0]["items"][0]["title"],
        "Терапия: амбулаторная практика"
    );
    let res = me.get(app.url("/nmo/portfolio.pdf")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let text = pdf_text(&res.bytes().await.unwrap());
    for expected in [
        "Портфолио специалиста",
        "Тестова Участница4 Ивановна",
        "Сертификат специалиста",
        "№ 017718 0456123 от 20.06.2024, Терапия",
        "Пятилетний цикл: Терапия, 20.06.2024 — 19.06.2029",
        "36 баллов из 250",
        "ИОМ — 0, ДПП ПК — 36, мероприятия — 0, другое — 0",
        "Терапия: амбулаторная практика (ДПП ПК, Академия), 36 ЗЕТ",
    ] {
        assert!(text.contains(expected), "«{expected}» not in: {text}");
    }
}

async fn racing_clicks_complete_an_application_once(t: TestDb) {
    let app = Arc::new(TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await);
    let (pid, _, provider) = provider_account(&app, "Академия", "prov-race").await;
    let (prog, [_, next, _]) = programme(&app, pid, "Программа").await;
    let (_, me) = specialist_with_cycle(&app, "dpp-race").await;
    let item = in_plan(&app, &me, prog).await;
    assert_eq!(apply(&app, &me, &item, next).await.0, 200);
    run_has_passed(&app, next).await;
    for step in ["enrol", "complete"] {
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (app, provider, item) = (app.clone(), provider.clone(), item.clone());
            tasks.push(tokio::spawn(async move {
                advance(&app, &provider, &item, step).await
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        let ok = statuses.iter().filter(|s| **s == 200).count();
        assert_eq!(ok, 1, "{step}: {statuses:?}");
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 422),
            "{statuses:?}"
        );
    }
    assert_eq!(
        common::mails_with_subject(&t.db, "Вы зачислены на обучение")
            .await
            .len(),
        1
    );
    assert_eq!(
        common::mails_with_subject(&t.db, "Зачислены баллы НМО")
            .await
            .len(),
        1
    );
}

async fn nobody_reads_another_application_or_marks_another_providers(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, owner) = provider_account(&app, "Академия", "prov-own").await;
    let (_, _, stranger) = provider_account(&app, "Чужой центр", "prov-other").await;
    let (prog, [_, next, _]) = programme(&app, pid, "Программа").await;
    let module = common::publish(&app, pid, ElementKind::Module, "Модуль", 2, vec![]).await;
    let (_, me) = specialist_with_cycle(&app, "dpp-own").await;
    let (_, other) = specialist_with_cycle(&app, "dpp-other").await;
    let item = in_plan(&app, &me, prog).await;
    assert_eq!(apply(&app, &me, &item, next).await.0, 200);

    // Another specialist can neither read the application nor form it.
    assert_eq!(pdf_response(&app, &other, &item).await.status(), 404);
    assert_eq!(apply(&app, &other, &item, next).await.0, 404);
    // A module is no programme; junk and unknown ids are not found.
    let module_item = in_plan(&app, &me, module).await;
    assert_eq!(apply(&app, &me, &module_item, next).await.0, 404);
    assert_eq!(pdf_response(&app, &me, &module_item).await.status(), 404);
    for junk in ["abc", "999999", "-1", "1.5"] {
        assert_eq!(pdf_response(&app, &me, junk).await.status(), 404, "{junk}");
    }
    let (status, _) = app
        .call(&me, "plan/apply", &[("item_id", &item), ("run_id", "abc")])
        .await;
    assert_eq!(status, 400);
    // A guest is sent to the login page; a provider is not a specialist.
    let guest = app.client();
    let res = pdf_response(&app, &guest, &item).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login");
    assert_eq!(pdf_response(&app, &owner, &item).await.status(), 403);
    let (_, admin) = direct_user(&app, "admin", "dpp-admin").await;
    assert_eq!(pdf_response(&app, &admin, &item).await.status(), 403);
    for (client, status) in [(&guest, 303), (&owner, 403), (&admin, 403)] {
        let res = client
            .get(app.url("/nmo/portfolio.pdf"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status);
    }
    // A portfolio is always the caller's own: the other specialist's has no programme.
    let (_, theirs) = app.call(&other, "plan/portfolio", &[]).await;
    assert_eq!(theirs["cycles"][0]["items"].as_array().unwrap().len(), 0);

    // Another provider neither sees the applications nor marks them; steps are checked.
    let element = prog.to_string();
    let (status, _) = app
        .call(
            &stranger,
            "provider/applications",
            &[("element_id", &element)],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(advance(&app, &stranger, &item, "enrol").await, 404);
    assert_eq!(advance(&app, &owner, &item, "graduate").await, 400);
    assert_eq!(advance(&app, &owner, &module_item, "enrol").await, 404);
    let (status, _) = app
        .call(&me, "provider/applications", &[("element_id", &element)])
        .await;
    assert_eq!(status, 403);
    assert_eq!(advance(&app, &me, &item, "enrol").await, 403);
    let (status, list) = app
        .call(&owner, "provider/applications", &[("element_id", &element)])
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}
