//! `insoles-crm demo-data`: realistic Ukrainian sample clients, orders, notes, tags, tasks and
//! visits for a fresh database, so every screen has something to show on the first run: a history
//! over the past six months (cards, notes, calls and orders dated back, past visits that happened
//! or were missed), visits in the coming week, open and overdue tasks. Order statuses in the
//! timeline are written by their names («Видане»), as the app writes them. Deterministic (a fixed
//! seed), and refused on a database that already has clients.

use crate::domain::profile::{format_conditions, Condition};
use crate::domain::schedule::Service;
use crate::domain::BookingStatus;
use crate::domain::{ClientName, Money, OrderStatus, Phone};
use crate::i18n::{I18n, Lang, Tr};
use crate::store::bookings::NewBooking;
use crate::store::clients::{FieldValue, TextField};
use crate::store::interactions::{Direction, Kind};
use crate::store::Store;
use chrono::{Duration, TimeZone};
use chrono_tz::Tz;

const FIRST: [&str; 16] = [
    "Ольга",
    "Марія",
    "Наталія",
    "Оксана",
    "Ірина",
    "Тетяна",
    "Галина",
    "Світлана",
    "Андрій",
    "Василь",
    "Михайло",
    "Олександр",
    "Юрій",
    "Богдан",
    "Софія",
    "Анна",
];
const LAST_F: [&str; 8] = ["Мар'янчук", "Коваль", "Ткачук", "Савчук", "Поліщук", "Мельник", "Бондар", "Кравчук"];
const LAST_M: [&str; 8] = ["Мар'янчук", "Коваль", "Ткачук", "Савчук", "Поліщук", "Мельник", "Бондар", "Кравчук"];
const PRODUCTS: [(&str, i64); 5] = [
    ("Устілки індивідуальні каркасні", 1_800),
    ("Устілки спортивні", 2_100),
    ("Устілки дитячі", 1_200),
    ("Корекція устілок", 400),
    ("Діагностика стопи", 350),
];
const NOTES: [&str; 6] = [
    "Прийшла з Instagram, скарги на біль у п'ятах зранку",
    "Рекомендація від знайомої",
    "Працює на ногах по 10 годин, продавчиня",
    "Бігає, готується до марафону",
    "Після операції на коліні, обережно з підйомом",
    "Дитина 8 років, плоско-вальгусна стопа",
];
const TASKS: [&str; 4] = [
    "Подзвонити: як устілки?",
    "Замовити заготовки 38 розміру",
    "Нагадати про корекцію через пів року",
    "Передзвонити щодо примірки",
];
const TAGS: [&str; 5] = ["instagram", "vip", "рекомендація", "спорт", "діти"];

/// A small deterministic generator (no randomness crate needed for sample data).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

pub async fn fill(store: &Store, tz: Tz) -> anyhow::Result<String> {
    let existing = store.client_count().await?;
    if existing > 0 {
        anyhow::bail!("the database already has {existing} clients; demo data goes only into a fresh database (set DATABASE_URL to a new file)");
    }
    let mut rng = Lcg(2026);
    let mut clients = 0;
    let mut orders = 0;
    let mut visits = 0;
    let mut tasks = 0;
    let i18n = I18n::load()?;
    let tr = Tr { i18n: &i18n, lang: Lang::Uk };
    let status_text = |o: &crate::store::orders::Order| {
        tr.t_args(
            "timeline-order-status",
            &[
                ("id", o.id.into()),
                ("product", o.product.clone().into()),
                ("status", tr.t(crate::core::card::status_key(o.status)).into()),
            ],
        )
    };
    let now = crate::store::now();
    let today = now.with_timezone(&tz).date_naive();
    let at = |day: chrono::NaiveDate, hour: u32| {
        tz.from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let diagnostics =
        Service { code: "diagnostics".into(), duration: Duration::minutes(40), buffer: Duration::minutes(10) };
    let fitting = Service { code: "fitting".into(), duration: Duration::minutes(20), buffer: Duration::minutes(10) };
    for i in 0..40usize {
        let first = FIRST[i % FIRST.len()];
        let male = matches!(first, "Андрій" | "Василь" | "Михайло" | "Олександр" | "Юрій" | "Богдан");
        let last = if male { LAST_M[rng.next(8)] } else { LAST_F[rng.next(8)] };
        let name = ClientName::parse(&format!("{first} {last}"))?;
        let phone = Phone::parse(&format!(
            "0{}{:07}",
            ["67", "97", "50", "63", "93", "68"][rng.next(6)],
            1_000_000 + i * 7919 % 8_999_999
        ))?;
        let note = (rng.next(3) > 0).then(|| NOTES[rng.next(NOTES.len())]);
        let made =
            crate::core::clients::find::create_with_phone(store, &name, &phone, note, Some("demo"), "console").await?;
        let crate::core::clients::find::WithPhone::Created { id, .. } = made else {
            anyhow::bail!("demo phone {} is on a card already", phone.display());
        };
        clients += 1;
        let mut conditions = vec![];
        for c in Condition::ALL {
            if rng.next(4) == 0 {
                conditions.push(c);
            }
        }
        store.set_client_conditions(id, &format_conditions(&conditions), rng.next(10) == 0).await?;
        store.set_client_field(id, TextField::FootLength, FieldValue::Int(Some(220 + rng.next(60) as i64))).await?;
        store
            .set_client_field(id, TextField::ShoeSize, FieldValue::Text(Some(format!("{}", 35 + rng.next(10)))))
            .await?;
        if rng.next(2) == 0 {
            store.tag_client(id, TAGS[rng.next(TAGS.len())]).await?;
        }
        if rng.next(3) == 0 {
            store
                .add_interaction(id, "console", Direction::Out, Kind::Call, "Дзвінок: домовились про примірку")
                .await?;
        }
        for _ in 0..rng.next(3) {
            let (product, price) = PRODUCTS[rng.next(PRODUCTS.len())];
            let price = Money::from_kopecks(price * 100);
            let prepaid = if rng.next(2) == 0 { Money::from_kopecks(price.kopecks() / 2) } else { Money::ZERO };
            let order = store
                .create_order(id, product, price, prepaid, "console", |n| {
                    format!("Нове замовлення #{n}: {product}, {price}")
                })
                .await?;
            orders += 1;
            let steps = rng.next(5);
            let path = [OrderStatus::InProduction, OrderStatus::Ready, OrderStatus::Issued];
            for to in path.iter().take(steps.min(3)) {
                store.transition_order(order, *to, "console", status_text, None).await?;
            }
            if steps == 4 {
                let _ = store.transition_order(order, OrderStatus::Cancelled, "console", status_text, None).await?;
            }
        }
        if rng.next(3) == 0 {
            // Some due in the coming days, some already overdue.
            let due = now + Duration::days(rng.next(10) as i64 - 3) + Duration::hours(rng.next(8) as i64);
            let body = TASKS[rng.next(TASKS.len())];
            let due = Some(due);
            store.create_task(Some(id), body, due, crate::work::spec::task_jobs(due)).await?;
            tasks += 1;
        }
        // A past visit (came or missed) for most, a visit in the coming week for some.
        if rng.next(4) > 0 {
            let day = today - Duration::days(7 + rng.next(150) as i64);
            if let Some(start) = at(day, 10 + rng.next(7) as u32) {
                let b = NewBooking::of(id, &diagnostics, start, "telegram");
                if let Ok(b) = store.create_booking(&b, |_| vec![]).await? {
                    let came = rng.next(6) != 0;
                    let outcome = if came { BookingStatus::Came } else { BookingStatus::NoShow };
                    let key = if came { "timeline-visit-came" } else { "timeline-visit-no-show" };
                    let when = start.with_timezone(&tz).format("%d.%m %H:%M").to_string();
                    let line = tr.t_args(key, &[("when", when.into())]);
                    store.set_booking_outcome(b, outcome, &line, vec![]).await?;
                    visits += 1;
                }
            }
        }
        if rng.next(3) == 0 {
            let day = today + Duration::days(1 + rng.next(6) as i64);
            let service = if rng.next(2) == 0 { &diagnostics } else { &fitting };
            if let Some(start) = at(day, 10 + rng.next(8) as u32) {
                if store.create_booking(&NewBooking::of(id, service, start, "web"), |_| vec![]).await?.is_ok() {
                    visits += 1;
                }
            }
        }
        // The card came months ago: its history is spread from then to now.
        let since = now - Duration::days(14 + rng.next(170) as i64);
        store.backdate_demo_client(id, since).await?;
    }
    Ok(format!("demo data: {clients} clients, {orders} orders, {visits} visits, {tasks} tasks"))
}
