//! What a job is: its kind, its payload, and its idempotency key, as plain data.

use super::NewJob;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobSpec {
    /// Remind the owner of a task; skipped when the task was done or moved meanwhile.
    TaskReminder { task_id: i64, due_at: DateTime<Utc> },
    /// One message to one Telegram chat (the outbox).
    SendTelegram {
        chat_id: i64,
        text: String,
        #[serde(default)]
        buttons: Vec<Vec<(String, String)>>,
    },
    /// Nightly upkeep of the database.
    Housekeeping,
    /// Remind a client of her visit `offset_min` before it (skipped if moved or cancelled).
    BookingReminder { booking_id: i64, starts_at: DateTime<Utc>, offset_min: i64 },
    /// After the visit: ask the owner whether the client came.
    BookingOutcome { booking_id: i64, starts_at: DateTime<Utc> },
    /// After a no-show: offer the client new times.
    NoShowOffer { booking_id: i64 },
    /// Two days after a no-show: a task for the owner unless the client booked again.
    NoShowTask { booking_id: i64 },
    /// A verified Cal.com webhook body, processed after the 200.
    CalcomEvent { body: String },
    /// Re-read the owner's Google Calendar (`GOOGLE_ICS_URL`) for busy time.
    IcsRefresh,
    /// Tell the client her insoles are ready to pick up (skipped if the order moved on).
    OrderReady { order_id: i64 },
    /// One SMS through TurboSMS (the outbox).
    SendSms { phone: String, text: String },
    /// One e-mail through SMTP (the outbox).
    SendEmail { to: String, subject: String, body: String },
    /// One message to a Discord user in her DM (the outbox, issue 17): the owner's answer.
    SendDiscord {
        user: u64,
        text: String,
        #[serde(default)]
        buttons: Vec<Vec<(String, String)>>,
    },
    /// One message in Instagram Direct (the outbox); `human_agent` only for text the owner typed.
    SendInstagram { to: String, text: String, human_agent: bool },
    /// One verified Instagram messaging event, processed after the 200.
    InstagramEvent { account: String, event: serde_json::Value },
    /// Every 15 minutes: DMs no webhook delivered, and DMs waiting unanswered (issue 16).
    InstagramReconcile,
    /// The nightly backup of the database (`src/backup.rs`).
    Backup,
    /// One file from disk to one Telegram chat as a document (the outbox; the nightly backup).
    SendTelegramDocument { chat_id: i64, path: String, caption: String },
    /// Ask Monobank for payment link `invoice_id` (issue 14); then send it.
    MonobankInvoice { invoice_id: i64 },
    /// Read link `invoice_id`'s status from Monobank and apply it (an expired link sends no webhook).
    MonobankStatus { invoice_id: i64 },
    /// Ask Monobank for refund `refund_id`.
    MonobankRefund { refund_id: i64 },
    /// Tell the owner (and the client) what became of a payment: `event` is `paid`, `refunded`,
    /// `failure`, `expired`, `not_made` or `refund_failed`; `entry_id` the cash-book entry.
    PaymentNotice {
        invoice_id: i64,
        event: String,
        #[serde(default)]
        entry_id: Option<i64>,
        /// Monobank's reason, when it refused.
        #[serde(default)]
        detail: Option<String>,
    },
    /// Every hour: a status read for each payment link still open (a lost webhook).
    PaymentsCheck,
    /// Issue fiscal receipt `receipt_id` through Checkbox, one step per run (shift, sell, status).
    FiscalReceipt {
        receipt_id: String,
        #[serde(default)]
        step: u32,
    },
    /// The owner's daily summary of business day `date` (issue 15); skipped when it runs on a later
    /// day (after downtime), so it is sent at most once and only the same day.
    DailySummary { date: chrono::NaiveDate },
    /// One reminder tied to the product's life (`store::aftercare` row `id`).
    Aftercare { id: i64 },
    /// Ask the client of issued order `order_id` how likely she is to recommend the studio (NPS).
    NpsAsk { order_id: i64 },
    /// The weekly or monthly report of `from..=to` (business days): fans out to the e-mail and to
    /// each owner chat (issue 15 part E; keyed by the period, so it runs once).
    PeriodReport { every: ReportEvery, from: NaiveDate, to: NaiveDate },
    /// That report's e-mail to `to` (the six reports, charts inline); Message-ID from the key.
    ReportEmail { every: ReportEvery, from: NaiveDate, to: NaiveDate, address: String },
    /// That report in owner chat `chat_id`: report number `index` of the six as a photo with its
    /// text; the next one follows as a new job when this one is sent (in order, each once).
    ReportTelegram { chat_id: i64, every: ReportEvery, from: NaiveDate, to: NaiveDate, index: usize },
    /// The same in the Discord DM of owner `user` (an owner on Discord only): report `index`'s
    /// chart as a file with its text, then the next, each once (issue 17).
    ReportDiscord { user: u64, every: ReportEvery, from: NaiveDate, to: NaiveDate, index: usize },
    /// Every hour: enrol the clients whose event (a diagnostics visit, an issued order) starts an
    /// e-mail sequence (issue 16, `core::marketing::sequences`).
    SequencesEnrol,
    /// Step `step` (its index in the sequence) of enrolment `enrolment`: checks she may still get
    /// it, then records the send and enqueues [`JobSpec::SequenceEmail`] in one transaction.
    SequenceStep { enrolment: i64, step: u32 },
    /// The e-mail of that step, through SMTP.
    SequenceEmail { enrolment: i64, step: u32 },
    /// Campaign `campaign`'s e-mail to client `client`, due at its place in the SMTP rate.
    CampaignEmail { campaign: i64, client: i64 },
    /// Makes Listmonk hold client `client` as the CRM does now: subscribed with consent,
    /// unsubscribed without, deleted once forgotten (`core::marketing::listmonk`).
    ListmonkPush { client: i64 },
    /// Every few minutes: Listmonk's unsubscribes read back into the CRM, then a push for every
    /// client whose consent Listmonk does not reflect yet.
    ListmonkSync,
    /// Remind the owner to publish post `post` on `date` (issue 16, Content); skipped when the
    /// post was moved, discarded or published meanwhile.
    ContentReminder { post: i64, date: NaiveDate },
}

/// Which pushed report: the week (Monday–Sunday) or the calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportEvery {
    Week,
    Month,
}

impl ReportEvery {
    pub fn code(self) -> &'static str {
        match self {
            ReportEvery::Week => "week",
            ReportEvery::Month => "month",
        }
    }
}

impl JobSpec {
    pub fn kind(&self) -> &'static str {
        match self {
            JobSpec::TaskReminder { .. } => "task_reminder",
            JobSpec::SendTelegram { .. } => "send_telegram",
            JobSpec::Housekeeping => "housekeeping",
            JobSpec::BookingReminder { .. } => "booking_reminder",
            JobSpec::BookingOutcome { .. } => "booking_outcome",
            JobSpec::NoShowOffer { .. } => "no_show_offer",
            JobSpec::NoShowTask { .. } => "no_show_task",
            JobSpec::CalcomEvent { .. } => "calcom_event",
            JobSpec::IcsRefresh => "ics_refresh",
            JobSpec::OrderReady { .. } => "order_ready",
            JobSpec::SendSms { .. } => "send_sms",
            JobSpec::SendEmail { .. } => "send_email",
            JobSpec::InstagramEvent { .. } => "instagram_event",
            JobSpec::InstagramReconcile => "instagram_reconcile",
            JobSpec::SendInstagram { .. } => "send_instagram",
            JobSpec::SendDiscord { .. } => "send_discord",
            JobSpec::Backup => "backup",
            JobSpec::SendTelegramDocument { .. } => "send_telegram_document",
            JobSpec::MonobankInvoice { .. } => "monobank_invoice",
            JobSpec::MonobankStatus { .. } => "monobank_status",
            JobSpec::MonobankRefund { .. } => "monobank_refund",
            JobSpec::PaymentNotice { .. } => "payment_notice",
            JobSpec::PaymentsCheck => "payments_check",
            JobSpec::FiscalReceipt { .. } => "fiscal_receipt",
            JobSpec::DailySummary { .. } => "daily_summary",
            JobSpec::Aftercare { .. } => "aftercare",
            JobSpec::NpsAsk { .. } => "nps_ask",
            JobSpec::PeriodReport { .. } => "period_report",
            JobSpec::ReportEmail { .. } => "report_email",
            JobSpec::ReportTelegram { .. } => "report_telegram",
            JobSpec::ReportDiscord { .. } => "report_discord",
            JobSpec::SequencesEnrol => "sequences_enrol",
            JobSpec::SequenceStep { .. } => "sequence_step",
            JobSpec::SequenceEmail { .. } => "sequence_email",
            JobSpec::CampaignEmail { .. } => "campaign_email",
            JobSpec::ListmonkPush { .. } => "listmonk_push",
            JobSpec::ListmonkSync => "listmonk_sync",
            JobSpec::ContentReminder { .. } => "content_reminder",
        }
    }

    pub fn job(&self, due_at: DateTime<Utc>, key: impl Into<String>) -> NewJob {
        NewJob {
            kind: self.kind(),
            payload: serde_json::to_string(self).unwrap_or_else(|_| "{}".into()),
            due_at,
            key: key.into(),
        }
    }

    pub fn parse(payload: &str) -> Option<Self> {
        serde_json::from_str(payload).ok()
    }
}

/// Keys: one reminder per task and due time; every reminder of a task shares a prefix.
pub fn task_prefix(task_id: i64) -> String {
    format!("task:{task_id}:")
}

/// The jobs of a new task (its reminder when it has a due time), for the store to write with it.
pub fn task_jobs(due_at: Option<DateTime<Utc>>) -> impl FnOnce(i64) -> Vec<NewJob> + Send {
    move |task_id| due_at.map(|due| vec![task_reminder(task_id, due)]).unwrap_or_default()
}

pub fn task_reminder(task_id: i64, due_at: DateTime<Utc>) -> NewJob {
    JobSpec::TaskReminder { task_id, due_at }
        .job(due_at, format!("{}remind:{}", task_prefix(task_id), due_at.timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_and_keys_are_stable() {
        let spec =
            JobSpec::SendTelegram {
                chat_id: 5, text: "Привіт".into(), buttons: vec![vec![("Ок".into(), "x".into())]]
            };
        let job = spec.job(Utc::now(), "k");
        assert_eq!(job.kind, "send_telegram");
        assert_eq!(JobSpec::parse(&job.payload), Some(spec));
        let due = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(task_reminder(7, due).key, "task:7:remind:1800000000");
        assert!(task_reminder(7, due).key.starts_with(&task_prefix(7)));
    }
}
