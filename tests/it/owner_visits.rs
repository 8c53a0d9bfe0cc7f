//! Visits live on the client (issue 12): a booking from every source shows on her card (with its
//! source and note) and on her timeline; the owner moves any visit from the card, `/week` or the
//! notice, inside the client's 24 h cut-off, and the client is told; the owner books inside the
//! minimum notice and on "later" pages up to the horizon; in the console, notices carry their
//! buttons and the buttons work.

use crate::helpers::*;
use crate::identity::texts;
use chrono::{DateTime, Duration, Utc};
use insoles_crm::channels::console;
use insoles_crm::core::booking::place::{For, Notice, Request, Slot};
use insoles_crm::core::booking::{date_from_code, free, free_for, place, today, Asker};
use insoles_crm::core::clients::find::Typed;
use insoles_crm::domain::schedule::DayHours;
use insoles_crm::domain::{ClientName, Phone};
use insoles_crm::fake_telegram::Call;
use insoles_crm::store::bookings::NewBooking;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CLIENT: i64 = 700_301;

/// Open every day 08:00-20:00: there is always a free time within a day of now.
fn every_day(s: &mut insoles_crm::config::Settings) {
    s.booking.weekly = [DayHours::parse("08:00-20:00").ok(); 7];
}

/// The timeline lines a booking left on client `id`.
async fn visit_lines(app: &TestApp, id: i64) -> Vec<String> {
    let all = app.core.store().recent_interactions(id, 50).await.unwrap();
    all.into_iter().filter(|i| i.kind == "visit").map(|i| i.body).collect()
}

fn data_starting(calls: &[Call], prefix: &str) -> Vec<(String, String)> {
    calls.iter().flat_map(|c| c.buttons()).filter(|(_, d)| d.starts_with(prefix)).collect()
}

#[tokio::test]
async fn a_booking_from_every_source_shows_on_the_card_and_the_timeline() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let svc = app.core.config().booking.services[0].clone();
    let from = today(&app.core) + Duration::days(2);
    let slots = free(&app.core, &svc, from, from + Duration::days(20)).await.unwrap();

    // Telegram: a client who came by a deep link books in the bot.
    let tg = client_with_phone(store, "Тереза Телеграмна", "0671110001").await;
    store.link_telegram(tg, CLIENT).await.unwrap();
    app.text_from(CLIENT, "uk", "/start ig_story_nov").await;
    let done = app.press_from(CLIENT, &format!("bc:0:{}", slots[0].timestamp() / 60), 10).await;
    assert!(reply_text(&done).contains("Ви записані"), "{}", reply_text(&done));
    // Her notice to the owner offers to move the visit too.
    let notice = sent_to(&app, OWNER, "Новий запис").await;
    assert!(notice.buttons().iter().any(|(_, d)| d.starts_with("ovm:")), "{:?}", notice.buttons());

    // The booking page: a typed contact with UTM, ref and a note.
    let (name, phone) = (ClientName::parse("Вероніка Вебова").unwrap(), Phone::parse("0671110002").unwrap());
    let web = Request {
        who: For::Form(Typed { name: &name, phone: Some(&phone), email: None, note: None, source: "web" }),
        booking: NewBooking {
            utm: Some("utm_source=instagram&utm_campaign=spring".into()),
            ref_code: Some("flyer7".into()),
            note: Some("болить пʼята зранку".into()),
            contact_phone: Some(phone.as_str().to_string()),
            ..NewBooking::of(0, &svc, slots[2], "web")
        },
        slot: Slot::Free,
        notice: Notice::New,
    };
    let web = place(&app.core, web).await.unwrap().booking.client_id;

    // Cal.com: an attendee with a note.
    let cal_name = ClientName::parse("Катерина Калкомова").unwrap();
    let cal = Request {
        who: For::Attendee(Typed { name: &cal_name, phone: None, email: None, note: None, source: "calcom" }),
        booking: NewBooking {
            external_uid: Some("cal-uid-owner-visits".into()),
            note: Some("після 17:00 зручніше".into()),
            ..NewBooking::of(0, &svc, slots[4], "calcom")
        },
        slot: Slot::External,
        notice: Notice::Keyed("calcom:test".into()),
    };
    let cal = place(&app.core, cal).await.unwrap().booking.client_id;

    // The owner's notices of both arrive first (so they do not interleave with the replies below).
    sent_to(&app, OWNER, "Вероніка Вебова").await;
    sent_to(&app, OWNER, "Катерина Калкомова").await;

    // The owner's own /book.
    let own = client_with_phone(store, "Ольга Власницька", "0671110003").await;
    let services = app.text("/book Власницька").await;
    let days = app.press(&button(&services, "Діагностика")).await;
    let day = data_starting(&days, "bd:")[0].1.clone();
    let times = app.press(&day).await;
    let time = data_starting(&times, "bt:")[0].1.clone();
    assert!(texts(&app.press(&time).await).contains("Записано"));

    for (client, query, source) in [
        (tg, "Телеграмна", "Telegram-бот · ref ig_story_nov"),
        (web, "Вебова", "сторінка запису · utm_source=instagram&utm_campaign=spring · ref flyer7"),
        (cal, "Калкомова", "Cal.com"),
        (own, "Власницька", "записала власниця"),
    ] {
        let card = card_of(&app.text(&format!("/client {query}")).await, query);
        assert!(card.contains("📅 Візити"), "{query}: {card}");
        assert!(card.contains(source), "{query}: the source on the visit: {card}");
        let lines = visit_lines(&app, client).await;
        assert!(lines.iter().any(|l| l.starts_with("Запис:") && l.contains(source)), "{query}: {lines:?}");
    }
    let card = card_of(&app.text("/client Вебова").await, "Вебова");
    assert!(card.contains("болить пʼята зранку"), "her note on the visit: {card}");
    assert!(visit_lines(&app, cal).await.iter().any(|l| l.contains("після 17:00 зручніше")));

    // Came / no-show and cancellations are on the card and the timeline too.
    let tg_booking = store.upcoming_bookings(tg, Utc::now()).await.unwrap().remove(0);
    app.press(&format!("vc:{}", tg_booking.id)).await;
    let own_booking = store.upcoming_bookings(own, Utc::now()).await.unwrap().remove(0);
    app.press(&format!("ox:{}", own_booking.id)).await;
    app.text("переїхала").await;
    let card = card_of(&app.text("/client Телеграмна").await, "Телеграмна");
    assert!(card.contains("✅"), "{card}");
    assert!(visit_lines(&app, tg).await.iter().any(|l| l.contains("прийшла")));
    let card = card_of(&app.text("/client Власницька").await, "Власницька");
    assert!(card.contains("❌"), "{card}");
    assert!(
        visit_lines(&app, own).await.iter().any(|l| l.contains("скасовано") && l.contains("переїхала")),
        "{:?}",
        visit_lines(&app, own).await
    );
}

/// A visit within the next day, straight in the store, from her Telegram chat.
async fn visit_tomorrow_at_latest(app: &TestApp, client: i64) -> (i64, DateTime<Utc>) {
    let svc = app.core.config().booking.services[0].clone();
    let t = today(&app.core);
    let slots = free_for(&app.core, &svc, t, t + Duration::days(1), None, Asker::Owner).await.unwrap();
    let at = slots[0];
    assert!(at < Utc::now() + Duration::hours(24), "the visit is inside the client's cut-off");
    let new = NewBooking { chat_id: Some(CLIENT), ..NewBooking::of(client, &svc, at, "telegram") };
    (app.core.store().create_booking(&new, |_| vec![]).await.unwrap().unwrap(), at)
}

#[tokio::test]
async fn the_owner_moves_a_visit_inside_the_cutoff_and_the_client_is_told() {
    let app = TestApp::spawn_custom(false, None, every_day).await;
    let store = app.core.store();
    let client = client_with_phone(store, "Мирослава Переносна", "0671110010").await;
    store.link_telegram(client, CLIENT).await.unwrap();
    let (id, at) = visit_tomorrow_at_latest(&app, client).await;

    // She herself can no longer move it...
    let refused = app.press_from(CLIENT, &format!("bm:{id}"), 10).await;
    assert!(reply_text(&refused).contains("не пізніше ніж за 24"), "{}", reply_text(&refused));

    // ...the owner can, from the card: move → day → time.
    let card = app.text("/client Переносна").await;
    assert!(reply_text(&card).contains("📅 Візити"), "{}", reply_text(&card));
    let days = app.press(&button(&card, "🔁")).await;
    assert!(reply_text(&days).contains("Перенести: Мирослава Переносна"), "{}", reply_text(&days));
    // The first day offered with another free time (late in the day, today may have only hers).
    let mut to = None;
    for (_, day) in data_starting(&days, "ovd:") {
        let times = app.press(&day).await;
        to = data_starting(&times, "ovt:")
            .into_iter()
            .map(|(_, d)| d)
            .find(|d| *d != format!("ovt:{id}:{}", at.timestamp() / 60));
        if to.is_some() {
            break;
        }
    }
    let to = to.expect("another free time");
    let done = app.press(&to).await;
    assert!(reply_text(&done).contains("Перенесено") && reply_text(&done).contains("повідомлено в Telegram"));
    let moved = store.booking(id).await.unwrap();
    assert_ne!(moved.starts_at, at);
    assert_eq!(moved.starts_at.timestamp() / 60, to.rsplit(':').next().unwrap().parse::<i64>().unwrap());
    sent_to(&app, CLIENT, "Ваш запис перенесено").await;
    assert!(visit_lines(&app, client).await.iter().any(|l| l.starts_with("Візит перенесено")));

    // /week offers the same for every visit ahead.
    let week = app.text("/week").await;
    assert!(data_starting(&week, &format!("ovm:{id}:")).len() == 1, "{:?}", week[0].buttons());
    assert!(data_starting(&week, &format!("ox:{id}")).len() == 1, "{:?}", week[0].buttons());
}

#[tokio::test]
async fn moving_a_visit_with_no_chat_tells_the_owner_to_call() {
    let app = TestApp::spawn_custom(false, None, every_day).await;
    let svc = app.core.config().booking.services[0].clone();
    let t = today(&app.core);
    let slots = free_for(&app.core, &svc, t, t + Duration::days(3), None, Asker::Owner).await.unwrap();
    let (name, phone) = (ClientName::parse("Ніна Безчатна").unwrap(), Phone::parse("0671110020").unwrap());
    let web = Request {
        who: For::Form(Typed { name: &name, phone: Some(&phone), email: None, note: None, source: "web" }),
        booking: NewBooking {
            contact_phone: Some(phone.as_str().to_string()),
            ..NewBooking::of(0, &svc, slots[6], "web")
        },
        slot: Slot::Free,
        notice: Notice::New,
    };
    let b = place(&app.core, web).await.unwrap().booking;
    let days = app.press(&format!("ovm:{}:0", b.id)).await;
    let times = app.press(&data_starting(&days, "ovd:")[0].1).await;
    let to = data_starting(&times, "ovt:")
        .into_iter()
        .map(|(_, d)| d)
        .find(|d| !d.ends_with(&format!(":{}", b.starts_at.timestamp() / 60)));
    // The worker may deliver the booking's own notice while the press is answered: read every text.
    let done = texts(&app.press(&to.expect("another time")).await);
    assert!(
        done.contains("Перенесено") && done.contains("надіслати нема куди") && done.contains("+380671110020"),
        "{done}"
    );
}

#[tokio::test]
async fn the_owner_books_inside_the_minimum_notice_and_on_a_later_page() {
    let app = TestApp::spawn_custom(false, None, |s| {
        every_day(s);
        s.booking.rules.min_notice = Duration::days(3);
    })
    .await;
    let client = client_with_phone(app.core.store(), "Дарина Термінова", "0671110030").await;
    let services = app.text("/book Термінова").await;
    let days = app.press(&button(&services, "Діагностика")).await;
    let shown: Vec<_> = data_starting(&days, "bd:")
        .into_iter()
        .map(|(_, d)| date_from_code(d.rsplit(':').next().unwrap().parse().unwrap()).unwrap())
        .collect();
    assert_eq!(shown.len(), 8, "a page of eight days");
    let first = shown[0];
    assert!(first <= today(&app.core) + Duration::days(1), "the owner's days start now: {first}");
    let svc = app.core.config().booking.services[0].clone();
    assert!(free(&app.core, &svc, first, first).await.unwrap().is_empty(), "a client could not book that day");

    // "Later ▶" shows the next days, up to the horizon.
    let later = app.press(&button(&days, "Пізніше")).await;
    let next: Vec<_> = data_starting(&later, "bd:")
        .into_iter()
        .map(|(_, d)| date_from_code(d.rsplit(':').next().unwrap().parse().unwrap()).unwrap())
        .collect();
    assert!(!next.is_empty() && next[0] > shown[7], "{next:?} after {shown:?}");
    assert!(button(&later, "Раніше").starts_with("ovb:0:"));

    // A day inside the minimum notice books at once.
    let back = app.press(&button(&later, "Раніше")).await;
    let times = app.press(&data_starting(&back, "bd:")[0].1).await;
    let done = app.press(&data_starting(&times, "bt:")[0].1).await;
    assert!(reply_text(&done).contains("Записано"), "{}", reply_text(&done));
    let b = app.core.store().upcoming_bookings(client, Utc::now()).await.unwrap().remove(0);
    assert!(b.starts_at < Utc::now() + Duration::days(3), "inside the minimum notice: {}", b.starts_at);
    assert_eq!(b.channel, "owner");
}

/// Reads the console's output until it contains `needle` (or fails after [`WAIT`]).
async fn read_until(out: &mut tokio::io::DuplexStream, seen: &mut String, needle: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut buf = [0u8; 4096];
    while !seen.contains(needle) {
        let n = tokio::time::timeout_at(deadline, out.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no `{needle}` in the console: {seen}"))
            .unwrap();
        assert!(n > 0, "the console closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

#[tokio::test]
async fn the_console_shows_a_notice_with_its_buttons_and_they_work() {
    let app = TestApp::spawn().await;
    let (mut typing, console_in) = tokio::io::duplex(4096);
    let (console_out, mut screen) = tokio::io::duplex(1 << 16);
    let core = app.core.clone();
    let running = tokio::spawn(console::run(core, tokio::io::BufReader::new(console_in), console_out));
    let mut seen = String::new();
    read_until(&mut screen, &mut seen, "> ").await;
    typing.write_all("/orders\n".as_bytes()).await.unwrap();
    read_until(&mut screen, &mut seen, "Відкритих замовлень немає").await;

    // A client books (as in the bot): the owner's notice reaches the open console with buttons.
    let client = client_with_phone(app.core.store(), "Соломія Консольна", "0671110040").await;
    let svc = app.core.config().booking.services[0].clone();
    let from = today(&app.core) + Duration::days(2);
    let at = free(&app.core, &svc, from, from + Duration::days(20)).await.unwrap()[0];
    let req = Request {
        who: For::Client(client),
        booking: NewBooking::of(client, &svc, at, "telegram"),
        slot: Slot::Free,
        notice: Notice::New,
    };
    let b = place(&app.core, req).await.unwrap().booking;
    read_until(&mut screen, &mut seen, "🔁 Перенести").await;
    let notice = &seen[seen.rfind("🔔").expect("a notice")..];
    assert!(notice.contains("Новий запис: Соломія Консольна"), "{notice}");
    for label in ["✅ Підтвердити", "👤", "🔁 Перенести", "❌ Скасувати запис"]
    {
        assert!(notice.contains(&format!("] {label}")), "`{label}` numbered in: {notice}");
    }
    // Its buttons work like any other: typing the number of "move" opens the owner's days.
    let line = notice.lines().find(|l| l.contains("🔁 Перенести")).unwrap();
    let number = line.split("] 🔁 Перенести").next().unwrap().rsplit('[').next().unwrap().to_string();
    typing.write_all(format!("{number}\n").as_bytes()).await.unwrap();
    read_until(&mut screen, &mut seen, "Перенести: Соломія Консольна").await;
    assert!(seen.contains(&format!("{}", b.starts_at.with_timezone(&app.core.config().tz).format("%d.%m %H:%M"))));
    drop(typing);
    running.await.unwrap().unwrap();
}

/// The card among `calls` (the worker may deliver a notice in between): the text with the card's
/// visits section that names `name`.
fn card_of(calls: &[insoles_crm::fake_telegram::Call], name: &str) -> String {
    calls
        .iter()
        .map(|c| c.text().to_string())
        .find(|t| t.contains(name) && t.contains("📅 Візити"))
        .unwrap_or_else(|| panic!("no card of {name} in {:?}", calls.iter().map(|c| c.text()).collect::<Vec<_>>()))
}
