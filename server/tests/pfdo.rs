//! ПФДО on SQLite and PostgreSQL: the application storm against one certificate over two
//! server instances, every contract transition with its money, the jobs run twice and by two
//! instances at once, and access control. The money invariant is checked after each scenario.

mod common;

use app::domain::pfdo::contract::{Action, Status};
use app::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_certificate_period as period,
    pfdo_contract as contract, pfdo_group as group, pfdo_module as module,
    pfdo_municipality as municipality, pfdo_nominal as nominal, pfdo_programme as programme, user,
};
use app::ssr::service::pfdo::{self as pfdo, applications, certificates, contracts, jobs};
use chrono::{Datelike as _, NaiveDate};
use common::{TestApp, TestDb};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, QueryFilter as _, Set};

on_both_databases!(
    application_storm_spends_the_money_once,
    contract_lifecycle_moves_money_and_keeps_history,
    jobs_change_things_once_however_often_and_wherever_they_run,
    each_side_sees_only_its_own,
    settings_merge_switch_and_confirmation,
    provider_applies_for_a_child_only_as_allowed,
    news_events_and_portfolio,
    operator_registries_of_categories_providers_and_programmes,
);

async fn operator_id(db: &sea_orm::DatabaseConnection) -> i64 {
    user::Entity::find()
        .filter(user::Column::Login.eq("operator"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn raduga(db: &sea_orm::DatabaseConnection) -> (i64, i64) {
    let u = user::Entity::find()
        .filter(user::Column::Login.eq("raduga"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let p = app::ssr::service::provider::me(db, u.id).await.unwrap();
    (p.id, u.id)
}

/// A category with room for many programmes of every registry.
async fn roomy_category(db: &sea_orm::DatabaseConnection, name: &str) -> i64 {
    let m = municipality::Entity::find()
        .filter(municipality::Column::Name.eq(app::ssr::seed_pfdo::MUNICIPALITY))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let c = category::ActiveModel {
        municipality_id: Set(m.id),
        name: Set(name.into()),
        limit_certified: Set(200),
        limit_significant: Set(200),
        limit_paid: Set(200),
        limit_general: Set(200),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    c.id
}

/// Issues a financed certificate in `category` and gives it `balance` kopecks for this year.
async fn certificate_with(
    db: &sea_orm::DatabaseConnection,
    settings: &app::ssr::settings::Settings,
    category_id: i64,
    balance: i64,
    last_name: &str,
) -> certificates::Issued {
    let issued = certificates::issue(
        db,
        settings,
        operator_id(db).await,
        &certificates::IssueForm {
            last_name: last_name.into(),
            first_name: "Тимофей".into(),
            birth_date: "2016-05-10".into(),
            category_id: category_id.to_string(),
            kind: "financed".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let year = pfdo::today().year();
    period::Entity::delete_many()
        .filter(period::Column::CertificateId.eq(issued.id))
        .exec(db)
        .await
        .unwrap();
    period::ActiveModel {
        certificate_id: Set(issued.id),
        year: Set(year),
        nominal: Set(balance),
        balance: Set(balance),
        reserve: Set(0),
        paid: Set(0),
    }
    .insert(db)
    .await
    .unwrap();
    issued
}

/// A certified programme of «Радуга» with `n` modules of one group each, running this season.
async fn programme_with_modules(
    db: &sea_orm::DatabaseConnection,
    title: &str,
    n: usize,
    price: i64,
) -> Vec<i64> {
    let (provider_id, _) = raduga(db).await;
    let m = municipality::Entity::find()
        .filter(municipality::Column::Name.eq(app::ssr::seed_pfdo::MUNICIPALITY))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let today = pfdo::today();
    let p = programme::ActiveModel {
        provider_id: Set(provider_id),
        municipality_id: Set(m.id),
        title: Set(title.into()),
        description: Set("Тестовая программа".into()),
        goals: Set("Проверить деньги".into()),
        search_text: Set(app::domain::nmo::catalogue::search_fold(title)),
        activity: Set("technical".into()),
        age_from: Set(5),
        age_to: Set(17),
        registry: Set("certified".into()),
        max_children: Set(1000),
        children: Set(0),
        visible: Set(true),
        created_at: Set(app::ssr::db::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let starts = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap();
    let ends = NaiveDate::from_ymd_opt(today.year() + 1, 5, 31).unwrap();
    let mut groups = Vec::new();
    for i in 0..n {
        let md = module::ActiveModel {
            programme_id: Set(p.id),
            title: Set(format!("Модуль {}", i + 1)),
            hours: Set(36),
            price: Set(price),
            normative_price: Set(price),
            starts_on: Set(starts),
            ends_on: Set(ends),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let g = group::ActiveModel {
            module_id: Set(md.id),
            name: Set(format!("Группа {}", i + 1)),
            address: Set("ул. Садовая, 12".into()),
            teacher: Set("Белова О. С.".into()),
            capacity: Set(5),
            taken: Set(0),
            starts_on: Set(starts),
            ends_on: Set(ends),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        groups.push(g.id);
    }
    groups
}

async fn invariant(db: &sea_orm::DatabaseConnection) {
    pfdo::check_invariant(db)
        .await
        .expect("the money invariant");
}

/// 64 applications for 64 different modules race against one certificate through two server
/// instances. Each quoted share is the same; the balance covers exactly `expect` of them.
async fn application_storm_spends_the_money_once(t: TestDb) {
    app::ssr::seed_pfdo::seed_pfdo(&t.db).await.unwrap();
    let settings = t.settings();
    let first = TestApp::spawn(t.db.clone(), settings.clone()).await;
    let second = TestApp::spawn(t.reconnect().await, settings.clone()).await;
    let cat = roomy_category(&t.db, "Шторм").await;
    let groups = programme_with_modules(&t.db, "Штормовая робототехника", 64, 100_000_000).await;
    // The first quote tells the share; the balance is 10½ shares.
    let probe = certificate_with(&t.db, &settings, cat, 1_000_000_000, "Пробный").await;
    let probe_user = certificate::Entity::find_by_id(probe.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let share = applications::quote_for(&t.db, probe_user, groups[0], None)
        .await
        .unwrap()
        .certificate_share
        .0;
    assert!(share > 0);
    let balance = share * 10 + share / 2;
    let issued = certificate_with(&t.db, &settings, cat, balance, "Штормов").await;
    let clients = [(&first, first.client()), (&second, second.client())];
    for (app, c) in &clients {
        assert_eq!(app.login(c, &issued.number, &issued.password).await, 200);
    }
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let (app, client) = &clients[i % 2];
        let url = app.url("/api/pfdo/apply");
        let client = client.clone();
        let g = *g;
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .form(&[
                    ("group_id", g.to_string()),
                    ("year", pfdo::today().year().to_string()),
                    ("share", share.to_string()),
                    ("confirm_apply", "on".into()),
                    ("confirm_family", "on".into()),
                    ("confirm_terms", "on".into()),
                ])
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.text().await.unwrap_or_default())
        }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            200 => ok += 1,
            422 => {
                assert!(
                    body.contains("значение Вашего номинала было изменено")
                        || body.contains("не осталось свободных средств"),
                    "{body}"
                );
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let elapsed = started.elapsed();
    let p = period::Entity::find_by_id((issued.id, pfdo::today().year()))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    println!(
        "application storm on {} (two instances): 64 racers, share {share}, balance {balance} → \
         {ok} accepted, {refused} refused, balance left {}, reserve {}, {} ms",
        t.kind,
        p.balance,
        p.reserve,
        elapsed.as_millis()
    );
    assert_eq!(ok, 10, "exactly as many as the balance allows");
    assert_eq!(p.reserve, share * 10);
    assert_eq!(p.balance, share / 2);
    invariant(&t.db).await;
}

async fn contract_lifecycle_moves_money_and_keeps_history(t: TestDb) {
    app::ssr::seed_pfdo::seed_pfdo(&t.db).await.unwrap();
    let db = &t.db;
    let settings = t.settings();
    certificates::set_limit(db, operator_id(db).await, "1000")
        .await
        .unwrap();
    let cat = roomy_category(db, "Жизненный цикл").await;
    let groups = programme_with_modules(db, "Цикл договора", 3, 1_200_000).await;
    let issued = certificate_with(db, &settings, cat, 3_000_100, "Циклов").await;
    let parent = certificate::Entity::find_by_id(issued.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let (provider_id, _) = raduga(db).await;
    let year = pfdo::today().year();
    let apply = |g: i64, share: i64| applications::ApplyForm {
        group_id: g,
        year,
        share,
        confirm_apply: Some("on".into()),
        confirm_family: Some("on".into()),
        confirm_terms: Some("on".into()),
    };
    // Missing confirmations are named.
    let q = applications::quote_for(db, parent, groups[0], None)
        .await
        .unwrap();
    let mut bare = apply(groups[0], q.certificate_share.0);
    bare.confirm_terms = None;
    match applications::submit(db, parent, &bare).await {
        Err(app::error::AppError::Validation(v)) => {
            assert_eq!(v[0].field, "confirm_terms");
            assert_eq!(v[0].message, "Вы должны подтвердить своё согласие");
        }
        other => panic!("{other:?}"),
    }
    // A stale share is refused with the exact sentence.
    let err = applications::submit(db, parent, &apply(groups[0], q.certificate_share.0 + 1))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("К сожалению заявка не может быть направлена")
    );
    let id = applications::submit(db, parent, &apply(groups[0], q.certificate_share.0))
        .await
        .unwrap();
    invariant(db).await;
    // The same module twice is refused.
    let again = applications::submit(db, parent, &apply(groups[0], q.certificate_share.0))
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("уже есть заявка или договор"),
        "{again}"
    );
    let p0 = period::Entity::find_by_id((issued.id, year))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p0.reserve, q.certificate_share.0);
    assert_eq!(p0.balance, 3_000_100 - q.certificate_share.0);
    let prov = contracts::Viewer::Provider(provider_id);
    contracts::act(db, prov, id, Action::Confirm, None)
        .await
        .unwrap();
    // A second click changes nothing.
    assert!(matches!(
        contracts::act(db, prov, id, Action::Confirm, None).await,
        Err(app::error::AppError::Conflict(_))
    ));
    // Not activated yet: no contract can be concluded, and the message says so.
    let e = contracts::act(db, prov, id, Action::Conclude, None)
        .await
        .unwrap_err();
    assert!(
        e.to_string().starts_with("Сертификат ещё не активирован"),
        "{e}"
    );
    certificates::activate(db, operator_id(db).await, issued.id)
        .await
        .unwrap();
    contracts::act(db, prov, id, Action::Conclude, None)
        .await
        .unwrap();
    let c = contract::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, Status::Active.code());
    assert!(c.paid > 0, "the first month is paid at conclusion");
    assert_eq!(c.reserve + c.paid, c.cert_share);
    invariant(db).await;
    // A second application, cancelled by the parent: its reserve returns.
    let q2 = applications::quote_for(db, parent, groups[1], None)
        .await
        .unwrap();
    let id2 = applications::submit(db, parent, &apply(groups[1], q2.certificate_share.0))
        .await
        .unwrap();
    let before = period::Entity::find_by_id((issued.id, year))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    contracts::act(
        db,
        contracts::Viewer::Parent(parent),
        id2,
        Action::Cancel,
        None,
    )
    .await
    .unwrap();
    let after = period::Entity::find_by_id((issued.id, year))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.balance, before.balance + q2.certificate_share.0);
    assert_eq!(after.reserve, before.reserve - q2.certificate_share.0);
    let g1 = group::Entity::find_by_id(groups[1])
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(g1.taken, 0, "the place is free again");
    // A third, refused by the provider with a reason (an empty one is refused).
    let q3 = applications::quote_for(db, parent, groups[2], None)
        .await
        .unwrap();
    let id3 = applications::submit(db, parent, &apply(groups[2], q3.certificate_share.0))
        .await
        .unwrap();
    assert!(matches!(
        contracts::act(db, prov, id3, Action::Refuse, Some("  ")).await,
        Err(app::error::AppError::Validation(_))
    ));
    contracts::act(db, prov, id3, Action::Refuse, Some("Группа укомплектована"))
        .await
        .unwrap();
    let card = contracts::card(db, contracts::Viewer::Parent(parent), id3)
        .await
        .unwrap();
    assert_eq!(card.contract.status_title, "Отклонен без заключения");
    assert!(
        card.history
            .iter()
            .any(|h| h.text.contains("Группа укомплектована"))
    );
    invariant(db).await;
    // Termination: later months return now, the contract closes with the month.
    contracts::act(db, prov, id, Action::Terminate, Some("Переезд семьи"))
        .await
        .unwrap();
    let c = contract::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(c.closes_on.is_some());
    invariant(db).await;
    let next_month = app::domain::pfdo::quote::next_month(pfdo::today());
    let closed = jobs::close_ended(db, next_month).await.unwrap();
    assert_eq!(closed, 1);
    let c = contract::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, Status::Closed.code());
    assert_eq!(c.reserve, 0);
    invariant(db).await;
    // The parent rates it: out-of-range values are refused, then saved and changed.
    let bad = contracts::RatingForm {
        results: "101".into(),
        staff: "x".into(),
        resources: "50".into(),
        overall: "50".into(),
    };
    assert!(matches!(
        contracts::rate(db, parent, id, &bad).await,
        Err(app::error::AppError::Validation(v)) if v.len() == 2
    ));
    let good = contracts::RatingForm {
        results: "80".into(),
        staff: "90".into(),
        resources: "70".into(),
        overall: "85".into(),
    };
    contracts::rate(db, parent, id, &good).await.unwrap();
    let card = contracts::card(db, contracts::Viewer::Parent(parent), id)
        .await
        .unwrap();
    assert_eq!(card.rating.map(|r| r.overall), Some(85));
    let lines: Vec<String> = card.history.iter().map(|h| h.text.clone()).collect();
    assert!(lines.len() >= 5, "{lines:?}");
    assert!(lines[0].starts_with("Заявка создана родителем"));
    // The cabinet shows the notifications of every change.
    let cab = pfdo::cabinet::cabinet(db, parent).await.unwrap();
    assert!(cab.notifications.len() >= 7, "{:?}", cab.notifications);
}

async fn jobs_change_things_once_however_often_and_wherever_they_run(t: TestDb) {
    app::ssr::seed_pfdo::seed_pfdo(&t.db).await.unwrap();
    let db = &t.db;
    let other = t.reconnect().await;
    let settings = t.settings();
    certificates::set_limit(db, operator_id(db).await, "1000")
        .await
        .unwrap();
    let cat = roomy_category(db, "Задания").await;
    let groups = programme_with_modules(db, "Программа для заданий", 2, 1_200_000).await;
    let year = pfdo::today().year();
    // The category's nominal: the monthly decrease starts from it.
    nominal::ActiveModel {
        category_id: Set(cat),
        year: Set(year),
        amount: Set(1_200_000),
    }
    .insert(db)
    .await
    .unwrap();
    let idle = certificate_with(db, &settings, cat, 1_200_000, "Безконтрактов").await;
    let busy = certificate_with(db, &settings, cat, 1_200_000, "Занятов").await;
    certificates::activate(db, operator_id(db).await, busy.id)
        .await
        .unwrap();
    let busy_user = certificate::Entity::find_by_id(busy.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let (provider_id, _) = raduga(db).await;
    let q = applications::quote_for(db, busy_user, groups[0], None)
        .await
        .unwrap();
    let form = |g: i64, share: i64| applications::ApplyForm {
        group_id: g,
        year,
        share,
        confirm_apply: Some("on".into()),
        confirm_family: Some("on".into()),
        confirm_terms: Some("on".into()),
    };
    let active = applications::submit(db, busy_user, &form(groups[0], q.certificate_share.0))
        .await
        .unwrap();
    let prov = contracts::Viewer::Provider(provider_id);
    contracts::act(db, prov, active, Action::Confirm, None)
        .await
        .unwrap();
    contracts::act(db, prov, active, Action::Conclude, None)
        .await
        .unwrap();
    let q2 = applications::quote_for(db, busy_user, groups[1], None)
        .await
        .unwrap();
    let stale = applications::submit(db, busy_user, &form(groups[1], q2.certificate_share.0))
        .await
        .unwrap();
    // The stale offer should have started three months ago.
    let long_ago = app::domain::pfdo::quote::first_of_month(pfdo::today())
        .checked_sub_months(chrono::Months::new(3))
        .unwrap();
    contract::Entity::update_many()
        .col_expr(contract::Column::StartsOn, Expr::value(long_ago))
        .filter(contract::Column::Id.eq(stale))
        .exec(db)
        .await
        .unwrap();
    invariant(db).await;
    // Two instances run every job at the same moment, then one runs them again.
    let at = app::ssr::db::now();
    let (a, b) = tokio::join!(jobs::run_jobs(db, at), jobs::run_jobs(&other, at));
    let (a, b) = (a.unwrap(), b.unwrap());
    println!("jobs on {}: first {a:?}, second {b:?}", t.kind);
    assert_eq!(a.expired + b.expired, 1, "the stale offer expires once");
    let again = jobs::run_jobs(db, at).await.unwrap();
    assert_eq!(
        again.expired + again.charged + again.decreased + again.closed,
        0,
        "{again:?}"
    );
    let c = contract::Entity::find_by_id(stale)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, Status::Refused.code());
    assert!(
        c.reason
            .unwrap()
            .starts_with("Оферта отозвана в связи с превышением сроков акцепта")
    );
    // The idle certificate's nominal follows the months left; the busy one keeps its nominal.
    let month = pfdo::today().month();
    let expected =
        app::domain::pfdo::nominal::prorated(app::domain::pfdo::money::Money(1_200_000), month).0;
    let p = period::Entity::find_by_id((idle.id, year))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((p.nominal, p.balance), (expected, expected));
    let pb = period::Entity::find_by_id((busy.id, year))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pb.nominal, 1_200_000);
    invariant(db).await;
    // The leases: while one instance holds it, the other does not run.
    assert!(
        jobs::take_lease(db, "pfdo", "first", chrono::TimeDelta::minutes(5))
            .await
            .unwrap()
    );
    assert!(jobs::run_all(&other, "second", at).await.unwrap().is_none());
    jobs::drop_lease(db, "pfdo", "first").await.unwrap();
    assert!(jobs::run_all(&other, "second", at).await.unwrap().is_some());
    // Next January: unused balance of this year does not carry over, and it runs once.
    let january = NaiveDate::from_ymd_opt(year + 1, 1, 10).unwrap();
    let burnt =
        jobs::rollover(db, january).await.unwrap() + jobs::rollover(&other, january).await.unwrap();
    assert!(burnt >= 2);
    assert_eq!(jobs::rollover(db, january).await.unwrap(), 0);
    let p = period::Entity::find_by_id((idle.id, year))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((p.nominal, p.balance), (0, 0));
    invariant(db).await;
}

async fn each_side_sees_only_its_own(t: TestDb) {
    app::ssr::seed_pfdo::seed_pfdo(&t.db).await.unwrap();
    let db = &t.db;
    let app = TestApp::spawn(db.clone(), t.settings()).await;
    // The demo parent's contract (seeded through the services).
    let mine = app.client();
    assert_eq!(
        app.login(&mine, "9901101325", "Demo-Roditel-2026").await,
        200
    );
    let (status, view) = app
        .call(&mine, "pfdo/contracts", &[("tab", "active")])
        .await;
    assert_eq!(status, 200, "{view}");
    let id = view["contracts"][0]["id"]
        .as_i64()
        .expect("the demo contract");
    let (status, _) = app
        .call(&mine, "pfdo/contract", &[("id", &id.to_string())])
        .await;
    assert_eq!(status, 200);
    let (status, cab) = app.call(&mine, "pfdo/cabinet", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(cab["number"], "9901101325");
    // Another parent: 404 for the contract, and cancelling it is refused the same way.
    let other = app.client();
    assert_eq!(
        app.login(&other, "9901101326", "Demo-Roditel2-2026").await,
        200
    );
    let (status, _) = app
        .call(&other, "pfdo/contract", &[("id", &id.to_string())])
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call(&other, "pfdo/cancel", &[("contract_id", &id.to_string())])
        .await;
    assert_eq!(status, 404);
    // A provider whose programme it is not: 404; the right one sees it.
    let (_, _, stranger) = common::provider_account(&app, "Чужая организация", "stranger").await;
    let (status, _) = app
        .call(
            &stranger,
            "pfdo/provider/act",
            &[
                ("contract_id", &id.to_string()),
                ("step", "terminate"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(status, 404);
    let (status, list) = app
        .call(&stranger, "pfdo/provider/contracts", &[("tab", "active")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["contracts"].as_array().unwrap().len(), 0);
    // Roles: a parent cannot act as a provider, a guest sees nothing private.
    let (status, _) = app
        .call(&mine, "pfdo/provider/contracts", &[("tab", "active")])
        .await;
    assert_eq!(status, 403);
    let guest = app.client();
    let (status, _) = app.call(&guest, "pfdo/cabinet", &[]).await;
    assert_eq!(status, 401);
    // The navigator is public.
    let (status, found) = app
        .call(&guest, "pfdo/navigator", &[("query[q]", "РОБОТО")])
        .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(
        found["programmes"][0]["title"],
        "Робототехника на LEGO Education"
    );
    // An operator of the municipality only: a certificate of another municipality is 404.
    // (The demo's second municipality has its own operator.)
    let op2 = user::Entity::find()
        .filter(user::Column::Login.eq("operator2"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let queued = certificate::Entity::find()
        .filter(certificate::Column::Number.eq("9901101329"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        certificates::activate(db, op2, queued.id).await,
        Err(app::error::AppError::NotFound)
    ));
    // The limit is reached (3 active of 3): activation queues with its number.
    let msg = certificates::activate(db, operator_id(db).await, queued.id)
        .await
        .unwrap();
    assert_eq!(msg, "Лимит исчерпан: сертификат в очереди, номер 2");
    invariant(db).await;
}

async fn user_id(db: &sea_orm::DatabaseConnection, login: &str) -> i64 {
    user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// «Объединение кабинетов» proves the other certificate by its password (a wrong one counts
/// against that account's lockout), then the header switches between exactly the merged
/// children; the code phrase is kept only as a hash; the schedule exports and the reference
/// prints from the active contract.
async fn settings_merge_switch_and_confirmation(t: TestDb) {
    use app::error::AppError;
    use app::ssr::service::pfdo::{cabinet, schedule, settings};
    app::ssr::seed_pfdo::seed_pfdo(&t.db).await.unwrap();
    let db = &t.db;
    let conf = t.settings();
    let a = user_id(db, "9901101325").await;
    let b = user_id(db, "9901101326").await;
    let own = pfdo::current_certificate(db, a).await.unwrap();
    assert_eq!(own.number, "9901101325");

    let wrong = settings::merge(db, &conf, a, "9901101326", "не тот пароль").await;
    assert!(
        matches!(wrong, Err(AppError::Validation(ref e)) if e[0].message == settings::MERGE_WRONG)
    );
    let b_user = user::Entity::find_by_id(b).one(db).await.unwrap().unwrap();
    assert_eq!(
        b_user.failed_logins, 1,
        "a wrong password counts against that account"
    );
    assert!(matches!(
        settings::merge(db, &conf, a, "12345", "x").await,
        Err(AppError::Validation(_))
    ));
    let child = settings::merge(db, &conf, a, "9901101326", "Demo-Roditel2-2026")
        .await
        .unwrap();
    assert!(child.starts_with("Смирнова Алиса Игоревна"), "{child}");
    assert_eq!(
        pfdo::current_certificate(db, a).await.unwrap().number,
        "9901101326",
        "the merged child opens at once"
    );
    assert_eq!(cabinet::children(db, a).await.unwrap().len(), 2);
    assert!(matches!(
        settings::merge(db, &conf, a, "9901101326", "Demo-Roditel2-2026").await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        settings::merge(db, &conf, a, "9901101325", "Demo-Roditel-2026").await,
        Err(AppError::Conflict(_))
    ));
    // The other parent's account is unchanged: they still see only their own child.
    assert_eq!(cabinet::children(db, b).await.unwrap().len(), 1);

    // Switching: to the own certificate, never to someone else's.
    cabinet::switch(db, a, own.id).await.unwrap();
    assert_eq!(pfdo::current_certificate(db, a).await.unwrap().id, own.id);
    let stranger = certificate::Entity::find()
        .filter(certificate::Column::Number.eq("9901101327"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        cabinet::switch(db, a, stranger.id).await,
        Err(AppError::NotFound)
    ));

    // The code phrase: checked, stored as a hash, dropped with another type.
    assert!(matches!(
        settings::set_confirm_type(db, a, "phrase", "кот").await,
        Err(AppError::Validation(_))
    ));
    assert!(matches!(
        settings::set_confirm_type(db, a, "anyone", "").await,
        Err(AppError::Validation(_))
    ));
    settings::set_confirm_type(db, a, "phrase", "Синий Слон 42")
        .await
        .unwrap();
    let c = certificate::Entity::find_by_id(own.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.confirm_type, "phrase");
    let hash = c.phrase_hash.clone().unwrap();
    assert!(!hash.contains("Слон"));
    assert!(app::ssr::password::verify_password(Some(hash), "синий слон 42".into()).await);
    settings::set_confirm_type(db, a, "name", "").await.unwrap();
    let c = certificate::Entity::find_by_id(own.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.confirm_type.as_str(), c.phrase_hash), ("name", None));

    // Representative and district; a district of another municipality is refused.
    assert!(matches!(
        settings::save_contacts(
            db,
            a,
            "Смирнова Ирина Петровна, мать",
            "ул. Лесная, 1",
            "999999"
        )
        .await,
        Err(AppError::Validation(_))
    ));
    settings::save_contacts(db, a, "Смирнова Ирина Петровна, мать", "ул. Лесная, 1", "")
        .await
        .unwrap();
    let view = settings::view(db, a).await.unwrap();
    assert_eq!(view.address, "ул. Лесная, 1");
    assert_eq!(view.district_id, None);

    // The active «Робототехника» contract: its lessons, as iCalendar and in the reference.
    let week = schedule::schedule(db, a).await.unwrap();
    assert!(
        week.lessons
            .iter()
            .any(|l| l.programme == "Робототехника на LEGO Education")
    );
    let (number, ics) = schedule::ics(db, a, "kabinet.test").await.unwrap();
    assert_eq!(number, "9901101325");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("RRULE:FREQ=WEEKLY;UNTIL="));
    assert!(ics.contains("SUMMARY:Робототехника на LEGO Education"));
    assert!(ics.contains("DTSTART;TZID=Europe/Moscow:"));
    let (_, pdf) = schedule::attendance_pdf(db, a).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    invariant(db).await;
}

/// A provider applies on a child's behalf only as the certificate's confirmation type allows;
/// a failed proof is reported to the parent; another provider's group is not found.
async fn provider_applies_for_a_child_only_as_allowed(t: TestDb) {
    use app::domain::pfdo::contract::Status;
    use app::error::AppError;
    use app::ssr::service::pfdo::applications::{
        ForChildForm, PROVIDER_FORBIDDEN, PROVIDER_MISMATCH, apply_for_child,
    };
    use app::ssr::service::pfdo::settings;
    app::ssr::seed_pfdo::seed_pfdo(&t.db).await.unwrap();
    let db = &t.db;
    let (raduga_id, _) = raduga(db).await;
    let parent = user_id(db, "9901101326").await;
    let palitra = programme::Entity::find()
        .filter(programme::Column::Title.eq("Художественная студия «Палитра»"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let md = module::Entity::find()
        .filter(module::Column::ProgrammeId.eq(palitra.id))
        .filter(module::Column::Title.eq("Первый год обучения"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let g = group::Entity::find()
        .filter(group::Column::ModuleId.eq(md.id))
        .filter(group::Column::Name.eq("Группа 1"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let form = |name: &str, phrase: &str| ForChildForm {
        group_id: g.id,
        number: "9901101326".into(),
        child_name: name.into(),
        phrase: phrase.into(),
    };
    let domain = |r: Result<i64, AppError>| match r {
        Err(AppError::Domain(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    // The default: forbidden.
    assert_eq!(
        domain(apply_for_child(db, raduga_id, &form("Смирнова Алиса Игоревна", "")).await),
        PROVIDER_FORBIDDEN
    );
    // By name: a wrong name is refused and the parent is told; the right one (any case, ё) works.
    settings::set_confirm_type(db, parent, "name", "")
        .await
        .unwrap();
    assert_eq!(
        domain(apply_for_child(db, raduga_id, &form("Смирнова Алиса", "")).await),
        PROVIDER_MISMATCH
    );
    let told = app::ssr::entities::pfdo_notification::Entity::find()
        .filter(
            app::ssr::entities::pfdo_notification::Column::Text.contains("пыталась подать заявку"),
        )
        .all(db)
        .await
        .unwrap();
    assert_eq!(told.len(), 1);
    // Another provider cannot use this group at all.
    let kvant = programme::Entity::find()
        .filter(programme::Column::Title.eq("Робототехника на LEGO Education"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        apply_for_child(db, kvant.provider_id, &form("Смирнова Алиса Игоревна", "")).await,
        Err(AppError::NotFound)
    ));
    let id = apply_for_child(db, raduga_id, &form("  смирнова   алиса игоревна ", ""))
        .await
        .unwrap();
    let c = contract::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, Status::Created.code());
    assert_eq!(c.created_by, "provider");
    assert!(c.reserve > 0);
    // By code phrase: the same module again is refused by the rules, another works.
    settings::set_confirm_type(db, parent, "phrase", "Синий слон 42")
        .await
        .unwrap();
    let hor = programme::Entity::find()
        .filter(programme::Column::Title.eq("Английский язык для младших школьников"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let hor_group = group::Entity::find()
        .filter(
            group::Column::ModuleId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(module::Column::Id)
                    .from(module::Entity)
                    .and_where(module::Column::ProgrammeId.eq(hor.id))
                    .to_owned(),
            ),
        )
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let by_phrase = |phrase: &str| ForChildForm {
        group_id: hor_group.id,
        number: "9901101326".into(),
        child_name: String::new(),
        phrase: phrase.into(),
    };
    assert_eq!(
        domain(apply_for_child(db, raduga_id, &by_phrase("синий слон")).await),
        PROVIDER_MISMATCH
    );
    apply_for_child(db, raduga_id, &by_phrase("СИНИЙ СЛОН 42"))
        .await
        .unwrap();
    assert!(matches!(
        apply_for_child(
            db,
            raduga_id,
            &ForChildForm {
                number: "12".into(),
                ..by_phrase("x")
            }
        )
        .await,
        Err(AppError::Validation(_))
    ));
    invariant(db).await;
}

/// «Новости», «Мероприятия» and «Портфолио»: the demo loads once; news stays within its
/// municipality; an event's places are taken by racing applications over two connection pools
/// exactly up to its capacity, a child racing itself is counted once, and cancelling frees the
/// place; age and municipality are refused with their reasons; the navigator finds events; a
/// parent's own achievement can be removed, a provider's confirmed one cannot, and a provider
/// records one only under its own contract.
#[allow(clippy::too_many_lines)]
async fn news_events_and_portfolio(t: TestDb) {
    use app::error::AppError;
    use app::ssr::entities::{
        pfdo_achievement as achievement, pfdo_event as event, pfdo_news as news,
    };
    use app::ssr::service::pfdo::events::{self, EventFilter, EventForm};
    use app::ssr::service::pfdo::{navigator, portfolio};
    use sea_orm::PaginatorTrait as _;
    let db = &t.db;
    app::ssr::seed_pfdo::seed_pfdo(db).await.unwrap();
    app::ssr::seed_pfdo::seed_activity(db).await.unwrap();
    app::ssr::seed_pfdo::seed_activity(db).await.unwrap();
    assert_eq!(
        news::Entity::find().count(db).await.unwrap(),
        3,
        "the demo loads once"
    );
    assert_eq!(event::Entity::find().count(db).await.unwrap(), 3);

    let parent = user_id(db, "9901101325").await;
    let items = events::parent_news(db, parent).await.unwrap();
    assert_eq!(items.len(), 3);
    assert!(
        items
            .iter()
            .any(|n| n.source == "Оператор ПФДО: Городской округ Солнечный")
    );
    assert!(items.iter().any(|n| n.source.contains("Радуга")));
    let lesnoy_op = user_id(db, "operator2").await;
    assert!(
        events::operator_news(db, lesnoy_op)
            .await
            .unwrap()
            .is_empty()
    );

    // A provider's event is checked field by field.
    let (raduga_id, _) = raduga(db).await;
    let good = EventForm {
        title: "Мастер-класс по лепке".into(),
        description: "Лепим из глины и расписываем свои работы.".into(),
        place: "ул. Садовая, 12, каб. 3".into(),
        date: (pfdo::today() + chrono::Days::new(3)).to_string(),
        time: "16:00".into(),
        age_from: "7".into(),
        age_to: "14".into(),
        capacity: "5".into(),
    };
    for (form, field) in [
        (
            EventForm {
                title: " ".into(),
                ..good.clone()
            },
            "title",
        ),
        (
            EventForm {
                date: "2020-01-01".into(),
                ..good.clone()
            },
            "date",
        ),
        (
            EventForm {
                time: "31:00".into(),
                ..good.clone()
            },
            "time",
        ),
        (
            EventForm {
                age_from: "14".into(),
                age_to: "7".into(),
                ..good.clone()
            },
            "age_to",
        ),
        (
            EventForm {
                capacity: "0".into(),
                ..good.clone()
            },
            "capacity",
        ),
        (
            EventForm {
                description: "\u{0}abcdefghijkl".into(),
                ..good.clone()
            },
            "description",
        ),
    ] {
        match events::create(db, raduga_id, &form).await {
            Err(AppError::Validation(e)) => assert_eq!(e[0].field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let clay = events::create(db, raduga_id, &good).await.unwrap();

    // Twelve children race for five places through two pools.
    let cat = roomy_category(db, "Мероприятия").await;
    let settings = t.settings();
    let mut parents = Vec::new();
    for i in 0..12 {
        let issued = certificate_with(
            db,
            &settings,
            cat,
            0,
            &format!(
                "Гонщиков{}",
                ["а", "б", "в", "г", "д", "е", "ж", "з", "и", "к", "л", "м"][i]
            ),
        )
        .await;
        let c = certificate::Entity::find_by_id(issued.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        parents.push(c.user_id);
    }
    let other = t.reconnect().await;
    let mut tasks = Vec::new();
    for (i, user) in parents.iter().copied().enumerate() {
        let pool = if i % 2 == 0 {
            db.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            events::apply(&pool, user, clay).await
        }));
    }
    let mut taken = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => taken += 1,
            Err(AppError::Domain(m)) => assert_eq!(m, "Свободных мест не осталось"),
            Err(e) => panic!("{e:?}"),
        }
    }
    let row = event::Entity::find_by_id(clay)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    println!(
        "event storm on {}: 12 children, 5 places, {taken} accepted",
        t.kind
    );
    assert_eq!((taken, row.taken), (5, 5));

    // One child racing itself is counted once.
    let festival = events::create(
        db,
        raduga_id,
        &EventForm {
            capacity: "50".into(),
            ..good.clone()
        },
    )
    .await
    .unwrap();
    let me = parents[0];
    let mut tasks = Vec::new();
    for i in 0..8 {
        let pool = if i % 2 == 0 {
            db.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            events::apply(&pool, me, festival).await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => ok += 1,
            Err(AppError::Domain(m)) => assert_eq!(m, "Ребёнок уже записан на это мероприятие"),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(ok, 1);
    let row = event::Entity::find_by_id(festival)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.taken, 1);
    events::cancel(db, me, festival).await.unwrap();
    assert!(matches!(
        events::cancel(db, me, festival).await,
        Err(AppError::NotFound)
    ));
    let row = event::Entity::find_by_id(festival)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.taken, 0, "cancelling frees the place");
    events::apply(db, me, festival).await.unwrap();
    let listed = events::upcoming(db, Some(me), "", EventFilter::default(), 100)
        .await
        .unwrap();
    assert!(listed.events.iter().any(|e| e.id == festival && e.applied));

    // The 10-year-old demo child and the chess tournament for 12–17.
    let chess = event::Entity::find()
        .filter(event::Column::Title.contains("шахматам"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    match events::apply(db, parent, chess.id).await {
        Err(AppError::Domain(m)) => {
            assert!(m.starts_with("Мероприятие для детей 12–17 лет"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    let seen = events::upcoming(db, Some(parent), "шахмат", EventFilter::default(), 100)
        .await
        .unwrap();
    assert_eq!(seen.events.len(), 1);
    assert!(
        seen.events[0]
            .obstacle
            .as_deref()
            .unwrap_or("")
            .contains("12–17")
    );
    // The navigator finds events for a guest too.
    let found = navigator::search(
        db,
        None,
        &app::model::pfdo::NavigatorQuery {
            q: "Шахматам".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(found.events.len(), 1);
    // ...narrowed by the navigator's age.
    for (age, n) in [("10", 0), ("13", 1)] {
        let query = app::model::pfdo::NavigatorQuery {
            q: "шахматам".into(),
            age: age.into(),
            ..Default::default()
        };
        let found = navigator::search(db, None, &query).await.unwrap();
        assert_eq!(found.events.len(), n, "age {age}");
    }

    // A child of another municipality cannot apply, and does not see the event.
    let lesnoy_cat = category::Entity::find()
        .filter(category::Column::Name.ne("Мероприятия"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.municipality_id != row.municipality_id)
        .unwrap();
    let far = certificates::issue(
        db,
        &settings,
        lesnoy_op,
        &certificates::IssueForm {
            last_name: "Далёкий".into(),
            first_name: "Илья".into(),
            birth_date: "2016-05-10".into(),
            category_id: lesnoy_cat.id.to_string(),
            kind: "financed".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let far_user = certificate::Entity::find_by_id(far.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    match events::apply(db, far_user, festival).await {
        Err(AppError::Domain(m)) => assert_eq!(m, "Мероприятие проводится в другом муниципалитете"),
        other => panic!("{other:?}"),
    }
    assert!(
        events::upcoming(db, Some(far_user), "", EventFilter::default(), 100)
            .await
            .unwrap()
            .events
            .is_empty()
    );
    assert!(events::parent_news(db, far_user).await.unwrap().is_empty());
    assert!(matches!(
        events::apply(db, parent, 999_999).await,
        Err(AppError::NotFound)
    ));

    // Portfolio: the parent's own entries, and the provider's confirmed ones.
    let start = portfolio::view(db, parent).await.unwrap();
    assert_eq!(start.achievements.len(), 2);
    assert!(start.programmes.iter().any(|p| p.contains("Палитра")));
    let form = portfolio::AchievementForm {
        title: "Грамота за участие в турнире".into(),
        level: "regional".into(),
        result: "participant".into(),
        date: pfdo::today().to_string(),
    };
    for (bad, field) in [
        (
            portfolio::AchievementForm {
                level: "galactic".into(),
                ..form.clone()
            },
            "level",
        ),
        (
            portfolio::AchievementForm {
                result: "".into(),
                ..form.clone()
            },
            "result",
        ),
        (
            portfolio::AchievementForm {
                date: "2099-01-01".into(),
                ..form.clone()
            },
            "date",
        ),
        (
            portfolio::AchievementForm {
                title: "я".repeat(201),
                ..form.clone()
            },
            "title",
        ),
    ] {
        match portfolio::add(db, parent, &bad).await {
            Err(AppError::Validation(e)) => assert_eq!(e[0].field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let mine = portfolio::add(db, parent, &form).await.unwrap();
    assert!(matches!(
        portfolio::remove(db, far_user, mine).await,
        Err(AppError::NotFound)
    ));
    let confirmed = achievement::Entity::find()
        .filter(achievement::Column::ProviderId.is_not_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        portfolio::remove(db, parent, confirmed.id).await,
        Err(AppError::Domain(_))
    ));
    portfolio::remove(db, parent, mine).await.unwrap();
    let finished = contract::Entity::find()
        .filter(contract::Column::Status.eq(Status::Closed.code()))
        .filter(contract::Column::ProviderId.eq(raduga_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let others = contract::Entity::find()
        .filter(contract::Column::ProviderId.ne(raduga_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        portfolio::provider_add(db, raduga_id, others.id, &form).await,
        Err(AppError::NotFound)
    ));
    // Dated within the contract (it ended five days ago) and recorded within a month of its end.
    assert!(matches!(
        portfolio::provider_add(db, raduga_id, finished.id, &form).await,
        Err(AppError::Validation(ref e)) if e[0].field == "date"
    ));
    let within = portfolio::AchievementForm {
        date: finished.ends_on.to_string(),
        ..form.clone()
    };
    portfolio::provider_add(db, raduga_id, finished.id, &within)
        .await
        .unwrap();
    let after = portfolio::view(db, parent).await.unwrap();
    assert_eq!(after.achievements.len(), 3);
    assert!(after.achievements.iter().any(|a| {
        a.title == form.title
            && a.confirmed_by
                .as_deref()
                .is_some_and(|b| b.contains("Радуга"))
    }));
    let (_, bytes) = portfolio::pdf(db, parent).await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    invariant(db).await;
}

/// «Реестры»: the operator adds and edits categories of its own municipality only; admits an
/// approved provider once, with a valid ИНН and a district of its municipality; never sets an
/// organisation's limits below what it already took; moves a programme between registries only
/// without open contracts, and hiding it takes it out of the navigator.
#[allow(clippy::too_many_lines)]
async fn operator_registries_of_categories_providers_and_programmes(t: TestDb) {
    use app::error::AppError;
    use app::ssr::service::pfdo::navigator;
    use app::ssr::service::pfdo::registries::{self, CategoryForm, OrganisationForm};
    let db = &t.db;
    app::ssr::seed::seed_demo(db).await.unwrap();
    let op = operator_id(db).await;
    let op2 = user_id(db, "operator2").await;
    fn field_of<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
        match r {
            Err(AppError::Validation(e)) => e[0].field.clone(),
            other => panic!("{other:?}"),
        }
    }

    let start = registries::view(db, op).await.unwrap();
    assert_eq!(start.categories.len(), 2);
    assert_eq!(start.organisations.len(), 2);
    let form = CategoryForm {
        name: "Дети из многодетных семей".into(),
        limits: ["1".into(), "1".into(), "2".into(), "3".into()],
    };
    let id = registries::save_category(db, op, None, &form)
        .await
        .unwrap();
    assert_eq!(
        field_of(registries::save_category(db, op, None, &form).await),
        "name"
    );
    let mut bad = form.clone();
    bad.limits[2] = "101".into();
    assert_eq!(
        field_of(registries::save_category(db, op, Some(id), &bad).await),
        "limit_paid"
    );
    let mut renamed = form.clone();
    renamed.limits[0] = "4".into();
    registries::save_category(db, op, Some(id), &renamed)
        .await
        .unwrap();
    let saved = category::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((saved.limit_certified, saved.limit_general), (4, 3));
    assert!(matches!(
        registries::save_category(db, op2, Some(id), &form).await,
        Err(AppError::NotFound)
    ));

    // Admitting a provider.
    let candidate = start
        .candidates
        .first()
        .expect("an approved provider outside ПФДО");
    let provider_id: i64 = candidate.value.parse().unwrap();
    let district = start.districts[0].value.clone();
    let good = OrganisationForm {
        address: "пр. Мира, 1".into(),
        district_id: district.clone(),
        inn: "7701234567".into(),
        max_children: "100".into(),
        payer_limit: "500 000".into(),
    };
    let lesnoy_district = registries::view(db, op2).await.unwrap().districts[0]
        .value
        .clone();
    for (form, field) in [
        (
            OrganisationForm {
                inn: "12345".into(),
                ..good.clone()
            },
            "inn",
        ),
        (
            OrganisationForm {
                district_id: lesnoy_district.clone(),
                ..good.clone()
            },
            "district_id",
        ),
        (
            OrganisationForm {
                address: "".into(),
                ..good.clone()
            },
            "address",
        ),
        (
            OrganisationForm {
                max_children: "-1".into(),
                ..good.clone()
            },
            "max_children",
        ),
        (
            OrganisationForm {
                payer_limit: "много".into(),
                ..good.clone()
            },
            "payer_limit",
        ),
    ] {
        assert_eq!(
            field_of(registries::admit(db, op, provider_id, &form).await),
            field
        );
    }
    assert_eq!(
        field_of(registries::admit(db, op, 999_999, &good).await),
        "provider_id"
    );
    registries::admit(db, op, provider_id, &good).await.unwrap();
    assert!(matches!(
        registries::admit(db, op2, provider_id, &OrganisationForm { district_id: lesnoy_district, ..good.clone() }).await,
        Err(AppError::Domain(m)) if m.contains("уже есть в реестре")
    ));
    let after = registries::view(db, op).await.unwrap();
    assert_eq!(after.organisations.len(), 3);
    assert!(after.candidates.iter().all(|c| c.value != candidate.value));

    // Limits never drop below what an organisation took.
    let busy = after
        .organisations
        .iter()
        .find(|o| o.children > 0)
        .expect("an organisation with a pupil");
    let lower = OrganisationForm {
        max_children: "0".into(),
        payer_limit: "1000000".into(),
        ..Default::default()
    };
    assert_eq!(
        field_of(registries::set_limits(db, op, busy.provider_id, &lower).await),
        "max_children"
    );
    let fine = OrganisationForm {
        max_children: "500".into(),
        ..lower.clone()
    };
    assert!(matches!(
        registries::set_limits(db, op2, busy.provider_id, &fine).await,
        Err(AppError::NotFound)
    ));
    registries::set_limits(db, op, busy.provider_id, &fine)
        .await
        .unwrap();

    // Programmes: a registry change waits for open contracts to end; hiding is at once.
    let progs = after.programmes;
    let taken = progs
        .iter()
        .find(|p| p.open_contracts > 0)
        .expect("a programme with a contract");
    let other = if taken.registry.code() == "paid" {
        "general"
    } else {
        "paid"
    };
    assert_eq!(
        field_of(registries::set_programme(db, op, taken.id, other, true).await),
        "registry"
    );
    let free = progs.iter().find(|p| p.open_contracts == 0).unwrap();
    registries::set_programme(db, op, free.id, "paid", true)
        .await
        .unwrap();
    let row = programme::Entity::find_by_id(free.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.registry, "paid");
    assert_eq!(
        field_of(registries::set_programme(db, op, free.id, "galactic", true).await),
        "registry"
    );
    assert!(matches!(
        registries::set_programme(db, op2, free.id, "paid", true).await,
        Err(AppError::NotFound)
    ));
    let query = app::model::pfdo::NavigatorQuery {
        q: free.title.clone(),
        ..Default::default()
    };
    assert_eq!(navigator::search(db, None, &query).await.unwrap().total, 1);
    registries::set_programme(db, op, free.id, "paid", false)
        .await
        .unwrap();
    assert_eq!(
        navigator::search(db, None, &query).await.unwrap().total,
        0,
        "hidden from the navigator"
    );
    invariant(db).await;
}
