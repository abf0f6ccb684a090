//! The provider's editor over HTTP on SQLite and PostgreSQL: modules with their tests, events
//! and programmes with runs are published and changed by their owner only, field by field
//! checked; a run with applications stays.

mod common;

use chrono::Days;
use common::{TestApp, TestDb, direct_user, provider_account, specialist_with_cycle};
use serde_json::Value;

on_both_databases!(
    racing_saves_add_a_run_once,
    a_provider_publishes_and_changes_its_own_elements,
    the_editor_names_each_wrong_field,
    nobody_edits_another_providers_elements,
);

async fn therapy(app: &TestApp, provider: &reqwest::Client) -> String {
    let (status, editor) = app
        .call(provider, "provider/editor", &[("kind", "module")])
        .await;
    assert_eq!(status, 200, "{editor}");
    editor["specialties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Терапия")
        .expect("Терапия in the catalogue")["id"]
        .to_string()
}

async fn save(
    app: &TestApp,
    provider: &reqwest::Client,
    id: Option<i64>,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let id = id.map(|i| i.to_string());
    let mut form: Vec<(String, &str)> = fields
        .iter()
        .map(|(k, v)| (format!("form[{k}]"), *v))
        .collect();
    if let Some(id) = &id {
        form.push(("element_id".into(), id.as_str()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call(provider, "provider/save_element", &pairs).await
}

fn fields(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect()
}

const TEST: &str = "? Целевое давление при гипертензии?\n+ Ниже 130/80\n- Ниже 160/100\n\n\
                    ? Сколько минут покоя перед измерением?\n- 1\n+ 5\n- 15\n";

async fn a_provider_publishes_and_changes_its_own_elements(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (_, _, provider) = provider_account(&app, "Центр «Пульс»", "prov-editor").await;
    let therapy = therapy(&app, &provider).await;
    let key = format!("specialties][{therapy}");
    let (status, module) = save(
        &app,
        &provider,
        None,
        &[
            ("kind", "module"),
            ("title", "Гипертензия: новые рекомендации"),
            ("summary", "Короткий модуль"),
            ("content", "Текст модуля."),
            ("credits", "3"),
            ("format", "online"),
            ("pass_percent", "80"),
            ("questions", TEST),
            (&key, "on"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{module}");
    let module = module.as_i64().unwrap();

    // A specialist finds it, includes it and sees its two questions.
    let (_, me) = specialist_with_cycle(&app, "editor-reader").await;
    let (_, found) = app
        .call(&me, "plan/elements", &[("query[q]", "новые рекомендации")])
        .await;
    assert_eq!(found["total"], 1, "{found}");
    let (_, item) = app
        .call(&me, "plan/include", &[("element_id", &module.to_string())])
        .await;
    let item = item.as_i64().unwrap().to_string();
    let (_, view) = app.call(&me, "plan/module", &[("item_id", &item)]).await;
    assert_eq!(view["questions"].as_array().unwrap().len(), 2);
    assert_eq!(view["pass_percent"], 80);

    // The editor shows it as saved; a third question and a new title are saved over it.
    let (_, editor) = app
        .call(
            &provider,
            "provider/editor",
            &[("element_id", &module.to_string())],
        )
        .await;
    assert_eq!(editor["input"]["title"], "Гипертензия: новые рекомендации");
    assert_eq!(
        editor["input"]["questions"],
        "? Целевое давление при гипертензии?\n+ Ниже 130/80\n- Ниже 160/100\n\n\
         ? Сколько минут покоя перед измерением?\n- 1\n+ 5\n- 15\n"
    );
    assert_eq!(editor["input"]["specialties"][&therapy], "on");
    let more = format!("{TEST}? Где измерять впервые?\n+ На обеих руках\n- На левой руке\n");
    let (status, body) = save(
        &app,
        &provider,
        Some(module),
        &[
            ("kind", "module"),
            ("title", "Артериальная гипертензия 2027"),
            ("summary", "Короткий модуль"),
            ("content", "Текст модуля, дополненный."),
            ("credits", "4"),
            ("format", "online"),
            ("pass_percent", "70"),
            ("questions", &more),
            (&key, "on"),
        ],
    )
    .await;
    assert_eq!((status, body.as_i64()), (200, Some(module)), "{body}");
    let (_, view) = app.call(&me, "plan/module", &[("item_id", &item)]).await;
    assert_eq!(view["questions"].as_array().unwrap().len(), 3);
    assert_eq!(view["title"], "Артериальная гипертензия 2027");
    let (_, old) = app
        .call(&me, "plan/elements", &[("query[q]", "новые рекомендации")])
        .await;
    assert_eq!(old["total"], 0);

    // An event: dates required, a place when it is held in person.
    let event = [
        ("kind", "event"),
        ("title", "Школа терапевта"),
        ("summary", "Однодневная школа"),
        ("content", ""),
        ("credits", "6"),
        ("format", "offline"),
        ("place", ""),
        ("starts_on", "2027-04-10"),
        ("ends_on", "2027-04-09"),
        (&key, "on"),
    ];
    let (status, body) = save(&app, &provider, None, &event).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["place", "ends_on"], "{body}");
    let mut good = event.to_vec();
    good[6].1 = "Казань, ул. Бутлерова, 49";
    good[8].1 = "10.04.2027";
    let (status, ev) = save(&app, &provider, None, &good).await;
    assert_eq!(status, 200, "{ev}");
    let (_, detail) = app
        .call(&me, "plan/element", &[("id", &ev.to_string())])
        .await;
    assert_eq!(detail["card"]["dates"], "10.04.2027");
    assert_eq!(detail["card"]["place"], "Казань, ул. Бутлерова, 49");

    // A programme: its runs; one with an application cannot be removed.
    let today = t.clock.today();
    let day = |n: u64| {
        today
            .checked_add_days(Days::new(n))
            .unwrap()
            .format("%d.%m.%Y")
            .to_string()
    };
    let runs = format!("{} — {}\n{} — {}", day(30), day(44), day(60), day(74));
    let programme = |runs: String| {
        vec![
            ("kind".to_owned(), "programme".to_owned()),
            ("title".into(), "Терапия: ДПП ПК 36 часов".into()),
            ("summary".into(), "Повышение квалификации".into()),
            ("content".into(), "Программа.".into()),
            ("credits".into(), "36".into()),
            ("format".into(), "online".into()),
            ("runs".into(), runs),
            (key.clone(), "on".into()),
        ]
    };
    let as_pairs = |v: &Vec<(String, String)>| -> Vec<(String, String)> { v.clone() };
    let form = as_pairs(&programme(runs));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, prog) = save(&app, &provider, None, &pairs).await;
    assert_eq!(status, 200, "{prog}");
    let prog = prog.as_i64().unwrap();
    let (_, item) = app
        .call(&me, "plan/include", &[("element_id", &prog.to_string())])
        .await;
    let item = item.as_i64().unwrap().to_string();
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    let first_run = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"].as_i64().map(|n| n.to_string()) == Some(item.clone()))
        .unwrap()["runs"][0]["id"]
        .to_string();
    let (status, _) = app
        .call(
            &me,
            "plan/apply",
            &[("item_id", &item), ("run_id", &first_run)],
        )
        .await;
    assert_eq!(status, 200);
    let form = programme(format!("{} — {}", day(60), day(74)));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = save(&app, &provider, Some(prog), &pairs).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["fields"][0]["message"],
        format!(
            "Цикл {} — {} убрать нельзя: на него уже есть заявки",
            day(30),
            day(44)
        )
    );
    let form = programme(format!(
        "{} — {}\n{} — {}",
        day(30),
        day(44),
        day(90),
        day(104)
    ));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(save(&app, &provider, Some(prog), &pairs).await.0, 200);
    let (_, editor) = app
        .call(
            &provider,
            "provider/editor",
            &[("element_id", &prog.to_string())],
        )
        .await;
    assert_eq!(
        editor["input"]["runs"],
        format!("{} — {}\n{} — {}\n", day(30), day(44), day(90), day(104))
    );
    let (_, plan) = app.call(&me, "plan/view", &[]).await;
    assert!(
        plan.to_string()
            .contains(&format!("{} — {}", day(30), day(44)))
    );
}

async fn the_editor_names_each_wrong_field(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (_, _, provider) = provider_account(&app, "Центр «Пульс»", "prov-fields").await;
    let (status, body) = save(&app, &provider, None, &[("kind", "module")]).await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&body),
        [
            "title",
            "summary",
            "content",
            "credits",
            "format",
            "pass_percent",
            "questions",
            "specialties"
        ],
        "{body}"
    );
    let (status, body) = save(
        &app,
        &provider,
        None,
        &[
            ("kind", "module"),
            ("questions", "? Вопрос\n+ да\n+ нет"),
            ("credits", "145"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    let messages: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(messages.contains(&"ЗЕТ — целое число от 1 до 144 (1 ЗЕТ = 1 академический час)"));
    assert!(messages.contains(&"Вопрос 1: нужны хотя бы два варианта и ровно один верный («+»)"));
    let (status, body) = save(
        &app,
        &provider,
        None,
        &[("kind", "programme"), ("runs", "завтра")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(fields(&body).contains(&"runs".to_owned()));
    let (status, body) = save(
        &app,
        &provider,
        None,
        &[("kind", "event"), ("title", "Школа\u{0}")],
    )
    .await;
    assert_eq!(
        (status, fields(&body)),
        (422, vec!["title".to_owned()]),
        "{body}"
    );
    assert_eq!(
        save(&app, &provider, None, &[("kind", "webinar")]).await.0,
        400
    );
    assert_eq!(
        save(
            &app,
            &provider,
            None,
            &[("kind", "event"), ("specialties][999999", "on")]
        )
        .await
        .0,
        400
    );
    assert_eq!(
        app.call(&provider, "provider/editor", &[("kind", "webinar")])
            .await
            .0,
        400
    );
}

async fn nobody_edits_another_providers_elements(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (pid, _, owner) = provider_account(&app, "Центр «Пульс»", "prov-owner").await;
    let (_, _, stranger) = provider_account(&app, "Центр «Чужой»", "prov-stranger").await;
    let module = common::publish(
        &app,
        pid,
        app::domain::nmo::plan::ElementKind::Module,
        "Чужой модуль",
        2,
        vec![],
    )
    .await;
    let therapy = therapy(&app, &owner).await;
    let key = format!("specialties][{therapy}");
    let form = [
        ("kind", "module"),
        ("title", "Перехвачено"),
        ("summary", "x"),
        ("content", "x"),
        ("credits", "1"),
        ("format", "online"),
        ("pass_percent", "70"),
        ("questions", "? q\n+ a\n- b"),
        (&key, "on"),
    ];
    let id = module.to_string();
    assert_eq!(
        app.call(&stranger, "provider/editor", &[("element_id", &id)])
            .await
            .0,
        404
    );
    assert_eq!(save(&app, &stranger, Some(module), &form).await.0, 404);
    // The owner cannot turn a module into an event either.
    let mut as_event = form.to_vec();
    as_event[0].1 = "event";
    as_event.extend([("starts_on", "2027-04-10"), ("ends_on", "2027-04-10")]);
    assert_eq!(save(&app, &owner, Some(module), &as_event).await.0, 404);
    let (_, specialist) = direct_user(&app, "specialist", "not-a-provider").await;
    assert_eq!(save(&app, &specialist, Some(module), &form).await.0, 403);
    assert_eq!(save(&app, &app.client(), Some(module), &form).await.0, 401);
    let (_, editor) = app
        .call(&owner, "provider/editor", &[("element_id", &id)])
        .await;
    assert_eq!(editor["input"]["title"], "Чужой модуль");
}

async fn racing_saves_add_a_run_once(t: TestDb) {
    let app = std::sync::Arc::new(TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await);
    let (_, _, provider) = provider_account(&app, "Центр «Пульс»", "prov-race-runs").await;
    let therapy = therapy(&app, &provider).await;
    let key = format!("specialties][{therapy}");
    let form = |runs: &'static str| {
        vec![
            ("kind".to_owned(), "programme".to_owned()),
            ("title".into(), "Гонка циклов".into()),
            ("summary".into(), "ДПП ПК".into()),
            ("content".into(), String::new()),
            ("credits".into(), "36".into()),
            ("format".into(), "online".into()),
            ("runs".into(), runs.to_owned()),
            (key.clone(), "on".into()),
        ]
    };
    let first = form("12.01.2027 — 25.01.2027");
    let pairs: Vec<(&str, &str)> = first
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (_, id) = save(&app, &provider, None, &pairs).await;
    let id = id.as_i64().unwrap();
    let both = form("12.01.2027 — 25.01.2027\n02.03.2027 — 15.03.2027");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, provider, both) = (app.clone(), provider.clone(), both.clone());
        tasks.push(tokio::spawn(async move {
            let pairs: Vec<(&str, &str)> =
                both.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            save(&app, &provider, Some(id), &pairs).await.0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let (_, editor) = app
        .call(
            &provider,
            "provider/editor",
            &[("element_id", &id.to_string())],
        )
        .await;
    assert_eq!(
        editor["input"]["runs"],
        "12.01.2027 — 25.01.2027\n02.03.2027 — 15.03.2027\n"
    );
}
