//! The Discord front end (issue 17), end to end: serenity's real client against the fake
//! Discord on loopback (HTTP and a gateway WebSocket), over the same core as Telegram.

use crate::fake_discord::{dm_channel, FakeDiscord, APP_ID};
use crate::helpers::*;
use insoles_crm::config::Secret;
use insoles_crm::core::commands::owner_menu;
use serde_json::Value;

const DC_OWNER: u64 = 300_000_000_000_000_001;
const DC_CLIENT: u64 = 300_000_000_000_000_777;
const DC_STRANGER: u64 = 300_000_000_000_000_666;

/// The app with Telegram (its fake, as every test) and Discord (this fake), connected.
async fn app(knowledge: bool) -> (TestApp, FakeDiscord) {
    app_with(knowledge, |_| {}).await
}

async fn app_with(
    knowledge: bool,
    adjust: impl FnOnce(&mut insoles_crm::config::Settings) + Send + 'static,
) -> (TestApp, FakeDiscord) {
    let discord = FakeDiscord::start().await;
    let url = discord.url.clone();
    let app = TestApp::spawn_custom(false, None, move |s| {
        adjust(s);
        s.discord.token = Some(Secret::new("dc.test-token"));
        s.discord.api_url = url;
        s.discord.owner_ids = vec![DC_OWNER];
        if knowledge {
            s.knowledge =
                std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/kb.md")).unwrap();
        }
    })
    .await;
    discord.wait_ready(WAIT).await;
    (app, discord)
}

fn callback_of(id: u64) -> impl Fn(&crate::fake_discord::DCall) -> bool {
    move |c| c.is("POST", &format!("/interactions/{id}/tok{id}/callback"))
}

#[tokio::test]
async fn the_slash_commands_are_registered_from_the_owner_table() {
    let (_app, discord) = app(false).await;
    let put = discord.wait_call(WAIT, |c| c.is("PUT", &format!("/applications/{APP_ID}/commands"))).await;
    let commands = put.body.as_array().expect("a bulk overwrite: a list").clone();
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    let menu: Vec<&str> = owner_menu().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, menu, "the same commands, in the same order, as the Telegram menu");
    for c in &commands {
        let d = c["description"].as_str().unwrap_or("");
        assert!(!d.is_empty() && d.chars().count() <= 100, "{c}");
        assert!(c["description_localizations"]["en-US"].as_str().is_some_and(|e| e != d), "English too: {c}");
        let opts = c["options"].as_array().unwrap();
        assert_eq!(opts.len(), 1);
        assert_eq!((opts[0]["name"].as_str(), opts[0]["type"].as_u64()), (Some("args"), Some(3)));
        assert_ne!(opts[0]["required"], Value::Bool(true));
    }
    let today = commands.iter().find(|c| c["name"] == "today").unwrap();
    assert!(today["description"].as_str().unwrap().chars().any(|c| ('а'..='я').contains(&c)), "Ukrainian first");
}

#[tokio::test]
async fn an_owner_slash_command_is_answered_through_the_interaction_callback_and_a_button_edits_in_place() {
    let (app, discord) = app(false).await;
    app.text("/new_client Ольга Марʼянчук, 0671234567").await;
    let id = discord.slash(DC_OWNER, "client", Some("Ольга"));
    let card = discord.wait_call(WAIT, callback_of(id)).await;
    assert_eq!(card.kind(), 4, "a message answering the command");
    assert!(card.content().starts_with("👤 Ольга Марʼянчук"), "{}", card.content());
    assert!(!card.ephemeral());
    let edit = card.button("Редагувати");
    assert!(edit.len() <= 100);

    // The same button as in Telegram; the menu replaces the card in place (UPDATE_MESSAGE).
    let pressed = discord.press(DC_OWNER, &edit, 42);
    let menu = discord.wait_call(WAIT, callback_of(pressed)).await;
    assert_eq!(menu.kind(), 7, "an in-place update of the pressed message: {:?}", menu.body);
    assert!(menu.buttons().iter().any(|(l, _)| l.contains("Довжина стопи")), "{:?}", menu.buttons());

    // A command with no answer text of its own still answers; /today works without arguments.
    let today = discord.slash(DC_OWNER, "today", None);
    let answer = discord.wait_call(WAIT, callback_of(today)).await;
    assert_eq!(answer.kind(), 4);
    assert!(!answer.content().is_empty());

    // An export is a file attached to the answer.
    let export = discord.slash(DC_OWNER, "export", None);
    let file = discord.wait_call(WAIT, callback_of(export)).await;
    assert!(file.files.iter().any(|f| f.ends_with(".xlsx")), "{:?}", file.files);
}

#[tokio::test]
async fn work_that_outlasts_the_window_is_deferred_first_and_then_edits_the_response() {
    // Every interaction "outlasts" a window of zero: deferred, then answered by editing.
    let (app, discord) = app_with(false, |s| s.discord.defer_after = std::time::Duration::ZERO).await;
    app.text("/new_client Ольга Марʼянчук, 0671234567").await;
    let original = |id: u64| {
        move |c: &crate::fake_discord::DCall| c.is("PATCH", &format!("/webhooks/{APP_ID}/tok{id}/messages/@original"))
    };
    let id = discord.slash(DC_OWNER, "client", Some("Ольга"));
    let deferred = discord.wait_call(WAIT, callback_of(id)).await;
    assert_eq!(deferred.kind(), 5, "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: {:?}", deferred.body);
    let card = discord.wait_call(WAIT, original(id)).await;
    assert!(card.content().starts_with("👤 Ольга Марʼянчук"), "{:?}", card.body);
    let edit = card.button("Редагувати");

    // A button whose reply edits: acknowledged (DEFERRED_UPDATE_MESSAGE), then its message edited.
    let pressed = discord.press(DC_OWNER, &edit, 42);
    let ack = discord.wait_call(WAIT, callback_of(pressed)).await;
    assert_eq!(ack.kind(), 6, "{:?}", ack.body);
    let menu = discord.wait_call(WAIT, original(pressed)).await;
    assert!(menu.buttons().iter().any(|(l, _)| l.contains("Довжина стопи")), "{:?}", menu.buttons());
    let callbacks = discord.calls().iter().filter(|c| c.path.contains(&format!("/interactions/{pressed}/"))).count();
    assert_eq!(callbacks, 1, "one interaction response, never a second");
}

#[tokio::test]
async fn a_strangers_slash_command_or_forged_button_is_refused_and_nothing_changes() {
    let (app, discord) = app(false).await;
    app.text("/new_client Ольга Марʼянчук, 0671234567").await;
    let store = app.core.store();
    let before = store.client_count().await.unwrap();
    let id = discord.slash(DC_STRANGER, "new_client", Some("Хакер Хакерович, 0670000000"));
    let refused = discord.wait_call(WAIT, callback_of(id)).await;
    assert!(refused.ephemeral(), "only she sees it");
    assert!(refused.content().contains("лише для власниці"), "{}", refused.content());
    assert_eq!(store.client_count().await.unwrap(), before, "nothing was created");

    // The owner's card button, forged by a stranger: the core's visitor path reveals nothing.
    let owner_card = discord.slash(DC_OWNER, "client", Some("Ольга"));
    let card = discord.wait_call(WAIT, callback_of(owner_card)).await;
    let forged = discord.press(DC_STRANGER, &card.button("Редагувати"), 43);
    let answer = discord.wait_call(WAIT, callback_of(forged)).await;
    assert!(answer.ephemeral() && answer.content().contains("недоступна"), "{:?}", answer.body);
    assert!(answer.buttons().is_empty() && !answer.content().contains("Марʼянчук"));
    assert_eq!(store.client_count().await.unwrap(), before, "nothing was created");
}

#[tokio::test]
async fn a_clients_dm_is_answered_by_the_assistant_and_a_hard_one_reaches_the_owner_on_telegram() {
    let (app, discord) = app(true).await;
    discord.dm(DC_CLIENT, "Скільки коштує діагностика?");
    let to_her = format!("/channels/{}/messages", dm_channel(DC_CLIENT));
    // The first message may wait for the offline model's training (seconds on a loaded machine).
    let answer = discord.wait_call(WAIT * 6, |c| c.is("POST", &to_her)).await;
    assert!(answer.content().contains("400 грн"), "{}", answer.content());
    let store = app.core.store();
    let client = store.client_by_discord_id(DC_CLIENT).await.unwrap().expect("a lead keyed by her Discord id");
    assert_eq!(store.lead_by_telegram(DC_CLIENT as i64).await.unwrap(), None, "a Discord id is no Telegram chat");
    let timeline: Vec<String> =
        store.recent_interactions(client, 10).await.unwrap().into_iter().map(|i| i.body).collect();
    assert!(timeline.iter().any(|t| t.contains("Скільки коштує")), "{timeline:?}");

    discord.dm(DC_CLIENT, "У мене болить пʼята зранку вже місяць, що мені робити?");
    let card = owner_card(&app, "болить пʼята").await;
    assert!(card.text().contains("Discord"), "{}", card.text());

    // Her draft, sent with one tap in Telegram, goes out through the jobs table to her Discord DM.
    let send = card.buttons().into_iter().find(|(l, _)| l.contains("Надіслати")).unwrap().1;
    assert!(reply_text(&app.press(&send).await).contains("Надіслано клієнту"));
    discord.wait_call(WAIT, |c| c.is("POST", "/users/@me/channels")).await;
    let sent = discord.wait_call(WAIT, |c| c.content().contains("поговорити особисто")).await;
    assert!(sent.is("POST", &to_her), "in her DM channel: {sent:?}");
}

#[tokio::test]
async fn an_owner_on_discord_only_gets_the_card_there_and_answers_from_it() {
    let (_app, discord) = app_with(false, |s| s.telegram.bot_token = None).await;
    discord.dm(DC_CLIENT, "Чи можна прийти з дитиною 5 років і що взяти з собою?");
    // No assistant configured: the owner answers; her card comes to her Discord DM with buttons.
    let to_owner = format!("/channels/{}/messages", dm_channel(DC_OWNER));
    let card = discord.wait_call(WAIT, |c| c.is("POST", &to_owner) && c.content().contains("Discord")).await;
    assert!(card.content().contains("дитиною"), "{}", card.content());
    let edit = card.button("Змінити");
    let pressed = discord.press(DC_OWNER, &edit, 77);
    discord.wait_call(WAIT, callback_of(pressed)).await;
    discord.dm(DC_OWNER, "Так, звісно! Візьміть улюблене взуття дитини.");
    let to_her = format!("/channels/{}/messages", dm_channel(DC_CLIENT));
    let sent = discord.wait_call(WAIT, |c| c.is("POST", &to_her) && c.content().contains("улюблене взуття")).await;
    assert!(sent.content().starts_with("Так"), "{}", sent.content());
}

#[tokio::test]
async fn an_owner_on_discord_only_gets_the_weekly_report_in_her_dm_six_charts_in_order_once() {
    use insoles_crm::core::reports::pushed;
    use insoles_crm::work::spec::ReportEvery;
    let (app, discord) = app_with(false, |s| s.telegram.bot_token = None).await;
    let fire = chrono::Utc::now();
    let mut job = pushed::job(ReportEvery::Week, fire, chrono_tz::Europe::Kyiv);
    job.due_at = fire;
    let key = job.key.clone();
    assert!(app.core.store().enqueue(&job).await.unwrap());
    let to_owner = format!("/channels/{}/messages", dm_channel(DC_OWNER));
    let charts = |calls: &[crate::fake_discord::DCall]| {
        calls.iter().filter(|c| c.is("POST", &to_owner) && c.files.iter().any(|f| f == "report.png")).count()
    };
    let deadline = std::time::Instant::now() + WAIT;
    while charts(&discord.calls()) < 6 {
        assert!(std::time::Instant::now() < deadline, "six charts in her DM: {}", charts(&discord.calls()));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The same report fired again (a restart): its key stops it; nothing sent twice.
    let mut again = pushed::job(ReportEvery::Week, fire, chrono_tz::Europe::Kyiv);
    again.due_at = chrono::Utc::now();
    assert!(!app.core.store().enqueue(&again).await.unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let calls = discord.calls();
    assert_eq!(charts(&calls), 6);
    let firsts: Vec<String> = calls
        .iter()
        .filter(|c| c.is("POST", &to_owner) && !c.files.is_empty())
        .map(|c| c.content().lines().next().unwrap_or_default().to_string())
        .collect();
    assert!(firsts[0].contains("Продажі"), "sales first: {firsts:?}");
    let (state, result) = app.core.store().job_by_key(&key).await.unwrap().unwrap();
    assert_eq!(state, "done");
    assert!(result.unwrap_or_default().contains("discord owners: 1"));
}

#[tokio::test]
async fn an_owners_dm_is_her_free_text() {
    let (app, discord) = app(false).await;
    app.text("/new_client Ольга Марʼянчук, 0671234567").await;
    discord.dm(DC_OWNER, "Марʼянчук");
    let to_her = format!("/channels/{}/messages", dm_channel(DC_OWNER));
    let found = discord.wait_call(WAIT, |c| c.is("POST", &to_her)).await;
    assert!(found.content().contains("Ольга Марʼянчук"), "{}", found.content());
}

#[tokio::test]
async fn without_a_token_nothing_of_discord_starts() {
    let discord = FakeDiscord::start().await;
    let url = discord.url.clone();
    let app = TestApp::spawn_custom(false, None, move |s| {
        s.discord.api_url = url;
        s.discord.owner_ids = vec![DC_OWNER];
    })
    .await;
    // The app is up and serving Telegram...
    assert!(reply_text(&app.text("/help").await).contains("/today"));
    // ...and never asked Discord for anything.
    assert_eq!(discord.connects(), 0);
    assert!(discord.calls().is_empty(), "{:?}", discord.calls());
}

#[tokio::test]
async fn a_malformed_event_and_a_server_channel_message_are_dropped_and_the_next_is_answered() {
    let (_app, discord) = app(false).await;
    // An interaction serenity cannot read, and a client's message in a server channel.
    discord.dispatch("INTERACTION_CREATE", serde_json::json!({ "id": "1", "type": 2, "data": "?" }));
    let in_server = serde_json::json!({
        "id": "5", "channel_id": "77", "guild_id": "88", "content": "Скільки коштує діагностика?",
        "author": { "id": DC_CLIENT.to_string(), "username": "olha" }, "timestamp": "2026-12-01T10:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "type": 0
    });
    discord.dispatch("MESSAGE_CREATE", in_server);
    // The connection goes on: the owner's next command is answered on the same gateway.
    let id = discord.slash(DC_OWNER, "today", None);
    assert_eq!(discord.wait_call(WAIT, callback_of(id)).await.kind(), 4);
    // The client's DM after her server message: only the DM is answered.
    discord.dm(DC_CLIENT, "Добрий день");
    let to_her = format!("/channels/{}/messages", dm_channel(DC_CLIENT));
    discord.wait_call(WAIT, |c| c.is("POST", &to_her)).await;
    assert!(!discord.calls().iter().any(|c| c.path.contains("/channels/77/")), "nothing written in the server");
    assert_eq!(discord.connects(), 1, "no reconnect");
}
