//! Offline reading and retries, on SQLite and PostgreSQL over real HTTP: the build's version
//! in the assets' addresses and the service worker, the headers that say which pages may be
//! kept and for whom, idempotency keys on calls that race over two instances, and the
//! version for the visually impaired.

mod common;

use std::path::{Path, PathBuf};

use app::domain::dpo::Funding;
use app::ssr::entities::{
    dpo_application as application, dpo_course as course, dpo_school as school,
    dpo_school_member as member,
};
use app::ssr::service::idempotency::{self, Claim, Stored};
use chrono::TimeDelta;
use common::{TestApp, TestDb, direct_user, provider_account};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, PaginatorTrait as _,
    QueryFilter as _, Set,
};

on_both_databases!(
    assets_live_under_the_build_version_and_the_worker_lists_them,
    pages_say_whether_and_for_whom_they_may_be_kept,
    a_call_retried_with_its_key_is_done_once_across_instances,
    claims_wait_for_a_running_call_and_take_over_an_abandoned_one,
    the_version_for_the_visually_impaired_is_remembered_and_rendered,
);

/// A built site in a fresh folder: the files the server versions, and the real worker.
fn site(css: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("kabinet-site-{}", uuid::Uuid::new_v4().simple()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("kabinet.js"), "export default function init() {}").unwrap();
    std::fs::write(pkg.join("kabinet.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("kabinet.css"), css).unwrap();
    std::fs::write(pkg.join("secret.txt"), "not an asset").unwrap();
    // As `make build` leaves it: compressed copies beside the files.
    kabinet::precompress::write_beside(&pkg).unwrap();
    let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    std::fs::copy(public.join("sw.js"), root.join("sw.js")).unwrap();
    std::fs::copy(public.join("page.js"), root.join("page.js")).unwrap();
    root
}

/// A browser that takes brotli gets brotli, one that takes only gzip gets gzip, each with its
/// length and `Vary`, and both decode to the file itself.
async fn assert_compressed(client: &reqwest::Client, url: &str, plain: &[u8]) {
    use std::io::Read as _;
    for (accept, encoding) in [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")] {
        let res = client
            .get(url)
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{url}");
        let h = res.headers().clone();
        assert_eq!(h["content-encoding"], encoding, "{url} for {accept}");
        assert_eq!(h["vary"], "accept-encoding", "{url}");
        let body = res.bytes().await.unwrap();
        assert_eq!(h["content-length"], body.len().to_string().as_str());
        let mut back = Vec::new();
        if encoding == "br" {
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_end(&mut back)
                .unwrap();
        } else {
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut back)
                .unwrap();
        }
        assert_eq!(back, plain, "{url} decodes to the file");
    }
}

fn version_in(page: &str) -> String {
    let at = page
        .find(r#"<meta name="kabinet-version" content=""#)
        .expect("version meta")
        + r#"<meta name="kabinet-version" content=""#.len();
    page[at..].split('"').next().unwrap().to_owned()
}

async fn assets_live_under_the_build_version_and_the_worker_lists_them(t: TestDb) {
    let root = site("body { color: black }");
    let app = TestApp::spawn_with_site(t.db.clone(), t.settings(), &t.clock, Some(&root)).await;
    let client = app.client();
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let v = version_in(&page);
    assert_eq!(v.len(), 12, "{v}");
    for asset in ["kabinet.css", "page.js", "kabinet.js", "kabinet.wasm"] {
        // The islands' JS and WASM are loaded by page.js under the page's version, and only
        // where the page has islands.
        if asset.starts_with("page") || asset.ends_with(".css") {
            assert!(
                page.contains(&format!("/pkg/{v}/{asset}")),
                "the page names {asset} under its build"
            );
        }
        let res = client
            .get(app.url(&format!("/pkg/{v}/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{asset}");
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(res.headers().get("content-encoding").is_none());
        let plain = res.bytes().await.unwrap();
        assert_compressed(&client, &app.url(&format!("/pkg/{v}/{asset}")), &plain).await;
    }
    for gone in [
        "/pkg/000000000000/kabinet.css".to_owned(),
        format!("/pkg/{v}/secret.txt"),
        format!("/pkg/{v}/..%2Fsw.js"),
        "/pkg/kabinet.css".to_owned(),
    ] {
        let res = client.get(app.url(&gone)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{gone}");
    }

    // What is sent is the copy written at build time, not a compression made now.
    let res = client
        .get(app.url(&format!("/pkg/{v}/kabinet.wasm")))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.bytes().await.unwrap(),
        std::fs::read(root.join("pkg/kabinet.wasm.br")).unwrap()
    );

    let res = client.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let worker = res.text().await.unwrap();
    assert_compressed(&client, &app.url("/sw.js"), worker.as_bytes()).await;
    assert!(worker.contains(&format!("const VERSION = \"{v}\";")));
    assert!(worker.contains(&format!("\"/pkg/{v}/kabinet.wasm\"")));
    assert!(worker.contains("\"/favicon.svg\""));
    assert!(!worker.contains("__KABINET"), "every placeholder is filled");

    // A deployment with a changed file is another version, on every instance that serves it.
    let next = site("body { color: navy }");
    // The next site carries the previous build's compressed stylesheet, written after the
    // file (as a copied site does): it is not served, since it does not decode to the file.
    std::fs::copy(
        root.join("pkg/kabinet.css.br"),
        next.join("pkg/kabinet.css.br"),
    )
    .unwrap();
    let deployed =
        TestApp::spawn_with_site(t.reconnect().await, t.settings(), &t.clock, Some(&next)).await;
    let again =
        TestApp::spawn_with_site(t.reconnect().await, t.settings(), &t.clock, Some(&next)).await;
    let page_of = |app: &TestApp| {
        let req = client.get(app.url("/login"));
        async move { version_in(&req.send().await.unwrap().text().await.unwrap()) }
    };
    let w = page_of(&deployed).await;
    assert_ne!(v, w);
    assert_eq!(w, page_of(&again).await);
    let res = client
        .get(deployed.url(&format!("/pkg/{v}/kabinet.css")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "the old build's assets are not served");
    assert_compressed(
        &client,
        &deployed.url(&format!("/pkg/{w}/kabinet.css")),
        b"body { color: navy }",
    )
    .await;
    let res = client
        .post(deployed.url("/api/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["x-kabinet-version"].to_str().unwrap(),
        w,
        "every answer names its build"
    );
}

async fn pages_say_whether_and_for_whom_they_may_be_kept(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let guest = app.client();
    let res = guest.get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.headers()["x-kabinet-offline"], "keep");
    assert_eq!(res.headers()["x-kabinet-owner"], "guest");
    // The kept copy's banner names the server's time, in Moscow.
    assert_eq!(
        res.headers()["x-kabinet-kept-label"],
        app::domain::time::format_moscow_short(t.clock.now()).as_str()
    );
    let res = guest
        .get(app.url("/confirm?token=abc"))
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().get("x-kabinet-offline").is_none(),
        "a one-time link is never kept"
    );
    let res = guest.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers().get("x-kabinet-offline").is_none());

    let (_, specialist) = direct_user(&app, "specialist", "offline-owner").await;
    let owner = |client: &reqwest::Client| {
        let req = client.get(app.url("/profile"));
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.headers()["x-kabinet-owner"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    let first = owner(&specialist).await;
    assert_ne!(first, "guest");
    assert_eq!(first.len(), 16);
    assert_eq!(first, owner(&specialist).await, "stable within a session");
    let (_, other) = direct_user(&app, "specialist", "offline-other").await;
    assert_ne!(first, owner(&other).await, "another session, another owner");

    let res = specialist
        .get(app.url("/nmo/portfolio.pdf"))
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().get("x-kabinet-offline").is_none(),
        "documents are never kept"
    );
    let res = specialist
        .post(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("x-kabinet-offline").is_none());
    assert!(res.headers().get("x-kabinet-purge").is_none());
    let res = specialist
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(
        res.headers()["x-kabinet-purge"],
        "1",
        "sign-out forgets kept pages"
    );
    let res = guest
        .post(app.url("/api/auth/login"))
        .form(&[("login", "nobody"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    assert!(
        res.headers().get("x-kabinet-purge").is_none(),
        "a refused sign-in changes nothing"
    );
}

async fn school_and_course(app: &TestApp, places: i32) -> (i64, i64) {
    let db = &app.state.db;
    let s = school::ActiveModel {
        name: Set(format!("Школа {}", uuid::Uuid::new_v4().simple())),
        city: Set("Город".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let (provider_id, _, _) = provider_account(
        app,
        "Центр повторов",
        &format!("rep{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
    )
    .await;
    let today = app.state.clock.today();
    let c = course::ActiveModel {
        provider_id: Set(provider_id),
        code: Set(format!(
            "ПК-R-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..6]
        )),
        title: Set("Курс повторов".into()),
        description: Set("Программа".into()),
        search_text: Set("курс повторов".into()),
        hours: Set(36),
        format: Set("distance".into()),
        funding: Set(Funding::Paid.code().into()),
        price: Set(100_000),
        starts_on: Set(today + TimeDelta::days(10)),
        ends_on: Set(today + TimeDelta::days(40)),
        places: Set(places),
        taken: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    (s.id, c.id)
}

async fn teacher(app: &TestApp, login: &str, school_id: i64) -> reqwest::Client {
    let (id, client) = direct_user(app, "teacher", login).await;
    member::ActiveModel {
        user_id: Set(id),
        school_id: Set(school_id),
        kind: Set("teacher".into()),
        position: Set("учитель".into()),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    client
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    key: Option<&str>,
    form: &[(&str, String)],
) -> (u16, bool, String) {
    let mut req = client.post(app.url(&format!("/api/{endpoint}"))).form(form);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let res = req.send().await.unwrap();
    let replayed = res.headers().contains_key("idempotent-replayed");
    (res.status().as_u16(), replayed, res.text().await.unwrap())
}

async fn a_call_retried_with_its_key_is_done_once_across_instances(t: TestDb) {
    let first = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let second = TestApp::spawn(t.reconnect().await, t.settings(), &t.clock).await;
    let db = &first.state.db;
    let (school_id, course_id) = school_and_course(&first, 5).await;
    let alone = teacher(&first, "retry-alone@school.ru", school_id).await;
    let course = [("course_id", course_id.to_string())];

    // Sixteen sends of one click (a retry storm over two instances): one application, and
    // every send is answered with it.
    let key = "0f3c9a1e-77aa-4d7e-9b9b-0123456789ab";
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app = if i % 2 == 0 { &first } else { &second };
        let url = app.url("/api/dpo/apply");
        let client = alone.clone();
        let course = course.clone();
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .header("idempotency-key", key)
                .form(&course)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }));
    }
    let mut bodies = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 200, "{body}");
        bodies.push(body);
    }
    bodies.dedup();
    assert_eq!(
        bodies.len(),
        1,
        "every send got the same answer: {bodies:?}"
    );
    let live = || {
        application::Entity::find()
            .filter(application::Column::CourseId.eq(course_id))
            .count(db)
    };
    assert_eq!(live().await.unwrap(), 1);
    let application_id = bodies[0].clone();

    // Later, the same retry is answered from the store.
    let (status, replayed, body) = send(&second, &alone, "dpo/apply", Some(key), &course).await;
    assert_eq!(
        (status, replayed, body.as_str()),
        (200, true, application_id.as_str())
    );

    // A new click is a new key: refused (one live application per course), and a refusal is
    // not kept, so the same key runs again once the refusal no longer holds.
    let (status, replayed, _) = send(
        &first,
        &alone,
        "dpo/apply",
        Some("second-click-0001"),
        &course,
    )
    .await;
    assert_eq!((status, replayed), (422, false));
    let withdraw = [
        ("application_id", application_id.clone()),
        ("from", String::new()),
    ];
    let (status, _, body) = send(
        &first,
        &alone,
        "dpo/withdraw",
        Some("withdraw-0001"),
        &withdraw,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, replayed, _) = send(
        &second,
        &alone,
        "dpo/withdraw",
        Some("withdraw-0001"),
        &withdraw,
    )
    .await;
    assert_eq!(
        (status, replayed),
        (200, true),
        "a lost answer to a withdrawal is given again"
    );
    let (status, replayed, again) = send(
        &first,
        &alone,
        "dpo/apply",
        Some("second-click-0001"),
        &course,
    )
    .await;
    assert_eq!((status, replayed), (200, false));
    assert_ne!(again, application_id);
    assert_eq!(
        live().await.unwrap(),
        2,
        "the withdrawn one and the new one"
    );

    // Keys belong to their session: another teacher's identical key is their own call.
    let other = teacher(&first, "retry-other@school.ru", school_id).await;
    let (status, replayed, theirs) = send(&second, &other, "dpo/apply", Some(key), &course).await;
    assert_eq!((status, replayed), (200, false));
    assert_ne!(theirs, application_id);

    // A malformed key is refused in Russian before anything runs.
    for bad in ["short", "пробел в ключе", &"x".repeat(101)] {
        let (status, _, body) = send(&first, &other, "dpo/apply", Some(bad), &course).await;
        assert_eq!(status, 400, "{bad}");
        assert!(body.contains("Idempotency-Key"), "{body}");
    }
    // Reads ignore keys: nothing is stored for them.
    let before = app::ssr::entities::idempotency_key::Entity::find()
        .count(db)
        .await
        .unwrap();
    let (status, replayed, _) = send(&first, &other, "dpo/mine", Some("read-key-0001"), &[]).await;
    assert_eq!((status, replayed), (200, false));
    let after = app::ssr::entities::idempotency_key::Entity::find()
        .count(db)
        .await
        .unwrap();
    assert_eq!(before, after);
}

async fn claims_wait_for_a_running_call_and_take_over_an_abandoned_one(t: TestDb) {
    let db = &t.db;
    let now = t.clock.now();
    assert_eq!(
        idempotency::claim(db, "k1", now).await.unwrap(),
        Claim::Fresh
    );
    assert_eq!(
        idempotency::claim(db, "k1", now).await.unwrap(),
        Claim::Running
    );
    let answer = Stored {
        status: 303,
        headers: vec![("location".into(), "/dpo?applied=1".into())],
        body: String::new(),
    };
    idempotency::finish(db, "k1", answer.clone()).await.unwrap();
    assert_eq!(
        idempotency::claim(db, "k1", now).await.unwrap(),
        Claim::Done(answer)
    );

    // A refused call gives its key back.
    assert_eq!(
        idempotency::claim(db, "k2", now).await.unwrap(),
        Claim::Fresh
    );
    idempotency::release(db, "k2").await.unwrap();
    assert_eq!(
        idempotency::claim(db, "k2", now).await.unwrap(),
        Claim::Fresh
    );

    // A claim whose instance stopped mid-call is taken over by exactly one of many retries.
    let long_ago = now - TimeDelta::minutes(5);
    assert_eq!(
        idempotency::claim(db, "k3", long_ago).await.unwrap(),
        Claim::Fresh
    );
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let db = t.reconnect().await;
        let clock = t.clock.clone();
        tasks.push(tokio::spawn(async move {
            idempotency::claim(&db, "k3", clock.now()).await.unwrap()
        }));
    }
    let mut fresh = 0;
    for task in tasks {
        match task.await.unwrap() {
            Claim::Fresh => fresh += 1,
            Claim::Running => {}
            Claim::Done(_) => panic!("nothing was finished"),
        }
    }
    assert_eq!(fresh, 1);

    // Day-old answers are forgotten.
    assert_eq!(
        idempotency::purge_old(db, now + TimeDelta::days(2))
            .await
            .unwrap(),
        3
    );
}

async fn login_page(client: &reqwest::Client, app: &TestApp, cookie: &str) -> String {
    let res = client
        .get(app.url("/login"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn the_version_for_the_visually_impaired_is_remembered_and_rendered(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = app.client();
    let post = |form: &'static [(&'static str, &'static str)]| {
        client.post(app.url("/a11y")).form(form).send()
    };
    let res = post(&[
        ("size", "3"),
        ("scheme", "blue"),
        ("font", "serif"),
        ("images", "off"),
        ("back", "/dpo/courses?year=2027"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/dpo/courses?year=2027");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("a11y=3.blue.serif.off;"), "{cookie}");

    let page = login_page(&client, &app, "a11y=3.blue.serif.off").await;
    for attr in [
        r#"data-a11y="3.blue.serif.off""#,
        r#"data-a11y-size="3""#,
        r#"data-a11y-scheme="blue""#,
        r#"data-a11y-font="serif""#,
        r#"data-a11y-images="off""#,
    ] {
        assert!(page.contains(attr), "{attr}");
    }
    let panel = &page[page.find("<details").expect("the panel")..];
    let panel = &panel[..panel.find('>').unwrap()];
    assert!(
        panel.contains("a11y") && panel.contains(" open"),
        "the panel stays open: {panel}"
    );
    let plain = login_page(&client, &app, "a11y=9.red.comic.maybe").await;
    assert!(
        !plain.contains("data-a11y"),
        "an unknown setting is the usual version"
    );

    let res = post(&[("off", "1"), ("back", "/")]).await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("a11y=; Path=/; Max-Age=0")
    );
    let res = post(&[("size", "7"), ("back", "/")]).await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Выберите размер шрифта"));
    let res = post(&[
        ("size", "1"),
        ("scheme", "wb"),
        ("font", "sans"),
        ("images", "on"),
        ("back", "//evil.example/"),
    ])
    .await
    .unwrap();
    assert_eq!(res.headers()["location"], "/");
}
