//! The server log: a line at ERROR is something to act on, so the ordinary life of a site,
//! such as clients leaving in the middle of a page, must not write one.
//!
//! Its own test binary, because it installs the process's subscriber to read what is logged.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{TestApp, TestDb};

on_both_databases!(clients_leaving_mid_page_log_no_error);

/// Everything logged at WARN and above, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn captured() -> &'static Captured {
    static LOG: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = Captured::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        log
    })
}

async fn clients_leaving_mid_page_log_no_error(t: TestDb) {
    let log = captured();
    let app = TestApp::spawn(t.db.clone(), t.settings(), &t.clock).await;
    app::ssr::seed_pfdo::seed_pfdo(&t.db, t.clock.now())
        .await
        .unwrap();
    let client = app.client();
    assert_eq!(
        app.login(&client, "9901101325", "Demo-Roditel-2026").await,
        200
    );

    // The certificate's pages, whose resources were seen to outlive a client that left.
    const PAGES: [&str; 4] = [
        "/pfdo",
        "/pfdo/navigator?q=про",
        "/pfdo/contracts?tab=active",
        "/pfdo/schedule",
    ];
    // Hundreds of signed-in page loads, each abandoned after a few milliseconds: most are
    // dropped while their resources are still running.
    let mut tasks = Vec::new();
    for i in 0..240u64 {
        let client = client.clone();
        let url = app.url(PAGES[i as usize % PAGES.len()]);
        tasks.push(tokio::spawn(async move {
            client
                .get(url)
                .timeout(Duration::from_millis(1 + i % 12))
                .send()
                .await
                .is_err()
        }));
    }
    let mut dropped = 0;
    for task in tasks {
        dropped += usize::from(task.await.unwrap());
    }
    assert!(
        dropped > 100,
        "only {dropped} of 240 requests were abandoned"
    );

    // The server is fine and answers in full.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let res = client.get(app.url("/pfdo")).send().await.unwrap();
    assert_eq!(res.status(), 200);

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let errors: Vec<&str> = text.lines().filter(|l| l.contains("ERROR")).collect();
    assert!(
        errors.is_empty(),
        "{} error lines, such as {:?}",
        errors.len(),
        &errors[..errors.len().min(3)]
    );
}
