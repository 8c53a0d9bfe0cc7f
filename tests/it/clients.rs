//! Clients from the owner's Telegram chat: create, find, edit, guided flow, duplicates.

use crate::helpers::*;
use insoles_crm::domain::Phone;
use insoles_crm::fake_telegram::updates;

#[tokio::test]
async fn create_find_and_edit_a_client() {
    let app = TestApp::spawn().await;
    let calls = app.text("/new_client Ольга Марʼянчук, +38 (067) 123-45-67, прийшла з Instagram").await;
    let text = reply_text(&calls);
    assert!(text.contains("Клієнта додано"), "{text}");
    assert!(text.contains("Ольга Марʼянчук") && text.contains("+380 67 123 45 67"), "{text}");
    assert!(text.contains("прийшла з Instagram"), "the note lands in the timeline: {text}");

    // Case-, apostrophe- and form-insensitive search by name fragment, by phone fragment.
    for query in ["мар'янчук", "МАРЯНЧУК", "Мар’ян", "067 123", "1234567", "ольга мар"] {
        let text = reply_text(&app.text(&format!("/client {query}")).await);
        assert!(text.starts_with("👤 Ольга Марʼянчук"), "query {query}: {text}");
    }

    // Edit the foot length in place: edit menu (editMessageText), field prompt, typed value.
    let card = app.text("/client Ольга").await;
    let edit = app.press(&button(&card, "Редагувати")).await;
    assert_eq!(method_count(&edit, "editMessageText"), 1, "the menu replaces the card in place");
    let ask = app.press(&button(&edit, "Довжина стопи")).await;
    assert!(reply_text(&ask).contains("Довжина стопи"));
    let saved = app.text("26,5 см").await;
    assert!(reply_text(&saved).contains("26,5 см"), "{}", reply_text(&saved));

    // Conditions toggle in place, diabetes flag too.
    let menu = app.press(&button(&saved, "Діагнози")).await;
    let toggled = app.press(&button(&menu, "Плоскостопість")).await;
    assert!(toggled.iter().any(|c| c.buttons().iter().any(|(l, _)| l == "✅ Плоскостопість")));
    let toggled = app.press(&button(&toggled, "Цукровий діабет")).await;
    let back = app.press(&button(&toggled, "До картки")).await;
    let card = reply_text(&back);
    assert!(card.contains("Діагнози: Плоскостопість") && card.contains("Цукровий діабет"), "{card}");

    // Tags: add two, find by tag, remove one.
    let tags = app.press(&button(&back, "Теги")).await;
    app.press(&button(&tags, "Додати тег")).await;
    let tagged = app.text("#VIP instagram").await;
    assert!(reply_text(&tagged).contains("#instagram #vip"), "{}", reply_text(&tagged));
    assert!(reply_text(&app.text("/client #vip").await).starts_with("👤 Ольга"));
    let tags = app.press(&button(&tagged, "Теги")).await;
    app.press(&button(&tags, "#vip")).await;
    assert!(reply_text(&app.text("/client #vip").await).contains("нікого не знайдено"));

    // Note and call land in the timeline.
    let card = app.text("/client Ольга").await;
    app.press(&button(&card, "Нотатка")).await;
    app.text("Болить п'ята зранку").await;
    app.press(&button(&card, "Дзвінок")).await;
    let after_call = app.text("Домовились на примірку в пт").await;
    let text = reply_text(&after_call);
    assert!(text.contains("📝 Болить п'ята зранку") && text.contains("📞 Домовились"), "{text}");
}

#[tokio::test]
async fn every_phone_format_is_one_client() {
    let app = TestApp::spawn().await;
    let formats = ["0671234567", "+38 (067) 123-45-67", "380671234567", "067 123 45 67"];
    let first = reply_text(&app.text(&format!("/new_client Оксана Ткачук, {}", formats[0])).await);
    assert!(first.contains("Клієнта додано"), "{first}");
    for f in &formats[1..] {
        let calls = app.text(&format!("/new_client Інша Людина, {f}")).await;
        let text = reply_text(&calls);
        assert!(text.contains("уже є: Оксана Ткачук") && text.contains("👤 Оксана Ткачук"), "{f}: {text}");
        assert!(button(&calls, "Редагувати").starts_with("em:"), "the existing card, ready to use");
    }
    let phone = Phone::parse("0671234567").unwrap();
    let stored = app.core.store().client_by_phone(&phone).await.unwrap().unwrap();
    assert_eq!(stored.phone.as_deref(), Some("+380671234567"));
    assert_eq!(app.core.store().client_count().await.unwrap(), 1);
}

#[tokio::test]
async fn malformed_phone_explains_what_is_expected() {
    let app = TestApp::spawn().await;
    for bad in ["12345", "067-123", "телефон", "+380 0671234567"] {
        let text = reply_text(&app.text(&format!("/new_client Ірина Коваль, {bad}")).await);
        assert!(text.contains("Не схоже на номер телефону") && text.contains("0671234567"), "{bad}: {text}");
    }
    assert_eq!(app.core.store().client_count().await.unwrap(), 0);
}

#[tokio::test]
async fn guided_flow_survives_a_restart_and_takes_a_shared_contact() {
    let app = TestApp::spawn().await;
    assert!(reply_text(&app.text("/new_client").await).contains("Як звати клієнта"));
    assert!(reply_text(&app.text("Ірина Коваль").await).contains("Ірина Коваль — який телефон?"));
    let dir = app.stop().await;

    let app = TestApp::spawn_with(false, Some(dir)).await;
    let calls = app.update(updates::contact(app.next_update_id(), OWNER, "+380501112233", "Ірина")).await;
    assert!(reply_text(&calls).contains("Нотатка до клієнта"), "{}", reply_text(&calls));
    let done = app.press(&button(&calls, "Пропустити")).await;
    let text = reply_text(&done);
    assert!(text.contains("Клієнта додано") && text.contains("+380 50 111 22 33"), "{text}");
}

#[tokio::test]
async fn several_matches_give_a_list_of_buttons() {
    let app = TestApp::spawn().await;
    for (i, first) in ["Анна", "Марія", "Софія"].iter().enumerate() {
        app.text(&format!("/new_client {first} Коваль, 067000000{i}")).await;
    }
    let calls = app.text("/client коваль").await;
    assert!(reply_text(&calls).contains("знайдено 3 клієнти"));
    let buttons = calls.iter().flat_map(|c| c.buttons()).collect::<Vec<_>>();
    assert_eq!(buttons.len(), 3);
    let opened = app.press(&buttons[0].1).await;
    assert_eq!(method_count(&opened, "editMessageText"), 1);
    assert!(reply_text(&opened).contains("Коваль"));
}
