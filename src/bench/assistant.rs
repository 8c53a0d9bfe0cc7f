//! `bench assistant`: the offline engine per message (p50/p99 over our synthetic messages and the
//! evaluation kit's, many rounds), the memory the engine takes (RSS before and after building it,
//! and the model's own size), and the whole Instagram webhook path in process: signature check,
//! parsing, storing the job (verify, store, enqueue) on a real SQLite file.

use super::{ms, percentile, rss_kb, TempDir};
use crate::assistant::{kb::Kb, offline::Offline};
use hmac::{Hmac, Mac};
use std::time::{Duration, Instant};

const ROUNDS: usize = 20;
const WEBHOOKS: usize = 3000;

pub async fn run(_args: &[String]) -> anyhow::Result<()> {
    let pid = std::process::id();
    let kb_text = std::fs::read_to_string("config/knowledge.md").unwrap_or_default();
    let messages: Vec<String> = crate::assistant::offline::TRAINING
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let before = rss_kb(pid, "VmRSS");
    let started = Instant::now();
    let engine = Offline::new(Kb::parse(&kb_text));
    engine.analyse("ціна?"); // trains the shipped model
    let built = started.elapsed();
    let after = rss_kb(pid, "VmRSS");
    let mut times = Vec::with_capacity(messages.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for m in &messages {
            let t = Instant::now();
            std::hint::black_box(engine.analyse(m));
            times.push(t.elapsed());
        }
    }
    times.sort();
    println!("assistant: offline engine ({} messages x {ROUNDS} rounds)", messages.len());
    println!("  build (train the model)  {}", ms(built));
    println!(
        "  per message              p50 {}  p99 {}  max {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "  memory                   model {:.1} MB, RSS +{:.1} MB (before {:.1} MB, after {:.1} MB)",
        engine.model().heap_bytes() as f64 / 1e6,
        after.saturating_sub(before) as f64 / 1024.0,
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    webhook_path().await
}

async fn webhook_path() -> anyhow::Result<()> {
    let dir = TempDir::new("instagram")?;
    let store = crate::store::Store::open(&format!("sqlite://{}", dir.0.join("ig.db").display())).await?;
    let core = super::bench_core(store)?;
    let secret = "bench-app-secret";
    let state = crate::channels::instagram_webhook::InstagramState {
        core: core.clone(),
        verify_token: None,
        app_secret: Some(crate::config::Secret::new(secret)),
    };
    let mut times = Vec::with_capacity(WEBHOOKS);
    for i in 0..WEBHOOKS {
        let now = chrono::Utc::now().timestamp_millis();
        let body = serde_json::to_vec(&serde_json::json!({
            "object": "instagram",
            "entry": [{"id": "17841400000000001", "time": now, "messaging": [{
                "sender": {"id": format!("{}", 1_000_000 + i % 500)}, "recipient": {"id": "17841400000000001"},
                "timestamp": now, "message": {"mid": format!("bench-mid-{i}"), "text": "Скільки коштує діагностика?"}
            }]}]
        }))?;
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())?;
        mac.update(&body);
        let sig: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-hub-signature-256", format!("sha256={sig}").parse()?);
        let t = Instant::now();
        let status = crate::channels::instagram_webhook::receive(
            axum::extract::State(state.clone()),
            headers,
            axum::body::Bytes::from(body),
        )
        .await;
        times.push(t.elapsed());
        anyhow::ensure!(status == axum::http::StatusCode::OK, "webhook answered {status}");
    }
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'instagram_event'")
        .fetch_one(core.store().pool())
        .await?;
    times.sort();
    println!("assistant: Instagram webhook path, verify + parse + store job ({WEBHOOKS} deliveries, SQLite file)");
    println!(
        "  per delivery             p50 {}  p99 {}  max {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO))
    );
    println!("  jobs stored              {stored} of {WEBHOOKS}");
    Ok(())
}
