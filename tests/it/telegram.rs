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
