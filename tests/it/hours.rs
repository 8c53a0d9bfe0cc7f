//! One source of truth for the opening hours: what the owner sets with `/hours`, `/dayoff` and
//! `/vacation` is what the assistant tells clients (never the knowledge base's stale line); days
//! off are all listed and each can be removed; the assistant never points to a command clients
//! do not have, nor promises an SMS when SMS is not configured.

use crate::helpers::*;
use crate::identity::texts;
use chrono::{Datelike, Duration, Utc};

const CLIENT: i64 = 555_777;

async fn app() -> TestApp {
    let kb = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/kb.md")).unwrap();
    TestApp::spawn_custom(false, None, |s| s.knowledge = kb).await
}

fn in_days(n: i64) -> chrono::NaiveDate {
    (Utc::now().with_timezone(&chrono_tz::Europe::Kyiv) + Duration::days(n)).date_naive()
}

#[tokio::test]
async fn the_assistant_tells_clients_the_hours_the_owner_set_and_her_days_off() {
    let app = app().await;
    let kb_line = "Сб 10:00–15:00";
    let before = reply_text(&app.text_from(CLIENT, "uk", "Який у вас графік роботи?").await);
    assert!(!before.contains(kb_line), "the configured week, not the knowledge base's line: {before}");
    assert!(before.contains("Сб 10:00–14:00"), "{before}");

    app.text("/hours сб 11:00-13:00").await;
    let day = in_days(5);
    app.text(&format!("/dayoff {}", day.format("%d.%m"))).await;
    let after = reply_text(&app.text_from(CLIENT, "uk", "Коли ви працюєте?").await);
    assert!(after.contains("Сб 11:00–13:00"), "the owner's change, at once: {after}");
    assert!(after.contains(&format!("{} — вихідний", day.format("%d.%m.%Y"))), "her day off: {after}");

    // Removed again: the assistant stops announcing it.
    app.text(&format!("/dayoff remove {}", day.format("%d.%m"))).await;
    let again = reply_text(&app.text_from(CLIENT, "uk", "Який графік?").await);
    assert!(!again.contains(&day.format("%d.%m.%Y").to_string()), "{again}");
}

#[tokio::test]
async fn the_assistant_points_only_to_commands_that_work_and_promises_no_sms_without_sms() {
    let app = app().await;
    let calls = app.text_from(CLIENT, "uk", "Як дізнатися статус замовлення?").await;
    let text = texts(&calls);
    assert!(text.contains("Статус замовлення можна дізнатися"), "answered from the topic: {text}");
    assert!(!text.to_lowercase().contains("sms") && !text.to_lowercase().contains("смс"), "no SMS configured: {text}");

    // The command the knowledge base names works, and shows only her orders.
    let store = app.core.store();
    let her = store.lead_by_telegram(CLIENT).await.unwrap().expect("she wrote, so she is a lead");
    let other = client_with_phone(store, "Інша Клієнтка", "0671112233").await;
    insert_order(store, her, "Устілки спортивні", "prod").await;
    insert_order(store, other, "Чужі устілки", "prod").await;
    let status = reply_text(&app.text_from(CLIENT, "uk", "/status").await);
    assert!(status.contains("Устілки спортивні") && !status.contains("Чужі"), "{status}");
    let stranger = reply_text(&app.text_from(777_001, "uk", "/status").await);
    assert!(stranger.contains("не знайшли") && !stranger.contains("Устілки"), "{stranger}");
}

#[tokio::test]
async fn every_day_off_is_listed_with_a_button_that_removes_it() {
    let app = app().await;
    // Twenty single days off and one vacation: nothing is cut from the list.
    let mut days = vec![];
    for n in 0..20 {
        let d = in_days(3 + 2 * n);
        app.text(&format!("/dayoff {}", d.format("%d.%m.%Y"))).await;
        days.push(d);
    }
    let (from, to) = (in_days(60), in_days(73));
    app.text(&format!("/vacation {}-{}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"))).await;
    let calls = app.text("/hours").await;
    let text = reply_text(&calls);
    for d in &days {
        assert!(text.contains(&d.format("%d.%m.%Y").to_string()), "{d} is listed: {text}");
    }
    let vacation = format!("{}–{}", from.format("%d.%m"), to.format("%d.%m.%Y"));
    assert!(text.contains(&vacation), "a vacation is one line: {text}");

    let removed = app.press(&button(&calls, &format!("❌ {vacation}"))).await;
    assert!(reply_text(&removed).contains("знову робочий день"), "{}", reply_text(&removed));
    let schedule = app.core.store().exceptions_from(in_days(0)).await.unwrap();
    assert_eq!(schedule.len(), 20, "the 14 vacation days are working days again");
    assert!(schedule.iter().all(|(d, _, _)| d.year() >= 2026 && days.contains(d)));
    // A stale button for days already removed says so and changes nothing.
    let stale = app.press(&button(&calls, &format!("❌ {vacation}"))).await;
    assert!(reply_text(&stale).contains("немає"), "{}", reply_text(&stale));
}

#[tokio::test]
async fn a_day_off_years_ahead_is_refused_not_stored_out_of_sight() {
    let app = app().await;
    let text = reply_text(&app.text("/dayoff 31.12.20266").await);
    assert!(text.contains("Не зрозуміла дату"), "{text}");
    assert!(app.core.store().exceptions_from(in_days(0)).await.unwrap().is_empty(), "nothing stored");
}
