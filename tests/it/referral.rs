//! The referral programme (issue 16): a client's personal code from `/ref`; a new client who
//! comes by its deep link gets the discount on her first order and her referrer the same on her
//! next one once that order is paid, both told in their chats; and every abuse refused with
//! nothing written: her own link (same Telegram account, same phone), a second use, an existing
//! client, a guessed or forged code, a forgotten referrer, an oversize or garbage payload.

use crate::helpers::*;
use insoles_crm::domain::Phone;
use insoles_crm::fake_telegram::updates;
use insoles_crm::store::clients::{FieldValue, TextField};
use insoles_crm::store::Store;

const REFERRER_TG: i64 = 720_001;
const FRIEND_TG: i64 = 720_002;
const OTHER_TG: i64 = 720_003;
const REFERRER_PHONE: &str = "0671112233";

/// The referrer (with her phone and Telegram account) and her code, as the owner gets it.
async fn referrer(app: &TestApp) -> (i64, String) {
    let store = app.core.store();
    let id = client_with_phone(store, "Ольга Рекомендує", REFERRER_PHONE).await;
    store.link_telegram(id, REFERRER_TG).await.unwrap();
    let shown = ask(app, &format!("/ref {REFERRER_PHONE}"), "Реферальний код").await;
    let code = store.referral_code_of(id).await.unwrap().expect("a code made on first ask");
    assert!(shown.contains(&code), "{shown}");
    (id, code)
}

async fn referrals(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM referrals").fetch_one(store.pool()).await.unwrap()
}

async fn clients(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM clients").fetch_one(store.pool()).await.unwrap()
}

async fn referral_jobs(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'referral:%'")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

use crate::attribution::{ask, new_order as order_for};

#[tokio::test]
async fn a_friend_gets_the_discount_on_her_first_order_and_the_referrer_hers_when_it_is_paid() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (referrer, code) = referrer(&app).await;
    assert_eq!(code.len(), 16, "80 bits in base 32");
    assert!(!code.contains(&referrer.to_string()) || code.len() == 16);
    // Her card carries the button to the same view.
    let card = app.press(&format!("rf:{referrer}")).await;
    assert!(card.iter().any(|c| c.text().contains(&code)), "{card:?}");

    let welcome = reply_text(&app.text_from(FRIEND_TG, "uk", &format!("/start r-{code}")).await);
    assert!(welcome.contains("Вас запросила подруга") && welcome.contains("200,00 грн"), "{welcome}");
    let friend = store.lead_by_telegram(FRIEND_TG).await.unwrap().expect("her card");
    assert_eq!(store.attribution_of(friend).await.unwrap().unwrap().0.as_deref(), Some("referral"));
    let phone = Phone::parse("0673334455").unwrap();
    store.set_client_field(friend, TextField::Phone, FieldValue::Text(Some(phone.as_str().into()))).await.unwrap();

    // Her first order: 200 off, shown on the order, and she is told.
    let (order, text) = order_for(&app, "0673334455", "1500").await;
    assert!(text.contains("1 300,00 грн") && text.contains("знижка: −200,00 грн · за рекомендацією"), "{text}");
    sent_to(&app, FRIEND_TG, "Знижку за рекомендацією 200,00 грн").await;
    assert_eq!(store.open_credit(referrer).await.unwrap(), 0, "nothing for the referrer before it is paid");

    // Part of it paid: still nothing; paid in full: the referrer's credit, and she is told.
    ask(&app, &format!("/income {order} 300 готівка"), "300,00 грн").await;
    assert_eq!(store.open_credit(referrer).await.unwrap(), 0);
    ask(&app, &format!("/income {order} 1000 готівка"), "1 000,00 грн").await;
    sent_to(&app, REFERRER_TG, "Дякуємо за рекомендацію").await;
    assert_eq!(store.open_credit(referrer).await.unwrap(), 20_000);

    // Her second order has no discount; the referrer's next order takes her credit, once.
    let (_, second) = order_for(&app, "0673334455", "1500").await;
    assert!(second.contains("1 500,00 грн") && !second.contains("знижка"), "{second}");
    let (_, next) = order_for(&app, REFERRER_PHONE, "1500").await;
    assert!(next.contains("1 300,00 грн") && next.contains("бонус за рекомендацію"), "{next}");
    assert_eq!(store.open_credit(referrer).await.unwrap(), 0);
    let (_, after) = order_for(&app, REFERRER_PHONE, "1500").await;
    assert!(!after.contains("знижка"), "{after}");
    assert_eq!(referral_jobs(store).await, 2, "one notice each");
}

#[tokio::test]
async fn her_own_link_from_her_own_telegram_account_is_refused_with_nothing_written() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (_, code) = referrer(&app).await;
    let before = clients(store).await;
    let welcome = reply_text(&app.text_from(REFERRER_TG, "uk", &format!("/start r-{code}")).await);
    assert!(!welcome.contains("запросила"), "{welcome}");
    assert_eq!((referrals(store).await, clients(store).await), (0, before));
}

#[tokio::test]
async fn her_own_phone_on_a_new_account_takes_the_referral_back_in_the_bot_and_on_the_page() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (_, code) = referrer(&app).await;
    // A second Telegram account comes by the link, then gives the referrer's number as her own.
    let welcome = app.text_from(OTHER_TG, "uk", &format!("/start r-{code}")).await;
    let services = app.press_from(OTHER_TG, &button(&welcome, "Записатися"), 10).await;
    let days = app.press_from(OTHER_TG, &services.iter().flat_map(|c| c.buttons()).next().unwrap().1, 10).await;
    let times = app.press_from(OTHER_TG, &days.iter().flat_map(|c| c.buttons()).next().unwrap().1, 10).await;
    app.press_from(OTHER_TG, &times.iter().flat_map(|c| c.buttons()).next().unwrap().1, 10).await;
    app.update(updates::own_contact(app.next_update_id(), OTHER_TG, "+380671112233")).await;
    wait_until("the referral taken back", || async { referrals(store).await == 0 }).await;

    // The booking page with her code and her own phone.
    let done = crate::attribution::book_on_page(&app, &format!("ref={code}"), "Ольга Друга", REFERRER_PHONE).await;
    assert!(done.contains("Ви записані"), "{done}");
    assert_eq!(referrals(store).await, 0);
    assert_eq!(referral_jobs(store).await, 0);
}

#[tokio::test]
async fn an_existing_client_a_second_use_and_a_forgotten_referrer_are_refused() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (referrer, code) = referrer(&app).await;
    // An existing client (a card linked to this account) is not "referred".
    let existing = client_with_phone(store, "Віра Давня", "0675556677").await;
    store.link_telegram(existing, OTHER_TG).await.unwrap();
    app.text_from(OTHER_TG, "uk", &format!("/start r-{code}")).await;
    assert_eq!(referrals(store).await, 0);
    // The page: a phone already on a card is an existing client too.
    crate::attribution::book_on_page(&app, &format!("ref={code}"), "Віра Давня", "0675556677").await;
    assert_eq!(referrals(store).await, 0);

    // One use: a friend comes once; a second code (or the same again) changes nothing.
    app.text_from(FRIEND_TG, "uk", &format!("/start r-{code}")).await;
    assert_eq!(referrals(store).await, 1);
    let other = client_with_phone(store, "Інна Інша", "0679990011").await;
    let shown = ask(&app, &format!("/ref {other}"), "Реферальний код").await;
    let other_code = store.referral_code_of(other).await.unwrap().unwrap_or_else(|| panic!("{shown}"));
    app.text_from(FRIEND_TG, "uk", &format!("/start r-{other_code}")).await;
    app.text_from(FRIEND_TG, "uk", &format!("/start r-{code}")).await;
    let friend = store.lead_by_telegram(FRIEND_TG).await.unwrap().unwrap();
    assert_eq!(referrals(store).await, 1);
    assert_eq!(store.referral_of(friend).await.unwrap().unwrap().referrer_id, referrer);

    // A forgotten referrer's code finds no one.
    sqlx::query("UPDATE clients SET source = 'deleted' WHERE id = ?").bind(other).execute(store.pool()).await.unwrap();
    let before = clients(store).await;
    app.text_from(720_010, "uk", &format!("/start r-{other_code}")).await;
    assert_eq!((referrals(store).await, clients(store).await), (1, before));
}

#[tokio::test]
async fn guessed_forged_oversize_and_garbage_codes_write_nothing() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (_, code) = referrer(&app).await;
    let before = clients(store).await;
    let forged_last = if code.ends_with('0') { "1" } else { "0" };
    let attempts = [
        "/start r-0123456789abcdef".to_string(),          // well-formed, nobody's
        format!("/start r-{}{forged_last}", &code[..15]), // one character off hers
        format!("/start r-{}", code.to_uppercase().replace('0', "o")), // not our alphabet
        format!("/start r-{code}{}", "x".repeat(60)),     // oversize
        format!("/start {}", "c".repeat(65)),             // over Telegram's 64
        "/start c-<script>alert(1)</script>".to_string(), // garbage
        "/start r-".to_string(),
        "/start ../../etc/passwd".to_string(),
    ];
    for (i, a) in attempts.iter().enumerate() {
        let user = 730_000 + i as i64;
        let welcome = reply_text(&app.text_from(user, "uk", a).await);
        assert!(!welcome.contains("запросила"), "{a}: {welcome}");
    }
    assert_eq!((referrals(store).await, clients(store).await), (0, before), "no card, no referral");
    let refs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visitor_refs").fetch_one(store.pool()).await.unwrap();
    assert_eq!(refs, 0, "no payload kept");
    // The page: a forged code books the visit but records no referral.
    crate::attribution::book_on_page(&app, "ref=0123456789abcdef", "Поліна Підробка", "0674443322").await;
    assert_eq!(referrals(store).await, 0);
}

#[tokio::test]
async fn a_code_typed_in_the_booking_form_is_a_referral_and_the_field_hides_after_a_ref_link() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (referrer, code) = referrer(&app).await;
    let done = crate::attribution::book_on_page_with(
        &app,
        "utm_campaign=spring",
        "Тетяна Друкує",
        "0678887766",
        &[("ref_code", &format!(" {code} "))],
    )
    .await;
    assert!(done.contains("Ви записані"), "{done}");
    let friend = store.client_by_phone(&Phone::parse("0678887766").unwrap()).await.unwrap().unwrap();
    assert_eq!(store.referral_of(friend.id).await.unwrap().map(|r| r.referrer_id), Some(referrer));
    let (source, campaign, _) = store.attribution_of(friend.id).await.unwrap().unwrap();
    assert_eq!((source.as_deref(), campaign.as_deref()), (Some("referral"), Some("spring")));
    // Her first order carries the discount.
    let (_, text) = order_for(&app, "0678887766", "1500").await;
    assert!(text.contains("1 300,00 грн"), "{text}");

    // The form asks for a friend's code only when she did not come by a referral link.
    assert!(form_page(&app, "utm_campaign=spring").await.contains("name=\"ref_code\""));
    assert!(!form_page(&app, &format!("ref={code}")).await.contains("name=\"ref_code\""));
}

/// The booking form (the second day's) opened with `query`.
async fn form_page(app: &TestApp, query: &str) -> String {
    let days = crate::attribution::get(app, &format!("/book?service=0&{query}")).await;
    let day = days.split("day=").nth(2).unwrap().split(['"', '&']).next().unwrap().to_string();
    crate::attribution::get(app, &format!("/book?service=0&day={day}&{query}")).await
}

/// A friend who came by the referrer's link, with her phone: her card id.
async fn referred_friend(app: &TestApp, code: &str, phone: &str) -> i64 {
    let store = app.core.store();
    app.text_from(FRIEND_TG, "uk", &format!("/start r-{code}")).await;
    let friend = store.lead_by_telegram(FRIEND_TG).await.unwrap().expect("her card");
    let phone = Phone::parse(phone).unwrap();
    store.set_client_field(friend, TextField::Phone, FieldValue::Text(Some(phone.as_str().into()))).await.unwrap();
    friend
}

#[tokio::test]
async fn a_cancelled_first_order_leaves_the_discount_for_her_next_one_and_spent_credit_comes_back() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (referrer, code) = referrer(&app).await;
    referred_friend(&app, &code, "0673334466").await;
    let (first, text) = order_for(&app, "0673334466", "1500").await;
    assert!(text.contains("1 300,00 грн"), "{text}");
    let cancelled = app.press(&format!("os:{first}:cancel")).await;
    assert!(!cancelled.is_empty());
    assert_eq!(store.order(first).await.unwrap().status, insoles_crm::domain::OrderStatus::Cancelled);
    // Her next order is her first real one: the discount again.
    let (second, text) = order_for(&app, "0673334466", "1500").await;
    assert!(text.contains("1 300,00 грн") && text.contains("за рекомендацією"), "{text}");
    // Paid: the referrer's credit, spent on her own order; that order cancelled: the credit is hers again.
    ask(&app, &format!("/income {second} 1300 готівка"), "1 300,00 грн").await;
    assert_eq!(store.open_credit(referrer).await.unwrap(), 20_000);
    let (own, text) = order_for(&app, REFERRER_PHONE, "1000").await;
    assert!(text.contains("800,00 грн"), "{text}");
    assert_eq!(store.open_credit(referrer).await.unwrap(), 0);
    app.press(&format!("os:{own}:cancel")).await;
    assert_eq!(store.open_credit(referrer).await.unwrap(), 20_000, "the credit spent on a cancelled order is back");
    // A third order of the friend has no discount: the referral was used by the paid one.
    let (_, third) = order_for(&app, "0673334466", "1500").await;
    assert!(third.contains("1 500,00 грн") && !third.contains("знижка"), "{third}");
}

#[tokio::test]
async fn a_refund_of_the_first_order_withdraws_the_referrers_unspent_credit_and_paying_again_earns_it_once() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let (referrer, code) = referrer(&app).await;
    referred_friend(&app, &code, "0673334477").await;
    let (order, _) = order_for(&app, "0673334477", "1500").await;
    ask(&app, &format!("/income {order} 1300 готівка"), "1 300,00 грн").await;
    assert_eq!(store.open_credit(referrer).await.unwrap(), 20_000);

    // Part of it refunded in cash: the order is no longer paid in full, the credit is withdrawn.
    app.press(&format!("yrc:{order}")).await;
    ask(&app, "300", "Повернути 300,00 грн").await;
    app.press(&format!("yrd:{order}")).await;
    assert_eq!(store.order(order).await.unwrap().prepaid.kopecks(), 100_000);
    assert_eq!(store.open_credit(referrer).await.unwrap(), 0, "withdrawn with the refund");
    // Paid in full again: the credit once more, one row, and the referrer told only once.
    ask(&app, &format!("/income {order} 300 готівка"), "300,00 грн").await;
    assert_eq!(store.open_credit(referrer).await.unwrap(), 20_000);
    let credits: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM referral_credits").fetch_one(store.pool()).await.unwrap();
    assert_eq!(credits, 1);

    // Spent on the referrer's own order, then the friend's order refunded: nothing is clawed back.
    let (own, text) = order_for(&app, REFERRER_PHONE, "1000").await;
    assert!(text.contains("800,00 грн"), "{text}");
    app.press(&format!("yrc:{order}")).await;
    ask(&app, "1300", "Повернути 1 300,00 грн").await;
    app.press(&format!("yrd:{order}")).await;
    assert_eq!(store.order(order).await.unwrap().prepaid.kopecks(), 0);
    assert_eq!(store.order(own).await.unwrap().price.kopecks(), 80_000, "her order keeps its discount");
    assert_eq!(store.open_credit(referrer).await.unwrap(), 0);
}
