//! Who may see and do what over HTTP: `/metrics` behind a token, `/readyz` telling the truth
//! about writes, the booking page's per-IP limit behind a proxy, cross-site posts and framing.

use crate::helpers::*;
use insoles_crm::channels::client_ip::TrustedProxies;
use insoles_crm::config::Secret;
use sqlx::{Connection, Executor};
use std::time::Duration;

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn status(app: &TestApp, path: &str) -> u16 {
    client().get(format!("http://{}{path}", app.http)).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn metrics_want_the_bearer_token_when_one_is_set() {
    let app = TestApp::spawn_custom(false, None, |s| s.http.metrics_token = Some(Secret::new("m3tr1cs-t0ken"))).await;
    let url = format!("http://{}/metrics", app.http);
    for auth in [None, Some("Bearer wrong"), Some("Bearer m3tr1cs-t0ke"), Some("m3tr1cs-t0ken"), Some("Basic abc")] {
        let mut req = client().get(&url);
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401, "{auth:?}");
        assert!(!r.text().await.unwrap().contains("insoles_"), "{auth:?}");
    }
    let ok = client().get(&url).header("Authorization", "Bearer m3tr1cs-t0ken").send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("insoles_updates_total"));
    assert_eq!(status(&app, "/healthz").await, 200, "health stays open");
    app.stop().await;
}

#[tokio::test]
async fn readyz_is_503_while_another_process_holds_the_write_lock() {
    let app = TestApp::spawn().await;
    assert_eq!(status(&app, "/readyz").await, 200);
    let url = format!("sqlite://{}", app.dir.path().join("crm.db").display());
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    other.execute("BEGIN EXCLUSIVE").await.unwrap();
    other.execute("INSERT INTO settings (key, value) VALUES ('held', 'by another process')").await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(status(&app, "/readyz").await, 503, "writes would fail: not ready");
    assert!(started.elapsed() < Duration::from_secs(5), "answered promptly: {:?}", started.elapsed());
    assert_eq!(status(&app, "/healthz").await, 200, "alive all the same");
    other.execute("ROLLBACK").await.unwrap();
    assert_eq!(status(&app, "/readyz").await, 200, "ready again once the lock is gone");
    other.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn readyz_is_503_on_a_database_that_cannot_be_written() {
    // Root ignores file modes, so the file is opened read-only instead (as from a read-only
    // volume): reads work, every write fails with SQLITE_READONLY.
    let dir = TestApp::spawn().await.stop().await;
    let path = dir.path().join("crm.db");
    let app = TestApp::spawn_custom(false, Some(dir), |s| {
        s.database_url = format!("sqlite://{}?mode=ro", path.display());
    })
    .await;
    assert_eq!(status(&app, "/healthz").await, 200);
    assert_eq!(status(&app, "/readyz").await, 503);
    app.stop().await;
}

fn bad_form(lang: &str) -> Vec<(&'static str, String)> {
    // Passes the origin check and the limiter, then fails the form check (400): cheap to count.
    vec![("service", "x".into()), ("start", "x".into()), ("lang", lang.into())]
}

async fn post_as(app: &TestApp, headers: &[(&str, &str)], form: &[(&'static str, String)]) -> reqwest::Response {
    let mut req = client().post(format!("http://{}/book", app.http)).form(form);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_dodge_the_limit() {
    let app = TestApp::spawn().await;
    let mut statuses = vec![];
    for i in 0..11 {
        let xff = format!("198.51.100.{i}");
        statuses.push(post_as(&app, &[("X-Forwarded-For", &xff)], &bad_form("uk")).await.status().as_u16());
    }
    assert_eq!(statuses, [vec![400; 10], vec![429]].concat());
    app.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = TestApp::spawn_custom(false, None, |s| {
        s.http.trusted_proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
    })
    .await;
    let a = [("X-Forwarded-For", "203.0.113.5")];
    for _ in 0..10 {
        assert_eq!(post_as(&app, &a, &bad_form("uk")).await.status(), 400);
    }
    assert_eq!(post_as(&app, &a, &bad_form("uk")).await.status(), 429, "client A used up her posts");
    // Another client behind the same proxy is not limited with her, even when she (or anyone)
    // prepends a fake address: the right-most untrusted hop counts.
    let b = [("X-Forwarded-For", "203.0.113.5, 198.51.100.7")];
    assert_eq!(post_as(&app, &b, &bad_form("uk")).await.status(), 400, "client B has her own limit");
    // A through a second trusted hop is still A.
    let a2 = [("X-Forwarded-For", "203.0.113.5, 10.1.2.3")];
    assert_eq!(post_as(&app, &a2, &bad_form("uk")).await.status(), 429);
    app.stop().await;
}

/// A real time on the first bookable day, from the page.
async fn bookable_start(app: &TestApp) -> String {
    let base = format!("http://{}", app.http);
    let days = client().get(format!("{base}/book?service=0")).send().await.unwrap().text().await.unwrap();
    let day = days.split("day=").nth(1).unwrap().split('"').next().unwrap().to_string();
    let times = client().get(format!("{base}/book?service=0&day={day}")).send().await.unwrap().text().await.unwrap();
    times.split("name=\"start\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string()
}

fn good_form(start: &str, lang: &str) -> Vec<(&'static str, String)> {
    vec![
        ("service", "0".into()),
        ("start", start.into()),
        ("name", "Ірина Ковальчук".into()),
        ("phone", "0671230099".into()),
        ("note", String::new()),
        ("website", String::new()),
        ("lang", lang.into()),
        ("track", format!("lang={lang}")),
    ]
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_and_books_nothing() {
    let app = TestApp::spawn().await;
    let start = bookable_start(&app).await;
    let ours = format!("http://{}", app.http);
    for (headers, lang, says) in [
        (vec![("Origin", "https://evil.example")], "uk", "з іншого сайту"),
        (vec![("Origin", "https://evil.example")], "en", "sent from another site"),
        (vec![("Origin", "null")], "uk", "з іншого сайту"),
        (vec![("Referer", "https://evil.example/page?x=1")], "uk", "з іншого сайту"),
        (vec![("Origin", "https://evil.example"), ("Referer", &format!("{ours}/book"))], "uk", "з іншого сайту"),
        (vec![("Origin", "http://127.0.0.1.evil.example")], "uk", "з іншого сайту"),
    ] {
        let r = post_as(&app, &headers, &good_form(&start, lang)).await;
        assert_eq!(r.status(), 403, "{headers:?}");
        let body = r.text().await.unwrap();
        assert!(body.contains(says) && body.contains(&format!("<html lang=\"{lang}\">")), "{headers:?}: {body}");
    }
    assert_eq!(app.core.store().client_count().await.unwrap(), 0, "nothing stored");

    // Our own page (Origin, or only a Referer, naming the host it was sent to) books.
    let r =
        post_as(&app, &[("Origin", &ours), ("Referer", &format!("{ours}/book?service=0"))], &good_form(&start, "uk"))
            .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Ви записані"));
    assert_eq!(app.core.store().client_count().await.unwrap(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_post_naming_the_public_url_passes_behind_a_proxy_that_rewrites_host() {
    let app = TestApp::spawn_webhook().await; // PUBLIC_URL = https://crm.example.test
    let ok = post_as(&app, &[("Origin", "https://crm.example.test")], &bad_form("uk")).await;
    assert_eq!(ok.status(), 400, "past the origin check");
    let ok = post_as(&app, &[("Referer", "https://CRM.example.test/book?lang=uk")], &bad_form("uk")).await;
    assert_eq!(ok.status(), 400, "past the origin check");
    let no_headers = post_as(&app, &[], &bad_form("uk")).await;
    assert_eq!(no_headers.status(), 400, "no Origin and no Referer: allowed");
    let other = post_as(&app, &[("Origin", "https://crm.example.test.evil.example")], &bad_form("uk")).await;
    assert_eq!(other.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn pages_cannot_be_framed_or_sniffed() {
    let app = TestApp::spawn().await;
    for path in ["/book", "/book?service=0", "/healthz", "/nope"] {
        let r = client().get(format!("http://{}{path}", app.http)).send().await.unwrap();
        let h = r.headers();
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["content-security-policy"], "frame-ancestors 'none'", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
    let refused = post_as(&app, &[("Origin", "https://evil.example")], &bad_form("uk")).await;
    assert_eq!(refused.headers()["x-frame-options"], "DENY");
    app.stop().await;
}
