//! Issue 14, fiscal receipts against a fake Checkbox on loopback: a sell receipt for a Monobank
//! payment (the shift opened first, the receipt's link in the client's thank-you), a return
//! receipt for a refund tied to its sale, Checkbox's errors retried under the same receipt id
//! without a second receipt, and a refusal told to the owner and listed among the receipts owed.

use crate::helpers::*;
use insoles_crm::domain::Money;
use insoles_crm::fake_checkbox::FakeCheckbox;
use insoles_crm::fake_monobank::FakeMonobank;
use serde_json::json;
use std::time::Duration;

const CLIENT_CHAT: i64 = 555_002;
const SELL: &str = "/api/v1/receipts/sell";
/// Receipts take a few of the job's steps (2 s apart), a retry a little more.
const RECEIPT_WAIT: Duration = Duration::from_secs(25);

async fn spawn() -> (TestApp, FakeMonobank, FakeCheckbox) {
    let mono = FakeMonobank::start().await.unwrap();
    let cb = FakeCheckbox::start().await.unwrap();
    let (m, c) = (mono.config(), cb.config());
    let app = TestApp::spawn_custom(true, None, move |s| {
        s.payments.monobank = Some(m);
        s.payments.checkbox = Some(c);
    })
    .await;
    (app, mono, cb)
}

async fn order_for_client(app: &TestApp, phone: &str, price: i64) -> i64 {
    let store = app.core.store();
    let client = client_with_phone(store, "Марія Чек", phone).await;
    sqlx::query("UPDATE clients SET telegram_id = ? WHERE id = ?")
        .bind(CLIENT_CHAT)
        .bind(client)
        .execute(store.pool())
        .await
        .unwrap();
    store
        .create_order(client, "Устілки спортивні", Money::from_kopecks(price), Money::ZERO, "test", |_| "o".into())
        .await
        .unwrap()
}

async fn wait_client(app: &TestApp, needle: &str) -> String {
    let calls = app
        .fake
        .wait_for(RECEIPT_WAIT, |c| {
            c.iter().any(|c| {
                c.method.eq_ignore_ascii_case("sendMessage") && in_chat(c, CLIENT_CHAT) && c.text().contains(needle)
            })
        })
        .await
        .unwrap_or_else(|_| panic!("no client message with {needle:?}"));
    calls.iter().rev().find(|c| in_chat(c, CLIENT_CHAT) && c.text().contains(needle)).unwrap().text().to_string()
}

async fn receipt_rows(app: &TestApp) -> Vec<(String, String, String, Option<String>, Option<String>)> {
    sqlx::query_as("SELECT id, kind, status, related_id, fiscal_code FROM receipts ORDER BY created_at, rowid")
        .fetch_all(app.core.store().pool())
        .await
        .unwrap()
}

async fn wait_receipts_done(app: &TestApp, n: usize) {
    let deadline = std::time::Instant::now() + RECEIPT_WAIT;
    loop {
        let rows = receipt_rows(app).await;
        if rows.len() >= n && rows.iter().all(|r| r.2 == "done" || r.2 == "error") {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "receipts not finished: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_monobank_payment_gets_a_sell_receipt_and_the_client_its_link_with_the_thanks() {
    let (app, mono, cb) = spawn().await;
    let order = order_for_client(&app, "0672000001", 180_000).await;
    app.press(&format!("ylf:{order}")).await;
    let deadline = std::time::Instant::now() + WAIT;
    let pid = loop {
        if let Some(id) = mono.invoice_ids().first().cloned() {
            if app.core.store().invoice_by_provider(&id).await.unwrap().is_some() {
                break id;
            }
        }
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(30)).await;
    };
    let body = mono.set_status(
        &pid,
        "success",
        &chrono::Utc::now().to_rfc3339(),
        json!({ "paymentInfo": { "maskedPan": "444403******1902", "terminal": "MI001088", "paymentSystem": "visa", "paymentMethod": "pan" } }),
    );
    let status = reqwest::Client::new()
        .post(format!("http://{}/webhooks/monobank", app.http))
        .header("X-Sign", mono.signed(&body))
        .body(body)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);

    let thanks = wait_client(&app, "Дякуємо!").await;
    app.fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, OWNER) && c.text().contains("сплачене повністю")))
        .await
        .unwrap();
    let rows = receipt_rows(&app).await;
    assert_eq!(rows.len(), 1);
    let (id, kind, state, _, fiscal) = &rows[0];
    assert_eq!((kind.as_str(), state.as_str()), ("sell", "done"));
    assert!(fiscal.as_deref().unwrap().starts_with("TEST-"));
    assert!(thanks.contains(&format!("{}/api/v1/receipts/{id}/html", cb.url)), "{thanks}");
    // The shift was opened for it, once; the receipt was sent once, as Checkbox wants it.
    assert_eq!(cb.requests("/api/v1/shifts").len(), 1);
    assert_eq!(cb.shift_status().as_deref(), Some("OPENED"));
    let sells = cb.requests(SELL);
    assert_eq!(sells.len(), 1);
    let sell = &sells[0];
    assert_eq!(sell["id"], json!(id));
    assert_eq!(sell["goods"][0]["good"]["price"], 180_000);
    assert_eq!(sell["goods"][0]["good"]["name"], "Устілки спортивні");
    assert_eq!(sell["goods"][0]["quantity"], 1000);
    assert_eq!(sell["payments"][0], json!({ "type": "CASHLESS", "value": 180_000, "label": "Інтернет еквайринг" }));
    assert_eq!(sell["context"]["crm_order"], json!(order.to_string()));
    // One thank-you (with the link), not one before the receipt and one after.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let thanks = app
        .fake
        .calls_to("sendMessage")
        .into_iter()
        .filter(|c| in_chat(c, CLIENT_CHAT) && c.text().contains("Дякуємо"))
        .count();
    assert_eq!(thanks, 1);
    let finance = reply_text(&app.text("/finance").await);
    assert!(!finance.contains("без фіскального чека"), "{finance}");
}

#[tokio::test]
async fn a_refund_gets_a_return_receipt_tied_to_its_sale() {
    let (app, _mono, cb) = spawn().await;
    let order = order_for_client(&app, "0672000002", 100_000).await;
    app.text(&format!("/income {order} 500 готівка")).await;
    wait_receipts_done(&app, 1).await;
    let refunds = app.press(&format!("yr:{order}")).await;
    app.press(&button(&refunds, "Готівкою")).await;
    let confirm = app.text("200").await;
    app.press(&button(&confirm, "Так, повернути")).await;
    wait_receipts_done(&app, 2).await;
    let rows = receipt_rows(&app).await;
    assert_eq!((rows[0].1.as_str(), rows[1].1.as_str()), ("sell", "return"));
    assert_eq!(rows[1].3.as_deref(), Some(rows[0].0.as_str()), "the return names its sale");
    let sells = cb.requests(SELL);
    assert_eq!(sells.len(), 2);
    assert_eq!(sells[0]["payments"][0], json!({ "type": "CASH", "value": 50_000, "label": "Готівка" }));
    let ret = &sells[1];
    assert_eq!(ret["related_receipt_id"], json!(rows[0].0));
    assert_eq!(ret["goods"][0]["is_return"], true);
    assert_eq!(ret["goods"][0]["good"]["price"], 20_000);
    assert_eq!(ret["payments"][0]["value"], 20_000);
    assert_eq!(cb.receipts()[&rows[1].0]["type"], "RETURN");
    assert_eq!(cb.requests("/api/v1/shifts").len(), 1, "the open shift serves both");
    assert_eq!(app.core.store().order(order).await.unwrap().prepaid, Money::from_kopecks(30_000));
}

#[tokio::test]
async fn checkbox_errors_are_retried_under_the_same_id_and_make_one_receipt() {
    let (app, _mono, cb) = spawn().await;
    // The first sell's answer is lost after Checkbox made the receipt: the retry finds it.
    cb.fail_next(SELL, 502, "Bad gateway", true);
    let a = order_for_client(&app, "0672000003", 100_000).await;
    app.text(&format!("/income {a} 300 термінал")).await;
    wait_receipts_done(&app, 1).await;
    assert_eq!(cb.requests(SELL).len(), 1, "not sent again: Checkbox had it");
    // Checkbox is down for one call: sent again under the same id, one receipt.
    cb.fail_next(SELL, 500, "Internal error", false);
    let b = order_for_client(&app, "0672000004", 100_000).await;
    app.text(&format!("/income {b} 400 термінал")).await;
    wait_receipts_done(&app, 2).await;
    let sells = cb.requests(SELL);
    assert_eq!(sells.len(), 3);
    assert_eq!(sells[1]["id"], sells[2]["id"]);
    assert_eq!(cb.receipts().len(), 2);
    let rows = receipt_rows(&app).await;
    assert!(rows.iter().all(|r| r.2 == "done"), "{rows:?}");
    assert_eq!(cb.sign_ins(), 1, "the cashier's token is kept");
}

#[tokio::test]
async fn a_refused_receipt_is_told_to_the_owner_and_owed() {
    let (app, _mono, cb) = spawn().await;
    cb.fail_next(SELL, 422, "Validation error", false);
    let order = order_for_client(&app, "0672000005", 100_000).await;
    app.text(&format!("/income {order} 250 термінал")).await;
    wait_receipts_done(&app, 1).await;
    let rows = receipt_rows(&app).await;
    assert_eq!(rows[0].2, "error");
    app.fake
        .wait_for(WAIT, |c| {
            c.iter().any(|c| {
                in_chat(c, OWNER) && c.text().contains("не оформлено") && c.text().contains("Validation error")
            })
        })
        .await
        .unwrap();
    let finance = reply_text(&app.text("/finance").await);
    assert!(finance.contains("Платежі без фіскального чека: 1"), "{finance}");
    assert_eq!(cb.requests(SELL).len(), 1, "a refusal is not sent again under a new id");
}
