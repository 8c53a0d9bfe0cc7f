//! A server as a child process, driven over HTTP like production: start it, wait until `/readyz`
//! answers, send a burst of Telegram webhook updates, and read what it cost from `/proc` (CPU
//! ticks, RSS). Used for the CRM and for the echo-bot floor it is compared with.

use super::rss_kb;
use crate::fake_telegram::FakeBotApi;
use anyhow::Context;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Server {
    child: std::process::Child,
    pub pid: u32,
    pub base: String,
    pub ready_after: Duration,
}

/// What a burst of updates cost.
pub struct Burst {
    pub handled: u64,
    pub elapsed: Duration,
    pub errors: usize,
    pub peak_rss_kb: u64,
    /// CPU time (user + system) the process spent during the burst.
    pub cpu: Duration,
}

/// Starts `cmd` (which listens on `port`) and waits for `/readyz`.
pub async fn start(mut cmd: std::process::Command, port: u16) -> anyhow::Result<Server> {
    let started = Instant::now();
    let mut child = cmd.stdin(std::process::Stdio::null()).spawn().context("starting the child process")?;
    let pid = child.id();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let ready_after = loop {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                break started.elapsed();
            }
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            anyhow::bail!("the child did not become ready in 20 s");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    Ok(Server { child, pid, base, ready_after })
}

/// User + system CPU of a process, from `/proc/<pid>/stat` (in clock ticks).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, a)| a).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let get = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // After the command name: state is field 3, utime 14, stime 15.
    get(11) + get(12)
}

fn ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

impl Server {
    pub fn rss_kb(&self) -> u64 {
        rss_kb(self.pid, "VmRSS:")
    }

    /// Posts `bodies` to `/webhooks/telegram` from 16 connections and waits until the fake Bot
    /// API has acknowledged that many callbacks.
    pub async fn burst(&self, fake: &FakeBotApi, bodies: &[String], secret: &str) -> Burst {
        let http = reqwest::Client::new();
        let total = bodies.len();
        let acks_before = fake.acks();
        let cpu_before = cpu_ticks(self.pid);
        let t = Instant::now();
        let errors = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for chunk in bodies.chunks(total.div_ceil(16).max(1)) {
            let (http, chunk, errors) = (http.clone(), chunk.to_vec(), errors.clone());
            let url = format!("{}/webhooks/telegram", self.base);
            let secret = secret.to_string();
            tasks.spawn(async move {
                for body in chunk {
                    let ok = http
                        .post(&url)
                        .header("X-Telegram-Bot-Api-Secret-Token", &secret)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .map(|r| r.status().is_success())
                        .unwrap_or(false);
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        let mut peak = 0;
        while fake.acks() - acks_before < total as u64 && t.elapsed() < Duration::from_secs(120) {
            peak = peak.max(self.rss_kb());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let elapsed = t.elapsed();
        while tasks.join_next().await.is_some() {}
        let ticks = cpu_ticks(self.pid).saturating_sub(cpu_before);
        Burst {
            handled: fake.acks() - acks_before,
            elapsed,
            errors: errors.load(Ordering::Relaxed),
            peak_rss_kb: rss_kb(self.pid, "VmHWM:").max(peak),
            cpu: Duration::from_secs_f64(ticks as f64 / ticks_per_second() as f64),
        }
    }

    /// SIGTERM, then wait.
    pub fn stop(mut self) {
        let _ = std::process::Command::new("kill").arg("-TERM").arg(self.pid.to_string()).status();
        let _ = self.child.wait();
    }
}
