//! Plain-language owner questions and commands (issue 17), end to end through the fake Bot API:
//! a read answers with the data; a write is a confirmation card and nothing is written before its
//! tap; a forged, replayed or stale button runs nothing; a bare name still finds the client; a
//! sentence not understood offers the closest commands; with an LLM configured, the model's
//! documented `tool_calls` are mapped to the same actions and the same confirmation path.

use crate::helpers::*;
use serde_json::json;
use std::time::Duration;

fn data_of(calls: &[insoles_crm::fake_telegram::Call], prefix: &str) -> Vec<String> {
    calls
        .iter()
        .flat_map(|c| c.body["reply_markup"]["inline_keyboard"].as_array().cloned().unwrap_or_default())
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["callback_data"].as_str().map(str::to_string))
        .filter(|d| d.starts_with(prefix))
        .collect()
}

fn owner_key() -> String {
    format!("telegram:{OWNER}")
}

#[tokio::test]
async fn a_write_is_a_card_first_and_runs_once_only_on_its_own_tap() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    client_with_phone(store, "Ольга Коваль", "0671234567").await;

    let card = app.text("нагадай подзвонити Ользі Коваль завтра").await;
    let text = reply_text(&card);
    assert!(text.contains("Підтвердіть") && text.contains("подзвонити Ользі Коваль"), "{text}");
    let yes = data_of(&card, "aky:");
    assert_eq!(yes.len(), 1, "one ✅ button: {card:?}");
    assert!(store.open_tasks(10).await.unwrap().is_empty(), "nothing written before the tap");

    // A forged key (any other number) runs nothing and leaves the real card usable.
    let key: i64 = yes[0].trim_start_matches("aky:").parse().unwrap();
    let forged = app.press(&format!("aky:{}", if key == 1 { 2 } else { key - 1 })).await;
    assert!(reply_text(&forged).contains("застаріла"), "{}", reply_text(&forged));
    assert!(store.open_tasks(10).await.unwrap().is_empty(), "a forged button wrote nothing");

    let done = app.press(&yes[0]).await;
    assert!(reply_text(&done).contains("Завдання"), "{}", reply_text(&done));
    let tasks = store.open_tasks(10).await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert!(tasks[0].body.contains("подзвонити Ользі"), "{}", tasks[0].body);

    // The same button again: already used.
    let replay = app.press(&yes[0]).await;
    assert!(reply_text(&replay).contains("застаріла"), "{}", reply_text(&replay));
    assert_eq!(store.open_tasks(10).await.unwrap().len(), 1, "a replayed button wrote nothing more");
}

#[tokio::test]
async fn a_stale_or_rejected_card_writes_nothing_and_other_input_drops_it() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let before = store.client_count().await.unwrap();

    // Stale: the card waited longer than its time to live.
    let card = app.text("додай нову клієнтку Марія Бондар 0671112233").await;
    assert!(reply_text(&card).contains("Марія Бондар"), "{}", reply_text(&card));
    let yes = data_of(&card, "aky:").pop().expect("a ✅ button");
    let mut row: serde_json::Value = serde_json::from_str(&store.dialog(&owner_key()).await.unwrap().unwrap()).unwrap();
    row["at"] = json!(row["at"].as_i64().unwrap() - 31 * 60);
    store.set_dialog(&owner_key(), &row.to_string()).await.unwrap();
    assert!(reply_text(&app.press(&yes).await).contains("застаріла"));
    assert_eq!(store.client_count().await.unwrap(), before, "a stale card wrote nothing");

    // Rejected.
    let card = app.text("додай нову клієнтку Марія Бондар 0671112233").await;
    let no = data_of(&card, "akn:").pop().expect("a ❌ button");
    let yes = data_of(&card, "aky:").pop().unwrap();
    assert!(reply_text(&app.press(&no).await).contains("Скасовано"));
    assert!(reply_text(&app.press(&yes).await).contains("застаріла"), "❌ used the card up");

    // A command typed while a card waits drops it.
    let card = app.text("додай нову клієнтку Марія Бондар 0671112233").await;
    let yes = data_of(&card, "aky:").pop().unwrap();
    app.text("/orders").await;
    assert!(reply_text(&app.press(&yes).await).contains("застаріла"));
    assert_eq!(store.client_count().await.unwrap(), before, "nothing was written by any of the three");

    // And the right tap writes.
    let card = app.text("додай нову клієнтку Марія Бондар 0671112233").await;
    app.press(&data_of(&card, "aky:").pop().unwrap()).await;
    assert_eq!(store.client_count().await.unwrap(), before + 1);
}

#[tokio::test]
async fn reads_answer_with_data_and_a_bare_name_still_finds_the_client() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let olha = client_with_phone(store, "Ольга Коваль", "0671234567").await;
    insert_order(store, olha, "Устілки каркасні", "ready").await;

    let ready = reply_text(&app.text("які замовлення готові до видачі?").await);
    assert!(ready.contains("Готові до видачі: 1") && ready.contains("Ольга Коваль"), "{ready}");
    let money = reply_text(&app.text("скільки заробили цього місяця?").await);
    assert!(money.contains("Фінанси"), "{money}");
    let no_shows = reply_text(&app.text("хто не прийшов цього тижня?").await);
    assert!(no_shows.contains("Не прийшли"), "{no_shows}");
    let card = reply_text(&app.text("покажи Ольгу Коваль").await);
    assert!(card.contains("Ольга Коваль") && card.contains("+380 67 123 45 67"), "{card}");
    // A bare name is a search, as before.
    let card = reply_text(&app.text("Коваль").await);
    assert!(card.contains("Ольга Коваль"), "{card}");
    assert!(store.dialog(&owner_key()).await.unwrap().is_none(), "no read leaves anything pending");
}

#[tokio::test]
async fn a_sentence_not_understood_offers_the_closest_commands() {
    let app = TestApp::spawn().await;
    let calls = app.text("відправ усім смс про знижку на устілки").await;
    assert!(reply_text(&calls).contains("не зрозуміла"), "{}", reply_text(&calls));
    let calls = app.text("хочу подивитися експорт усієї бази у файл").await;
    let near = data_of(&calls, "akc:");
    assert!(!near.is_empty(), "closest commands as buttons: {calls:?}");
    let export = insoles_crm::core::commands::OWNER.iter().position(|c| c.name == "export").unwrap();
    assert!(near.contains(&format!("akc:{export}")), "{near:?}");
    let ran = app.press(&format!("akc:{export}")).await;
    assert!(reply_text(&ran).contains("Вивантаження"), "the command ran: {ran:?}");
}

fn tool_call(name: &str, args: serde_json::Value) -> String {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": "test/model",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
            "tool_calls": [{"id": "call_1", "type": "function",
                "function": {"name": name, "arguments": args.to_string()}}]}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
    })
    .to_string()
}

#[tokio::test]
async fn with_an_llm_its_tool_calls_are_the_actions_and_writes_still_wait_for_the_tap() {
    let fake = crate::llm::fake_llm().await;
    let url = fake.url.clone();
    let app = TestApp::spawn_custom(false, None, |s| {
        s.llm = Some(insoles_crm::assistant::llm::LlmSettings {
            api_url: url,
            api_key: insoles_crm::config::Secret::new("test-key"),
            model: "test/model".into(),
            timeout: Duration::from_millis(3000),
            retries: 0,
            daily_budget: 100,
        });
    })
    .await;
    let store = app.core.store();
    let olha = client_with_phone(store, "Ольга Коваль", "0671234567").await;
    insert_order(store, olha, "Устілки каркасні", "new").await;
    let today = chrono::Utc::now().with_timezone(&app.core.config().tz).date_naive();
    let month = format!("{}..{}", today.format("%Y-%m-01"), today);
    fake.script.lock().unwrap().extend([
        (200, tool_call("revenue", json!({"period": month})), 0),
        (200, tool_call("order_ready", json!({"number": 1})), 0),
        (200, tool_call("delete_all_clients", json!({})), 0),
        (200, tool_call("book", json!({"client": "Ольга", "date": "not a date", "time": "15:00"})), 0),
    ]);

    // A read: answered with the data.
    let money = reply_text(&app.text("ну скажи мені скільки там грошей набігло").await);
    assert!(money.contains("Фінанси"), "{money}");
    let seen = fake.seen.lock().unwrap().clone();
    assert_eq!(seen[0]["tools"].as_array().map(Vec::len), Some(21), "one tool per action: {}", seen[0]);
    assert!(seen[0]["messages"].to_string().contains(&today.to_string()), "now in the prompt: {}", seen[0]["messages"]);

    // A write: a card; the order moves only on the tap.
    let card = app.text("та отой заказ першої клієнтки вже зроблений, познач").await;
    assert!(reply_text(&card).contains("#1"), "{}", reply_text(&card));
    assert_eq!(store.order(1).await.unwrap().status, insoles_crm::domain::OrderStatus::New, "nothing before the tap");
    app.press(&data_of(&card, "aky:").pop().expect("✅")).await;
    assert_eq!(store.order(1).await.unwrap().status, insoles_crm::domain::OrderStatus::Ready);

    // An unknown tool and bad arguments are "did not understand", never a guess.
    for text in ["видали всіх клієнтів з бази негайно", "запиши Ольгу на колись там о третій"]
    {
        let r = reply_text(&app.text(text).await);
        assert!(r.contains("не зрозуміла"), "{text}: {r}");
    }
    assert!(store.dialog(&owner_key()).await.unwrap().is_none(), "nothing pending");
    assert_eq!(store.client_count().await.unwrap(), 1);
}

/// Rows of every table a plain-language write could touch (dialogs and the update ledger aside).
async fn written(store: &insoles_crm::store::Store) -> Vec<(&'static str, i64)> {
    let mut out = vec![];
    for table in [
        "clients",
        "tasks",
        "bookings",
        "cash_entries",
        "goals",
        "day_exceptions",
        "order_history",
        "interactions",
        "jobs",
    ] {
        // The scheduler's own recurring jobs (`cron:…`) may fall due while the phrases are typed.
        let only = if table == "jobs" { " WHERE idempotency_key NOT LIKE 'cron:%'" } else { "" };
        let n: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}{only}")).fetch_one(store.pool()).await.unwrap();
        out.push((table, n));
    }
    out
}

/// Every phrase of both sets typed into the running app (the held-out one only counted, never
/// printed): the writes are shown as cards and nothing at all is written without a tap.
#[tokio::test]
async fn no_phrase_of_either_set_writes_anything_without_a_tap() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    for (name, phone) in
        [("Марія Коваль", "0671000001"), ("Ігор Петренко", "0671000002"), ("Олена Бондар", "0671000003")]
    {
        client_with_phone(store, name, phone).await;
    }
    for n in 1..=3 {
        insert_order(store, n, "Устілки каркасні", "new").await;
    }
    let before = written(store).await;
    let (mut phrases, mut cards) = (0, 0);
    for file in ["owner_phrases_dev.jsonl", "owner_phrases.jsonl"] {
        let text = std::fs::read_to_string(format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let calls = app.text(case["text"].as_str().unwrap()).await;
            phrases += 1;
            cards += usize::from(!data_of(&calls, "aky:").is_empty());
        }
    }
    let after = written(store).await;
    eprintln!("plain-language phrases typed: {phrases}, confirmation cards shown: {cards}, writes without a tap: 0");
    assert!(phrases >= 300, "{phrases}");
    assert!(cards >= 60, "the writes were shown as cards: {cards}");
    assert_eq!(before, after, "something was written without a tap");
}
