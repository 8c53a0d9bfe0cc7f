//! Issue 15, the daily summary and the recommendations: what the summary says on seeded data,
//! one summary per business day (enqueued twice, after a restart: sent once), skipped when its job
//! runs on the next day, `/summary` to set the time or switch it off, and each recommendation's
//! button doing what it says.

use crate::helpers::*;
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::Kyiv;
use insoles_crm::channels::telegram::make_bot;
use insoles_crm::core::summary;
use insoles_crm::domain::when::resolve_local;
use insoles_crm::worker::Worker;

fn worker(app: &TestApp) -> Worker {
    Worker::new(app.core.clone(), make_bot(&settings(&app.fake, "sqlite::memory:", false)).unwrap())
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&Kyiv).date_naive()
}

fn local(date: NaiveDate, h: u32, m: u32) -> chrono::DateTime<Utc> {
    resolve_local(Kyiv, date, NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

/// The job's state and result once it has left `running` (the app's background worker and the
/// test's own tick race for due jobs; either may run it).
async fn settled_job(app: &TestApp, key: &str) -> (String, Option<String>) {
    for _ in 0..100 {
        let (state, result) = app.core.store().job_by_key(key).await.unwrap().expect("the job exists");
        if state != "running" && state != "pending" {
            return (state, result);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("job {key} did not finish in 10 s");
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(app.core.store().pool()).await.unwrap();
}

/// Owner messages whose text contains `needle`.
fn owner_messages(app: &TestApp, needle: &str) -> Vec<insoles_crm::fake_telegram::Call> {
    app.fake
        .calls()
        .into_iter()
        .filter(|c| c.method.eq_ignore_ascii_case("sendMessage") && in_chat(c, OWNER) && c.text().contains(needle))
        .collect()
}

/// A day's money, orders, a visit tomorrow, an overdue task and a draft waiting.
async fn seed_day(app: &TestApp) -> i64 {
    let store = app.core.store();
    let olha = client_with_phone(store, "Ольга Марʼянчук", "0671234567").await;
    insert_order(store, olha, "Устілки каркасні", "new").await;
    insert_order(store, olha, "Устілки спортивні", "new").await;
    sqlx::query("INSERT INTO cash_entries (kind, method, amount_kop, day, at) VALUES ('income', 'cash', 180000, ?, ?)")
        .bind(today())
        .bind(Utc::now())
        .execute(store.pool())
        .await
        .unwrap();
    let tomorrow = local(today() + Duration::days(1), 10, 0);
    sqlx::query(
        "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, channel, created_at, updated_at) \
         VALUES (?, 'diagnostics', ?, ?, ?, 'test', ?, ?)",
    )
    .bind(olha)
    .bind(tomorrow)
    .bind(tomorrow + Duration::minutes(40))
    .bind(tomorrow + Duration::minutes(50))
    .bind(Utc::now())
    .bind(Utc::now())
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query("INSERT INTO tasks (client_id, body, due_at, created_at) VALUES (?, 'Передзвонити', ?, ?)")
        .bind(olha)
        .bind(Utc::now() - Duration::days(1))
        .bind(Utc::now())
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO drafts (client_id, channel, question, suggestion, created_at) VALUES (?, 'telegram', 'Скільки коштує?', '…', ?)",
    )
    .bind(olha)
    .bind(Utc::now())
    .execute(store.pool())
    .await
    .unwrap();
    olha
}

#[tokio::test]
async fn the_summary_says_the_days_money_orders_tomorrow_overdue_and_waiting_with_a_button_per_visit() {
    let app = TestApp::spawn().await;
    let olha = seed_day(&app).await;
    let now = Utc::now();
    app.core.store().enqueue(&summary::job(today(), now)).await.unwrap();
    worker(&app).tick(now).await.unwrap();
    let call = owner_card(&app, "Підсумок дня").await;
    let text = call.text();
    assert!(text.contains(&today().format("%d.%m").to_string()), "{text}");
    assert!(text.contains("Виручка: 1 800,00 грн"), "{text}");
    assert!(text.contains("нових замовлень: 2"), "{text}");
    assert!(text.contains("Завтра 1 запис") && text.contains("10:00 Ольга Марʼянчук"), "{text}");
    assert!(text.contains("Прострочених завдань: 1"), "{text}");
    assert!(text.contains("Чекають на вашу відповідь: 1"), "{text}");
    assert!(text.contains("💡"), "one recommendation: {text}");
    let buttons = call.buttons();
    assert!(buttons.iter().any(|(l, d)| l.contains("10:00") && *d == format!("c:{olha}")), "{buttons:?}");
    // The recommendation's own button and the list of all of them.
    assert!(buttons.iter().any(|(_, d)| d.starts_with("aa:")), "{buttons:?}");
    assert!(buttons.iter().any(|(_, d)| d == "av"), "{buttons:?}");
    // Her visit's button opens her card.
    let card = app.press(&format!("c:{olha}")).await;
    assert!(reply_text(&card).contains("Ольга Марʼянчук"));
}

#[tokio::test]
async fn one_summary_per_day_even_enqueued_again_and_after_a_restart() {
    let app = TestApp::spawn().await;
    seed_day(&app).await;
    let now = Utc::now();
    let store = app.core.store().clone();
    assert!(store.enqueue(&summary::job(today(), now)).await.unwrap());
    worker(&app).tick(now).await.unwrap();
    owner_card(&app, "Підсумок дня").await;
    assert!(!store.enqueue(&summary::job(today(), now + Duration::minutes(5))).await.unwrap(), "same day, same key");
    worker(&app).tick(now + Duration::minutes(10)).await.unwrap();
    let dir = app.stop().await;

    // The restart's catch-up: this installation sends summaries, and today's time has passed.
    let app = TestApp::spawn_with(false, Some(dir)).await;
    let passed = Utc::now().with_timezone(&Kyiv).format("%H:%M").to_string();
    // (Not in the minute around midnight, when "a minute later" is another business day.)
    if passed != "00:00" && passed != "23:59" {
        app.text(&format!("/summary {passed}")).await;
        let catch_up = summary::catch_up(&app.core, Utc::now() + Duration::minutes(1)).await.unwrap();
        let job = catch_up.expect("a catch-up for today");
        assert_eq!(job.key, format!("summary:{}", today()));
        assert!(!app.core.store().enqueue(&job).await.unwrap(), "already sent today: the key stops it");
    }
    worker(&app).tick(Utc::now() + Duration::minutes(2)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(owner_messages(&app, "Підсумок дня").len(), 0, "not sent again after the restart");
    let (state, _) = app.core.store().job_by_key(&format!("summary:{}", today())).await.unwrap().unwrap();
    assert_eq!(state, "done");
}

#[tokio::test]
async fn a_summary_whose_day_is_over_is_skipped_and_logged_not_sent() {
    let app = TestApp::spawn().await;
    seed_day(&app).await;
    let day = today();
    // Due at 20:00 today; the process "was down" and the worker first runs after midnight.
    let due = local(day, 20, 0).max(Utc::now() + Duration::hours(1));
    app.core.store().enqueue(&summary::job(day, due)).await.unwrap();
    let after_midnight = local(day + Duration::days(1), 0, 30);
    let report = worker(&app).tick(after_midnight.max(due)).await.unwrap();
    assert!(report.done >= 1);
    let (state, result) = app.core.store().job_by_key(&format!("summary:{day}")).await.unwrap().unwrap();
    assert_eq!((state.as_str(), result.as_deref()), ("done", Some("skipped: its day is over")));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(owner_messages(&app, "Підсумок дня").is_empty());
    // A fresh installation does not catch up on a day it never sent a summary for.
    let fresh = TestApp::spawn().await;
    assert!(summary::catch_up(&fresh.core, local(today(), 23, 59)).await.unwrap().is_none());
}

#[tokio::test]
async fn summary_command_sets_the_time_switches_off_and_shows_todays_summary() {
    let app = TestApp::spawn().await;
    seed_day(&app).await;
    let shown = reply_text(&app.text("/summary").await);
    assert!(shown.contains("Підсумок дня") && shown.contains("Щоденно о 20:00"), "{shown}");
    let set = reply_text(&app.text("/summary 21:30").await);
    assert!(set.contains("21:30"), "{set}");
    let next = summary::next_fire(&app.core, local(today(), 12, 0)).await.unwrap().unwrap();
    assert_eq!(next, local(today(), 21, 30));
    let next = summary::next_fire(&app.core, local(today(), 22, 0)).await.unwrap().unwrap();
    assert_eq!(next, local(today() + Duration::days(1), 21, 30), "after the time: tomorrow");
    let refused = reply_text(&app.text("/summary коли-небудь").await);
    assert!(refused.contains("Не розумію час"), "{refused}");
    let off = reply_text(&app.text("/summary off").await);
    assert!(off.contains("вимкнено"), "{off}");
    assert!(summary::next_fire(&app.core, Utc::now()).await.unwrap().is_none());
    // A job already enqueued for today finds it off and sends nothing.
    let now = Utc::now();
    app.core.store().enqueue(&summary::job(today(), now)).await.unwrap();
    worker(&app).tick(now).await.unwrap();
    // The app's own worker may have claimed it first: wait for whichever ran it to finish.
    let (state, result) = settled_job(&app, &format!("summary:{}", today())).await;
    assert_eq!((state.as_str(), result.as_deref()), ("done", Some("skipped: switched off")));
}

#[tokio::test]
async fn the_replacement_recommendation_sends_each_client_a_reminder_once() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    // Two clients whose insoles were issued 11.5 months ago (their replacement offers, scheduled
    // at issue for 12 months, fall due in two weeks), one reachable in Telegram.
    let chat = 700_001;
    let a = client_with_phone(store, "Анна Перша", "0671111111").await;
    let b = client_with_phone(store, "Богдана Друга", "0672222222").await;
    exec(&app, &format!("UPDATE clients SET telegram_id = {chat} WHERE id = {a}")).await;
    for c in [a, b] {
        insert_order(store, c, "Устілки каркасні", "issued").await;
        sqlx::query(
            "INSERT INTO aftercare (order_id, kind, mode, due_at) \
             SELECT MAX(id), 'replacement', 'task', ? FROM orders WHERE client_id = ?",
        )
        .bind(Utc::now() + Duration::days(15))
        .bind(c)
        .execute(store.pool())
        .await
        .unwrap();
    }
    let list = reply_text(&app.text("/advice").await);
    assert!(list.contains("2 клієнтки купили устілки 11–12 місяців тому"), "{list}");
    let done = reply_text(&app.press("aa:r").await);
    assert!(done.contains("заплановано: 2"), "{done}");
    // Anna gets the message in Telegram; Bogdana (no channel) becomes a task for the owner.
    let calls = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, chat) && c.text().contains("рік")))
        .await
        .expect("Anna's reminder");
    let msg = calls.iter().find(|c| in_chat(c, chat) && c.text().contains("рік")).unwrap();
    assert!(msg.buttons().iter().any(|(_, d)| d.starts_with("ls:")), "an opt-out button");
    wait_until("Bogdana's task", || async {
        store.open_tasks(50).await.unwrap().iter().any(|t| t.client_id == Some(b) && t.body.contains("рік"))
    })
    .await;
    // Pressed again: nothing more to do.
    let again = app.press("aa:r").await;
    assert!(again.iter().any(|c| c.text().contains("заплановано: 0")), "{again:?}");
    let before = app.fake.calls().len();
    app.text("/advice").await;
    let advice = app
        .fake
        .wait_for(WAIT, |c| c[before..].iter().any(|c| in_chat(c, OWNER) && c.text().contains("Поради")))
        .await
        .expect("the advice list");
    assert!(advice[before..].iter().all(|c| !c.text().contains("11–12 місяців")), "nothing left to replace");
}

#[tokio::test]
async fn the_diagnostics_recommendation_makes_call_tasks_and_the_others_open_their_lists() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let c = client_with_phone(store, "Віра Третя", "0673333333").await;
    let visit = Utc::now() - Duration::days(3);
    sqlx::query(
        "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, status, channel, created_at, updated_at) \
         VALUES (?, 'diagnostics', ?, ?, ?, 'came', 'test', ?, ?)",
    )
    .bind(c)
    .bind(visit)
    .bind(visit + Duration::minutes(40))
    .bind(visit + Duration::minutes(50))
    .bind(visit)
    .bind(visit)
    .execute(store.pool())
    .await
    .unwrap();
    let list = reply_text(&app.text("/advice").await);
    assert!(list.contains("1 клієнтка прийшла"), "{list}");
    let done = reply_text(&app.press("aa:d").await);
    assert!(done.contains("Завдань створено: 1"), "{done}");
    let tasks = store.open_tasks(10).await.unwrap();
    assert!(tasks.iter().any(|t| t.client_id == Some(c) && t.body.contains("Зателефонувати")), "{tasks:?}");
    // With her task open, the rule no longer applies.
    assert!(!reply_text(&app.text("/advice").await).contains("прийшла"));
    let overdue = reply_text(&app.press("aa:t").await);
    assert!(!overdue.is_empty());
    let all = reply_text(&app.press("av").await);
    assert!(all.contains("Поради") || all.contains("порад"), "{all}");
}

#[tokio::test]
async fn with_an_llm_the_advice_gets_a_short_narrative_that_may_use_only_the_facts_numbers() {
    use crate::llm::{completion, fake_llm};
    let fake = fake_llm().await;
    fake.script.lock().unwrap().push_back((200, completion("Спершу закрийте 1 прострочене завдання."), 0));
    fake.script.lock().unwrap().push_back((200, completion("Продайте 40 пар до п'ятниці."), 0));
    let url = fake.url.clone();
    let app = TestApp::spawn_custom(false, None, move |s| {
        s.llm = Some(insoles_crm::config::LlmSettings {
            api_url: url,
            api_key: insoles_crm::config::Secret::new("test-key"),
            model: "test/model".into(),
            timeout: std::time::Duration::from_millis(2000),
            retries: 0,
            daily_budget: 10,
        })
    })
    .await;
    exec(&app, "INSERT INTO tasks (body, due_at, created_at) VALUES ('Звіт', '2020-01-01T10:00:00+00:00', '2020-01-01T09:00:00+00:00')")
        .await;
    let first = reply_text(&app.text("/advice").await);
    assert!(
        first.contains("🧠 Спершу закрийте 1 прострочене завдання.") && first.contains("Прострочених завдань: 1"),
        "{first}"
    );
    let second = reply_text(&app.text("/advice").await);
    assert!(!second.contains("🧠") && !second.contains("40 пар"), "an invented number is refused: {second}");
    assert!(second.contains("Прострочених завдань: 1"), "{second}");
    let seen = fake.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].to_string().contains("invent nothing"), "the prompt goes as the system message");
}
