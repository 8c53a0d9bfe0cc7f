//! Issue 15, the reports: each of the six on seeded data gives the numbers computed here
//! independently, with the change against the previous period of the same length; a typed range;
//! the chart arrives as a photo that decodes; goals; the forecast (too little history, and 24
//! months of seasonal data); the web dashboard's signed link; strangers get nothing.
//!
//! Data is seeded straight in SQLite in March 2025 (previous period: 29.01–28.02.2025), so the
//! numbers do not depend on today's date.

use crate::helpers::*;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use insoles_crm::charts;
use insoles_crm::fake_telegram::Call;
use insoles_crm::store::Store;

const MARCH: &str = "/report продажі 01.03.2025-31.03.2025";

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

async fn client(store: &Store, n: i64, created: DateTime<Utc>, source: Option<&str>) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO clients (full_name, name_key, phone, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(format!("Клієнт {n}"))
    .bind(format!("клієнт {n}"))
    .bind(format!("+38067000{n:04}"))
    .bind(source)
    .bind(created)
    .bind(created)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

async fn order(store: &Store, client: i64, product: &str, hryvnias: i64, status: &str, when: DateTime<Utc>) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO orders (client_id, product, price_kop, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(client)
    .bind(product)
    .bind(hryvnias * 100)
    .bind(status)
    .bind(when)
    .bind(when)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

async fn booking(store: &Store, client: i64, channel: &str, status: &str, starts: DateTime<Utc>, utm: Option<&str>) {
    sqlx::query(
        "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, status, channel, utm, created_at, updated_at) \
         VALUES (?, 'diag', ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(client)
    .bind(starts)
    .bind(starts + chrono::Duration::hours(1))
    .bind(starts + chrono::Duration::hours(1))
    .bind(status)
    .bind(channel)
    .bind(utm)
    .bind(starts - chrono::Duration::days(2))
    .bind(starts)
    .execute(store.pool())
    .await
    .unwrap();
}

/// The latest photo the bot sent, decoded: (width, height, rgb). (Uploads are multipart: their
/// `chat_id` is a string, so they are looked up among all calls.)
fn photo(app: &TestApp) -> (u32, u32, Vec<u8>) {
    let calls = app.fake.calls_to("sendPhoto");
    let call = calls.last().expect("a photo");
    assert_eq!(call.body["chat_id"].as_str(), Some(OWNER.to_string().as_str()), "to the owner");
    let (_, _, bytes) = call.files.first().expect("the photo's file");
    if let Ok(dir) = std::env::var("REPORT_PNG_DIR") {
        let _ = std::fs::write(format!("{dir}/report-{}.png", calls.len()), bytes);
    }
    charts::png::decode_rgb(bytes).expect("the chart decodes as PNG")
}

fn has_colour(rgb: &[u8], colour: [u8; 3]) -> usize {
    rgb.chunks(3).filter(|p| *p == colour).count()
}

#[tokio::test]
async fn sales_for_a_typed_range_against_the_previous_period_with_a_chart() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    let (a, b) = (client(s, 1, at(2024, 5, 1, 9), None).await, client(s, 2, at(2025, 3, 2, 9), None).await);
    // March: 1 800 + 1 200 + 3 000 (+ a cancelled 999); February's last days: 1 000 + 1 000.
    order(s, a, "Устілки каркасні", 1800, "issued", at(2025, 3, 3, 10)).await;
    order(s, b, "Устілки каркасні", 1200, "new", at(2025, 3, 15, 10)).await;
    order(s, b, "Дитячі устілки", 3000, "ready", at(2025, 3, 31, 20)).await; // 22:00 Kyiv, still March
    order(s, b, "Дитячі устілки", 999, "cancel", at(2025, 3, 20, 10)).await;
    order(s, a, "Устілки каркасні", 1000, "issued", at(2025, 2, 10, 10)).await;
    order(s, a, "Устілки каркасні", 1000, "issued", at(2025, 1, 29, 10)).await;
    order(s, a, "Устілки каркасні", 7777, "issued", at(2025, 3, 31, 22)).await; // 00:00 Kyiv, 1 April: outside

    let calls = app.text(MARCH).await;
    let text = reply_text(&calls);
    assert!(text.contains("📈 Продажі · 01.03–31.03.2025"), "{text}");
    assert!(text.contains("проти 29.01–28.02.2025"), "{text}");
    assert!(text.contains("Виручка: 6 000,00 грн (▲ 200 %)"), "{text}");
    assert!(text.contains("Замовлень: 3 (▲ 50 %)"), "{text}");
    assert!(text.contains("Середній чек: 2 000,00 грн (▲ 100 %)"), "{text}");
    assert!(text.contains("Скасовано: 1"), "{text}");
    assert!(text.contains("Дитячі устілки — 1 · 3 000,00 грн"), "{text}");
    assert!(text.contains("Устілки каркасні — 2 · 3 000,00 грн"), "{text}");
    assert!(text.contains("нових 1 → записались 0 → замовили 1"), "client 2 was created in March: {text}");

    let (w, h, rgb) = photo(&app);
    assert_eq!((w, h), (charts::WIDTH, charts::HEIGHT));
    assert!(has_colour(&rgb, charts::PALETTE[0]) > 1000, "bars of the revenue colour");
    // The period buttons, and the range typed after the ✏️ button.
    let custom = button(&calls, "Свої дати");
    let ask = app.press(&custom).await;
    assert!(reply_text(&ask).contains("01.11-15.11"), "{}", reply_text(&ask));
    let refused = app.text("колись").await;
    assert!(reply_text(&refused).contains("Не зрозуміла період"), "{}", reply_text(&refused));
    let again = app.text("01.03.2025-31.03.2025").await;
    assert!(reply_text(&again).contains("Виручка: 6 000,00 грн"), "the step waited for a good range");
}

#[tokio::test]
async fn marketing_counts_leads_by_source_and_bookings_by_channel() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    let mut n = 0;
    for (source, count) in [("web", 3), ("calcom", 1)] {
        for _ in 0..count {
            n += 1;
            client(s, n, at(2025, 3, 5, 12), Some(source)).await;
        }
    }
    let hand = client(s, 99, at(2025, 3, 6, 12), None).await;
    client(s, 98, at(2025, 2, 6, 12), None).await; // previous period
    for (channel, status, utm) in [
        ("web", "came", Some("utm_source=fb")),
        ("web", "no_show", None),
        ("telegram", "came", None),
        ("owner", "came", None),
    ] {
        booking(s, hand, channel, status, at(2025, 3, 10, 9), utm).await;
    }
    let text = reply_text(&app.text("/report маркетинг 01.03.2025-31.03.2025").await);
    assert!(text.contains("Нових клієнтів (карток): 5 (▲ 400 %)"), "{text}");
    assert!(text.contains("сторінка запису — 3 (60 %)"), "{text}");
    assert!(text.contains("Cal.com — 1 (20 %)"), "{text}");
    assert!(text.contains("не вказано — 1 (20 %)"), "{text}");
    assert!(text.contains("сторінка запису — 2, прийшли 1 (50 %)"), "{text}");
    assert!(text.contains("Telegram — 1, прийшли 1 (100 %)"), "{text}");
    assert!(text.contains("З посиланням ref/UTM: 1 (25 %)"), "{text}");
    assert!(text.contains("Витрати на рекламу"), "what is not tracked is said: {text}");

    // Cards without a source: the report says the source is not recorded instead of inventing one.
    let app = TestApp::spawn().await;
    client(app.core.store(), 1, at(2025, 3, 5, 12), None).await;
    let text = reply_text(&app.text("/report marketing 01.03.2025-31.03.2025").await);
    assert!(text.contains("Джерело ліда ще не записується"), "{text}");
}

#[tokio::test]
async fn customers_new_and_returning_buyers_replacements_birthdays_nps_and_reminders_effect() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    let old = client(s, 1, at(2024, 1, 1, 9), None).await;
    let fresh = client(s, 2, at(2025, 3, 1, 9), None).await;
    let o1 = order(s, old, "Устілки", 1500, "issued", at(2024, 6, 1, 9)).await;
    let o2 = order(s, old, "Устілки", 1500, "issued", at(2025, 3, 4, 9)).await;
    let o3 = order(s, fresh, "Устілки", 1500, "new", at(2025, 3, 5, 9)).await;
    let o4 = order(s, fresh, "Устілки", 1500, "new", at(2025, 3, 6, 9)).await;
    // Due for new insoles: an issued order 12½ months ago is her last one.
    let due = client(s, 3, at(2023, 1, 1, 9), None).await;
    let year_ago = Utc::now() - chrono::Duration::days(380);
    let o5 = order(s, due, "Устілки", 1500, "issued", year_ago).await;
    let text = reply_text(&app.text("/report клієнти 01.03.2025-31.03.2025").await);
    assert!(text.contains("NPS: ще немає відповідей (раніше —; ціль — понад 70)"), "{text}");
    assert!(text.contains("Нагадувань за життям виробу за цей період не надсилали (раніше 0)"), "{text}");
    // NPS: March 10, 9, 8, 3 → (2 − 1) / 4 = 25; February one 10 → 100.
    for (o, score, when) in [
        (o1, 10, at(2025, 3, 10, 9)),
        (o2, 9, at(2025, 3, 11, 9)),
        (o3, 8, at(2025, 3, 12, 9)),
        (o4, 3, at(2025, 3, 31, 20)), // 23:00 in Kyiv, the period's last hour
        (o5, 10, at(2025, 2, 10, 9)),
    ] {
        nps(s, o, score, when).await;
    }
    // Reminders over the product's life: in March one to `old` (she booked on 03.03 and ordered on
    // 04.03 after it) and one to `fresh` (nothing followed); in February one to `due` (nothing).
    sent_reminder(s, o1, at(2025, 3, 1, 9)).await;
    booking(s, old, "telegram", "came", at(2025, 3, 5, 9), None).await;
    sent_reminder(s, o3, at(2025, 3, 20, 9)).await;
    sent_reminder(s, o5, at(2025, 2, 10, 9)).await;
    sent_reminder(s, o4, at(2025, 4, 2, 9)).await; // after the period
    let text = reply_text(&app.text("/report клієнти 01.03.2025-31.03.2025").await);
    assert!(
        text.contains(
            "NPS: 25 ⚠️ (раніше 100; ціль — понад 70), відповідей 4: прихильників 2, нейтральних 1, критиків 1"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "надіслано 2 (▲ 100 %); протягом 30 дн. після них записались 1 (50 %, раніше 0 %), замовили знову 1 (50 %, раніше 0 %)"
        ),
        "{text}"
    );
    assert!(text.contains("Нових карток: 1 (▲)"), "{text}");
    assert!(text.contains("Купували: 2 (▲) — нових 1, повторних 1"), "{text}");
    assert!(text.contains("Частка повторних покупців: 50 %"), "{text}");
    assert!(text.contains("Час міняти устілки (рік тому, без нового замовлення): 1"), "{text}");
    assert!(text.contains("Дати народження ще не записані"), "{text}");
    let month = Utc::now().with_timezone(&chrono_tz::Europe::Kyiv).month();
    sqlx::query("UPDATE clients SET birth_date = ? WHERE id = ?")
        .bind(format!("1990-{month:02}-15"))
        .bind(old)
        .execute(s.pool())
        .await
        .unwrap();
    let text = reply_text(&app.text("/report клієнти 01.03.2025-31.03.2025").await);
    assert!(text.contains("Дні народження цього місяця: 1"), "{text}");
}

async fn nps(store: &Store, order: i64, score: i64, when: DateTime<Utc>) {
    sqlx::query("INSERT INTO nps_answers (order_id, score, channel, created_at) VALUES (?, ?, 'telegram', ?)")
        .bind(order)
        .bind(score)
        .bind(when)
        .execute(store.pool())
        .await
        .unwrap();
}

async fn sent_reminder(store: &Store, order: i64, when: DateTime<Utc>) {
    sqlx::query("INSERT INTO aftercare (order_id, kind, mode, due_at, status, sent_at) VALUES (?, 'check_in', 'message', ?, 'sent', ?)")
        .bind(order)
        .bind(when)
        .bind(when)
        .execute(store.pool())
        .await
        .unwrap();
}

async fn cash(store: &Store, kind: &str, method: &str, hryvnias: i64, category: &str, day: &str) {
    sqlx::query("INSERT INTO cash_entries (kind, method, amount_kop, category, day, at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(kind)
        .bind(method)
        .bind(hryvnias * 100)
        .bind(category)
        .bind(day)
        .bind(format!("{day}T10:00:00+00:00"))
        .execute(store.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn finance_income_by_method_expenses_profit_cash_and_cost_share() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    cash(s, "income", "cash", 1000, "", "2025-03-05").await;
    cash(s, "income", "terminal", 2000, "", "2025-03-06").await;
    cash(s, "expense", "cash", 900, "матеріали", "2025-03-07").await;
    cash(s, "income", "cash", 500, "", "2025-02-10").await;
    cash(s, "expense", "cash", 100, "оренда", "2025-04-02").await; // after the period
    let calls = app.text("/report фінанси 01.03.2025-31.03.2025").await;
    let text = reply_text(&calls);
    assert!(text.contains("Надходження: 3 000,00 грн (▲ 500 %)"), "{text}");
    assert!(text.contains("Готівка — 1 000,00 грн") || text.contains("готівка — 1 000,00 грн"), "{text}");
    assert!(text.contains("Витрати: 900,00 грн (▲)"), "{text}");
    assert!(text.contains("матеріали — 900,00 грн"), "{text}");
    assert!(text.contains("Прибуток: 2 100,00 грн (▲ 320 %)"), "{text}");
    assert!(text.contains("Гроші в касі на кінець періоду: 2 600,00 грн"), "{text}");
    assert!(text.contains("Витрати від надходжень: 30 % ⚠️"), "{text}");
    let (_, _, rgb) = photo(&app);
    assert!(has_colour(&rgb, charts::PALETTE[0]) > 100 && has_colour(&rgb, charts::PALETTE[1]) > 100);
}

#[tokio::test]
async fn operations_visits_show_up_production_time_and_overdue_work() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    let c = client(s, 1, at(2025, 1, 1, 9), None).await;
    for status in ["came", "came", "came", "no_show", "cancelled"] {
        booking(s, c, "telegram", status, at(2025, 3, 12, 9), None).await;
    }
    booking(s, c, "telegram", "no_show", at(2025, 2, 12, 9), None).await;
    booking(s, c, "telegram", "came", at(2025, 2, 13, 9), None).await;
    let o = order(s, c, "Устілки", 1500, "ready", at(2025, 3, 1, 9)).await;
    sqlx::query("INSERT INTO order_history (order_id, from_status, to_status, at) VALUES (?, 'prod', 'ready', ?)")
        .bind(o)
        .bind(at(2025, 3, 5, 9))
        .execute(s.pool())
        .await
        .unwrap();
    order(s, c, "Устілки", 1500, "prod", Utc::now() - chrono::Duration::days(20)).await;
    sqlx::query("INSERT INTO tasks (body, due_at, created_at) VALUES ('подзвонити', ?, ?)")
        .bind(Utc::now() - chrono::Duration::hours(3))
        .bind(Utc::now() - chrono::Duration::days(1))
        .execute(s.pool())
        .await
        .unwrap();
    let text = reply_text(&app.text("/report робота 01.03.2025-31.03.2025").await);
    assert!(text.contains("Візитів: 5 (▲ 150 %) — прийшли 3, не прийшли 1, скасовано 1, попереду 0"), "{text}");
    assert!(text.contains("Прийшли з тих, хто мав прийти: 75 % (раніше 50 %)"), "{text}");
    assert!(text.contains("Виготовлення в середньому: 4,0 дн. (1 замовлень готові)"), "{text}");
    assert!(text.contains("Відкриті замовлення, старші за 14 дн.: 1"), "{text}");
    assert!(text.contains("Прострочені завдання: 1"), "{text}");
    // The scheduler beats at start-up: uptime is measured from then on.
    wait_until("a heartbeat", || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM heartbeats").fetch_one(s.pool()).await.unwrap() > 0
    })
    .await;
    let today = reply_text(&app.text("/report робота сьогодні").await);
    assert!(today.contains("Сервіс працював: 100,0 % часу"), "{today}");
}

#[tokio::test]
async fn assistant_messages_auto_answer_rate_and_open_escalations() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    let c = client(s, 1, at(2025, 1, 1, 9), None).await;
    for (channel, n) in [("telegram", 10), ("instagram", 4)] {
        for i in 0..n {
            sqlx::query(
                "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) VALUES (?, ?, 'in', 'message', 'привіт', ?)",
            )
            .bind(c)
            .bind(channel)
            .bind(at(2025, 3, 10, 9) + chrono::Duration::minutes(i))
            .execute(s.pool())
            .await
            .unwrap();
        }
    }
    for (channel, status) in [("telegram", "pending"), ("telegram", "pending"), ("instagram", "sent")] {
        sqlx::query(
            "INSERT INTO drafts (client_id, channel, question, suggestion, status, created_at) VALUES (?, ?, 'q', '', ?, ?)",
        )
        .bind(c)
        .bind(channel)
        .bind(status)
        .bind(at(2025, 3, 10, 9))
        .execute(s.pool())
        .await
        .unwrap();
    }
    let calls = app.text("/report асистент 01.03.2025-31.03.2025").await;
    let text = reply_text(&calls);
    assert!(text.contains("Повідомлень від клієнтів: 14 (▲)"), "{text}");
    assert!(text.contains("Telegram — 10, передано вам 2"), "{text}");
    assert!(text.contains("Instagram — 4, передано вам 1"), "{text}");
    assert!(text.contains("Асистент відповів сам: 11 (79 %"), "{text}");
    assert!(text.contains("Передано вам: 3, ще без відповіді: 2"), "{text}");
    assert!(text.contains("Асистент ще не аналізував повідомлень"), "{text}");
    photo(&app);
}

#[tokio::test]
async fn assistant_escalation_reasons_intents_and_negative_share_from_client_messages() {
    let kb = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/kb.md")).unwrap();
    let app = TestApp::spawn_custom(false, None, |s| s.knowledge = kb).await;
    let client = 555_777;
    for q in [
        "Скільки коштує діагностика?",
        "Хочу записатися на діагностику",
        "У мене болить пʼята зранку вже місяць, що мені робити?",
        "Жахливі устілки, натирають, я дуже незадоволена, поверніть гроші!",
    ] {
        // The first answer can take a while on a loaded debug build: wait longer than `WAIT`.
        let before = app.fake.calls().len();
        app.deliver(insoles_crm::fake_telegram::updates::text(app.next_id(), client, "uk", q)).await;
        let replied = app.fake.wait_for(std::time::Duration::from_secs(60), |c| {
            c[before..].iter().any(|c| c.method.eq_ignore_ascii_case("sendMessage") && in_chat(c, client))
        });
        replied.await.expect("an answer");
    }
    let s = app.core.store();
    let rows: Vec<(String, String, bool, String)> =
        sqlx::query_as("SELECT intent, sentiment, escalated, reason FROM ai_decisions ORDER BY id")
            .fetch_all(s.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 4, "one decision per message: {rows:?}");
    assert_eq!((rows[0].0.as_str(), rows[0].2), ("faq", false), "{rows:?}");
    assert_eq!((rows[1].0.as_str(), rows[1].2), ("booking", false), "{rows:?}");
    assert_eq!((rows[2].0.as_str(), rows[2].2), ("consultation", true), "{rows:?}");
    assert!(rows[3].2 && rows[3].1 == "negative", "a complaint: {rows:?}");
    // The owner's escalation cards reach her chat too: look for the report among the messages.
    app.text("/report асистент сьогодні").await;
    let report = |c: &[Call]| c.iter().any(|c| c.text().starts_with("🤖 Асистент ·"));
    let calls = app.fake.wait_for(std::time::Duration::from_secs(60), report).await.unwrap();
    let text = calls.iter().find(|c| c.text().starts_with("🤖 Асистент ·")).unwrap().text().to_string();
    assert!(text.contains("Чому передано вам:"), "{text}");
    for reason in [&rows[2].3, &rows[3].3] {
        let n = if rows[2].3 == rows[3].3 { 2 } else { 1 };
        assert!(text.contains(&format!("{reason} — {n}")), "{reason}: {text}");
    }
    assert!(text.contains("питання 1") && text.contains("запис 1") && text.contains("консультація 1"), "{text}");
    assert!(text.contains("Негативних повідомлень: 25 % (1 з 4; раніше —)"), "{text}");
}

#[tokio::test]
async fn goal_progress_and_too_little_history_for_a_forecast() {
    let app = TestApp::spawn().await;
    let done = reply_text(&app.text("/goal 20 замовлень").await);
    assert!(done.contains("20 замовлень"), "{done}");
    app.text("/goal 60000 грн").await;
    assert!(reply_text(&app.text("/goal багато").await).contains("/goal 20 замовлень"));
    let c = client(app.core.store(), 1, Utc::now(), None).await;
    for _ in 0..5 {
        order(app.core.store(), c, "Устілки", 1800, "new", Utc::now()).await;
    }
    let text = reply_text(&app.text("/report продажі").await);
    assert!(text.contains("5 із 20 замовлень (25 %)"), "{text}");
    assert!(text.contains("9 000,00 грн із 60 000,00 грн (15 %)"), "{text}");
    assert!(text.contains("Прогнозу ще немає: замало історії — 0 повних міс., потрібно щонайменше 3"), "{text}");
    let en = reply_text(&app.text_from(OWNER, "uk", "/report").await);
    assert!(en.contains("Оберіть звіт"), "{en}");
}

#[tokio::test]
async fn forecast_on_24_months_of_seasonal_data_lands_within_its_interval() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    let c = client(s, 1, at(2020, 1, 1, 9), None).await;
    let tz = chrono_tz::Europe::Kyiv;
    let this_month = Utc::now().with_timezone(&tz).date_naive().with_day(1).unwrap();
    let season = [14, 13, 11, 10, 9, 8, 8, 9, 11, 12, 13, 15];
    // 25 complete months; the first 24 forecast the 25th (last month).
    let mut months = vec![];
    let mut m = this_month;
    for _ in 0..25 {
        m = (m - chrono::Duration::days(1)).with_day(1).unwrap();
        months.push(m);
    }
    months.reverse();
    let count = |i: usize, d: chrono::NaiveDate| season[d.month0() as usize] + i as i64 / 4;
    for (i, d) in months.iter().enumerate() {
        for k in 0..count(i, *d) {
            let when = tz.from_local_datetime(&d.and_hms_opt(12, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
                + chrono::Duration::days(k % 25);
            order(s, c, "Устілки", 1000, "issued", when).await;
        }
    }
    // The history the report reads is the seeded one, month by month.
    let history = insoles_crm::core::reports::sales::monthly_history(&app.core, Utc::now()).await.unwrap();
    let expected: Vec<i64> = months.iter().enumerate().map(|(i, d)| count(i, *d)).collect();
    assert_eq!(history.iter().map(|(n, _)| *n).collect::<Vec<_>>(), expected, "from the first month with an order");
    assert_eq!(history[0].1, expected[0] * 100_000, "revenue in kopecks");
    // The last month forecast from the 24 before it lands within its interval.
    let first_24: Vec<f64> = history.iter().take(24).map(|(n, _)| *n as f64).collect();
    let f = insoles_crm::domain::forecast::next_month(&first_24).unwrap();
    let actual = expected[24] as f64;
    assert!(f.seasonal && f.low <= actual && actual <= f.high, "{actual} outside {f:?}");
    let text = reply_text(&app.text("/report продажі").await);
    assert!(text.contains("🔮 Прогноз на") && text.contains("з історії 25 міс."), "{text}");
}

#[tokio::test]
async fn unknown_period_and_unknown_report_are_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    assert!(reply_text(&app.text("/report продажі колись").await).contains("Не зрозуміла період"));
    assert!(reply_text(&app.text("/report продажі 15.03.2025-01.03.2025").await).contains("раніше за початок"));
    assert!(reply_text(&app.text("/report продажі 01.01.2099-02.01.2099").await).contains("ще не настав"));
    assert!(reply_text(&app.text("/report погода").await).contains("/report продажі"));
    let en = reply_text(&app.text_from(OWNER, "en", "/lang en").await);
    assert!(!en.is_empty());
    assert!(reply_text(&app.text("/report sales someday").await).contains("did not understand the period"));
}

#[tokio::test]
async fn the_menu_offers_six_reports_and_each_answers_with_a_photo() {
    let app = TestApp::spawn().await;
    let menu = app.text("/report").await;
    let data: Vec<String> = menu.iter().flat_map(|c| c.buttons()).map(|(_, d)| d).collect();
    for code in ["sales", "mkt", "cust", "fin", "ops", "ai"] {
        let cb = format!("rp:{code}:m");
        assert!(data.contains(&cb), "{data:?}");
        let shown = app.press(&cb).await;
        let (w, h, _) = photo(&app);
        assert_eq!((w, h), (800, 500), "{code}");
        assert!(reply_text(&shown).contains("(зміна — проти"), "{code}: {}", reply_text(&shown));
    }
}

#[tokio::test]
async fn strangers_get_no_report_and_no_dashboard_link() {
    let app = TestApp::spawn_webhook().await;
    let c = client(app.core.store(), 1, Utc::now(), None).await;
    order(app.core.store(), c, "Устілки", 4321, "new", Utc::now()).await;
    for cmd in ["/report продажі", "/dashboard", "/goal 5 замовлень"] {
        let calls = app.text_from(STRANGER, "uk", cmd).await;
        let text = reply_text(&calls);
        assert!(
            !text.contains("4 321") && !text.contains("dashboard?token") && !text.contains("Ціль"),
            "{cmd}: {text}"
        );
        assert_eq!(app.fake.calls_to("sendPhoto").len(), 0, "{cmd}");
    }
    for data in ["rp:sales:m", "rpd"] {
        let calls = app.press_from(STRANGER, data, 1).await;
        assert_eq!(app.fake.calls_to("sendPhoto").len(), 0, "{data}");
        assert!(!calls.iter().any(|c| c.text().contains("token=")), "{data}");
    }
    assert_eq!(app.core.store().goals(&Utc::now().format("%Y-%m").to_string()).await.unwrap(), (None, None));
}

#[tokio::test]
async fn the_dashboard_opens_with_the_owners_link_and_refuses_forged_or_expired_tokens() {
    let app = TestApp::spawn_webhook().await;
    let c = client(app.core.store(), 1, Utc::now(), None).await;
    order(app.core.store(), c, "Устілки", 4321, "new", Utc::now()).await;
    let text = reply_text(&app.text("/dashboard").await);
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with("https://crm.example.test/dashboard?token="))
        .expect(&text)
        .to_string();
    let token = url.split("token=").nth(1).unwrap().to_string();
    let http = reqwest::Client::new();
    let get = |q: String| {
        let http = http.clone();
        let addr = app.http;
        async move {
            let r = http.get(format!("http://{addr}/dashboard{q}")).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, page) = get(format!("?token={token}")).await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("data:image/png;base64,").count(), 6, "six charts");
    assert!(page.contains("4 321,00 грн") && page.contains("🤖 Асистент"), "the reports' text");
    let (status, en) = get(format!("?token={token}&period=week&lang=en")).await;
    assert_eq!(status, 200);
    assert!(en.contains("Sales"), "English");

    let (exp, sig) = token.split_once('.').unwrap();
    let flipped = format!("{exp}.{}{}", if sig.starts_with('0') { "1" } else { "0" }, &sig[1..]);
    let later = format!("{}.{sig}", exp.parse::<i64>().unwrap() + 3600);
    let expired =
        insoles_crm::core::reports::web_login::token(&app.core, Utc::now() - chrono::Duration::hours(1)).await.unwrap();
    for bad in [
        String::new(),
        "?token=".into(),
        format!("?token={flipped}"),
        format!("?token={later}"),
        format!("?token={expired}"),
        "?token=1.2".into(),
    ] {
        let (status, page) = get(bad.clone()).await;
        assert_eq!(status, 401, "{bad}");
        assert!(page.contains("Посилання недійсне або застаріле") && !page.contains("4 321"), "{bad}: {page}");
    }
    let (_, en) = get(format!("?token={flipped}&lang=en")).await;
    assert!(en.contains("invalid or expired"), "{en}");
}

#[tokio::test]
async fn metrics_carry_the_business_gauges() {
    let app = TestApp::spawn().await;
    let c = client(app.core.store(), 1, Utc::now(), None).await;
    order(app.core.store(), c, "Устілки", 1500, "new", Utc::now()).await;
    order(app.core.store(), c, "Устілки", 2500, "new", Utc::now()).await;
    let body = reqwest::get(format!("http://{}/metrics", app.http)).await.unwrap().text().await.unwrap();
    assert!(body.contains("insoles_orders_month 2"), "{body}");
    assert!(body.contains("insoles_revenue_month_uah 4000.00"), "{body}");
    assert!(body.contains("insoles_open_escalations 0"), "{body}");
}

#[tokio::test]
async fn the_summary_tables_follow_every_change_of_orders_and_messages() {
    let app = TestApp::spawn().await;
    let s = app.core.store();
    let (a, b) = (client(s, 1, at(2025, 1, 1, 9), None).await, client(s, 2, at(2025, 1, 1, 9), None).await);
    let o1 = order(s, a, "Устілки", 1000, "new", at(2025, 3, 3, 10)).await;
    let o2 = order(s, a, "Устілки", 2000, "new", at(2025, 4, 3, 10)).await;
    order(s, b, "Устілки", 500, "issued", at(2025, 2, 3, 10)).await;
    let run = |sql: &'static str, id: i64| async move { sqlx::query(sql).bind(id).execute(s.pool()).await.unwrap() };
    run("UPDATE orders SET status = 'cancel' WHERE id = ?", o1).await;
    run("UPDATE orders SET price_kop = 2500 WHERE id = ?", o2).await;
    // A merge: her orders move to the other card.
    run("UPDATE orders SET client_id = 2 WHERE client_id = ?", a).await;
    run("DELETE FROM orders WHERE id = ?", o1).await;
    let c = client(s, 3, at(2025, 1, 1, 9), None).await;
    for (i, ch) in ["telegram", "instagram", "telegram"].iter().enumerate() {
        sqlx::query("INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) VALUES (?, ?, 'in', 'message', '', ?)")
            .bind(c)
            .bind(ch)
            .bind(at(2025, 3, 1 + i as u32, 9))
            .execute(s.pool())
            .await
            .unwrap();
    }
    run("DELETE FROM interactions WHERE client_id = ? AND channel = 'instagram'", c).await;
    let pairs: [(&str, &str); 4] = [
        (
            "SELECT hour, status, orders, revenue_kop FROM order_hours WHERE orders != 0 ORDER BY 1, 2",
            "SELECT substr(created_at, 1, 13), status, COUNT(*), SUM(price_kop) FROM orders GROUP BY 1, 2 ORDER BY 1, 2",
        ),
        (
            "SELECT month, status, orders, revenue_kop FROM order_months WHERE orders != 0 ORDER BY 1, 2",
            "SELECT substr(created_at, 1, 7), status, COUNT(*), SUM(price_kop) FROM orders GROUP BY 1, 2 ORDER BY 1, 2",
        ),
        (
            "SELECT CAST(client_id AS TEXT), first_at || last_at, 0, 0 FROM client_orders ORDER BY client_id",
            "SELECT CAST(client_id AS TEXT), MIN(created_at) || MAX(created_at), 0, 0 FROM orders GROUP BY client_id ORDER BY client_id",
        ),
        (
            "SELECT hour, channel, count, 0 FROM message_hours WHERE count != 0 AND direction = 'in' ORDER BY 1, 2",
            "SELECT substr(created_at, 1, 13), channel, COUNT(*), 0 FROM interactions WHERE direction = 'in' GROUP BY 1, 2 ORDER BY 1, 2",
        ),
    ];
    for (summary, direct) in pairs {
        let got: Vec<(String, String, i64, i64)> = sqlx::query_as(summary).fetch_all(s.pool()).await.unwrap();
        let want: Vec<(String, String, i64, i64)> = sqlx::query_as(direct).fetch_all(s.pool()).await.unwrap();
        assert_eq!(got, want, "{summary}");
        assert!(!got.is_empty(), "{summary}");
    }
}
