//! «Я не робот» over HTTP, on SQLite and PostgreSQL: required, signed, single use under a race
//! and across instances, answerable in words without JavaScript.

mod common;

use common::{TestApp, TestDb, pairs, registration, robot_proof, snils};

on_both_databases!(
    registration_and_reset_need_the_check,
    a_challenge_passes_once_even_when_raced_across_instances,
    a_forged_or_reworked_challenge_is_refused,
    the_question_in_words_works_without_javascript,
);

fn field_messages(body: &serde_json::Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or_default().to_owned(),
                        f["message"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn registration_and_reset_need_the_check(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = app.client();
    let form = registration(&snils(31), "nocheck@example.ru");
    let (status, body) = app
        .call(&client, "auth/register_specialist", &pairs(&form))
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_messages(&body),
        vec![("robot".to_owned(), app::domain::robot::NOT_DONE.to_owned())]
    );
    // A form with other mistakes names them all, the check among them, and spends nothing.
    let mut bad = registration("123", "nocheck@example.ru");
    bad.retain(|(k, _)| *k != "form[consent_agreement]");
    let (status, body) = app
        .call(&client, "auth/register_specialist", &pairs(&bad))
        .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = field_messages(&body).into_iter().map(|f| f.0).collect();
    assert_eq!(fields, ["snils", "consent_agreement", "robot"], "{body}");

    let (status, body) = app
        .call(&client, "auth/forgot_password", &[("snils", &snils(31))])
        .await;
    assert_eq!(status, 422);
    assert_eq!(field_messages(&body)[0].0, "robot");
    assert!(
        common::mail_to(&t.db, "nocheck@example.ru", "")
            .await
            .is_none()
    );
}

async fn a_challenge_passes_once_even_when_raced_across_instances(t: TestDb) {
    let first = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let second = TestApp::spawn(t.reconnect().await, t.settings(), &t.clock).await;
    let proof = robot_proof(&first, &first.client()).await;
    let mut tasks = Vec::new();
    for i in 0..16u32 {
        let app = if i % 2 == 0 { &first } else { &second };
        let url = app.url("/api/auth/register_specialist");
        let client = app.client();
        let mut form = registration(&snils(40 + i), &format!("race{i}@example.ru"));
        form.extend(proof.clone());
        tasks.push(tokio::spawn(async move {
            let res = client.post(url).form(&form).send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.text().await.unwrap())
        }));
    }
    let answers: Vec<(u16, String)> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let passed = answers.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(passed, 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
        assert_eq!(*status, 422, "{body}");
        assert!(body.contains("устарела или уже использована"), "{body}");
    }
}

async fn a_forged_or_reworked_challenge_is_refused(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = app.client();
    let proof = robot_proof(&app, &client).await;
    let token = proof[0].1.clone();
    let nonce = proof[1].1.clone();
    // Lower the difficulty in the token and prove the easier work: the signature breaks.
    let bits = t.settings().policy.robot_bits;
    let easier = token.replacen(&format!(".{bits}."), ".1.", 1);
    let easy_nonce = app::domain::robot::solve(&easier, 1).to_string();
    let wrong_nonce = (0..)
        .find(|n| !app::domain::robot::meets(&app::domain::robot::seed(&token), *n, bits))
        .unwrap_or(0)
        .to_string();
    for (label, token, nonce) in [
        ("easier", easier.as_str(), easy_nonce.as_str()),
        ("wrong nonce", token.as_str(), wrong_nonce.as_str()),
        ("not a number", token.as_str(), "12abc"),
        ("garbage token", "v1.x.y", nonce.as_str()),
        ("huge token", &"a".repeat(5000), nonce.as_str()),
    ] {
        let mut form = registration(&snils(60), "forged@example.ru");
        form.push(("robot[token]", token.to_owned()));
        form.push(("robot[nonce]", nonce.to_owned()));
        let (status, body) = app
            .call(&client, "auth/register_specialist", &pairs(&form))
            .await;
        assert_eq!(status, 422, "{label}: {body}");
        assert_eq!(
            field_messages(&body),
            vec![("robot".to_owned(), app::domain::robot::STALE.to_owned())],
            "{label}"
        );
    }
}

fn number(word: &str) -> u8 {
    let words = [
        "один",
        "два",
        "три",
        "четыре",
        "пять",
        "шесть",
        "семь",
        "восемь",
        "девять",
    ];
    let at = words
        .iter()
        .position(|w| *w == word)
        .expect("a number word");
    u8::try_from(at + 1).expect("small")
}

async fn the_question_in_words_works_without_javascript(t: TestDb) {
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    let client = app.client();
    let ask = || async {
        let (_, c) = app.call(&client, "auth/robot_challenge", &[]).await;
        let question = c["question"].as_str().expect("question").to_owned();
        // «Сколько будет три плюс четыре? Ответ напишите цифрами»
        let words: Vec<&str> = question.split_whitespace().collect();
        let sum = number(words[2]) + number(words[4].trim_end_matches('?'));
        (c["token"].as_str().expect("token").to_owned(), sum)
    };
    let (token, sum) = ask().await;
    let mut form = registration(&snils(70), "words@example.ru");
    form.push(("robot[token]", token));
    form.push(("robot[answer]", (sum + 1).to_string()));
    let (status, body) = app
        .call(&client, "auth/register_specialist", &pairs(&form))
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_messages(&body),
        vec![(
            "robot".to_owned(),
            app::domain::robot::WRONG_ANSWER.to_owned()
        )]
    );
    // The same token with the right answer now: spent by the wrong one.
    form.pop();
    form.push(("robot[answer]", sum.to_string()));
    assert_eq!(
        app.call(&client, "auth/register_specialist", &pairs(&form))
            .await
            .0,
        422
    );
    let (token, sum) = ask().await;
    let mut form = registration(&snils(70), "words@example.ru");
    form.push(("robot[token]", token));
    form.push(("robot[answer]", format!(" {sum} ")));
    let (status, body) = app
        .call(&client, "auth/register_specialist", &pairs(&form))
        .await;
    assert_eq!(status, 200, "{body}");
}
