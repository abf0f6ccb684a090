//! «Мой план» over HTTP on SQLite and PostgreSQL: the catalogue, plan items, module tests
//! scored on the server, ИКП activation (with the storm), the provider's review, credits, and
//! who may touch what.

mod common;

use std::sync::Arc;
use std::time::Instant;

use app::domain::nmo::plan::ElementKind;
use app::ssr::entities::{confirmation_code, plan_item};
use app::ssr::service::plan::CODE_FAILED;
use common::{TestApp, TestDb, mail_to, provider_account, publish, specialist_with_cycle};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
use serde_json::Value;

on_both_databases!(
    the_catalogue_is_searched_filtered_and_paged,
    plan_items_are_unique_and_removable_until_started,
    module_tests_are_scored_on_the_server_and_credit_once,
    codes_activate_once_then_the_provider_reviews_them,
    wrong_codes_are_limited_per_hour,
    unreviewed_codes_are_confirmed_automatically_once,
    nobody_touches_another_users_plan_or_another_providers_codes,
    activation_storm_has_exactly_one_winner_per_code,
);

fn question(text: &str, right: usize) -> (String, Vec<(String, bool)>) {
    (
        text.into(),
        (0..3)
            .map(|i| (format!("Вариант {i}"), i == right))
            .collect(),
    )
}

async fn search(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> (u16, Value) {
    app.call(client, "plan/elements", form).await
}

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn the_catalogue_is_searched_filtered_and_paged(t: TestDb) {
    app::ssr::seed_plan::seed_plan(&t.db, t.clock.now())
        .await
        .expect("seed");
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (_, me) = specialist_with_cycle(&app, "cat1").await;

    // The modules tab, for the cycle's specialty (Терапия) by default.
    let (status, all) = search(&app, &me, &[]).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total"], 4, "{all}");
    assert!(all["has_cycle"].as_bool().unwrap());
    let (_, found) = search(&app, &me, &[("query[q]", "  ДИАБЕТ ")]).await;
    assert_eq!(
        titles(&found),
        ["Сахарный диабет 2 типа: что делать терапевту"]
    );
    let (_, two_words) = search(&app, &me, &[("query[q]", "неотложная анафилаксия")]).await;
    assert_eq!(titles(&two_words), ["Анафилаксия: неотложная помощь"]);
    let (_, none) = search(&app, &me, &[("query[q]", "100%_")]).await;
    assert_eq!(none["total"], 0);

    // Events of every specialty, then only online ones, then by dates and credits.
    let (_, events) = search(
        &app,
        &me,
        &[("query[kind]", "event"), ("query[specialty]", "all")],
    )
    .await;
    assert_eq!(events["total"], 4, "{events}");
    let (_, online) = search(
        &app,
        &me,
        &[
            ("query[kind]", "event"),
            ("query[specialty]", "all"),
            ("query[format]", "online"),
        ],
    )
    .await;
    assert_eq!(online["total"], 2);
    let (_, december) = search(
        &app,
        &me,
        &[
            ("query[kind]", "event"),
            ("query[specialty]", "all"),
            ("query[from]", "01.12.2026"),
            ("query[to]", "2026-12-31"),
        ],
    )
    .await;
    assert_eq!(
        titles(&december),
        ["Конференция «Сестринское дело: новые стандарты ухода»"]
    );
    let (_, big) = search(
        &app,
        &me,
        &[("query[kind]", "programme"), ("query[credits_min]", "50")],
    )
    .await;
    assert_eq!(titles(&big), ["Неотложные состояния в практике терапевта"]);
    let profi = big["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str().unwrap().contains("НМО-Профи"))
        .unwrap()["id"]
        .to_string();
    let (_, by_provider) = search(&app, &me, &[("query[provider]", &profi)]).await;
    assert_eq!(
        titles(&by_provider),
        ["Профилактика инфекций, связанных с оказанием медицинской помощи"]
    );

    // Paging: 10 a page, the last page holds the rest; a page past the end shows the last.
    let (pid, _, _) = provider_account(&app, "Поставщик страниц", "pages").await;
    for n in 0..21 {
        publish(
            &app,
            pid,
            ElementKind::Module,
            &format!("Модуль для страниц {n:02}"),
            1,
            vec![],
        )
        .await;
    }
    let (_, p1) = search(&app, &me, &[("query[q]", "для страниц")]).await;
    assert_eq!(
        (p1["total"].as_u64(), p1["pages"].as_u64()),
        (Some(21), Some(3))
    );
    assert_eq!(titles(&p1).len(), 10);
    let (_, p3) = search(
        &app,
        &me,
        &[("query[q]", "для страниц"), ("query[page]", "3")],
    )
    .await;
    assert_eq!(titles(&p3), ["Модуль для страниц 20"]);
    let (_, p9) = search(
        &app,
        &me,
        &[("query[q]", "для страниц"), ("query[page]", "9")],
    )
    .await;
    assert_eq!(p9["page"], 3);

    // Filters that cannot be read get 400 with a Russian message, never a 500.
    for bad in [
        ("query[kind]", "course"),
        ("query[page]", "abc"),
        ("query[page]", "0"),
        ("query[from]", "32.13.2026"),
        ("query[credits_min]", "-1"),
        ("query[format]", "mixed"),
        ("query[specialty]", "терапия"),
    ] {
        let (status, body) = search(&app, &me, &[bad]).await;
        assert_eq!(status, 400, "{bad:?}: {body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('а'..='я').contains(&c))
        );
    }
    let long = "я".repeat(301);
    assert_eq!(search(&app, &me, &[("query[q]", &long)]).await.0, 400);
    let (status, body) = search(
        &app,
        &me,
        &[("query[from]", "2027-01-01"), ("query[to]", "2026-01-01")],
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // An element's page; a module's answers never leave the server.
    let id = found["items"][0]["id"].to_string();
    let (status, detail) = app.call(&me, "plan/element", &[("id", &id)]).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["questions"], 3);
    assert_eq!(
        app.call(&me, "plan/element", &[("id", "999999")]).await.0,
        404
    );
    assert_eq!(app.call(&me, "plan/element", &[("id", "x")]).await.0, 400);
    // Guests are asked to sign in.
    assert_eq!(app.call(&app.client(), "plan/elements", &[]).await.0, 401);
}

async fn plan_items_are_unique_and_removable_until_started(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, _) = provider_account(&app, "Поставщик", "prov-unique").await;
    let module = publish(
        &app,
        pid,
        ElementKind::Module,
        "Модуль",
        2,
        vec![question("В?", 0)],
    )
    .await;
    let (_, me) = specialist_with_cycle(&app, "uniq1").await;
    let m = module.to_string();

    let (status, first) = app.call(&me, "plan/include", &[("element_id", &m)]).await;
    assert_eq!(status, 200, "{first}");
    let (status, again) = app.call(&me, "plan/include", &[("element_id", &m)]).await;
    assert_eq!(
        (status, &again),
        (200, &first),
        "the same item, not a second one"
    );
    let rows = plan_item::Entity::find()
        .filter(plan_item::Column::ElementId.eq(module))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);

    // Racing inclusions still make one item.
    let other = publish(&app, pid, ElementKind::Event, "Мероприятие", 4, vec![])
        .await
        .to_string();
    let racers = (0..16).map(|_| {
        let (app_base, me, other) = (app.base.clone(), me.clone(), other.clone());
        tokio::spawn(async move {
            me.post(format!("{app_base}/api/plan/include"))
                .form(&[("element_id", other.as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    for r in futures::future::join_all(racers).await {
        assert_eq!(r.unwrap(), 200);
    }
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(plan["items"].as_array().unwrap().len(), 2, "{plan}");
    assert_eq!(
        plan["items"][1]["status_label"],
        "Ожидает кода подтверждения"
    );

    // Not started: removable. Started (a test taken): not.
    let item = first.as_i64().unwrap().to_string();
    let (status, body) = app.call(&me, "plan/remove", &[("item_id", &item)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.call(&me, "plan/remove", &[("item_id", &item)]).await.0,
        404
    );
    let (_, again) = app.call(&me, "plan/include", &[("element_id", &m)]).await;
    let item = again.as_i64().unwrap().to_string();
    let (_, module_view) = app.call(&me, "plan/module", &[("item_id", &item)]).await;
    let q = module_view["questions"][0]["id"].to_string();
    let wrong = module_view["questions"][0]["options"][1]["id"].to_string();
    let key = format!("answers[{q}]");
    let (status, body) = app
        .call(
            &me,
            "plan/submit_test",
            &[("item_id", &item), (&key, &wrong)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call(&me, "plan/remove", &[("item_id", &item)]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("уже начато"));

    // No cycle: elements can be seen but not included.
    let (_, newcomer) = common::direct_user(&app, "specialist", "nocycle").await;
    let (status, body) = app
        .call(&newcomer, "plan/include", &[("element_id", &m)])
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Сначала добавьте документ")
    );
    let (status, plan) = app.call(&newcomer, "plan/view", &[]).await;
    assert_eq!(status, 200);
    assert!(plan["cycle"].is_null());
}

async fn module_tests_are_scored_on_the_server_and_credit_once(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, _) = provider_account(&app, "Поставщик", "prov-module").await;
    let questions = (0..4)
        .map(|n| question(&format!("Вопрос {n}"), n % 3))
        .collect();
    let module = publish(&app, pid, ElementKind::Module, "Гипертензия", 3, questions).await;
    let (_, me) = specialist_with_cycle(&app, "mod1").await;
    let (_, item) = app
        .call(&me, "plan/include", &[("element_id", &module.to_string())])
        .await;
    let item = item.as_i64().unwrap().to_string();

    let (status, view) = app.call(&me, "plan/module", &[("item_id", &item)]).await;
    assert_eq!(status, 200, "{view}");
    assert!(
        !view.to_string().contains("correct"),
        "answers leak: {view}"
    );
    let qs: Vec<(String, Vec<String>)> = view["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["id"].to_string(),
                q["options"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o["id"].to_string())
                    .collect(),
            )
        })
        .collect();
    let keys: Vec<String> = qs.iter().map(|(q, _)| format!("answers[{q}]")).collect();
    let answer = |right: usize| -> Vec<(String, String)> {
        // The first `right` answered right (question n's right option is n % 3), the rest wrong.
        qs.iter()
            .enumerate()
            .map(|(n, (_, opts))| {
                let pick = if n < right { n % 3 } else { (n + 1) % 3 };
                (keys[n].clone(), opts[pick].clone())
            })
            .collect()
    };
    let submit = |answers: Vec<(String, String)>| {
        let (app, me, item) = (&app, &me, item.clone());
        async move {
            let mut form: Vec<(&str, &str)> = vec![("item_id", item.as_str())];
            form.extend(answers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            app.call(me, "plan/submit_test", &form).await
        }
    };

    // 2 of 4 = 50 %: failed, and no credits.
    let (status, fail) = submit(answer(2)).await;
    assert_eq!(status, 200, "{fail}");
    assert_eq!(
        (fail["correct"].as_i64(), fail["passed"].as_bool()),
        (Some(2), Some(false))
    );
    // Unanswered questions are named; an option of another question is refused.
    let mut partial = answer(4);
    partial.pop();
    let (status, body) = submit(partial).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["fields"][0]["message"],
        "Ответьте на все вопросы: без ответа вопрос 4"
    );
    let mut crossed = answer(4);
    crossed[0].1 = qs[1].1[0].clone();
    assert_eq!(submit(crossed).await.0, 400);
    let mut stranger = answer(4);
    stranger.push(("answers[999999]".into(), "1".into()));
    assert_eq!(submit(stranger).await.0, 400);
    let mut junk = answer(4);
    junk[0].1 = "abc".into();
    assert_eq!(submit(junk).await.0, 400);

    // 3 of 4 = 75 % ≥ 70 %: passed; credits counted once, with one email.
    let (status, pass) = submit(answer(3)).await;
    assert_eq!(status, 200, "{pass}");
    assert_eq!(pass["passed"], true);
    let (_, again) = submit(answer(4)).await;
    assert_eq!(again["passed"], true);
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(plan["items"][0]["status_label"], "Пройден");
    assert_eq!(plan["items"][0]["earned"], 3);
    assert_eq!(plan["credits"]["modules"], 3, "{plan}");
    assert!(plan["chart_svg"].as_str().unwrap().contains("3 балла"));
    assert!(
        plan["sentence"]
            .as_str()
            .unwrap()
            .contains("набрано 3 балла из 250")
    );
    let credited = common::mails_with_subject(&t.db, "Зачислены баллы НМО").await;
    assert_eq!(credited.len(), 1);
    assert!(
        credited[0].body.contains("зачислено 3 балла"),
        "{}",
        credited[0].body
    );
    let (_, view) = app.call(&me, "plan/module", &[("item_id", &item)]).await;
    assert_eq!(view["attempts"].as_array().unwrap().len(), 3);
    assert_eq!(view["attempts"][2]["percent"], 50);
}

/// An event in the plan of a new specialist; returns the client and the item id.
async fn event_in_plan(app: &TestApp, login: &str, event: i64) -> (i64, reqwest::Client, String) {
    let (uid, me) = specialist_with_cycle(app, login).await;
    let (status, item) = app
        .call(&me, "plan/include", &[("element_id", &event.to_string())])
        .await;
    assert_eq!(status, 200, "{item}");
    (uid, me, item.as_i64().unwrap().to_string())
}

async fn issue(app: &TestApp, provider: &reqwest::Client, event: i64, n: u32) -> Vec<String> {
    let (status, issued) = app
        .call(
            provider,
            "provider/issue_codes",
            &[
                ("element_id", &event.to_string()),
                ("count", &n.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{issued}");
    assert!(
        issued["csv"]
            .as_str()
            .unwrap()
            .contains(issued["codes"][0].as_str().unwrap())
    );
    issued["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

/// How a person might type a code: lower case, spaces, and the letter O for zero.
fn sloppy(code: &str) -> String {
    let plain: String = code.chars().filter(|c| *c != '-').collect();
    let lower = plain.to_lowercase().replace('0', "o");
    format!(" {} {} ", &lower[..4], &lower[4..])
}

async fn codes_activate_once_then_the_provider_reviews_them(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, provider) = provider_account(&app, "Конгресс-центр", "prov-codes").await;
    let event = publish(&app, pid, ElementKind::Event, "Конгресс", 12, vec![]).await;
    let codes = issue(&app, &provider, event, 5).await;
    assert_eq!(codes.len(), 5);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 13 && c.as_bytes()[4] == b'-' && !c.contains('O'))
    );
    // Only hashes are kept.
    let stored = confirmation_code::Entity::find().all(&t.db).await.unwrap();
    assert_eq!(stored.len(), 5);
    assert!(
        stored.iter().all(
            |c| c.code_hash.len() == 64 && !codes.iter().any(|s| c.code_hash.contains(&s[5..]))
        )
    );

    let (_, me, item) = event_in_plan(&app, "codes1", event).await;
    // A code of the wrong shape says what is wrong with the shape.
    let (status, body) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", "abc")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("введено 3 знака"),
        "{body}"
    );
    // A wrong code of the right shape: the exact sentence.
    let (status, body) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", "ZZZZ-ZZZZZZZZ")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["fields"][0]["message"], CODE_FAILED);

    // Typed sloppily, the right code activates.
    let code = codes
        .iter()
        .find(|c| c.contains('0'))
        .unwrap_or(&codes[0])
        .clone();
    // The other codes, unused: the one above may be any of the five.
    let unused: Vec<&String> = codes.iter().filter(|c| **c != code).collect();
    let (status, body) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", &sloppy(&code))],
        )
        .await;
    assert_eq!(status, 200, "{body} for {code} typed {}", sloppy(&code));
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(
        plan["items"][0]["status_label"],
        "Код активирован, на проверке"
    );
    assert_eq!(
        plan["credits"]["events"], 0,
        "credits wait for the confirmation"
    );
    // Once activated, the item takes no other code; another specialist cannot reuse this one.
    let (status, _) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", unused[0])],
        )
        .await;
    assert_eq!(status, 422);
    let (_, other, other_item) = event_in_plan(&app, "codes2", event).await;
    let (status, body) = app
        .call(
            &other,
            "plan/activate_code",
            &[("item_id", &other_item), ("code", &code)],
        )
        .await;
    assert_eq!(
        (status, body["fields"][0]["message"].as_str()),
        (422, Some(CODE_FAILED))
    );
    // A right code for another event is just as wrong.
    let event2 = publish(&app, pid, ElementKind::Event, "Вебинар", 2, vec![]).await;
    let foreign = issue(&app, &provider, event2, 1).await;
    let (status, body) = app
        .call(
            &other,
            "plan/activate_code",
            &[("item_id", &other_item), ("code", &foreign[0])],
        )
        .await;
    assert_eq!(
        (status, body["fields"][0]["message"].as_str()),
        (422, Some(CODE_FAILED))
    );

    // The provider sees the activation and confirms it: credits appear, with an email.
    let (status, acts) = app
        .call(
            &provider,
            "provider/activations",
            &[("element_id", &event.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{acts}");
    assert_eq!(
        (acts["issued"].as_u64(), acts["unused"].as_u64()),
        (Some(5), Some(4))
    );
    assert_eq!(acts["items"][0]["status_label"], "Ждёт проверки");
    assert!(
        acts["items"][0]["specialist"]
            .as_str()
            .unwrap()
            .starts_with("Тестова")
    );
    let code_id = acts["items"][0]["code_id"].to_string();
    let (status, body) = app
        .call(
            &provider,
            "provider/review_activation",
            &[("code_id", &code_id), ("decision", "confirm")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call(
            &provider,
            "provider/review_activation",
            &[
                ("code_id", &code_id),
                ("decision", "reject"),
                ("reason", "поздно"),
            ],
        )
        .await;
    assert_eq!(status, 422, "reviewed once: {body}");
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(plan["items"][0]["status_label"], "Подтверждено");
    assert_eq!(plan["credits"]["events"], 12);
    // The event was on 10.11.2026: the third year of a cycle that began 20.06.2024.
    assert_eq!(plan["credits"]["years"][2]["credits"], 12, "{plan}");
    assert!(
        mail_to(&t.db, "codes1@example.ru", "Зачислены баллы НМО")
            .await
            .is_some()
    );

    // A rejection needs a reason, which reaches the specialist; then another code may be tried.
    let (status, body) = app
        .call(
            &other,
            "plan/activate_code",
            &[("item_id", &other_item), ("code", unused[1])],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, acts) = app
        .call(
            &provider,
            "provider/activations",
            &[("element_id", &event.to_string())],
        )
        .await;
    let waiting = acts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["status"] == "activated")
        .unwrap()["code_id"]
        .to_string();
    let (status, body) = app
        .call(
            &provider,
            "provider/review_activation",
            &[
                ("code_id", &waiting),
                ("decision", "reject"),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (422, Some("reason"))
    );
    let (status, _) = app
        .call(
            &provider,
            "provider/review_activation",
            &[
                ("code_id", &waiting),
                ("decision", "reject"),
                ("reason", "Участник не отмечен в списке"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let mail = mail_to(&t.db, "codes2@example.ru", "Код подтверждения отклонён")
        .await
        .unwrap();
    assert!(mail.body.contains("Участник не отмечен в списке"));
    let (_, plan) = app.call(&other, "plan/view", &[]).await;
    assert_eq!(plan["items"][0]["status_label"], "Код отклонён");
    assert_eq!(plan["items"][0]["note"], "Участник не отмечен в списке");
    let (status, _) = app
        .call(
            &other,
            "plan/activate_code",
            &[("item_id", &other_item), ("code", unused[2])],
        )
        .await;
    assert_eq!(status, 200);

    // Bad batch sizes.
    for n in ["0", "1001", "много", ""] {
        let (status, body) = app
            .call(
                &provider,
                "provider/issue_codes",
                &[("element_id", &event.to_string()), ("count", n)],
            )
            .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some("count")),
            "{n}"
        );
    }
    let long = "A".repeat(200);
    assert_eq!(
        app.call(
            &other,
            "plan/activate_code",
            &[("item_id", &other_item), ("code", &long)]
        )
        .await
        .0,
        422
    );
}

async fn wrong_codes_are_limited_per_hour(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, provider) = provider_account(&app, "Организатор", "prov-limit").await;
    let event = publish(&app, pid, ElementKind::Event, "Съезд", 6, vec![]).await;
    let codes = issue(&app, &provider, event, 1).await;
    let (_, me, item) = event_in_plan(&app, "limit1", event).await;
    for n in 0..10 {
        let (status, _) = app
            .call(
                &me,
                "plan/activate_code",
                &[("item_id", &item), ("code", &format!("ZZZZ-ZZZZZZ{n:02}"))],
            )
            .await;
        assert_eq!(status, 422);
    }
    // The eleventh is refused before the code is looked at, even the right one.
    let (status, body) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", &codes[0])],
        )
        .await;
    assert_eq!(status, 429, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("Попробуйте снова после") && message.contains("(МСК)"),
        "{message}"
    );
    // Malformed codes are not counted and still explain their shape.
    let (status, _) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", "12")],
        )
        .await;
    assert_eq!(status, 422);
    // Another specialist is not affected; an hour later this one may try again.
    let (_, other, other_item) = event_in_plan(&app, "limit2", event).await;
    let (status, body) = app
        .call(
            &other,
            "plan/activate_code",
            &[("item_id", &other_item), ("code", &codes[0])],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app::ssr::entities::code_attempt::Entity::update_many()
        .col_expr(
            app::ssr::entities::code_attempt::Column::CreatedAt,
            Expr::value(t.clock.now() - chrono::TimeDelta::minutes(61)),
        )
        .exec(&t.db)
        .await
        .unwrap();
    let (status, body) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", "ZZZZ-ZZZZZZZZ")],
        )
        .await;
    assert_eq!(
        (status, body["fields"][0]["message"].as_str()),
        (422, Some(CODE_FAILED))
    );
}

async fn unreviewed_codes_are_confirmed_automatically_once(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, provider) = provider_account(&app, "Организатор", "prov-auto").await;
    let event = publish(&app, pid, ElementKind::Event, "Школа", 6, vec![]).await;
    let codes = issue(&app, &provider, event, 2).await;
    let (_, me, item) = event_in_plan(&app, "auto1", event).await;
    let (status, _) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &item), ("code", &codes[0])],
        )
        .await;
    assert_eq!(status, 200);
    let settings = app.state.settings.clone();
    // Not yet due.
    assert_eq!(
        app::ssr::service::plan::auto_confirm_due(&t.db, &settings, t.clock.now())
            .await
            .unwrap(),
        0
    );
    confirmation_code::Entity::update_many()
        .col_expr(
            confirmation_code::Column::ActivatedAt,
            Expr::value(t.clock.now() - chrono::TimeDelta::hours(25)),
        )
        .filter(confirmation_code::Column::Status.eq("activated"))
        .exec(&t.db)
        .await
        .unwrap();
    // Two instances run the job at the same moment: one confirmation, one email.
    let second = t.reconnect().await;
    let (a, b) = tokio::join!(
        app::ssr::service::plan::auto_confirm_due(&t.db, &settings, t.clock.now()),
        app::ssr::service::plan::auto_confirm_due(&second, &settings, t.clock.now()),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(
        app::ssr::service::plan::auto_confirm_due(&t.db, &settings, t.clock.now())
            .await
            .unwrap(),
        0
    );
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert_eq!(plan["items"][0]["status_label"], "Подтверждено");
    assert_eq!(plan["credits"]["events"], 6);
    assert_eq!(
        common::mails_with_subject(&t.db, "Зачислены баллы НМО")
            .await
            .len(),
        1
    );
    // The provider can no longer reject it.
    let (_, acts) = app
        .call(
            &provider,
            "provider/activations",
            &[("element_id", &event.to_string())],
        )
        .await;
    let id = acts["items"][0]["code_id"].to_string();
    let (status, _) = app
        .call(
            &provider,
            "provider/review_activation",
            &[("code_id", &id), ("decision", "reject"), ("reason", "нет")],
        )
        .await;
    assert_eq!(status, 422);
}

async fn nobody_touches_another_users_plan_or_another_providers_codes(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pa, _, provider_a) = provider_account(&app, "Поставщик А", "prov-a").await;
    let (_, _, provider_b) = provider_account(&app, "Поставщик Б", "prov-b").await;
    let event = publish(&app, pa, ElementKind::Event, "Событие А", 4, vec![]).await;
    let module = publish(
        &app,
        pa,
        ElementKind::Module,
        "Модуль А",
        1,
        vec![question("?", 0)],
    )
    .await;
    let codes = issue(&app, &provider_a, event, 2).await;
    let (_, alice, alice_event) = event_in_plan(&app, "alice", event).await;
    let (_, alice_module) = app
        .call(
            &alice,
            "plan/include",
            &[("element_id", &module.to_string())],
        )
        .await;
    let alice_module = alice_module.to_string();
    let (_, bob) = specialist_with_cycle(&app, "bob").await;

    // Bob cannot read, answer, activate or remove Alice's items: 404, nothing revealed.
    assert_eq!(
        app.call(&bob, "plan/module", &[("item_id", &alice_module)])
            .await
            .0,
        404
    );
    assert_eq!(
        app.call(&bob, "plan/submit_test", &[("item_id", &alice_module)])
            .await
            .0,
        404
    );
    assert_eq!(
        app.call(&bob, "plan/remove", &[("item_id", &alice_module)])
            .await
            .0,
        404
    );
    assert_eq!(
        app.call(
            &bob,
            "plan/activate_code",
            &[("item_id", &alice_event), ("code", &codes[0])]
        )
        .await
        .0,
        404
    );
    let (_, plan) = app.call(&bob, "plan/view", &[]).await;
    assert_eq!(plan["items"].as_array().unwrap().len(), 0);
    // A module is not an event and the other way round.
    assert_eq!(
        app.call(
            &alice,
            "plan/activate_code",
            &[("item_id", &alice_module), ("code", &codes[0])]
        )
        .await
        .0,
        404
    );
    assert_eq!(
        app.call(&alice, "plan/module", &[("item_id", &alice_event)])
            .await
            .0,
        404
    );

    // Specialists are not providers and providers are not specialists.
    assert_eq!(app.call(&alice, "provider/elements", &[]).await.0, 403);
    assert_eq!(app.call(&provider_a, "plan/view", &[]).await.0, 403);
    // Provider Б reaches none of А's events, codes or activations.
    let e = event.to_string();
    assert_eq!(
        app.call(
            &provider_b,
            "provider/issue_codes",
            &[("element_id", &e), ("count", "5")]
        )
        .await
        .0,
        404
    );
    assert_eq!(
        app.call(&provider_b, "provider/activations", &[("element_id", &e)])
            .await
            .0,
        404
    );
    assert_eq!(
        app.call(
            &provider_b,
            "provider/set_published",
            &[("element_id", &e), ("published", "0")]
        )
        .await
        .0,
        404
    );
    let (status, _) = app
        .call(
            &alice,
            "plan/activate_code",
            &[("item_id", &alice_event), ("code", &codes[0])],
        )
        .await;
    assert_eq!(status, 200);
    let (_, acts) = app
        .call(&provider_a, "provider/activations", &[("element_id", &e)])
        .await;
    let code_id = acts["items"][0]["code_id"].to_string();
    assert_eq!(
        app.call(
            &provider_b,
            "provider/review_activation",
            &[("code_id", &code_id), ("decision", "confirm")]
        )
        .await
        .0,
        404
    );
    let (_, listed) = app.call(&provider_b, "provider/elements", &[]).await;
    assert_eq!(listed.as_array().unwrap().len(), 0);
    let (_, listed) = app.call(&provider_a, "provider/elements", &[]).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[1]["included"], 1, "{listed}");
    // Codes are only for events.
    assert_eq!(
        app.call(
            &provider_a,
            "provider/issue_codes",
            &[("element_id", &module.to_string()), ("count", "1")]
        )
        .await
        .0,
        404
    );
    // Bad decisions and ids.
    assert_eq!(
        app.call(
            &provider_a,
            "provider/review_activation",
            &[("code_id", &code_id), ("decision", "maybe")]
        )
        .await
        .0,
        400
    );
    assert_eq!(
        app.call(
            &provider_a,
            "provider/activations",
            &[("element_id", "abc")]
        )
        .await
        .0,
        400
    );
    // A hidden element leaves the search but stays in plans.
    let (status, _) = app
        .call(
            &provider_a,
            "provider/set_published",
            &[("element_id", &module.to_string()), ("published", "0")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, found) = app
        .call(&bob, "plan/elements", &[("query[q]", "модуль а")])
        .await;
    assert_eq!(found["total"], 0);
    let (_, plan) = app.call(&alice, "plan/view", &[]).await;
    assert_eq!(plan["items"].as_array().unwrap().len(), 2);
}

const RACERS: usize = 64;
const ROUNDS: usize = 20;

/// 64 specialists, each with the event in their plan, send one code at the same moment, half
/// through each of two server instances on the same database; 20 rounds with fresh events.
async fn activation_storm_has_exactly_one_winner_per_code(t: TestDb) {
    let mut settings = t.settings();
    // Everyone fails 19 rounds of 20: the hourly limit is not what this test is about.
    settings.policy.code_max_failures = 1000;
    let first = TestApp::spawn(t.db.clone(), settings.clone(), &t.clock).await;
    let second = TestApp::spawn(t.reconnect().await, settings, &t.clock).await;
    let (pid, provider_user, _) =
        provider_account(&first, "Штормовой конгресс", "prov-storm").await;
    let mut events = Vec::new();
    for r in 0..ROUNDS {
        events.push(
            publish(
                &first,
                pid,
                ElementKind::Event,
                &format!("Конгресс {r}"),
                6,
                vec![],
            )
            .await,
        );
    }
    let mut racers = Vec::new();
    for n in 0..RACERS {
        let (uid, _) = specialist_with_cycle(&first, &format!("storm{n:02}")).await;
        let app = if n % 2 == 0 { &first } else { &second };
        let (_, client) = common::direct_user_session(app, uid).await;
        let mut items = Vec::new();
        for e in &events {
            items.push(
                app::ssr::service::plan::include(&first.state.db, uid, *e, t.clock.now())
                    .await
                    .expect("include"),
            );
        }
        racers.push((app.base.clone(), client, items));
    }
    let racers = Arc::new(racers);
    let mut winners = Vec::new();
    let started = Instant::now();
    for (round, event) in events.iter().enumerate() {
        let code = app::ssr::service::provider::issue_codes(
            &first.state.db,
            provider_user,
            *event,
            1,
            t.clock.now(),
        )
        .await
        .expect("code")
        .codes
        .remove(0);
        let barrier = Arc::new(tokio::sync::Barrier::new(RACERS));
        let tasks: Vec<_> = (0..RACERS)
            .map(|n| {
                let (racers, barrier, code) = (racers.clone(), barrier.clone(), code.clone());
                tokio::spawn(async move {
                    let (base, client, items) = &racers[n];
                    barrier.wait().await;
                    let res = client
                        .post(format!("{base}/api/plan/activate_code"))
                        .form(&[("item_id", items[round].to_string()), ("code", code)])
                        .send()
                        .await
                        .expect("request");
                    let status = res.status().as_u16();
                    let body: Value = res.json().await.unwrap_or(Value::Null);
                    (status, body)
                })
            })
            .collect();
        let mut ok = 0;
        for task in futures::future::join_all(tasks).await {
            let (status, body) = task.expect("task");
            match status {
                200 => ok += 1,
                422 => assert_eq!(body["fields"][0]["message"], CODE_FAILED, "{body}"),
                other => panic!("unexpected {other}: {body}"),
            }
        }
        winners.push(ok);
    }
    let elapsed = started.elapsed();
    println!(
        "activation storm on {} (two instances): {ROUNDS} rounds × {RACERS} racers, successes per \
         round {winners:?}, total {} of {ROUNDS}, {:.0} ms per round",
        t.kind,
        winners.iter().sum::<usize>(),
        elapsed.as_secs_f64() * 1000.0 / ROUNDS as f64
    );
    assert!(winners.iter().all(|w| *w == 1), "{winners:?}");
    // The database agrees: each code belongs to one user and one item, each event has one
    // item waiting for review.
    let activated = confirmation_code::Entity::find()
        .filter(confirmation_code::Column::Status.eq("activated"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(activated.len(), ROUNDS);
    let entered = plan_item::Entity::find()
        .filter(plan_item::Column::Status.eq("code_entered"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(entered.len(), ROUNDS);
}
