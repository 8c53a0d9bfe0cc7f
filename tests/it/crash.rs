//! kill -9 at random moments: no job is lost, and a job is sent twice only when the app itself
//! recorded that it was interrupted mid-send (the "in doubt" window no design can close against
//! a provider without idempotency keys).

use chrono::{Duration, Utc};
use insoles_crm::fake_telegram::FakeBotApi;
use insoles_crm::jobs::spec::JobSpec;
use insoles_crm::store::Store;
use std::collections::HashMap;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_insoles-crm");
const OWNER: i64 = 4242;
const JOBS: usize = 400;

fn start(db_url: &str, fake: &FakeBotApi, dir: &std::path::Path) -> std::process::Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", db_url)
        .env("CONFIG_DIR", dir)
        .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("TELEGRAM_BOT_TOKEN", "1:crash-test")
        .env("TELEGRAM_API_URL", &fake.url)
        .env("OWNER_TELEGRAM_IDS", OWNER.to_string())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_random_moments_loses_nothing_and_repeats_only_what_was_in_doubt() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("crm.db").display());
    let store = Store::open(&db_url).await.unwrap();
    let start_at = Utc::now() + Duration::milliseconds(300);
    let jobs: Vec<_> = (0..JOBS)
        .map(|i| {
            let spec = JobSpec::SendTelegram { chat_id: OWNER, text: format!("job {i}"), buttons: vec![] };
            // Spread over about three seconds, in bursts of eight.
            spec.job(start_at + Duration::milliseconds((i / 8) as i64 * 60), format!("crash:{i}"))
        })
        .collect();
    assert_eq!(store.enqueue_many(&jobs).await.unwrap(), JOBS);
    store.close().await;

    let fake = FakeBotApi::start().await.unwrap();
    let mut seed = std::process::id() as u64 ^ Utc::now().timestamp_subsec_nanos() as u64;
    let mut kills = 0;
    for _ in 0..6 {
        let mut child = start(&db_url, &fake, dir.path());
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let after = 100 + (seed >> 33) % 500;
        tokio::time::sleep(std::time::Duration::from_millis(after)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
    }
    let mut child = start(&db_url, &fake, dir.path());
    let store = Store::open(&db_url).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state <> 'done'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        if pending == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{pending} jobs never completed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(child.wait().unwrap().success(), "the last run stops cleanly");

    let mut sent: HashMap<String, usize> = HashMap::new();
    for call in fake.calls_to("sendMessage") {
        let text = call.text();
        *sent.entry(text.strip_prefix(insoles_crm::jobs::IN_DOUBT_MARK).unwrap_or(text).to_string()).or_default() += 1;
    }
    let reclaims: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT idempotency_key, reclaims FROM jobs")
            .fetch_all(store.pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let mut duplicates = 0;
    for i in 0..JOBS {
        let n = sent.get(&format!("job {i}")).copied().unwrap_or(0);
        let in_doubt = reclaims[&format!("crash:{i}")];
        assert!(n >= 1, "job {i} was lost");
        assert!(n as i64 <= 1 + in_doubt, "job {i} sent {n} times but reclaimed only {in_doubt} times");
        duplicates += n - 1;
    }
    let total_reclaims: i64 = reclaims.values().sum();
    eprintln!(
        "{kills} kills, {JOBS} jobs: every job sent, {duplicates} duplicates, {total_reclaims} reclaims (in doubt)"
    );
    assert!(total_reclaims <= kills * 16, "at most one batch in flight per kill");
}
