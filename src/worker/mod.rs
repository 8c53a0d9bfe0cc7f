//! The jobs worker: claims due jobs, runs them, records the outcome.
//!
//! Guarantees (see README "Durable jobs"): no job is lost (it is a row before anything happens),
//! no job is scheduled twice (idempotency keys), a job's follow-on work is enqueued in the same
//! transaction that marks it done, and failures retry with exponential backoff. The one window no
//! design can close against a provider without idempotency (Telegram): a crash after a request left
//! and before its answer was stored. Such a job is reclaimed at start-up, counted as "in doubt",
//! and sent again: a reminder may then arrive twice, never zero times.

mod backup;
mod discord_dm;
mod outbox;
mod report;

use crate::core::booking::steps as booking;
use crate::core::marketing;
use crate::core::payments;
use crate::core::Core;
use crate::shutdown::{stopped, Shutdown};
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, Outcome};
use chrono::{DateTime, Utc};
use std::time::Duration;
use teloxide::Bot;
use tokio::task::JoinSet;

const BATCH: i64 = 128;
const CONCURRENCY: usize = 16;
const MAX_ATTEMPTS: i64 = 8;
const LEASE_SECS: i64 = 120;
/// Prefix of a message sent again after a crash interrupted its first send.
pub const IN_DOUBT_MARK: &str = "♻️ ";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub claimed: usize,
    pub done: usize,
    pub retried: usize,
    pub failed: usize,
}

#[derive(Clone)]
pub struct Worker {
    core: Core,
    bot: Option<Bot>,
    /// Discord's HTTP client, with `DISCORD_TOKEN` (the owner's answers to Discord clients).
    discord: Option<std::sync::Arc<serenity::all::Http>>,
}

impl Worker {
    pub fn new(core: Core, bot: Option<Bot>) -> Self {
        Worker { core, bot, discord: None }
    }

    /// Sends `SendDiscord` jobs through this client.
    pub fn with_discord(mut self, http: Option<std::sync::Arc<serenity::all::Http>>) -> Self {
        self.discord = http;
        self
    }

    /// Runs every job due at `now` (in batches) and reports what happened. Leases run on the
    /// real clock whatever `now` is, so a test's future `now` never steals running jobs.
    pub async fn tick(&self, now: DateTime<Utc>) -> anyhow::Result<TickReport> {
        let store = self.core.store();
        store.reclaim_expired(Utc::now()).await?;
        let jobs = store.claim_due(now, BATCH, chrono::Duration::seconds(LEASE_SECS)).await?;
        let mut report = TickReport { claimed: jobs.len(), ..Default::default() };
        let mut running = JoinSet::new();
        for job in jobs {
            if running.len() >= CONCURRENCY {
                if let Some(Ok(kind)) = running.join_next().await {
                    count(&mut report, kind);
                }
            }
            let worker = self.clone();
            running.spawn(async move { worker.run_one(job, now).await });
        }
        while let Some(joined) = running.join_next().await {
            if let Ok(kind) = joined {
                count(&mut report, kind);
            }
        }
        Ok(report)
    }

    async fn run_one(&self, job: Job, now: DateTime<Utc>) -> u8 {
        let store = self.core.store();
        let outcome = match JobSpec::parse(&job.payload) {
            Some(spec) => self.execute(&job, spec, now).await,
            None => Outcome::Fail { error: format!("unreadable payload for kind {}", job.kind) },
        };
        let recorded = match outcome {
            Outcome::Done { result, follow_ups } => store.complete_job(job.id, &result, &follow_ups).await.map(|_| 0),
            Outcome::Retry { error, .. } if job.attempts >= MAX_ATTEMPTS => {
                tracing::error!(job = job.id, kind = %job.kind, %error, "job failed for good after retries");
                store.fail_job(job.id, &error).await.map(|_| 2)
            }
            Outcome::Retry { after, error } => {
                tracing::warn!(job = job.id, kind = %job.kind, %error, retry_in = ?after, "job will retry");
                let at = Utc::now() + chrono::Duration::from_std(after).unwrap_or_default();
                store.retry_job(job.id, at, &error).await.map(|_| 1)
            }
            Outcome::Fail { error } => {
                tracing::error!(job = job.id, kind = %job.kind, %error, "job failed");
                store.fail_job(job.id, &error).await.map(|_| 2)
            }
        };
        recorded.unwrap_or_else(|e| {
            // The lease will run out and the job will be reclaimed.
            tracing::error!(job = job.id, error = %e, "could not record a job's outcome");
            1
        })
    }

    /// `now` is the tick's clock (a test's), for the jobs whose meaning depends on the day.
    async fn execute(&self, job: &Job, spec: JobSpec, now: DateTime<Utc>) -> Outcome {
        match spec {
            JobSpec::DailySummary { date } => crate::core::summary::run(&self.core, job, date, now).await,
            JobSpec::Aftercare { id } => crate::core::product_life::run(&self.core, job, id).await,
            JobSpec::NpsAsk { order_id } => crate::core::nps::ask(&self.core, job, order_id).await,
            JobSpec::TaskReminder { task_id, due_at } => {
                crate::core::reminders::task_reminder(&self.core, job, task_id, due_at).await
            }
            JobSpec::SendTelegram { chat_id, text, buttons } => match &self.bot {
                // A send interrupted by a crash may have arrived already: mark the repeat so the
                // reader knows it may be one.
                Some(bot) if job.reclaims > 0 => {
                    outbox::send(bot, chat_id, &format!("{IN_DOUBT_MARK}{text}"), &buttons, job.attempts).await
                }
                Some(bot) => outbox::send(bot, chat_id, &text, &buttons, job.attempts).await,
                None => Outcome::Fail { error: "TELEGRAM_BOT_TOKEN is not set".into() },
            },
            JobSpec::BookingReminder { booking_id, starts_at, .. } => {
                booking::reminder(&self.core, job, booking_id, starts_at).await
            }
            JobSpec::BookingOutcome { booking_id, starts_at } => {
                booking::ask_outcome(&self.core, job, booking_id, starts_at).await
            }
            JobSpec::NoShowOffer { booking_id } => booking::no_show_offer(&self.core, job, booking_id).await,
            JobSpec::NoShowTask { booking_id } => booking::no_show_task(&self.core, job, booking_id).await,
            JobSpec::CalcomEvent { body } => crate::calendar::calcom::process(&self.core, job, &body).await,
            JobSpec::IcsRefresh => crate::calendar::google::refresh(&self.core, job).await,
            JobSpec::SendDiscord { user, text, buttons } => match &self.discord {
                Some(http) => discord_dm::send(http, user, &text, &buttons, None, job.attempts).await,
                None => Outcome::Fail { error: "DISCORD_TOKEN is not set".into() },
            },
            JobSpec::SendInstagram { to, text, human_agent } => match &self.core.config().notify.instagram {
                Some(cfg) => crate::notify::instagram::send(cfg, &to, &text, human_agent, job.attempts).await,
                None => Outcome::Fail { error: "INSTAGRAM_ACCESS_TOKEN is not set".into() },
            },
            JobSpec::InstagramEvent { account, event } => {
                crate::core::instagram::process(&self.core, job, &account, &event).await
            }
            JobSpec::InstagramReconcile => crate::core::instagram_reconcile::run(&self.core, job, now).await,
            JobSpec::SendSms { phone, text } => match &self.core.config().notify.sms {
                // The job key is the request's sequence_id: TurboSMS answers a repeat with the first result.
                Some(cfg) => crate::notify::sms::send(cfg, &phone, &text, &job.idempotency_key, job.attempts).await,
                None => Outcome::Fail { error: "TURBOSMS_TOKEN is not set".into() },
            },
            JobSpec::SendEmail { to, subject, body } => match &self.core.config().notify.email {
                Some(cfg) => {
                    crate::notify::email::send(cfg, &to, &subject, &body, &job.idempotency_key, job.attempts).await
                }
                None => Outcome::Fail { error: "SMTP_URL is not set".into() },
            },
            JobSpec::OrderReady { order_id } => crate::core::orders::ready_notice(&self.core, job, order_id).await,
            JobSpec::Backup => backup::run(&self.core, job).await,
            JobSpec::SendTelegramDocument { chat_id, path, caption } => match &self.bot {
                Some(bot) => outbox::send_document(bot, chat_id, &path, &caption, job.attempts).await,
                None => Outcome::Fail { error: "TELEGRAM_BOT_TOKEN is not set".into() },
            },
            JobSpec::MonobankInvoice { invoice_id } => payments::link::make(&self.core, job, invoice_id).await,
            JobSpec::MonobankStatus { invoice_id } => payments::status::poll(&self.core, job, invoice_id).await,
            JobSpec::PaymentsCheck => payments::status::check_open(&self.core, job).await,
            JobSpec::MonobankRefund { refund_id } => payments::refund::run(&self.core, job, refund_id).await,
            JobSpec::PaymentNotice { invoice_id, event, entry_id, detail } => {
                payments::notices::run(&self.core, job, invoice_id, &event, entry_id, detail.as_deref()).await
            }
            JobSpec::FiscalReceipt { receipt_id, step } => {
                payments::fiscal::run(&self.core, job, &receipt_id, step).await
            }
            JobSpec::PeriodReport { .. }
            | JobSpec::ReportEmail { .. }
            | JobSpec::ReportTelegram { .. }
            | JobSpec::ReportDiscord { .. } => {
                report::run(&self.core, self.bot.as_ref(), self.discord.as_deref(), job, spec).await
            }
            JobSpec::SequencesEnrol => marketing::sequences::enrol_job(&self.core, job, now).await,
            JobSpec::SequenceStep { enrolment, step } => {
                marketing::sequences::step(&self.core, job, enrolment, step).await
            }
            JobSpec::SequenceEmail { enrolment, step } => {
                marketing::sequences::email(&self.core, job, enrolment, step).await
            }
            JobSpec::CampaignEmail { campaign, client } => {
                marketing::mail::campaign(&self.core, job, campaign, client).await
            }
            JobSpec::ListmonkPush { client } => marketing::listmonk::push(&self.core, job, client).await,
            JobSpec::ListmonkSync => marketing::listmonk::sync(&self.core, job).await,
            JobSpec::ContentReminder { post, date } => {
                crate::core::content::plan::reminder(&self.core, job, post, date).await
            }
            JobSpec::Housekeeping => match self.core.store().housekeeping().await {
                Ok(()) => Outcome::done("ok"),
                Err(e) => retry(job.attempts, e.to_string()),
            },
        }
    }

    /// Runs until shutdown: ticks whenever something is due, sleeping until the next due time or
    /// until a new job is enqueued. (What a crash left running is reclaimed by `App::build`.)
    pub async fn run(self, shutdown: Shutdown) {
        let store = self.core.store().clone();
        let notify = store.jobs_notify();
        match marketing::campaign::respace(&self.core, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(moved = n, "campaign e-mails overdue after downtime, spaced to the SMTP rate again")
            }
            Err(e) => tracing::error!(error = format!("{e:#}"), "could not space overdue campaign e-mails"),
        }
        loop {
            if *shutdown.borrow() {
                return;
            }
            let report = match self.tick(Utc::now()).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!(error = %e, "jobs tick failed");
                    TickReport::default()
                }
            };
            if report.claimed > 0 {
                continue;
            }
            let wait = match store.next_due_at().await {
                Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or_default().min(Duration::from_secs(30)),
                Ok(None) => Duration::from_secs(30),
                Err(_) => Duration::from_secs(1),
            };
            tokio::select! {
                _ = stopped(shutdown.clone()) => return,
                _ = notify.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}

fn count(report: &mut TickReport, kind: u8) {
    match kind {
        0 => report.done += 1,
        1 => report.retried += 1,
        _ => report.failed += 1,
    }
}

#[cfg(test)]
mod tests {
    use crate::work::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), Duration::from_secs(5));
        assert_eq!(backoff(2), Duration::from_secs(10));
        assert_eq!(backoff(4), Duration::from_secs(40));
        assert_eq!(backoff(30), Duration::from_secs(3600));
    }
}
