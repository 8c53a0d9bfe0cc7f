//! One bad input never takes the process down: a spreadsheet bomb, a panicking update, a broken
//! line in the terminal; one server per database file; private database files.

use crate::helpers::*;
use insoles_crm::channels::console;
use insoles_crm::channels::telegram;
use insoles_crm::fake_telegram::{updates, FakeBotApi};
use insoles_crm::App;
use std::sync::Arc;

/// 2 KB on the wire, a table of 1,048,576 × 16,384 cells once calamine builds its range.
fn xlsx_bomb() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "ПІБ").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_spreadsheet_bomb_is_refused_and_the_app_stays_up() {
    let app = TestApp::spawn().await;
    let bomb = xlsx_bomb();
    assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
    app.fake.add_file("bomb", bomb);
    let reply = app.update(updates::document(app.next_update_id(), OWNER, "bomb", "клієнти.xlsx", 6000)).await;
    let text = reply_text(&reply);
    assert!(text.contains("Таблиця завелика для імпорту"), "{text}");
    let health = reqwest::get(format!("http://{}/healthz", app.http)).await.unwrap();
    assert_eq!(health.status(), 200);
    let next = reply_text(&app.text("/orders").await);
    assert!(next.contains("Відкритих замовлень немає"), "{next}");
    assert_eq!(app.core.store().client_count().await.unwrap(), 0);
}

#[test]
fn command_line_import_refuses_the_bomb_without_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.xlsx");
    std::fs::write(&file, xlsx_bomb()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_insoles-crm"))
        .args(["import", "clients", file.to_str().unwrap()])
        .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("crm.db").display()))
        .env("CONFIG_DIR", dir.path())
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a clean refusal, not a signal: {err}");
    assert!(err.contains("bomb.xlsx: The table is too big to import"), "{err}");
}

#[tokio::test]
async fn a_panicking_update_is_confirmed_skipped_and_the_chat_goes_on() {
    let fake = FakeBotApi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(&fake, &format!("sqlite://{}", dir.path().join("crm.db").display()), false);
    let bot = telegram::make_bot(&settings).unwrap().unwrap();
    let core = App::build(settings).await.unwrap().core();
    // The handler panics on update 7, as a bug deep in the core would.
    let handler: telegram::Handler = Arc::new(|bot, core, update, answer| {
        Box::pin(async move {
            if update.id.0 == 7 {
                panic!("a bug while handling update 7");
            }
            telegram::handle_update(&bot, &core, update, answer).await
        })
    });
    let (router, workers) = telegram::spawn_workers_with(bot.clone(), core, handler);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let poller = tokio::spawn(telegram::start_polling(bot, router, stop_rx));

    fake.push_update(updates::text(7, OWNER, "uk", "/orders"));
    let calls = fake
        .wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("Не вдалося обробити це повідомлення")))
        .await
        .expect("the owner is told politely");
    assert!(calls.iter().all(|c| !c.text().contains("Відкритих замовлень")), "update 7 was not handled");
    // The same chat (same worker) goes on with the next update.
    fake.push_update(updates::text(8, OWNER, "uk", "/orders"));
    fake.wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("Відкритих замовлень немає")))
        .await
        .expect("the next update is handled");
    // Both were confirmed: a later getUpdates asks from past them, so neither comes back.
    wait_until("getUpdates asks for offset 9", || {
        let offsets = fake.update_offsets();
        async move { offsets.iter().any(|o| *o >= 9) }
    })
    .await;
    let _ = stop_tx.send(true);
    poller.await.unwrap().unwrap();
    workers.finish().await;
}

#[tokio::test]
async fn a_broken_line_in_the_console_is_reported_and_the_chat_goes_on() {
    let app = TestApp::spawn().await;
    let mut script = b"\xff\xfe\n".to_vec();
    // "Ол" and half of the next letter: a paste cut mid-character.
    script.extend_from_slice("/new_client Ол".as_bytes());
    script.extend_from_slice(&[0xD0, b'\n']);
    script.extend_from_slice("/new_client Богдан Ткачук, 0671234567\n".as_bytes());
    let mut out = Vec::new();
    console::run(app.core.clone(), tokio::io::BufReader::new(&script[..]), &mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("Рядок не прочитано").count(), 2, "{out}");
    assert!(out.contains("Клієнта додано"), "{out}");
    assert_eq!(app.core.store().client_count().await.unwrap(), 1);
}

#[tokio::test]
async fn a_second_server_on_the_same_database_refuses_to_start() {
    let first = TestApp::spawn().await;
    let db_url = format!("sqlite://{}", first.dir.path().join("crm.db").display());
    let fake = FakeBotApi::start().await.unwrap();
    let err = match App::build(settings(&fake, &db_url, false)).await {
        Ok(_) => panic!("a second server started on the same database"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("another insoles-crm process is already running"), "{err}");
    // The console beside the running server is fine (and reclaims nothing).
    let console = App::console_core(&settings(&fake, &db_url, false)).await.unwrap();
    assert_eq!(console.store().client_count().await.unwrap(), 0);
    // Once the first stops, a server starts again on the same file (the lock file stays behind).
    let dir = first.stop().await;
    assert!(dir.path().join("crm.db.lock").exists());
    let again = TestApp::spawn_with(false, Some(dir)).await;
    again.stop().await;
}

#[cfg(unix)]
#[tokio::test]
async fn database_files_and_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("crm.db");
    let store = insoles_crm::store::Store::open(&format!("sqlite://{}", db.display())).await.unwrap();
    store.enqueue(&insoles_crm::work::JobSpec::Housekeeping.job(chrono::Utc::now(), "perm")).await.unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "data folder");
    assert_eq!(mode(&db), 0o600, "database file");
    for side in ["crm.db-wal", "crm.db-shm"] {
        let p = data.join(side);
        assert!(p.exists(), "{side} exists while open");
        assert_eq!(mode(&p) & 0o077, 0, "{side} is not readable by others");
    }
    store.close().await;
}

/// Telegram redelivers an update it thinks was lost (a webhook timeout, a re-fetch after a
/// restart): it is handled once. An update the process died on twice (started, never finished)
/// is skipped with a polite notice instead of killing every restart.
#[tokio::test]
async fn redelivered_updates_are_handled_once_and_one_that_killed_the_process_twice_is_skipped() {
    let app = TestApp::spawn_webhook().await;
    let id = app.next_update_id();
    let update = updates::text(id, OWNER, "uk", "/task Подзвонити постачальнику EVA");
    app.update(update.clone()).await;
    app.deliver(update).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let tasks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE body LIKE '%постачальнику EVA%'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert_eq!(tasks, 1, "the redelivery is not handled again");

    // What two crashed starts leave in the ledger: started twice, never finished.
    let poisoned = app.next_update_id();
    sqlx::query("INSERT INTO telegram_updates (update_id, attempts, done, seen_at) VALUES (?, 2, 0, ?)")
        .bind(poisoned)
        .bind(chrono::Utc::now())
        .execute(app.core.store().pool())
        .await
        .unwrap();
    let before = app.core.store().client_count().await.unwrap();
    let skipped = app.update(updates::text(poisoned, OWNER, "uk", "/new_client Ганна Отруйна, 0661112244")).await;
    assert!(reply_text(&skipped).contains("Не вдалося обробити"), "{}", reply_text(&skipped));
    assert_eq!(app.core.store().client_count().await.unwrap(), before, "the poisoned update is not handled");
    let next = app.text("/new_client Ганна Інша, 0661112255").await;
    assert!(reply_text(&next).contains("Клієнта додано"), "the chat goes on");
}
