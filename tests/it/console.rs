//! The console adapter over the same core: numbered buttons chosen by number.

use crate::helpers::*;
use insoles_crm::channels::console;

#[tokio::test]
async fn console_chat_creates_and_opens_a_client() {
    let app = TestApp::spawn().await;
    let script = "/new_client Богдан Ткачук, 0空671234567\n/new_client Богдан Ткачук, 0671234567\n1\n9\n99\n/orders\n";
    let mut out = Vec::new();
    console::run(app.core.clone(), tokio::io::BufReader::new(script.as_bytes()), &mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("Не схоже на номер телефону"), "{out}");
    assert!(out.contains("Клієнта додано"));
    assert!(out.contains("[1] ✏️ Редагувати"));
    assert!(out.contains("що змінити?"), "button 1 opened the edit menu: {out}");
    assert!(out.contains("Немає кнопки з таким номером"));
    assert!(out.contains("Відкритих замовлень немає"));
    // The console is the owner on this machine: same database as Telegram.
    assert_eq!(app.core.store().client_count().await.unwrap(), 1);
}
