//! What a page view costs: its compression here.

mod common;

use common::{TestApp, TestDb};

on_both_databases!(pages_are_sent_compressed_when_asked);

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
