//! Durable jobs: task reminders through the outbox, snooze, follow-ups, retries, failures.

use crate::helpers::*;
use chrono::{Duration, Utc};
use insoles_crm::channels::telegram::make_bot;
use insoles_crm::work::JobSpec;
use insoles_crm::worker::Worker;
use serde_json::json;

fn worker(app: &TestApp) -> Worker {
    Worker::new(app.core.clone(), make_bot(&settings(&app.fake, "sqlite::memory:", false)).unwrap())
}

fn reminders(app: &TestApp, needle: &str) -> Vec<insoles_crm::fake_telegram::Call> {
    app.fake
        .calls_to("sendMessage")
        .into_iter()
        .filter(|c| c.text().contains("Нагадування") && c.text().contains(needle))
        .collect()
}

async fn wait_reminders(app: &TestApp, needle: &str, n: usize) -> Vec<insoles_crm::fake_telegram::Call> {
    app.fake
        .wait_for(WAIT, |calls| {
            calls
                .iter()
                .filter(|c| c.method == "SendMessage" || c.method.eq_ignore_ascii_case("sendMessage"))
                .filter(|c| c.text().contains("Нагадування") && c.text().contains(needle))
                .count()
                >= n
        })
        .await
        .unwrap();
    reminders(app, needle)
}

#[tokio::test]
async fn a_task_reminds_the_owner_and_snooze_moves_the_reminder() {
    let app = TestApp::spawn().await;
    let created = app.text("/task Подзвонити Ользі завтра 10:00").await;
    assert!(reply_text(&created).contains("Завдання: Подзвонити Ользі"), "{}", reply_text(&created));
    let w = worker(&app);

    // Nothing is due yet; two days later the reminder becomes an outbox message.
    w.tick(Utc::now()).await.unwrap();
    assert!(reminders(&app, "Подзвонити Ользі").is_empty());
    let report = w.tick(Utc::now() + Duration::days(2)).await.unwrap();
    // At least the reminder: the scheduler's start-up catch-up (last night's backup and
    // housekeeping) may be enqueued only now on a loaded machine, and this tick runs it too.
    assert!(report.done >= 1 && report.retried + report.failed == 0, "{report:?}");
    let reminder: Vec<String> = sqlx::query_scalar("SELECT state FROM jobs WHERE kind = 'task_reminder'")
        .fetch_all(app.core.store().pool())
        .await
        .unwrap();
    assert_eq!(reminder, ["done"], "this tick did the task's one reminder");
    let sent = wait_reminders(&app, "Подзвонити Ользі", 1).await;
    assert_eq!(sent[0].body["chat_id"], OWNER);
    let labels: Vec<String> = sent[0].buttons().into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["✔️ Готово", "+1 год", "Завтра", "✍️ Ввести час"]);

    // +1 h: the message is edited, a new reminder is scheduled and arrives when due.
    let snoozed = app.press(&sent[0].buttons()[1].1).await;
    assert!(reply_text(&snoozed).contains("Перенесено на"), "{}", reply_text(&snoozed));
    assert_eq!(method_count(&snoozed, "editMessageText"), 1);
    w.tick(Utc::now() + Duration::days(2)).await.unwrap();
    let sent = wait_reminders(&app, "Подзвонити Ользі", 2).await;

    // Done: no reminder ever again, and /tasks is empty.
    app.press(&sent[1].buttons()[0].1).await;
    let report = w.tick(Utc::now() + Duration::days(30)).await.unwrap();
    assert_eq!(report.claimed, 0, "{report:?}");
    assert_eq!(reminders(&app, "Подзвонити Ользі").len(), 2);
    assert!(reply_text(&app.text("/tasks").await).contains("Відкритих завдань немає"));
}

#[tokio::test]
async fn snoozing_to_tomorrow_keeps_the_time_of_day() {
    let app = TestApp::spawn().await;
    app.text("/task Замовити клей пт 15:30").await;
    let task = app.core.store().open_tasks(5).await.unwrap().remove(0);
    let tz = app.core.config().tz;
    app.press(&format!("tz:{}:d", task.id)).await;
    let moved = app.core.store().task(task.id).await.unwrap().due_at.unwrap();
    assert_eq!(moved.with_timezone(&tz).format("%H:%M").to_string(), "15:30");
    let tomorrow = (Utc::now().with_timezone(&tz).date_naive() + Duration::days(1)).to_string();
    assert_eq!(moved.with_timezone(&tz).date_naive().to_string(), tomorrow);
}

#[tokio::test]
async fn issuing_an_order_schedules_the_follow_up_and_today_shows_the_day() {
    let app = TestApp::spawn().await;
    app.text("/new_client Ганна Левчук, 0951234567").await;
    let order = app.text("/new_order 0951234567, Устілки дитячі, 1200").await;
    let prod = app.press(&button(&order, "У виробництві")).await;
    let ready = app.press(&button(&prod, "Готове")).await;

    let today = reply_text(&app.text("/today").await);
    assert!(today.contains("Готові до видачі (1)") && today.contains("Ганна Левчук"), "{today}");

    app.press(&button(&ready, "Видане")).await;
    let tasks = app.core.store().open_tasks(5).await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].kind, "follow_up");
    let tz = app.core.config().tz;
    let due = tasks[0].due_at.unwrap().with_timezone(&tz);
    assert_eq!(due.date_naive(), Utc::now().with_timezone(&tz).date_naive() + Duration::days(14));
    assert_eq!(due.format("%H:%M").to_string(), "10:00");
    assert!(reply_text(&app.text("/today").await).contains("Усе зроблено"), "not due today");

    worker(&app).tick(Utc::now() + Duration::days(15)).await.unwrap();
    let sent = wait_reminders(&app, "Запитати, як устілки: Устілки дитячі", 1).await;
    assert!(sent[0].text().contains("👤 Ганна Левчук"));

    // A task due later today is in /today under tasks.
    let due = Some(later_today());
    app.core
        .store()
        .create_task(None, "Забрати матеріали", due, insoles_crm::work::spec::task_jobs(due))
        .await
        .unwrap();
    let today = reply_text(&app.text("/today").await);
    assert!(today.contains("Завдання (1)") && today.contains("Забрати матеріали"), "{today}");
}

#[tokio::test]
async fn transient_errors_retry_and_permanent_ones_fail() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let later = Utc::now() + Duration::hours(1);
    let msg = |text: &str| JobSpec::SendTelegram { chat_id: OWNER, text: text.into(), buttons: vec![] };
    store.enqueue(&msg("retry me").job(later, "t:retry")).await.unwrap();
    store.enqueue(&msg("never").job(later, "t:fail")).await.unwrap();
    // Scheduling the same key again is a no-op.
    assert!(!store.enqueue(&msg("retry me").job(later, "t:retry")).await.unwrap());

    app.fake.fail_next(
        "sendMessage",
        1,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}}),
    );
    app.fake.fail_next(
        "sendMessage",
        1,
        json!({"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}),
    );
    let report = worker(&app).tick(later + Duration::minutes(1)).await.unwrap();
    // (A catch-up housekeeping job may be claimed by the same tick.)
    assert!(report.claimed >= 2 && report.retried == 1 && report.failed == 1, "{report:?}");

    // The retried one goes out once its delay passes (the app's own worker sends it).
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let states =
            (store.job_by_key("t:retry").await.unwrap().unwrap(), store.job_by_key("t:fail").await.unwrap().unwrap());
        if states.0 .0 == "done" {
            assert!(states.0 .1.unwrap().contains("message_id"));
            assert_eq!(states.1 .0, "failed");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "retry never completed: {states:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.fake.calls_to("sendMessage").iter().filter(|c| c.text() == "retry me").count(), 1);
    let metrics = reqwest::get(format!("http://{}/metrics", app.http)).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("insoles_jobs_failed 1"), "{metrics}");
}
