//! НМО's calendar rules, checked by moving the test clock (never by sleeping): an ИКП is
//! confirmed 24 hours after activation, across Moscow midnight and a month end; credits count
//! in the Moscow year of completion across a New Year; a five-year cycle ends on its last Moscow
//! day and the next one follows. Every instant is chosen relative to the clock's start, so the
//! file passes whatever `KABINET_TEST_NOW` says.

mod common;

use app::domain::nmo::documents::cycle_end;
use app::domain::nmo::plan::ElementKind;
use app::domain::time::{moscow_date, moscow_instant};
use app::ssr::entities::confirmation_code;
use app::ssr::service::{plan, provider};
use chrono::{DateTime, Datelike as _, Days, Months, NaiveDate, NaiveTime, TimeDelta, Utc};
use common::{TestApp, TestDb, direct_user_session, mails_with_subject};
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _};
use serde_json::Value;

on_both_databases!(
    a_code_is_confirmed_24_hours_after_activation_across_midnight_and_a_month_end,
    credits_count_in_the_moscow_year_of_completion_across_new_year,
    a_five_year_cycle_ends_after_its_last_moscow_day_and_the_next_one_follows,
);

const ORGANISATION: &str = "ФГАОУ ВО Первый МГМУ им. И. М. Сеченова Минздрава России";

/// The instant a Moscow wall clock shows `h:m` on `date`.
fn msk(date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    moscow_instant(date, NaiveTime::from_hms_opt(h, m, 0).expect("time"))
}

fn ddmmyyyy(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d + Days::new(1)
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("first of the month") + Months::new(1) - Days::new(1)
}

/// A specialist (agreement accepted, ВО) with a «Терапия» certificate issued on `issued_on`,
/// whose cycle is the one the plan shows.
async fn specialist(app: &TestApp, login: &str, issued_on: NaiveDate) -> i64 {
    common::specialist_certified(app, login, issued_on, issued_on)
        .await
        .0
}

/// A client signed in as `user_id` now, by the clock: sessions expire as the clock moves on.
async fn signed_in(app: &TestApp, user_id: i64) -> reqwest::Client {
    direct_user_session(app, user_id).await.1
}

/// Publishes an element for «Терапия»; events are held on `on`, modules have one question
/// whose first option is right.
async fn publish(
    app: &TestApp,
    provider_id: i64,
    kind: ElementKind,
    title: &str,
    credits: i32,
    on: Option<NaiveDate>,
) -> i64 {
    let questions = if kind == ElementKind::Module {
        vec![(
            "Верный ответ — первый?".to_owned(),
            vec![("Да".to_owned(), true), ("Нет".to_owned(), false)],
        )]
    } else {
        Vec::new()
    };
    common::publish_on(app, provider_id, (kind, title, credits), questions, on).await
}

async fn include(app: &TestApp, me: &reqwest::Client, element: i64) -> String {
    let (status, item) = app
        .call(me, "plan/include", &[("element_id", &element.to_string())])
        .await;
    assert_eq!(status, 200, "{item}");
    item.as_i64().expect("item id").to_string()
}

/// Passes a module's final test (its first option is right) at the clock's present time.
async fn pass_module(app: &TestApp, me: &reqwest::Client, item: &str) {
    let (status, module) = app.call(me, "plan/module", &[("item_id", item)]).await;
    assert_eq!(status, 200, "{module}");
    let question = module["questions"][0]["id"].to_string();
    let right = module["questions"][0]["options"][0]["id"].to_string();
    let key = format!("answers[{question}]");
    let (status, attempt) = app
        .call(
            me,
            "plan/submit_test",
            &[("item_id", item), (key.as_str(), right.as_str())],
        )
        .await;
    assert_eq!(status, 200, "{attempt}");
    assert_eq!(attempt["passed"], true, "{attempt}");
}

async fn plan_view(app: &TestApp, me: &reqwest::Client) -> Value {
    let (status, plan) = app.call(me, "plan/view", &[]).await;
    assert_eq!(status, 200, "{plan}");
    plan
}

fn item<'a>(plan: &'a Value, title: &str) -> &'a Value {
    plan["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("no «{title}» in {plan}"))
}

fn year_credits(plan: &Value) -> Vec<u64> {
    plan["credits"]["years"]
        .as_array()
        .expect("years")
        .iter()
        .map(|y| y["credits"].as_u64().expect("credits"))
        .collect()
}

/// Which bar of the chart (1–5) is marked as the current year, if any.
fn current_bar(plan: &Value) -> Option<usize> {
    plan["chart_svg"]
        .as_str()
        .expect("chart")
        .split("<rect")
        .skip(1)
        .position(|bar| bar.contains("chart__bar--now"))
        .map(|i| i + 1)
}

async fn auto_confirm(t: &TestDb, app: &TestApp) -> usize {
    plan::auto_confirm_due(&t.db, &app.state.settings, t.clock.now())
        .await
        .expect("automatic check")
}

async fn activated_at(t: &TestDb, code_id: i64) -> DateTime<Utc> {
    confirmation_code::Entity::find_by_id(code_id)
        .one(&t.db)
        .await
        .expect("code")
        .expect("code row")
        .activated_at
        .expect("activated")
}

async fn codes_of(t: &TestDb, event: i64) -> Vec<confirmation_code::Model> {
    confirmation_code::Entity::find()
        .filter(confirmation_code::Column::ElementId.eq(event))
        .order_by_asc(confirmation_code::Column::ActivatedAt)
        .all(&t.db)
        .await
        .expect("codes")
}

async fn a_code_is_confirmed_24_hours_after_activation_across_midnight_and_a_month_end(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let start = t.clock.now();
    // The last day of this month, or of the next once this one's 23:30 (МСК) has passed.
    let mut month_end = last_day_of_month(moscow_date(start));
    if msk(month_end, 23, 30) <= start {
        month_end = last_day_of_month(next_day(month_end));
    }
    let first_of_next = next_day(month_end);
    assert_eq!(first_of_next.day(), 1);

    let (pid, provider_user, _) =
        common::provider_account(&app, "Конгресс-центр", "cal-prov").await;
    let event = publish(
        &app,
        pid,
        ElementKind::Event,
        "Конгресс в последний день месяца",
        6,
        Some(month_end),
    )
    .await;
    let early = specialist(&app, "cal-early", t.clock.today()).await;
    let late = specialist(&app, "cal-late", t.clock.today()).await;
    let early_item = include(&app, &signed_in(&app, early).await, event).await;
    let late_item = include(&app, &signed_in(&app, late).await, event).await;
    let codes = provider::issue_codes(&t.db, provider_user, event, 2, t.clock.now())
        .await
        .expect("codes")
        .codes;

    // One code at 23:30 on the month's last day, the other at 00:30 on the 1st — which is
    // still the month's last day in UTC.
    t.clock.set(msk(month_end, 23, 30));
    let me = signed_in(&app, early).await;
    let (status, body) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &early_item), ("code", &codes[0])],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    t.clock.set(msk(first_of_next, 0, 30));
    let (status, body) = app
        .call(
            &signed_in(&app, late).await,
            "plan/activate_code",
            &[("item_id", &late_item), ("code", &codes[1])],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rows = codes_of(&t, event).await;
    let (first_id, second_id) = (rows[0].id, rows[1].id);
    let (a1, a2) = (
        activated_at(&t, first_id).await,
        activated_at(&t, second_id).await,
    );
    assert!(a1 >= msk(month_end, 23, 30) && a1 - msk(month_end, 23, 30) < TimeDelta::seconds(1));
    assert!(
        a2 >= msk(first_of_next, 0, 30) && a2 - msk(first_of_next, 0, 30) < TimeDelta::seconds(1)
    );
    assert_eq!(moscow_date(a1), month_end);
    assert_eq!(moscow_date(a2), first_of_next);
    assert_eq!(
        a2.date_naive(),
        month_end,
        "00:30 МСК is 21:30 UTC the day before"
    );

    // 23 h 59 min later it is 23:29 on the 1st: past midnight and the month end, not yet due.
    t.clock
        .set(a1 + TimeDelta::hours(23) + TimeDelta::minutes(59));
    assert_eq!(t.clock.today(), first_of_next);
    assert_eq!(auto_confirm(&t, &app).await, 0);
    let me = signed_in(&app, early).await;
    let view = plan_view(&app, &me).await;
    let event_title = "Конгресс в последний день месяца";
    assert_eq!(
        item(&view, event_title)["status_label"],
        "Код активирован, на проверке"
    );
    assert!(item(&view, event_title)["earned"].is_null(), "{view}");
    // A microsecond short of 24 hours: still not due.
    t.clock
        .set(a1 + TimeDelta::hours(24) - TimeDelta::microseconds(1));
    assert_eq!(auto_confirm(&t, &app).await, 0);

    // At 24 hours exactly the first code is confirmed, and only it.
    t.clock.set(a1 + TimeDelta::hours(24));
    assert_eq!(auto_confirm(&t, &app).await, 1);
    assert_eq!(auto_confirm(&t, &app).await, 0);
    let first = confirmation_code::Entity::find_by_id(first_id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.status, "confirmed");
    assert_eq!(first.reviewed_at, Some(a1 + TimeDelta::hours(24)));
    let me = signed_in(&app, early).await;
    let view = plan_view(&app, &me).await;
    let confirmed = item(&view, event_title);
    assert_eq!(confirmed["status_label"], "Подтверждено");
    assert_eq!(confirmed["earned"], 6);
    // The credits belong to the day the event was held, not the day of the check.
    assert_eq!(confirmed["completed_on"], ddmmyyyy(month_end));
    assert_eq!(view["credits"]["events"], 6, "{view}");
    let other = signed_in(&app, late).await;
    assert_eq!(
        item(&plan_view(&app, &other).await, event_title)["status_label"],
        "Код активирован, на проверке"
    );

    // The code activated after midnight waits its own 24 hours.
    t.clock
        .set(a2 + TimeDelta::hours(24) - TimeDelta::microseconds(1));
    assert_eq!(auto_confirm(&t, &app).await, 0);
    t.clock.set(a2 + TimeDelta::hours(24));
    assert_eq!(auto_confirm(&t, &app).await, 1);
    assert_eq!(auto_confirm(&t, &app).await, 0);
    let other = signed_in(&app, late).await;
    let view = plan_view(&app, &other).await;
    assert_eq!(item(&view, event_title)["status_label"], "Подтверждено");
    assert_eq!(
        item(&view, event_title)["completed_on"],
        ddmmyyyy(month_end)
    );
    assert_eq!(
        mails_with_subject(&t.db, "Зачислены баллы НМО").await.len(),
        2
    );

    // The provider sees both activations in Moscow time, confirmed, and the 24-hour rule.
    let acts = provider::activations(&t.db, &app.state.settings, provider_user, event)
        .await
        .expect("activations");
    assert_eq!(acts.auto_confirm, "24 часа");
    let mut seen: Vec<(String, String)> = acts
        .items
        .iter()
        .map(|a| (a.activated_at.clone(), a.status_label.clone()))
        .collect();
    seen.sort();
    let mut expected = vec![
        (
            format!("{} 23:30", ddmmyyyy(month_end)),
            "Подтверждён".to_owned(),
        ),
        (
            format!("{} 00:30", ddmmyyyy(first_of_next)),
            "Подтверждён".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(seen, expected);
}

async fn credits_count_in_the_moscow_year_of_completion_across_new_year(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let start = t.clock.now();
    let this_year = moscow_date(start).year();
    // The next 31 December whose 23:50 (МСК) is still ahead.
    let mut eve = NaiveDate::from_ymd_opt(this_year, 12, 31).expect("31 December");
    if msk(eve, 23, 50) <= start {
        eve = NaiveDate::from_ymd_opt(this_year + 1, 12, 31).expect("31 December");
    }
    let new_year = next_day(eve);
    let (y, next_y) = (eve.year(), new_year.year());
    // A cycle that starts on 1 January, so its years are calendar years; the eve falls in
    // year `n` of it.
    let cycle_start = NaiveDate::from_ymd_opt(this_year, 1, 1).expect("1 January");
    let n = usize::try_from(y - this_year + 1).expect("year of the cycle");

    let (pid, provider_user, _) =
        common::provider_account(&app, "Новогодний провайдер", "ny-prov").await;
    let before = "Модуль до полуночи";
    let after = "Модуль после полуночи";
    let party = "Конференция 31 декабря";
    let m1 = publish(&app, pid, ElementKind::Module, before, 4, None).await;
    let m2 = publish(&app, pid, ElementKind::Module, after, 5, None).await;
    let ev = publish(&app, pid, ElementKind::Event, party, 6, Some(eve)).await;
    let uid = specialist(&app, "ny-spec", cycle_start).await;
    let me = signed_in(&app, uid).await;
    let (i1, i2, i3) = (
        include(&app, &me, m1).await,
        include(&app, &me, m2).await,
        include(&app, &me, ev).await,
    );
    let code = provider::issue_codes(&t.db, provider_user, ev, 1, t.clock.now())
        .await
        .expect("code")
        .codes
        .remove(0);

    // 31 December, 23:50 in Moscow is 20:50 UTC.
    let late_eve = msk(eve, 23, 50);
    assert_eq!(
        late_eve,
        NaiveDate::from_ymd_opt(y, 12, 31)
            .unwrap()
            .and_hms_opt(20, 50, 0)
            .unwrap()
            .and_utc()
    );
    t.clock.set(late_eve);
    let me = signed_in(&app, uid).await;
    pass_module(&app, &me, &i1).await;
    let view = plan_view(&app, &me).await;
    assert_eq!(item(&view, before)["completed_on"], ddmmyyyy(eve));
    assert_eq!(item(&view, before)["earned"], 4);
    let mut expected = vec![0u64; 5];
    expected[n - 1] = 4;
    assert_eq!(year_credits(&view), expected, "{view}");
    assert_eq!(
        view["credits"]["years"][n - 1]["to"],
        eve.format("%Y-%m-%d").to_string()
    );
    let sentence = view["sentence"].as_str().unwrap();
    assert!(
        sentence.contains(&format!(
            "В {n}-м году цикла (до 31.12.{y}) рекомендуется набрать ещё 46 баллов."
        )),
        "{sentence}"
    );
    assert_eq!(current_bar(&view), Some(n));

    // 1 January, 00:10 in Moscow — 21:10 UTC, still 31 December there.
    let just_after = msk(new_year, 0, 10);
    assert_eq!(just_after.date_naive(), eve);
    t.clock.set(just_after);
    let me = signed_in(&app, uid).await;
    pass_module(&app, &me, &i2).await;
    let (status, body) = app
        .call(
            &me,
            "plan/activate_code",
            &[("item_id", &i3), ("code", &code)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let view = plan_view(&app, &me).await;
    assert_eq!(item(&view, after)["completed_on"], ddmmyyyy(new_year));
    expected[n] = 5;
    assert_eq!(year_credits(&view), expected, "{view}");
    assert_eq!(view["credits"]["modules"], 9);
    let sentence = view["sentence"].as_str().unwrap();
    assert!(
        sentence.starts_with("За цикл набрано 9 баллов из 250: осталось 241 балл."),
        "{sentence}"
    );
    assert!(
        sentence.contains(&format!(
            "В {}-м году цикла (до 31.12.{next_y}) рекомендуется набрать ещё 45 баллов.",
            n + 1
        )),
        "{sentence}"
    );
    assert_eq!(current_bar(&view), Some(n + 1));
    let chart = view["chart_svg"].as_str().unwrap();
    assert!(chart.contains(&format!("{n}-й год — 4 балла")), "{chart}");
    assert!(
        chart.contains(&format!("{}-й год — 5 баллов", n + 1)),
        "{chart}"
    );

    // The event's code, activated after midnight, is confirmed on 2 January; its credits
    // count in the year the event was held.
    let activated = activated_at(&t, codes_of(&t, ev).await[0].id).await;
    assert_eq!(moscow_date(activated), new_year);
    t.clock
        .set(activated + TimeDelta::hours(24) - TimeDelta::microseconds(1));
    assert_eq!(auto_confirm(&t, &app).await, 0);
    t.clock.set(activated + TimeDelta::hours(24));
    assert_eq!(auto_confirm(&t, &app).await, 1);
    let me = signed_in(&app, uid).await;
    let view = plan_view(&app, &me).await;
    assert_eq!(item(&view, party)["status_label"], "Подтверждено");
    assert_eq!(item(&view, party)["completed_on"], ddmmyyyy(eve));
    expected[n - 1] = 10;
    assert_eq!(year_credits(&view), expected, "{view}");
    assert_eq!(
        (&view["credits"]["modules"], &view["credits"]["events"]),
        (&Value::from(9), &Value::from(6))
    );
    assert!(
        view["sentence"]
            .as_str()
            .unwrap()
            .starts_with("За цикл набрано 15 баллов из 250: осталось 235 баллов."),
        "{view}"
    );

    // The portfolio counts the same way, in order of completion.
    let (status, portfolio) = app.call(&me, "plan/portfolio", &[]).await;
    assert_eq!(status, 200, "{portfolio}");
    let cycle = &portfolio["cycles"][0];
    let done: Vec<(&str, &str)> = cycle["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap(),
                i["completed_on"].as_str().unwrap(),
            )
        })
        .collect();
    let (eve_s, new_year_s) = (ddmmyyyy(eve), ddmmyyyy(new_year));
    assert_eq!(
        done,
        [
            (before, eve_s.as_str()),
            (party, eve_s.as_str()),
            (after, new_year_s.as_str())
        ]
    );
    let years: Vec<u64> = cycle["credits"]["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["credits"].as_u64().unwrap())
        .collect();
    assert_eq!(years, expected);
}

async fn a_five_year_cycle_ends_after_its_last_moscow_day_and_the_next_one_follows(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let today = t.clock.today();
    // A certificate issued about five years ago, so that its cycle ends a day or two from now.
    let (issued, end) = (1..=3)
        .map(|ahead| {
            let end = today + Days::new(ahead);
            let issued = next_day(end) - Months::new(60);
            (issued, end)
        })
        .find(|(issued, end)| cycle_end(*issued) == *end)
        .expect("an issue date whose cycle ends soon");
    // The rule, independently: five years to the day before.
    assert_eq!(
        issued.with_year(issued.year() + 5),
        Some(next_day(end)),
        "{issued} → {end}"
    );
    let period = format!("{} — {}", ddmmyyyy(issued), ddmmyyyy(end));

    let (pid, _, _) = common::provider_account(&app, "Провайдер", "end-prov").await;
    let last_day = "Модуль в последний день цикла";
    let day_after = "Модуль на следующий день";
    let m1 = publish(&app, pid, ElementKind::Module, last_day, 4, None).await;
    let m2 = publish(&app, pid, ElementKind::Module, day_after, 3, None).await;
    let uid = specialist(&app, "end-spec", issued).await;
    let me = signed_in(&app, uid).await;
    let i1 = include(&app, &me, m1).await;
    let i2 = include(&app, &me, m2).await;

    let cycles = |me: reqwest::Client| {
        let app = &app;
        async move {
            let (status, list) = app.call(&me, "nmo/cycles", &[]).await;
            assert_eq!(status, 200, "{list}");
            list
        }
    };
    let list = cycles(me.clone()).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(
        (&list[0]["period"], &list[0]["state"], &list[0]["current"]),
        (
            &Value::from(period.clone()),
            &Value::from("идёт"),
            &Value::from(true)
        )
    );
    assert_eq!(list[0]["document"], "Сертификат специалиста 017718 0456123");
    let view = plan_view(&app, &me).await;
    assert_eq!(view["cycle"]["period"], period);
    assert!(
        view["sentence"].as_str().unwrap().contains(&format!(
            "В 5-м году цикла (до {}) рекомендуется набрать ещё 50 баллов.",
            ddmmyyyy(end)
        )),
        "{view}"
    );

    // The last minute of the cycle's last day: it still runs, and a module passed now counts.
    t.clock.set(msk(end, 23, 59));
    let me = signed_in(&app, uid).await;
    pass_module(&app, &me, &i1).await;
    let list = cycles(me.clone()).await;
    assert_eq!(list[0]["state"], "идёт");
    let view = plan_view(&app, &me).await;
    assert_eq!(item(&view, last_day)["completed_on"], ddmmyyyy(end));
    assert_eq!(year_credits(&view), [0, 0, 0, 0, 4]);
    assert!(
        view["sentence"].as_str().unwrap().contains(&format!(
            "В 5-м году цикла (до {}) рекомендуется набрать ещё 46 баллов.",
            ddmmyyyy(end)
        )),
        "{view}"
    );
    assert_eq!(current_bar(&view), Some(5));
    // The next document cannot be dated tomorrow yet.
    let extract = |day: NaiveDate| {
        vec![
            ("form[kind]", "extract".to_owned()),
            ("form[specialty]", "Терапия".to_owned()),
            ("form[organisation]", ORGANISATION.to_owned()),
            ("form[number]", "7700-0012345".to_owned()),
            ("form[exam_date]", ddmmyyyy(day)),
            ("form[issue_date]", ddmmyyyy(day)),
            ("form[confirm_data]", "on".to_owned()),
            ("form[confirm_own]", "on".to_owned()),
        ]
    };
    let form = extract(next_day(end));
    let (status, body) = app
        .call(&me, "nmo/add_document", &common::pairs(&form))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "issue_date" && f["message"] == "Дата не может быть в будущем"),
        "{body}"
    );

    // Midnight in Moscow (21:00 UTC, still the last day there): the cycle is over.
    let after_end = msk(next_day(end), 0, 0);
    assert_eq!(after_end.date_naive(), end);
    t.clock.set(after_end);
    let me = signed_in(&app, uid).await;
    let list = cycles(me.clone()).await;
    assert_eq!(
        (&list[0]["state"], &list[0]["current"]),
        (&Value::from("завершён"), &Value::from(true))
    );
    let (status, page) = {
        let res = me.get(app.url("/nmo/cycles")).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(
        page.contains("<span class=\"badge\">завершён</span>"),
        "{page}"
    );
    assert!(
        !page.contains("<span class=\"badge\">идёт</span>"),
        "{page}"
    );
    let view = plan_view(&app, &me).await;
    assert_eq!(view["cycle"]["period"], period);
    assert_eq!(
        view["sentence"],
        "За цикл набрано 4 балла из 250: осталось 246 баллов. Для периодической аккредитации \
         нужно 144 ЗЕТ, из них не менее 72 по ДПП ПК: не хватает 140 баллов, в том числе 72 \
         балла по ДПП ПК."
    );
    assert_eq!(current_bar(&view), None, "no year of the cycle is current");
    // What is completed after the end no longer counts toward the ended cycle.
    pass_module(&app, &me, &i2).await;
    let view = plan_view(&app, &me).await;
    assert_eq!(
        item(&view, day_after)["completed_on"],
        ddmmyyyy(next_day(end))
    );
    assert_eq!(year_credits(&view), [0, 0, 0, 0, 4]);
    assert_eq!(view["credits"]["modules"], 4);

    // The next cycle: a выписка issued today opens it; the plan keeps showing the chosen one
    // until the specialist makes the new one current.
    let form = extract(next_day(end));
    let (status, new_cycle) = app
        .call(&me, "nmo/add_document", &common::pairs(&form))
        .await;
    assert_eq!(status, 200, "{new_cycle}");
    let new_start = next_day(end);
    let new_end = new_start
        .with_year(new_start.year() + 5)
        .expect("five years on")
        - Days::new(1);
    let new_period = format!("{} — {}", ddmmyyyy(new_start), ddmmyyyy(new_end));
    let list = cycles(me.clone()).await;
    let seen: Vec<(String, String, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["period"].as_str().unwrap().to_owned(),
                c["state"].as_str().unwrap().to_owned(),
                c["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (new_period.clone(), "идёт".to_owned(), false),
            (period.clone(), "завершён".to_owned(), true),
        ]
    );
    assert_eq!(
        list[0]["document"],
        "Выписка о (периодической) аккредитации 7700-0012345"
    );
    let (status, body) = app
        .call(&me, "nmo/choose_cycle", &[("id", &new_cycle.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    let view = plan_view(&app, &me).await;
    assert_eq!(view["cycle"]["period"], new_period);
    assert!(view["items"].as_array().unwrap().is_empty(), "{view}");
    assert_eq!(
        view["sentence"],
        format!(
            "За цикл набрано 0 баллов из 250: осталось 250 баллов. В 1-м году цикла (до {}) \
             рекомендуется набрать ещё 50 баллов. Для периодической аккредитации нужно 144 ЗЕТ, \
             из них не менее 72 по ДПП ПК: не хватает 144 балла, в том числе 72 балла по ДПП ПК.",
            ddmmyyyy(new_start + Months::new(12) - Days::new(1))
        )
    );
    assert_eq!(current_bar(&view), Some(1));
}
