//! The `/book` page: steps, tracking parameters, double submits, honeypot, rate limit and bad
//! input over HTTP; and the whole flow clicked through in a real headless Chromium (chromedriver,
//! driven with plain W3C WebDriver requests).

use crate::helpers::*;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::Duration;

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The first `value="..."` of a time radio, and the hidden `track` field, from the form page.
pub(crate) fn form_fields(html: &str) -> (String, String, String) {
    let field = |name: &str| {
        html.split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&")
    };
    (field("start"), field("track"), field("token"))
}

pub(crate) async fn form_page(app: &TestApp) -> String {
    let base = format!("http://{}", app.http);
    let days = client()
        .get(format!("{base}/book?service=0&utm_source=instagram&utm_campaign=nov&ref=olya"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let day = days.split("day=").nth(1).unwrap().split('"').next().unwrap().to_string();
    client()
        .get(format!("{base}/book?service=0&day={day}&utm_source=instagram&utm_campaign=nov&ref=olya"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_booking_page_books_once_keeps_utm_and_refuses_spam() {
    let app = TestApp::spawn().await;
    let base = format!("http://{}", app.http);
    let first = client().get(format!("{base}/book")).send().await.unwrap().text().await.unwrap();
    assert!(first.contains("Діагностика стопи (40 хв)") && first.contains("<html lang=\"uk\">"));
    assert!(client()
        .get(format!("{base}/book?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("Foot diagnostics (40 min)"));

    let form = form_page(&app).await;
    let (start, track, token) = form_fields(&form);
    assert_eq!(token.len(), 32, "the form carries a one-time token");
    assert!(track.contains("utm_source=instagram") && track.contains("ref=olya"));
    let post = |fields: Vec<(&'static str, String)>| {
        let url = format!("{base}/book");
        async move { client().post(url).form(&fields).send().await.unwrap() }
    };
    let good = || {
        vec![
            ("service", "0".to_string()),
            ("start", start.clone()),
            ("name", "Софія Гнатюк".into()),
            ("phone", "+38 (097) 765-43-21".into()),
            ("note", "болить п'ята".into()),
            ("website", String::new()),
            ("lang", "uk".into()),
            ("track", track.clone()),
            ("token", token.clone()),
        ]
    };

    // Bad phone: 422, the form again with the reason and her input kept.
    let mut bad = good();
    bad[3].1 = "12345".into();
    let r = post(bad).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Не схоже на номер телефону") && body.contains("value=\"Софія Гнатюк\""), "{body}");
    let mut long = good();
    long[2].1 = "Я".repeat(300);
    assert!(post(long).await.text().await.unwrap().contains("Задовго: 300"));

    let ok = post(good()).await;
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("Ви записані"));
    // A double tap sends the form again: the same booking, not a second one.
    assert!(post(good()).await.text().await.unwrap().contains("Ви записані"));
    let store = app.core.store();
    let client_id =
        store.client_by_phone(&insoles_crm::domain::Phone::parse("0977654321").unwrap()).await.unwrap().unwrap().id;
    let bookings = store.upcoming_bookings(client_id, chrono::Utc::now()).await.unwrap();
    assert_eq!(bookings.len(), 1);
    let (utm, note): (Option<String>, Option<String>) = sqlx::query_as("SELECT utm, note FROM bookings WHERE id = ?")
        .bind(bookings[0].id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(utm.as_deref(), Some("utm_campaign=nov&utm_source=instagram"));
    assert_eq!(note.as_deref(), Some("болить п'ята"));
    assert_eq!(bookings[0].ref_code.as_deref(), Some("olya"));
    app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("Новий запис: Софія Гнатюк"))).await.unwrap();

    // Someone else at the same time: taken, with the form to choose again.
    let mut other = good();
    other[3].1 = "0501231234".into();
    other[8].1 = String::new();
    let taken = post(other).await;
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.unwrap().contains("щойно зайняли"));
    assert!(
        store.client_by_phone(&insoles_crm::domain::Phone::parse("0501231234").unwrap()).await.unwrap().is_none(),
        "a refused booking leaves no client behind"
    );

    // A bot filling the honeypot is thanked and ignored.
    let mut bot = good();
    bot[3].1 = "0661231234".into();
    bot[5].1 = "http://spam.example".into();
    let r = post(bot).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Дякуємо"));
    assert!(store.client_by_phone(&insoles_crm::domain::Phone::parse("0661231234").unwrap()).await.unwrap().is_none());

    // Too many posts from one address (ten in ten minutes; six were sent above).
    let statuses: Vec<u16> = {
        let mut v = vec![];
        for _ in 0..5 {
            v.push(post(vec![("service", "x".into())]).await.status().as_u16());
        }
        v
    };
    assert_eq!(statuses, [400, 400, 400, 400, 429]);
}

/// `SKIP_BROWSER=1` (and only that) lets a machine without Chromium skip the browser test.
fn skip_browser() -> bool {
    std::env::var("SKIP_BROWSER").is_ok_and(|v| v == "1")
}

struct Driver {
    child: std::process::Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Driver {
    async fn start() -> Option<Driver> {
        let missing: Vec<&str> = ["/usr/bin/chromedriver", "/usr/bin/chromium"]
            .into_iter()
            .filter(|p| !std::path::Path::new(p).exists())
            .collect();
        if !missing.is_empty() {
            // A missing browser fails the suite; only an explicit SKIP_BROWSER=1 skips, loudly.
            assert!(
                skip_browser(),
                "{} not installed: apt-get install -y --no-install-recommends chromium chromium-driver \
                 (.ci/run does), or set SKIP_BROWSER=1 to skip this test locally",
                missing.join(" and ")
            );
            // Straight to the process's stderr: the test harness would swallow an eprintln!.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!(
                    "\n!!!!!!!! SKIPPED a_client_books_in_a_real_headless_chromium: SKIP_BROWSER=1 and {} missing; \
                     the booking page was NOT tested in a browser !!!!!!!!\n",
                    missing.join(" and ")
                )
                .as_bytes(),
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(std::time::Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=420,900",
                     format!("--user-data-dir={}", profile.display())]
        }}}});
        let r: Value = http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session = r["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {r}")).to_string();
        Some(Driver { child, base, session, http })
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let r: Value = self.http.request(method, url).json(&body).send().await.unwrap().json().await.unwrap();
        r["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({ "url": url })).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self.cmd(reqwest::Method::POST, "/element", json!({"using": "css selector", "value": css})).await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{id}/click"), json!({})).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{id}/value"), json!({ "text": text })).await;
    }

    async fn attr(&self, css: &str, name: &str) -> String {
        let id = self.find(css).await;
        let v = self.cmd(reqwest::Method::GET, &format!("/element/{id}/property/{name}"), json!({})).await;
        v.as_str().unwrap_or_else(|| panic!("no {name} on {css}: {v}")).to_string()
    }

    async fn selected(&self, css: &str) -> bool {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::GET, &format!("/element/{id}/selected"), json!({})).await.as_bool().unwrap()
    }

    async fn text(&self) -> String {
        let id = self.find("body").await;
        self.cmd(reqwest::Method::GET, &format!("/element/{id}/text"), json!({}))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_books_in_a_real_headless_chromium() {
    let app = TestApp::spawn().await;
    let Some(driver) = Driver::start().await else { return };
    driver.go(&format!("http://{}/book?utm_source=facebook&ref=flyer", app.http)).await;
    driver.click("a.service").await;
    // The second day listed: today may have fewer than two times left in the afternoon.
    driver.click("a.day:nth-of-type(2)").await;
    // On a phone-sized window she taps the second time, and mistypes her phone.
    let second = ".times label:nth-child(2) input";
    driver.click(".times label:nth-child(2)").await;
    let chosen = driver.attr(second, "value").await;
    driver.type_into("input[name=name]", "Марта Шевчук").await;
    driver.type_into("input[name=phone]", "093123").await;
    driver.click("form#book button[type=submit]").await;
    let text = driver.text().await;
    assert!(text.contains("Не схоже на номер телефону"), "{text}");
    // The language switch re-sends the form: English, her time and name kept.
    driver.click("nav button[value=en]").await;
    // On a busy machine the English page may still be loading when the click returns.
    let mut english = false;
    for _ in 0..50 {
        english = driver.text().await.contains("Your name") && driver.selected(second).await;
        if english {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(english, "English, and the time she tapped is still the one picked: {}", driver.text().await);
    assert_eq!(driver.attr(second, "value").await, chosen);
    assert_eq!(driver.attr("input[name=name]", "value").await, "Марта Шевчук");
    let phone = driver.find("input[name=phone]").await;
    driver.cmd(reqwest::Method::POST, &format!("/element/{phone}/clear"), json!({})).await;
    driver.type_into("input[name=phone]", "0931239876").await;
    driver.click("form#book button[type=submit]").await;
    // The confirmation page may still be loading when the click returns.
    let mut text = String::new();
    for _ in 0..50 {
        text = driver.text().await;
        if text.contains("You are booked") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(text.contains("You are booked: Foot diagnostics"), "{text}");
    let store = app.core.store();
    let client =
        store.client_by_phone(&insoles_crm::domain::Phone::parse("0931239876").unwrap()).await.unwrap().unwrap();
    let booking = store.upcoming_bookings(client.id, chrono::Utc::now()).await.unwrap().remove(0);
    assert_eq!(booking.channel, "web");
    assert_eq!(booking.ref_code.as_deref(), Some("flyer"));
    assert_eq!((booking.starts_at.timestamp() / 60).to_string(), chosen, "booked at the time she tapped");
    driver.cmd(reqwest::Method::DELETE, "", json!({})).await;
}
