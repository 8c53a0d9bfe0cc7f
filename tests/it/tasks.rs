//! The owner's tasks: every list names the client (name, phone, her card), done has an undo,
//! a task moves by an hour, to tomorrow or to a typed time, and a due time is understood
//! exactly or refused (never saved without one, never guessed).

use crate::helpers::*;
use chrono::{Duration, Utc};

async fn follow_up(app: &TestApp, client: i64, body: &str) -> i64 {
    task_due(app, client, body, Utc::now() + Duration::minutes(30)).await
}

async fn task_due(app: &TestApp, client: i64, body: &str, at: chrono::DateTime<Utc>) -> i64 {
    let due = Some(at);
    app.core.store().create_task(Some(client), body, due, insoles_crm::work::spec::task_jobs(due)).await.unwrap()
}

#[tokio::test]
async fn tasks_and_today_name_the_client_with_her_phone_and_card() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let olha = client_with_phone(store, "Ольга Коваль", "0671234567").await;
    let iryna = client_with_phone(store, "Ірина Савчук", "0501112233").await;
    // Due later today whatever the hour the test runs at (after 23:30 Kyiv "in half an hour" is
    // tomorrow, and /today would rightly not list it).
    task_due(&app, olha, "Подзвонити: як устілки?", later_today()).await;
    task_due(&app, iryna, "Подзвонити: як устілки?", later_today()).await;

    for command in ["/tasks", "/today"] {
        // The list with both (a reminder of an overdue task may come first).
        let list = app
            .text_matching(command, |c| c.text().contains("Ірина Савчук") && c.text().contains("Ольга Коваль"))
            .await;
        let calls = vec![list];
        let text = reply_text(&calls);
        assert!(text.contains("Ольга Коваль, +380671234567"), "{command}: {text}");
        assert!(text.contains("Ірина Савчук, +380501112233"), "{command}: {text}");
        assert_eq!(button(&calls, "👤 Ольга"), format!("c:{olha}"), "{command}: her card is one tap away");
        assert_eq!(button(&calls, "👤 Ірина"), format!("c:{iryna}"));
    }
}

#[tokio::test]
async fn done_in_a_list_shows_the_list_again_with_an_undo_that_reopens_the_task() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let olha = client_with_phone(store, "Ольга Коваль", "0671234567").await;
    let id = follow_up(&app, olha, "Подзвонити: як устілки?").await;

    let list = app.text("/tasks").await;
    let done = app.press(&button(&list, "✔️ Подзвонити")).await;
    assert!(store.task(id).await.unwrap().done_at.is_some());
    let text = reply_text(&done);
    assert!(text.contains("Виконано: Подзвонити: як устілки? (👤 Ольга Коваль)"), "{text}");
    assert!(text.contains("Відкритих завдань немає"), "the list again: {text}");

    let undone = app.press(&button(&done, "↩️ Повернути")).await;
    assert!(reply_text(&undone).contains("знову відкрите"), "{}", reply_text(&undone));
    assert!(store.task(id).await.unwrap().done_at.is_none(), "the undo reopened it");
    assert!(reply_text(&app.text("/tasks").await).contains("Ольга Коваль"));
    // A second undo changes nothing and says so.
    let again = app.press(&format!("tu:{id}")).await;
    assert!(again.iter().any(|c| c.body.to_string().contains("й так відкрите")), "{again:?}");
}

#[tokio::test]
async fn a_task_moves_to_a_typed_time_and_a_bad_time_is_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let tz = app.core.config().tz;
    let olha = client_with_phone(store, "Ольга Коваль", "0671234567").await;
    let id = follow_up(&app, olha, "Подзвонити: як устілки?").await;
    let before = store.task(id).await.unwrap().due_at;

    let list = app.text("/tasks").await;
    let menu = app.press(&button(&list, "⏰ Перенести")).await;
    assert!(reply_text(&menu).contains("Перенести завдання"), "{}", reply_text(&menu));
    let ask = app.press(&button(&menu, "Ввести час")).await;
    assert!(reply_text(&ask).contains("Коли?"), "{}", reply_text(&ask));

    let refused = reply_text(&app.text("31 лютого").await);
    assert!(refused.contains("Такої дати чи часу не буває"), "{refused}");
    assert_eq!(store.task(id).await.unwrap().due_at, before, "a refused time moves nothing");

    let moved = reply_text(&app.text("завтра в обід").await);
    assert!(moved.contains("Перенесено"), "{moved}");
    let due = store.task(id).await.unwrap().due_at.unwrap().with_timezone(&tz);
    assert_eq!(due.date_naive(), Utc::now().with_timezone(&tz).date_naive() + Duration::days(1));
    assert_eq!(due.format("%H:%M").to_string(), "13:00", "`в обід` is the configured lunch hour");
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE ? AND state = 'pending'")
            .bind(format!("task:{id}:%"))
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(pending, 1, "one reminder, at the new time");
}

#[tokio::test]
async fn a_due_phrase_is_saved_exactly_or_refused_and_nothing_is_saved_without_it() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let tz = app.core.config().tz;

    let created = reply_text(&app.text("/task Подзвонити Ользі 14 лютого 11:00").await);
    assert!(created.contains("Завдання: Подзвонити Ользі — 14.02 11:00"), "{created}");

    for (input, refusal) in [
        ("/task Подзвонити Марії завтра 15", "по-різному"),
        ("/task Замовити клей 31 лютого", "Такої дати"),
        ("/task Подзвонити вчора о 10", "уже минув"),
    ] {
        let text = reply_text(&app.text(input).await);
        assert!(text.contains(refusal), "{input}: {text}");
    }
    let tasks = store.open_tasks(10).await.unwrap();
    assert_eq!(tasks.len(), 1, "refused phrases saved nothing: {tasks:?}");
    let due = tasks[0].due_at.unwrap().with_timezone(&tz);
    assert_eq!(due.format("%d.%m %H:%M").to_string(), "14.02 11:00");
}
