//! Nobody but the owner sees a byte of client data; the webhook accepts only Telegram.

use crate::helpers::*;
use insoles_crm::fake_telegram::updates;
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
            assert_eq!(call.body["chat_id"], STRANGER, "answers go only to the stranger");
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
