//! `insoles-crm bench summary`: the owner's daily summary (issue 15: today's money and orders,
//! tomorrow's visits, overdue tasks, drafts waiting, and the recommendations it picks the first
//! of) computed over 1,000,000 orders and 3,000,000 interactions (`--orders N --interactions M`),
//! p50/p99 against the 100 ms. The history is seeded in one transaction by recursive
//! SQL (three years of orders, their issue steps and replacement offers, visits, tasks, drafts and
//! a cash book).

use super::{ms, percentile, TempDir};
use crate::store::Store;
use anyhow::Context;
use std::time::{Duration, Instant};

const RUNS: usize = 60;
const CLIENTS: i64 = 100_000;
const LIMIT: Duration = Duration::from_millis(100);

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let (mut orders, mut interactions) = (1_000_000i64, 3_000_000i64);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let n: i64 = it.next().context("a number after the flag")?.parse().context("a number")?;
        match flag.as_str() {
            "--orders" => orders = n,
            "--interactions" => interactions = n,
            _ => anyhow::bail!("usage: insoles-crm bench summary [--orders N] [--interactions M]"),
        }
    }
    let dir = TempDir::new("summary")?;
    let store = Store::open(&format!("sqlite://{}", dir.0.join("summary.db").display())).await?;
    let started = Instant::now();
    seed(&store, orders, interactions).await?;
    println!("seeded {orders} orders, {interactions} interactions in {:.1} s", started.elapsed().as_secs_f64());
    let core = super::bench_core(store.clone())?;
    let tz = core.config().tz;
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let now = chrono::Utc::now();
        let t = Instant::now();
        let s = crate::core::summary::compute(&core, now.with_timezone(&tz).date_naive(), now).await?;
        let tr = crate::i18n::Tr { i18n: core.i18n(), lang: crate::i18n::Lang::Uk };
        let (text, _) = crate::core::summary::render(&core, &tr, &s);
        times.push(t.elapsed());
        last = Some(text);
    }
    times.sort();
    let (p50, p99) = (percentile(&times, 0.50), percentile(&times, 0.99));
    let verdict = if p99 < LIMIT { "PASS" } else { "FAIL" };
    println!(
        "daily summary (figures + recommendations + text), {RUNS} runs: p50 {} p99 {} (< 100 ms: {verdict})",
        ms(p50),
        ms(p99)
    );
    let now = chrono::Utc::now();
    let t = Instant::now();
    let all = crate::core::summary::advice::recommendations(&core, now).await?;
    println!("recommendations alone: {} ({} apply)", ms(t.elapsed()), all.len());
    if let Some(text) = last {
        println!("--- the last summary ---\n{text}");
    }
    Ok(())
}

/// Three years of a busy studio, in one transaction.
async fn seed(store: &Store, orders: i64, interactions: i64) -> anyhow::Result<()> {
    let mut tx = store.begin().await?;
    let ts = |expr: &str| format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', {expr})");
    let steps = [
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {CLIENTS}) \
             INSERT INTO clients (id, full_name, name_key, phone, created_at, updated_at) \
             SELECT i, 'Клієнтка ' || i, 'клієнтка ' || i, '+38067' || printf('%07d', i), {now}, {now} FROM s",
            now = ts("'-3 years'")
        ),
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {orders}) \
             INSERT INTO orders (id, client_id, product, price_kop, prepaid_kop, status, created_at, updated_at) \
             SELECT i, (i * 7919) % {CLIENTS} + 1, 'Устілки каркасні', 180000, 0, \
             CASE WHEN i % 20 = 0 THEN 'cancel' WHEN i > {orders} - 300 THEN 'new' ELSE 'issued' END, \
             {at}, {at} FROM s",
            at = ts(&format!("'-' || (({orders} - i) * 1095 / {orders}) || ' days', '-' || (i % 36000) || ' seconds'"))
        ),
        "INSERT INTO order_history (order_id, from_status, to_status, at, kind) \
         SELECT id, 'ready', 'issued', strftime('%Y-%m-%dT%H:%M:%S+00:00', created_at, '+10 days'), 'step' \
         FROM orders WHERE status = 'issued'"
            .to_string(),
        // Each issued order's replacement offer, scheduled at issue for a year later; a later
        // order of the client has cancelled it (as `create_order` does).
        "INSERT INTO aftercare (order_id, kind, mode, due_at, status) \
         SELECT o.id, 'replacement', 'task', strftime('%Y-%m-%dT%H:%M:%S+00:00', o.created_at, '+375 days'), \
         CASE WHEN o.id = (SELECT MAX(l.id) FROM orders l WHERE l.client_id = o.client_id) THEN 'pending' ELSE 'cancelled' END \
         FROM orders o WHERE o.status = 'issued'"
            .to_string(),
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {interactions}) \
             INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) \
             SELECT (i * 104729) % {CLIENTS} + 1, 'telegram', CASE i % 2 WHEN 0 THEN 'in' ELSE 'out' END, 'message', \
             'Добрий день, коли можна забрати устілки?', {at} FROM s",
            at = ts(&format!("'-' || (({interactions} - i) * 1095 / {interactions}) || ' days'"))
        ),
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 60000) \
             INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, status, channel, created_at, updated_at) \
             SELECT (i * 31) % {CLIENTS} + 1, 'diagnostics', {at}, {at}, {at}, \
             CASE WHEN i > 59800 THEN 'booked' WHEN i % 9 = 0 THEN 'no_show' ELSE 'came' END, 'bot', {at}, {at} FROM s",
            at = ts("'-' || ((60000 - i) * 730 / 60000) || ' days', '+' || (i % 48) || ' hours'")
        ),
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000) \
             INSERT INTO tasks (client_id, body, due_at, done_at, created_at) \
             SELECT i % {CLIENTS} + 1, 'Передзвонити', {at}, CASE WHEN i % 10 = 0 THEN NULL ELSE {at} END, {at} FROM s",
            at = ts("'-' || (i % 700) || ' days'")
        ),
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000) \
             INSERT INTO drafts (client_id, channel, question, suggestion, status, created_at) \
             SELECT i % {CLIENTS} + 1, 'telegram', 'Скільки коштує?', '…', CASE WHEN i % 200 = 0 THEN 'pending' ELSE 'sent' END, \
             {at} FROM s",
            at = ts("'-' || (i % 700) || ' days'")
        ),
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300000) \
             INSERT INTO cash_entries (kind, method, amount_kop, order_id, day, at) \
             SELECT 'income', CASE i % 3 WHEN 0 THEN 'cash' WHEN 1 THEN 'terminal' ELSE 'monobank' END, 180000, \
             i * 3 % {orders} + 1, date('now', '-' || (i % 1095) || ' days'), {at} FROM s",
            at = ts("'-' || (i % 1095) || ' days'")
        ),
    ];
    for sql in &steps {
        sqlx::query(sql).execute(&mut *tx).await.with_context(|| sql.chars().take(120).collect::<String>())?;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(store.pool()).await?;
    Ok(())
}
