//! Unknown commands, garbage, oversize and hostile input: a clear answer, nothing changes.

use crate::helpers::*;
use insoles_crm::fake_telegram::updates;

#[tokio::test]
async fn every_bad_input_gets_a_clear_answer_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.text("/new_client Наталія Кравчук, 0681234567").await;
    let long_name = "Я".repeat(5000);
    let cases: Vec<(String, &str)> = vec![
        ("/frobnicate".into(), "Такої команди немає"),
        ("/".into(), "Такої команди немає"),
        ("asdfghjkl qwerty".into(), "не знайдено"),
        (format!("/new_client {long_name}, 0671234567"), "Задовго: 5000"),
        ("/new_client 12345, 0671234567".into(), "Ім'я має містити літери"),
        ("/new_client Robert'); DROP TABLE clients;--, 0671234567".into(), "Клієнта додано"),
        ("/client '; DELETE FROM clients; --".into(), "нікого не знайдено"),
        ("/client %".into(), "нікого не знайдено"),
        ("/client _".into(), "нікого не знайдено"),
        (format!("/client {}", "x".repeat(300)), "Задовго"),
        ("x".repeat(3000), "Не зрозуміла"),
        ("/task Купити клей 31.02 10:00".into(), "Такої дати чи часу не буває"),
        ("/task Купити клей".into(), "без терміну"),
        ("/task Подзвонити 01.01.2020 10:00".into(), "уже минув"),
        ("/new_client 🌸 Олена 🌸, 0661234567".into(), "Клієнта додано"),
    ];
    for (input, expected) in &cases {
        let text = reply_text(&app.text(input).await);
        assert!(text.contains(expected), "{}: {text}", &input.chars().take(60).collect::<String>());
    }
    let store = app.core.store();
    assert_eq!(store.client_count().await.unwrap(), 3, "only the two valid clients were added");
    assert_eq!(store.search_clients("Наталія", 5).await.unwrap().len(), 1, "existing data is intact");

    let sticker = app.update(updates::sticker(app.next_update_id(), OWNER)).await;
    assert!(reply_text(&sticker).contains("розумію текст"));
    let stale = app.press("zz:1").await;
    assert!(stale.last().unwrap().body["text"].as_str().unwrap().contains("застаріла"));
    let missing = app.press("c:987654").await;
    assert!(reply_text(&missing).contains("Не знайдено"));
}
