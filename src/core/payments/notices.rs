//! Messages about payments: the link to the client through the channel she uses (Telegram, else
//! Instagram Direct while its window is open, else SMS, else e-mail) and to the owner; and, run as
//! a job, what became of a payment (paid, refunded, failed, expired, a link or refund Monobank
//! refused) to the owner, with the thank-you to the client when no receipt is on its way.

use crate::core::booking::{lang_of, to_owners};
use crate::core::Core;
use crate::domain::Money;
use crate::i18n::{Lang, Tr};
use crate::store::clients::Client;
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::Utc;

/// One message to the client through the first channel she can be reached on, and its name.
pub async fn to_client(
    core: &Core,
    key: &str,
    client: &Client,
    text: impl Fn(&Tr<'_>) -> String,
) -> (Vec<NewJob>, Option<&'static str>) {
    let now = Utc::now();
    if let Some(chat) = client.telegram_id.filter(|_| core.config().telegram_enabled) {
        let tr = Tr { i18n: core.i18n(), lang: lang_of(core, &format!("telegram:{chat}")).await };
        let job =
            JobSpec::SendTelegram { chat_id: chat, text: text(&tr), buttons: vec![] }.job(now, format!("{key}:tg"));
        return (vec![job], Some("telegram"));
    }
    let uk = Tr { i18n: core.i18n(), lang: Lang::Uk };
    if core.config().notify.instagram.is_some() {
        if let Ok(Some(to)) = core.store().instagram_id_of(client.id).await {
            let since = core.store().last_inbound(client.id, "instagram").await.ok().flatten().map(|t| Utc::now() - t);
            if let Some(d) = since.filter(|d| *d <= chrono::Duration::days(7)) {
                let human_agent = d > chrono::Duration::hours(24);
                let jobs =
                    crate::core::conversation::instagram_jobs(&to, &text(&uk), human_agent, &format!("{key}:ig"));
                return (jobs, Some("instagram"));
            }
        }
    }
    if let (Some(_), Some(phone)) = (&core.config().notify.sms, &client.phone) {
        let job = JobSpec::SendSms { phone: phone.clone(), text: text(&uk) }.job(now, format!("{key}:sms"));
        return (vec![job], Some("sms"));
    }
    if let (Some(_), Some(email)) = (&core.config().notify.email, &client.email) {
        let job = JobSpec::SendEmail { to: email.clone(), subject: uk.t("pay-email-subject"), body: text(&uk) }
            .job(now, format!("{key}:email"));
        return (vec![job], Some("email"));
    }
    (vec![], None)
}

/// The Fluent key naming a channel in the owner's messages.
pub fn channel_key(channel: Option<&str>) -> &'static str {
    match channel {
        Some("telegram") => "pay-sent-telegram",
        Some("instagram") => "pay-sent-instagram",
        Some("sms") => "pay-sent-sms",
        Some("email") => "pay-sent-email",
        _ => "pay-sent-nowhere",
    }
}

/// The job: tells the owner (and the client) what became of a payment.
pub async fn run(
    core: &Core,
    job: &Job,
    invoice_id: i64,
    event: &str,
    entry_id: Option<i64>,
    detail: Option<&str>,
) -> Outcome {
    let store = core.store();
    let inv = match store.invoice(invoice_id).await {
        Ok(i) => i,
        Err(crate::store::StorageError::NotFound) => return Outcome::done("skipped: no such link"),
        Err(e) => return retry(job.attempts, e),
    };
    let (order, entry) = match (store.order(inv.order_id).await, entry_id) {
        (Ok(o), Some(id)) => match store.entry(id).await {
            Ok(e) => (o, Some(e)),
            Err(e) => return retry(job.attempts, e),
        },
        (Ok(o), None) => (o, None),
        (Err(e), _) => return retry(job.attempts, e),
    };
    let client = match store.client(order.client_id).await {
        Ok(c) => c,
        Err(e) => return retry(job.attempts, e),
    };
    let amount = entry.as_ref().map(|e| Money::from_kopecks(e.amount_kop)).unwrap_or_else(|| inv.amount());
    let due = super::due(&order);
    let key = &job.idempotency_key;
    let mut sends = vec![];
    let args = |tr: &Tr<'_>| -> Vec<(&'static str, crate::i18n::Arg)> {
        vec![
            ("id", order.id.into()),
            ("client", order.client_name.as_str().into()),
            ("product", order.product.as_str().into()),
            ("amount", amount.to_string().into()),
            ("paid", order.prepaid.to_string().into()),
            ("price", order.price.to_string().into()),
            ("due", due.to_string().into()),
            (
                "reason",
                detail.map(str::to_string).or(inv.failure.clone()).unwrap_or_else(|| tr.t("pay-reason-unknown")).into(),
            ),
        ]
    };
    let order_button = |tr: &Tr<'_>| {
        (tr.t_args("btn-pay-order", &[("id", order.id.into())]), crate::core::orders::OrderCb::Show(order.id).encode())
    };
    let owner_key = match event {
        "paid" if order.status == crate::domain::OrderStatus::Cancelled => "pay-owner-paid-cancelled",
        "paid" if due == Money::ZERO => "pay-owner-paid-full",
        "paid" => "pay-owner-paid-part",
        "refunded" => "pay-owner-refunded",
        "failure" => "pay-owner-failure",
        "expired" => "pay-owner-expired",
        "not_made" => "pay-owner-not-made",
        "refund_failed" => "pay-owner-refund-failed",
        _ => return Outcome::done(format!("skipped: unknown event {event}")),
    };
    let offer_link = matches!(event, "failure" | "expired" | "not_made") && order.status.is_open() && due > Money::ZERO;
    sends.extend(
        to_owners(core, &format!("{key}:owner"), |tr| {
            let mut rows = vec![vec![order_button(tr)]];
            if offer_link {
                rows.insert(
                    0,
                    vec![(
                        tr.t_args("btn-pay-new-link", &[("amount", due.to_string().into())]),
                        super::PayCb::LinkFull(order.id).encode(),
                    )],
                );
            }
            (tr.t_args(owner_key, &args(tr)), rows)
        })
        .await,
    );
    // The client hears of her money: thanks for a payment, news of a refund; with a receipt on
    // its way, the receipt's job sends it with the link instead.
    let receipt_coming = entry.as_ref().is_some_and(|e| e.receipt == "queued");
    let client_key = match event {
        "paid" => Some("pay-client-thanks"),
        "refunded" => Some("pay-client-refunded"),
        _ => None,
    };
    if let (Some(ck), false) = (client_key, receipt_coming) {
        let (jobs, _) = to_client(core, &format!("{key}:client"), &client, |tr| tr.t_args(ck, &args(tr))).await;
        sends.extend(jobs);
    }
    Outcome::Done { result: format!("{} notice(s)", sends.len()), follow_ups: sends }
}
