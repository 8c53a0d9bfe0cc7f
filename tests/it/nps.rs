//! Issue 15, client satisfaction: the question with the follow-up (eleven buttons in Telegram),
//! the comment as her next message, a low score as the owner's task at once, a high one with the
//! review link; the one-question page behind a signed link; one answer per order; forged buttons
//! and tokens refused; the score over a period.

use crate::helpers::*;
use chrono::{Duration, NaiveTime, Utc};
use chrono_tz::Europe::Kyiv;
use insoles_crm::channels::telegram::make_bot;
use insoles_crm::core::nps;
use insoles_crm::domain::when::resolve_local;
use insoles_crm::worker::Worker;

fn worker(app: &TestApp) -> Worker {
    Worker::new(app.core.clone(), make_bot(&settings(&app.fake, "sqlite::memory:", false)).unwrap())
}

/// A client (in Telegram chat `chat` when given) with an issued order; (client, order).
async fn issued(app: &TestApp, phone: &str, chat: Option<i64>) -> (i64, i64) {
    let store = app.core.store();
    let client = client_with_phone(store, "Ірина Відгук", phone).await;
    sqlx::query("UPDATE clients SET telegram_id = ? WHERE id = ?")
        .bind(chat)
        .bind(client)
        .execute(store.pool())
        .await
        .unwrap();
    (client, order_taken_to_issued(app, phone).await)
}

fn follow_up_time() -> chrono::DateTime<Utc> {
    let day = Utc::now().with_timezone(&Kyiv).date_naive() + Duration::days(14);
    resolve_local(Kyiv, day, NaiveTime::from_hms_opt(10, 1, 0).unwrap())
}

async fn answer_row(app: &TestApp, order: i64) -> Option<(i64, Option<String>)> {
    app.core.store().nps_answer(order).await.unwrap()
}

#[tokio::test]
async fn eleven_buttons_with_the_follow_up_then_the_comment_and_a_low_score_is_a_task_at_once() {
    let app = TestApp::spawn().await;
    let chat = 710_001;
    let (client, order) = issued(&app, "0681000001", Some(chat)).await;
    worker(&app).tick(follow_up_time()).await.unwrap();
    let calls = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, chat) && c.text().contains("від 0 до 10")))
        .await
        .expect("the question");
    let q = calls.iter().find(|c| in_chat(c, chat) && c.text().contains("від 0 до 10")).unwrap();
    let data: Vec<String> = q.buttons().into_iter().map(|(_, d)| d).collect();
    assert_eq!(data, (0..=10).map(|n| format!("ns:{order}:{n}")).collect::<Vec<_>>());
    let rows = q.body.pointer("/reply_markup/inline_keyboard").unwrap().as_array().unwrap().len();
    assert_eq!(rows, 2);

    let pressed = app.press_from(chat, &format!("ns:{order}:3"), 10).await;
    assert!(pressed.iter().any(|c| c.text().contains("Що ми могли б зробити краще")), "{pressed:?}");
    assert_eq!(answer_row(&app, order).await, Some((3, None)));
    let task = app.core.store().open_tasks(50).await.unwrap().into_iter().find(|t| t.body.contains("3/10"));
    let task = task.expect("the owner's task at once");
    assert_eq!(task.client_id, Some(client));

    app.text_from(chat, "uk", "Мулять шви біля п'ятки").await;
    let thanks =
        app.fake.wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, chat) && c.text().contains("ми врахуємо"))).await;
    assert!(thanks.is_ok(), "she is thanked for the comment");
    assert_eq!(answer_row(&app, order).await, Some((3, Some("Мулять шви біля п'ятки".into()))));
    let task = app.core.store().task(task.id).await.unwrap();
    assert!(task.body.contains("Мулять шви"), "{}", task.body);
    // The dialog ended: her next message goes to the assistant as usual, not into the comment.
    app.text_from(chat, "uk", "Дякую").await;
    assert_eq!(answer_row(&app, order).await.unwrap().1.as_deref(), Some("Мулять шви біля п'ятки"));

    // One answer per order: a second tap changes nothing.
    let again = app.press_from(chat, &format!("ns:{order}:10"), 10).await;
    assert!(again.iter().all(|c| !c.text().contains("Дякуємо за оцінку")), "{again:?}");
    assert_eq!(answer_row(&app, order).await.unwrap().0, 3);
    let now = Utc::now();
    let score = app.core.store().nps(now - Duration::days(1), now + Duration::days(1)).await.unwrap();
    assert_eq!((score.detractors, score.score), (1, Some(-100)));
}

#[tokio::test]
async fn forged_buttons_from_a_stranger_or_for_another_order_are_refused() {
    let app =
        TestApp::spawn_custom(false, None, |s| s.review_url = Some("https://g.page/r/studio/review".into())).await;
    let chat = 710_002;
    let (_, mine) = issued(&app, "0681000002", Some(chat)).await;
    let (_, hers) = issued(&app, "0681000003", Some(710_003)).await;
    for (who, data) in
        [(STRANGER, format!("ns:{mine}:10")), (chat, format!("ns:{hers}:10")), (chat, format!("ns:{mine}:11"))]
    {
        let out = app.press_from(who, &data, 3).await;
        assert!(out.iter().all(|c| !c.text().contains("Дякуємо")), "{who} {data}: {out:?}");
    }
    assert_eq!(answer_row(&app, mine).await, None);
    assert_eq!(answer_row(&app, hers).await, None);
    // Her own order, not yet issued: refused too.
    app.text("/new_order 0681000002, Устілки спортивні, 900").await;
    let open: i64 = sqlx::query_scalar("SELECT MAX(id) FROM orders").fetch_one(app.core.store().pool()).await.unwrap();
    app.press_from(chat, &format!("ns:{open}:10"), 3).await;
    assert_eq!(answer_row(&app, open).await, None);
    // Her own issued order: a 10 gets the review link, and no task.
    let ok = app.press_from(chat, &format!("ns:{mine}:10"), 3).await;
    assert!(ok.iter().any(|c| c.text().contains("https://g.page/r/studio/review")), "{ok:?}");
    assert!(app.core.store().open_tasks(50).await.unwrap().iter().all(|t| !t.body.contains("/10")));
}

#[tokio::test]
async fn the_page_behind_a_signed_link_takes_one_score_and_a_comment_and_refuses_forged_or_expired_tokens() {
    let app = TestApp::spawn_webhook().await;
    let (_, order) = issued(&app, "0681000004", None).await;
    let link = nps::link(&app.core, order).await.unwrap().expect("PUBLIC_URL is set");
    assert!(link.starts_with("https://crm.example.test/nps/"), "{link}");
    let token = link.rsplit('/').next().unwrap().to_string();
    let base = format!("http://{}/nps", app.http);
    let http = reqwest::Client::new();

    let page = http.get(format!("{base}/{token}")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert_eq!(html.matches("name=\"score\"").count(), 11, "{html}");

    let posted = http.post(format!("{base}/{token}")).form(&[("score", "4")]).send().await.unwrap();
    assert_eq!(posted.status(), 200);
    assert!(posted.text().await.unwrap().contains("name=\"comment\""));
    assert_eq!(answer_row(&app, order).await, Some((4, None)));
    assert!(app.core.store().open_tasks(50).await.unwrap().iter().any(|t| t.body.contains("4/10")), "a task at once");
    http.post(format!("{base}/{token}")).form(&[("comment", "<b>Довго чекала</b>")]).send().await.unwrap();
    assert_eq!(answer_row(&app, order).await, Some((4, Some("<b>Довго чекала</b>".into()))));
    // One answer per order.
    let again = http.post(format!("{base}/{token}")).form(&[("score", "10")]).send().await.unwrap();
    assert!(again.text().await.unwrap().contains("Ви вже відповіли"));
    assert_eq!(answer_row(&app, order).await.unwrap().0, 4);

    // Another order's id in the token, a bad signature, an expired token.
    let (_, other) = issued(&app, "0681000005", None).await;
    let forged = token.replacen(&format!("{order}."), &format!("{other}."), 1);
    let mut bad_sig = token.clone();
    bad_sig.pop();
    bad_sig.push(if token.ends_with('0') { '1' } else { '0' });
    for t in [forged, bad_sig, "1.2.3".into(), "x".repeat(500)] {
        let r = http.post(format!("{base}/{t}")).form(&[("score", "10")]).send().await.unwrap();
        assert_eq!(r.status(), 400, "{t}");
        assert!(r.text().await.unwrap().contains("Посилання недійсне"));
    }
    assert_eq!(answer_row(&app, other).await, None);
    let key = nps::key(&app.core).await.unwrap();
    let expired = nps::token(&key, other, Utc::now() - Duration::minutes(1));
    let r = http.get(format!("{base}/{expired}")).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("Термін дії"));
}

#[tokio::test]
async fn the_score_of_a_period_counts_promoters_passives_and_detractors() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let client = client_with_phone(store, "Оцінка Тест", "0681000009").await;
    for (i, score) in [9u8, 10, 7, 3].into_iter().enumerate() {
        insert_order(store, client, &format!("Виріб {i}"), "issued").await;
        let order: i64 = sqlx::query_scalar("SELECT MAX(id) FROM orders").fetch_one(store.pool()).await.unwrap();
        assert!(store.record_nps(order, score, "web", false).await.unwrap());
        assert!(!store.record_nps(order, score, "web", false).await.unwrap(), "once per order");
    }
    let now = Utc::now();
    let n = store.nps(now - Duration::days(1), now + Duration::days(1)).await.unwrap();
    assert_eq!((n.promoters, n.passives, n.detractors, n.score), (2, 1, 1, Some(25)));
    let empty = store.nps(now - Duration::days(10), now - Duration::days(9)).await.unwrap();
    assert_eq!(empty.score, None);
}
