//! `bench crm`, second half: the real binary (`serve`, webhook mode, the assistant loaded from a
//! knowledge base as in production) as a child process against a fake Bot API on loopback, beside
//! the floor, a bare teloxide echo bot (`bench echo-floor`) on the same webhook, fake and updates.
//!
//! Two loads go to each: sustained card opens from 100 owner chats over 16 connections (CPU per
//! update, from `/proc`; sent in rounds that alternate between the two servers, so that other
//! work on the machine weighs on both alike), and a burst of 2,000 updates from the same 100 chats, all chats at once
//! (card opens, name fragments typed as plain text, `/client <phone part>`), each chat sending
//! its next update when the previous one is answered; its latency is from the post to the last
//! of its answers seen at the fake (a card open: its acknowledgement and its edit). The lean
//! targets are printed with PASS or FAIL, and beside them the CPU this process (the senders and
//! the fake: Telegram's side) spent per burst update, since it shares the two cores with the
//! server it measures.

use super::process::{self, BenchUpdate, Burst, Senders};
use super::{ms, percentile, Lcg};
use crate::fake_telegram::{ack_key, message_key, updates, FakeBotApi};
use std::time::Duration;

/// Owner chats sending updates (user ids 1..=CHATS).
const CHATS: i64 = 100;
const BURST: usize = 2_000;

/// The burst's kinds of update, in turn: the i-th update is of kind `i % KINDS.len()`.
const KINDS: [&str; 3] = ["card opens", "name fragments", "/client phone"];

fn kind_of(i: usize) -> usize {
    i % KINDS.len()
}

/// The targets of issue 11: CPU per owner update against the echo floor, idle RSS with the
/// assistant loaded, start-up to ready, and the burst's p99.
const MAX_CPU_RATIO: f64 = 3.0;
const MAX_IDLE_RSS_MB: f64 = 20.0;
const MAX_START: Duration = Duration::from_millis(50);
const MAX_BURST_P99: Duration = Duration::from_millis(50);

/// Makes one search query.
pub type QueryMaker<'a> = Box<dyn Fn(&mut Lcg) -> String + 'a>;

/// How the burst's searches are made: a name fragment, a part of a phone.
pub struct Queries<'a> {
    pub name: QueryMaker<'a>,
    pub phone: QueryMaker<'a>,
}

fn card_open(update_id: i64, chat: i64, client: usize) -> BenchUpdate {
    BenchUpdate {
        chat,
        body: updates::callback(update_id, chat, "uk", 10, &format!("c:{client}")).to_string(),
        answers: vec![ack_key(&format!("cb{update_id}")), message_key("editmessagetext", chat)],
    }
}

fn text(update_id: i64, chat: i64, text: &str) -> BenchUpdate {
    BenchUpdate {
        chat,
        body: updates::text(update_id, chat, "uk", text).to_string(),
        answers: vec![message_key("sendmessage", chat)],
    }
}

/// What one server showed.
struct Figures {
    ready_after: Duration,
    idle_rss_kb: u64,
    sustained: Burst,
    burst: Burst,
}

/// Rounds the sustained load is cut into, each sent to the CRM and then to the echo bot: other
/// work on the machine then weighs on both alike, and the rounds' spread shows how much it moved.
const ROUNDS: usize = 5;

/// Both servers, started one after the other and left idle for `idle`; then the sustained load
/// in [`ROUNDS`] alternating rounds, then the burst to each. Returns the CRM's figures, the
/// echo's, and the CPU ratio of each round.
async fn measure(
    servers: (&process::Server, &process::Server),
    fake: &FakeBotApi,
    loads: (&[BenchUpdate], &[BenchUpdate]),
    idle: Duration,
) -> (Figures, Figures, Vec<f64>) {
    tokio::time::sleep(idle).await;
    let rss = (servers.0.rss_kb(), servers.1.rss_kb());
    let (mut crm, mut echo, mut ratios) = (Burst::default(), Burst::default(), vec![]);
    for round in loads.0.chunks(loads.0.len().div_ceil(ROUNDS).max(1)) {
        let c = servers.0.burst(fake, round, SECRET, Senders::Connections(16)).await;
        let e = servers.1.burst(fake, round, SECRET, Senders::Connections(16)).await;
        ratios.push(cpu_per_update(&c) / cpu_per_update(&e).max(1e-6));
        crm.add(c);
        echo.add(e);
    }
    let burst = (
        servers.0.burst(fake, loads.1, SECRET, Senders::PerChat).await,
        servers.1.burst(fake, loads.1, SECRET, Senders::PerChat).await,
    );
    let figures = |s: &process::Server, idle_rss_kb, sustained, burst| Figures {
        ready_after: s.ready_after,
        idle_rss_kb,
        sustained,
        burst,
    };
    (figures(servers.0, rss.0, crm, burst.0), figures(servers.1, rss.1, echo, burst.1), ratios)
}

/// CPU milliseconds per answered update: the server's (`b.cpu`), or the load generator's.
fn per_update(cpu: Duration, b: &Burst) -> f64 {
    cpu.as_secs_f64() * 1000.0 / b.handled.max(1) as f64
}

fn cpu_per_update(b: &Burst) -> f64 {
    per_update(b.cpu, b)
}

const SECRET: &str = "bench_secret";

pub async fn run(
    dir: &std::path::Path,
    db_url: &str,
    clients: usize,
    sustained: usize,
    idle: Duration,
    queries: &Queries<'_>,
) -> anyhow::Result<()> {
    // The assistant is part of the idle footprint: give the server a knowledge base.
    std::fs::write(dir.join("knowledge.md"), include_str!("../../config/knowledge.md"))?;
    let fake = FakeBotApi::start().await?;
    fake.set_recording(false);
    let owners: Vec<String> = (1..=CHATS).map(|c| c.to_string()).collect();
    let server = |args: &[&str]| -> anyhow::Result<(std::process::Command, u16)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut cmd = std::process::Command::new(std::env::current_exe()?);
        cmd.args(args)
            .env("DATABASE_URL", db_url)
            .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
            .env("TELEGRAM_BOT_TOKEN", "1:bench")
            .env("TELEGRAM_API_URL", &fake.url)
            .env("OWNER_TELEGRAM_IDS", owners.join(","))
            .env("PUBLIC_URL", "https://bench.invalid")
            .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
            .env("RUST_LOG", "warn")
            .env("CONFIG_DIR", dir);
        Ok((cmd, port))
    };
    let mut rng = Lcg(11);
    let chat = |i: usize| 1 + (i as i64 % CHATS);
    let steady: Vec<BenchUpdate> =
        (0..sustained).map(|i| card_open(i as i64 + 1, chat(i), rng.next(clients) + 1)).collect();
    let first = sustained as i64 + 1;
    let burst: Vec<BenchUpdate> = (0..BURST)
        .map(|i| {
            let id = first + i as i64;
            match kind_of(i) {
                0 => card_open(id, chat(i), rng.next(clients) + 1),
                1 => text(id, chat(i), &(queries.name)(&mut rng)),
                _ => text(id, chat(i), &format!("/client {}", (queries.phone)(&mut rng))),
            }
        })
        .collect();

    let (cmd, port) = server(&["serve"])?;
    let crm_server = process::start(cmd, port).await?;
    let (cmd, port) = server(&["bench", "echo-floor"])?;
    let echo_server = process::start(cmd, port).await?;
    let (crm, echo, ratios) = measure((&crm_server, &echo_server), &fake, (&steady, &burst), idle).await;
    let metrics = reqwest::get(format!("{}/metrics", crm_server.base)).await?.text().await?;
    crm_server.stop();
    echo_server.stop();
    let metric = |name: &str| -> f64 {
        metrics
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let server_errors = metric("insoles_errors_total") + metric("insoles_send_failures_total");
    let (direct, fallbacks) = (metric("insoles_sqlite_direct "), metric("insoles_sqlite_direct_fallbacks"));

    let mb = |kb: u64| kb as f64 / 1024.0;
    let per = cpu_per_update;
    let load_per = |b: &Burst| per_update(b.load_cpu, b);
    let ratio = per(&crm.sustained) / per(&echo.sustained).max(1e-6);
    println!("\nThe real process (serve, webhook mode, fake Bot API on loopback) beside the echo floor:");
    println!("  start-up to ready      {} (echo {})", ms(crm.ready_after), ms(echo.ready_after));
    println!(
        "  RSS idle after {} s     {:.1} MB with the assistant loaded (echo {:.1} MB)",
        idle.as_secs(),
        mb(crm.idle_rss_kb),
        mb(echo.idle_rss_kb)
    );
    let s = &crm.sustained;
    println!(
        "  sustained card opens   {} updates from {CHATS} owner chats in {:.2} s = {:.0} updates/s, {} HTTP errors, {server_errors} server errors; RSS peak {:.1} MB",
        s.handled,
        s.elapsed.as_secs_f64(),
        s.handled as f64 / s.elapsed.as_secs_f64(),
        s.errors,
        mb(s.peak_rss_kb)
    );
    let (low, high) = ratios.iter().fold((f64::MAX, 0f64), |(l, h), r| (l.min(*r), h.max(*r)));
    println!(
        "  CPU per card open      {:.3} ms; echo floor {:.3} ms; ratio {ratio:.1}× ({} alternating rounds: {low:.1}–{high:.1}×)",
        per(&crm.sustained),
        per(&echo.sustained),
        ratios.len()
    );
    let switches = |b: &Burst| b.switches as f64 / b.handled.max(1) as f64;
    println!(
        "  context switches       {:.1} per card open (echo {:.1}); direct SQLite {direct} units of work (card reads, searches, ledger writes: a group committed together counts once), {fallbacks} through the pool",
        switches(&crm.sustained),
        switches(&echo.sustained)
    );
    let b = &crm.burst;
    let (latencies, echo_latencies) = (b.latencies(), echo.burst.latencies());
    let p99 = percentile(&latencies, 0.99);
    println!(
        "  burst of {BURST} (cards, names, /client phone; {CHATS} chats at once): {} answered in {:.2} s, {} HTTP errors; \
         latency p50 {} p99 {} (echo p50 {} p99 {}); CPU per update {:.3} ms (echo {:.3} ms); \
         the senders and the fake Bot API (this process) {:.3} ms per update beside the CRM (beside the echo {:.3} ms)",
        b.handled,
        b.elapsed.as_secs_f64(),
        b.errors,
        ms(percentile(&latencies, 0.5)),
        ms(p99),
        ms(percentile(&echo_latencies, 0.5)),
        ms(percentile(&echo_latencies, 0.99)),
        per(b),
        per(&echo.burst),
        load_per(b),
        load_per(&echo.burst)
    );
    // Which of the burst's kinds make its tail.
    let by_kind: Vec<String> = (0..KINDS.len())
        .map(|k| {
            let l = b.latencies_of(|i| kind_of(i) == k);
            format!("{} p50 {} p99 {}", KINDS[k], ms(percentile(&l, 0.5)), ms(percentile(&l, 0.99)))
        })
        .collect();
    println!("    by kind: {}", by_kind.join("; "));
    if let Ok(path) = std::env::var("BENCH_BURST_TIMELINE") {
        let lines: String = b
            .timeline
            .iter()
            .map(|(i, at, l)| {
                format!("{},{},{:.3},{:.3}\n", i, kind_of(*i), at.as_secs_f64() * 1e3, l.as_secs_f64() * 1e3)
            })
            .collect();
        std::fs::write(&path, format!("index,kind,sent_ms,latency_ms\n{lines}"))?;
    }
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    println!("\nLean targets:");
    println!(
        "  {}  CPU per owner update ≤ {MAX_CPU_RATIO}× the echo floor: {ratio:.2}×",
        verdict(ratio <= MAX_CPU_RATIO)
    );
    println!(
        "  {}  idle RSS ≤ {MAX_IDLE_RSS_MB} MB with the assistant loaded: {:.1} MB",
        verdict(mb(crm.idle_rss_kb) <= MAX_IDLE_RSS_MB),
        mb(crm.idle_rss_kb)
    );
    println!(
        "  {}  start-up to ready ≤ {}: {}",
        verdict(crm.ready_after <= MAX_START),
        ms(MAX_START),
        ms(crm.ready_after)
    );
    let complete = b.timeline.len() == BURST;
    println!(
        "  {}  burst p99 ≤ {}: {}{}",
        verdict(complete && p99 <= MAX_BURST_P99),
        ms(MAX_BURST_P99),
        ms(p99),
        if complete { String::new() } else { format!(" ({} of {BURST} answers matched)", b.timeline.len()) }
    );
    Ok(())
}
