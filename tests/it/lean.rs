//! Issue 11 (lean per message): the cheaper hot path keeps the trust guarantees. The ledger's
//! combined write (finish the previous update, start the next, one statement) means exactly what
//! the two writes meant; a burst queued in one chat leaves every update handled once and finished;
//! the cached language and dialog step follow every write.

use crate::helpers::*;
use insoles_crm::fake_telegram::{updates, FakeBotApi};
use insoles_crm::store::updates::Start;

#[tokio::test]
async fn the_combined_ledger_write_finishes_one_update_and_starts_the_next() {
    let app = TestApp::spawn_webhook().await;
    let store = app.core.store();
    let (a, b, c) = (9_000_001, 9_000_002, 9_000_003);
    assert_eq!(store.start_update(a).await.unwrap(), Start::Handle(1));
    assert_eq!(store.start_update_after(Some(a), b).await.unwrap(), Start::Handle(1));
    assert_eq!(store.start_update(a).await.unwrap(), Start::Duplicate, "the previous one is finished");
    // A redelivered update that is done is a duplicate, and the finish still lands.
    assert_eq!(store.start_update_after(Some(b), a).await.unwrap(), Start::Duplicate);
    assert_eq!(store.start_update(b).await.unwrap(), Start::Duplicate);
    // One the process died on twice is poisoned, as with the separate writes.
    sqlx::query("INSERT INTO telegram_updates (update_id, attempts, done, seen_at) VALUES (?, 2, 0, ?)")
        .bind(c)
        .bind(chrono::Utc::now())
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(store.start_update_after(Some(b), c).await.unwrap(), Start::Poisoned);
    // A start without a finish counts an attempt.
    let d = 9_000_004;
    assert_eq!(store.start_update_after(None, d).await.unwrap(), Start::Handle(1));
    assert_eq!(store.start_update_after(Some(c), d).await.unwrap(), Start::Handle(2));
}

#[tokio::test]
async fn a_burst_in_one_chat_is_handled_once_each_and_every_update_is_finished() {
    let app = TestApp::spawn_webhook().await;
    let first = app.next_update_id();
    let ids: Vec<i64> = std::iter::once(first).chain((1..40).map(|_| app.next_update_id())).collect();
    let before = app.fake.calls().len();
    for (n, id) in ids.iter().enumerate() {
        app.deliver(updates::text(*id, OWNER, "uk", &format!("/task Дзвінок {}", "x".repeat(n + 1)))).await;
    }
    app.fake
        .wait_for(WAIT, |c| c[before..].iter().filter(|c| c.method.eq_ignore_ascii_case("sendMessage")).count() >= 40)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let pool = app.core.store().pool();
    let tasks: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE body LIKE 'Дзвінок x%'").fetch_one(pool).await.unwrap();
    assert_eq!(tasks, 40, "each update handled once");
    for id in &ids {
        let (attempts, done): (i64, bool) =
            sqlx::query_as("SELECT attempts, done FROM telegram_updates WHERE update_id = ?")
                .bind(id)
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!((attempts, done), (1, true), "update {id} started once and finished");
    }
    // Redelivering the whole burst handles nothing again.
    for id in &ids {
        app.deliver(updates::text(*id, OWNER, "uk", "/task Дзвінок повтор")).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let again: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE body LIKE '%повтор%'").fetch_one(pool).await.unwrap();
    assert_eq!(again, 0);
}

#[tokio::test]
async fn the_cached_language_and_dialog_follow_every_write() {
    let app = TestApp::spawn_webhook().await;
    let store = app.core.store();
    let actor = format!("telegram:{OWNER}");
    assert_eq!(store.lang(&actor).await.unwrap(), None);
    store.set_lang(&actor, "en").await.unwrap();
    assert_eq!(store.lang(&actor).await.unwrap().as_deref(), Some("en"));
    assert_eq!(store.dialog(&actor).await.unwrap(), None);
    store.set_dialog(&actor, "{\"step\":1}").await.unwrap();
    assert_eq!(store.dialog(&actor).await.unwrap().as_deref(), Some("{\"step\":1}"));
    store.clear_dialog(&actor).await.unwrap();
    assert_eq!(store.dialog(&actor).await.unwrap(), None);
    // Housekeeping forgets week-old flows in the database; the cache forgets them too.
    store.set_dialog(&actor, "{\"step\":2}").await.unwrap();
    sqlx::query("UPDATE dialogs SET updated_at = ? WHERE actor = ?")
        .bind(chrono::Utc::now() - chrono::Duration::days(8))
        .bind(&actor)
        .execute(store.pool())
        .await
        .unwrap();
    store.housekeeping().await.unwrap();
    assert_eq!(store.dialog(&actor).await.unwrap(), None);
    // Through the bot: /lang en answers in English from then on.
    let set = app.text("/lang en").await;
    assert!(reply_text(&set).contains("Language set"), "{}", reply_text(&set));
    let next = app.text("/lang").await;
    assert!(!reply_text(&next).is_empty());
    assert_eq!(store.lang(&actor).await.unwrap().as_deref(), Some("en"));
}

/// The benchmark turns the fake Bot API's recording off, and then it answers a send, an edit and
/// a button's acknowledgement from a few borrowed fields instead of `Value` trees (its CPU is
/// taken from the same two cores as the server it measures). Its answers and counts must be the
/// ones the recording path gives, and teloxide must read them as the same `Message`s.
#[tokio::test]
async fn the_fake_bot_api_answers_alike_when_it_only_counts() {
    use teloxide::prelude::*;
    use teloxide::types::MessageId;
    let fake = FakeBotApi::start().await.unwrap();
    let bot = Bot::new("1:lean").set_api_url(reqwest::Url::parse(&fake.url).unwrap());
    let http = reqwest::Client::new();
    let post = |method: &str, body: serde_json::Value| {
        let req = http.post(format!("{}/bot1:lean/{method}", fake.url)).json(&body);
        async move { req.send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    let text = "Картка \"Олена\" \\ 💙\nрядок";
    let mut answers = vec![];
    for recording in [true, false] {
        fake.set_recording(recording);
        let sent = bot.send_message(ChatId(77), text).await.unwrap();
        assert_eq!((sent.chat.id, sent.text()), (ChatId(77), Some(text)), "recording {recording}");
        let edited = bot.edit_message_text(ChatId(77), MessageId(55), text).await.unwrap();
        assert_eq!((edited.id, edited.chat.id, edited.text()), (MessageId(55), ChatId(77), Some(text)));
        bot.answer_callback_query(teloxide::types::CallbackQueryId(format!("q-{recording}"))).await.unwrap();
        // The raw answers, with the message id a send is given taken out.
        let mut send = post("sendMessage", serde_json::json!({ "chat_id": 78, "text": text })).await;
        let id = send["result"].as_object_mut().unwrap().remove("message_id").unwrap();
        assert!(id.as_i64().unwrap() > sent.id.0 as i64, "each send gets a new id");
        let edit = post("editMessageText", serde_json::json!({ "chat_id": 78, "message_id": 9, "text": text })).await;
        let ack = post("answerCallbackQuery", serde_json::json!({ "callback_query_id": "q" })).await;
        answers.push((send, edit, ack));
    }
    assert_eq!(answers[0], answers[1], "the same answers whether recording or only counting");
    // Counted alike: every acknowledgement, and every answer by its key.
    assert_eq!(fake.acks(), 4);
    for (key, n) in [
        ("chat:77", 2),
        ("chat:78", 2),
        ("edit:77", 2),
        ("edit:78", 2),
        ("cb:q", 2),
        ("cb:q-true", 1),
        ("cb:q-false", 1),
    ] {
        assert_eq!(fake.answer_log_count(key), n, "{key}");
    }
    // Only the recording half was recorded; the other half took the counting path, every call.
    assert_eq!(fake.calls().len(), 6, "{:?}", fake.calls());
    assert_eq!(fake.counted_only(), 6);
}

/// Posts `update` to the webhook: the status, the response's body and how long it took.
async fn post_webhook(app: &TestApp, update: serde_json::Value) -> (u16, Vec<u8>, std::time::Duration) {
    let started = std::time::Instant::now();
    let (status, body) = app.post_webhook(&update).await;
    (status, body, started.elapsed())
}

fn acks_of(app: &TestApp, query: &str) -> Vec<insoles_crm::fake_telegram::Call> {
    app.fake.calls_to("answerCallbackQuery").into_iter().filter(|c| c.body["callback_query_id"] == query).collect()
}

/// An update that came by webhook ends with its last Bot API call in the webhook's response
/// (Telegram runs it as a call). A button press: the card's edit is the one call it costs, made
/// before the response, and the acknowledgement (toast included) rides in the response. A text
/// message: its reply rides, no call at all; a report's chart keeps its own call, before it.
#[tokio::test]
async fn an_update_by_webhook_ends_with_its_last_call_in_the_response_not_a_call_of_its_own() {
    let app = TestApp::spawn_webhook().await;
    let client = client_with_phone(app.core.store(), "Олена Відповідь", "+380671112233").await;
    let id = app.next_update_id();
    let before = app.fake.calls().len();
    let (status, body, _) = post_webhook(&app, updates::callback(id, OWNER, "uk", 5000, &format!("c:{client}"))).await;
    assert_eq!(status, 200);
    let ack: serde_json::Value = serde_json::from_slice(&body).expect("a JSON method in the response");
    assert_eq!(ack, serde_json::json!({"method": "answerCallbackQuery", "callback_query_id": format!("cb{id}")}));
    let calls = app.fake.calls()[before..].to_vec();
    let edit = calls
        .iter()
        .find(|c| c.method.eq_ignore_ascii_case("editMessageText"))
        .expect("the card's edit, before the response");
    assert!(edit.text().contains("Олена Відповідь"), "{}", edit.text());
    assert_eq!(method_count(&calls, "answerCallbackQuery"), 0, "no second call: {calls:?}");

    // A stale button's toast goes in the response too.
    let id = app.next_update_id();
    let (_, body, _) = post_webhook(&app, updates::callback(id, OWNER, "uk", 5000, "zz:gone")).await;
    let ack: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(ack["callback_query_id"], format!("cb{id}"));
    assert!(ack["text"].as_str().unwrap().contains("Кнопка застаріла"), "{ack}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(acks_of(&app, &format!("cb{id}")).is_empty(), "acknowledged once, in the response");

    // A text message's reply is the response; the Bot API gets no sendMessage for it.
    let before = app.fake.calls().len();
    let (status, body, _) =
        post_webhook(&app, updates::text(app.next_update_id(), OWNER, "uk", "/find Відповідь")).await;
    assert_eq!(status, 200);
    let reply: serde_json::Value = serde_json::from_slice(&body).expect("the reply in the response");
    assert_eq!((reply["method"].as_str(), reply["chat_id"].as_i64()), (Some("sendMessage"), Some(OWNER)), "{reply}");
    assert!(reply["text"].as_str().unwrap().contains("Олена Відповідь"), "{reply}");
    assert!(reply["reply_markup"]["inline_keyboard"].is_array(), "its buttons ride along: {reply}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.fake.calls().len(), before, "no call of its own: {:?}", &app.fake.calls()[before..]);

    // A report: the chart is uploaded first through the Bot API, its text rides in the response.
    let (status, body, _) =
        post_webhook(&app, updates::text(app.next_update_id(), OWNER, "uk", "/report продажі")).await;
    assert_eq!(status, 200);
    let photos = app.fake.calls_to("sendPhoto");
    assert_eq!(photos.len(), 1, "the chart, before the response");
    let reply: serde_json::Value = serde_json::from_slice(&body).expect("the report's text in the response");
    assert_eq!(reply["method"], "sendMessage", "{reply}");
    assert!(!reply["text"].as_str().unwrap_or_default().is_empty(), "{reply}");
}

/// When the handling takes longer than the webhook waits (here: behind a card edit Telegram is
/// slow to take), the response is an empty 200 after the limit and the last call goes through
/// the Bot API instead: once, never lost, never twice; a button's toast included.
#[tokio::test]
async fn an_update_handled_past_the_wait_sends_its_last_call_through_the_bot_api_once() {
    let app = TestApp::spawn_webhook().await;
    let client = client_with_phone(app.core.store(), "Олена Повільна", "+380671112234").await;
    app.fake.set_send_latency(std::time::Duration::from_millis(1_600));
    let (card, text, stale) = (app.next_update_id(), app.next_update_id(), app.next_update_id());
    let slow = post_webhook(&app, updates::callback(card, OWNER, "uk", 5000, &format!("c:{client}")));
    let behind = async {
        // Queued behind the card's slow edit, in the same chat.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let text = post_webhook(&app, updates::text(text, OWNER, "uk", "/orders")).await;
        let stale = post_webhook(&app, updates::callback(stale, OWNER, "uk", 5000, "zz:gone")).await;
        (text, stale)
    };
    let ((s1, b1, t1), ((s2, b2, t2), (s3, b3, t3))) = tokio::join!(slow, behind);
    for (status, body, took) in [(s1, &b1, t1), (s2, &b2, t2), (s3, &b3, t3)] {
        assert_eq!((status, body.len()), (200, 0), "{}", String::from_utf8_lossy(body));
        assert!(took >= std::time::Duration::from_millis(900), "it waited for the handling first: {took:?}");
    }
    let query = format!("cb{stale}");
    app.fake
        .wait_for(WAIT, |c| {
            c.iter()
                .any(|c| c.method.eq_ignore_ascii_case("answerCallbackQuery") && c.body["callback_query_id"] == query)
        })
        .await
        .expect("acknowledged through the Bot API");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let acks = acks_of(&app, &query);
    assert_eq!(acks.len(), 1, "{acks:?}");
    assert!(acks[0].body["text"].as_str().unwrap_or_default().contains("Кнопка застаріла"), "{:?}", acks[0].body);
    assert_eq!(acks_of(&app, &format!("cb{card}")).len(), 1, "the card's press, acknowledged once");
    let replies = app.fake.calls_to("sendMessage");
    assert_eq!(replies.len(), 1, "the message's reply, sent once through the Bot API: {replies:?}");
}

/// A method in a webhook's response reaches the fake as Telegram runs it, on both of its paths:
/// recorded as the call (its parameters without `method`) in tests, counted as an answer in the
/// benchmark; an empty response runs nothing.
#[tokio::test]
async fn the_fake_bot_api_runs_a_webhook_responses_method_on_both_paths() {
    let fake = FakeBotApi::start().await.unwrap();
    let body = r#"{"method":"answerCallbackQuery","callback_query_id":"cb9","text":"Готово"}"#.as_bytes();
    fake.webhook_response(b"").await;
    fake.webhook_response(body).await;
    let calls = fake.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].method, "answerCallbackQuery");
    assert_eq!(calls[0].body, serde_json::json!({"callback_query_id": "cb9", "text": "Готово"}));
    assert_eq!((fake.answer_log_count("cb:cb9"), fake.counted_only()), (1, 0));
    fake.set_recording(false);
    fake.webhook_response(body).await;
    assert_eq!(
        (fake.answer_log_count("cb:cb9"), fake.counted_only()),
        (2, 1),
        "counted as an answer, on the counting path"
    );
    assert_eq!(fake.calls().len(), 1, "not recorded");
}
