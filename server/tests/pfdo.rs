//! ПФДО on SQLite and PostgreSQL: the application storm against one certificate over two
//! server instances, every contract transition with its money, the jobs run twice and by two
//! instances at once, and access control. The money invariant is checked after each scenario.

mod common;

use app::domain::pfdo::contract::{Action, Status};
use app::domain::time::moscow_instant;
use app::ssr::entities::{
    pfdo_category as category, pfdo_certificate as certificate, pfdo_certificate_period as period,
    pfdo_contract as contract, pfdo_group as group, pfdo_module as module,
    pfdo_municipality as municipality, pfdo_nominal as nominal, pfdo_organisation as organisation,
    pfdo_programme as programme, user,
};
use app::ssr::service::pfdo::{self as pfdo, applications, certificates, contracts, jobs};
use chrono::{DateTime, Datelike as _, NaiveDate, NaiveTime, Utc};
use common::{TestApp, TestDb};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, PaginatorTrait as _,
    QueryFilter as _, Set,
};

on_both_databases!(
    application_storm_spends_the_money_once,
    contract_lifecycle_moves_money_and_keeps_history,
    jobs_change_things_once_however_often_and_wherever_they_run,
    each_side_sees_only_its_own,
    settings_merge_switch_and_confirmation,
    provider_applies_for_a_child_only_as_allowed,
    news_events_and_portfolio,
    operator_registries_of_categories_providers_and_programmes,
    a_financial_year_on_the_test_clock,
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
    now: DateTime<Utc>,
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
        now,
    )
    .await
    .unwrap();
    let year = app::domain::time::moscow_date(now).year();
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
    now: DateTime<Utc>,
) -> Vec<i64> {
    let year = app::domain::time::moscow_date(now).year();
    let starts = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let ends = NaiveDate::from_ymd_opt(year + 1, 5, 31).unwrap();
    programme_running(db, title, n, price, (starts, ends), now).await
}

/// A certified programme of «Радуга» with `n` modules of one group each, all running `season`.
async fn programme_running(
    db: &sea_orm::DatabaseConnection,
    title: &str,
    n: usize,
    price: i64,
    (starts, ends): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Vec<i64> {
    let (provider_id, _) = raduga(db).await;
    let m = municipality::Entity::find()
        .filter(municipality::Column::Name.eq(app::ssr::seed_pfdo::MUNICIPALITY))
        .one(db)
        .await
        .unwrap()
        .unwrap();
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
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
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
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
    let settings = t.settings();
    let first = TestApp::spawn(t.db.clone(), settings.clone(), &t.clock).await;
    let second = TestApp::spawn(t.reconnect().await, settings.clone(), &t.clock).await;
    let cat = roomy_category(&t.db, "Шторм").await;
    let groups = programme_with_modules(
        &t.db,
        "Штормовая робототехника",
        64,
        100_000_000,
        t.clock.now(),
    )
    .await;
    // Only the certificate's balance may stop an application here. The share is the price
    // pro-rated to the days left in the year: on 1 January ten of them exceed the money the
    // seed gives «Радуга» for certificates.
    let (raduga_id, _) = raduga(&t.db).await;
    organisation::Entity::update_many()
        .col_expr(organisation::Column::PayerLimit, Expr::value(i64::MAX / 4))
        .filter(organisation::Column::ProviderId.eq(raduga_id))
        .exec(&t.db)
        .await
        .unwrap();
    // The first quote tells the share; the balance is 10½ shares.
    let probe = certificate_with(
        &t.db,
        &settings,
        cat,
        1_000_000_000,
        "Пробный",
        t.clock.now(),
    )
    .await;
    let probe_user = certificate::Entity::find_by_id(probe.id)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let share = applications::quote_for(&t.db, probe_user, groups[0], None, t.clock.now())
        .await
        .unwrap()
        .certificate_share
        .0;
    assert!(share > 0);
    let balance = share * 10 + share / 2;
    let issued = certificate_with(&t.db, &settings, cat, balance, "Штормов", t.clock.now()).await;
    let clients = [(&first, first.client()), (&second, second.client())];
    for (app, c) in &clients {
        assert_eq!(app.login(c, &issued.number, &issued.password).await, 200);
    }
    let started = std::time::Instant::now();
    let year = t.clock.today().year();
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
                    ("year", year.to_string()),
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
    let p = period::Entity::find_by_id((issued.id, t.clock.today().year()))
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
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
    let db = &t.db;
    let settings = t.settings();
    certificates::set_limit(db, operator_id(db).await, "1000", t.clock.now())
        .await
        .unwrap();
    let cat = roomy_category(db, "Жизненный цикл").await;
    let groups = programme_with_modules(db, "Цикл договора", 3, 1_200_000, t.clock.now()).await;
    let issued = certificate_with(db, &settings, cat, 3_000_100, "Циклов", t.clock.now()).await;
    let parent = certificate::Entity::find_by_id(issued.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let (provider_id, _) = raduga(db).await;
    let year = t.clock.today().year();
    let apply = |g: i64, share: i64| applications::ApplyForm {
        group_id: g,
        year,
        share,
        confirm_apply: Some("on".into()),
        confirm_family: Some("on".into()),
        confirm_terms: Some("on".into()),
    };
    // Missing confirmations are named.
    let q = applications::quote_for(db, parent, groups[0], None, t.clock.now())
        .await
        .unwrap();
    let mut bare = apply(groups[0], q.certificate_share.0);
    bare.confirm_terms = None;
    match applications::submit(db, parent, &bare, t.clock.now()).await {
        Err(app::error::AppError::Validation(v)) => {
            assert_eq!(v[0].field, "confirm_terms");
            assert_eq!(v[0].message, "Вы должны подтвердить своё согласие");
        }
        other => panic!("{other:?}"),
    }
    // A stale share is refused with the exact sentence.
    let err = applications::submit(
        db,
        parent,
        &apply(groups[0], q.certificate_share.0 + 1),
        t.clock.now(),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("К сожалению заявка не может быть направлена")
    );
    let id = applications::submit(
        db,
        parent,
        &apply(groups[0], q.certificate_share.0),
        t.clock.now(),
    )
    .await
    .unwrap();
    invariant(db).await;
    // The same module twice is refused.
    let again = applications::submit(
        db,
        parent,
        &apply(groups[0], q.certificate_share.0),
        t.clock.now(),
    )
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
    contracts::act(db, prov, id, Action::Confirm, None, t.clock.now())
        .await
        .unwrap();
    // A second click changes nothing.
    assert!(matches!(
        contracts::act(db, prov, id, Action::Confirm, None, t.clock.now()).await,
        Err(app::error::AppError::Conflict(_))
    ));
    // Not activated yet: no contract can be concluded, and the message says so.
    let e = contracts::act(db, prov, id, Action::Conclude, None, t.clock.now())
        .await
        .unwrap_err();
    assert!(
        e.to_string().starts_with("Сертификат ещё не активирован"),
        "{e}"
    );
    certificates::activate(db, operator_id(db).await, issued.id, t.clock.now())
        .await
        .unwrap();
    contracts::act(db, prov, id, Action::Conclude, None, t.clock.now())
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
    let q2 = applications::quote_for(db, parent, groups[1], None, t.clock.now())
        .await
        .unwrap();
    let id2 = applications::submit(
        db,
        parent,
        &apply(groups[1], q2.certificate_share.0),
        t.clock.now(),
    )
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
        t.clock.now(),
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
    let q3 = applications::quote_for(db, parent, groups[2], None, t.clock.now())
        .await
        .unwrap();
    let id3 = applications::submit(
        db,
        parent,
        &apply(groups[2], q3.certificate_share.0),
        t.clock.now(),
    )
    .await
    .unwrap();
    assert!(matches!(
        contracts::act(db, prov, id3, Action::Refuse, Some("  "), t.clock.now()).await,
        Err(app::error::AppError::Validation(_))
    ));
    contracts::act(
        db,
        prov,
        id3,
        Action::Refuse,
        Some("Группа укомплектована"),
        t.clock.now(),
    )
    .await
    .unwrap();
    let card = contracts::card(db, contracts::Viewer::Parent(parent), id3, t.clock.now())
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
    contracts::act(
        db,
        prov,
        id,
        Action::Terminate,
        Some("Переезд семьи"),
        t.clock.now(),
    )
    .await
    .unwrap();
    let c = contract::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(c.closes_on.is_some());
    invariant(db).await;
    // The first minutes of next month (in December, of next year): the terminated contract
    // stops, and so does every other active one that has ended by then (the seed's too).
    let next_month = app::domain::pfdo::quote::next_month(t.clock.today());
    t.clock.set(moscow_instant(
        next_month,
        NaiveTime::from_hms_opt(0, 10, 0).unwrap(),
    ));
    let ended = contract::Entity::find()
        .filter(contract::Column::Status.eq(Status::Active.code()))
        .filter(
            contract::Column::EndsOn
                .lt(next_month)
                .or(contract::Column::ClosesOn.lt(next_month)),
        )
        .count(db)
        .await
        .unwrap();
    assert!(ended >= 1);
    let closed = jobs::close_ended(db, t.clock.now()).await.unwrap();
    assert_eq!(closed, ended);
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
        contracts::rate(db, parent, id, &bad, t.clock.now()).await,
        Err(app::error::AppError::Validation(v)) if v.len() == 2
    ));
    let good = contracts::RatingForm {
        results: "80".into(),
        staff: "90".into(),
        resources: "70".into(),
        overall: "85".into(),
    };
    contracts::rate(db, parent, id, &good, t.clock.now())
        .await
        .unwrap();
    let card = contracts::card(db, contracts::Viewer::Parent(parent), id, t.clock.now())
        .await
        .unwrap();
    assert_eq!(card.rating.map(|r| r.overall), Some(85));
    let lines: Vec<String> = card.history.iter().map(|h| h.text.clone()).collect();
    assert!(lines.len() >= 5, "{lines:?}");
    assert!(lines[0].starts_with("Заявка создана родителем"));
    // The cabinet shows the notifications of every change.
    let cab = pfdo::cabinet::cabinet(db, parent, t.clock.now())
        .await
        .unwrap();
    assert!(cab.notifications.len() >= 7, "{:?}", cab.notifications);
}

async fn jobs_change_things_once_however_often_and_wherever_they_run(t: TestDb) {
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
    let db = &t.db;
    let other = t.reconnect().await;
    let settings = t.settings();
    certificates::set_limit(db, operator_id(db).await, "1000", t.clock.now())
        .await
        .unwrap();
    let cat = roomy_category(db, "Задания").await;
    let groups =
        programme_with_modules(db, "Программа для заданий", 2, 1_200_000, t.clock.now()).await;
    let year = t.clock.today().year();
    // The category's nominal: the monthly decrease starts from it.
    nominal::ActiveModel {
        category_id: Set(cat),
        year: Set(year),
        amount: Set(1_200_000),
    }
    .insert(db)
    .await
    .unwrap();
    let idle = certificate_with(
        db,
        &settings,
        cat,
        1_200_000,
        "Безконтрактов",
        t.clock.now(),
    )
    .await;
    let busy = certificate_with(db, &settings, cat, 1_200_000, "Занятов", t.clock.now()).await;
    certificates::activate(db, operator_id(db).await, busy.id, t.clock.now())
        .await
        .unwrap();
    let busy_user = certificate::Entity::find_by_id(busy.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    let (provider_id, _) = raduga(db).await;
    let q = applications::quote_for(db, busy_user, groups[0], None, t.clock.now())
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
    let active = applications::submit(
        db,
        busy_user,
        &form(groups[0], q.certificate_share.0),
        t.clock.now(),
    )
    .await
    .unwrap();
    let prov = contracts::Viewer::Provider(provider_id);
    contracts::act(db, prov, active, Action::Confirm, None, t.clock.now())
        .await
        .unwrap();
    contracts::act(db, prov, active, Action::Conclude, None, t.clock.now())
        .await
        .unwrap();
    let q2 = applications::quote_for(db, busy_user, groups[1], None, t.clock.now())
        .await
        .unwrap();
    let stale = applications::submit(
        db,
        busy_user,
        &form(groups[1], q2.certificate_share.0),
        t.clock.now(),
    )
    .await
    .unwrap();
    // The stale offer should have started three months ago.
    let long_ago = app::domain::pfdo::quote::first_of_month(t.clock.today())
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
    let at = t.clock.now();
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
    let month = t.clock.today().month();
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
        jobs::take_lease(
            db,
            "pfdo",
            "first",
            chrono::TimeDelta::minutes(5),
            t.clock.now()
        )
        .await
        .unwrap()
    );
    assert!(jobs::run_all(&other, "second", at).await.unwrap().is_none());
    jobs::drop_lease(db, "pfdo", "first").await.unwrap();
    assert!(jobs::run_all(&other, "second", at).await.unwrap().is_some());
    // Next January: unused balance of this year does not carry over, and it runs once.
    let january = moscow_instant(
        NaiveDate::from_ymd_opt(year + 1, 1, 10).unwrap(),
        NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
    );
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
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
    let db = &t.db;
    let app = TestApp::spawn(db.clone(), t.settings(), &t.clock).await;
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
        certificates::activate(db, op2, queued.id, t.clock.now()).await,
        Err(app::error::AppError::NotFound)
    ));
    // The limit is reached (3 active of 3): activation queues with its number.
    let msg = certificates::activate(db, operator_id(db).await, queued.id, t.clock.now())
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
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
    let db = &t.db;
    let conf = t.settings();
    let a = user_id(db, "9901101325").await;
    let b = user_id(db, "9901101326").await;
    let own = pfdo::current_certificate(db, a).await.unwrap();
    assert_eq!(own.number, "9901101325");

    let wrong = settings::merge(db, &conf, a, "9901101326", "не тот пароль", t.clock.now()).await;
    assert!(
        matches!(wrong, Err(AppError::Validation(ref e)) if e[0].message == settings::MERGE_WRONG)
    );
    let b_user = user::Entity::find_by_id(b).one(db).await.unwrap().unwrap();
    assert_eq!(
        b_user.failed_logins, 1,
        "a wrong password counts against that account"
    );
    assert!(matches!(
        settings::merge(db, &conf, a, "12345", "x", t.clock.now()).await,
        Err(AppError::Validation(_))
    ));
    let child = settings::merge(
        db,
        &conf,
        a,
        "9901101326",
        "Demo-Roditel2-2026",
        t.clock.now(),
    )
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
        settings::merge(
            db,
            &conf,
            a,
            "9901101326",
            "Demo-Roditel2-2026",
            t.clock.now()
        )
        .await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        settings::merge(
            db,
            &conf,
            a,
            "9901101325",
            "Demo-Roditel-2026",
            t.clock.now()
        )
        .await,
        Err(AppError::Conflict(_))
    ));
    // The other parent's account is unchanged: they still see only their own child.
    assert_eq!(cabinet::children(db, b).await.unwrap().len(), 1);

    // Switching: to the own certificate, never to someone else's.
    cabinet::switch(db, a, own.id, t.clock.now()).await.unwrap();
    assert_eq!(pfdo::current_certificate(db, a).await.unwrap().id, own.id);
    let stranger = certificate::Entity::find()
        .filter(certificate::Column::Number.eq("9901101327"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        cabinet::switch(db, a, stranger.id, t.clock.now()).await,
        Err(AppError::NotFound)
    ));

    // The code phrase: checked, stored as a hash, dropped with another type.
    assert!(matches!(
        settings::set_confirm_type(db, a, "phrase", "кот", t.clock.now()).await,
        Err(AppError::Validation(_))
    ));
    assert!(matches!(
        settings::set_confirm_type(db, a, "anyone", "", t.clock.now()).await,
        Err(AppError::Validation(_))
    ));
    settings::set_confirm_type(db, a, "phrase", "Синий Слон 42", t.clock.now())
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
    settings::set_confirm_type(db, a, "name", "", t.clock.now())
        .await
        .unwrap();
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
    let week = schedule::schedule(db, a, t.clock.now()).await.unwrap();
    assert!(
        week.lessons
            .iter()
            .any(|l| l.programme == "Робототехника на LEGO Education")
    );
    let (number, ics) = schedule::ics(db, a, "kabinet.test", t.clock.now())
        .await
        .unwrap();
    assert_eq!(number, "9901101325");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    // A weekly event for each lesson that still has a day within the contract: on 31 December
    // this year's contract may have none left, and then the file has no event.
    let robotics = contract::Entity::find()
        .filter(contract::Column::CertificateId.eq(own.id))
        .filter(contract::Column::Status.eq(Status::Active.code()))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let last = robotics
        .closes_on
        .map_or(robotics.ends_on, |d| std::cmp::min(d, robotics.ends_on));
    let weekdays: Vec<u32> = week
        .lessons
        .iter()
        .filter(|l| l.programme == "Робототехника на LEGO Education")
        .map(|l| u32::try_from(l.weekday).unwrap())
        .collect();
    let has_a_day = robotics
        .starts_on
        .iter_days()
        .take_while(|d| *d <= last)
        .any(|d| weekdays.contains(&d.weekday().number_from_monday()));
    if has_a_day {
        assert!(ics.contains("RRULE:FREQ=WEEKLY;UNTIL="));
        assert!(ics.contains("SUMMARY:Робототехника на LEGO Education"));
        assert!(ics.contains("DTSTART;TZID=Europe/Moscow:"));
    } else {
        assert!(!ics.contains("BEGIN:VEVENT"), "{ics}");
    }
    let (_, pdf) = schedule::attendance_pdf(db, a, t.clock.now())
        .await
        .unwrap();
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
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
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
        domain(
            apply_for_child(
                db,
                raduga_id,
                &form("Смирнова Алиса Игоревна", ""),
                t.clock.now()
            )
            .await
        ),
        PROVIDER_FORBIDDEN
    );
    // By name: a wrong name is refused and the parent is told; the right one (any case, ё) works.
    settings::set_confirm_type(db, parent, "name", "", t.clock.now())
        .await
        .unwrap();
    assert_eq!(
        domain(apply_for_child(db, raduga_id, &form("Смирнова Алиса", ""), t.clock.now()).await),
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
        apply_for_child(
            db,
            kvant.provider_id,
            &form("Смирнова Алиса Игоревна", ""),
            t.clock.now()
        )
        .await,
        Err(AppError::NotFound)
    ));
    let id = apply_for_child(
        db,
        raduga_id,
        &form("  смирнова   алиса игоревна ", ""),
        t.clock.now(),
    )
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
    settings::set_confirm_type(db, parent, "phrase", "Синий слон 42", t.clock.now())
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
        domain(apply_for_child(db, raduga_id, &by_phrase("синий слон"), t.clock.now()).await),
        PROVIDER_MISMATCH
    );
    apply_for_child(db, raduga_id, &by_phrase("СИНИЙ СЛОН 42"), t.clock.now())
        .await
        .unwrap();
    assert!(matches!(
        apply_for_child(
            db,
            raduga_id,
            &ForChildForm {
                number: "12".into(),
                ..by_phrase("x")
            },
            t.clock.now(),
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
    app::ssr::seed_pfdo::seed_pfdo(db, t.clock.now())
        .await
        .unwrap();
    app::ssr::seed_pfdo::seed_activity(db, t.clock.now())
        .await
        .unwrap();
    app::ssr::seed_pfdo::seed_activity(db, t.clock.now())
        .await
        .unwrap();
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
        date: (t.clock.today() + chrono::Days::new(3)).to_string(),
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
        match events::create(db, raduga_id, &form, t.clock.now()).await {
            Err(AppError::Validation(e)) => assert_eq!(e[0].field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let clay = events::create(db, raduga_id, &good, t.clock.now())
        .await
        .unwrap();

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
            t.clock.now(),
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
        let clock = t.clock.clone();
        tasks.push(tokio::spawn(async move {
            events::apply(&pool, user, clay, clock.now()).await
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
        t.clock.now(),
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
        let clock = t.clock.clone();
        tasks.push(tokio::spawn(async move {
            events::apply(&pool, me, festival, clock.now()).await
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
    events::cancel(db, me, festival, t.clock.now())
        .await
        .unwrap();
    assert!(matches!(
        events::cancel(db, me, festival, t.clock.now()).await,
        Err(AppError::NotFound)
    ));
    let row = event::Entity::find_by_id(festival)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.taken, 0, "cancelling frees the place");
    events::apply(db, me, festival, t.clock.now())
        .await
        .unwrap();
    let listed = events::upcoming(db, Some(me), "", EventFilter::default(), 100, t.clock.now())
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
    match events::apply(db, parent, chess.id, t.clock.now()).await {
        Err(AppError::Domain(m)) => {
            assert!(m.starts_with("Мероприятие для детей 12–17 лет"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    let seen = events::upcoming(
        db,
        Some(parent),
        "шахмат",
        EventFilter::default(),
        100,
        t.clock.now(),
    )
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
        t.clock.now(),
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
        let found = navigator::search(db, None, &query, t.clock.now())
            .await
            .unwrap();
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
        t.clock.now(),
    )
    .await
    .unwrap();
    let far_user = certificate::Entity::find_by_id(far.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .user_id;
    match events::apply(db, far_user, festival, t.clock.now()).await {
        Err(AppError::Domain(m)) => assert_eq!(m, "Мероприятие проводится в другом муниципалитете"),
        other => panic!("{other:?}"),
    }
    assert!(
        events::upcoming(
            db,
            Some(far_user),
            "",
            EventFilter::default(),
            100,
            t.clock.now()
        )
        .await
        .unwrap()
        .events
        .is_empty()
    );
    assert!(events::parent_news(db, far_user).await.unwrap().is_empty());
    assert!(matches!(
        events::apply(db, parent, 999_999, t.clock.now()).await,
        Err(AppError::NotFound)
    ));

    // Portfolio: the parent's own entries, and the provider's confirmed ones.
    let start = portfolio::view(db, parent, t.clock.now()).await.unwrap();
    assert_eq!(start.achievements.len(), 2);
    assert!(start.programmes.iter().any(|p| p.contains("Палитра")));
    let form = portfolio::AchievementForm {
        title: "Грамота за участие в турнире".into(),
        level: "regional".into(),
        result: "participant".into(),
        date: t.clock.today().to_string(),
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
        match portfolio::add(db, parent, &bad, t.clock.now()).await {
            Err(AppError::Validation(e)) => assert_eq!(e[0].field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let mine = portfolio::add(db, parent, &form, t.clock.now())
        .await
        .unwrap();
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
        portfolio::provider_add(db, raduga_id, others.id, &form, t.clock.now()).await,
        Err(AppError::NotFound)
    ));
    // Dated within the contract (it ended five days ago) and recorded within a month of its end.
    assert!(matches!(
        portfolio::provider_add(db, raduga_id, finished.id, &form, t.clock.now()).await,
        Err(AppError::Validation(ref e)) if e[0].field == "date"
    ));
    let within = portfolio::AchievementForm {
        date: finished.ends_on.to_string(),
        ..form.clone()
    };
    portfolio::provider_add(db, raduga_id, finished.id, &within, t.clock.now())
        .await
        .unwrap();
    let after = portfolio::view(db, parent, t.clock.now()).await.unwrap();
    assert_eq!(after.achievements.len(), 3);
    assert!(after.achievements.iter().any(|a| {
        a.title == form.title
            && a.confirmed_by
                .as_deref()
                .is_some_and(|b| b.contains("Радуга"))
    }));
    let (_, bytes) = portfolio::pdf(db, parent, t.clock.now()).await.unwrap();
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
    app::ssr::seed::seed_demo(db, t.clock.now()).await.unwrap();
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
    assert_eq!(
        navigator::search(db, None, &query, t.clock.now())
            .await
            .unwrap()
            .total,
        1
    );
    registries::set_programme(db, op, free.id, "paid", false)
        .await
        .unwrap();
    assert_eq!(
        navigator::search(db, None, &query, t.clock.now())
            .await
            .unwrap()
            .total,
        0,
        "hidden from the navigator"
    );
    invariant(db).await;
}

/// The model's view of one contract in the simulated year.
#[derive(Debug, Clone)]
struct SimContract {
    name: &'static str,
    id: i64,
    cert: usize,
    year: i32,
    status: Status,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    closes_on: Option<NaiveDate>,
    cert_share: i64,
    /// Each month's payment from the certificate and when it was paid; a payment given back
    /// to the balance leaves the schedule.
    schedule: Vec<(NaiveDate, i64, Option<DateTime<Utc>>)>,
    reserve: i64,
    paid: i64,
    prolong_due: Option<DateTime<Utc>>,
    /// Lines the contract's history must have.
    history: u64,
}

impl SimContract {
    /// A contract just written from `q`: its share reserved, one line of history.
    fn new(
        name: &'static str,
        (id, cert): (i64, usize),
        year: i32,
        status: Status,
        q: &app::domain::pfdo::quote::Quote,
        prolong_due: Option<DateTime<Utc>>,
    ) -> Self {
        let share = q.certificate_share.0;
        Self {
            name,
            id,
            cert,
            year,
            status,
            starts_on: q.starts_on,
            ends_on: q.ends_on,
            closes_on: None,
            cert_share: share,
            schedule: q
                .payments
                .iter()
                .map(|p| (p.month, p.certificate.0, None))
                .collect(),
            reserve: share,
            paid: 0,
            prolong_due,
            history: 1,
        }
    }
}

/// What the simulated year should do to the money, from the pure domain rules.
#[derive(Default)]
struct SimModel {
    certs: Vec<i64>,
    /// The category's nominal by year.
    annual: std::collections::BTreeMap<i32, i64>,
    ledgers: std::collections::BTreeMap<(usize, i32), app::domain::pfdo::contract::Ledger>,
    contracts: Vec<SimContract>,
    burnt: std::collections::BTreeMap<(usize, i32), i64>,
}

impl SimModel {
    fn contract(&mut self, name: &str) -> &mut SimContract {
        self.contracts
            .iter_mut()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no contract {name}"))
    }

    fn open_periods(&mut self, today: NaiveDate) {
        use app::domain::pfdo::{contract::Ledger, money::Money, nominal::prorated};
        for year in [today.year(), today.year() + 1] {
            let Some(&annual) = self.annual.get(&year) else {
                continue;
            };
            let amount = if year == today.year() {
                prorated(Money(annual), today.month()).0
            } else {
                annual
            };
            for i in 0..self.certs.len() {
                self.ledgers.entry((i, year)).or_insert(Ledger {
                    nominal: amount,
                    balance: amount,
                    reserve: 0,
                    paid: 0,
                });
            }
        }
    }

    /// Reserve → paid for one month of a contract.
    fn pay(&mut self, ix: usize, month: usize, at: DateTime<Utc>) {
        let c = &mut self.contracts[ix];
        let amount = c.schedule[month].1;
        c.schedule[month].2 = Some(at);
        c.reserve -= amount;
        c.paid += amount;
        let key = (c.cert, c.year);
        self.ledgers.get_mut(&key).unwrap().charge(amount);
    }

    /// Gives back what the contract still reserves, and drops its unpaid months after `after`.
    fn release(&mut self, ix: usize, after: Option<NaiveDate>) {
        let c = &mut self.contracts[ix];
        let back: i64 = c
            .schedule
            .iter()
            .filter(|(m, _, paid)| paid.is_none() && after.is_none_or(|a| *m > a))
            .map(|(_, a, _)| a)
            .sum();
        c.schedule
            .retain(|(m, _, paid)| paid.is_some() || after.is_some_and(|a| *m <= a));
        c.reserve -= back;
        let key = (c.cert, c.year);
        self.ledgers.get_mut(&key).unwrap().release(back);
    }

    fn conclude(&mut self, ix: usize, at: DateTime<Utc>) {
        let today = app::domain::time::moscow_date(at);
        let this_month = app::domain::pfdo::quote::first_of_month(today);
        let c = &mut self.contracts[ix];
        c.status = Action::Conclude.next(c.status).unwrap();
        c.history += 1;
        if let Some(first) = c.schedule.iter().position(|(_, _, paid)| paid.is_none())
            && c.schedule[first].0 <= this_month
        {
            self.pay(ix, first, at);
        }
    }

    fn step(&mut self, ix: usize, action: Action, at: DateTime<Utc>) {
        use app::domain::pfdo::quote::{end_of_month, first_of_month};
        let today = app::domain::time::moscow_date(at);
        match action {
            Action::Conclude => return self.conclude(ix, at),
            Action::Terminate => {
                self.release(ix, Some(first_of_month(today)));
                self.contracts[ix].closes_on = Some(end_of_month(today));
            }
            Action::Refuse | Action::Cancel | Action::Expire | Action::Close => {
                self.release(ix, None);
            }
            Action::Confirm => {}
        }
        let c = &mut self.contracts[ix];
        c.status = action.next(c.status).unwrap();
        c.history += 1;
    }

    /// The jobs of one day, in the order `jobs::run_jobs` runs them.
    fn jobs(&mut self, at: DateTime<Utc>) {
        use app::domain::pfdo::{money::Money, nominal::prorated, quote::first_of_month};
        let today = app::domain::time::moscow_date(at);
        self.open_periods(today);
        let this_month = first_of_month(today);
        let previous = first_of_month(this_month.pred_opt().unwrap());
        for ix in 0..self.contracts.len() {
            let c = &self.contracts[ix];
            if matches!(c.status, Status::Created | Status::Confirmed) && c.starts_on < previous {
                self.step(ix, Action::Expire, at);
            }
        }
        for ix in 0..self.contracts.len() {
            let c = &self.contracts[ix];
            if c.status == Status::Confirmed && c.prolong_due.is_some_and(|d| d <= at) {
                self.conclude(ix, at);
            }
        }
        for ix in 0..self.contracts.len() {
            if self.contracts[ix].status != Status::Active {
                continue;
            }
            for m in 0..self.contracts[ix].schedule.len() {
                let (month, _, paid) = self.contracts[ix].schedule[m];
                if paid.is_none() && month <= this_month {
                    self.pay(ix, m, at);
                }
            }
        }
        for ix in 0..self.contracts.len() {
            let c = &self.contracts[ix];
            if c.status == Status::Active
                && (c.ends_on < today || c.closes_on.is_some_and(|d| d < today))
            {
                self.step(ix, Action::Close, at);
            }
        }
        if let Some(&annual) = self.annual.get(&today.year()) {
            let amount = prorated(Money(annual), today.month()).0;
            for ((_, year), l) in &mut self.ledgers {
                if *year == today.year() && l.reserve == 0 && l.paid == 0 && l.nominal > amount {
                    l.nominal = amount;
                    l.balance = amount;
                }
            }
        }
        for ((i, year), l) in &mut self.ledgers {
            if *year < today.year() && l.balance > 0 {
                *self.burnt.entry((*i, *year)).or_default() += l.balance;
                l.burn_unused();
            }
        }
    }

    /// The database holds exactly what the model says, to the kopeck and the microsecond.
    async fn matches(&self, db: &sea_orm::DatabaseConnection, day: NaiveDate) {
        use app::ssr::entities::{pfdo_contract_event as event, pfdo_payment as payment};
        let periods: std::collections::BTreeMap<(i64, i32), (i64, i64, i64, i64)> =
            period::Entity::find()
                .filter(period::Column::CertificateId.is_in(self.certs.clone()))
                .all(db)
                .await
                .unwrap()
                .into_iter()
                .map(|p| {
                    (
                        (p.certificate_id, p.year),
                        (p.nominal, p.balance, p.reserve, p.paid),
                    )
                })
                .collect();
        let expected: std::collections::BTreeMap<(i64, i32), (i64, i64, i64, i64)> = self
            .ledgers
            .iter()
            .map(|(&(i, year), l)| {
                (
                    (self.certs[i], year),
                    (l.nominal, l.balance, l.reserve, l.paid),
                )
            })
            .collect();
        assert_eq!(periods, expected, "{day}: the certificates' money");
        let ids: Vec<i64> = self.contracts.iter().map(|c| c.id).collect();
        let rows = contract::Entity::find()
            .filter(contract::Column::Id.is_in(ids.clone()))
            .all(db)
            .await
            .unwrap();
        let payments = payment::Entity::find()
            .filter(payment::Column::ContractId.is_in(ids.clone()))
            .all(db)
            .await
            .unwrap();
        let events = event::Entity::find()
            .filter(event::Column::ContractId.is_in(ids))
            .all(db)
            .await
            .unwrap();
        for c in &self.contracts {
            let row = rows.iter().find(|r| r.id == c.id).unwrap();
            assert_eq!(
                (
                    Status::from_code(row.status),
                    row.reserve,
                    row.paid,
                    row.closes_on
                ),
                (Some(c.status), c.reserve, c.paid, c.closes_on),
                "{day}: contract {}",
                c.name
            );
            let mut months: Vec<(NaiveDate, i64, Option<DateTime<Utc>>)> = payments
                .iter()
                .filter(|p| p.contract_id == c.id)
                .map(|p| (p.month, p.amount, p.paid_at))
                .collect();
            months.sort();
            assert_eq!(months, c.schedule, "{day}: payments of {}", c.name);
            let lines = events.iter().filter(|e| e.contract_id == c.id).count();
            assert_eq!(lines as u64, c.history, "{day}: history of {}", c.name);
        }
    }
}

/// What happens on a day of the simulated year, at noon.
#[derive(Debug, Clone, Copy)]
enum SimStep {
    Apply(&'static str, usize, usize),
    Provider(&'static str, Action),
    Cancel(&'static str),
    Prolong(&'static str, &'static str),
    NextNominal(i64),
}

/// A financial year on the test clock, from the December before it to the February after:
/// eight certificates, contracts started mid-month, concluded a month late, terminated,
/// refused, cancelled, expired, prolonged and left to be accepted, a prolongation cancelled,
/// and one certificate with no contract at all. The jobs run every night, twice on some
/// nights and by two instances at once on others. Every day the database matches the model
/// built from the domain's rules, to the kopeck and the moment each payment was made.
#[allow(clippy::too_many_lines)]
async fn a_financial_year_on_the_test_clock(t: TestDb) {
    use app::domain::pfdo::money::Money;
    use app::domain::pfdo::nominal::prorated;
    use app::domain::pfdo::quote::{QuoteInput, earliest, quote};
    use app::domain::pfdo::registry::Funding;
    let y = t.clock.today().year() + 1;
    let on = |yy: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(yy, m, d).unwrap();
    let at =
        |d: NaiveDate, h: u32, m: u32| moscow_instant(d, NaiveTime::from_hms_opt(h, m, 0).unwrap());
    t.clock.set(at(on(y - 1, 12, 15), 10, 0));
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
    let db = &t.db;
    let other = t.reconnect().await;
    let settings = t.settings();
    let op = operator_id(db).await;
    certificates::set_limit(db, op, "1000", t.clock.now())
        .await
        .unwrap();
    let cat = roomy_category(db, "Симуляция года").await;
    certificates::set_nominal(db, op, cat, y, "30001,00", t.clock.now())
        .await
        .unwrap();
    let season = (on(y, 1, 1), on(y + 1, 5, 31));
    let price = 1_200_000;
    let groups = programme_running(db, "Год на часах", 8, price, season, t.clock.now()).await;
    let (provider_id, _) = raduga(db).await;
    // What the domain says a quote for one of these groups is.
    let domain_quote = |year: i32, earliest: NaiveDate, balance: i64| {
        quote(&QuoteInput {
            funding: Funding::Certificate,
            price: Money(price),
            normative_price: Money(price),
            module_starts: season.0,
            module_ends: season.1,
            group_starts: season.0,
            group_ends: season.1,
            year,
            earliest,
            balance: Money(balance),
        })
        .unwrap()
    };
    let mut model = SimModel::default();
    model.annual.insert(y, 3_000_100);
    let mut users = Vec::new();
    for name in [
        "Январёв",
        "Терминов",
        "Отказов",
        "Отменов",
        "Бездоговоров",
        "Просрочкин",
        "Продлёнов",
        "Поздняков",
    ] {
        let issued = certificates::issue(
            db,
            &settings,
            op,
            &certificates::IssueForm {
                last_name: name.into(),
                first_name: "Тимофей".into(),
                birth_date: "2016-05-10".into(),
                category_id: cat.to_string(),
                kind: "financed".into(),
                ..Default::default()
            },
            t.clock.now(),
        )
        .await
        .unwrap();
        certificates::activate(db, op, issued.id, t.clock.now())
            .await
            .unwrap();
        let c = certificate::Entity::find_by_id(issued.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        model.certs.push(c.id);
        users.push(c.user_id);
    }
    model.open_periods(t.clock.today());
    model.matches(db, t.clock.today()).await;

    let plan: Vec<(NaiveDate, SimStep)> = vec![
        (on(y, 1, 14), SimStep::Apply("A", 0, 0)),
        (on(y, 1, 15), SimStep::Provider("A", Action::Confirm)),
        (on(y, 1, 16), SimStep::Provider("A", Action::Conclude)),
        (on(y, 2, 2), SimStep::Apply("G", 6, 5)),
        (on(y, 2, 2), SimStep::Provider("G", Action::Confirm)),
        (on(y, 2, 3), SimStep::Provider("G", Action::Conclude)),
        (on(y, 2, 20), SimStep::Apply("D", 3, 3)),
        (on(y, 2, 21), SimStep::Provider("D", Action::Confirm)),
        (on(y, 2, 25), SimStep::Cancel("D")),
        (on(y, 3, 10), SimStep::Apply("B", 1, 1)),
        (on(y, 3, 11), SimStep::Provider("B", Action::Confirm)),
        (on(y, 3, 11), SimStep::Provider("B", Action::Conclude)),
        (on(y, 4, 5), SimStep::Apply("C", 2, 2)),
        (on(y, 4, 6), SimStep::Provider("C", Action::Refuse)),
        (on(y, 6, 17), SimStep::Provider("B", Action::Terminate)),
        (on(y, 7, 15), SimStep::Apply("H", 7, 6)),
        (on(y, 7, 20), SimStep::Provider("H", Action::Confirm)),
        (on(y, 8, 3), SimStep::Provider("H", Action::Conclude)),
        (on(y, 9, 20), SimStep::Apply("F", 5, 4)),
        (on(y, 11, 20), SimStep::NextNominal(3_100_000)),
        (on(y, 12, 1), SimStep::Prolong("G", "G2")),
        (on(y, 12, 3), SimStep::Cancel("G2")),
        (on(y, 12, 10), SimStep::Prolong("A", "A2")),
    ];
    let started = std::time::Instant::now();
    let mut runs = 0u32;
    let mut burnt_db = 0i64;
    let mut day = on(y, 1, 1);
    let last = on(y + 1, 2, 28);
    let mut k = 0u32;
    while day <= last {
        // The night's jobs: once, twice in a row, or by two instances at once.
        t.clock.set(at(day, 0, 10));
        let night = t.clock.now();
        let before: Vec<Option<period::Model>> = if day == on(y + 1, 1, 1) {
            let mut v = Vec::new();
            for &c in &model.certs {
                v.push(period::Entity::find_by_id((c, y)).one(db).await.unwrap());
            }
            v
        } else {
            Vec::new()
        };
        match k % 7 {
            3 => {
                for _ in 0..2 {
                    jobs::run_all(db, "first", night).await.unwrap().unwrap();
                    runs += 1;
                }
            }
            5 => {
                let (a, b) = tokio::join!(
                    jobs::run_all(db, "first", night),
                    jobs::run_all(&other, "second", night)
                );
                assert!(a.unwrap().is_some() || b.unwrap().is_some());
                runs += 2;
            }
            0 => {
                // Without the lease: the conditional updates alone keep it once.
                let (a, b) = tokio::join!(jobs::run_jobs(db, night), jobs::run_jobs(&other, night));
                a.unwrap();
                b.unwrap();
                runs += 2;
            }
            _ => {
                jobs::run_all(db, "first", night).await.unwrap().unwrap();
                runs += 1;
            }
        }
        model.jobs(night);
        if !before.is_empty() {
            for (i, b) in before.iter().enumerate() {
                let b = b.as_ref().unwrap();
                let a = period::Entity::find_by_id((model.certs[i], y))
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(a.balance, 0, "the year's end leaves nothing on the balance");
                assert_eq!(a.nominal, a.paid + a.reserve);
                assert_eq!(
                    b.nominal - a.nominal,
                    model.burnt.get(&(i, y)).copied().unwrap_or(0),
                    "certificate {i}: burnt exactly the unused balance"
                );
                burnt_db += b.nominal - a.nominal;
            }
            assert_eq!(
                model.burnt[&(4, y)],
                prorated(Money(3_000_100), 12).0,
                "the certificate with no contract loses December's nominal"
            );
        }
        // The certificate with no contract: the domain's formula, month by month.
        if day.year() == y && day.day() == 1 {
            let p = period::Entity::find_by_id((model.certs[4], y))
                .one(db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                p.nominal,
                prorated(Money(3_000_100), day.month()).0,
                "{day}"
            );
            assert_eq!(p.balance, p.nominal);
        }
        // The day's steps, from noon.
        for (n, (_, step)) in plan.iter().filter(|(d, _)| *d == day).enumerate() {
            t.clock.set(at(day, 12, u32::try_from(n).unwrap()));
            let now = t.clock.now();
            let today = app::domain::time::moscow_date(now);
            match *step {
                SimStep::Apply(name, cert, module) => {
                    let balance = model.ledgers[&(cert, y)].balance;
                    let q = applications::quote_for(db, users[cert], groups[module], Some(y), now)
                        .await
                        .unwrap();
                    let expected = domain_quote(y, earliest(y, today), balance);
                    assert_eq!(q.obstacle, None);
                    assert_eq!(q.certificate_share, expected.certificate_share);
                    assert_eq!(q.payments, expected.payments);
                    let id = applications::submit(
                        db,
                        users[cert],
                        &applications::ApplyForm {
                            group_id: groups[module],
                            year: y,
                            share: q.certificate_share.0,
                            confirm_apply: Some("on".into()),
                            confirm_family: Some("on".into()),
                            confirm_terms: Some("on".into()),
                        },
                        now,
                    )
                    .await
                    .unwrap();
                    let share = expected.certificate_share.0;
                    assert!(model.ledgers.get_mut(&(cert, y)).unwrap().reserve(share));
                    model.contracts.push(SimContract::new(
                        name,
                        (id, cert),
                        y,
                        Status::Created,
                        &expected,
                        None,
                    ));
                }
                SimStep::Provider(name, action) => {
                    let reason = matches!(action, Action::Refuse | Action::Terminate)
                        .then_some("Группа переформирована по решению педагогического совета");
                    let id = model.contract(name).id;
                    contracts::act(
                        db,
                        contracts::Viewer::Provider(provider_id),
                        id,
                        action,
                        reason,
                        now,
                    )
                    .await
                    .unwrap();
                    let ix = model.contracts.iter().position(|c| c.name == name).unwrap();
                    model.step(ix, action, now);
                }
                SimStep::Cancel(name) => {
                    let (id, cert) = {
                        let c = model.contract(name);
                        (c.id, c.cert)
                    };
                    contracts::act(
                        db,
                        contracts::Viewer::Parent(users[cert]),
                        id,
                        Action::Cancel,
                        None,
                        now,
                    )
                    .await
                    .unwrap();
                    let ix = model.contracts.iter().position(|c| c.name == name).unwrap();
                    model.step(ix, Action::Cancel, now);
                }
                SimStep::Prolong(from, name) => {
                    let (id, cert) = {
                        let c = model.contract(from);
                        (c.id, c.cert)
                    };
                    let new = contracts::prolong(db, provider_id, id, now).await.unwrap();
                    let next = y + 1;
                    let balance = model.ledgers[&(cert, next)].balance;
                    let expected = domain_quote(next, on(next, 1, 1), balance);
                    let share = expected.certificate_share.0;
                    assert!(model.ledgers.get_mut(&(cert, next)).unwrap().reserve(share));
                    model.contracts.push(SimContract::new(
                        name,
                        (new, cert),
                        next,
                        Status::Confirmed,
                        &expected,
                        Some(now + chrono::TimeDelta::days(contracts::PROLONG_DAYS)),
                    ));
                }
                SimStep::NextNominal(amount) => {
                    certificates::set_nominal(db, op, cat, y + 1, &Money(amount).to_string(), now)
                        .await
                        .unwrap();
                    model.annual.insert(y + 1, amount);
                    model.open_periods(today);
                }
            }
        }
        model.matches(db, day).await;
        invariant(db).await;
        day = day.succ_opt().unwrap();
        k += 1;
    }

    // How each contract ended, and that its paid money is its schedule.
    let by_name = |n: &str| model.contracts.iter().find(|c| c.name == n).unwrap();
    let status = |n: &str| by_name(n).status;
    assert_eq!(
        ["A", "A2", "B", "C", "D", "F", "G", "G2", "H"].map(status),
        [
            Status::Closed,
            Status::Active,
            Status::Closed,
            Status::Refused,
            Status::Refused,
            Status::Refused,
            Status::Closed,
            Status::Refused,
            Status::Closed,
        ]
    );
    for c in &model.contracts {
        let charged: i64 = c
            .schedule
            .iter()
            .filter(|(_, _, paid)| paid.is_some())
            .map(|(_, a, _)| a)
            .sum();
        let unpaid: i64 = c
            .schedule
            .iter()
            .filter(|(_, _, paid)| paid.is_none())
            .map(|(_, a, _)| a)
            .sum();
        assert_eq!(c.paid, charged, "{}", c.name);
        assert_eq!(
            c.reserve, unpaid,
            "{}: the months to come stay reserved",
            c.name
        );
        if c.status != Status::Active {
            assert_eq!(c.reserve, 0, "{}", c.name);
        }
        // A payment is made on the first night of its month, or when a late contract is
        // concluded: never before its month.
        for (month, _, paid) in &c.schedule {
            if let Some(paid) = paid {
                assert!(
                    app::domain::time::moscow_date(*paid) >= *month,
                    "{}",
                    c.name
                );
            }
        }
    }
    for n in ["A", "G", "H"] {
        assert_eq!(
            by_name(n).paid,
            by_name(n).cert_share,
            "{n} paid its whole schedule"
        );
    }
    assert_eq!(by_name("B").closes_on, Some(on(y, 6, 30)));
    assert_eq!(
        by_name("B")
            .schedule
            .iter()
            .map(|s| s.0)
            .collect::<Vec<_>>(),
        [on(y, 3, 1), on(y, 4, 1), on(y, 5, 1), on(y, 6, 1)],
        "the terminated contract paid until the end of its month"
    );
    assert_eq!(
        by_name("A2")
            .schedule
            .iter()
            .filter(|s| s.2.is_some())
            .count(),
        2
    );
    let expired = contract::Entity::find_by_id(by_name("F").id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(expired.reason.as_deref(), Some(contracts::EXPIRED));
    assert_eq!(
        expired.closed_at.map(app::domain::time::moscow_date),
        Some(on(y, 11, 1)),
        "an offer is withdrawn when the month after its start is over"
    );
    println!(
        "simulated year on {}: {k} days, {runs} job runs, {} contracts, {} burnt on 1 January, \
         {} ms",
        t.kind,
        model.contracts.len(),
        Money(burnt_db),
        started.elapsed().as_millis()
    );
}
