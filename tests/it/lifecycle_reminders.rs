//! Issue 15, reminders tied to the product's life: issuing an order schedules them at the right
//! business dates (a child's re-checks from her birth date), they come as tasks by default or as
//! messages with an opt-out (button or STOP), a reopened (cancelled) order cancels them, a stranger
//! cannot opt anyone out, and what followed them is counted.

use crate::helpers::*;
use chrono::{Duration, Months, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::Kyiv;
use insoles_crm::channels::telegram::make_bot;
use insoles_crm::domain::when::resolve_local;
use insoles_crm::worker::Worker;

fn worker(app: &TestApp) -> Worker {
    Worker::new(app.core.clone(), make_bot(&settings(&app.fake, "sqlite::memory:", false)).unwrap())
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&Kyiv).date_naive()
}

fn at10(d: NaiveDate) -> chrono::DateTime<Utc> {
    resolve_local(Kyiv, d, NaiveTime::from_hms_opt(10, 0, 0).unwrap())
}

/// A client (Telegram chat `chat` when given) with an order taken to issued; the order's id.
async fn issued_order(app: &TestApp, phone: &str, chat: Option<i64>, birth: Option<&str>) -> i64 {
    app.text(&format!("/new_client Оксана Тест, {phone}")).await;
    let store = app.core.store();
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM clients").fetch_one(store.pool()).await.unwrap();
    sqlx::query("UPDATE clients SET telegram_id = ?, birth_date = ? WHERE id = ?")
        .bind(chat)
        .bind(birth)
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
    order_taken_to_issued(app, phone).await
}

async fn statuses(app: &TestApp, order: i64) -> Vec<(String, String)> {
    app.core.store().aftercare_for_order(order).await.unwrap().into_iter().map(|a| (a.kind, a.status)).collect()
}

#[tokio::test]
async fn issuing_schedules_the_reminders_at_their_business_dates_and_a_child_gets_rechecks() {
    let app = TestApp::spawn().await;
    let order = issued_order(&app, "0671000001", None, Some("2016-05-05")).await;
    let rows = app.core.store().aftercare_for_order(order).await.unwrap();
    let plan: Vec<(&str, chrono::DateTime<Utc>)> = rows.iter().map(|a| (a.kind.as_str(), a.due_at)).collect();
    let m = |n: u32| at10(today().checked_add_months(Months::new(n)).unwrap());
    assert_eq!(
        plan,
        vec![
            ("check_in", at10(today() + Duration::days(25))),
            ("warranty", m(6)),
            ("child_recheck", m(6)),
            ("replacement", m(12)),
            ("child_recheck", m(12)),
            ("child_recheck", m(18)),
            ("child_recheck", m(24)),
        ]
    );
    assert!(rows.iter().all(|a| a.mode == "task" && a.status == "pending"), "tasks by default");
    // Each has its job, due at its time; the NPS question comes with the follow-up.
    for a in &rows {
        let (state, _) =
            app.core.store().job_by_key(&format!("aftercare:o{order}:{}", a.id)).await.unwrap().expect("its job");
        assert_eq!(state, "pending");
    }
    assert!(app.core.store().job_by_key(&format!("aftercare:o{order}:nps")).await.unwrap().is_some());

    // An adult gets no re-checks.
    let adult = issued_order(&app, "0671000002", None, Some("1985-01-01")).await;
    let kinds: Vec<String> = statuses(&app, adult).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["check_in", "warranty", "replacement"]);

    // Day 25: a task for the owner, once.
    worker(&app).tick(at10(today() + Duration::days(25)) + Duration::minutes(1)).await.unwrap();
    let tasks = app.core.store().open_tasks(50).await.unwrap();
    let check_ins: Vec<_> = tasks.iter().filter(|t| t.body.contains("корекція")).collect();
    assert_eq!(check_ins.len(), 2, "one per order: {tasks:?}");
    assert_eq!(statuses(&app, order).await[0], ("check_in".into(), "sent".into()));
    worker(&app).tick(at10(today() + Duration::days(26))).await.unwrap();
    let again = app.core.store().open_tasks(50).await.unwrap();
    assert_eq!(again.iter().filter(|t| t.body.contains("корекція")).count(), 2);
}

#[tokio::test]
async fn as_messages_they_reach_the_client_and_her_opt_out_stops_the_rest() {
    let app = TestApp::spawn().await;
    let said = reply_text(&app.text("/lifecycle повідомлення").await);
    assert!(said.contains("повідомленнями"), "{said}");
    let chat = 700_100;
    let order = issued_order(&app, "0671000003", Some(chat), None).await;
    worker(&app).tick(at10(today() + Duration::days(25)) + Duration::minutes(1)).await.unwrap();
    let calls = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, chat) && c.text().contains("корекція")))
        .await
        .expect("the check-in message");
    let msg = calls.iter().find(|c| in_chat(c, chat) && c.text().contains("корекція")).unwrap();
    let stop = msg.buttons().into_iter().find(|(_, d)| d.starts_with("ls:")).expect("the opt-out button").1;
    assert_eq!(stop, format!("ls:{order}"));

    // Someone else's chat pressing it (forged) changes nothing.
    let refused = app.press_from(STRANGER, &stop, 1).await;
    assert!(refused.iter().all(|c| !c.text().contains("більше таких")), "{refused:?}");
    let opted: bool = sqlx::query_scalar("SELECT aftercare_opt_out FROM clients WHERE telegram_id = ?")
        .bind(chat)
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert!(!opted);

    let done = app.press_from(chat, &stop, 2).await;
    assert!(done.iter().any(|c| c.text().contains("більше таких нагадувань")), "{done:?}");
    let before = app.fake.calls().len();
    worker(&app).tick(at10(today().checked_add_months(Months::new(6)).unwrap()) + Duration::minutes(1)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(app.fake.calls()[before..].iter().all(|c| !in_chat(c, chat) || !c.text().contains("Гарантія")));
    let st = statuses(&app, order).await;
    assert_eq!(st[0], ("check_in".into(), "sent".into()));
    assert!(st[1..].iter().all(|(_, s)| s == "cancelled"), "{st:?}");

    // STOP written in the bot does the same for another client.
    let chat2 = 700_101;
    let order2 = issued_order(&app, "0671000004", Some(chat2), None).await;
    app.text_from(chat2, "uk", "СТОП").await;
    // (Her "insoles ready" notice may arrive in between: look for the answer among the messages.)
    let told = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, chat2) && c.text().contains("більше таких нагадувань")))
        .await;
    assert!(told.is_ok(), "she is told");
    assert!(statuses(&app, order2).await.iter().all(|(_, s)| s == "cancelled"));
}

#[tokio::test]
async fn a_reopened_and_cancelled_order_cancels_its_reminders_and_their_jobs() {
    let app = TestApp::spawn().await;
    let order = issued_order(&app, "0671000005", None, Some("2016-05-05")).await;
    app.press(&format!("orp:{order}")).await;
    app.press(&format!("os:{order}:cancel")).await;
    let st = statuses(&app, order).await;
    assert!(!st.is_empty() && st.iter().all(|(_, s)| s == "cancelled"), "{st:?}");
    let pending: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE ? AND state = 'pending'")
            .bind(format!("aftercare:o{order}:%"))
            .fetch_one(app.core.store().pool())
            .await
            .unwrap();
    assert_eq!(pending, 0);
    worker(&app).tick(Utc::now() + Duration::days(800)).await.unwrap();
    let tasks = app.core.store().open_tasks(50).await.unwrap();
    assert!(tasks.iter().all(|t| !t.body.contains("Устілки каркасні") || t.kind == "follow_up"), "{tasks:?}");
}

#[tokio::test]
async fn what_followed_a_sent_reminder_is_counted() {
    let app = TestApp::spawn().await;
    let order = issued_order(&app, "0671000006", None, None).await;
    let store = app.core.store();
    worker(&app).tick(at10(today() + Duration::days(25)) + Duration::minutes(1)).await.unwrap();
    let now = Utc::now();
    let effect = store.lifecycle_effect(now - Duration::days(1), now + Duration::days(1)).await.unwrap();
    assert_eq!((effect.sent, effect.rebooked, effect.reordered), (1, 0, 0));
    let client: i64 = sqlx::query_scalar("SELECT client_id FROM orders WHERE id = ?")
        .bind(order)
        .fetch_one(store.pool())
        .await
        .unwrap();
    insert_order(store, client, "Устілки спортивні", "new").await;
    let soon = now + Duration::days(2);
    sqlx::query(
        "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, channel, created_at, updated_at) \
         VALUES (?, 'fitting', ?, ?, ?, 'test', ?, ?)",
    )
    .bind(client)
    .bind(soon)
    .bind(soon + Duration::minutes(20))
    .bind(soon + Duration::minutes(20))
    .bind(Utc::now())
    .bind(Utc::now())
    .execute(store.pool())
    .await
    .unwrap();
    let effect = store.lifecycle_effect(now - Duration::days(1), now + Duration::days(1)).await.unwrap();
    assert_eq!((effect.sent, effect.rebooked, effect.reordered), (1, 1, 1));
    app.text("/lifecycle").await;
    // (The owner's task reminder may arrive in between: look for the answer among the messages.)
    let said = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("завданнями") && c.text().contains("записалися: 1")))
        .await;
    assert!(said.is_ok(), "/lifecycle shows the effect");
}

#[tokio::test]
async fn a_new_order_makes_the_older_replacement_offer_moot() {
    let app = TestApp::spawn().await;
    let order = issued_order(&app, "0671000007", None, None).await;
    app.text("/new_order 0671000007, Устілки спортивні, 900").await;
    let st = statuses(&app, order).await;
    assert_eq!(
        st,
        [
            ("check_in".to_string(), "pending".to_string()),
            ("warranty".into(), "pending".into()),
            ("replacement".into(), "cancelled".into())
        ]
    );
}

#[tokio::test]
async fn stop_in_instagram_opts_her_out_and_she_is_told() {
    use crate::instagram::{fake_graph, message, post, sign, wait_sent};
    let (api, sent) = fake_graph().await;
    let app = TestApp::spawn_custom(false, None, |s| {
        s.notify.instagram =
            Some(insoles_crm::notify::InstagramConfig { api_url: api, token: insoles_crm::config::Secret::new("t") });
    })
    .await;
    let stop = message("333", "mid-stop", "Стоп!");
    assert_eq!(post(&app, stop.clone(), &sign(&stop)).await, 200);
    wait_sent(&sent, 1).await;
    assert!(sent.lock().unwrap()[0]["message"]["text"].as_str().unwrap().contains("більше таких нагадувань"));
    let opted: bool = sqlx::query_scalar("SELECT aftercare_opt_out FROM clients WHERE instagram_id = '333'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert!(opted);
}
