//! The scheduled steps of a booking, run by the jobs worker: reminders to the client, the
//! after-visit question to the owner, and the no-show follow-up. Each turns into outbox messages
//! enqueued in the same transaction that marks it done.

use super::{fmt_when, lang_of, service_label, to_owners};
use crate::core::booking::callback::BookingCb;
use crate::core::Core;
use crate::i18n::Tr;
use crate::store::jobs::Job;
use crate::store::StorageError;
use crate::work::JobSpec;
use crate::work::{retry, Outcome};
use chrono::{DateTime, Utc};

async fn load(core: &Core, job: &Job, id: i64) -> Result<crate::store::bookings::Booking, Outcome> {
    match core.store().booking(id).await {
        Ok(b) => Ok(b),
        Err(StorageError::NotFound) => Err(Outcome::done("skipped: booking no longer exists")),
        Err(e) => Err(retry(job.attempts, e.to_string())),
    }
}

pub async fn reminder(core: &Core, job: &Job, id: i64, starts_at: DateTime<Utc>) -> Outcome {
    let has_bot = core.config().telegram_enabled;
    let b = match load(core, job, id).await {
        Ok(b) => b,
        Err(o) => return o,
    };
    if !b.status.is_live() || b.starts_at != starts_at {
        return Outcome::done("skipped: booking moved or cancelled");
    }
    if crate::store::now() >= b.starts_at {
        // Due while the process was down, and no longer useful.
        tracing::warn!(booking = id, "reminder dropped: the visit has already started");
        return Outcome::done("dropped: visit already started");
    }
    let cutoff_ok = b.starts_at > crate::store::now() + core.config().booking.cancel_cutoff;
    let telegram = |tr: &Tr<'_>| {
        let text = tr.t_args(
            "client-reminder",
            &[("service", service_label(tr, &b.service).into()), ("when", fmt_when(core, tr, b.starts_at).into())],
        );
        let mut row = vec![(tr.t("btn-visit-ok"), BookingCb::VisitOk(id).encode())];
        if cutoff_ok {
            row.push((tr.t("btn-booking-move"), BookingCb::Move(id).encode()));
            row.push((tr.t("btn-booking-cancel"), BookingCb::Cancel(id).encode()));
        }
        (text, vec![row])
    };
    let plain = |tr: &Tr<'_>| {
        let text = tr.t_args(
            "client-reminder-sms",
            &[("service", service_label(tr, &b.service).into()), ("when", fmt_when(core, tr, b.starts_at).into())],
        );
        (tr.t("client-reminder-subject"), text)
    };
    let to = Recipient { chat: b.chat_id.filter(|_| has_bot), phone: b.client_phone.clone(), client_id: b.client_id };
    let sends = client_messages(core, &job.idempotency_key, to, telegram, plain).await;
    if sends.is_empty() {
        return Outcome::done("skipped: no channel to the client");
    }
    Outcome::Done { result: format!("{} reminder message(s) queued", sends.len()), follow_ups: sends }
}

pub async fn ask_outcome(core: &Core, job: &Job, id: i64, starts_at: DateTime<Utc>) -> Outcome {
    let b = match load(core, job, id).await {
        Ok(b) => b,
        Err(o) => return o,
    };
    if !b.status.is_live() || b.starts_at != starts_at {
        return Outcome::done("skipped: booking moved, cancelled or already marked");
    }
    let follow_ups = to_owners(core, &job.idempotency_key, |tr| {
        let text = tr.t_args(
            "owner-ask-outcome",
            &[("client", b.client_name.as_str().into()), ("when", fmt_when(core, tr, b.starts_at).into())],
        );
        (
            text,
            vec![vec![
                (tr.t("btn-came"), BookingCb::Came(id).encode()),
                (tr.t("btn-no-show"), BookingCb::NoShow(id).encode()),
            ]],
        )
    })
    .await;
    Outcome::Done { result: "owner asked".into(), follow_ups }
}

pub async fn no_show_offer(core: &Core, job: &Job, id: i64) -> Outcome {
    let has_bot = core.config().telegram_enabled;
    let b = match load(core, job, id).await {
        Ok(b) => b,
        Err(o) => return o,
    };
    let (Some(chat), true) = (b.chat_id, has_bot) else { return Outcome::done("skipped: no channel to the client") };
    let tr = Tr { i18n: core.i18n(), lang: lang_of(core, &format!("telegram:{chat}")).await };
    let text = tr.t("client-no-show");
    let send = JobSpec::SendTelegram {
        chat_id: chat,
        text,
        buttons: vec![vec![(tr.t("btn-book"), BookingCb::Start.encode())]],
    }
    .job(Utc::now(), format!("{}:tg", job.idempotency_key));
    Outcome::Done { result: "offer queued".into(), follow_ups: vec![send] }
}

/// Two days after a no-show: a task for the owner, unless the client has booked again.
pub async fn no_show_task(core: &Core, job: &Job, id: i64) -> Outcome {
    let b = match load(core, job, id).await {
        Ok(b) => b,
        Err(o) => return o,
    };
    match core.store().upcoming_bookings(b.client_id, crate::store::now()).await {
        Ok(list) if !list.is_empty() => return Outcome::done("skipped: the client booked again"),
        Ok(_) => {}
        Err(e) => return retry(job.attempts, e.to_string()),
    }
    let tr = Tr { i18n: core.i18n(), lang: lang_of(core, "console:owner").await };
    let body = tr.t_args(
        "task-rebook",
        &[("client", b.client_name.as_str().into()), ("when", fmt_when(core, &tr, b.starts_at).into())],
    );
    let due = Some(crate::store::now() + chrono::Duration::minutes(1));
    match core.store().create_task(Some(b.client_id), &body, due, crate::work::spec::task_jobs(due)).await {
        Ok(task) => Outcome::done(format!("task {task}")),
        Err(e) => retry(job.attempts, e.to_string()),
    }
}

/// Where a client can be reached.
pub struct Recipient {
    pub chat: Option<i64>,
    pub phone: Option<String>,
    pub client_id: i64,
}

/// One outbox message per channel the client can be reached on: Telegram (in her language, with
/// buttons) when her chat is known, and SMS / e-mail (Ukrainian, plain) when she has a phone /
/// e-mail, the channel is configured and the owner switched it on.
pub async fn client_messages(
    core: &Core,
    key: &str,
    to: Recipient,
    telegram: impl Fn(&Tr<'_>) -> (String, Vec<Vec<(String, String)>>),
    plain: impl Fn(&Tr<'_>) -> (String, String),
) -> Vec<crate::work::NewJob> {
    let store = core.store();
    let mut sends = vec![];
    if let Some(chat) = to.chat {
        let tr = Tr { i18n: core.i18n(), lang: lang_of(core, &format!("telegram:{chat}")).await };
        let (text, buttons) = telegram(&tr);
        sends.push(JobSpec::SendTelegram { chat_id: chat, text, buttons }.job(Utc::now(), format!("{key}:tg")));
    }
    let tr = Tr { i18n: core.i18n(), lang: crate::i18n::Lang::Uk };
    let (subject, text) = plain(&tr);
    if let (Some(_), Some(phone)) = (&core.config().notify.sms, to.phone) {
        if store.switch_on(crate::notify::SMS_SWITCH).await.unwrap_or(false) {
            sends.push(JobSpec::SendSms { phone, text: text.clone() }.job(Utc::now(), format!("{key}:sms")));
        }
    }
    if core.config().notify.email.is_some() && store.switch_on(crate::notify::EMAIL_SWITCH).await.unwrap_or(false) {
        if let Some(email) = store.client(to.client_id).await.ok().and_then(|c| c.email) {
            sends.push(JobSpec::SendEmail { to: email, subject, body: text }.job(Utc::now(), format!("{key}:email")));
        }
    }
    sends
}
