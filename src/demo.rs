//! `insoles-crm demo-data`: realistic Ukrainian sample clients, orders, notes, tags and tasks for
//! a fresh database, so the first run has something to look at. Deterministic (a fixed seed),
//! and refused on a database that already has clients.

use crate::domain::profile::{format_conditions, Condition};
use crate::domain::{ClientName, Money, OrderStatus, Phone};
use crate::store::clients::{FieldValue, TextField};
use crate::store::interactions::{Direction, Kind};
use crate::store::Store;
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
const TAGS: [&str; 5] = ["instagram", "vip", "рекомендація", "спорт", "діти"];

/// A small deterministic generator (no randomness crate needed for sample data).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

pub async fn fill(store: &Store, _tz: Tz) -> anyhow::Result<String> {
    let existing = store.client_count().await?;
    if existing > 0 {
        anyhow::bail!("the database already has {existing} clients; demo data goes only into a fresh database (set DATABASE_URL to a new file)");
    }
    let mut rng = Lcg(2026);
    let mut clients = 0;
    let mut orders = 0;
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
                .create_order(id, product, price, prepaid, "console", &format!("Нове замовлення: {product}, {price}"))
                .await?;
            orders += 1;
            let steps = rng.next(5);
            let path = [OrderStatus::InProduction, OrderStatus::Ready, OrderStatus::Issued];
            for to in path.iter().take(steps.min(3)) {
                store
                    .transition_order(order, *to, "console", |o| format!("Замовлення #{}: {}", o.id, o.status), None)
                    .await?;
            }
            if steps == 4 {
                let _ = store
                    .transition_order(
                        order,
                        OrderStatus::Cancelled,
                        "console",
                        |o| format!("Замовлення #{} скасовано", o.id),
                        None,
                    )
                    .await?;
            }
        }
        if rng.next(5) == 0 {
            let due = crate::store::now() + chrono::Duration::days(1 + rng.next(10) as i64);
            let due = Some(due);
            store.create_task(Some(id), "Подзвонити: як устілки?", due, crate::work::spec::task_jobs(due)).await?;
        }
    }
    Ok(format!("demo data: {clients} clients, {orders} orders"))
}
