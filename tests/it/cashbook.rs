//! Issue 14, the cash book: expenses and payments taken in cash or at the terminal in one message
//! or from the order's payment menu, refusals with the reason (amounts, dates, orders), taking an
//! entry back, `/finance` for a period in the business time zone, the `.xlsx` export, and the
//! receipts owed while no cash register is connected.

use crate::helpers::*;
use chrono::Datelike;
use insoles_crm::domain::cash::{EntryKind, PayMethod};
use insoles_crm::domain::Money;
use insoles_crm::store::cashbook::{Fiscal, NewEntry};

async fn entry_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM cash_entries").fetch_one(app.core.store().pool()).await.unwrap()
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Kyiv).date_naive()
}

/// A client with an order of `price` hryvnias; the order's id.
async fn order_of(app: &TestApp, phone: &str, price: &str) -> i64 {
    app.text(&format!("/new_client Олена Тест, {phone}")).await;
    let created = app.text(&format!("/new_order {phone}, Устілки каркасні, {price}")).await;
    let data = button(&created, "💳 Оплата");
    data.split(':').nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_expense_in_one_message_is_booked_and_summed_by_category() {
    let app = TestApp::spawn().await;
    let done = app.text("/expense 350 матеріали EVA").await;
    let text = reply_text(&done);
    assert!(text.contains("Витрату записано") && text.contains("350,00 грн") && text.contains("матеріали"), "{text}");
    app.text("/expense 1200,50 Оренда вчора листопад").await;
    app.text("/expense 150 матеріали клей").await;
    let rows: Vec<(String, String, i64, Option<String>, chrono::NaiveDate)> =
        sqlx::query_as("SELECT kind, category, amount_kop, note, day FROM cash_entries ORDER BY id")
            .fetch_all(app.core.store().pool())
            .await
            .unwrap();
    assert_eq!(rows[0], ("expense".into(), "матеріали".into(), 35_000, Some("EVA".into()), today()));
    assert_eq!(rows[1].1, "оренда");
    assert_eq!(rows[1].4, today().pred_opt().unwrap(), "«вчора» is yesterday in Kyiv");

    let week = app.text("/finance тиждень").await;
    let text = reply_text(&week);
    let yesterday_in_week = today().weekday() != chrono::Weekday::Mon;
    if yesterday_in_week {
        assert!(text.contains("Витрати: 1 700,50 грн"), "{text}");
    }
    let today_only = reply_text(&app.text("/finance сьогодні").await);
    assert!(today_only.contains("Витрати: 500,00 грн"), "{today_only}");
    assert!(today_only.contains("матеріали: 500,00 грн (2)"), "{today_only}");
    assert!(today_only.contains("Прибуток: −500,00 грн"), "{today_only}");
}

#[tokio::test]
async fn bad_amounts_and_dates_are_refused_with_the_reason_and_nothing_is_booked() {
    let app = TestApp::spawn().await;
    for (line, reason) in [
        ("/expense 0 матеріали", "більшою за нуль"),
        ("/expense -350 матеріали", "більшою за нуль"),
        ("/expense 99999999 матеріали", "Завелика сума"),
        ("/expense 2000000 матеріали", "Завелика сума"),
        ("/expense матеріали 350", "Сума — це число"),
        ("/expense 350", "категорію"),
        ("/expense 350 матеріали 31.02", "Такої дати немає"),
        ("/expense 350 матеріали 01.01.2099", "ще не настала"),
        ("/income 17 100", "не знайдено"),
        ("/income Ольга 100", "/income <номер замовлення>"),
    ] {
        let text = reply_text(&app.text(line).await);
        assert!(text.contains(reason), "{line}: {text}");
    }
    assert!(reply_text(&app.text("/expense").await).contains("/expense 350 матеріали EVA"));
    assert_eq!(entry_count(&app).await, 0);
}

#[tokio::test]
async fn money_taken_from_the_payment_menu_pays_the_order_and_a_typo_is_taken_back() {
    let app = TestApp::spawn().await;
    let order = order_of(&app, "0671110001", "1800").await;
    let card = app.text(&format!("/order {order}")).await;
    let menu = app.press(&button(&card, "💳 Оплата")).await;
    let text = reply_text(&menu);
    assert!(text.contains("До сплати: 1 800,00 грн") && text.contains("MONOBANK_TOKEN"), "{text}");
    let ask = app.press(&button(&menu, "💵 Готівка")).await;
    assert!(reply_text(&ask).contains("Залишилось сплатити 1 800,00 грн"), "{}", reply_text(&ask));
    assert!(reply_text(&app.text("0").await).contains("більшою за нуль"), "the step keeps waiting after a refusal");
    assert!(reply_text(&app.text("2000").await).contains("Більше, ніж залишилось"));
    let paid = app.text("500").await;
    assert!(reply_text(&paid).contains("Записано: 500,00 грн, готівка"), "{}", reply_text(&paid));
    assert_eq!(app.core.store().order(order).await.unwrap().prepaid, Money::from_kopecks(50_000));

    // The rest at the terminal, in one message; then the order is paid and refuses more.
    let rest = app.text(&format!("/income #{order} 1300 термінал")).await;
    assert!(reply_text(&rest).contains("До сплати: 0,00 грн"), "{}", reply_text(&rest));
    let card = reply_text(&app.text(&format!("/order {order}")).await);
    assert!(card.contains("Оплачено повністю"), "{card}");
    assert!(reply_text(&app.text(&format!("/income {order} 1")).await).contains("уже сплачене повністю"));

    // The terminal payment was a typo: taken back, the order owes it again; a second tap finds nothing.
    let undo = button(&rest, "Скасувати запис");
    let undone = app.press(&undo).await;
    assert!(reply_text(&undone).contains("Запис скасовано"), "{}", reply_text(&undone));
    assert_eq!(app.core.store().order(order).await.unwrap().prepaid, Money::from_kopecks(50_000));
    app.press(&undo).await;
    assert_eq!(entry_count(&app).await, 1);
    let timeline =
        app.core.store().recent_interactions(app.core.store().order(order).await.unwrap().client_id, 20).await.unwrap();
    assert!(timeline.iter().any(|i| i.body.contains("Оплата 500,00 грн (готівка)")), "{timeline:?}");

    // "All of it" in one tap; a double tap books once.
    let menu = app.press(&format!("ym:{order}")).await;
    let ask = app.press(&button(&menu, "🏧 Термінал")).await;
    let all = button(&ask, "Уся сума");
    assert!(all.starts_with("ytd:"), "{all}");
    app.press(&all).await;
    app.press(&all).await;
    assert_eq!(app.core.store().order(order).await.unwrap().prepaid, Money::from_kopecks(180_000));
    assert_eq!(entry_count(&app).await, 2);
}

#[tokio::test]
async fn a_cancelled_order_takes_no_money() {
    let app = TestApp::spawn().await;
    let order = order_of(&app, "0671110002", "900").await;
    app.press(&format!("os:{order}:cancel")).await;
    let text = reply_text(&app.text(&format!("/income {order} 100 готівка")).await);
    assert!(text.contains("скасоване"), "{text}");
    let menu = reply_text(&app.press(&format!("yt:{order}:cash")).await);
    assert!(menu.contains("скасоване"), "{menu}");
    assert_eq!(entry_count(&app).await, 0);
}

#[tokio::test]
async fn finance_sums_a_period_by_method_and_category_with_what_orders_owe() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let a = order_of(&app, "0671110003", "1000").await;
    let b = order_of(&app, "0671110004", "2000").await;
    let day = |n: i64| today() - chrono::Duration::days(n);
    let book = |kind, method, kop, days_ago: i64, order: Option<i64>, category: &str| {
        let mut e = NewEntry::new(kind, method, Money::from_kopecks(kop), day(days_ago));
        e.order_id = order;
        e.category = category.into();
        if kind == EntryKind::Income {
            e.fiscal = Fiscal::Manual;
        }
        e
    };
    for e in [
        book(EntryKind::Income, PayMethod::Cash, 40_000, 0, Some(a), ""),
        book(EntryKind::Income, PayMethod::Terminal, 200_000, 0, Some(b), ""),
        book(EntryKind::Expense, PayMethod::Cash, 10_000, 0, None, "матеріали"),
        book(EntryKind::Expense, PayMethod::Cash, 99_900, 400, None, "оренда"),
    ] {
        store.record_entry(&e, |_| vec![]).await.unwrap();
    }
    // Order b is issued and paid; order a is open with 400 paid ahead; a third is issued unpaid.
    for s in ["prod", "ready", "issued"] {
        app.press(&format!("os:{b}:{s}")).await;
    }
    let c = order_of(&app, "0671110005", "700").await;
    for s in ["prod", "ready", "issued"] {
        app.press(&format!("os:{c}:{s}")).await;
    }
    let text = reply_text(&app.text("/finance сьогодні").await);
    for want in [
        "Надходження: 2 400,00 грн",
        "готівка: 400,00 грн (1)",
        "термінал: 2 000,00 грн (1)",
        "Витрати: 100,00 грн",
        "матеріали: 100,00 грн (1)",
        "Прибуток: 2 300,00 грн",
        "Передоплати за незавершеними замовленнями: 1 на 400,00 грн",
        "Видані, але не сплачені повністю: 1 на 700,00 грн",
        "Платежі без фіскального чека: 2",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(!text.contains("оренда"), "last year's rent is outside today: {text}");
    let range = day(400).format("%d.%m.%Y").to_string();
    let text = reply_text(&app.text(&format!("/finance {range}-{range}")).await);
    assert!(text.contains("оренда: 999,00 грн (1)") && text.contains("Надходження: 0,00 грн"), "{text}");
    for (args, reason) in [
        ("/finance 15.11-01.11", "Кінець періоду раніше"),
        ("/finance колись", "Період:"),
        ("/finance 31.02", "Такої дати немає"),
    ] {
        let text = reply_text(&app.text(args).await);
        assert!(text.contains(reason), "{args}: {text}");
    }
}

#[tokio::test]
async fn the_cash_book_exports_to_a_workbook() {
    let app = TestApp::spawn().await;
    let order = order_of(&app, "0671110006", "1800").await;
    app.text(&format!("/income {order} 500 готівка")).await;
    app.text("/expense 350 матеріали EVA").await;
    let finance = app.text("/finance").await;
    app.press(&button(&finance, "Excel")).await;
    let calls =
        app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.method.eq_ignore_ascii_case("sendDocument"))).await.unwrap();
    let doc = calls.iter().find(|c| c.method.eq_ignore_ascii_case("sendDocument")).unwrap();
    let (_, name, bytes) = &doc.files[0];
    assert!(name.starts_with("cashbook-") && name.ends_with(".xlsx"), "{name}");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let sheet = book.worksheet_range("Касова книга").unwrap();
    assert_eq!(sheet.get((0, 4)).unwrap().to_string(), "Сума, грн");
    assert_eq!(sheet.get((1, 1)).unwrap().to_string(), "надходження");
    assert_eq!(sheet.get((1, 4)).unwrap().to_string(), "500");
    assert_eq!(sheet.get((1, 7)).unwrap().to_string(), "Олена Тест");
    assert_eq!(sheet.get((2, 3)).unwrap().to_string(), "матеріали");
    assert_eq!(sheet.get((2, 4)).unwrap().to_string(), "-350");
    assert_eq!(sheet.get((4, 4)).unwrap().to_string(), "150", "the total under the rows");
}

#[tokio::test]
async fn without_a_cash_register_the_owner_sees_and_marks_the_receipts_owed() {
    let app = TestApp::spawn().await;
    let order = order_of(&app, "0671110007", "1800").await;
    app.text(&format!("/income {order} 500 термінал")).await;
    app.text("/expense 100 кава").await;
    let finance = app.text("/finance").await;
    assert!(reply_text(&finance).contains("Платежі без фіскального чека: 1"), "expenses need none");
    let owed = app.press(&button(&finance, "Без чека")).await;
    assert!(reply_text(&owed).contains("500,00 грн"), "{}", reply_text(&owed));
    let marked = app.press(&button(&owed, "Чек видано")).await;
    assert!(reply_text(&marked).contains("Усі чеки видано"), "{}", reply_text(&marked));
    assert!(!reply_text(&app.text("/finance").await).contains("без фіскального чека"));
}
