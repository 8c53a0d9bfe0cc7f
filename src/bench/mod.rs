//! `insoles-crm bench [crm|jobs|import|slots|assistant|payments|reports|summary|campaign|ask|all]`: the performance figures the issues ask for, printed
//! as a table. Run on a release build: `cargo run --release --features bench -- bench all`.

mod ask;
mod assistant;
mod campaign;
mod crm;
mod dashboards;
mod echo;
mod import;
mod jobs;
mod payments;
mod process;
mod served;
mod slots;
mod summary;

use std::time::Duration;

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    match args.first().map(String::as_str) {
        Some("jobs") => jobs::run(&args[1..]).await,
        Some("import") => import::run(&args[1..]).await,
        Some("slots") => slots::run(&args[1..]).await,
        Some("assistant") => assistant::run(&args[1..]).await,
        Some("payments") => payments::run(&args[1..]).await,
        Some("reports") => dashboards::run(&args[1..]).await,
        Some("summary") => summary::run(&args[1..]).await,
        Some("campaign") => campaign::run(&args[1..]).await,
        Some("ask") => ask::run(&args[1..]).await,
        Some("all") => {
            crm::run(&args[1..]).await?;
            jobs::run(&[]).await?;
            import::run(&[]).await?;
            slots::run(&[]).await?;
            assistant::run(&[]).await?;
            payments::run(&[]).await?;
            dashboards::run(&[]).await?;
            summary::run(&[]).await?;
            campaign::run(&[]).await?;
            ask::run(&[]).await
        }
        Some("crm") => crm::run(&args[1..]).await,
        Some("echo-floor") => echo::serve().await,
        // `bench --clients N ...` is the CRM benchmark, as before.
        _ => crm::run(args).await,
    }
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// A deterministic generator for names, phones and picks.
pub(crate) struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// A field of /proc/<pid>/status in kB (VmRSS, VmHWM).
pub(crate) fn rss_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// A fresh directory under the system temp dir, removed when dropped.
pub(crate) struct TempDir(pub std::path::PathBuf);
impl TempDir {
    pub fn new(label: &str) -> anyhow::Result<Self> {
        let p = std::env::temp_dir().join(format!("insoles-bench-{label}-{}", std::process::id()));
        std::fs::create_dir_all(&p)?;
        Ok(TempDir(p))
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A core for benchmarks: owner 1, Kyiv, default booking rules, nothing external configured.
pub(crate) fn bench_core(store: crate::store::Store) -> anyhow::Result<crate::core::Core> {
    bench_core_with(store, Default::default())
}

/// [`bench_core`] with payment providers (fakes on loopback).
pub(crate) fn bench_core_with(
    store: crate::store::Store,
    payments: crate::config::PaymentsConfig,
) -> anyhow::Result<crate::core::Core> {
    let config = crate::core::CoreConfig {
        public_url: None,
        review_url: None,
        llm: None,
        owner_telegram_ids: vec![1],
        owner_discord_ids: vec![],
        telegram_enabled: true,
        discord_enabled: false,
        tz: chrono_tz::Europe::Kyiv,
        follow_up_days: 14,
        booking: Default::default(),
        day_parts: Default::default(),
        google_ics_url: None,
        notify: Default::default(),
        knowledge: String::new(),
        backup: Default::default(),
        payments,
        reports: Default::default(),
        marketing: Default::default(),
        referrals: Default::default(),
        listmonk: None,
        content: Default::default(),
    };
    Ok(crate::core::Core::new(
        store,
        crate::i18n::I18n::load()?,
        config,
        std::sync::Arc::new(crate::metrics::Metrics::default()),
    ))
}
