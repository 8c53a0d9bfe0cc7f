//! Nobody but the owner sees a byte of client data; the webhook accepts only Telegram.

use crate::helpers::*;
use insoles_crm::fake_telegram::updates;
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::test]
async fn a_stranger_never_gets_client_data() {
    let app = TestApp::spawn().await;
    let created = app.text("/new_client Марія Мельник, 0671112233, діабет").await;
    let card_button = button(&created, "Редагувати");

    for probe in ["/client Марія", "/orders", "Марія", "0671112233", "/new_client Хакер, 0670000000", "/start"]
    {
        let calls = app.text_from(STRANGER, "uk", probe).await;
        for call in &calls {
            let body = call.body.to_string();
            assert!(!body.contains("Мельник") && !body.contains("112233") && !body.contains("c:"), "{probe}: {body}");
            // Every call to a chat goes to hers (the command menu, registered at start-up on a
            // slow machine while the probes run, has no chat).
            if let Some(chat) = call.body.get("chat_id") {
                assert_eq!(*chat, STRANGER, "answers go only to the stranger: {body}");
            }
        }
        assert!(reply_text(&calls).contains("Дякуємо") || reply_text(&calls).contains("Вітаємо"), "{probe}");
    }
    // A forged button press reveals nothing either.
    let pressed = app.press_from(STRANGER, &card_button, 77).await;
    assert_eq!(method_count(&pressed, "editMessageText") + method_count(&pressed, "sendMessage"), 0);
    assert!(pressed[0].body["text"].as_str().unwrap_or("").contains("недоступна"));
    // And the stranger created nothing but her own lead (a card for her conversation).
    assert_eq!(app.core.store().client_count().await.unwrap(), 2);
    let lead = app.core.store().lead_by_telegram(STRANGER).await.unwrap().expect("her lead");
    let lead = app.core.store().client(lead).await.unwrap();
    assert!(lead.phone.is_none() && !lead.full_name.contains("Хакер"), "{lead:?}");
}

#[tokio::test]
async fn group_chats_are_ignored() {
    let app = TestApp::spawn().await;
    app.fake.push_update(updates::group_text(app.next_update_id(), OWNER, "/orders"));
    app.text("/help").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.fake.calls().iter().all(|c| c.body.get("chat_id").is_none_or(|id| id != -100_123)));
}

#[tokio::test]
async fn webhook_rejects_forged_requests_and_serves_real_ones() {
    let app = TestApp::spawn_webhook().await;
    let set = app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.method.eq_ignore_ascii_case("setWebhook"))).await.unwrap();
    let call = set.iter().find(|c| c.method.eq_ignore_ascii_case("setWebhook")).unwrap();
    assert_eq!(call.body["url"], "https://crm.example.test/webhooks/telegram");
    assert_eq!(call.body["secret_token"], WEBHOOK_SECRET);

    let client = reqwest::Client::new();
    let url = format!("http://{}/webhooks/telegram", app.http);
    let update = updates::text(1, OWNER, "uk", "/new_client Забута Особа, 0670001122");
    for secret in [None, Some("wrong"), Some("test_secret-12"), Some("test_secret-1234")] {
        let mut req = client.post(&url).json(&update);
        if let Some(s) = secret {
            req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        assert_eq!(req.send().await.unwrap().status(), 401, "{secret:?}");
    }
    let garbage = client
        .post(&url)
        .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    assert_eq!(app.core.store().client_count().await.unwrap(), 0, "forged updates changed nothing");

    let calls = app.text("/new_client Справжня Клієнтка, 0670001122").await;
    assert!(reply_text(&calls).contains("Клієнта додано"));
}

/// A Telegram user linked to a client card (not the owner).
const CLIENT_PROBER: i64 = 777_666;

/// Every table, every row, as text (`quote()` of each column), in a stable order.
async fn dump(store: &insoles_crm::store::Store) -> BTreeMap<String, Vec<String>> {
    let pool = store.pool();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .fetch_all(pool)
            .await
            .unwrap();
        let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || '|' || ");
        let mut rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\"")).fetch_all(pool).await.unwrap();
        rows.sort();
        out.insert(table, rows);
    }
    out
}

/// What a probe may change: the prober's own visitor state (her language, her guided flow, her
/// deep-link ref), i.e. the rows of `user_prefs`, `dialogs` and `visitor_refs` whose actor is
/// `telegram:<prober>`; `dialogs.updated_at`-style churn of those rows included; and the
/// transport's ledger of handled update ids (`telegram_updates`, no content). Nothing else.
fn without_own_visitor_state(mut d: BTreeMap<String, Vec<String>>, prober: i64) -> BTreeMap<String, Vec<String>> {
    d.remove("telegram_updates");
    let own = format!("'telegram:{prober}'|");
    for table in ["user_prefs", "dialogs", "visitor_refs"] {
        if let Some(rows) = d.get_mut(table) {
            rows.retain(|r| !r.starts_with(&own));
        }
    }
    d
}

fn changed(before: &BTreeMap<String, Vec<String>>, after: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut out = vec![];
    for (table, rows) in after {
        let old = before.get(table).cloned().unwrap_or_default();
        for r in rows.iter().filter(|r| !old.contains(r)) {
            out.push(format!("{table} + {r}"));
        }
        for r in old.iter().filter(|r| !rows.contains(r)) {
            out.push(format!("{table} - {r}"));
        }
    }
    out
}

/// Every button the codec knows (its own list, with the ids of every seeded record) and every
/// owner command, sent by a stranger and by a client: no reply carries another client's data
/// and the database does not change beyond the prober's own visitor state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_owner_button_and_command_from_a_stranger_or_a_client_reveals_and_changes_nothing() {
    use insoles_crm::core::callback::Cb;
    use insoles_crm::core::commands::OWNER as OWNER_COMMANDS;
    let app = TestApp::spawn().await;
    let store = app.core.store().clone();
    // The owner's data: two clients, an order, a task, a tag, a booking, a draft, a pending import.
    app.text("/new_client Марія Мельник, 0671112233, болить пʼята зранку").await;
    app.text("/new_client Оксана Ткачук, 0509998877").await;
    app.text("/new_order 0671112233, Устілки Таємнича Модель, 1800, 500").await;
    app.text("/task Передзвонити щодо шпори завтра 10:00").await;
    let maria =
        store.client_by_phone(&insoles_crm::domain::Phone::parse("0671112233").unwrap()).await.unwrap().unwrap();
    store.tag_client(maria.id, "потайнийтег").await.unwrap();
    store.create_draft(maria.id, "telegram", "Чи можна з діабетом?", "Відповідь-чернетка для Марії").await.unwrap();
    let svc = app.core.config().booking.services[0].clone();
    let slots = insoles_crm::core::booking::free(
        &app.core,
        &svc,
        insoles_crm::core::booking::today(&app.core) + chrono::Duration::days(3),
        insoles_crm::core::booking::today(&app.core) + chrono::Duration::days(20),
    )
    .await
    .unwrap();
    let new = insoles_crm::store::bookings::NewBooking::of(maria.id, &svc, slots[0], "test");
    let booking = store.create_booking(&new, |_| vec![]).await.unwrap().unwrap();
    let csv = "ПІБ;Телефон\nІмпортована Клієнтка;0661239876\n".as_bytes().to_vec();
    app.fake.add_file("probe-import", csv.clone());
    let preview =
        app.update(updates::document(app.next_update_id(), OWNER, "probe-import", "list.csv", csv.len() as u64)).await;
    assert!(preview.iter().flat_map(|c| c.buttons()).any(|(_, d)| d.starts_with("ic:")), "an import waits");
    // The client prober's own card.
    let hanna = client_with_phone(&store, "Ганна Лінчук", "0931234567").await;
    store.link_telegram(hanna, CLIENT_PROBER).await.unwrap();
    let max_id: i64 = sqlx::query_scalar(
        "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM clients UNION ALL SELECT MAX(id) FROM orders \
         UNION ALL SELECT MAX(id) FROM tasks UNION ALL SELECT MAX(id) FROM tags UNION ALL SELECT MAX(id) FROM bookings \
         UNION ALL SELECT MAX(id) FROM drafts UNION ALL SELECT MAX(id) FROM imports)",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();

    // Every variant with every seeded id, and the moves of Maria's booking to a real free time.
    let mut buttons: Vec<String> = vec![];
    for id in 1..=max_id {
        buttons.extend(Cb::samples(id, 1).iter().map(Cb::encode));
    }
    let day = slots[1].with_timezone(&app.core.config().tz).date_naive();
    use insoles_crm::core::booking::{callback::BookingCb, date_code, minutes};
    buttons.push(BookingCb::MoveDay(booking, date_code(day)).encode());
    buttons.push(BookingCb::MoveTime(booking, minutes(slots[1])).encode());
    // Every name and alias of the owner's command table.
    let commands: Vec<String> = OWNER_COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .flat_map(|name| {
            let args = match name {
                "new_client" => "Хакер Хакерович, 0670000000",
                "new_order" => "Марія, Устілки, 100",
                "task" => "Зламати завтра 10:00",
                "hours" => "пн 10-11",
                "dayoff" => "31.12",
                "vacation" => "01.08-14.08",
                "assistant" => "off",
                "reminders" => "sms",
                "lang" => "en",
                _ => "Марія",
            };
            [format!("/{name}"), format!("/{name} {args}")]
        })
        .collect();

    // Data of the owner's clients; the stranger must not see Hanna's either.
    let others = ["Мельник", "112233", "111 22 33", "Таємнича", "шпори", "потайнийтег", "Ткачук", "998877", "99 88 77"];
    let others = others
        .iter()
        .chain(["Відповідь-чернетка", "Імпортована", "1239876", "123 98 76", "Замовлення #", "Order #"].iter());
    let hanna_data = ["Лінчук", "0931234567", "93 123 45 67"];
    for (prober, own) in [(STRANGER, false), (CLIENT_PROBER, true)] {
        app.text_from(prober, "uk", "/start").await;
        let secrets: Vec<&str> =
            others.clone().copied().chain(if own { vec![] } else { hanna_data.to_vec() }).collect();
        // The scheduler's first round (its catch-up, then the first heartbeat; it starts
        // `CATCH_UP_AFTER` after the server) has run, and the worker finishes what it and the
        // seeding queued (owner notices, the missed housekeeping) before the first dump, so
        // only the probe can change the database between the two.
        wait_until("the scheduler's first round ran", || async {
            let beats: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM heartbeats").fetch_one(store.pool()).await.unwrap();
            beats > 0
        })
        .await;
        wait_until("the worker is idle", || async {
            let busy: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM jobs WHERE state = 'running' OR (state = 'pending' AND due_at <= ?)",
            )
            .bind(chrono::Utc::now() + chrono::Duration::seconds(5))
            .fetch_one(store.pool())
            .await
            .unwrap();
            busy == 0
        })
        .await;
        let before = without_own_visitor_state(dump(&store).await, prober);
        let first_call = app.fake.calls().len();
        for data in &buttons {
            app.press_from(prober, data, 5000).await;
        }
        for text in &commands {
            app.text_from(prober, "uk", text).await;
        }
        let after = without_own_visitor_state(dump(&store).await, prober);
        let diff = changed(&before, &after);
        assert!(diff.is_empty(), "prober {prober} changed the database:\n{}", diff.join("\n"));
        let calls = app.fake.calls();
        for call in &calls[first_call..] {
            // The id of the prober's own button press is echoed back: not data (its digits come
            // from the test's update counter and can spell a secret by chance).
            let mut shown = call.body.clone();
            if let Some(o) = shown.as_object_mut() {
                o.remove("callback_query_id");
            }
            let body = shown.to_string();
            let to = call.body.get("chat_id").and_then(serde_json::Value::as_i64);
            assert!(to.is_none() || to == Some(prober), "prober {prober}: a message went to chat {to:?}: {body}");
            for secret in &secrets {
                assert!(!body.contains(secret), "prober {prober} saw {secret:?}: {body}");
            }
        }
        eprintln!(
            "prober {prober}: {} buttons, {} commands, {} calls",
            buttons.len(),
            commands.len(),
            calls.len() - first_call
        );
    }
}
