//! Issue 16, e-mail sequences: sent through the jobs table by SMTP (the sink on loopback, each
//! message read as a mail client would), only with consent, stopped when she books or writes,
//! never twice for one step across a restart; and the one-click unsubscribe from the link in a
//! real e-mail (RFC 8058), with forged tokens refused.

use crate::helpers::*;
use crate::report_email::{header, Mail};
use chrono::{DateTime, Duration, Utc};
use insoles_crm::config::{Secret, Settings};
use insoles_crm::core::booking::place::{For, Notice, Request, Slot};
use insoles_crm::core::booking::{free_for, place, today, Asker};
use insoles_crm::core::marketing::sequences::enrol_due;
use insoles_crm::domain::schedule::DayHours;
use insoles_crm::notify::EmailConfig;
use insoles_crm::store::bookings::NewBooking;
use insoles_crm::worker::Worker;
use std::sync::{Arc, Mutex};

pub(crate) type Mails = Arc<Mutex<Vec<String>>>;

/// The app with SMTP to the sink, `PUBLIC_URL` (the links), the shipped sequences, every day open.
pub(crate) async fn marketing_app(reuse: Option<tempfile::TempDir>, rate: Option<u32>) -> (TestApp, Mails) {
    marketing_app_with(reuse, |s| {
        if let Some(r) = rate {
            s.marketing.rate_per_min = r;
        }
    })
    .await
}

/// [`marketing_app`] with its settings adjusted by `adjust` last.
pub(crate) async fn marketing_app_with(
    reuse: Option<tempfile::TempDir>,
    adjust: impl FnOnce(&mut Settings),
) -> (TestApp, Mails) {
    let (smtp_url, mails) = smtp_sink().await;
    let shipped = Settings::load_from(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config")), |_| None)
        .expect("shipped settings");
    let app = TestApp::spawn_custom(true, reuse, |s| {
        s.notify.email =
            Some(EmailConfig { url: Secret::new(smtp_url), from: "Студія <studio@example.com>".into() });
        s.marketing = shipped.marketing;
        s.reports.email = Some("owner@example.com".into());
        s.booking.weekly = [DayHours::parse("08:00-20:00").ok(); 7];
        adjust(s);
    })
    .await;
    (app, mails)
}

/// A client with an e-mail address, with consent when `consent`.
pub(crate) async fn client(app: &TestApp, name: &str, phone: &str, email: &str, consent: bool) -> i64 {
    let store = app.core.store();
    let id = client_with_phone(store, name, phone).await;
    sqlx::query("UPDATE clients SET email = ? WHERE id = ?").bind(email).bind(id).execute(store.pool()).await.unwrap();
    if consent {
        store.give_consent(id, "owner").await.unwrap();
    }
    id
}

/// A diagnostics visit she came to, at `at` (booked the day before).
pub(crate) async fn came_to_diagnostics(app: &TestApp, client: i64, at: DateTime<Utc>) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, status, channel, created_at, updated_at) \
         VALUES (?, 'diagnostics', ?, ?, ?, 'came', 'owner', ?, ?) RETURNING id",
    )
    .bind(client)
    .bind(at)
    .bind(at + Duration::minutes(40))
    .bind(at + Duration::minutes(50))
    .bind(at - Duration::days(1))
    .bind(at - Duration::days(1))
    .fetch_one(app.core.store().pool())
    .await
    .unwrap()
}

/// The marketing e-mails the sink received (those with `List-Unsubscribe`).
pub(crate) fn marketing_mails(mails: &Mails) -> Vec<Mail> {
    mails
        .lock()
        .unwrap()
        .iter()
        .map(|raw| Mail::parse(raw))
        .filter(|m| header(&m.headers, "list-unsubscribe").is_some())
        .collect()
}

pub(crate) async fn wait_for_mails(mails: &Mails, n: usize) {
    wait_until(&format!("{n} marketing e-mail(s) in the sink"), || {
        let got = marketing_mails(mails).len();
        async move { got >= n }
    })
    .await;
}

/// Makes the job with `key` due now and runs what is due.
pub(crate) async fn run_now(app: &TestApp, key: &str) {
    let store = app.core.store();
    let n = sqlx::query("UPDATE jobs SET due_at = ? WHERE idempotency_key = ? AND state = 'pending'")
        .bind(Utc::now())
        .bind(key)
        .execute(store.pool())
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(n, 1, "a pending job {key}");
    Worker::new(app.core.clone(), None).tick(Utc::now()).await.unwrap();
    // The app's own worker may have claimed it first: wait for its outcome either way.
    let pool = store.pool().clone();
    wait_until(&format!("job {key} ran"), || {
        let (pool, key) = (pool.clone(), key.to_string());
        async move {
            let state: String = sqlx::query_scalar("SELECT state FROM jobs WHERE idempotency_key = ?")
                .bind(key)
                .fetch_one(&pool)
                .await
                .unwrap();
            state != "pending" && state != "running"
        }
    })
    .await;
}

pub(crate) async fn enrolled(app: &TestApp, client: i64) -> i64 {
    // The hourly sweep (also run by the scheduler's catch-up at start) may have enrolled her first.
    assert!(enrol_due(&app.core, Utc::now()).await.unwrap() <= 1);
    let e = app.core.store().enrolments_of(client).await.unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].sequence, "after_diagnostics");
    e[0].id
}

#[tokio::test]
async fn a_sequence_stops_on_booking_step_one_sent_she_books_step_two_never_sent() {
    let (app, mails) = marketing_app(None, None).await;
    let olha = client(&app, "Ольга Послідовна", "0671600001", "olha@example.com", true).await;
    came_to_diagnostics(&app, olha, Utc::now() - Duration::hours(3)).await;
    let e = enrolled(&app, olha).await;
    // Three steps, due on days 1, 3 and 10 after the visit.
    for step in 0..3 {
        let (state, _) = app.core.store().job_by_key(&format!("seq:{e}:{step}")).await.unwrap().expect("a step job");
        assert_eq!(state, "pending");
    }
    run_now(&app, &format!("seq:{e}:0")).await;
    wait_for_mails(&mails, 1).await;
    let first = &marketing_mails(&mails)[0];
    assert!(first.subject().contains("догляд"), "{}", first.subject());
    assert_eq!(header(&first.headers, "to"), Some("olha@example.com"));

    // She books (the owner's `/book` use case).
    let svc = app.core.config().booking.services[0].clone();
    let t = today(&app.core);
    let slots =
        free_for(&app.core, &svc, t + Duration::days(1), t + Duration::days(3), None, Asker::Owner).await.unwrap();
    let req = Request {
        who: For::Client(olha),
        booking: NewBooking::of(0, &svc, slots[0], "owner"),
        slot: Slot::Owner,
        notice: Notice::None,
    };
    place(&app.core, req).await.unwrap();

    run_now(&app, &format!("seq:{e}:1")).await;
    let (_, result) = app.core.store().job_by_key(&format!("seq:{e}:1")).await.unwrap().unwrap();
    assert_eq!(result.as_deref(), Some("stopped: booked"));
    assert!(app.core.store().job_by_key(&format!("seq:{e}:1:mail")).await.unwrap().is_none(), "no e-mail queued");
    let (state, _) = app.core.store().job_by_key(&format!("seq:{e}:2")).await.unwrap().unwrap();
    assert_eq!(state, "cancelled", "the later step is cancelled");
    assert_eq!(app.core.store().enrolment(e).await.unwrap().unwrap().status, "stopped");
    assert_eq!(app.core.store().sequence_sends(e).await.unwrap(), [0]);
    assert_eq!(marketing_mails(&mails).len(), 1, "step 2 never sent");
}

#[tokio::test]
async fn her_e_mail_is_in_the_language_of_her_chat_and_in_ukrainian_without_one() {
    let (app, mails) = marketing_app(None, None).await;
    let store = app.core.store();
    let anna = client(&app, "Anna English", "0671600091", "anna@example.com", true).await;
    store.link_telegram(anna, 730_091).await.unwrap();
    store.set_lang("telegram:730091", "en").await.unwrap();
    let olha = client(&app, "Ольга Українська", "0671600092", "olha2@example.com", true).await;
    for c in [anna, olha] {
        came_to_diagnostics(&app, c, Utc::now() - Duration::hours(3)).await;
    }
    assert!(enrol_due(&app.core, Utc::now()).await.unwrap() <= 2);
    for c in [anna, olha] {
        let e = store.enrolments_of(c).await.unwrap()[0].id;
        run_now(&app, &format!("seq:{e}:0")).await;
    }
    wait_for_mails(&mails, 2).await;
    let sent = marketing_mails(&mails);
    let to = |addr: &str| sent.iter().find(|m| header(&m.headers, "to") == Some(addr)).expect("her e-mail");
    let en = to("anna@example.com");
    assert_eq!(en.subject(), "Caring for your feet after the diagnostics");
    let (plain, _) = en.text("text/plain");
    assert!(plain.contains("Hello, Anna English!") && plain.contains("Unsubscribe"), "{plain}");
    let uk = to("olha2@example.com");
    assert!(uk.subject().contains("догляд"), "{}", uk.subject());
    assert!(!uk.text("text/plain").0.contains("Unsubscribe"));
}

#[tokio::test]
async fn a_message_from_her_stops_the_sequence() {
    let (app, _mails) = marketing_app(None, None).await;
    let id = client(&app, "Ірина Відповіла", "0671600002", "iryna@example.com", true).await;
    came_to_diagnostics(&app, id, Utc::now() - Duration::hours(3)).await;
    let e = enrolled(&app, id).await;
    sqlx::query(
        "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) VALUES (?, 'instagram', 'in', 'message', 'Дякую!', ?)",
    )
    .bind(id)
    .bind(Utc::now())
    .execute(app.core.store().pool())
    .await
    .unwrap();
    run_now(&app, &format!("seq:{e}:0")).await;
    let (_, result) = app.core.store().job_by_key(&format!("seq:{e}:0")).await.unwrap().unwrap();
    assert_eq!(result.as_deref(), Some("stopped: replied"));
    assert!(app.core.store().sequence_sends(e).await.unwrap().is_empty());
}

#[tokio::test]
async fn no_consent_no_mail() {
    let (app, mails) = marketing_app(None, None).await;
    let id = client(&app, "Марта Беззгоди", "0671600003", "marta@example.com", false).await;
    came_to_diagnostics(&app, id, Utc::now() - Duration::hours(3)).await;
    assert_eq!(enrol_due(&app.core, Utc::now()).await.unwrap(), 0, "no consent: not enrolled");
    // Consent given, then withdrawn by the owner after the enrolment: the step sends nothing.
    app.core.store().give_consent(id, "owner").await.unwrap();
    let e = enrolled(&app, id).await;
    sqlx::query("UPDATE marketing_consent SET withdrawn_at = ? WHERE client_id = ?")
        .bind(Utc::now())
        .bind(id)
        .execute(app.core.store().pool())
        .await
        .unwrap();
    run_now(&app, &format!("seq:{e}:0")).await;
    let (_, result) = app.core.store().job_by_key(&format!("seq:{e}:0")).await.unwrap().unwrap();
    assert_eq!(result.as_deref(), Some("stopped: no consent"));
    assert!(app.core.store().sequence_sends(e).await.unwrap().is_empty());
    assert!(marketing_mails(&mails).is_empty());
}

#[tokio::test]
async fn a_restart_mid_sequence_sends_nothing_twice() {
    let (app, mails) = marketing_app(None, None).await;
    let id = client(&app, "Оксана Рестарт", "0671600004", "oksana@example.com", true).await;
    came_to_diagnostics(&app, id, Utc::now() - Duration::hours(3)).await;
    let e = enrolled(&app, id).await;
    run_now(&app, &format!("seq:{e}:0")).await;
    wait_for_mails(&mails, 1).await;
    let dir = app.stop().await;

    // The same database, a new process: the sweep runs again, and step 1 runs again as after a
    // crash that left it unrecorded (its job back to pending).
    let (app, mails2) = marketing_app(Some(dir), None).await;
    assert_eq!(enrol_due(&app.core, Utc::now()).await.unwrap(), 0, "enrolled once per event");
    // Not due yet, so that the new process's own worker does not take it before `run_now`.
    sqlx::query("UPDATE jobs SET state = 'pending', due_at = ? WHERE idempotency_key = ?")
        .bind(Utc::now() + Duration::days(1))
        .bind(format!("seq:{e}:0"))
        .execute(app.core.store().pool())
        .await
        .unwrap();
    run_now(&app, &format!("seq:{e}:0")).await;
    let (_, result) = app.core.store().job_by_key(&format!("seq:{e}:0")).await.unwrap().unwrap();
    assert_eq!(result.as_deref(), Some("skipped: step sent before"));
    // Step 2 goes, once.
    run_now(&app, &format!("seq:{e}:1")).await;
    wait_for_mails(&mails2, 1).await;
    let (state, _) = app.core.store().job_by_key(&format!("seq:{e}:1:mail")).await.unwrap().unwrap();
    assert_eq!(state, "done");
    assert_eq!(app.core.store().sequence_sends(e).await.unwrap(), [0, 1]);
    assert_eq!(marketing_mails(&mails2).len(), 1, "only step 2 after the restart");
    assert!(marketing_mails(&mails2)[0].subject().contains("устілки"), "{}", marketing_mails(&mails2)[0].subject());
}

/// The https link of `List-Unsubscribe` (`<https://…>, <mailto:…>`), as a path on our server.
pub(crate) fn unsubscribe_path(mail: &Mail) -> String {
    let list = header(&mail.headers, "list-unsubscribe").expect("List-Unsubscribe");
    let url = list.split(',').map(str::trim).find_map(|p| p.strip_prefix("<https://")).expect("an https link");
    let url = url.trim_end_matches('>');
    format!("/{}", url.split_once('/').expect("a path").1)
}

#[tokio::test]
async fn unsubscribe_works_from_the_link_in_a_real_email_one_click_then_no_more_mail() {
    let (app, mails) = marketing_app(None, None).await;
    let id = client(&app, "Юлія Відписка", "0671600005", "yulia@example.com", true).await;
    came_to_diagnostics(&app, id, Utc::now() - Duration::hours(3)).await;
    let e = enrolled(&app, id).await;
    run_now(&app, &format!("seq:{e}:0")).await;
    wait_for_mails(&mails, 1).await;
    let mail = &marketing_mails(&mails)[0];
    assert_eq!(header(&mail.headers, "list-unsubscribe-post"), Some("List-Unsubscribe=One-Click"));
    let path = unsubscribe_path(mail);
    assert!(path.starts_with("/unsubscribe/"), "{path}");
    // The same link in both parts of the body.
    let (plain, parent) = mail.text("text/plain");
    assert_eq!(parent, "multipart/alternative");
    assert!(plain.contains(&format!("https://crm.example.test{path}")), "{plain}");
    let (html, _) = mail.text("text/html");
    assert!(html.contains(&format!("href=\"https://crm.example.test{path}\"")), "{html}");

    let http = reqwest::Client::new();
    // GET only asks (a link scanner unsubscribes nobody).
    let page = http.get(format!("http://{}{path}", app.http)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("method=\"post\""));
    assert!(app.core.store().consent(id).await.unwrap().is_some(), "GET changed nothing");
    // RFC 8058 one-click: a POST with the body the mail provider sends, no cookie, no login.
    let post = http
        .post(format!("http://{}{path}", app.http))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 200);
    assert!(app.core.store().consent(id).await.unwrap().is_none());
    assert_eq!(app.core.store().unsubscribe_count(id).await.unwrap(), 1);
    let (state, _) = app.core.store().job_by_key(&format!("seq:{e}:1")).await.unwrap().unwrap();
    assert_eq!(state, "cancelled", "her next steps are cancelled");
    // A second click is fine and records nothing new.
    let again =
        http.post(format!("http://{}{path}", app.http)).body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(app.core.store().unsubscribe_count(id).await.unwrap(), 1);
    // A campaign to everyone now leaves her out.
    let c = app.core.store().create_campaign("all", "Новини", "Текст").await.unwrap();
    let (n, _) = insoles_crm::core::marketing::campaign::enqueue(&app.core, c).await.unwrap().unwrap();
    assert_eq!(n, 0);
    assert_eq!(marketing_mails(&mails).len(), 1, "no more mail");
}

#[tokio::test]
async fn a_forged_unsubscribe_token_is_refused_localized_and_changes_nothing() {
    let (app, _mails) = marketing_app(None, None).await;
    let id = client(&app, "Зоя Підробка", "0671600006", "zoya@example.com", true).await;
    let good = insoles_crm::core::marketing::unsubscribe::token(&app.core, id).await.unwrap();
    let other = client(&app, "Віра Інша", "0671600007", "vira@example.com", true).await;
    let http = reqwest::Client::new();
    let forged = [
        good.replacen(&format!("{id}."), &format!("{other}."), 1),
        format!("{id}.{}", "0".repeat(64)),
        format!("{id}"),
        "garbage".to_string(),
        format!("{id}.{}", "a".repeat(200)),
    ];
    for token in forged {
        for post in [false, true] {
            let url = format!("http://{}/unsubscribe/{token}", app.http);
            let r = if post { http.post(url).body("List-Unsubscribe=One-Click") } else { http.get(url) };
            let r = r.send().await.unwrap();
            assert_eq!(r.status(), 400, "{token}");
            assert!(r.text().await.unwrap().contains("посилання недійсне"), "localized");
        }
    }
    assert!(app.core.store().consent(id).await.unwrap().is_some());
    assert!(app.core.store().consent(other).await.unwrap().is_some());
    assert_eq!(app.core.store().unsubscribe_count(other).await.unwrap(), 0);
}

#[tokio::test]
async fn the_booking_page_records_consent_with_her_email_only_when_she_ticks_it() {
    let (app, _mails) = marketing_app(None, None).await;
    let base = format!("http://{}", app.http);
    let mut cards = vec![];
    for (i, (phone, email, tick)) in
        [("0971600101", "ticked@example.com", true), ("0971600102", "unticked@example.com", false)].iter().enumerate()
    {
        let form = crate::web_booking::form_page(&app).await;
        assert!(form.contains("name=\"consent\"") && form.contains("name=\"email\""), "the form asks");
        let (start, track, token) = crate::web_booking::form_fields(&form);
        let mut fields = vec![
            ("service", "0".to_string()),
            ("start", start),
            ("name", format!("Клієнтка Сторінка{}", ["а", "б"][i])),
            ("phone", phone.to_string()),
            ("email", email.to_string()),
            ("lang", "uk".into()),
            ("track", track),
            ("token", token),
        ];
        if *tick {
            fields.push(("consent", "1".into()));
        }
        let r = crate::web_booking::client().post(format!("{base}/book")).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let card: i64 =
            sqlx::query_scalar("SELECT MAX(id) FROM clients").fetch_one(app.core.store().pool()).await.unwrap();
        assert_eq!(app.core.store().client(card).await.unwrap().email.as_deref(), Some(*email));
        cards.push(card);
    }
    let (_, source) = app.core.store().consent(cards[0]).await.unwrap().expect("consent from the page");
    assert_eq!(source, "page");
    assert!(app.core.store().consent(cards[1]).await.unwrap().is_none(), "no tick, no consent");
    // A malformed address is refused next to its field, nothing booked.
    let form = crate::web_booking::form_page(&app).await;
    let (start, track, token) = crate::web_booking::form_fields(&form);
    let fields = [
        ("service", "0".to_string()),
        ("start", start),
        ("name", "Клієнтка Помилка".into()),
        ("phone", "0971600103".into()),
        ("email", "not an address".into()),
        ("consent", "1".into()),
        ("track", track),
        ("token", token),
    ];
    let r = crate::web_booking::client().post(format!("{base}/book")).form(&fields).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"err-email\""));
}

#[tokio::test]
async fn the_owner_marks_consent_on_the_card_edit_menu_and_withdraws_it() {
    let (app, _mails) = marketing_app(None, None).await;
    let id = client(&app, "Ліна Картка", "0671600201", "lina@example.com", false).await;
    let menu = app.press(&format!("em:{id}")).await;
    let switch = button(&menu, "Згода на e-mail розсилку");
    assert_eq!(switch, format!("mc:{id}"));
    let on = app.press(&switch).await;
    assert!(on.iter().flat_map(|c| c.buttons()).any(|(l, _)| l.starts_with("✅ Згода")), "{:?}", on);
    assert_eq!(app.core.store().consent(id).await.unwrap().unwrap().1, "owner");
    app.press(&switch).await;
    assert!(app.core.store().consent(id).await.unwrap().is_none());
    // A stranger's press of the same button changes nothing.
    app.press_from(STRANGER, &switch, 10).await;
    assert!(app.core.store().consent(id).await.unwrap().is_none());
}

/// One woman's two cards: the owner's, and the booking page's with the consent she ticked there,
/// a diagnostics visit and its enrolment; the page's merged into the owner's.
/// Returns (kept, page, visit, enrolment).
async fn merged_after_a_visit(app: &TestApp) -> (i64, i64, i64, i64) {
    let kept = client(app, "Олена Основна", "0671600301", "olena@example.com", false).await;
    let page = client(app, "Олена Сторінка", "0671600302", "olena@example.com", true).await;
    let visit = came_to_diagnostics(app, page, Utc::now() - Duration::hours(3)).await;
    let e = enrolled(app, page).await;
    app.core.store().merge_clients(page, kept, "merge").await.unwrap().expect("merged");
    (kept, page, visit, e)
}

#[tokio::test]
async fn consent_follows_a_merged_card_and_goes_with_a_forgotten_client() {
    let (app, _mails) = marketing_app(None, None).await;
    let store = app.core.store();
    let (kept, _, _, e) = merged_after_a_visit(&app).await;
    assert_eq!(store.consent(kept).await.unwrap().map(|c| c.1).as_deref(), Some("owner"));
    assert_eq!(store.enrolment(e).await.unwrap().unwrap().client_id, kept, "her sequence follows her");
    store.forget_client(kept, "Клієнтка #1", "test").await.unwrap().expect("forgotten");
    assert!(store.consent(kept).await.unwrap().is_none());
    assert!(store.enrolment(e).await.unwrap().is_none());
    assert!(store.mailable(kept).await.unwrap().is_none());
}

#[tokio::test]
async fn a_sweep_that_read_its_events_before_a_merge_or_a_forget_enrols_neither_card() {
    // The hourly sweep reads the visits, then enrols one by one: a card merged away or forgotten
    // in between gets no enrolment and no step jobs (the race CI once caught mid-sweep).
    let (app, _mails) = marketing_app(None, None).await;
    let store = app.core.store();
    let (kept, page, visit, e) = merged_after_a_visit(&app).await;
    let at = Utc::now() - Duration::hours(3);
    let anchor = format!("b{visit}");
    let late = |client: i64| {
        let anchor = anchor.clone();
        async move {
            store
                .enrol(client, "after_diagnostics", &anchor, at, |_| panic!("no step jobs for a card that is gone"))
                .await
                .unwrap()
        }
    };
    assert_eq!(late(page).await, None, "the merged-away card is gone");
    store.forget_client(kept, "Клієнтка #1", "test").await.unwrap().expect("forgotten");
    assert_eq!(late(kept).await, None, "a forgotten client is never enrolled again");
    assert!(store.enrolment(e).await.unwrap().is_none());
    assert!(store.enrolments_of(kept).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_imported_list_records_consent_only_for_rows_that_say_yes_and_have_an_address() {
    let (app, _mails) = marketing_app(None, None).await;
    let csv = "ПІБ;Телефон;Email;Згода на розсилку\n\
               Ганна Імпорт;0671600401;ganna@example.com;так\n\
               Дана Імпорт;0671600402;dana@example.com;ні\n\
               Єва Імпорт;0671600403;;так\n";
    let id = format!("f{}", app.next_update_id());
    app.fake.add_file(&id, csv.as_bytes().to_vec());
    let preview = app
        .update(insoles_crm::fake_telegram::updates::document(
            app.next_update_id(),
            OWNER,
            &id,
            "list.csv",
            csv.len() as u64,
        ))
        .await;
    assert!(reply_text(&preview).contains("Згода на e-mail розсилку"), "{}", reply_text(&preview));
    app.press(&button(&preview, "Імпортувати 3")).await;
    let store = app.core.store();
    let by_phone = |p: &'static str| async move {
        store.client_by_phone(&insoles_crm::domain::Phone::parse(p).unwrap()).await.unwrap().unwrap().id
    };
    let (ganna, dana, yeva) =
        (by_phone("0671600401").await, by_phone("0671600402").await, by_phone("0671600403").await);
    assert_eq!(store.consent(ganna).await.unwrap().map(|c| c.1).as_deref(), Some("import"));
    assert!(store.consent(dana).await.unwrap().is_none(), "«ні» is no consent");
    assert!(store.consent(yeva).await.unwrap().is_none(), "no address, no consent");
}

#[tokio::test]
async fn the_hourly_enrolment_is_scheduled_only_with_sequences_and_smtp() {
    use insoles_crm::scheduler::{schedules_for, Task};
    let (app, _mails) = marketing_app(None, None).await;
    assert!(schedules_for(&app.core).iter().any(|(t, _)| *t == Task::Sequences));
    let plain = TestApp::spawn().await;
    assert!(!schedules_for(&plain.core).iter().any(|(t, _)| *t == Task::Sequences), "no SMTP, no sequences");
}
