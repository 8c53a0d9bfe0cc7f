//! `insoles-crm bench payments`: a Monobank webhook verified and applied with the merchant key
//! cached (the signature over the raw body, the JSON, the transaction that books the payment with
//! its notice and receipt jobs), p50/p99; and `/finance` for a month over a cash book of
//! 1,000,000 entries (`--entries N`), through the core as the owner's message, p50/p99, beside
//! the same sum read from the entries themselves (what the per-day totals save).

use super::{ms, percentile, TempDir};
use crate::core::{Actor, Channel, Input, InputKind};
use crate::fake_monobank::FakeMonobank;
use crate::payments::monobank::{Status, Verdict};
use crate::store::Store;
use anyhow::Context;
use std::time::{Duration, Instant};

const WEBHOOKS: usize = 2000;

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let entries: i64 = match args {
        [flag, n] if flag == "--entries" => n.parse().context("--entries needs a number")?,
        [] => 1_000_000,
        _ => anyhow::bail!("usage: insoles-crm bench payments [--entries N]"),
    };
    webhooks().await?;
    finance(entries).await
}

async fn webhooks() -> anyhow::Result<()> {
    let dir = TempDir::new("payments")?;
    let store = Store::open(&format!("sqlite://{}", dir.0.join("pay.db").display())).await?;
    let fake = FakeMonobank::start().await?;
    let payments = crate::config::PaymentsConfig { monobank: Some(fake.config()), checkbox: None };
    let core = super::bench_core_with(store.clone(), payments)?;
    let mono = core.monobank().context("monobank configured")?;
    mono.set_key(fake.key().public());

    // One client, WEBHOOKS orders, each with a link made (as after `invoice/create`).
    let now = chrono::Utc::now();
    sqlx::query(
        "INSERT INTO clients (id, full_name, name_key, created_at, updated_at) VALUES (1, 'Бенч', 'бенч', ?, ?)",
    )
    .bind(now)
    .bind(now)
    .execute(store.pool())
    .await?;
    let mut tx = store.begin().await?;
    for i in 1..=WEBHOOKS as i64 {
        sqlx::query(
            "INSERT INTO orders (id, client_id, product, price_kop, prepaid_kop, status, created_at, updated_at) \
             VALUES (?, 1, 'Устілки', 180000, 0, 'new', ?, ?)",
        )
        .bind(i)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO invoices (id, order_id, amount_kop, purpose, provider_id, page_url, status, validity_s, \
             expires_at, created_at, updated_at) VALUES (?, ?, 180000, 'full', ?, 'https://pay.mbnk.biz/x', 'created', \
             86400, ?, ?, ?)",
        )
        .bind(i)
        .bind(i)
        .bind(format!("p2_bench{i}"))
        .bind(now + chrono::Duration::days(1))
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let key = fake.key();
    let modified = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let bodies: Vec<(Vec<u8>, String)> = (1..=WEBHOOKS)
        .map(|i| {
            let body = serde_json::to_vec(&serde_json::json!({
                "invoiceId": format!("p2_bench{i}"), "status": "success", "amount": 180000, "ccy": 980,
                "finalAmount": 180000, "createdDate": modified, "modifiedDate": modified,
                "reference": format!("order-{i}-{i}"), "cancelList": [],
                "paymentInfo": { "maskedPan": "444403******1902", "terminal": "MI001088", "paymentSystem": "visa", "paymentMethod": "pan", "fee": 2700 }
            }))
            .unwrap_or_default();
            let sign = key.sign(&body);
            (body, sign)
        })
        .collect();

    let mut first = Vec::with_capacity(WEBHOOKS);
    let mut repeat = Vec::with_capacity(WEBHOOKS);
    let mut verify_only = Vec::with_capacity(WEBHOOKS);
    for (round, times) in [&mut first, &mut repeat].into_iter().enumerate() {
        for (body, sign) in &bodies {
            let t = Instant::now();
            anyhow::ensure!(mono.verify(body, sign).await == Verdict::Valid, "a genuine signature failed");
            let status: Status = serde_json::from_slice(body)?;
            let applied = crate::core::payments::status::apply(&core, &status).await?;
            anyhow::ensure!(!matches!(applied, crate::store::invoices::Applied::Unknown), "a known link");
            times.push(t.elapsed());
            if round == 0 {
                let t = Instant::now();
                let _ = mono.verify(body, sign).await;
                verify_only.push(t.elapsed());
            }
        }
    }
    let booked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cash_entries").fetch_one(store.pool()).await?;
    anyhow::ensure!(booked == WEBHOOKS as i64, "every payment booked once: {booked}");
    anyhow::ensure!(fake.pubkey_fetches() == 0, "the key stayed cached");
    for t in [&mut first, &mut repeat, &mut verify_only] {
        t.sort();
    }
    println!("\nMonobank webhook (key cached, SQLite file, WAL), {WEBHOOKS} links:");
    let line = |what: &str, t: &[Duration]| {
        println!("  {what:<34} p50 {}  p99 {}", ms(percentile(t, 0.5)), ms(percentile(t, 0.99)));
    };
    line("verify + apply (payment booked)", &first);
    line("verify + apply (a repeat: nothing)", &repeat);
    line("signature check alone", &verify_only);
    let p99 = percentile(&first, 0.99);
    println!("  target p99 < 2 ms: {}", if p99 < Duration::from_millis(2) { "PASS" } else { "FAIL" });
    Ok(())
}

async fn finance(entries: i64) -> anyhow::Result<()> {
    let dir = TempDir::new("finance")?;
    let store = Store::open(&format!("sqlite://{}", dir.0.join("finance.db").display())).await?;
    // `entries` entries over the last 365 days (a third income by three methods, expenses in five
    // categories), written with the same triggers as the app's, in one statement.
    let t = Instant::now();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1) \
         INSERT INTO cash_entries (kind, method, amount_kop, fee_kop, category, day, at, receipt) \
         SELECT CASE i % 4 WHEN 3 THEN 'expense' WHEN 2 THEN 'refund' ELSE 'income' END, \
                CASE i % 3 WHEN 0 THEN 'cash' WHEN 1 THEN 'terminal' ELSE 'monobank' END, \
                100 + (i * 7919) % 500000, CASE i % 3 WHEN 2 THEN 27 ELSE 0 END, \
                CASE i % 4 WHEN 3 THEN 'cat' || (i % 5) ELSE '' END, \
                date('now', '-' || (i % 365) || ' days'), datetime('now'), 'none' FROM n",
    )
    .bind(entries)
    .execute(store.pool())
    .await?;
    let filled = t.elapsed();
    let core = super::bench_core(store.clone())?;
    let actor =
        Actor { channel: Channel::Console, id: "owner".into(), display_name: None, lang_hint: Some("uk".into()) };
    let mut times = vec![];
    let mut text = String::new();
    // Last month: a whole month (this one may have begun today).
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Kyiv).date_naive();
    let month = crate::domain::period::Preset::LastMonth.period(today);
    for _ in 0..50 {
        let t = Instant::now();
        let out = core
            .handle(Input {
                actor: actor.clone(), kind: InputKind::Text("/finance минулий місяць".into())
            })
            .await;
        times.push(t.elapsed());
        text = out.replies.first().map(|r| r.text.clone()).unwrap_or_default();
    }
    anyhow::ensure!(text.contains("Надходження") && !text.contains("Надходження: 0,00 грн"), "a real summary: {text}");
    times.sort();
    // The same month summed straight from the entries (what `cash_days` saves every time).
    let mut direct = vec![];
    for _ in 0..5 {
        let t = Instant::now();
        let _: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT kind, method, SUM(amount_kop) FROM cash_entries WHERE day >= ? AND day <= ? \
             GROUP BY kind, method, category",
        )
        .bind(month.from)
        .bind(month.to)
        .fetch_all(store.pool())
        .await?;
        direct.push(t.elapsed());
    }
    direct.sort();
    let in_month: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cash_entries WHERE day >= ? AND day <= ?")
        .bind(month.from)
        .bind(month.to)
        .fetch_one(store.pool())
        .await?;
    println!(
        "\n/finance for last month ({in_month} entries) over a cash book of {entries} ({:.1} s to write them):",
        filled.as_secs_f64()
    );
    println!(
        "  through the core (one owner message)  p50 {}  p99 {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    println!("  the month summed from the entries      p50 {}", ms(percentile(&direct, 0.5)));
    let p99 = percentile(&times, 0.99);
    println!("  target < 50 ms: {}", if p99 < Duration::from_millis(50) { "PASS" } else { "FAIL" });
    Ok(())
}
