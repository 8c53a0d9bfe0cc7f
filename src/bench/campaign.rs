//! `insoles-crm bench campaign [--clients N]`: enqueueing a campaign to N clients with consent
//! (default 10,000; target under 1 s): the segment query, one job per recipient spaced to the
//! SMTP rate, written in one transaction with multi-row inserts. Also checks the spacing.

use super::{ms, TempDir};
use crate::core::marketing::campaign;
use crate::store::Store;
use anyhow::Context;
use std::time::Instant;

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let total: usize = match args {
        [flag, n] if flag == "--clients" => n.parse().context("--clients needs a number")?,
        [] => 10_000,
        _ => anyhow::bail!("usage: insoles-crm bench campaign [--clients N]"),
    };
    let dir = TempDir::new("campaign")?;
    let store = Store::open(&format!("sqlite://{}", dir.0.join("campaign.db").display())).await?;
    let now = chrono::Utc::now();
    let mut tx = store.begin().await?;
    for i in 0..total {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO clients (full_name, name_key, phone, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) \
             RETURNING id",
        )
        .bind(format!("Клієнтка Номер{i}"))
        .bind(format!("клієнтка номер{i}"))
        .bind(format!("+38067{i:07}"))
        .bind(format!("client{i}@example.com"))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO marketing_consent (client_id, given_at, source) VALUES (?, ?, 'import')")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let core = super::bench_core(store.clone())?;
    let rate = core.config().marketing.rate_per_min;
    let id = store.create_campaign("all", "Новини студії", "Вітаю, {name}!").await?;
    let t = Instant::now();
    let (n, last) = campaign::enqueue(&core, id).await?.context("the campaign was sent before")?;
    let took = t.elapsed();
    let due: Vec<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT due_at FROM jobs WHERE kind = 'campaign_email' ORDER BY due_at")
            .fetch_all(store.pool())
            .await?;
    let gap = chrono::Duration::milliseconds(60_000 / i64::from(rate));
    let spaced = due.windows(2).all(|w| w[1] - w[0] == gap);
    println!("\nCampaign (SQLite, WAL):");
    println!(
        "  enqueue to {n} clients      {}  (target < 1 s: {})",
        ms(took),
        if took.as_secs_f64() < 1.0 { "PASS" } else { "FAIL" }
    );
    println!(
        "  spacing at {rate}/min          {} ms each, {} jobs, evenly spaced: {spaced}; the last in {:.0} min",
        gap.num_milliseconds(),
        due.len(),
        (last - now).num_seconds() as f64 / 60.0
    );
    store.close().await;
    Ok(())
}
