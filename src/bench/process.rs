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

/// One webhook update of a load, and how its answer is recognised at the fake Bot API.
pub struct BenchUpdate {
    pub chat: i64,
    pub body: String,
    /// What answers it, all of them: `cb:<query id>` for a button press (its acknowledgement),
    /// `edit:<chat id>` for its edit (the chat's next editMessageText), `chat:<chat id>` for a
    /// message (the chat's next sendMessage: a chat's messages are answered in order). Its
    /// latency ends with the last of them.
    pub answers: Vec<String>,
}

/// How a load is sent.
#[derive(Clone, Copy)]
pub enum Senders {
    /// This many connections, each posting its share back to back (sustained load).
    Connections(usize),
    /// One sender per chat, all at once, each posting its chat's next update as soon as the
    /// previous one is answered (a person reads the reply before the next tap): every chat has
    /// one update in flight, so the latency is queueing behind the other chats plus handling.
    PerChat,
}

/// What a load of updates cost.
#[derive(Default)]
pub struct Burst {
    pub handled: u64,
    pub elapsed: Duration,
    pub errors: usize,
    pub peak_rss_kb: u64,
    /// CPU time (user + system) the process spent during the burst.
    pub cpu: Duration,
    /// CPU time this process (the senders and the fake Bot API: Telegram's side) spent meanwhile.
    pub load_cpu: Duration,
    /// Context switches of all the process's threads during the burst (a thread going to sleep
    /// or being preempted): each hand-off between threads costs two.
    pub switches: u64,
    /// Each update whose answer was recognised: (its index in the load, when it was sent after
    /// the load's start, its send-to-answer latency), in the order sent.
    pub timeline: Vec<(usize, Duration, Duration)>,
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

/// User + system CPU of a process (`self` or a pid), from `/proc/<pid>/stat` (in clock ticks).
fn cpu_ticks(pid: impl std::fmt::Display) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, a)| a).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let get = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // After the command name: state is field 3, utime 14, stime 15.
    get(11) + get(12)
}

/// Context switches (voluntary and not) of every thread of a process, from `/proc/<pid>/task`.
/// Threads that ended are not counted; the servers keep theirs.
fn context_switches(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return 0 };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
        .flat_map(|s| {
            s.lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<u64>().ok()))
                .collect::<Vec<_>>()
        })
        .sum()
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

impl Burst {
    /// Adds another load's figures (the latencies of both, the higher peak).
    pub fn add(&mut self, other: Burst) {
        self.handled += other.handled;
        self.elapsed += other.elapsed;
        self.errors += other.errors;
        self.peak_rss_kb = self.peak_rss_kb.max(other.peak_rss_kb);
        self.cpu += other.cpu;
        self.load_cpu += other.load_cpu;
        self.switches += other.switches;
        self.timeline.extend(other.timeline);
    }

    /// The latencies of the updates whose index in the load `keep` takes, sorted.
    pub fn latencies_of(&self, keep: impl Fn(usize) -> bool) -> Vec<Duration> {
        let mut l: Vec<Duration> = self.timeline.iter().filter(|(i, _, _)| keep(*i)).map(|(_, _, l)| *l).collect();
        l.sort();
        l
    }

    /// Every recognised answer's latency, sorted.
    pub fn latencies(&self) -> Vec<Duration> {
        self.latencies_of(|_| true)
    }
}

impl Server {
    pub fn rss_kb(&self) -> u64 {
        rss_kb(self.pid, "VmRSS:")
    }

    /// Posts `updates` to `/webhooks/telegram` as `senders` says and waits until the fake Bot API
    /// has seen all answers of each (or two minutes have passed).
    pub async fn burst(&self, fake: &FakeBotApi, updates: &[BenchUpdate], secret: &str, senders: Senders) -> Burst {
        let http = reqwest::Client::new();
        let total = updates.len();
        let expected: usize = updates.iter().map(|u| u.answers.len()).sum();
        let answers_before = fake.answers();
        let groups: Vec<Vec<usize>> = match senders {
            Senders::Connections(n) => {
                let idx: Vec<usize> = (0..total).collect();
                idx.chunks(total.div_ceil(n.max(1)).max(1)).map(<[usize]>::to_vec).collect()
            }
            Senders::PerChat => {
                let mut by_chat = std::collections::BTreeMap::<i64, Vec<usize>>::new();
                for (i, u) in updates.iter().enumerate() {
                    by_chat.entry(u.chat).or_default().push(i);
                }
                by_chat.into_values().collect()
            }
        };
        let bodies: Arc<Vec<String>> = Arc::new(updates.iter().map(|u| u.body.clone()).collect());
        let cpu_before = (cpu_ticks(self.pid), cpu_ticks("self"));
        let switches_before = context_switches(self.pid);
        let t = Instant::now();
        let errors = Arc::new(AtomicUsize::new(0));
        let wait_answers = matches!(senders, Senders::PerChat);
        let keys: Arc<Vec<Vec<String>>> = Arc::new(updates.iter().map(|u| u.answers.clone()).collect());
        let mut tasks = tokio::task::JoinSet::new();
        for group in groups {
            let (http, bodies, errors, keys, fake) =
                (http.clone(), bodies.clone(), errors.clone(), keys.clone(), fake.clone());
            let url = format!("{}/webhooks/telegram", self.base);
            let secret = secret.to_string();
            tasks.spawn(async move {
                let mut sent = Vec::with_capacity(group.len());
                // Answers each key had before this load (the echo answers before the post returns).
                let mut nth: std::collections::HashMap<&str, usize> = group
                    .iter()
                    .flat_map(|&i| keys[i].iter())
                    .map(|k| (k.as_str(), fake.answer_log_count(k)))
                    .collect();
                for i in group {
                    sent.push((i, Instant::now()));
                    let response = http
                        .post(&url)
                        .header("X-Telegram-Bot-Api-Secret-Token", &secret)
                        .header("content-type", "application/json")
                        .body(bodies[i].clone())
                        .send()
                        .await;
                    let ok = match response {
                        Ok(r) if r.status().is_success() => {
                            // A method in the response (the handling's last call) runs as
                            // Telegram runs it.
                            fake.webhook_response(&r.bytes().await.unwrap_or_default()).await;
                            true
                        }
                        _ => false,
                    };
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    } else if wait_answers {
                        for key in &keys[i] {
                            let n = nth.entry(key.as_str()).or_default();
                            *n += 1;
                            let _ = tokio::time::timeout(Duration::from_secs(10), fake.answered(key, *n)).await;
                        }
                    }
                }
                sent
            });
        }
        let mut peak = 0;
        while fake.answers() - answers_before < expected && t.elapsed() < Duration::from_secs(120) {
            peak = peak.max(self.rss_kb());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let elapsed = t.elapsed();
        let mut sent = vec![];
        while let Some(s) = tasks.join_next().await {
            sent.extend(s.unwrap_or_default());
        }
        let ticks = cpu_ticks(self.pid).saturating_sub(cpu_before.0);
        let load_ticks = cpu_ticks("self").saturating_sub(cpu_before.1);
        let switches = context_switches(self.pid).saturating_sub(switches_before);
        // Match answers to updates: by query id for acknowledgements, in order per chat for sent
        // and edited messages.
        let mut seen = std::collections::HashMap::<String, std::collections::VecDeque<Instant>>::new();
        for (key, at) in fake.answer_log().into_iter().skip(answers_before) {
            seen.entry(key).or_default().push_back(at);
        }
        sent.sort_by_key(|(_, at)| *at);
        let timeline: Vec<(usize, Duration, Duration)> = sent
            .into_iter()
            .filter_map(|(i, at)| {
                let mut answered = None;
                for key in &updates[i].answers {
                    answered = answered.max(Some(seen.get_mut(key)?.pop_front()?));
                }
                let answered = answered?;
                Some((i, at.saturating_duration_since(t), answered.saturating_duration_since(at)))
            })
            .collect();
        Burst {
            handled: timeline.len() as u64,
            elapsed,
            errors: errors.load(Ordering::Relaxed),
            peak_rss_kb: rss_kb(self.pid, "VmHWM:").max(peak),
            cpu: Duration::from_secs_f64(ticks as f64 / ticks_per_second() as f64),
            load_cpu: Duration::from_secs_f64(load_ticks as f64 / ticks_per_second() as f64),
            switches,
            timeline,
        }
    }

    /// SIGTERM, then wait.
    pub fn stop(mut self) {
        let _ = std::process::Command::new("kill").arg("-TERM").arg(self.pid.to_string()).status();
        let _ = self.child.wait();
    }
}
