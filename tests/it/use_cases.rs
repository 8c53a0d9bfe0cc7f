//! The use cases every adapter calls, called directly with the core (no chat, no page, no
//! webhook): `booking::place`, `clients::find`, `core::import`. Each test asserts the effect in
//! the database; the end-to-end tests check that the adapters render it.

use crate::helpers::*;
use insoles_crm::core::booking::place::{For, Notice, Request, Slot};
use insoles_crm::core::booking::{free, place, today, BookingError};
use insoles_crm::core::clients::find::{self, Known, Typed, WithPhone};
use insoles_crm::core::import::{self, After, Imported, Then};
use insoles_crm::domain::{ClientName, Phone};
use insoles_crm::i18n::{Lang, Tr};
use insoles_crm::store::bookings::NewBooking;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.core.store().pool()).await.unwrap()
}

async fn slots(app: &TestApp) -> Vec<chrono::DateTime<chrono::Utc>> {
    let svc = &app.core.config().booking.services[0];
    let from = today(&app.core) + chrono::Duration::days(2);
    free(&app.core, svc, from, from + chrono::Duration::days(20)).await.unwrap()
}

/// A typed contact whose phone is on a card gets a card of its own and a claim, the visit's jobs
/// and the owner's notices; the same form again changes nothing; a taken time is refused; a
/// Cal.com booking on a busy time is recorded as overlapping.
#[tokio::test]
async fn booking_place_applies_the_slot_identity_jobs_and_notices_without_a_chat() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let olga = client_with_phone(store, "Ольга Марʼянчук", "0671234567").await;
    let svc = app.core.config().booking.services[0].clone();
    let at = slots(&app).await[3];
    let (name, phone) = (ClientName::parse("Марта Інша").unwrap(), Phone::parse("+38 067 123 45 67").unwrap());
    let form = |token: &str| Request {
        who: For::Form(Typed { name: &name, phone: Some(&phone), email: None, note: None, source: "web" }),
        booking: NewBooking {
            form_token: Some(token.to_string()),
            contact_phone: Some(phone.as_str().to_string()),
            ..NewBooking::of(0, &svc, at, "web")
        },
        slot: Slot::Free,
        notice: Notice::New,
    };
    let placed = place(&app.core, form("0123456789abcdef0123456789abcdef")).await.unwrap();
    let b = &placed.booking;
    assert!(!placed.repeat && !placed.overlaps);
    assert_ne!(b.client_id, olga, "a typed phone never books on the card that has it");
    assert_eq!(b.client_name, "Марта Інша");
    assert_eq!(store.client(b.client_id).await.unwrap().phone, None, "the phone stays off the new card");
    let claim = store.claim(placed.claim.expect("a claim for the owner")).await.unwrap();
    assert_eq!((claim.client_id, claim.existing_id, claim.proven), (b.client_id, olga, false));
    let id = b.id;
    let jobs = |pattern: String| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE ?")
                .bind(pattern)
                .fetch_one(app.core.store().pool())
                .await
                .unwrap()
        }
    };
    assert!(jobs(format!("booking:{id}:remind:%")).await >= 1, "the reminders are scheduled");
    assert_eq!(jobs(format!("booking:{id}:outcome:%")).await, 1, "the after-visit question is scheduled");
    assert_eq!(jobs(format!("booking:{id}:new:tg:{OWNER}")).await, 1, "the owner hears of the booking");
    assert_eq!(jobs(format!("identity:{}:tg:{OWNER}", claim.id)).await, 1, "and is asked 'same person?'");

    let again = place(&app.core, form("0123456789abcdef0123456789abcdef")).await.unwrap();
    assert!(again.repeat && again.booking.id == id, "the same form shows the same booking");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM bookings").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM clients").await, 2, "and makes no second card");

    let mine = Request {
        who: For::Client(olga),
        booking: NewBooking::of(olga, &svc, at, "telegram"),
        slot: Slot::Free,
        notice: Notice::None,
    };
    assert!(matches!(place(&app.core, mine).await, Err(BookingError::Taken)), "the time is taken");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM clients").await, 2, "a lost time leaves no card");

    let cal_name = ClientName::parse("Ірина Кал").unwrap();
    let calcom = Request {
        who: For::Attendee(Typed {
            name: &cal_name,
            phone: None,
            email: Some("iryna@example.com"),
            note: Some("з Cal.com"),
            source: "calcom",
        }),
        booking: NewBooking { external_uid: Some("uid-1".into()), ..NewBooking::of(0, &svc, at, "calcom") },
        slot: Slot::External,
        notice: Notice::Keyed("calcom:test".into()),
    };
    let external = place(&app.core, calcom.clone()).await.unwrap();
    assert!(external.overlaps, "Cal.com's booking exists whatever we think");
    assert_eq!(store.client(external.booking.client_id).await.unwrap().email.as_deref(), Some("iryna@example.com"));
    assert_eq!(jobs(format!("calcom:test:tg:{OWNER}")).await, 1);
    assert!(place(&app.core, calcom).await.unwrap().repeat, "a repeated uid is recorded once");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM bookings").await, 2);
}

/// One family decides which card a person is: a platform identity finds its own card again; a
/// phone typed in a chat claims nothing; her own shared contact proves a free number; the owner's
/// new card asks about whoever typed its phone before.
#[tokio::test]
async fn clients_find_or_create_keeps_the_trust_rules_without_a_chat() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let name = ClientName::parse("Наталія").unwrap();
    let tg = find::find_or_create(store, Known::Telegram(5001), &name, "telegram").await.unwrap();
    assert_eq!(find::find_or_create(store, Known::Telegram(5001), &name, "telegram").await.unwrap(), tg);
    assert_eq!(store.client(tg).await.unwrap().telegram_id, Some(5001));
    let ig = find::find_or_create(store, Known::Instagram("ig-77"), &name, "instagram").await.unwrap();
    assert_eq!(find::find_or_create(store, Known::Instagram("ig-77"), &name, "instagram").await.unwrap(), ig);
    assert_ne!(ig, tg);

    let olga = client_with_phone(store, "Ольга", "0671234567").await;
    let taken = Phone::parse("0671234567").unwrap();
    let typed = find::chat_phone(store, Some(5002), &name, &taken, false, "telegram").await.unwrap();
    assert_ne!(typed.client, olga, "a typed phone never takes a card");
    assert!(typed.fresh_claim.is_some());
    assert_eq!(store.client(olga).await.unwrap().telegram_id, None, "nor links to it");
    let proven = find::chat_phone(store, Some(5003), &name, &taken, true, "telegram").await.unwrap();
    assert_eq!(proven.client, olga, "her own contact proves a number no account has");
    assert_eq!(store.client(olga).await.unwrap().telegram_id, Some(5003));

    let free_phone = Phone::parse("0501112233").unwrap();
    let kept = find::chat_phone(store, Some(5004), &name, &free_phone, false, "telegram").await.unwrap();
    let card = store.client(kept.client).await.unwrap();
    assert_eq!((card.phone, card.typed_phone.as_deref()), (None, Some("+380501112233")), "kept as typed only");

    let owner_name = ClientName::parse("Оксана Справжня").unwrap();
    let made = find::create_with_phone(store, &owner_name, &free_phone, None, None, "console").await.unwrap();
    let WithPhone::Created { id, fresh_claims } = made else { panic!("a new card") };
    assert_ne!(id, kept.client);
    assert_eq!(store.claim(fresh_claims[0]).await.unwrap().client_id, kept.client, "asks about who typed it");
    let again = find::create_with_phone(store, &owner_name, &free_phone, None, None, "console").await.unwrap();
    assert!(matches!(again, WithPhone::Exists { id: same, .. } if same == id), "no duplicate");
}

/// The import use case: the preview changes nothing, a pending import is only its own actor's,
/// imported once; importing at once (the command line) needs no tap.
#[tokio::test]
async fn import_run_previews_keeps_pending_and_imports_once_without_a_chat() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    client_with_phone(store, "Ольга", "0671234567").await;
    let tr = Tr { i18n: app.core.i18n(), lang: Lang::Uk };
    let csv = "ПІБ;Телефон\nМарія Коваль;0501234567\nОльга Дубль;067 123 45 67\n";
    let today = today(&app.core);
    let rows = |csv: &'static str| async move { import::read(csv.as_bytes().to_vec()).await.unwrap() };

    let dry = import::run(store, &tr, "clients.csv", rows(csv).await, today, Then::Preview).await.unwrap();
    assert_eq!(dry.after, After::Previewed);
    assert!(dry.preview.contains("clients.csv"), "{}", dry.preview);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM clients").await, 1, "a preview changes nothing");

    let then = Then::AwaitConfirm { actor: "telegram:1" };
    let run = import::run(store, &tr, "clients.csv", rows(csv).await, today, then).await.unwrap();
    let After::Pending { id, ready } = run.after else { panic!("{:?}", run.after) };
    assert_eq!(ready, 1, "the phone on a card is a duplicate: {}", run.preview);
    assert_eq!(import::confirm(store, id, "telegram:2", "telegram").await.unwrap(), None, "someone else's");
    let done = import::confirm(store, id, "telegram:1", "telegram").await.unwrap();
    assert_eq!(done, Some(Imported { added: 1, ready: 1 }));
    assert_eq!(import::confirm(store, id, "telegram:1", "telegram").await.unwrap(), None, "imported once");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM clients").await, 2);

    let now = Then::ImportNow { channel: "import" };
    let run = import::run(store, &tr, "more.csv", rows(csv).await, today, now).await.unwrap();
    assert_eq!(run.after, After::Imported(Imported { added: 0, ready: 0 }), "{}", run.preview);
    let more = "ПІБ;Телефон\nІрина Нова;0631112233\n";
    let run = import::run(store, &tr, "more.csv", rows(more).await, today, now).await.unwrap();
    assert_eq!(run.after, After::Imported(Imported { added: 1, ready: 1 }), "imported at once: {}", run.preview);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM clients").await, 3);
}
