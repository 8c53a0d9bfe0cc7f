//! Insoles CRM: the operations system of a one-person orthopedic-insoles studio, run mostly from
//! a Telegram chat on the owner's phone.
//!
//! One process: [`App::build`] opens the SQLite database (applying migrations), binds the HTTP
//! listener and prepares the Telegram bot; [`App::run`] supervises the HTTP server, the Telegram
//! update source and workers, the Discord gateway client (with `DISCORD_TOKEN`) and the scheduler
//! under one shutdown signal. Tests call the same two functions on port 0 with a temporary
//! database and a fake Bot API (and a fake Discord).
//!
//! Layout: `domain` (parsing types) → `store` (sqlx repositories) → `core` (commands, cards,
//! dialogs; platform-agnostic) ← `channels` (telegram, console, web); `i18n` (Fluent texts),
//! `config`, `metrics`, `worker` (runs the durable jobs and the outbox), `calendar` and `spreadsheet` (feature folders), `scheduler` (cron → jobs), `demo` (sample data); with the
//! `bench` feature only, `bench` (the benchmark command) and `fake_telegram` (a fake Bot API the tests and the
//! benchmark drive): the server build carries no fake.

pub mod assistant;
pub mod backup;
#[cfg(feature = "bench")]
pub mod bench;
pub mod calendar;
pub mod channels;
pub mod charts;
pub mod config;
pub mod core;
pub mod demo;
pub mod domain;
#[cfg(feature = "fakes")]
pub mod fake_checkbox;
#[cfg(feature = "fakes")]
pub mod fake_monobank;
#[cfg(feature = "fakes")]
pub mod fake_telegram;
pub mod i18n;
pub mod instance_lock;
pub mod memory;
pub mod metrics;
pub mod notify;
pub mod payments;
pub mod scheduler;
pub mod secret;
pub mod shutdown;
pub mod spreadsheet;
pub mod store;
pub mod telemetry;
pub mod work;
pub mod worker;

use anyhow::Context;
use channels::telegram::{self, WebhookState};
use channels::web;
use config::Settings;
use core::{Core, CoreConfig};
use metrics::Metrics;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use store::Store;
use teloxide::Bot;
use tokio::net::TcpListener;

pub struct App {
    settings: Settings,
    listener: TcpListener,
    core: Core,
    metrics: Arc<Metrics>,
    bot: Option<Bot>,
    /// Held for the life of `run`: one job-running process per database file.
    _lock: Option<instance_lock::InstanceLock>,
}

impl App {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        if settings.public_url.is_some()
            && settings.telegram.bot_token.is_some()
            && settings.telegram.webhook_secret.is_none()
        {
            anyhow::bail!("PUBLIC_URL is set, so Telegram will use a webhook: set TELEGRAM_WEBHOOK_SECRET (A-Z, a-z, 0-9, _ and -) too");
        }
        // Before anything touches the jobs table: a second server on this file stops here.
        let lock = instance_lock::InstanceLock::acquire_for_url(&settings.database_url)?;
        // The pool connects and the migrations run on a runtime thread while this one works out
        // the locales and the assistant's shared tables, which need no database (~4 ms of CPU
        // that start-up's readiness used to wait for in turn; issue 11). They are still
        // allocated here, where they were (on another thread they took a malloc arena of
        // their own: +1.2 MB idle).
        let url = settings.database_url.clone();
        let opening = tokio::spawn(async move { Store::open(&url).await });
        if assistant::offline::Offline::serves(&settings.knowledge) {
            assistant::offline::Offline::prepare();
        }
        let i18n = i18n::I18n::load().context("loading locales");
        let store = opening
            .await
            .context("opening the database")?
            .with_context(|| format!("opening the database {}", settings.database_url))?;
        let i18n = i18n?;
        // One process owns the jobs table: whatever a crash left running goes back to pending
        // before any worker starts (and is counted as in doubt).
        match store.reclaim_running().await {
            Ok(0) => {}
            Ok(n) => {
                tracing::warn!(jobs = n, "reclaimed jobs left running by a previous process (in doubt: sent again)")
            }
            Err(e) => tracing::error!(error = %e, "could not reclaim running jobs"),
        }
        let metrics = Arc::new(Metrics::default());
        let core = make_core(&settings, store, i18n, metrics.clone()).await?;
        let listener = TcpListener::bind(settings.http_addr)
            .await
            .with_context(|| format!("binding HTTP_ADDR {}", settings.http_addr))?;
        let bot = telegram::make_bot(&settings)?;
        Ok(App { settings, listener, core, metrics, bot, _lock: lock })
    }

    /// The core for the console chat beside a running server (`insoles-crm console`): the same
    /// database, but no instance lock, no HTTP listener, no job worker, and nothing reclaimed.
    pub async fn console_core(settings: &Settings) -> anyhow::Result<Core> {
        let store = Store::open(&settings.database_url)
            .await
            .with_context(|| format!("opening the database {}", settings.database_url))?;
        let i18n = i18n::I18n::load().context("loading locales")?;
        make_core(settings, store, i18n, Arc::new(Metrics::default())).await
    }

    pub fn http_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.settings.http_addr)
    }

    pub fn core(&self) -> Core {
        self.core.clone()
    }

    pub fn has_bot(&self) -> bool {
        self.bot.is_some()
    }

    /// Runs until `shutdown` resolves (or a component fails), then stops taking updates, lets
    /// in-flight work finish, and closes the database pool.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let App { settings, listener, core, metrics, bot, _lock: lock } = self;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);

        let mut telegram_workers = None;
        let mut poller = None;
        let mut webhook_state = None;
        if let Some(bot) = &bot {
            let (router, workers) = telegram::spawn_workers(bot.clone(), core.clone());
            telegram_workers = Some(workers);
            let menu_bot = bot.clone();
            let menu_core = core.clone();
            tokio::spawn(after_catch_up_pause(async move { telegram::register_commands(&menu_bot, &menu_core).await }));
            match (&settings.public_url, &settings.telegram.webhook_secret) {
                (Some(public), Some(secret)) => {
                    telegram::set_webhook(bot, public, secret.expose()).await?;
                    tracing::info!(url = %format!("{public}/webhooks/telegram"), "telegram: webhook set");
                    webhook_state = Some(WebhookState { secret: secret.clone(), router });
                }
                _ => poller = Some(tokio::spawn(telegram::start_polling(bot.clone(), router, stop_rx.clone()))),
            }
        } else {
            tracing::info!("TELEGRAM_BOT_TOKEN is not set: no Telegram bot. Set TELEGRAM_BOT_TOKEN and OWNER_TELEGRAM_IDS to connect one (see README).");
        }

        // Nothing of Discord starts without DISCORD_TOKEN.
        let discord = channels::discord::start(&settings.discord, core.clone(), stop_rx.clone()).await?;

        let addr = listener.local_addr()?;
        let secrets = web::RouteSecrets {
            calcom: settings.calcom_webhook_secret.clone(),
            calendar: settings.calendar_feed_secret.clone(),
            instagram_verify_token: settings.instagram_verify_token.clone(),
            instagram_app_secret: settings.instagram_app_secret.clone(),
            metrics_token: settings.http.metrics_token.clone(),
            trusted_proxies: settings.http.trusted_proxies.clone(),
        };
        if settings.http.metrics_token.is_none() && !addr.ip().is_loopback() {
            tracing::warn!(%addr, "/metrics is open to anyone who can reach HTTP_ADDR: set METRICS_TOKEN");
        }
        let router =
            web::router(web::WebState { core: core.clone(), metrics: metrics.clone() }, webhook_state, secrets);
        let server =
            channels::http_server::serve(listener, router, (&settings.http).into(), metrics.clone(), stop_rx.clone());
        let http = tokio::spawn(server);
        tracing::info!(%addr, "HTTP listening (/book, /healthz, /readyz, /metrics)");
        let scheduler = tokio::spawn(after_catch_up_pause(scheduler::run(core.clone(), stop_rx.clone())));
        let discord_http = channels::discord::make_http(&settings.discord).map(Arc::new);
        let worker = tokio::spawn(after_catch_up_pause(
            worker::Worker::new(core.clone(), bot.clone()).with_discord(discord_http).run(stop_rx.clone()),
        ));
        tokio::spawn(settle(core.clone()));

        let mut http = http;
        let outcome: anyhow::Result<()> = tokio::select! {
            _ = shutdown => { tracing::info!("shutdown requested"); Ok(()) }
            r = &mut http => {
                tracing::error!(result = ?r, "HTTP server exited unexpectedly");
                Err(anyhow::anyhow!("HTTP server exited"))
            }
        };
        let _ = stop_tx.send(true);
        if !http.is_finished() {
            let _ = http.await;
        }
        if let Some(p) = poller {
            let _ = p.await;
        }
        // The HTTP server and the poller held the last router clones; the workers now drain
        // their queues and stop.
        if let Some(workers) = telegram_workers {
            workers.finish().await;
        }
        if let Some(d) = discord {
            let _ = d.await;
        }
        let _ = scheduler.await;
        let _ = worker.await;
        core.store().close().await;
        drop(lock);
        tracing::info!("stopped cleanly");
        outcome
    }
}

/// How long after the HTTP server starts the job worker's and the scheduler's first rounds (the
/// catch-up after downtime, the first heartbeat) and the command menu's registration begin.
/// Started at once, each opened pooled connections of its own (a thread and the schema, ~3 ms of
/// CPU apiece) and took the cores the first `/readyz` answer needed; nothing they do is due
/// within a tenth of a second of a start (issue 11).
pub const CATCH_UP_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

async fn after_catch_up_pause(work: impl Future<Output = ()>) {
    tokio::time::sleep(CATCH_UP_AFTER).await;
    work.await
}

/// The core over an opened store: settings the core needs, the locales, the owner's saved answers.
async fn make_core(settings: &Settings, store: Store, i18n: i18n::I18n, metrics: Arc<Metrics>) -> anyhow::Result<Core> {
    // Not fatal: a database that cannot be written still serves (and /readyz says why).
    if let Err(e) = store.seed_products(&settings.products).await {
        tracing::error!(error = %e, "could not seed the product catalogue");
    }
    let core_config = CoreConfig {
        owner_telegram_ids: settings.telegram.owner_ids.clone(),
        owner_discord_ids: settings.discord.owner_ids.clone(),
        telegram_enabled: settings.telegram.bot_token.is_some(),
        discord_enabled: settings.discord.token.is_some(),
        tz: settings.business_tz,
        follow_up_days: settings.follow_up_days,
        booking: settings.booking.clone(),
        day_parts: settings.day_parts,
        google_ics_url: settings.google_ics_url.clone(),
        notify: settings.notify.clone(),
        knowledge: settings.knowledge.clone(),
        public_url: settings.public_url.clone(),
        review_url: settings.review_url.clone(),
        llm: settings.llm.clone(),
        backup: settings.backup.resolved(&settings.database_url),
        payments: settings.payments.clone(),
        reports: settings.reports.clone(),
        marketing: settings.marketing.clone(),
        referrals: settings.referrals.clone(),
        listmonk: settings.listmonk.clone(),
        content: settings.content.clone(),
    };
    let core = Core::new(store, i18n, core_config, metrics);
    core.load_learned().await.context("loading the owner's saved answers")?;
    core.reground().await.context("grounding the assistant in the studio's hours")?;
    Ok(core)
}

/// Once start-up has settled (the assistant's model trained, the menu registered), gives back
/// the memory only start-up used (`memory.rs`); once more when the pool has closed the
/// connections start-up opened and left idle (`store::POOL_IDLE`).
async fn settle(core: Core) {
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let released = tokio::task::spawn_blocking(move || {
        if core.assistant().is_some() {
            assistant::offline::Offline::wait_until_trained();
        }
        memory::release_startup_memory()
    })
    .await;
    if let Ok(r) = released {
        tracing::debug!(before_kb = r.rss_before_kb, after_kb = r.rss_after_kb, "start-up memory released");
    }
    // sqlx's reaper looks every POOL_IDLE and closes what has been idle that long.
    tokio::time::sleep(store::POOL_IDLE * 2 + std::time::Duration::from_secs(1)).await;
    if let Ok(r) = tokio::task::spawn_blocking(memory::release_startup_memory).await {
        tracing::debug!(before_kb = r.rss_before_kb, after_kb = r.rss_after_kb, "idle pool's memory released");
    }
}

/// Resolves on SIGINT (Ctrl+C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
