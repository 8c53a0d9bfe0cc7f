//! Identity comes from the platform, never from what someone types. A stranger typing a client's
//! phone in the bot, on the booking page or in Instagram gets a card of her own and sees nothing
//! of the client's; a contact shared from a second Telegram account is linked only when the owner
//! says "same person" (one tap); the owner's "different people" keeps both apart.

use crate::helpers::*;
use chrono::Utc;
use insoles_crm::core::booking::{free, minutes, today};
use insoles_crm::fake_telegram::{updates, Call};
use insoles_crm::store::bookings::NewBooking;

pub(crate) const VICTIM: i64 = 710_001;
const STRANGER_TG: i64 = 710_666;
const NEW_ACCOUNT: i64 = 710_002;
pub(crate) const PHONE: &str = "0671234567";

pub(crate) async fn app() -> TestApp {
    let kb = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/kb.md")).unwrap();
    TestApp::spawn_custom(false, None, |s| s.knowledge = kb).await
}

/// Ольга: a card with a phone, her Telegram account, a visit ahead and an order in production.
pub(crate) async fn victim(app: &TestApp) -> (i64, i64) {
    let store = app.core.store();
    let id = client_with_phone(store, "Ольга Марʼянчук", PHONE).await;
    store.link_telegram(id, VICTIM).await.unwrap();
    let svc = app.core.config().booking.services[0].clone();
    let slots = free(
        &app.core,
        &svc,
        today(&app.core) + chrono::Duration::days(3),
        today(&app.core) + chrono::Duration::days(20),
    )
    .await
    .unwrap();
    let booking = NewBooking { chat_id: Some(VICTIM), ..NewBooking::of(id, &svc, slots[0], "telegram") };
    let b = store.create_booking(&booking, |_| vec![]).await.unwrap().unwrap();
    insert_order(store, id, "Устілки Секретні-Каркасні", "prod").await;
    (id, b)
}

/// Goes through the bot's booking flow up to the phone question; returns the chosen slot.
pub(crate) async fn to_phone_step(app: &TestApp, user: i64, skip: usize) -> i64 {
    let svc = app.core.config().booking.services[0].clone();
    let slots = free(
        &app.core,
        &svc,
        today(&app.core) + chrono::Duration::days(2),
        today(&app.core) + chrono::Duration::days(25),
    )
    .await
    .unwrap();
    let m = minutes(slots[skip + 3]);
    let ask = app.press_from(user, &format!("bt:0:{m}"), 10).await;
    assert!(reply_text(&ask).contains("номер телефону"), "{}", reply_text(&ask));
    m
}

pub(crate) fn texts(calls: &[Call]) -> String {
    calls.iter().map(|c| c.text().to_string()).collect::<Vec<_>>().join("\n")
}

/// Everything the fake Bot API sent to `chat`.
pub(crate) fn all_to(app: &TestApp, chat: i64) -> String {
    texts(
        &app.fake
            .calls()
            .into_iter()
            .filter(|c| c.body.get("chat_id").is_some_and(|id| *id == chat))
            .collect::<Vec<_>>(),
    )
}

#[tokio::test]
async fn a_typed_phone_never_takes_over_a_client_and_the_owner_keeps_them_apart() {
    let app = app().await;
    let (olga, her_visit) = victim(&app).await;
    let store = app.core.store();

    let m = to_phone_step(&app, STRANGER_TG, 0).await;
    app.text_from(STRANGER_TG, "uk", PHONE).await;
    app.fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, STRANGER_TG) && c.text().contains("+380 67 123 45 67")))
        .await
        .expect("her own input is echoed back to her");
    let confirm = app.press_from(STRANGER_TG, &format!("bc:0:{m}"), 11).await;
    assert!(texts(&confirm).contains("Ви записані"), "{}", texts(&confirm));

    // Olga's card still belongs to Olga's account.
    assert_eq!(store.client(olga).await.unwrap().telegram_id, Some(VICTIM));
    assert_eq!(store.client_by_telegram(VICTIM).await.unwrap(), Some(olga));
    let strangers = store.client_by_telegram(STRANGER_TG).await.unwrap().expect("the stranger's own card");
    assert_ne!(strangers, olga);
    let theirs = store.upcoming_bookings(strangers, Utc::now()).await.unwrap();
    assert_eq!(theirs.len(), 1, "the stranger's booking is on the stranger's card");
    assert_eq!(store.client(strangers).await.unwrap().phone, None, "the typed phone is not on any second card");

    // The stranger sees only their own visit, and no order of Olga's.
    let my = app.text_from(STRANGER_TG, "uk", "/my").await;
    assert_eq!(my.iter().flat_map(|c| c.buttons()).filter(|(_, d)| d == &format!("bx:{her_visit}")).count(), 0);
    let status = app.text_from(STRANGER_TG, "uk", "Де моє замовлення?").await;
    assert!(!texts(&status).contains("Секретні"), "{}", texts(&status));
    let cancel = app.press_from(STRANGER_TG, &format!("bx:{her_visit}"), 12).await;
    assert!(reply_text(&cancel).contains("недоступний"), "{}", reply_text(&cancel));
    assert_eq!(store.booking(her_visit).await.unwrap().status, insoles_crm::domain::BookingStatus::Booked);
    let everything = all_to(&app, STRANGER_TG);
    assert!(!everything.contains("Ольга") && !everything.contains("Секретні"), "{everything}");

    // Olga still sees her visit.
    let hers = app.text_from(VICTIM, "uk", "/my").await;
    assert!(hers.iter().flat_map(|c| c.buttons()).any(|(_, d)| d == format!("bx:{her_visit}")), "{hers:#?}");

    // The owner is asked, and "different people" keeps both cards apart.
    let notice = owner_card(&app, "введено вручну").await;
    assert!(notice.text().contains("Ольга Марʼянчук"), "{}", notice.text());
    let separate = app.press(&button(std::slice::from_ref(&notice), "Різні люди")).await;
    assert!(texts(&separate).contains("окремо"), "{}", texts(&separate));
    assert_eq!(store.client(olga).await.unwrap().telegram_id, Some(VICTIM));
    assert!(store.client(strangers).await.is_ok());
    // A second tap (or a second owner) changes nothing.
    let again = app.press(&button(&[notice], "Та сама людина")).await;
    assert!(texts(&again).is_empty() || !texts(&again).contains("Обʼєднано"));
    assert_eq!(store.client(olga).await.unwrap().telegram_id, Some(VICTIM));
}

#[tokio::test]
async fn a_new_telegram_account_with_her_own_contact_is_linked_only_by_the_owner() {
    let app = app().await;
    let (olga, her_visit) = victim(&app).await;
    let store = app.core.store();

    let m = to_phone_step(&app, NEW_ACCOUNT, 1).await;
    // Telegram proves the number is hers (contact.user_id == sender), but Olga's card is linked
    // to another account: nothing is relinked silently.
    app.update(updates::own_contact(app.next_update_id(), NEW_ACCOUNT, "+380671234567")).await;
    assert_eq!(store.client(olga).await.unwrap().telegram_id, Some(VICTIM));
    let confirm = app.press_from(NEW_ACCOUNT, &format!("bc:0:{m}"), 11).await;
    assert!(texts(&confirm).contains("Ви записані"), "{}", texts(&confirm));
    let mine = store.client_by_telegram(NEW_ACCOUNT).await.unwrap().unwrap();
    assert_ne!(mine, olga);
    let my = app.text_from(NEW_ACCOUNT, "uk", "/my").await;
    assert!(!my.iter().flat_map(|c| c.buttons()).any(|(_, d)| d == format!("bx:{her_visit}")));

    // One tap: same person. Her new account now has her card, with both visits.
    let notice = owner_card(&app, "іншого акаунта Telegram").await;
    let merged = app.press(&button(&[notice], "Та сама людина")).await;
    assert!(texts(&merged).contains("Обʼєднано"), "{}", texts(&merged));
    assert_eq!(store.client(olga).await.unwrap().telegram_id, Some(NEW_ACCOUNT));
    assert_eq!(store.client_by_telegram(NEW_ACCOUNT).await.unwrap(), Some(olga));
    assert_eq!(store.client_by_telegram(VICTIM).await.unwrap(), None, "the old account is unlinked");
    assert!(store.client(mine).await.is_err(), "the temporary card is merged away");
    assert_eq!(store.upcoming_bookings(olga, Utc::now()).await.unwrap().len(), 2);
    app.fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, NEW_ACCOUNT) && c.text().contains("підтвердила ваш акаунт")))
        .await
        .expect("she is told");
    let my = app.text_from(NEW_ACCOUNT, "uk", "/my").await;
    assert!(my.iter().flat_map(|c| c.buttons()).any(|(_, d)| d == format!("bx:{her_visit}")), "{my:#?}");
}

#[tokio::test]
async fn her_own_contact_links_her_card_when_no_other_account_has_it() {
    let app = app().await;
    let store = app.core.store();
    let irina = client_with_phone(store, "Ірина Бондар", "0509998877").await;
    to_phone_step(&app, 710_010, 2).await;
    app.update(updates::own_contact(app.next_update_id(), 710_010, "+380509998877")).await;
    assert_eq!(store.client(irina).await.unwrap().telegram_id, Some(710_010), "a proven contact links at once");
}

#[tokio::test]
async fn a_web_booking_with_her_phone_is_not_merged_into_her_card_silently() {
    let app = app().await;
    let (olga, _) = victim(&app).await;
    let store = app.core.store();
    let base = format!("http://{}", app.http);
    let svc = app.core.config().booking.services[0].clone();
    let slot = free(
        &app.core,
        &svc,
        today(&app.core) + chrono::Duration::days(2),
        today(&app.core) + chrono::Duration::days(25),
    )
    .await
    .unwrap()[5];
    let form = [
        ("service", "0".to_string()),
        ("start", minutes(slot).to_string()),
        ("name", "Марта Інша".into()),
        ("phone", "+38 067 123 45 67".into()),
        ("note", String::new()),
        ("website", String::new()),
        ("lang", "uk".into()),
        ("track", String::new()),
    ];
    let r = reqwest::Client::new().post(format!("{base}/book")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Ви записані") && !page.contains("Ольга"), "{page}");
    assert_eq!(store.upcoming_bookings(olga, Utc::now()).await.unwrap().len(), 1, "nothing added to Olga's card");
    let b = store.bookings_between(slot, slot + chrono::Duration::minutes(1)).await.unwrap().pop().unwrap();
    assert_ne!(b.client_id, olga);
    assert_eq!(b.client_name, "Марта Інша", "the typed name is kept");
    assert_eq!(b.contact_phone.as_deref(), Some("+380671234567"));
    let notice = owner_card(&app, "Запис з сайту").await;
    assert!(notice.text().contains("Ольга Марʼянчук") && notice.text().contains("Марта Інша"), "{}", notice.text());
    // The owner knows it is Olga after all: one tap moves the visit onto her card.
    let merged = app.press(&button(&[notice], "Та сама людина")).await;
    assert!(texts(&merged).contains("Обʼєднано"), "{}", texts(&merged));
    assert_eq!(store.booking(b.id).await.unwrap().client_id, olga);
    assert_eq!(store.client(olga).await.unwrap().telegram_id, Some(VICTIM), "a web form links no account");
}

/// A phone typed in the bot that no card has yet is kept as typed only: the owner's later card for
/// that number is a new card, and she is asked whether the person who typed it was that client.
#[tokio::test]
async fn a_typed_phone_claims_no_number_and_the_owners_new_card_asks_same_person() {
    let app = app().await;
    let store = app.core.store();
    let m = to_phone_step(&app, STRANGER_TG, 0).await;
    app.text_from(STRANGER_TG, "uk", "050 111 22 33").await;
    app.press_from(STRANGER_TG, &format!("bc:0:{m}"), 11).await;
    let typed = store.client_by_telegram(STRANGER_TG).await.unwrap().expect("her card to book on");
    let card = store.client(typed).await.unwrap();
    assert_eq!(card.phone, None);
    assert_eq!(card.typed_phone.as_deref(), Some("+380501112233"));
    app.text("/new_client Ольга Марʼянчук, 0501112233").await;
    owner_card(&app, "Клієнта додано").await;
    let olga = store.client_by_phone(&insoles_crm::domain::Phone::parse("0501112233").unwrap()).await.unwrap().unwrap();
    assert_ne!(olga.id, typed);
    let notice = owner_card(&app, "введено вручну").await;
    assert!(notice.text().contains("Ольга Марʼянчук"), "{}", notice.text());
}
