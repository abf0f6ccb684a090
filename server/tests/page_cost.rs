//! What a page view costs the database: the statements each main signed-in page runs, capped
//! so that a page whose count grows fails here, and the session's writes (at most one a
//! minute, so page views do not queue on SQLite's one writer) within its idle and absolute
//! limits.

mod common;

use chrono::TimeDelta;
use common::{StatementLog, TestApp, TestDb};

on_both_databases!(
    pages_are_sent_compressed_when_asked,
    main_pages_run_no_more_statements_than_they_need,
    a_session_is_written_at_most_once_a_minute_and_keeps_its_limits,
);

/// Who opens each page, and the most statements its view may run: today's counts, with the
/// session looked up once per page. Known repeats left for later: the ПФДО pages read the
/// certificate and its contracts for the strip and again for the page; /cabinet reads the НМО
/// profile twice.
const PAGES: &[(&str, &str, &str, usize)] = &[
    ("/cabinet", "11223344595", "Demo-Vrach-2026", 11),
    ("/nmo/plan", "11223344595", "Demo-Vrach-2026", 10),
    ("/nmo/elements", "11223344595", "Demo-Vrach-2026", 12),
    ("/pfdo", "9901101325", "Demo-Roditel-2026", 14),
    ("/pfdo/navigator", "9901101325", "Demo-Roditel-2026", 28),
    ("/pfdo/contracts", "9901101325", "Demo-Roditel-2026", 26),
    ("/dpo", "orlova@demo.kabinet.local", "Demo-Uchitel-2026", 9),
    (
        "/dpo/courses",
        "orlova@demo.kabinet.local",
        "Demo-Uchitel-2026",
        9,
    ),
    (
        "/dpo/school",
        "direktor@demo.kabinet.local",
        "Demo-Direktor-2026",
        12,
    ),
    ("/provider", "akademia", "Demo-Provider-2026", 6),
    ("/operator", "operator", "Demo-Operator-2026", 10),
];

/// Pages are compressed per request (at the fast level the router names): brotli when the
/// browser takes it, gzip when it takes only that, and as they are otherwise.
async fn pages_are_sent_compressed_when_asked(t: TestDb) {
    use std::io::Read as _;
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (_, client) = common::direct_user(&app, "specialist", "40011122255").await;
    for path in ["/login", "/profile"] {
        for accept in ["br, gzip", "gzip", "identity"] {
            let res = client
                .get(app.url(path))
                .header("accept-encoding", accept)
                .send()
                .await
                .expect("page");
            assert_eq!(res.status(), 200, "{path}");
            let encoding = res
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().expect("header").to_owned());
            let body = res.bytes().await.expect("body");
            let mut page = String::new();
            match encoding.as_deref() {
                Some("br") if accept == "br, gzip" => {
                    brotli::Decompressor::new(&body[..], 4096).read_to_string(&mut page)
                }
                Some("gzip") if accept == "gzip" => {
                    flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut page)
                }
                None if accept == "identity" => {
                    page = String::from_utf8(body.to_vec()).expect("utf-8");
                    Ok(0)
                }
                other => panic!("{path} for {accept} came as {other:?}"),
            }
            .expect("decodes");
            assert!(page.starts_with("<!DOCTYPE html>"), "{path} for {accept}");
            if accept != "identity" {
                assert!(body.len() * 2 < page.len(), "{path} for {accept}");
            }
        }
    }
}

fn is_write(sql: &str) -> bool {
    let head = sql.trim_start().to_ascii_uppercase();
    ["INSERT", "UPDATE", "DELETE"]
        .iter()
        .any(|w| head.starts_with(w))
}

async fn main_pages_run_no_more_statements_than_they_need(mut t: TestDb) {
    app::ssr::seed::seed_demo(&t.db, t.clock.now())
        .await
        .expect("seed");
    let log = StatementLog::attach(&mut t.db);
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let mut report = Vec::new();
    let mut over = Vec::new();
    for &(path, login, password, most) in PAGES {
        let client = app.client();
        assert_eq!(app.login(&client, login, password).await, 200, "{login}");
        log.take();
        let res = client.get(app.url(path)).send().await.expect("page");
        assert_eq!(res.status(), 200, "{path} as {login}");
        res.text().await.expect("body");
        let statements = log.take();
        report.push(format!("{path}: {}", statements.len()));
        let writes: Vec<_> = statements.iter().filter(|s| is_write(s)).collect();
        assert!(
            writes.is_empty(),
            "{path} wrote on a page view: {writes:#?}"
        );
        if statements.len() > most {
            over.push(format!(
                "{path} ran {} statements (at most {most}):\n  {}",
                statements.len(),
                statements.join("\n  ")
            ));
        }
    }
    eprintln!("statements per page ({}): {}", t.kind, report.join(", "));
    assert!(over.is_empty(), "{}", over.join("\n"));
}

async fn a_session_is_written_at_most_once_a_minute_and_keeps_its_limits(mut t: TestDb) {
    let log = StatementLog::attach(&mut t.db);
    let policy = t.settings().policy;
    let idle = TimeDelta::from_std(policy.session_idle).expect("idle");
    let absolute = TimeDelta::from_std(policy.session_absolute).expect("absolute");
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let (_, client) = common::direct_user(&app, "specialist", "40011122233").await;
    let view = async |client: &reqwest::Client| {
        log.take();
        let res = client.get(app.url("/profile")).send().await.expect("page");
        let status = res.status().as_u16();
        res.text().await.expect("body");
        let writes = log.take().into_iter().filter(|s| is_write(s)).count();
        (status, writes)
    };

    assert_eq!(
        view(&client).await,
        (200, 0),
        "a new session is not written again"
    );
    t.clock.advance(TimeDelta::seconds(30));
    assert_eq!(view(&client).await, (200, 0), "nor within its first minute");
    t.clock.advance(idle - TimeDelta::minutes(10));
    assert_eq!(
        view(&client).await,
        (200, 1),
        "used later, it is written once"
    );
    assert_eq!(view(&client).await, (200, 0), "and not again at once");
    t.clock.advance(idle - TimeDelta::minutes(10));
    assert_eq!(
        view(&client).await.0,
        200,
        "use keeps it alive past its idle limit from the start"
    );
    t.clock.advance(idle + TimeDelta::seconds(1));
    assert_eq!(
        view(&client).await.0,
        303,
        "unused for its idle limit, it ends"
    );

    let (_, client) = common::direct_user(&app, "specialist", "40011122244").await;
    let start = t.clock.now();
    while t.clock.now() + idle / 2 < start + absolute {
        t.clock.advance(idle / 2);
        assert_eq!(view(&client).await.0, 200, "in use at {}", t.clock.now());
    }
    t.clock.set(start + absolute);
    assert_eq!(
        view(&client).await.0,
        303,
        "in use, it still ends at its absolute limit"
    );
}
