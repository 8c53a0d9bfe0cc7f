//! `insoles-crm bench crm`: the performance figures of the foundation issue, measured on a seeded
//! database (default 100,000 clients and 300,000 orders) in a temporary directory.
//!
//! - client search (name fragment, phone fragment, tag) against the store: p50/p99;
//! - one card-open update through the core (the part of an update that is ours; the Bot API's
//!   network time excluded): p50/p99;
//! - the real binary as a child process (`serve`, webhook mode) against a fake Bot API on
//!   loopback: start-up to ready, idle RSS, sustained card-open updates per second with errors
//!   counted, peak RSS, and the handler histogram from `/metrics`;
//! - the floor: a bare teloxide echo bot (`bench echo-floor`) on the same webhook, fake and
//!   updates; CPU per update of both (from `/proc`), their ratio, and idle RSS after `--idle-secs`.
//!
//! Run it on a release build: `cargo run --release -- bench`.

use super::{ms, percentile, process, Lcg};
use crate::core::{Actor, Channel, Input, InputKind};
use crate::fake_telegram::{updates, FakeBotApi};
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
            b.push_bind(*id).push_bind(key).push_bind(&phone[1..]);
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
    sqlx::query("PRAGMA optimize").execute(store.pool()).await?;
    Ok(())
}

/// Makes one random search query of a kind.
type QueryMaker<'a> = Box<dyn Fn(&mut Lcg) -> String + 'a>;

async fn search_bench(store: &Store, o: &Options) -> anyhow::Result<Vec<(String, Duration, Duration, usize)>> {
    let mut rng = Lcg(99);
    let mut rows = vec![];
    let kinds: [(&str, QueryMaker<'_>); 3] = [
        (
            "name fragment",
            Box::new(|r: &mut Lcg| {
                let name = client_name(r.next(o.clients));
                let surname: Vec<char> = name.split(' ').nth(1).unwrap_or("кова").chars().collect();
                let len = 3 + r.next(4).min(surname.len().saturating_sub(3));
                let start = r.next(surname.len().saturating_sub(len).max(1));
                surname[start..start + len.min(surname.len() - start)].iter().collect()
            }),
        ),
        (
            "phone fragment",
            Box::new(|r: &mut Lcg| {
                let phone = client_phone(r.next(o.clients));
                let len = 4 + r.next(4);
                let start = 4 + r.next(phone.len() - 4 - len);
                phone[start..start + len].to_string()
            }),
        ),
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

    // The real binary, as a separate process, in webhook mode against a fake Bot API.
    let fake = FakeBotApi::start().await?;
    fake.set_recording(false);
    let secret = "bench_secret";
    let server = |args: &[&str]| -> anyhow::Result<(std::process::Command, u16)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut cmd = std::process::Command::new(std::env::current_exe()?);
        cmd.args(args)
            .env("DATABASE_URL", &db_url)
            .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
            .env("TELEGRAM_BOT_TOKEN", "1:bench")
            .env("TELEGRAM_API_URL", &fake.url)
            .env("OWNER_TELEGRAM_IDS", "1")
            .env("PUBLIC_URL", "https://bench.invalid")
            .env("TELEGRAM_WEBHOOK_SECRET", secret)
            .env("RUST_LOG", "warn")
            .env("CONFIG_DIR", dir);
        Ok((cmd, port))
    };
    let total = o.updates;
    let mut rng = Lcg(11);
    let bodies: Vec<String> = (0..total)
        .map(|i| updates::callback(i as i64 + 1, 1, "uk", 10, &format!("c:{}", rng.next(o.clients) + 1)).to_string())
        .collect();
    let idle = Duration::from_secs(o.idle_secs);

    let (cmd, port) = server(&["serve"])?;
    let crm = process::start(cmd, port).await?;
    tokio::time::sleep(idle).await;
    let idle_rss = crm.rss_kb();
    let load = crm.burst(&fake, &bodies, secret).await;
    let metrics = reqwest::get(format!("{}/metrics", crm.base)).await?.text().await?;
    let metric = |name: &str| -> f64 {
        metrics
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let count = metric("insoles_handler_seconds_count");
    let under_1ms = metric("insoles_handler_seconds_bucket{le=\"0.001\"}");
    let server_errors = metric("insoles_errors_total") + metric("insoles_send_failures_total");
    let ready_after = crm.ready_after;
    crm.stop();

    // The floor: a bare teloxide echo bot on the same webhook, fake and updates.
    let (cmd, port) = server(&["bench", "echo-floor"])?;
    let echo = process::start(cmd, port).await?;
    tokio::time::sleep(idle).await;
    let echo_idle_rss = echo.rss_kb();
    let floor = echo.burst(&fake, &bodies, secret).await;
    echo.stop();

    let mb = |kb: u64| kb as f64 / 1024.0;
    let per = |b: &process::Burst| b.cpu.as_secs_f64() * 1000.0 / b.handled.max(1) as f64;
    println!("\nThe real process (serve, webhook mode, fake Bot API on loopback):");
    println!("  start-up to ready      {}", ms(ready_after));
    println!("  RSS idle after {} s     {:.1} MB (echo floor {:.1} MB)", o.idle_secs, mb(idle_rss), mb(echo_idle_rss));
    println!(
        "  sustained card opens   {} updates in {:.2} s = {:.0} updates/s, {} HTTP errors, {} server errors",
        load.handled,
        load.elapsed.as_secs_f64(),
        load.handled as f64 / load.elapsed.as_secs_f64(),
        load.errors,
        server_errors
    );
    println!("  RSS peak under load    {:.1} MB", mb(load.peak_rss_kb));
    if count > 0.0 {
        println!("  handler ≤ 1 ms         {:.2}% of {count} updates (from /metrics)", 100.0 * under_1ms / count);
    }
    println!(
        "  CPU per owner update   {:.3} ms; echo floor {:.3} ms ({} updates in {:.2} s); ratio {:.1}×",
        per(&load),
        per(&floor),
        floor.handled,
        floor.elapsed.as_secs_f64(),
        per(&load) / per(&floor).max(1e-6)
    );
    Ok(())
}
