//! `insoles-crm bench crm`: the performance figures of the foundation issue, measured on a seeded
//! database (default 100,000 clients and 300,000 orders) in a temporary directory.
//!
//! - client search (name fragment, phone fragment, tag) against the store: p50/p99;
//! - one card-open update through the core (the part of an update that is ours; the Bot API's
//!   network time excluded): p50/p99;
//! - the real binary as a child process beside the echo-bot floor, with the lean targets
//!   (`served.rs`).
//!
//! Run it on a release build: `cargo run --release -- bench`.

use super::{ms, percentile, served, Lcg};
use crate::core::{Actor, Channel, Input, InputKind};
use crate::store::Store;
use anyhow::Context;
use std::time::{Duration, Instant};

struct Options {
    clients: usize,
    orders: usize,
    updates: usize,
    /// Seconds after start-up at which idle RSS is read.
    idle_secs: u64,
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut o = Options { clients: 100_000, orders: 300_000, updates: 10_000, idle_secs: 20 };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> anyhow::Result<usize> {
            it.next()
                .with_context(|| format!("{name} needs a number"))?
                .parse()
                .with_context(|| format!("{name} needs a number"))
        };
        match a.as_str() {
            "--clients" => o.clients = num("--clients")?,
            "--orders" => o.orders = num("--orders")?,
            "--updates" => o.updates = num("--updates")?,
            "--idle-secs" => o.idle_secs = num("--idle-secs")? as u64,
            other => {
                anyhow::bail!("unknown bench option `{other}` (use --clients N --orders N --updates N --idle-secs N)")
            }
        }
    }
    anyhow::ensure!(o.clients >= 10, "--clients must be at least 10");
    Ok(o)
}

const FIRST: [&str; 12] =
    ["Ольга", "Марія", "Наталія", "Оксана", "Ірина", "Тетяна", "Андрій", "Василь", "Михайло", "Юрій", "Софія", "Анна"];
const LAST: [&str; 16] = [
    "Мар'янчук",
    "Коваль",
    "Ткачук",
    "Савчук",
    "Поліщук",
    "Мельник",
    "Бондар",
    "Кравчук",
    "Шевчук",
    "Бойко",
    "Гнатюк",
    "Левчук",
    "Ющук",
    "Дячук",
    "Романюк",
    "Хомич",
];

fn client_name(i: usize) -> String {
    // Unique-ish surnames: a base surname plus a syllable derived from the index.
    const SYL: [&str; 20] = [
        "ан", "ен", "ін", "он", "ун", "ар", "ер", "ір", "ор", "ур", "ас", "ес", "іс", "ос", "ус", "ал", "ел", "іл",
        "ол", "ул",
    ];
    format!(
        "{} {}{}{}",
        FIRST[i % FIRST.len()],
        SYL[(i / 7) % 20],
        SYL[(i / 140) % 20],
        LAST[(i / 13) % LAST.len()].to_lowercase()
    )
}

fn client_phone(i: usize) -> String {
    format!("+38067{:07}", (i * 7_919 + 1_234_567) % 10_000_000)
}

/// Bulk-loads the benchmark data in one transaction, a thousand rows per statement.
async fn seed(store: &Store, o: &Options) -> anyhow::Result<()> {
    use sqlx::QueryBuilder;
    let now = chrono::Utc::now();
    let mut tx = store.begin().await?;
    let ids: Vec<usize> = (0..o.clients).collect();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64, String, String, String)> = chunk
            .iter()
            .map(|&i| {
                let name = client_name(i);
                let key = crate::domain::text::search_key(&name);
                (i as i64 + 1, name, key, client_phone(i))
            })
            .collect();
        let mut q = QueryBuilder::new("INSERT INTO clients (id, full_name, name_key, phone, created_at, updated_at) ");
        q.push_values(&rows, |mut b, (id, name, key, phone)| {
            b.push_bind(*id).push_bind(name).push_bind(key).push_bind(phone).push_bind(now).push_bind(now);
        });
        q.build().execute(&mut *tx).await?;
        let mut q = QueryBuilder::new("INSERT INTO client_search (rowid, name_key, phone_digits) ");
        q.push_values(&rows, |mut b, (id, _, key, phone)| {
            b.push_bind(crate::store::search::index_row(*id)).push_bind(key).push_bind(&phone[1..]);
        });
        q.build().execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) \
         SELECT id, 'console', 'internal', 'note', 'Прийшла з Instagram', ? FROM clients WHERE id % 3 = 0",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (tag, every) in [("vip", 100), ("instagram", 10), ("діабет", 37)] {
        sqlx::query("INSERT INTO tags (name) VALUES (?)").bind(tag).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO client_tags (client_id, tag_id) SELECT id, (SELECT id FROM tags WHERE name = ?) FROM clients WHERE id % ? = 0")
            .bind(tag)
            .bind(every)
            .execute(&mut *tx)
            .await?;
    }
    let statuses = ["new", "prod", "ready", "issued", "issued", "issued", "cancel"];
    let mut rng = Lcg(7);
    let orders: Vec<(i64, &str)> =
        (0..o.orders).map(|j| (rng.next(o.clients) as i64 + 1, statuses[j % statuses.len()])).collect();
    for chunk in orders.chunks(1000) {
        let mut q = QueryBuilder::new(
            "INSERT INTO orders (client_id, product, price_kop, prepaid_kop, status, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, (client, status)| {
            b.push_bind(*client)
                .push_bind("Устілки каркасні")
                .push_bind(180_000i64)
                .push_bind(50_000i64)
                .push_bind(*status)
                .push_bind(now)
                .push_bind(now);
        });
        q.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    // The database as the nightly housekeeping leaves it (search index merged, statistics).
    store.housekeeping().await?;
    night_done(store).await
}

/// Last night's backup and housekeeping recorded as done, as a server that was up leaves them:
/// the start `bench crm` measures is then a normal day's. On a database without them the first
/// start catches them up, and the readiness probe waits behind the backup (docs/operations.md).
async fn night_done(store: &Store) -> anyhow::Result<()> {
    use crate::scheduler::{backup_schedule, job_for, missed_fires, schedules};
    let mut list = schedules();
    list.push(backup_schedule());
    // The bench's server runs in the default business zone.
    let tz = crate::config::Settings::default().business_tz;
    let fires = missed_fires(&list, chrono::Utc::now(), tz);
    let jobs: Vec<_> = fires.into_iter().map(|(task, at)| job_for(task, at)).collect();
    store.enqueue_many(&jobs).await?;
    sqlx::query("UPDATE jobs SET state = 'done' WHERE idempotency_key LIKE 'cron:%'").execute(store.pool()).await?;
    Ok(())
}

/// A fragment of a random client's surname, 3 to 6 letters.
fn name_fragment(r: &mut Lcg, clients: usize) -> String {
    let name = client_name(r.next(clients));
    let surname: Vec<char> = name.split(' ').nth(1).unwrap_or("кова").chars().collect();
    let len = 3 + r.next(4).min(surname.len().saturating_sub(3));
    let start = r.next(surname.len().saturating_sub(len).max(1));
    surname[start..start + len.min(surname.len() - start)].iter().collect()
}

/// 4 to 7 digits from inside a random client's phone.
fn phone_fragment(r: &mut Lcg, clients: usize) -> String {
    let phone = client_phone(r.next(clients));
    let len = 4 + r.next(4);
    let start = 4 + r.next(phone.len() - 4 - len);
    phone[start..start + len].to_string()
}

/// Makes one random search query of a kind.
type QueryMaker<'a> = Box<dyn Fn(&mut Lcg) -> String + 'a>;

async fn search_bench(store: &Store, o: &Options) -> anyhow::Result<Vec<(String, Duration, Duration, usize)>> {
    let mut rng = Lcg(99);
    let mut rows = vec![];
    let kinds: [(&str, QueryMaker<'_>); 3] = [
        ("name fragment", Box::new(|r: &mut Lcg| name_fragment(r, o.clients))),
        ("phone fragment", Box::new(|r: &mut Lcg| phone_fragment(r, o.clients))),
        ("tag", Box::new(|r: &mut Lcg| ["vip", "instagram", "діабет"][r.next(3)].to_string())),
    ];
    for (label, make) in kinds.iter() {
        let mut times = Vec::with_capacity(2000);
        let mut found = 0;
        for _ in 0..2000 {
            let q = make(&mut rng);
            let t = Instant::now();
            let n = if *label == "tag" {
                store.clients_with_tag(&q, 21).await?.len()
            } else {
                store.search_clients(&q, 21).await?.len()
            };
            times.push(t.elapsed());
            found += n;
        }
        times.sort();
        rows.push((label.to_string(), percentile(&times, 0.5), percentile(&times, 0.99), found / 2000));
    }
    Ok(rows)
}

async fn core_bench(store: Store, o: &Options) -> anyhow::Result<(Duration, Duration)> {
    let core = super::bench_core(store)?;
    let actor = Actor { channel: Channel::Telegram, id: "1".into(), display_name: None, lang_hint: Some("uk".into()) };
    let mut rng = Lcg(5);
    let mut times = Vec::with_capacity(3000);
    for _ in 0..3000 {
        let id = rng.next(o.clients) + 1;
        let input = Input { actor: actor.clone(), kind: InputKind::Callback(format!("c:{id}")) };
        let t = Instant::now();
        let out = core.handle(input).await;
        times.push(t.elapsed());
        anyhow::ensure!(out.replies.first().is_some_and(|r| r.text.starts_with("👤")), "card did not open");
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let o = parse(args)?;
    let dir = std::env::temp_dir().join(format!("insoles-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(&dir, &o).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run_in(dir: &std::path::Path, o: &Options) -> anyhow::Result<()> {
    let db_url = format!("sqlite://{}", dir.join("bench.db").display());
    println!("Seeding {} clients and {} orders ...", o.clients, o.orders);
    let t = Instant::now();
    let store = Store::open(&db_url).await?;
    seed(&store, o).await?;
    println!("  seeded in {:.1} s", t.elapsed().as_secs_f64());

    println!("\nClient search (store, 2,000 queries each, at most 21 rows):");
    for (label, p50, p99, avg) in search_bench(&store, o).await? {
        println!("  {label:<15} p50 {:>10}  p99 {:>10}  (avg {avg} rows)", ms(p50), ms(p99));
    }
    let (p50, p99) = core_bench(store.clone(), o).await?;
    println!("\nCard open through the core (3,000 updates, no network): p50 {}  p99 {}", ms(p50), ms(p99));
    store.close().await;

    // The real binary, as a separate process, in webhook mode, against the echo floor.
    let queries = served::Queries {
        name: Box::new(|r: &mut Lcg| name_fragment(r, o.clients)),
        phone: Box::new(|r: &mut Lcg| phone_fragment(r, o.clients)),
    };
    served::run(dir, &db_url, o.clients, o.updates, Duration::from_secs(o.idle_secs), &queries).await
}
