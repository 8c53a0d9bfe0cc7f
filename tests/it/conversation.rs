//! The assistant in the Telegram bot, end to end through the fake Bot API: a client's questions
//! answered from the knowledge base, booking offered, her order's status read from the CRM, a hard
//! question handed to the owner with a draft she sends in one tap and saves to the knowledge base,
//! after which the same question is answered automatically; a paused chat goes to the owner only.

use crate::helpers::*;
use std::time::Duration;

const CLIENT: i64 = 555_444;

async fn app() -> TestApp {
    let kb = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/kb.md")).unwrap();
    TestApp::spawn_custom(false, None, |s| s.knowledge = kb).await
}

#[tokio::test]
async fn a_client_in_the_bot_gets_answers_and_the_owner_gets_the_hard_ones_with_a_draft() {
    let app = app().await;
    // A plain question: answered from the knowledge base, the owner is not bothered.
    let r = app.text_from(CLIENT, "uk", "Скільки коштує діагностика?").await;
    assert!(reply_text(&r).contains("400 грн"), "{}", reply_text(&r));
    // Booking intent: the answer comes with the booking button that starts the flow.
    let r = app.text_from(CLIENT, "uk", "Хочу записатися на діагностику").await;
    let book = button(&r, "Записатися");
    let slots = app.press_from(CLIENT, &book, 10).await;
    assert!(!slots.is_empty());
    // Her card exists (a lead) and her messages are in its timeline.
    let store = app.core.store();
    let client = store.lead_by_telegram(CLIENT).await.unwrap().expect("a lead for her");
    let timeline: Vec<String> =
        store.recent_interactions(client, 20).await.unwrap().into_iter().map(|i| i.body).collect();
    assert!(timeline.iter().any(|t| t.contains("Скільки коштує діагностика?")), "{timeline:?}");
    assert!(timeline.iter().any(|t| t.contains("400 грн")), "answers are in the timeline too");

    // Order status comes from the CRM, and only hers.
    app.text("/new_client Інша Клієнтка, 0671112233").await;
    let other = store.search_clients("Інша", 5).await.unwrap()[0].id;
    for (who, product) in [(client, "Устілки спортивні"), (other, "Чужі устілки")] {
        insert_order(store, who, product, "prod").await;
    }
    let r = reply_text(&app.text_from(CLIENT, "uk", "Чи готові вже мої устілки?").await);
    assert!(r.contains("Устілки спортивні") && !r.contains("Чужі"), "{r}");

    // A medical question about herself: a holding answer, and the owner gets the card.
    let q = "У мене болить пʼята зранку вже місяць, що мені робити?";
    let r = reply_text(&app.text_from(CLIENT, "uk", q).await);
    assert!(r.contains("Передала ваше питання"), "{r}");
    let card = owner_card(&app, "болить пʼята").await;
    assert!(card.text().contains("consultation") && card.text().contains("Чернетка"), "{}", card.text());
    // /assistant shows the engine and what waits for her, one tap from each draft.
    let status = app.text("/assistant").await;
    assert!(reply_text(&status).contains("офлайн") && reply_text(&status).contains("Чекають вашої відповіді: 1"));
    assert!(status.iter().flat_map(|c| c.buttons()).any(|(l, _)| l.contains("болить")), "the waiting draft");
    let send = card.buttons().into_iter().find(|(l, _)| l.contains("Надіслати")).unwrap().1;
    let sent = app.press(&send).await;
    assert!(reply_text(&sent).contains("Надіслано клієнту"), "{}", reply_text(&sent));
    let delivered = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, CLIENT) && c.text().contains("поговорити особисто")))
        .await;
    assert!(delivered.is_ok(), "the draft reached the client");
    // A second tap sends nothing more.
    assert!(reply_text(&app.press(&send).await).contains("вже оброблено"));

    // Saved to the knowledge base: the same question is answered automatically next time.
    let save = button(&sent, "Зберегти");
    assert!(reply_text(&app.press(&save).await).contains("Збережено"));
    let before = app.fake.calls().iter().filter(|c| in_chat(c, OWNER)).count();
    let r = reply_text(&app.text_from(CLIENT, "uk", "у мене болить пʼята зранку вже місяць, що робити?").await);
    assert!(r.contains("поговорити особисто"), "{r}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.fake.calls().iter().filter(|c| in_chat(c, OWNER)).count(), before, "the owner is not asked again");
    // The owner's numbers: answered by itself vs handed to her.
    let metrics = reqwest::get(format!("http://{}/metrics", app.http)).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("insoles_assistant_answered_total 4"), "{metrics}");
    assert!(metrics.contains("insoles_assistant_escalated_total 1"), "{metrics}");
}

#[tokio::test]
async fn a_paused_chat_goes_to_the_owner_and_her_edit_goes_out() {
    let app = app().await;
    let r = app.text_from(CLIENT, "uk", "Хочу поговорити з живою людиною").await;
    assert!(reply_text(&r).contains("Передала"));
    let card = owner_card(&app, "живою людиною").await;
    let pause = card.buttons().into_iter().find(|(l, _)| l.contains("Пауза")).unwrap().1;
    assert!(reply_text(&app.press(&pause).await).contains("більше не відповідає"));
    let ignore = card.buttons().into_iter().find(|(l, _)| l.contains("Пропустити")).unwrap().1;
    assert!(reply_text(&app.press(&ignore).await).contains("Пропущено"));

    // Paused: even a simple question is the owner's; the client gets no automatic answer.
    app.deliver(insoles_crm::fake_telegram::updates::text(app.next_update_id(), CLIENT, "uk", "Де ви знаходитесь?"))
        .await;
    let card = owner_card(&app, "Де ви знаходитесь?").await;
    assert!(card.text().contains("на паузі"), "{}", card.text());
    assert!(
        app.fake.calls().iter().all(|c| !(in_chat(c, CLIENT) && c.text().contains("Шахтарська"))),
        "no automatic answer while paused"
    );
    let edit = card.buttons().into_iter().find(|(l, _)| l.contains("Змінити")).unwrap().1;
    assert!(reply_text(&app.press(&edit).await).contains("від імені студії"));
    assert!(reply_text(&app.text("Ми на вулиці Шахтарській, 5. Чекаємо!").await).contains("Надіслано клієнту"));
    app.fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, CLIENT) && c.text().contains("Шахтарській, 5")))
        .await
        .expect("the owner's answer reached the client");
    // Resumed: automatic answers again.
    let client = app.core.store().lead_by_telegram(CLIENT).await.unwrap().unwrap();
    app.press(&insoles_crm::core::drafts::DraftCb::ChatPause(client).encode()).await;
    let r = reply_text(&app.text_from(CLIENT, "uk", "Скільки коштує діагностика?").await);
    assert!(r.contains("400 грн"), "{r}");
}

#[tokio::test]
async fn the_owner_answers_by_replying_to_the_card() {
    let app = app().await;
    app.text_from(CLIENT, "uk", "Чи робите ви устілки для собаки? Є питання").await;
    let card = owner_card(&app, "для собаки").await;
    for (round, answer) in ["Ні, на жаль, лише для людей.", "І ще: чекаємо вас на діагностику!"].iter().enumerate()
    {
        let update = insoles_crm::fake_telegram::updates::reply(app.next_update_id(), OWNER, answer, &card.body);
        let r = reply_text(&app.update(update).await);
        assert!(r.contains("Надіслано клієнту"), "round {round}: {r}");
        app.fake
            .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, CLIENT) && c.text() == *answer))
            .await
            .expect("her reply reached the client");
    }
    // A reply to anything else is ordinary text (here: a client search).
    let other = serde_json::json!({"text": "Меню", "reply_markup": {"inline_keyboard": []}});
    let update = insoles_crm::fake_telegram::updates::reply(app.next_update_id(), OWNER, "Петренко", &other);
    assert!(!reply_text(&app.update(update).await).contains("Надіслано"));
}

/// With `LLM_API_KEY` set, the running service answers clients through the LLM (here a fake
/// OpenAI-compatible server), falls back to the offline engine when it fails, and counts both.
#[tokio::test]
async fn the_service_answers_through_the_llm_and_falls_back_offline() {
    let fake = crate::llm::fake_llm().await;
    let good = serde_json::json!({"intent": "faq", "sentiment": "neutral", "topics": ["address"], "escalate": false,
        "reason": "", "answer": "Ми на вулиці Шахтарській — чекаємо вас!"})
    .to_string();
    fake.script.lock().unwrap().extend([(200, crate::llm::completion(&good), 0), (500, "{}".to_string(), 0)]);
    let kb = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/kb.md")).unwrap();
    let url = fake.url.clone();
    let app = TestApp::spawn_custom(false, None, |s| {
        s.knowledge = kb;
        s.llm = Some(insoles_crm::assistant::llm::LlmSettings {
            api_url: url,
            api_key: insoles_crm::config::Secret::new("test-key"),
            model: "test/model".into(),
            timeout: Duration::from_millis(2000),
            retries: 0,
            daily_budget: 100,
        });
    })
    .await;
    let r = reply_text(&app.text_from(CLIENT, "uk", "Де ви?").await);
    assert_eq!(r, "Ми на вулиці Шахтарській — чекаємо вас!");
    let r = reply_text(&app.text_from(CLIENT, "uk", "Скільки коштує діагностика?").await);
    assert!(r.contains("400 грн"), "the offline engine answered: {r}");
    let status = reply_text(&app.text("/assistant").await);
    assert!(status.contains("test/model"), "{status}");
    let metrics = reqwest::get(format!("http://{}/metrics", app.http)).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("insoles_llm_calls 2") && metrics.contains("insoles_llm_fallbacks 1"), "{metrics}");
}

/// Issue 13: a follow-up ("а дитячі?") is read with the same chat's previous message, and a
/// question the knowledge base does not cover reaches the owner with the reason.
#[tokio::test]
async fn a_follow_up_is_read_with_her_previous_message_and_an_uncovered_question_reaches_the_owner() {
    let app = app().await;
    let r = reply_text(&app.text_from(CLIENT, "uk", "Скільки днів виготовляєте устілки?").await);
    assert!(r.contains("5–7"), "{r}");
    let r = reply_text(&app.text_from(CLIENT, "uk", "а дитячі?").await);
    assert!(r.contains("5–7") && r.contains("1500"), "the follow-up is answered in context: {r}");
    // Another client's same follow-up has no context of hers: nothing to read it with.
    let r = reply_text(&app.text_from(CLIENT + 1, "uk", "а дитячі?").await);
    assert!(!r.contains("5–7"), "no context from another chat: {r}");
    let r = reply_text(&app.text_from(CLIENT, "uk", "Можна оплатити в євро?").await);
    assert!(r.contains("Передала ваше питання"), "{r}");
    let card = owner_card(&app, "в євро").await;
    assert!(card.text().contains("not in the knowledge base"), "{}", card.text());
}
