//! Issue 15 part E: the weekly and monthly reports pushed by e-mail (a real SMTP conversation with
//! the sink on loopback, the message taken apart as a mail client would) and to the owner chat
//! (the fake Bot API), once per period, in business time.

use crate::helpers::*;
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Kyiv;
use insoles_crm::config::Secret;
use insoles_crm::core::reports::pushed;
use insoles_crm::i18n::Lang;
use insoles_crm::notify::EmailConfig;
use insoles_crm::work::spec::ReportEvery;
use std::sync::{Arc, Mutex};

type Mails = Arc<Mutex<Vec<String>>>;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const TITLES: [&str; 6] =
    ["report-sales", "report-marketing", "report-customers", "report-finance", "report-operations", "report-ai"];

async fn app_with(address: Option<&str>, adjust: impl FnOnce(&mut insoles_crm::config::Settings)) -> (TestApp, Mails) {
    let (smtp_url, mails) = smtp_sink().await;
    let app = TestApp::spawn_custom(false, None, |s| {
        s.notify.email =
            Some(EmailConfig { url: Secret::new(smtp_url), from: "Студія <studio@example.com>".into() });
        s.reports.email = address.map(String::from);
        adjust(s);
    })
    .await;
    (app, mails)
}

fn kyiv(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Kyiv.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
}

/// Enqueues the report of the fire at `fire` (due now) and waits until its jobs are all done.
async fn run_report(app: &TestApp, every: ReportEvery, fire: DateTime<Utc>) -> String {
    let mut job = pushed::job(every, fire, Kyiv);
    job.due_at = Utc::now();
    let key = job.key.clone();
    assert!(app.core.store().enqueue(&job).await.unwrap(), "a new period's report is enqueued");
    let pool = app.core.store().pool().clone();
    let prefix = format!("{key}%");
    wait_until("the report's jobs are done", || {
        let (pool, prefix) = (pool.clone(), prefix.clone());
        async move {
            let (all, open): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COALESCE(SUM(state <> 'done'), 0) FROM jobs WHERE idempotency_key LIKE ?",
            )
            .bind(prefix)
            .fetch_one(&pool)
            .await
            .unwrap();
            // Follow-ups are written with their parent's completion: nothing open means all sent.
            all >= 7 && open == 0
        }
    })
    .await;
    key
}

/// A leaf of a MIME message: its type, its Content-ID, its parent's type and its decoded bytes.
#[derive(Debug)]
struct Leaf {
    ctype: String,
    cid: Option<String>,
    parent: String,
    data: Vec<u8>,
}

fn split_head(raw: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    let mut headers: Vec<(String, String)> = vec![];
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    (headers, body)
}

pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn quoted_printable(s: &str) -> Vec<u8> {
    let (b, mut out, mut i) = (s.as_bytes(), vec![], 0);
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s.split_whitespace().collect::<String>()).expect("base64")
}

fn leaves(raw: &str, parent: &str, out: &mut Vec<Leaf>) {
    let (h, body) = split_head(raw);
    let full = header(&h, "content-type").unwrap_or("text/plain");
    let ctype = full.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if ctype.starts_with("multipart/") {
        let boundary = full.split("boundary=").nth(1).expect("a boundary").split(';').next().unwrap();
        let delim = format!("--{}", boundary.trim().trim_matches('"'));
        for part in body.split(delim.as_str()).skip(1) {
            if part.starts_with("--") {
                break;
            }
            leaves(part.strip_prefix('\n').unwrap_or(part), &ctype, out);
        }
        return;
    }
    let data = match header(&h, "content-transfer-encoding").unwrap_or("7bit").to_ascii_lowercase().as_str() {
        "base64" => b64(body),
        "quoted-printable" => quoted_printable(body),
        _ => body.as_bytes().to_vec(),
    };
    let cid = header(&h, "content-id").map(|v| v.trim_matches(['<', '>']).to_string());
    out.push(Leaf { ctype, cid, parent: parent.to_string(), data });
}

/// An RFC 2047 header value decoded (`=?utf-8?b?…?=` words, adjacent ones joined).
fn decode_header(v: &str) -> String {
    let mut out: Vec<u8> = vec![];
    let mut plain_before = false;
    for word in v.split_whitespace() {
        let encoded = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?="));
        match encoded.map(|w| w.splitn(3, '?').collect::<Vec<_>>()) {
            Some(p) if p.len() == 3 => {
                if plain_before {
                    out.push(b' ');
                }
                match p[1] {
                    "b" | "B" => out.extend(b64(p[2])),
                    _ => out.extend(quoted_printable(&p[2].replace('_', " "))),
                }
                plain_before = false;
            }
            _ => {
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.extend(word.as_bytes());
                plain_before = true;
            }
        }
    }
    String::from_utf8(out).expect("utf-8 header")
}

/// A message as a mail client reads it (also used by the marketing tests).
pub(crate) struct Mail {
    pub(crate) headers: Vec<(String, String)>,
    leaves: Vec<Leaf>,
}

impl Mail {
    pub(crate) fn parse(raw: &str) -> Self {
        let (headers, _) = split_head(raw);
        let mut out = vec![];
        leaves(raw, "", &mut out);
        Mail { headers, leaves: out }
    }
    pub(crate) fn subject(&self) -> String {
        decode_header(header(&self.headers, "subject").expect("a subject"))
    }
    pub(crate) fn text(&self, ctype: &str) -> (String, String) {
        let leaf = self.leaves.iter().find(|l| l.ctype == ctype).unwrap_or_else(|| panic!("a {ctype} part"));
        (String::from_utf8(leaf.data.clone()).expect("utf-8"), leaf.parent.clone())
    }
}

fn uk(app: &TestApp, key: &str) -> String {
    app.core.i18n().format(Lang::Uk, key, &[])
}

#[tokio::test]
async fn weekly_report_email_has_text_html_and_inline_charts_and_the_owner_chat_gets_the_charts() {
    let (app, mails) = app_with(Some("owner@example.com"), |_| {}).await;
    let key = run_report(&app, ReportEvery::Week, kyiv(2026, 11, 30, 9)).await;
    assert_eq!(key, "report:week:2026-11-23");

    let raw = { mails.lock().unwrap().clone() };
    assert_eq!(raw.len(), 1, "one e-mail");
    let mail = Mail::parse(&raw[0]);
    assert_eq!(mail.subject(), "Звіт за тиждень 23–29.11");
    assert!(header(&mail.headers, "to").unwrap().contains("owner@example.com"));
    assert_eq!(header(&mail.headers, "message-id"), Some("<report.week.2026-11-23.email@insoles-crm>"));
    assert!(header(&mail.headers, "content-type").unwrap().starts_with("multipart/alternative"));

    let (text, parent) = mail.text("text/plain");
    assert_eq!(parent, "multipart/alternative");
    assert!(text.contains("23.11–29.11.2026"), "the period in the text: {text}");
    for title in TITLES {
        assert!(text.contains(&uk(&app, title)), "{title} in the plain text");
    }
    let (html, parent) = mail.text("text/html");
    assert_eq!(parent, "multipart/related", "the HTML travels with its images");
    let mut referenced: Vec<String> =
        html.split("src=\"cid:").skip(1).map(|r| r.split('"').next().unwrap().to_string()).collect();
    let pngs: Vec<&Leaf> = mail.leaves.iter().filter(|l| l.ctype == "image/png").collect();
    let mut attached: Vec<String> = pngs.iter().map(|l| l.cid.clone().expect("a Content-ID")).collect();
    referenced.sort();
    attached.sort();
    assert_eq!(referenced.len(), 6, "six charts inline");
    assert_eq!(referenced, attached, "every cid: reference is an attached image/png part and back");
    for png in &pngs {
        assert_eq!(png.parent, "multipart/related");
        assert!(png.data.starts_with(PNG_SIGNATURE), "{:?} is a PNG", png.cid);
    }
    let (w, h, _) = insoles_crm::charts::png::decode_rgb(&pngs[0].data).expect("the chart decodes");
    assert!(w >= 400 && h >= 200, "{w}x{h}");

    // The owner chat: the six charts, in the reports' order, each with its report.
    let photos: Vec<_> = app
        .fake
        .calls_to("sendPhoto")
        .into_iter()
        .filter(|c| c.body["chat_id"].as_str() == Some(OWNER.to_string().as_str()))
        .collect();
    assert_eq!(photos.len(), 6, "six charts in the owner chat");
    for (photo, title) in photos.iter().zip(TITLES) {
        let caption = photo.body["caption"].as_str().unwrap_or("");
        assert!(caption.starts_with(&uk(&app, title)), "{title} first: {caption}");
        assert!(caption.contains("23.11–29.11.2026"), "{caption}");
        assert!(photo.files[0].2.starts_with(PNG_SIGNATURE));
    }
}

#[tokio::test]
async fn the_same_report_twice_is_sent_once_and_a_repeat_after_a_crash_keeps_its_message_id() {
    let (app, mails) = app_with(Some("owner@example.com"), |_| {}).await;
    let fire = kyiv(2026, 11, 30, 9);
    run_report(&app, ReportEvery::Week, fire).await;
    let photos = app.fake.calls_to("sendPhoto").len();
    // The scheduler fires again for the same period (a restart, or a late fire): stored once.
    let mut again = pushed::job(ReportEvery::Week, fire, Kyiv);
    again.due_at = Utc::now();
    assert!(!app.core.store().enqueue(&again).await.unwrap(), "the period's key is taken");
    // A late fire on Wednesday names the same week.
    let late = pushed::job(ReportEvery::Week, kyiv(2026, 12, 2, 9), Kyiv);
    assert!(!app.core.store().enqueue(&late).await.unwrap());
    // Whatever is due runs now: nothing of the report's.
    let worker = insoles_crm::worker::Worker::new(app.core.clone(), None);
    let report = worker.tick(Utc::now()).await.unwrap();
    assert_eq!(report.claimed, 0, "{report:?}");
    assert_eq!(mails.lock().unwrap().len(), 1, "one e-mail");
    assert_eq!(app.fake.calls_to("sendPhoto").len(), photos);
    assert_eq!(photos, 6);

    // A crash after the e-mail left and before it was recorded: the job runs again, and the
    // repeat carries the first one's Message-ID (mail clients fold it into the first).
    sqlx::query("UPDATE jobs SET state = 'pending', due_at = ? WHERE idempotency_key = 'report:week:2026-11-23:email'")
        .bind(Utc::now())
        .execute(app.core.store().pool())
        .await
        .unwrap();
    worker.tick(Utc::now()).await.unwrap();
    wait_until("the repeat is sent", || {
        let n = mails.lock().unwrap().len();
        async move { n == 2 }
    })
    .await;
    let ids: Vec<String> = mails
        .lock()
        .unwrap()
        .iter()
        .map(|m| header(&Mail::parse(m).headers, "message-id").unwrap().to_string())
        .collect();
    assert_eq!(ids[0], ids[1], "one Message-ID for the period's e-mail");
}

#[tokio::test]
async fn without_an_address_nothing_is_emailed_and_nothing_fails() {
    let (app, mails) = app_with(None, |_| {}).await;
    let key = run_report(&app, ReportEvery::Week, kyiv(2026, 11, 30, 9)).await;
    assert!(mails.lock().unwrap().is_empty(), "no e-mail");
    let pool = app.core.store().pool();
    let failed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'failed'").fetch_one(pool).await.unwrap();
    assert_eq!(failed, 0);
    let result: String = sqlx::query_scalar("SELECT result FROM jobs WHERE idempotency_key = ?")
        .bind(&key)
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(result.contains("no REPORT_EMAIL"), "{result}");
    assert_eq!(app.fake.calls_to("sendPhoto").len(), 6, "Telegram still gets the charts");
}

async fn order_at(store: &insoles_crm::store::Store, client: i64, price: i64, at: DateTime<Utc>) {
    sqlx::query(
        "INSERT INTO orders (client_id, product, price_kop, status, created_at, updated_at) VALUES (?, 'Устілки', ?, 'new', ?, ?)",
    )
    .bind(client)
    .bind(price * 100)
    .bind(at)
    .bind(at)
    .execute(store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn monthly_report_covers_the_previous_calendar_month_in_business_time() {
    let (app, mails) = app_with(Some("owner@example.com"), |_| {}).await;
    let store = app.core.store();
    let client = client_with_phone(store, "Олена Мельник", "0671112233").await;
    // 1 November 00:30 in Kyiv is still 31 October in UTC: November's, twice.
    let first_minutes = Utc.with_ymd_and_hms(2026, 10, 31, 22, 30, 0).unwrap();
    order_at(store, client, 1000, first_minutes).await;
    order_at(store, client, 1000, first_minutes).await;
    // 1 December 01:00 in Kyiv is still 30 November in UTC: December's.
    order_at(store, client, 5000, Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap()).await;

    let key = run_report(&app, ReportEvery::Month, kyiv(2026, 12, 1, 9)).await;
    assert_eq!(key, "report:month:2026-11-01");
    let raw = { mails.lock().unwrap().clone() };
    assert_eq!(raw.len(), 1);
    let mail = Mail::parse(&raw[0]);
    assert_eq!(mail.subject(), "Звіт за листопад 2026");
    let (text, _) = mail.text("text/plain");
    assert!(text.contains("01.11–30.11.2026"), "{text}");
    assert!(text.contains("Замовлень: 2 ("), "the two orders of 1 November local time, not December's: {text}");
    assert_eq!(mail.leaves.iter().filter(|l| l.ctype == "image/png").count(), 6);
}

#[tokio::test]
async fn reports_switched_off_are_neither_scheduled_nor_sent() {
    let (app, mails) = app_with(Some("owner@example.com"), |s| s.reports.weekly = false).await;
    let list = insoles_crm::scheduler::report_schedules(&app.core);
    assert_eq!(list.len(), 1, "only the monthly one is scheduled");
    let mut job = pushed::job(ReportEvery::Week, kyiv(2026, 11, 30, 9), Kyiv);
    job.due_at = Utc::now();
    app.core.store().enqueue(&job).await.unwrap();
    let pool = app.core.store().pool().clone();
    let key = job.key.clone();
    wait_until("the switched-off report's job is done", || {
        let (pool, key) = (pool.clone(), key.clone());
        async move {
            sqlx::query_scalar::<_, String>("SELECT state FROM jobs WHERE idempotency_key = ?")
                .bind(key)
                .fetch_one(&pool)
                .await
                .unwrap()
                == "done"
        }
    })
    .await;
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT idempotency_key, result FROM jobs WHERE idempotency_key LIKE 'report:%'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows, vec![(key, Some("skipped: switched off".to_string()))], "no e-mail or Telegram job follows");
    assert!(mails.lock().unwrap().is_empty());
    assert!(app.fake.calls_to("sendPhoto").is_empty());
}

#[tokio::test]
async fn a_restart_after_downtime_sends_the_missed_reports_once() {
    let (app, mails) = app_with(Some("owner@example.com"), |_| {}).await;
    // The service was up 40 days ago, then down over the last Monday and the 1st.
    app.core.store().heartbeat(Utc::now() - chrono::Duration::days(40)).await.unwrap();
    let dir = app.stop().await;
    let (smtp_url, mails2) = smtp_sink().await;
    drop(mails);
    let app = TestApp::spawn_custom(false, Some(dir), |s| {
        s.notify.email = Some(EmailConfig { url: Secret::new(smtp_url), from: "studio@example.com".into() });
        s.reports.email = Some("owner@example.com".into());
    })
    .await;
    wait_until("the last week's and month's reports are e-mailed", || {
        let n = mails2.lock().unwrap().len();
        async move { n >= 2 }
    })
    .await;
    let subjects: Vec<String> = mails2.lock().unwrap().iter().map(|m| Mail::parse(m).subject()).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("Звіт за тиждень")), "{subjects:?}");
    // The scheduler's catch-up of those fires again (the next restart) is a no-op.
    let list = insoles_crm::scheduler::report_schedules(&app.core);
    for (task, fire) in insoles_crm::scheduler::missed_fires(&list, Utc::now(), Kyiv) {
        let insoles_crm::scheduler::Task::Report(every, tz) = task else { panic!("{task:?}") };
        assert!(!app.core.store().enqueue(&pushed::job(every, fire, tz)).await.unwrap(), "{every:?} already sent");
    }
}

/// Waits until job `key` is done and gives its result.
async fn done_result(app: &TestApp, key: &str) -> String {
    let pool = app.core.store().pool().clone();
    let key = key.to_string();
    let state = || {
        let (pool, key) = (pool.clone(), key.clone());
        async move {
            sqlx::query_as::<_, (String, Option<String>)>("SELECT state, result FROM jobs WHERE idempotency_key = ?")
                .bind(key)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    wait_until("the job is done", || {
        let s = state();
        async move { s.await.0 == "done" }
    })
    .await;
    state().await.1.unwrap_or_default()
}

#[tokio::test]
async fn the_owner_pauses_the_email_or_the_weekly_report_from_the_chat() {
    let (app, mails) = app_with(Some("owner@example.com"), |_| {}).await;
    let status = reply_text(&app.text("/report розсилка").await);
    assert!(status.contains("на e-mail: owner@example.com"), "{status}");
    assert!(status.contains("за минулий тиждень: увімкнено"), "{status}");
    let off = reply_text(&app.text("/report email off").await);
    assert!(off.contains("на e-mail: вимкнено (owner@example.com)"), "{off}");

    let key = run_report(&app, ReportEvery::Week, kyiv(2026, 11, 30, 9)).await;
    assert!(mails.lock().unwrap().is_empty(), "no e-mail while she has it off");
    assert_eq!(app.fake.calls_to("sendPhoto").len(), 6, "the chat still gets the charts");
    assert!(done_result(&app, &key).await.contains("email: switched off by the owner"));

    let week_off = reply_text(&app.text("/report розсилка тиждень вимк").await);
    assert!(week_off.contains("за минулий тиждень: вимкнено"), "{week_off}");
    let mut next = pushed::job(ReportEvery::Week, kyiv(2026, 12, 7, 9), Kyiv);
    next.due_at = Utc::now();
    app.core.store().enqueue(&next).await.unwrap();
    assert_eq!(done_result(&app, &next.key).await, "skipped: switched off by the owner");
    assert_eq!(app.fake.calls_to("sendPhoto").len(), 6, "nothing more in the chat");

    let on = reply_text(&app.text("/report розсилка пошта увімк").await);
    assert!(on.contains("на e-mail: owner@example.com"), "{on}");
    let refused = reply_text(&app.text("/report розсилка вимк").await);
    assert!(refused.contains("Що саме"), "{refused}");
}
