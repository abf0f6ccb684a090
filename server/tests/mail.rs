//! Mail over real SMTP: lettre talks to a small SMTP peer on 127.0.0.1; a refused delivery is
//! retried later with the same Message-ID.

mod common;

use std::sync::{Arc, Mutex};

use common::{TestApp, TestDb, registered_specialist, snils};
use sea_orm::EntityTrait;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

on_both_databases!(mail_goes_over_smtp_and_a_refusal_is_retried);

/// A minimal SMTP server: accepts every message, or answers 451 to DATA while `refuse` is set.
async fn smtp_sink(refuse: Arc<Mutex<bool>>) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            let refuse = refuse.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.ok();
                let mut in_data = false;
                let mut message = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().unwrap().push(std::mem::take(&mut message));
                            w.write_all(b"250 queued\r\n").await.ok();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                        "DATA" if *refuse.lock().unwrap() => b"451 try again later\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.ok();
                            break;
                        }
                        _ => b"502 unknown\r\n",
                    };
                    w.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, received)
}

async fn mail_goes_over_smtp_and_a_refusal_is_retried(t: TestDb) {
    let refuse = Arc::new(Mutex::new(true));
    let (port, received) = smtp_sink(refuse.clone()).await;
    let mut settings = t.settings();
    settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    let app = TestApp::spawn(t.db.clone(), settings.clone(), &t.clock).await;
    registered_specialist(&app, &snils(21), "smtp@example.ru").await;
    let transport = app::ssr::mailer::Transport::from_settings(&settings).unwrap();

    // The server refuses: nothing is marked sent, the rows wait with a backoff.
    let sent = app::ssr::mailer::deliver_due(&t.db, &settings, &transport, &t.clock)
        .await
        .unwrap();
    assert_eq!(sent, 0);
    let rows = app::ssr::entities::outbox::Entity::find()
        .all(&t.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.sent_at.is_none() && r.attempts == 1 && r.last_error.is_some())
    );
    assert!(rows.iter().all(|r| r.next_attempt_at > t.clock.now()));
    // Not due yet: a second pass sends nothing.
    assert_eq!(
        app::ssr::mailer::deliver_due(&t.db, &settings, &transport, &t.clock)
            .await
            .unwrap(),
        0
    );

    // The server recovers and the backoff has passed: both mails go, once each.
    *refuse.lock().unwrap() = false;
    use sea_orm::sea_query::Expr;
    app::ssr::entities::outbox::Entity::update_many()
        .col_expr(
            app::ssr::entities::outbox::Column::NextAttemptAt,
            Expr::value(t.clock.now()),
        )
        .exec(&t.db)
        .await
        .unwrap();
    assert_eq!(
        app::ssr::mailer::deliver_due(&t.db, &settings, &transport, &t.clock)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        app::ssr::mailer::deliver_due(&t.db, &settings, &transport, &t.clock)
            .await
            .unwrap(),
        0
    );
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    let ids: Vec<String> = rows.iter().map(|r| r.message_id.clone()).collect();
    for (mail, id) in got.iter().zip(&ids) {
        assert!(mail.contains(&format!("Message-ID: {id}")), "{mail}");
        assert!(mail.contains("To: smtp@example.ru"));
    }
}
