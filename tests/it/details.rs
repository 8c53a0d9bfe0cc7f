//! Issue 12, the details: one phone parser for chat and import, a bad optional field dropped with
//! a warning, an export with names and its bookings and tasks sheets, counts and names through
//! Fluent, demo data with a history, the first-run welcome, `/import` in the console, merging two
//! cards and forgetting a client (nothing of her name or phone left in any table).

use crate::helpers::*;
use calamine::Reader;
use insoles_crm::channels::console;
use insoles_crm::fake_telegram::updates;
use insoles_crm::i18n::{I18n, Lang};
use insoles_crm::store::bookings::NewBooking;

async fn console_says(app: &TestApp, script: &str) -> String {
    let mut out = Vec::new();
    console::run(app.core.clone(), tokio::io::BufReader::new(script.as_bytes()), &mut out).await.unwrap();
    String::from_utf8(out).unwrap()
}

fn diagnostics() -> insoles_crm::domain::schedule::Service {
    insoles_crm::domain::schedule::Service {
        code: "diagnostics".into(),
        duration: chrono::Duration::minutes(40),
        buffer: chrono::Duration::minutes(10),
    }
}

async fn book(app: &TestApp, client: i64, days: i64, chat: Option<i64>) -> i64 {
    let start = chrono::Utc::now() + chrono::Duration::days(days);
    let mut b = NewBooking::of(client, &diagnostics(), start, "telegram");
    b.chat_id = chat;
    app.core.store().create_booking(&b, |_| vec![]).await.unwrap().expect("a free slot")
}

#[tokio::test]
async fn the_chat_accepts_a_phone_whose_leading_zero_is_missing() {
    let app = TestApp::spawn().await;
    let card = reply_text(&app.text("/new_client Ірина Коваль, 671234567").await);
    assert!(card.contains("Клієнта додано") && card.contains("+380 67 123 45 67"), "{card}");
    // The same number in the usual form is the same client, not a second card.
    let again = reply_text(&app.text("/new_client Ірина Коваль, 067 123 45 67").await);
    assert!(again.contains("уже є"), "{again}");
    assert_eq!(app.core.store().client_count().await.unwrap(), 1);
}

#[tokio::test]
async fn an_impossible_birth_date_drops_the_date_with_a_warning_not_the_row() {
    let app = TestApp::spawn().await;
    let csv = "ПІБ;Телефон;Дата народження;E-mail\nЛюдмила Савчук;671112233;31.02.1990;not-an-address\n";
    let id = format!("f{}", app.next_update_id());
    app.fake.add_file(&id, csv.as_bytes().to_vec());
    let preview = app.update(updates::document(app.next_update_id(), OWNER, &id, "list.csv", csv.len() as u64)).await;
    let text = reply_text(&preview);
    assert!(text.contains("Готові до імпорту: 1"), "{text}");
    assert!(text.contains("Поля, яких не вдалося прочитати (2)"), "{text}");
    assert!(text.contains("рядок 2: дата «31.02.1990» неможлива"), "{text}");
    assert!(text.contains("рядок 2: e-mail «not-an-address»"), "{text}");
    app.press(&button(&preview, "Імпортувати 1")).await;
    let card = reply_text(&app.text("/client Савчук").await);
    assert!(card.contains("Людмила Савчук") && card.contains("+380 67 111 22 33"), "{card}");
    assert!(!card.contains("🎂"), "no birth date was invented: {card}");
}

#[tokio::test]
async fn export_writes_names_not_codes_with_bookings_and_tasks_sheets() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let id = client_with_phone(store, "Оксана Гнатюк", "0671234500").await;
    app.press(&format!("tc:{id}:flat")).await;
    app.press(&format!("tc:{id}:spur")).await;
    insert_order(store, id, "Устілки спортивні", "issued").await;
    book(&app, id, 3, None).await;
    app.text("/task Замовити заготовки завтра 10:00").await;
    app.text("/export").await;
    let doc =
        app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.method.eq_ignore_ascii_case("sendDocument"))).await.unwrap();
    let doc = doc.iter().find(|c| c.method.eq_ignore_ascii_case("sendDocument")).unwrap();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(doc.files[0].2.clone())).unwrap();
    assert_eq!(book.sheet_names(), vec!["Клієнти", "Замовлення", "Історія", "Записи", "Завдання"]);
    let cell = |book: &mut calamine::Sheets<_>, sheet: &str, r: u32, c: u32| {
        book.worksheet_range(sheet).unwrap().get((r as usize, c as usize)).map(|v| v.to_string()).unwrap_or_default()
    };
    assert_eq!(cell(&mut book, "Клієнти", 1, 6), "Плоскостопість, П'яткова шпора");
    assert_eq!(cell(&mut book, "Замовлення", 1, 6), "Видане");
    assert_eq!(cell(&mut book, "Записи", 0, 3), "Послуга");
    assert_eq!(cell(&mut book, "Записи", 1, 2), "Оксана Гнатюк");
    assert_eq!(cell(&mut book, "Записи", 1, 3), "Діагностика стопи");
    assert_eq!(cell(&mut book, "Записи", 1, 5), "Заплановано");
    assert_eq!(cell(&mut book, "Записи", 1, 6), "Telegram");
    assert_eq!(cell(&mut book, "Завдання", 1, 3), "Замовити заготовки");
    assert_eq!(cell(&mut book, "Завдання", 1, 6), "Завдання");
    let timeline = book.worksheet_range("Історія").unwrap();
    for row in timeline.rows().skip(1) {
        for code in ["telegram", "console", "internal", "note", "out"] {
            assert!(row.iter().all(|c| *c != code), "a code `{code}` in the timeline: {row:?}");
        }
    }
}

#[test]
fn counts_and_names_read_correctly() {
    let i18n = I18n::load().unwrap();
    let uk = |key: &str, args: &[(&str, insoles_crm::i18n::Arg)]| i18n.format(Lang::Uk, key, args);
    for (n, words) in [
        (1, "знайдено 1 клієнта"),
        (3, "знайдено 3 клієнти"),
        (5, "знайдено 5 клієнтів"),
        (44, "знайдено 44 клієнти"),
        (21, "знайдено 21 клієнта"),
    ] {
        let t = uk("search-many", &[("count", (n as i64).into()), ("query", "Ол".into())]);
        assert!(t.contains(words), "{n}: {t}");
    }
    assert!(uk("export-done", &[("count", 44i64.into())]).contains("44 клієнти"));
    assert!(uk("export-done", &[("count", 1i64.into())]).contains("1 клієнт,"));
    assert!(uk("err-too-long", &[("len", 2001i64.into()), ("max", 2000i64.into())]).contains("2001 символ,"));
    assert!(uk("ig-sent", &[("count", 5i64.into())]).contains("5 повідомлень"));
    assert!(i18n.format(Lang::En, "export-done", &[("count", 1i64.into())]).contains("1 client,"));
    // A name is never glued where Ukrainian needs another case ("для Людмила Савчук").
    let name = [("name", "Людмила Савчук".into()), ("client", "Людмила Савчук".into()), ("when", "пт 10:00".into())];
    for key in [
        "ask-client-phone",
        "err-phone-belongs",
        "ig-ask-reply",
        "conv-ask-edit",
        "conv-chat-paused",
        "ask-cancel-reason",
        "task-rebook",
    ] {
        let t = uk(key, &name);
        for glue in ["для Людмила", "клієнту Людмила", "відповідає Людмила", "запис Людмила", "Перезаписати Людмила"]
        {
            assert!(!t.contains(glue), "{key}: {t}");
        }
    }
}

#[tokio::test]
async fn demo_data_has_visits_tasks_and_months_of_history_with_status_names() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let summary = insoles_crm::demo::fill(store, chrono_tz::Europe::Kyiv).await.unwrap();
    assert!(summary.contains("visits") && summary.contains("tasks"), "{summary}");
    let (past, coming): (i64, i64) = sqlx::query_as(
        "SELECT SUM(starts_at < datetime('now')), SUM(starts_at >= datetime('now') AND status = 'booked') FROM bookings",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(past >= 5 && coming >= 3, "past {past}, coming {coming}");
    let oldest: String =
        sqlx::query_scalar("SELECT MIN(created_at) FROM clients").fetch_one(store.pool()).await.unwrap();
    let oldest = chrono::DateTime::parse_from_rfc3339(&oldest).unwrap();
    assert!(chrono::Utc::now().signed_duration_since(oldest).num_days() > 90, "history over months: {oldest}");
    let open_tasks: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE done_at IS NULL").fetch_one(store.pool()).await.unwrap();
    assert!(open_tasks >= 3);
    let codes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM interactions WHERE body LIKE '%: prod' OR body LIKE '%: issued' OR body LIKE '%: ready'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let names: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM interactions WHERE body LIKE '%Видане%' OR body LIKE '%У виробництві%'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(codes == 0 && names > 0, "status codes {codes}, names {names}");
    assert!(!reply_text(&app.text("/week").await).contains("Записів немає"));
}

#[tokio::test]
async fn first_run_welcome_in_telegram_and_console_then_help() {
    let app = TestApp::spawn().await;
    let start = reply_text(&app.text("/start").await);
    for expected in ["База поки порожня", "demo-data", "/new_client", "/hours", "/book"] {
        assert!(start.contains(expected), "missing `{expected}`: {start}");
    }
    let out = console_says(&app, "/import\n").await;
    assert!(out.contains("База поки порожня") && out.contains("TELEGRAM_BOT_TOKEN"), "{out}");
    assert!(out.contains("insoles-crm import clients"), "/import explains the command: {out}");
    assert!(!out.contains("надішліть сюди файл"), "{out}");

    app.text("/new_client Ольга Коваль, 0671234567").await;
    let start = reply_text(&app.text("/start").await);
    assert!(!start.contains("База поки порожня") && start.contains("/new_client"), "{start}");
    assert!(!console_says(&app, "").await.contains("База поки порожня"));
}

#[tokio::test]
async fn merging_two_cards_moves_everything_to_the_kept_one() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let keep = client_with_phone(store, "Ганна Ткачук", "0671110001").await;
    let other = client_with_phone(store, "Ганна Ткачук (Instagram)", "0501110002").await;
    store
        .set_client_field(
            other,
            insoles_crm::store::clients::TextField::Email,
            insoles_crm::store::clients::FieldValue::Text(Some("hanna@example.com".into())),
        )
        .await
        .unwrap();
    insert_order(store, other, "Устілки дитячі", "new").await;
    app.text("/task Подзвонити Ганні завтра 10:00").await;
    sqlx::query("UPDATE tasks SET client_id = ?").bind(other).execute(store.pool()).await.unwrap();
    store.tag_client(other, "instagram").await.unwrap();
    let visit = book(&app, other, 2, None).await;

    let card = app.text("/client 0671110001").await;
    let ask = app.press(&button(&card, "Об'єднати")).await;
    assert!(reply_text(&ask).contains("з якою карткою"), "{}", reply_text(&ask));
    let found = app.text("Instagram").await;
    let confirm = app.press(&button(&found, "Ганна Ткачук (Instagram)")).await;
    let text = reply_text(&confirm);
    assert!(
        text.contains("Залишиться: 👤 Ганна Ткачук ·") && text.contains("Зникне: 👤 Ганна Ткачук (Instagram)"),
        "{text}"
    );
    let done = app.press(&button(&confirm, "✅ Об'єднати")).await;
    let text = reply_text(&done);
    assert!(
        text.contains("Картки об'єднано") && text.contains("Устілки дитячі") && text.contains("#instagram"),
        "{text}"
    );
    assert!(text.contains("hanna@example.com") && text.contains("Подзвонити Ганні"), "{text}");
    assert!(store.client(other).await.is_err(), "the other card is gone");
    assert_eq!(store.booking(visit).await.unwrap().client_id, keep);
    assert_eq!(store.client_count().await.unwrap(), 1);
    // Its other phone is kept on the card, not lost.
    assert!(text.contains("+380501110002"), "{text}");
}

/// Every value of every row of every table, as text.
async fn whole_database(store: &insoles_crm::store::Store) -> String {
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let mut all = String::new();
    for t in tables {
        let cols: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .fetch_all(store.pool())
            .await
            .unwrap();
        if cols.is_empty() {
            continue;
        }
        let expr =
            cols.iter().map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')")).collect::<Vec<_>>().join(" || '|' || ");
        // As bytes: the search index's segments are binary.
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(&format!("SELECT CAST(({expr}) AS BLOB) FROM \"{t}\""))
            .fetch_all(store.pool())
            .await
            .unwrap();
        for r in rows {
            all.push_str(&format!("\n[{t}] {}", String::from_utf8_lossy(&r)));
        }
    }
    all
}

#[tokio::test]
async fn a_forgotten_client_leaves_her_name_and_phone_nowhere_and_her_orders_anonymous() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let id = client_with_phone(store, "Людмила Савчук", "0671112233").await;
    let kept = client_with_phone(store, "Ольга Коваль", "0501234567").await;
    app.text("/client 0671112233").await;
    app.press(&format!("n:{id}")).await;
    app.text("болить пʼята, телефон 0671112233").await;
    insert_order(store, id, "Устілки каркасні", "ready").await;
    book(&app, id, 2, Some(424242)).await;
    store.link_telegram(id, 424242).await.unwrap();
    app.text("/task Подзвонити Людмилі завтра 10:00").await;
    sqlx::query("UPDATE tasks SET client_id = ?").bind(id).execute(store.pool()).await.unwrap();
    // A notice and an SMS about her in the outbox.
    let sms = insoles_crm::work::JobSpec::SendSms { phone: "+380671112233".into(), text: "Нагадуємо".into() };
    store.enqueue(&sms.job(chrono::Utc::now() + chrono::Duration::days(1), "test:sms")).await.unwrap();
    let before = whole_database(store).await;
    assert!(before.contains("Людмила Савчук") && before.contains("+380671112233"), "the probe sees her before");

    let card = app.text("/client Савчук").await;
    let confirm = app.press(&button(&card, "Видалити")).await;
    let text = reply_text(&confirm);
    assert!(
        text.contains("Видалити картку «Людмила Савчук» назавжди?")
            && text.contains("1 майбутній запис буде скасовано"),
        "{text}"
    );
    assert!(text.contains("1 замовлення залишиться для обліку"), "{text}");
    assert!(store.client(id).await.unwrap().phone.is_some(), "the first tap deletes nothing");
    let done = app.press(&button(&confirm, "Так, видалити")).await;
    assert!(reply_text(&done).contains("Картку видалено"), "{}", reply_text(&done));

    let after = whole_database(store).await;
    for needle in
        ["Людмила", "Савчук", "Людмил", "+380671112233", "380671112233", "0671112233", "+380 67 111 22 33", "424242"]
    {
        assert!(!after.contains(needle), "`{needle}` is still in the database:\n{after}");
    }
    let (name, phone): (String, Option<String>) =
        sqlx::query_as("SELECT c.full_name, c.phone FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.product = 'Устілки каркасні'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!((name.as_str(), phone), (format!("видалена клієнтка #{id}").as_str(), None));
    assert_eq!(store.client_count().await.unwrap(), 1, "the anonymous card is not a client");
    assert!(reply_text(&app.text("/client видалена").await).contains("нікого не знайдено"));
    assert!(store.client(kept).await.unwrap().phone.is_some(), "nobody else was touched");
    // The buttons of the old card are answered, not obeyed twice.
    let again = app.press(&format!("fd:{id}")).await;
    assert!(!reply_text(&again).contains("Картку видалено"));
}
