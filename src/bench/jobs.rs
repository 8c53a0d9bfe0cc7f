//! `insoles-crm bench jobs`: the cost of scheduling one job, and how many outbox messages per
//! second the worker delivers to a fake Bot API on loopback.

use super::{ms, percentile, TempDir};
use crate::fake_telegram::FakeBotApi;
use crate::store::Store;
use crate::work::JobSpec;
use crate::worker::Worker;
use anyhow::Context;
use std::time::{Duration, Instant};

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let total: usize = match args {
        [flag, n] if flag == "--jobs" => n.parse().context("--jobs needs a number")?,
        [] => 10_000,
        _ => anyhow::bail!("usage: insoles-crm bench jobs [--jobs N]"),
    };
    let dir = TempDir::new("jobs")?;
    let store = Store::open(&format!("sqlite://{}", dir.0.join("jobs.db").display())).await?;

    // Scheduling: one job per transaction, as a handler does.
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    let mut times = Vec::with_capacity(2000);
    for i in 0..2000 {
        let job = JobSpec::SendTelegram { chat_id: 1, text: format!("later {i}"), buttons: vec![] }
            .job(later, format!("sched:{i}"));
        let t = Instant::now();
        store.enqueue(&job).await?;
        times.push(t.elapsed());
    }
    times.sort();
    println!("\nJobs (SQLite, WAL):");
    println!("  schedule one job        p50 {}  p99 {}", ms(percentile(&times, 0.5)), ms(percentile(&times, 0.99)));

    // Delivery: `total` messages due now, the worker against a fake Bot API.
    let fake = FakeBotApi::start().await?;
    fake.set_recording(false);
    let now = chrono::Utc::now();
    let jobs: Vec<_> = (0..total)
        .map(|i| {
            JobSpec::SendTelegram {
                chat_id: 1 + (i % 50) as i64, text: format!("Нагадування {i}"), buttons: vec![]
            }
            .job(now, format!("due:{i}"))
        })
        .collect();
    store.enqueue_many(&jobs).await?;
    let core = super::bench_core(store.clone())?;
    let bot = teloxide::Bot::new("1:bench").set_api_url(reqwest::Url::parse(&fake.url)?);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let t = Instant::now();
    let worker = tokio::spawn(Worker::new(core, Some(bot)).run(stop_rx));
    while (fake.sent_messages() as usize) < total {
        anyhow::ensure!(t.elapsed() < Duration::from_secs(120), "worker too slow: {} of {total}", fake.sent_messages());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = t.elapsed();
    let _ = stop_tx.send(true);
    let _ = worker.await;
    let done: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'done'").fetch_one(store.pool()).await?;
    println!(
        "  deliver {total} due jobs   {:.2} s = {:.0} jobs/s ({done} marked done, {} sends)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        fake.sent_messages()
    );
    store.close().await;
    Ok(())
}
