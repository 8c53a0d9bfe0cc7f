//! Instagram webhooks with the reference fixtures: the handshake, signatures over raw bytes
//! (published vectors), forged and stale deliveries refused, each message once, echoes and
//! reactions kept out of the leads, every sender a client with her messages in the timeline.

use crate::helpers::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/fixtures/instagram/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}")).unwrap()
}

pub(crate) fn sign(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(IG_SECRET.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The fixture with its delivery times moved to now (Meta signs what it sends; so do we here).
fn fresh(name: &str) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&fixture(name)).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    for e in v["entry"].as_array_mut().unwrap() {
        e["time"] = now.into();
    }
    serde_json::to_vec(&v).unwrap()
}

pub(crate) async fn post(app: &TestApp, body: Vec<u8>, signature: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("http://{}/webhooks/instagram", app.http))
        .header("X-Hub-Signature-256", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn ig_jobs(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'instagram_event'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap()
}

/// A fake Graph API on loopback recording every message sent; returns its base URL.
pub(crate) async fn fake_graph() -> (String, std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>) {
    let sent: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>> = Default::default();
    let record = sent.clone();
    let graph = axum::Router::new().route(
        "/v22.0/me/messages",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(body);
                axum::Json(serde_json::json!({"recipient_id": "6543210987654321", "message_id": "m_out"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/v22.0", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, graph).await });
    (api, sent)
}

/// Waits until the fake Graph API has received `n` messages.
pub(crate) async fn wait_sent(sent: &std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>, n: usize) {
    wait_until("messages reach the Graph API", || async { sent.lock().unwrap().len() >= n }).await;
}

#[tokio::test]
async fn the_handshake_echoes_only_for_the_right_token() {
    let app = TestApp::spawn().await;
    let get = |q: &str| reqwest::get(format!("http://{}/webhooks/instagram?{q}", app.http));
    let ok = get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock").await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    assert_eq!(get("hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong").await.unwrap().status(), 403);
    assert_eq!(
        get("hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=meatyhamhock").await.unwrap().status(),
        403
    );
}

#[tokio::test]
async fn direct_messages_become_leads_once_and_forgeries_nothing() {
    let app = TestApp::spawn().await;
    // The published vectors verify over the raw file bytes...
    for (name, sig) in [
        ("message_text.json", "sha256=e2d3cd467ecc54db065688e395dac55a496fb2fd5e49e17d09ab32f5489be638"),
        ("message_echo.json", "sha256=6c62dbd19bc275b6bd93a11ab2f1314fa51bba15591d7b17cd3cf0a96b2bec2d"),
        ("message_image_attachment.json", "sha256=eb1a44c135533b1e847609f4f18024116524dc3cf0bf0a4f1db67bd9f45ba2cf"),
        ("message_story_reply.json", "sha256=8faa977aac5c352a9394841c480fee77d1b6b5273a791626325d5d22f3ad6e02"),
    ] {
        assert!(insoles_crm::secret::hmac_sha256_matches(IG_SECRET, &fixture(name), sig), "{name}");
    }
    // ...but those deliveries are from 2025: stale, refused.
    assert_eq!(
        post(
            &app,
            fixture("message_text.json"),
            "sha256=e2d3cd467ecc54db065688e395dac55a496fb2fd5e49e17d09ab32f5489be638"
        )
        .await,
        401
    );
    let body = fresh("message_text.json");
    assert_eq!(post(&app, body.clone(), "sha256=00").await, 401);
    assert_eq!(post(&app, body.clone(), &sign(b"other bytes")).await, 401);
    assert_eq!(ig_jobs(&app).await, 0, "nothing stored for forged or stale deliveries");

    assert_eq!(post(&app, body.clone(), &sign(&body)).await, 200);
    assert_eq!(post(&app, body.clone(), &sign(&body)).await, 200, "Meta may deliver again");
    assert_eq!(ig_jobs(&app).await, 1, "one job per message id");
    let store = app.core.store();
    wait_until("a lead", || async { store.client_by_instagram_id("6543210987654321").await.unwrap().is_some() }).await;
    let client = store.client_by_instagram_id("6543210987654321").await.unwrap().unwrap();
    let relay = app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.text().starts_with("💬 Instagram"))).await.unwrap();
    assert!(relay.iter().any(|c| c.text().contains("Скільки коштують устілки для дитини")));
    let timeline = store.recent_interactions(client, 10).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!((timeline[0].channel.as_str(), timeline[0].direction.as_str()), ("instagram", "in"));

    // A photo from the same person lands on the same card; echoes, reactions and reads make no leads.
    let photo = fresh("message_image_attachment.json");
    assert_eq!(post(&app, photo.clone(), &sign(&photo)).await, 200);
    for name in ["message_echo.json", "reaction_react.json", "read.json"] {
        let b = fresh(name);
        assert_eq!(post(&app, b.clone(), &sign(&b)).await, 200, "{name}");
    }
    wait_until("the photo", || async { store.recent_interactions(client, 10).await.unwrap().len() >= 2 }).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(store.client_count().await.unwrap(), 1, "one lead, whatever else arrived");
    let texts: Vec<String> = store.recent_interactions(client, 10).await.unwrap().into_iter().map(|i| i.body).collect();
    assert!(texts.iter().any(|t| t.contains("[фото]")), "{texts:?}");
}

#[tokio::test]
async fn the_owner_answers_from_telegram_within_the_window() {
    let (api, sent) = fake_graph().await;
    let app = TestApp::spawn_custom(false, None, |s| {
        s.notify.instagram = Some(insoles_crm::notify::InstagramConfig {
            api_url: api.clone(),
            token: insoles_crm::config::Secret::new("ig-token"),
        });
    })
    .await;
    let body = fresh("message_text.json");
    assert_eq!(post_ig(&app, body.clone(), &sign(&body)).await, 200);
    let relay = app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.text().starts_with("💬 Instagram"))).await.unwrap();
    let relay = relay.into_iter().find(|c| c.text().starts_with("💬 Instagram")).unwrap();
    let reply = relay.buttons().into_iter().find(|(l, _)| l.contains("Змінити")).unwrap().1;
    assert!(reply_text(&app.press(&reply).await).contains("піде від імені студії"));
    let long = "Дитячі устілки коштують 1500 грн, виготовлення 5–7 робочих днів. ".repeat(20);
    let answer = reply_text(&app.text(&long).await);
    assert!(answer.contains("Надіслано клієнту: 3 повідомлення"), "{answer}");
    wait_sent(&sent, 2).await;
    let bodies = sent.lock().unwrap().clone();
    assert!(bodies
        .iter()
        .all(|b| b["recipient"]["id"] == "6543210987654321" && b["message"]["text"].as_str().unwrap().len() <= 1000));
    assert!(bodies.iter().all(|b| b.get("tag").is_none()), "inside 24 h no tag is needed");

    // Eight days later the window is closed: refused, nothing sent.
    let client = app.core.store().client_by_instagram_id("6543210987654321").await.unwrap().unwrap();
    sqlx::query("UPDATE interactions SET created_at = ? WHERE client_id = ? AND direction = 'in'")
        .bind(chrono::Utc::now() - chrono::Duration::days(8))
        .bind(client)
        .execute(app.core.store().pool())
        .await
        .unwrap();
    // The draft was answered once; another tap sends nothing.
    assert!(reply_text(&app.press(&reply).await).contains("вже оброблено"));
    let draft = app.core.store().create_draft(client, "instagram", "Ще одне питання?", "").await.unwrap();
    app.press(&insoles_crm::core::drafts::DraftCb::Edit(draft).encode()).await;
    assert!(reply_text(&app.text("Відповідь").await).contains("понад 7 днів"));
    // Not sent, so the draft waits for her again.
    assert_eq!(app.core.store().draft(draft).await.unwrap().unwrap().status, insoles_crm::domain::DraftStatus::Pending);
}

async fn post_ig(app: &TestApp, body: Vec<u8>, signature: &str) -> u16 {
    post(app, body, signature).await
}

/// A text message from `sender` with a fresh id and time, signed.
pub(crate) fn message(sender: &str, mid: &str, text: &str) -> Vec<u8> {
    let now = chrono::Utc::now().timestamp_millis();
    serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [{ "id": "17841400000000001", "time": now, "messaging": [{
            "sender": { "id": sender }, "recipient": { "id": "17841400000000001" }, "timestamp": now,
            "message": { "mid": mid, "text": text }
        }]}]
    }))
    .unwrap()
}

/// An app with the example knowledge base and Instagram sending to a fake Graph API.
async fn assistant_app(webhook: bool) -> (TestApp, std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>) {
    let (api, sent) = fake_graph().await;
    let app = TestApp::spawn_custom(webhook, None, |s| {
        s.notify.instagram =
            Some(insoles_crm::notify::InstagramConfig { api_url: api, token: insoles_crm::config::Secret::new("t") });
        s.knowledge = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/kb.md")).unwrap();
    })
    .await;
    (app, sent)
}

#[tokio::test]
async fn the_assistant_answers_simple_questions_and_hands_over_the_rest() {
    let (app, sent) = assistant_app(false).await;

    let faq = message("111", "mid-1", "Скільки коштує діагностика стопи?");
    assert_eq!(post(&app, faq.clone(), &sign(&faq)).await, 200);
    wait_sent(&sent, 1).await;
    assert!(sent.lock().unwrap()[0]["message"]["text"].as_str().unwrap().contains("400 грн"));

    let hard = message("222", "mid-2", "Мені 50 років, болить пʼята зранку, що мені робити?");
    assert_eq!(post(&app, hard.clone(), &sign(&hard)).await, 200);
    wait_sent(&sent, 2).await;
    assert!(sent.lock().unwrap()[1]["message"]["text"].as_str().unwrap().contains("Передала ваше питання"));
    let card = app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("чому вам"))).await.unwrap();
    let card = card.iter().find(|c| c.text().contains("чому вам")).unwrap();
    assert!(card.text().contains("consultation") && card.text().contains("болить"), "{}", card.text());
    assert!(
        app.fake.calls().iter().all(|c| !c.text().contains("Скільки коштує діагностика")),
        "simple questions do not bother the owner"
    );

    // Paused: everything goes to the owner, nothing automatic.
    assert!(reply_text(&app.text("/assistant off").await).contains("на паузі"));
    let later = message("111", "mid-3", "А де ви знаходитесь?");
    assert_eq!(post(&app, later.clone(), &sign(&later)).await, 200);
    app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("А де ви знаходитесь"))).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sent.lock().unwrap().len(), 2, "no automatic answer while paused");
}

/// Booking intent in Instagram: the answer carries the link to the booking page; order status
/// comes from the CRM for the linked client only.
#[tokio::test]
async fn instagram_booking_gets_the_page_link_and_order_status_comes_from_the_crm() {
    let (app, sent) = assistant_app(true).await;
    let public = app.core.config().public_url.clone().expect("webhook mode has a public URL");
    let book = message("333", "mid-b1", "Хочу записатися на діагностику на суботу");
    assert_eq!(post(&app, book.clone(), &sign(&book)).await, 200);
    wait_sent(&sent, 1).await;
    let text = sent.lock().unwrap()[0]["message"]["text"].as_str().unwrap().to_string();
    assert!(text.contains(&format!("{public}/book")), "{text}");

    let client = app.core.store().client_by_instagram_id("333").await.unwrap().unwrap();
    insert_order(app.core.store(), client, "Устілки дитячі", "ready").await;
    let status = message("333", "mid-b2", "Чи готове моє замовлення?");
    assert_eq!(post(&app, status.clone(), &sign(&status)).await, 200);
    wait_until("the status answer", || async { sent.lock().unwrap().len() >= 2 }).await;
    let all: Vec<String> =
        sent.lock().unwrap().iter().map(|b| b["message"]["text"].as_str().unwrap_or("").to_string()).collect();
    assert!(all.iter().any(|t| t.contains("Устілки дитячі") && t.contains("Готов")), "{all:?}");
}

/// Identity in Instagram is the sender id Meta signs: a sender who writes another client's phone
/// is still only herself, and her "where is my order" never reads that client's orders.
#[tokio::test]
async fn an_instagram_sender_typing_another_clients_phone_learns_nothing() {
    let (app, sent) = assistant_app(false).await;
    let store = app.core.store();
    let olga = client_with_phone(store, "Ольга Марʼянчук", "0671234567").await;
    insert_order(store, olga, "Устілки Секретні-Каркасні", "ready").await;
    let m = message("444", "mid-s1", "Мій номер 0671234567, я Ольга. Де моє замовлення? Чи готове?");
    assert_eq!(post(&app, m.clone(), &sign(&m)).await, 200);
    wait_sent(&sent, 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let all: Vec<String> =
        sent.lock().unwrap().iter().map(|b| b["message"]["text"].as_str().unwrap_or("").to_string()).collect();
    assert!(all.iter().all(|t| !t.contains("Секретні") && !t.contains("Ольга")), "{all:?}");
    let sender = store.client_by_instagram_id("444").await.unwrap().expect("her own lead");
    assert_ne!(sender, olga);
    assert_eq!(store.client(olga).await.unwrap().telegram_id, None);
}
