//! Telegram specifics: the command menu per language, language choice, long polling.

use crate::helpers::*;

#[tokio::test]
async fn command_menu_is_registered_per_language_and_scope() {
    let app = TestApp::spawn().await;
    let calls = app
        .fake
        .wait_for(WAIT, |c| c.iter().filter(|c| c.method.eq_ignore_ascii_case("setMyCommands")).count() >= 6)
        .await
        .unwrap();
    let menus: Vec<_> = calls.iter().filter(|c| c.method.eq_ignore_ascii_case("setMyCommands")).collect();
    let owner_en = menus
        .iter()
        .find(|c| {
            c.body["scope"]["type"] == "chat" && c.body["scope"]["chat_id"] == OWNER && c.body["language_code"] == "en"
        })
        .expect("owner menu in English");
    assert!(owner_en.body["commands"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["command"] == "new_client" && c["description"].as_str().unwrap().starts_with("new client")));
    let visitor_uk =
        menus.iter().find(|c| c.body["scope"]["type"] == "default" && c.body.get("language_code").is_none()).unwrap();
    let commands = visitor_uk.body["commands"].as_array().unwrap();
    assert!(commands.iter().all(|c| c["command"] != "client"), "visitors do not see owner commands");
}

#[tokio::test]
async fn language_follows_telegram_and_lang_command() {
    let app = TestApp::spawn().await;
    let en = app.text_from(OWNER, "en", "/help").await;
    assert!(reply_text(&en).contains("Commands:"), "{}", reply_text(&en));
    let switched = app.text_from(OWNER, "en", "/lang").await;
    let set = app.press(&button(&switched, "Українська")).await;
    assert!(reply_text(&set).contains("українська"));
    assert!(reply_text(&app.text_from(OWNER, "en", "/help").await).contains("Команди:"));
    assert!(reply_text(&app.text("/lang en").await).contains("English"));
    assert!(reply_text(&app.text("/client Nobody").await).contains("Nobody matches"));
}

/// A core on a database file and a router whose handler records each update (chat, id) when it
/// has handled it; an update whose text is "hold" waits until `release` is notified.
async fn recording_workers(
    fake: &insoles_crm::fake_telegram::FakeBotApi,
    dir: &tempfile::TempDir,
    release: std::sync::Arc<tokio::sync::Notify>,
) -> (
    insoles_crm::channels::telegram::UpdateRouter,
    insoles_crm::channels::telegram::Workers,
    std::sync::Arc<std::sync::Mutex<Vec<(i64, u32)>>>,
) {
    use insoles_crm::channels::telegram;
    let settings = settings(fake, &format!("sqlite://{}", dir.path().join("crm.db").display()), false);
    let bot = telegram::make_bot(&settings).unwrap().unwrap();
    let core = insoles_crm::App::build(settings).await.unwrap().core();
    let handled = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = handled.clone();
    let handler: telegram::Handler = std::sync::Arc::new(move |_bot, _core, update, _answer| {
        let (log, release) = (log.clone(), release.clone());
        Box::pin(async move {
            let text = match &update.kind {
                teloxide::types::UpdateKind::Message(m) => m.text().unwrap_or_default().to_string(),
                _ => String::new(),
            };
            if text == "hold" {
                release.notified().await;
            } else {
                // A little work that yields, so chats interleave.
                tokio::time::sleep(std::time::Duration::from_micros(200 * (update.id.0 % 3) as u64)).await;
            }
            let chat = update.chat().unwrap().id.0;
            log.lock().unwrap().push((chat, update.id.0));
        })
    });
    let (router, workers) = telegram::spawn_workers_with(bot, core, handler);
    (router, workers, handled)
}

fn update(id: i64, chat: i64, text: &str) -> teloxide::types::Update {
    // From text, as the webhook reads it (teloxide reads an update from borrowed JSON text).
    serde_json::from_str(&insoles_crm::fake_telegram::updates::text(id, chat, "uk", text).to_string()).unwrap()
}

#[tokio::test]
async fn a_chat_waits_for_its_own_earlier_update_but_never_for_another_chat() {
    let fake = insoles_crm::fake_telegram::FakeBotApi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let release = std::sync::Arc::new(tokio::sync::Notify::new());
    let (router, workers, handled) = recording_workers(&fake, &dir, release.clone()).await;
    // Chat 1's first update is stuck (a slow Bot API call, say); its second waits behind it.
    router.route(update(1, 1, "hold")).await;
    router.route(update(2, 1, "next")).await;
    // Chats whose ids would have shared a shard with chat 1 (32 shards) and any other chat go on.
    for (id, chat) in [(3, 33), (4, 65), (5, 2), (6, 1_000_000_033)] {
        router.route(update(id, chat, "x")).await;
    }
    let log = || handled.lock().unwrap().clone();
    wait_until("the other chats are answered", || {
        let n = log().len();
        async move { n == 4 }
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(log().iter().all(|(chat, _)| *chat != 1), "chat 1 went out of order: {:?}", log());
    release.notify_one();
    wait_until("chat 1's two updates are answered", || {
        let n = log().len();
        async move { n == 6 }
    })
    .await;
    let chat1: Vec<u32> = log().iter().filter(|(c, _)| *c == 1).map(|(_, id)| *id).collect();
    assert_eq!(chat1, vec![1, 2], "one chat's updates in order");
    drop(router);
    workers.finish().await;
}

#[tokio::test]
async fn many_chats_at_once_are_each_answered_in_order_and_shutdown_waits_for_all() {
    let fake = insoles_crm::fake_telegram::FakeBotApi::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (router, workers, handled) =
        recording_workers(&fake, &dir, std::sync::Arc::new(tokio::sync::Notify::new())).await;
    // 300 chats, 8 updates each, posted by 16 concurrent senders (as webhook connections do),
    // more than the 1,024 updates the queues hold at once.
    const CHATS: i64 = 300;
    const EACH: i64 = 8;
    let mut senders = tokio::task::JoinSet::new();
    for s in 0..16 {
        let router = router.clone();
        senders.spawn(async move {
            // Each sender owns the chats ≡ s (mod 16), so a chat's updates are routed in id order.
            for round in 0..EACH {
                for chat in (1..=CHATS).filter(|c| c % 16 == s) {
                    router.route(update(round * CHATS + chat, chat, "x")).await;
                }
            }
        });
    }
    while senders.join_next().await.is_some() {}
    drop(router);
    workers.finish().await;
    let log = handled.lock().unwrap().clone();
    assert_eq!(log.len(), (CHATS * EACH) as usize, "every update handled before shutdown returned");
    let mut last = std::collections::HashMap::new();
    for (chat, id) in log {
        let before = last.insert(chat, id).unwrap_or(0);
        assert!(id > before, "chat {chat}: update {id} handled after {before}");
    }
    assert_eq!(last.len(), CHATS as usize);
}
