//! Booking in the bot: the client's flow with buttons, the owner's notices and decisions,
//! reminders and the no-show follow-up, and one booking per slot under concurrency.

use crate::helpers::*;
use chrono::{Duration, Utc};
use insoles_crm::channels::telegram::make_bot;
use insoles_crm::core::booking::{date_code, free, minutes, today};
use insoles_crm::domain::Phone;
use insoles_crm::fake_telegram::updates;
use insoles_crm::store::bookings::NewBooking;
use insoles_crm::worker::Worker;

const CLIENT: i64 = 700_001;

fn worker(app: &TestApp) -> Worker {
    Worker::new(app.core.clone(), make_bot(&settings(&app.fake, "sqlite::memory:", false)).unwrap())
}

/// A client with a phone, linked to a Telegram user.
async fn linked_client(app: &TestApp, tg: i64, phone: &str, name: &str) -> i64 {
    let id = client_with_phone(app.core.store(), name, phone).await;
    app.core.store().link_telegram(id, tg).await.unwrap();
    id
}

async fn first_slot(app: &TestApp, skip: usize) -> chrono::DateTime<Utc> {
    let svc = app.core.config().booking.services[0].clone();
    let slots = free(&app.core, &svc, today(&app.core), today(&app.core) + Duration::days(29)).await.unwrap();
    slots[skip]
}

#[tokio::test]
async fn a_client_books_with_buttons_and_the_whole_visit_runs_itself() {
    let app = TestApp::spawn().await;
    let welcome = app.text_from(CLIENT, "uk", "/start ig_story_nov").await;
    let services = app.press_from(CLIENT, &button(&welcome, "Записатися"), 10).await;
    assert!(reply_text(&services).contains("На що записуємось"));
    let days = app.press_from(CLIENT, &button(&services, "Діагностика стопи (40 хв)"), 10).await;
    let day = days.iter().flat_map(|c| c.buttons()).next().expect("a day with free slots").1;
    let times = app.press_from(CLIENT, &day, 10).await;
    let time = times.iter().flat_map(|c| c.buttons()).next().unwrap().1;
    let ask = app.press_from(CLIENT, &time, 10).await;
    let ask_msg = ask.iter().find(|c| c.method.eq_ignore_ascii_case("sendMessage")).unwrap();
    assert!(ask_msg.text().contains("номер телефону"));
    assert_eq!(ask_msg.body["reply_markup"]["keyboard"][0][0]["request_contact"], true);

    let shared = app.update(updates::own_contact(app.next_update_id(), CLIENT, "+380671234567")).await;
    let calls = app
        .fake
        .wait_for(WAIT, |c| c.iter().filter(|c| c.text().contains("Підтверджуєте")).count() >= 1)
        .await
        .unwrap();
    assert!(reply_text(&shared).contains("+380 67 123 45 67"));
    assert_eq!(shared[0].body["reply_markup"]["remove_keyboard"], true);
    let confirm = calls.iter().rev().find(|c| c.text().contains("Підтверджуєте")).unwrap().buttons()[0].1.clone();
    let done = app.press_from(CLIENT, &confirm, 11).await;
    assert!(reply_text(&done).contains("Ви записані: Діагностика стопи"), "{}", reply_text(&done));

    // The owner hears at once, with the client's card one tap away.
    let notice = sent_to(&app, OWNER, "Новий запис").await;
    assert!(
        notice.text().contains("+380671234567") && notice.text().contains("Діагностика стопи"),
        "{}",
        notice.text()
    );
    let store = app.core.store();
    let client = store.client_by_phone(&Phone::parse("0671234567").unwrap()).await.unwrap().unwrap();
    assert_eq!(client.telegram_id, Some(CLIENT));
    let booking = store.upcoming_bookings(client.id, Utc::now()).await.unwrap().remove(0);
    assert_eq!(booking.ref_code.as_deref(), Some("ig_story_nov"));
    assert!(reply_text(&app.text("/week").await).contains("Оля Власниця"));

    // Reminders before the visit, in her chat, with buttons.
    let w = worker(&app);
    w.tick(booking.starts_at - Duration::minutes(90)).await.unwrap();
    let reminder = sent_to(&app, CLIENT, "Нагадуємо").await;
    assert!(reminder.buttons().iter().any(|(l, _)| l.contains("Буду")));

    // After the visit the owner is asked; a no-show starts the follow-up.
    w.tick(booking.ends_at + Duration::minutes(1)).await.unwrap();
    let ask = sent_to(&app, OWNER, "Як пройшов візит").await;
    let no_show = ask.buttons().into_iter().find(|(l, _)| l.contains("Не прийшла")).unwrap().1;
    assert!(reply_text(&app.press(&no_show).await).contains("Неявка"));
    w.tick(Utc::now() + Duration::hours(3)).await.unwrap();
    sent_to(&app, CLIENT, "Шкода, що не вдалося прийти").await;
    w.tick(Utc::now() + Duration::days(3)).await.unwrap();
    let tasks = store.open_tasks(10).await.unwrap();
    assert!(tasks.iter().any(|t| t.body.contains("Перезаписати: Оля Власниця")), "{tasks:?}");
}

#[tokio::test]
async fn fifty_clients_pressing_one_slot_get_one_booking() {
    let app = TestApp::spawn().await;
    for i in 0..50 {
        linked_client(&app, 800_000 + i, &format!("06700000{i:02}"), &format!("Клієнтка Номер{i}")).await;
    }
    let slot = first_slot(&app, 0).await;
    let data = format!("bc:0:{}", minutes(slot));
    let before = app.fake.acks();
    for i in 0..50 {
        app.fake.push_update(updates::callback(app.next_update_id(), 800_000 + i, "uk", 1, &data));
    }
    app.fake.wait_for(WAIT, |_| app.fake.acks() >= before + 50).await.unwrap();
    let calls = app.fake.calls();
    let won = calls.iter().filter(|c| c.text().contains("Ви записані")).count();
    let lost = calls.iter().filter(|c| c.text().contains("щойно зайняли")).count();
    assert_eq!((won, lost), (1, 49));
    let live = app.core.store().bookings_between(slot - Duration::hours(1), slot + Duration::hours(1)).await.unwrap();
    assert_eq!(live.len(), 1);

    // The same at the store, 50 transactions at once on another slot.
    let other = first_slot(&app, 3).await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..50 {
        let store = app.core.store().clone();
        let svc = app.core.config().booking.services[0].clone();
        set.spawn(async move {
            let b = NewBooking::of(i + 1, &svc, other, "test");
            store.create_booking(&b, |_| vec![]).await.unwrap().is_ok()
        });
    }
    let mut wins = 0;
    while let Some(r) = set.join_next().await {
        wins += r.unwrap() as usize;
    }
    assert_eq!(wins, 1);
}

#[tokio::test]
async fn clients_move_and_cancel_their_own_visits_only_before_the_cutoff() {
    let app = TestApp::spawn().await;
    let alice = linked_client(&app, 900_001, "0501110001", "Аліна Коваль").await;
    linked_client(&app, 900_002, "0501110002", "Богдана Коваль").await;
    let slot = first_slot(&app, 0).await;
    // Far enough ahead to be changeable: a slot more than a day away.
    let far = {
        let svc = app.core.config().booking.services[0].clone();
        free(&app.core, &svc, today(&app.core) + Duration::days(2), today(&app.core) + Duration::days(20))
            .await
            .unwrap()
    };
    let done = app.press_from(900_001, &format!("bc:0:{}", minutes(far[0])), 5).await;
    assert!(reply_text(&done).contains("Ви записані"));
    let id = app.core.store().upcoming_bookings(alice, Utc::now()).await.unwrap()[0].id;

    // Someone else's booking reveals nothing and changes nothing.
    let probe = app.press_from(900_002, &format!("bx:{id}"), 5).await;
    assert!(reply_text(&probe).contains("недоступний"));
    assert_eq!(app.core.store().booking(id).await.unwrap().status, insoles_crm::domain::BookingStatus::Booked);

    // Move: day, then time.
    let days = app.press_from(900_001, &format!("bm:{id}"), 5).await;
    assert!(!days.iter().flat_map(|c| c.buttons()).collect::<Vec<_>>().is_empty());
    let new_day = far[1].with_timezone(&app.core.config().tz).date_naive();
    let times = app.press_from(900_001, &format!("md:{id}:{}", date_code(new_day)), 5).await;
    assert!(!times.iter().flat_map(|c| c.buttons()).collect::<Vec<_>>().is_empty());
    let moved = app.press_from(900_001, &format!("mt:{id}:{}", minutes(far[1])), 5).await;
    assert!(reply_text(&moved).contains("перенесено"), "{}", reply_text(&moved));
    assert_eq!(app.core.store().booking(id).await.unwrap().starts_at, far[1]);
    sent_to(&app, OWNER, "Запис перенесено").await;

    let cancelled = app.press_from(900_001, &format!("bx:{id}"), 5).await;
    assert!(reply_text(&cancelled).contains("Запис скасовано"));
    // The notice of a cancelled visit offers nothing to confirm or cancel.
    let notice = sent_to(&app, OWNER, "Клієнт скасував запис").await;
    let data: Vec<String> = notice.buttons().into_iter().map(|(_, d)| d).collect();
    assert!(!data.iter().any(|d| d.starts_with("oc:") || d.starts_with("ox:")), "{data:?}");
    assert!(data.iter().any(|d| d.starts_with("c:")), "the card is still one tap away: {data:?}");

    // Inside the cut-off: refused with the rule.
    let svc = app.core.config().booking.services[0].clone();
    let soon = NewBooking {
        chat_id: Some(900_001),
        ..NewBooking::of(alice, &svc, slot.min(Utc::now() + Duration::hours(3)), "telegram")
    };
    let soon_id = app.core.store().create_booking(&soon, |_| vec![]).await.unwrap().unwrap();
    let refused = app.press_from(900_001, &format!("bx:{soon_id}"), 5).await;
    assert!(reply_text(&refused).contains("не пізніше ніж за 24 год"), "{}", reply_text(&refused));
}

#[tokio::test]
async fn the_owner_sets_hours_days_off_cancels_with_a_reason_and_books_for_a_client() {
    let app = TestApp::spawn().await;
    let shown = reply_text(&app.text("/hours нд 10-14").await);
    assert!(shown.contains("нд: 10:00-14:00") && shown.contains("сб: 10:00-14:00"), "{shown}");
    assert!(reply_text(&app.text("/hours нд вихідний").await).contains("нд: вихідний"));
    assert!(reply_text(&app.text("/hours ніколи").await).contains("Змінити день"));

    linked_client(&app, 910_001, "0931110001", "Віра Левчук").await;
    let slot = first_slot(&app, 2).await;
    app.press_from(910_001, &format!("bc:0:{}", minutes(slot)), 5).await;
    sent_to(&app, OWNER, "Новий запис").await;
    let day = slot.with_timezone(&app.core.config().tz).date_naive();
    let dayoff = app.text(&format!("/dayoff {}", day.format("%d.%m.%Y"))).await;
    assert!(reply_text(&dayoff).contains("вже є записи (1)"), "{}", reply_text(&dayoff));
    let ask = app.press(&button(&dayoff, "Віра Левчук")).await;
    assert!(reply_text(&ask).contains("причину"));
    let done = app.text("Захворіла, вибачте").await;
    assert!(reply_text(&done).contains("Клієнту повідомлено"));
    let told = sent_to(&app, 910_001, "скасовано").await;
    assert!(told.text().contains("Причина: Захворіла, вибачте"));
    assert!(reply_text(&app.text("/dayoff 31.02").await).contains("Не зрозуміла дату"));
    assert!(reply_text(&app.text("/vacation 01.01.2020-05.01.2020").await).contains("минув"));

    // /book: three taps for the owner.
    let services = app.text("/book Віра").await;
    assert!(reply_text(&services).contains("👤 Віра Левчук"));
    let days = app.press(&button(&services, "Діагностика")).await;
    let day_button = days.iter().flat_map(|c| c.buttons()).next().unwrap().1;
    let times = app.press(&day_button).await;
    let time = times.iter().flat_map(|c| c.buttons()).next().unwrap().1;
    let booked = app.press(&time).await;
    assert!(reply_text(&booked).contains("Записано: Віра Левчук"), "{}", reply_text(&booked));
}

#[tokio::test]
async fn the_calendar_feed_lists_bookings_behind_its_secret() {
    let app = TestApp::spawn().await;
    linked_client(&app, 920_001, "0661110001", "Ірина Ющук").await;
    let slot = first_slot(&app, 1).await;
    app.press_from(920_001, &format!("bc:0:{}", minutes(slot)), 5).await;
    let base = format!("http://{}/calendar/", app.http);
    assert_eq!(reqwest::get(format!("{base}wrong_secret_0000000.ics")).await.unwrap().status(), 404);
    let feed = reqwest::get(format!("{base}{CALENDAR_SECRET}.ics")).await.unwrap();
    assert_eq!(feed.headers()["content-type"], "text/calendar; charset=utf-8");
    let body = feed.text().await.unwrap();
    let local = slot.with_timezone(&app.core.config().tz).format("%Y%m%dT%H%M%S").to_string();
    assert!(body.contains(&format!("DTSTART;TZID=Europe/Kyiv:{local}\r\n")), "{body}");
    assert!(body.contains("SUMMARY:Діагностика стопи — Ірина Ю.") && body.contains("BEGIN:VTIMEZONE"));
    assert!(!body.contains("0661110001"), "no phones in a feed Google fetches");
}

/// Bookings on the four DST Sundays of 2026-2027 (Kyiv: spring 03:00→04:00, autumn 04:00→03:00):
/// at 10:00, and a visit that straddles the switch, whose neighbours are judged in real time.
#[tokio::test]
async fn bookings_on_the_dst_sundays_keep_their_real_length_and_neighbours() {
    let app = TestApp::spawn().await;
    let tz = app.core.config().tz;
    let store = app.core.store();
    let svc = app.core.config().booking.services[0].clone(); // 40 min + 10 min buffer
    assert_eq!((svc.duration, svc.buffer), (Duration::minutes(40), Duration::minutes(10)));
    let client = linked_client(&app, 930_001, "0671110001", "Олена Бойко").await;
    let other = linked_client(&app, 930_002, "0671110002", "Ганна Бойко").await;
    let local = |day: chrono::NaiveDate, h: u32, m: u32| {
        insoles_crm::domain::when::resolve_local(tz, day, chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap())
    };
    // The second 03:xx of an autumn night (winter time).
    let second = |day: chrono::NaiveDate, m: u32| {
        use chrono::TimeZone;
        tz.from_local_datetime(&day.and_hms_opt(3, m, 0).unwrap()).latest().unwrap().with_timezone(&Utc)
    };
    let book = |who: i64, start: chrono::DateTime<Utc>| {
        let new = NewBooking::of(who, &svc, start, "test");
        async move { store.create_booking(&new, |_| vec![]).await.unwrap() }
    };
    let hm = |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%H:%M %Z").to_string();
    for (y, m, d) in [(2026, 3, 29), (2026, 10, 25), (2027, 3, 28), (2027, 10, 31)] {
        let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let id = book(client, local(day, 10, 0)).await.unwrap();
        let b = store.booking(id).await.unwrap();
        assert_eq!(b.starts_at.with_timezone(&tz).format("%H:%M").to_string(), "10:00");
        assert_eq!(b.ends_at - b.starts_at, Duration::minutes(40));
        assert!(book(other, local(day, 10, 0)).await.is_err(), "the same slot again is refused");

        let spring = m == 3;
        let start = if spring { local(day, 2, 40) } else { local(day, 3, 40) };
        let id = book(client, start).await.unwrap();
        let b = store.booking(id).await.unwrap();
        assert_eq!(b.ends_at - b.starts_at, Duration::minutes(40), "{day}: a visit across the switch");
        assert_eq!(b.block_until - b.ends_at, Duration::minutes(10));
        // Spring: 02:40 EET + 40 min = 04:20 EEST. Autumn: 03:40 EEST + 40 min = 03:20 EET.
        assert_eq!(
            (hm(b.starts_at), hm(b.ends_at)),
            if spring { ("02:40 EET".into(), "04:20 EEST".into()) } else { ("03:40 EEST".into(), "03:20 EET".into()) },
        );
        // 20 real minutes in (04:00 summer time / 03:00 winter time): refused. Inside the
        // buffer: refused. Right after the buffer (04:30 / the second 03:30): booked.
        let (inside, in_buffer, after) = if spring {
            (local(day, 4, 0), local(day, 4, 20), local(day, 4, 30))
        } else {
            (second(day, 0), second(day, 20), second(day, 30))
        };
        assert!(book(other, inside).await.is_err(), "{day}: {} overlaps {}", hm(inside), hm(start));
        assert!(book(other, in_buffer).await.is_err(), "{day}: {} is inside the buffer", hm(in_buffer));
        let next = book(other, after).await.expect("right after the buffer is free");
        assert_eq!(store.booking(next).await.unwrap().starts_at - b.ends_at, Duration::minutes(10));
    }
}

/// Two bookings that share only part of their time can never both exist: the second starting
/// 10 minutes into the first, or ending inside it, is refused (and leaves nothing behind);
/// neighbours that keep the buffer are booked.
#[tokio::test]
async fn the_store_refuses_partial_overlaps_and_keeps_the_buffer_between_neighbours() {
    use chrono::TimeZone;
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let diag = app.core.config().booking.services[0].clone(); // 40 min + 10 min buffer
    let fitting = app.core.config().booking.services[1].clone(); // 20 min, no buffer
    assert_eq!((fitting.duration, fitting.buffer), (Duration::minutes(20), Duration::zero()));
    let a = linked_client(&app, 950_001, "0671119001", "Оксана Мельник").await;
    let b = linked_client(&app, 950_002, "0671119002", "Марія Ткач").await;
    let t = Utc.with_ymd_and_hms(2030, 1, 15, 10, 0, 0).unwrap();
    let min = Duration::minutes;
    let book = |who: i64, svc: &insoles_crm::domain::schedule::Service, start: chrono::DateTime<Utc>| {
        let new = NewBooking::of(who, svc, start, "test");
        async move { store.create_booking(&new, |_| vec![]).await.unwrap() }
    };
    book(a, &diag, t).await.expect("the first booking");
    assert!(book(b, &diag, t + min(10)).await.is_err(), "10 minutes into the first");
    assert!(book(b, &diag, t - min(10)).await.is_err(), "ending 30 minutes into the first");
    assert!(book(b, &fitting, t + min(15)).await.is_err(), "inside it, off the grid");
    assert!(book(b, &diag, t + min(40)).await.is_err(), "inside the first one's buffer");
    book(b, &fitting, t - min(20)).await.expect("a fitting without buffer ending as the first begins");
    let third = book(b, &diag, t + min(50)).await.expect("right after the first one's buffer");
    assert!(book(a, &fitting, t + min(95)).await.is_err(), "5 minutes into the third one's buffer");
    book(a, &fitting, t + min(100)).await.expect("right after the third one's buffer");

    let live = store.bookings_between(t - min(60), t + min(180)).await.unwrap();
    let mut starts: Vec<_> = live.iter().map(|b| (b.starts_at - t).num_minutes()).collect();
    starts.sort();
    assert_eq!(starts, [-20, 0, 50, 100], "refused attempts leave no booking behind");
    assert_eq!(store.booking(third).await.unwrap().block_until, t + min(100));
    let cells: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM booking_cells").fetch_one(store.pool()).await.unwrap();
    assert_eq!(cells, 2 + 5 + 5 + 2, "each booking holds exactly its own cells");
}

#[test]
fn google_calendar_export_gives_the_expected_busy_time() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/reference/fixtures/ics/google_secret_example.ics"
    ))
    .unwrap();
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let r = insoles_crm::calendar::busy::busy(
        &text,
        chrono_tz::Europe::Kyiv,
        at("2025-03-01T00:00:00Z"),
        at("2025-05-01T00:00:00Z"),
    );
    let got: Vec<(String, String)> = r
        .busy
        .iter()
        .map(|b| (b.start.format("%Y-%m-%dT%H:%MZ").to_string(), b.end.format("%Y-%m-%dT%H:%MZ").to_string()))
        .collect();
    let want = [
        ("2025-03-17T07:00Z", "2025-03-17T11:00Z"),
        ("2025-03-31T06:00Z", "2025-03-31T10:00Z"),
        ("2025-03-31T21:00Z", "2025-04-02T21:00Z"),
        ("2025-04-07T11:00Z", "2025-04-07T13:00Z"),
    ];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    assert_eq!(r.skipped, 0);
}

#[tokio::test]
async fn private_calendar_events_block_slots_and_broken_ones_are_skipped() {
    use axum::routing::get;
    // Find the first day with free slots, then make it an all-day private event.
    let probe = TestApp::spawn().await;
    let first = first_slot(&probe, 0).await.with_timezone(&probe.core.config().tz).date_naive();
    drop(probe);
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:day@google.com\r\nDTSTART;VALUE=DATE:{}\r\nDTEND;VALUE=DATE:{}\r\nSUMMARY:Приватне\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:broken@google.com\r\nDTSTART;TZID=Europe/Kyiv:2026-13-45\r\nSUMMARY:Зламане\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        first.format("%Y%m%d"),
        (first + Duration::days(1)).format("%Y%m%d")
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/calendar/ical/private-token/basic.ics", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            axum::Router::new().route("/calendar/ical/private-token/basic.ics", get(move || async move { ics })),
        )
        .await
    });
    let app =
        TestApp::spawn_custom(false, None, |s| s.google_ics_url = Some(insoles_crm::config::Secret::new(url))).await;
    let store = app.core.store().clone();
    // The busy time is written before the job is marked done: wait for both.
    wait_until("the calendar is read", || async {
        let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'ics_refresh' AND state = 'done'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        done > 0
            && !store
                .calendar_busy(Utc::now() - Duration::days(2), Utc::now() + Duration::days(40))
                .await
                .unwrap()
                .is_empty()
    })
    .await;
    let svc = app.core.config().booking.services[0].clone();
    assert!(free(&app.core, &svc, first, first).await.unwrap().is_empty(), "the private day blocks every slot");
    // The busy rows are committed before the job is marked done: wait for both.
    wait_until("the refresh job is done", || async {
        sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM jobs WHERE kind = 'ics_refresh' AND state = 'done'")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .0
            > 0
    })
    .await;
    let (result,): (Option<String>,) =
        sqlx::query_as("SELECT result FROM jobs WHERE kind = 'ics_refresh' AND state = 'done'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(result.as_deref(), Some("1 busy intervals, 1 events skipped"));
}

#[tokio::test]
async fn the_client_hears_when_her_insoles_are_ready() {
    let app = TestApp::spawn().await;
    linked_client(&app, 940_001, "0981110001", "Леся Дячук").await;
    let order = app.text("/new_order 0981110001, Устілки каркасні, 1800").await;
    let prod = app.press(&button(&order, "У виробництві")).await;
    app.press(&button(&prod, "Готове")).await;
    worker(&app).tick(Utc::now() + Duration::days(1)).await.unwrap();
    let sent = sent_to(&app, 940_001, "Ваші устілки готові").await;
    assert!(sent.text().contains("Устілки каркасні"));
}
