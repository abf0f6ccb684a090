//! The HTTP surface: cross-site protection, headers, health, and a bad-input matrix over every
//! server function — each must answer 4xx, never 5xx.

mod common;

use common::{TestApp, TestDb};

on_both_databases!(
    every_server_function_answers_bad_input_with_4xx,
    cross_origin_posts_are_refused,
    pages_carry_security_headers_and_health_answers,
    the_theme_is_remembered_and_rendered,
    pages_answer_while_other_servers_start_in_the_process,
);

/// Every endpoint in docs/API.md.
const ENDPOINTS: &[&str] = &[
    "auth/register_specialist",
    "auth/confirm_registration",
    "auth/login",
    "auth/logout",
    "auth/forgot_password",
    "auth/me",
    "auth/robot_challenge",
    "profile/get",
    "profile/update_contacts",
    "profile/change_email",
    "profile/confirm_email",
    "profile/change_password",
    "support/create_ticket",
    "support/my_tickets",
    "support/all_tickets",
    "support/answer_ticket",
    "nmo/status",
    "nmo/accept_agreement",
    "nmo/set_levels",
    "nmo/specialties",
    "nmo/organisations",
    "nmo/add_organisation",
    "nmo/add_document",
    "nmo/documents",
    "nmo/cycles",
    "nmo/choose_cycle",
    "nmo/pending_organisations",
    "nmo/review_organisation",
    "plan/elements",
    "plan/element",
    "plan/include",
    "plan/remove",
    "plan/view",
    "plan/module",
    "plan/submit_test",
    "plan/activate_code",
    "plan/apply",
    "plan/withdraw",
    "plan/portfolio",
    "provider/elements",
    "provider/issue_codes",
    "provider/activations",
    "provider/review_activation",
    "provider/set_published",
    "provider/applications",
    "provider/advance_application",
    "provider/editor",
    "provider/save_element",
    "providers/apply",
    "providers/pending",
    "providers/review",
    "pfdo/cabinet",
    "pfdo/navigator",
    "pfdo/programme",
    "pfdo/quote",
    "pfdo/apply",
    "pfdo/contracts",
    "pfdo/contract",
    "pfdo/cancel",
    "pfdo/rate",
    "pfdo/provider/contracts",
    "pfdo/provider/act",
    "pfdo/switch",
    "pfdo/provider/groups",
    "pfdo/provider/apply",
    "pfdo/schedule",
    "pfdo/settings",
    "pfdo/settings/contacts",
    "pfdo/settings/confirm",
    "pfdo/settings/consent",
    "pfdo/settings/merge",
    "pfdo/settings/email",
    "pfdo/settings/password",
    "pfdo/operator/overview",
    "pfdo/operator/certificates",
    "pfdo/operator/issue",
    "pfdo/operator/activate",
    "pfdo/operator/limit",
    "pfdo/operator/nominal",
    "pfdo/news",
    "pfdo/events",
    "pfdo/events/apply",
    "pfdo/events/cancel",
    "pfdo/portfolio",
    "pfdo/portfolio/add",
    "pfdo/portfolio/remove",
    "pfdo/provider/events",
    "pfdo/provider/events/create",
    "pfdo/provider/achievement",
    "pfdo/news/publish",
    "pfdo/operator/news",
    "pfdo/operator/registries",
    "pfdo/operator/category",
    "pfdo/operator/admit",
    "pfdo/operator/organisation",
    "pfdo/operator/programme",
    "auth/register_teacher",
    "dpo/schools",
    "dpo/catalogue",
    "dpo/course",
    "dpo/apply",
    "dpo/withdraw",
    "dpo/mine",
    "dpo/notifications/read",
    "dpo/record_book",
    "dpo/school",
    "dpo/school/approve",
    "dpo/school/reject",
    "dpo/provider/courses",
    "dpo/provider/course",
    "dpo/provider/group",
    "dpo/provider/enrol",
    "dpo/provider/complete",
];

async fn every_server_function_answers_bad_input_with_4xx(t: TestDb) {
    app::ssr::seed::seed_demo(&t.db, t.clock.now())
        .await
        .unwrap();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let guest = app.client();
    let admin = app.client();
    assert_eq!(app.login(&admin, "admin", "Demo-Admin-2026").await, 200);
    let huge = "я".repeat(100_000);
    let long = "x".repeat(5_000);
    let cases: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        ("empty", Some("application/x-www-form-urlencoded"), vec![]),
        (
            "missing fields",
            Some("application/x-www-form-urlencoded"),
            b"unrelated=1".to_vec(),
        ),
        (
            "wrong types",
            Some("application/x-www-form-urlencoded"),
            b"id=abc&form[snils]=1&answer=&token=&item_id=x&element_id=1.5&code_id=-&count=z&query[page]=q&answers[a]=b&run_id=r&step=1&kind=x&form[credits]=z&form[specialties][q]=on&course_id=x&application_id=1.5&group_id=q&ids[x]=on&form[capacity]=-"
                .to_vec(),
        ),
        (
            "oversized",
            Some("application/x-www-form-urlencoded"),
            format!("login={huge}&password={huge}").into_bytes(),
        ),
        (
            "long values",
            Some("application/x-www-form-urlencoded"),
            format!("login={long}&password={long}&snils={long}&token={long}&email={long}")
                .into_bytes(),
        ),
        (
            "control characters",
            Some("application/x-www-form-urlencoded"),
            b"q=%00&query[q]=%00&title=a%00b&body=%00%00%00%00%00%00%00%00%00%00&name=%00x&login=%00&reason=%00&document_number=%00&form[number]=%00&form[position]=%00"
                .to_vec(),
        ),
        (
            "wrong content type",
            Some("application/xml"),
            b"<login>1</login>".to_vec(),
        ),
        ("json", Some("application/json"), b"{\"login\": 5}".to_vec()),
        ("no content type", None, b"\xff\xfe\x00garbage".to_vec()),
        (
            "malformed multipart",
            Some("multipart/form-data; boundary=XYZ"),
            b"--XYZ\r\nbroken".to_vec(),
        ),
        (
            "broken encoding",
            Some("application/x-www-form-urlencoded"),
            b"login=%ZZ%&password=\xff".to_vec(),
        ),
    ];
    // The plan and provider endpoints are also fed junk by the roles that pass their checks.
    let specialist = app.client();
    assert_eq!(
        app.login(&specialist, "11223344595", "Demo-Vrach-2026")
            .await,
        200
    );
    let provider = app.client();
    assert_eq!(
        app.login(&provider, "akademia", "Demo-Provider-2026").await,
        200
    );
    let parent = app.client();
    assert_eq!(
        app.login(&parent, "9901101325", "Demo-Roditel-2026").await,
        200
    );
    let operator = app.client();
    assert_eq!(
        app.login(&operator, "operator", "Demo-Operator-2026").await,
        200
    );
    let teacher = app.client();
    assert_eq!(
        app.login(&teacher, "orlova@demo.kabinet.local", "Demo-Uchitel-2026")
            .await,
        200
    );
    let head = app.client();
    assert_eq!(
        app.login(&head, "direktor@demo.kabinet.local", "Demo-Direktor-2026")
            .await,
        200
    );
    let iro = app.client();
    assert_eq!(app.login(&iro, "iro", "Demo-Iro-2026").await, 200);
    let mut failures = Vec::new();
    for endpoint in ENDPOINTS {
        let mut callers = vec![("guest", &guest), ("admin", &admin)];
        if endpoint.starts_with("plan/")
            || endpoint.starts_with("provider/")
            || endpoint.starts_with("pfdo/")
        {
            callers.extend([("specialist", &specialist), ("provider", &provider)]);
        }
        if endpoint.starts_with("pfdo/") {
            callers.extend([("parent", &parent), ("operator", &operator)]);
        }
        if endpoint.starts_with("dpo/") || *endpoint == "auth/register_teacher" {
            callers.extend([("teacher", &teacher), ("head", &head), ("iro", &iro)]);
        }
        for (who, client) in callers {
            for (case, content_type, body) in &cases {
                let mut req = client
                    .post(app.url(&format!("/api/{endpoint}")))
                    .body(body.clone());
                if let Some(ct) = content_type {
                    req = req.header("content-type", *ct);
                }
                let res = match req.send().await {
                    Ok(r) => r,
                    Err(e) => {
                        failures.push(format!("{endpoint} {who} {case}: transport error {e:?}"));
                        continue;
                    }
                };
                let status = res.status().as_u16();
                let text = res.text().await.unwrap_or_default();
                // Queries without arguments (me, get, lists) may answer 200 or 401 to junk.
                let ok = (400..500).contains(&status) || status == 200;
                if !ok {
                    failures.push(format!("{endpoint} {who} {case}: {status} {text}"));
                } else if status >= 400
                    && !text.is_empty()
                    && !text
                        .chars()
                        .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
                {
                    failures.push(format!(
                        "{endpoint} {who} {case}: {status} without a Russian message: {text}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} on {}:\n{}",
        failures.len(),
        t.kind,
        failures.join("\n")
    );

    // Someone else's id: an unknown ticket is 404, not a crash. (The matrix logged the admin out.)
    assert_eq!(app.login(&admin, "admin", "Demo-Admin-2026").await, 200);
    let (status, _) = app
        .call(
            &admin,
            "support/answer_ticket",
            &[("id", "999999"), ("answer", "ответ")],
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call(
            &admin,
            "support/answer_ticket",
            &[("id", "-1"), ("answer", "ответ")],
        )
        .await;
    assert_eq!(status, 404);
}

async fn cross_origin_posts_are_refused(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let raw = reqwest::Client::new();
    let by_origin = raw
        .post(app.url("/api/auth/login"))
        .header("origin", "https://evil.example")
        .form(&[("login", "112-233-445 95"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(by_origin.status(), 403);
    assert!(by_origin.text().await.unwrap().contains("с другого сайта"));
    let by_fetch_site = raw
        .post(app.url("/api/auth/logout"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(by_fetch_site.status(), 403);
    let same = raw
        .post(app.url("/api/auth/me"))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
}

async fn pages_carry_security_headers_and_health_answers(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let c = reqwest::Client::new();
    let res = c.get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_owned();
    assert!(
        csp.contains("script-src 'nonce-") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(h.contains_key("x-request-id"));
    let html = res.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the nonce"
    );
    assert!(html.contains("Вход в личный кабинет"));

    // Under load too, every page's policy names the nonce every one of its scripts carries
    // (once in CI a page came without it, and nothing on it ran).
    let mut tasks = Vec::new();
    for i in 0..96 {
        let c = c.clone();
        let url = app.url(if i % 2 == 0 {
            "/login"
        } else {
            "/no-such-page"
        });
        tasks.push(tokio::spawn(async move {
            let res = c.get(url).send().await.unwrap();
            let csp = res.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_owned();
            (csp, res.text().await.unwrap())
        }));
    }
    for task in tasks {
        let (csp, html) = task.await.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|n| n.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {csp}"));
        let scripts = html.matches("<script").count();
        assert!(scripts >= 2, "the page has its scripts");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "every script carries the policy's nonce"
        );
    }

    assert_eq!(
        c.get(app.url("/healthz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        c.get(app.url("/readyz")).send().await.unwrap().status(),
        200
    );
    let missing = c.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("Страница не найдена")
    );
    // Personal pages need a session.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for page in ["/cabinet", "/profile", "/admin/support"] {
        let res = no_redirects.get(app.url(page)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{page}");
        assert_eq!(res.headers()["location"], "/login");
    }
    let link = no_redirects
        .get(app.url("/profile/confirm-email?token=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), 200);
}

/// The footer's theme switch: the choice goes into a cookie, every page renders `<html>` with
/// it, «Как в системе» removes it, and the way back never leaves the site.
async fn the_theme_is_remembered_and_rendered(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = app.client();
    let post = |theme: &'static str, back: &'static str| {
        client
            .post(app.url("/theme"))
            .form(&[("theme", theme), ("back", back)])
            .send()
    };
    let res = post("dark", "/pfdo/navigator?q=шахматы").await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/pfdo/navigator?q=шахматы");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("theme=dark;"), "{cookie}");
    let login_page = |cookie: &'static str| {
        let req = client.get(app.url("/login")).header("cookie", cookie);
        async move {
            let started = std::time::Instant::now();
            let res = req.send().await.unwrap();
            assert_eq!(
                res.status(),
                200,
                "/login with {cookie} after {:?}",
                started.elapsed()
            );
            res.text().await.unwrap()
        }
    };
    let page = login_page("theme=dark").await;
    assert!(
        page.contains(r#"<html lang="ru" data-theme="dark""#),
        "the page renders the theme: {}",
        &page[..page.len().min(600)]
    );
    assert!(page.contains(r#"<option value="dark" selected"#));
    let page = login_page("theme=<script>").await;
    assert!(!page.contains("data-theme"), "an unknown theme is ignored");
    let res = post("system", "//evil.example/").await.unwrap();
    assert_eq!(
        res.headers()["location"],
        "/",
        "the way back stays on the site"
    );
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let res = post("sepia", "/\\evil.example").await.unwrap();
    assert_eq!(res.headers()["location"], "/");
    let res = post("dark", "/\t/evil.example").await.unwrap();
    assert_eq!(
        res.headers()["location"],
        "/",
        "a tab would be dropped by the browser"
    );
}

/// Starting a server renders the app once to find its routes, with every resource held
/// pending by a flag global to the process; a page rendered meanwhile by another server in the
/// same process used to wait on it for ever (the 30-second stalls seen under `make test`). Here
/// servers start while another serves pages, and every page answers.
async fn pages_answer_while_other_servers_start_in_the_process(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    let starts = {
        let (db, settings, clock) = (t.db.clone(), t.settings(), t.clock.clone());
        tokio::spawn(async move {
            for _ in 0..30 {
                TestApp::spawn(db.clone(), settings.clone(), &clock).await;
            }
        })
    };
    let mut loads = Vec::new();
    for _ in 0..4 {
        let (client, url) = (client.clone(), app.url("/login"));
        loads.push(tokio::spawn(async move {
            for _ in 0..40 {
                let res = client
                    .get(&url)
                    .send()
                    .await
                    .expect("the page answers in 5 s");
                assert_eq!(res.status(), 200);
            }
        }));
    }
    starts.await.unwrap();
    for load in loads {
        load.await.unwrap();
    }
}
