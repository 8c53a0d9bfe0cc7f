//! kill -9 in the middle of sending: no job is lost, a reminder becomes exactly one outbox
//! message, the nightly cron job is enqueued once per fire time, and a message is sent twice only
//! when the app itself recorded that it was interrupted mid-send (the "in doubt" window no design
//! can close against a provider without idempotency keys), every repeat marked ♻️.
//!
//! The fake Bot API records a sendMessage as delivered at once and answers it only after
//! [`LATENCY`]; each kill comes right after the fake saw a new message, so it lands between a
//! delivery and its answer: the test asserts that kills interrupted something (repeats > 0) rather
//! than hoping that random timing did.

use chrono::{DateTime, Duration, Utc};
use insoles_crm::fake_telegram::{Call, FakeBotApi};
use insoles_crm::store::Store;
use insoles_crm::work::JobSpec;
use insoles_crm::worker::IN_DOUBT_MARK;
use std::collections::HashMap;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_insoles-crm");
const OWNER: i64 = 4242;
/// Plain outbox messages.
const JOBS: usize = 240;
/// Tasks whose reminder jobs turn into one outbox message each.
const TASKS: usize = 40;
const TOTAL: usize = JOBS + TASKS;
const KILLS: usize = 6;
const LATENCY: std::time::Duration = std::time::Duration::from_millis(200);

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

/// What a sent text is: `Some((false, i))` for plain job `i`, `Some((true, i))` for task `i`'s
/// reminder (the numbers sit between `#`/`@` so that 1 is not found inside 10).
fn subject(text: &str) -> Option<(bool, usize)> {
    let between = |mark: char| text.split(mark).nth(1).and_then(|n| n.parse().ok());
    between('#').map(|i| (false, i)).or_else(|| between('@').map(|i| (true, i)))
}

fn owner_sends(calls: &[Call]) -> impl Iterator<Item = &Call> {
    calls.iter().filter(|c| c.method.eq_ignore_ascii_case("sendMessage") && c.body["chat_id"] == OWNER)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_send_loses_nothing_and_repeats_only_what_was_in_doubt() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("crm.db").display());
    let store = Store::open(&db_url).await.unwrap();
    let t0 = Utc::now();
    let jobs: Vec<_> = (0..JOBS)
        .map(|i| {
            let spec = JobSpec::SendTelegram { chat_id: OWNER, text: format!("job #{i}#"), buttons: vec![] };
            spec.job(t0 + Duration::milliseconds(5 * i as i64), format!("crash:{i}"))
        })
        .collect();
    assert_eq!(store.enqueue_many(&jobs).await.unwrap(), JOBS);
    let mut task_ids = vec![];
    for i in 0..TASKS {
        let due = t0 + Duration::milliseconds(300 + 20 * i as i64);
        task_ids.push(
            store
                .create_task(
                    None,
                    &format!("crash task @{i}@"),
                    Some(due),
                    insoles_crm::work::spec::task_jobs(Some(due)),
                )
                .await
                .unwrap(),
        );
    }
    store.close().await;

    let fake = FakeBotApi::start().await.unwrap();
    fake.set_send_latency(LATENCY);
    let mut seed = std::process::id() as u64 ^ Utc::now().timestamp_subsec_nanos() as u64;
    let mut delivered_before_last_kill = 0;
    for run in 0..KILLS {
        let mut child = start(&db_url, &fake, dir.path());
        let before = owner_sends(&fake.calls()).count();
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        // Between 1/16 and 1/8 of all messages per run: six runs never finish the work.
        let step = TOTAL / 16 + (seed >> 33) as usize % (TOTAL / 16);
        fake.wait_for(std::time::Duration::from_secs(20), |c| owner_sends(c).count() >= before + step)
            .await
            .unwrap_or_else(|_| panic!("run {run}: no progress ({step} new messages) before the kill"));
        assert!(child.try_wait().unwrap().is_none(), "run {run}: the app had exited before the kill");
        if run == KILLS - 1 {
            let calls = fake.calls();
            let distinct: std::collections::HashSet<_> =
                owner_sends(&calls).filter_map(|c| subject(c.text())).collect();
            delivered_before_last_kill = distinct.len();
        }
        child.kill().unwrap(); // SIGKILL, while the last message seen is still waiting for its answer
        child.wait().unwrap();
    }
    assert!(
        0 < delivered_before_last_kill && delivered_before_last_kill < TOTAL,
        "the kills must interrupt the work: {delivered_before_last_kill} of {TOTAL} delivered before the last"
    );

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
    let t_end = Utc::now();

    // (plain sends, ♻️ sends) per subject.
    let mut sent: HashMap<(bool, usize), (i64, i64)> = HashMap::new();
    for call in owner_sends(&fake.calls()) {
        let text = call.text();
        let subject = subject(text).unwrap_or_else(|| panic!("unexpected message {text:?}"));
        let entry = sent.entry(subject).or_default();
        if text.starts_with(IN_DOUBT_MARK) {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT kind, idempotency_key, reclaims FROM jobs").fetch_all(store.pool()).await.unwrap();
    let reclaims: HashMap<&str, i64> = rows.iter().map(|(_, k, r)| (k.as_str(), *r)).collect();
    // Exactly one outbox job per task reminder, however often the reminder job itself ran.
    let outbox_of = |task: i64| -> Vec<&str> {
        let prefix = format!("task:{task}:remind:");
        rows.iter()
            .filter(|(kind, key, _)| kind == "send_telegram" && key.starts_with(&prefix))
            .map(|(_, key, _)| key.as_str())
            .collect()
    };
    let mut keys: Vec<(String, (bool, usize))> = (0..JOBS).map(|i| (format!("crash:{i}"), (false, i))).collect();
    for (i, task) in task_ids.iter().enumerate() {
        let outbox = outbox_of(*task);
        assert_eq!(outbox.len(), 1, "task {i}: one reminder, one outbox message: {outbox:?}");
        keys.push((outbox[0].to_string(), (true, i)));
    }
    let reminders_in_doubt = rows.iter().filter(|(kind, _, r)| kind == "task_reminder" && *r > 0).count();
    let mut repeats = 0;
    for (key, subject) in &keys {
        let (plain, marked) = sent.get(subject).copied().unwrap_or_default();
        let in_doubt = reclaims[key.as_str()];
        assert!(plain + marked >= 1, "{subject:?} was lost");
        assert!(plain <= 1, "{subject:?} sent {plain} times without the ♻️ mark");
        assert!(marked == 0 || in_doubt > 0, "{subject:?} marked ♻️ but never reclaimed");
        assert!(plain + marked <= 1 + in_doubt, "{subject:?} sent {} times, reclaimed {in_doubt}", plain + marked);
        repeats += plain + marked - 1;
    }
    let total_reclaims: i64 = reclaims.values().sum();
    eprintln!(
        "{KILLS} kills, {TOTAL} messages: every one sent, {repeats} repeats, {total_reclaims} reclaims (in doubt), \
         {reminders_in_doubt} of {TASKS} reminder jobs interrupted"
    );
    assert!(repeats > 0, "no kill landed mid-send: the test did not test the in-doubt window");
    assert!(reminders_in_doubt > 0, "no kill interrupted a reminder job: reminders were not tested across a crash");
    assert!(total_reclaims <= KILLS as i64 * 128, "at most the claimed batches were in flight at each kill");

    // The nightly schedule: one housekeeping job per fire time (the catch-up after each restart
    // is the same key), all done.
    let (_, schedule) = &insoles_crm::scheduler::schedules()[0];
    let fires: Vec<DateTime<Utc>> = schedule
        .after(&(t0 - Duration::days(1)).with_timezone(&chrono_tz::Europe::Kyiv))
        .map(|t| t.with_timezone(&Utc))
        .take_while(|t| *t <= t_end)
        .collect();
    let first = fires.iter().rposition(|t| *t <= t0).unwrap_or(0);
    let expected: Vec<String> = fires[first..].iter().map(|t| format!("cron:housekeeping:{}", t.timestamp())).collect();
    let mut housekeeping: Vec<String> =
        rows.iter().filter(|(kind, _, _)| kind == "housekeeping").map(|(_, k, _)| k.clone()).collect();
    housekeeping.sort();
    assert_eq!(housekeeping, expected, "one housekeeping job per fire time across {} starts", KILLS + 1);
}
