//! `insoles-crm bench reports`: each of the six reports for last month over 1,000,000 orders and
//! 3,000,000 messages (`--orders N --messages M`) spread over three years, in a temporary SQLite
//! file: compute alone (the numbers and the chart's data) and with the chart drawn and encoded,
//! p50/p99 over repeated runs, against the targets (< 50 ms, < 150 ms with the chart). Orders older
//! than 60 days are issued (or cancelled), as in a real order book; newer ones in every status.

use super::{ms, percentile, TempDir};
use crate::core::reports::{self, ReportKind};
use crate::i18n::Lang;
use crate::store::Store;
use anyhow::Context;
use std::time::{Duration, Instant};

const RUNS: usize = 30;
/// Minutes in three years: timestamps are spread over them.
const SPREAD_MIN: i64 = 3 * 365 * 24 * 60;

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let (mut orders, mut messages) = (1_000_000i64, 3_000_000i64);
    let mut keep: Option<std::path::PathBuf> = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().context("a value after the flag")?;
        match flag.as_str() {
            "--orders" => orders = value.parse()?,
            "--messages" => messages = value.parse()?,
            "--db" => keep = Some(value.into()),
            _ => anyhow::bail!("usage: insoles-crm bench reports [--orders N] [--messages M] [--db FILE]"),
        }
    }
    // `--db FILE` keeps the seeded database (and reuses it when it is there): re-measuring, or
    // reading a query plan with sqlite3, then costs no new seeding.
    let dir = TempDir::new("reports")?;
    let path = keep.unwrap_or_else(|| dir.0.join("reports.db"));
    let seeded = path.exists();
    let store = Store::open(&format!("sqlite://{}", path.display())).await?;
    let t = Instant::now();
    if !seeded {
        seed(&store, orders, messages).await?;
    }
    sqlx::query("ANALYZE").execute(store.pool()).await?;
    println!(
        "\nReports for last month over {orders} orders and {messages} messages (3 years; {:.0} s to seed):",
        t.elapsed().as_secs_f64()
    );
    let core = super::bench_core(store.clone())?;
    core.store()
        .set_goal(&chrono::Utc::now().format("%Y-%m").to_string(), crate::store::goals::GoalMetric::Orders, 900)
        .await?;
    let today = reports::today(&core);
    let month = crate::domain::period::Preset::LastMonth.period(today);
    let mut all_pass = true;
    for kind in ReportKind::ALL {
        let (mut compute, mut full) = (vec![], vec![]);
        let mut text = String::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let (body, _chart) = reports::compute(&core, kind, month, Lang::Uk).await?;
            compute.push(t.elapsed());
            text = body;
            let t = Instant::now();
            let view = reports::build(&core, kind, month, Lang::Uk).await?;
            full.push(t.elapsed());
            anyhow::ensure!(!view.chart_png.is_empty(), "a chart");
        }
        compute.sort();
        full.sort();
        let pass = percentile(&compute, 0.99) < Duration::from_millis(50)
            && percentile(&full, 0.99) < Duration::from_millis(150);
        all_pass &= pass;
        println!(
            "  {:<11} compute p50 {} p99 {}   with chart p50 {} p99 {}   {}",
            kind.code(),
            ms(percentile(&compute, 0.5)),
            ms(percentile(&compute, 0.99)),
            ms(percentile(&full, 0.5)),
            ms(percentile(&full, 0.99)),
            if pass { "PASS" } else { "FAIL" }
        );
        anyhow::ensure!(text.lines().count() > 3, "{kind:?}: a real report: {text}");
    }
    println!("  targets: compute < 50 ms, with the chart < 150 ms (p99): {}", if all_pass { "PASS" } else { "FAIL" });
    Ok(())
}

/// `n` rows of `insert` (which reads `i`, 0-based) in one statement.
async fn rows(store: &Store, n: i64, insert: &str) -> anyhow::Result<()> {
    let sql = format!("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1) {insert}");
    sqlx::query(&sql)
        .bind(n)
        .execute(store.pool())
        .await
        .with_context(|| insert.chars().take(60).collect::<String>())?;
    Ok(())
}

/// An RFC 3339 UTC time (as the app stores it) `expr` minutes ago.
fn ago(expr: &str) -> String {
    format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || max(0, {expr}) || ' minutes')")
}

async fn seed(store: &Store, orders: i64, messages: i64) -> anyhow::Result<()> {
    let clients = (orders / 10).max(10);
    rows(store, clients, &format!(
        "INSERT INTO clients (id, full_name, name_key, phone, source, campaign, birth_date, created_at, updated_at) \
         SELECT i + 1, 'Клієнт ' || i, 'клієнт ' || i, '+38067' || printf('%07d', i), \
         CASE i % 5 WHEN 0 THEN 'web' WHEN 1 THEN 'telegram' WHEN 2 THEN 'instagram' WHEN 3 THEN 'calcom' ELSE NULL END, \
         CASE i % 7 WHEN 0 THEN 'spring' WHEN 1 THEN 'flyer' WHEN 2 THEN 'bio' WHEN 3 THEN 'school' ELSE NULL END, \
         CASE WHEN i % 2 = 0 THEN printf('19%02d-%02d-%02d', 50 + i % 50, 1 + i % 12, 1 + i % 28) END, {t}, {t} FROM n",
        t = ago(&format!("(i * 7919) % {SPREAD_MIN}"))
    )).await?;
    rows(store, orders, &format!(
        "INSERT INTO orders (client_id, product, price_kop, prepaid_kop, status, created_at, updated_at) \
         SELECT 1 + (i * 31) % {clients}, CASE i % 4 WHEN 0 THEN 'Устілки каркасні' WHEN 1 THEN 'Дитячі устілки' \
         WHEN 2 THEN 'Спортивні устілки' ELSE 'Корекція' END, 50000 + (i % 7) * 25000, 0, \
         CASE WHEN i % 20 = 0 THEN 'cancel' WHEN (i * 104729) % {SPREAD_MIN} > 86400 THEN 'issued' \
         WHEN i % 20 = 1 THEN 'new' WHEN i % 20 = 2 THEN 'prod' WHEN i % 20 = 3 THEN 'ready' ELSE 'issued' END, {t}, {t} FROM n",
        t = ago(&format!("(i * 104729) % {SPREAD_MIN}"))
    )).await?;
    rows(
        store,
        orders / 3,
        &format!(
            "INSERT INTO order_history (order_id, from_status, to_status, at, kind) \
         SELECT 1 + i * 3, 'prod', 'ready', {t}, 'step' FROM n",
            t = ago(&format!("((1 + i * 3) * 104729) % {SPREAD_MIN} - 5760"))
        ),
    )
    .await?;
    rows(store, messages, &format!(
        "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) \
         SELECT 1 + (i * 17) % {clients}, CASE i % 3 WHEN 0 THEN 'instagram' ELSE 'telegram' END, \
         CASE i % 2 WHEN 0 THEN 'in' ELSE 'out' END, CASE i % 10 WHEN 9 THEN 'note' ELSE 'message' END, 'Доброго дня', {t} FROM n",
        t = ago(&format!("(i * 7907) % {SPREAD_MIN}"))
    )).await?;
    rows(
        store,
        messages / 10,
        &format!(
            "INSERT INTO drafts (client_id, channel, question, suggestion, status, created_at) \
         SELECT 1 + (i * 13) % {clients}, CASE i % 3 WHEN 0 THEN 'instagram' ELSE 'telegram' END, 'питання', '', \
         CASE WHEN i % 50 = 0 THEN 'pending' ELSE 'sent' END, {t} FROM n",
            t = ago(&format!("(i * 7901) % {SPREAD_MIN}"))
        ),
    )
    .await?;
    rows(store, orders / 5, &format!(
        "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, status, channel, utm, created_at, updated_at) \
         SELECT 1 + (i * 11) % {clients}, 'diag', {t}, {t}, {t}, \
         CASE i % 10 WHEN 0 THEN 'no_show' WHEN 1 THEN 'cancelled' ELSE 'came' END, \
         CASE i % 4 WHEN 0 THEN 'web' WHEN 1 THEN 'telegram' WHEN 2 THEN 'calcom' ELSE 'owner' END, \
         CASE WHEN i % 7 = 0 THEN 'utm_source=ig' END, {t}, {t} FROM n",
        t = ago(&format!("(i * 7877) % {SPREAD_MIN}"))
    )).await?;
    rows(store, orders / 3,
        "INSERT INTO cash_entries (kind, method, amount_kop, fee_kop, category, day, at, receipt) \
         SELECT CASE i % 4 WHEN 3 THEN 'expense' ELSE 'income' END, CASE i % 3 WHEN 0 THEN 'cash' WHEN 1 THEN 'terminal' ELSE 'monobank' END, \
         10000 + (i * 7919) % 500000, 0, CASE i % 4 WHEN 3 THEN 'cat' || (i % 5) ELSE '' END, \
         date('now', '-' || ((i * 7) % 1095) || ' days'), datetime('now'), 'none' FROM n",
    )
    .await?;
    rows(store, orders / 10, &format!(
        "INSERT INTO jobs (kind, payload, due_at, state, idempotency_key, created_at, updated_at) \
         SELECT CASE i % 2 WHEN 0 THEN 'booking_reminder' ELSE 'send_telegram' END, '{{}}', {t}, 'done', 'k' || i, {t}, {t} FROM n",
        t = ago(&format!("(i * 7873) % {SPREAD_MIN}"))
    )).await?;
    rows(store, 50_000, &format!(
        "INSERT INTO tasks (body, due_at, done_at, created_at) SELECT 'завдання', {t}, CASE WHEN i % 10 = 0 THEN NULL ELSE {t} END, {t} FROM n",
        t = ago(&format!("(i * 7867) % {SPREAD_MIN}"))
    )).await?;
    // Reminders over the product's life (one sent for every tenth order, a week after it) and NPS
    // answers (every fifth order), for the Customers report.
    rows(
        store,
        orders / 10,
        &format!(
            "INSERT INTO aftercare (order_id, kind, mode, due_at, status, sent_at) \
         SELECT 1 + i * 10, 'check_in', 'message', {t}, 'sent', {t} FROM n",
            t = ago(&format!("(i * 10 * 104729) % {SPREAD_MIN} - 10080"))
        ),
    )
    .await?;
    rows(store, orders / 5, &format!(
        "INSERT INTO nps_answers (order_id, score, channel, created_at) SELECT 1 + i * 5, (i * 7) % 11, 'telegram', {t} FROM n",
        t = ago(&format!("(i * 5 * 104729) % {SPREAD_MIN} - 4320"))
    )).await?;
    // The assistant's decisions on a sixth of the messages (every third inbound one), for the AI report.
    rows(
        store,
        messages / 6,
        &format!(
            "INSERT INTO ai_decisions (client_id, channel, intent, sentiment, escalated, reason, created_at) \
         SELECT 1 + (i * 17) % {clients}, 'telegram', CASE i % 6 WHEN 0 THEN 'faq' WHEN 1 THEN 'booking' \
         WHEN 2 THEN 'consultation' WHEN 3 THEN 'complaint' WHEN 4 THEN 'order_status' ELSE 'other' END, \
         CASE i % 7 WHEN 0 THEN 'negative' WHEN 1 THEN 'positive' ELSE 'neutral' END, i % 4 = 0, \
         CASE WHEN i % 4 = 0 THEN 'reason ' || (i % 9) ELSE '' END, {t} FROM n",
            t = ago(&format!("(i * 7907) % {SPREAD_MIN}"))
        ),
    )
    .await?;
    rows(store, SPREAD_MIN / 5, "INSERT OR IGNORE INTO heartbeats (slot) SELECT CAST(strftime('%s', 'now') AS INTEGER) / 300 - i FROM n WHERE i % 97 != 0").await?;
    Ok(())
}
