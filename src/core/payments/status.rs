//! What Monobank reports about a link, from its webhook (verified in `channels::monobank_webhook`)
//! or from the status call (the job after a link's validity, and after a refund), applied in one
//! transaction: the link's status when the report is newer (`modifiedDate`, ties to the later
//! state), the payment and every finished refund as cash-book entries written once each (by
//! Monobank's ids, so a repeat or an out-of-order report books nothing twice), the order's paid
//! amount with them, and the jobs for the notices and the fiscal receipts.

use super::{fiscal, link};
use crate::core::Core;
use crate::domain::cash::{EntryKind, PayMethod};
use crate::domain::invoice_status::InvoiceStatus;
use crate::domain::Money;
use crate::i18n::{Lang, Tr};
use crate::payments::monobank::{Status, UAH};
use crate::store::cashbook::NewEntry;
use crate::store::invoices::{Applied, Invoice, LinkRef, Report};
use crate::store::jobs::Job;
use crate::work::{JobSpec, NewJob, Outcome};
use chrono::{DateTime, Utc};

/// After a link's end, how long until its status is read (Monobank's clock may lag ours).
const AFTER_EXPIRY: chrono::Duration = chrono::Duration::minutes(1);
/// How far ahead of our clock a report's date may be before it counts as now.
const MAX_CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(10);
/// A link still open this long after its end is left alone.
const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::days(2);

/// The status read of link `invoice` for a link ending at `expires_at`: right after its end with
/// webhooks, every few minutes until then without them.
pub fn poll_job(core: &Core, invoice: i64, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> NewJob {
    let at = if core.config().public_url.is_some() || now >= expires_at {
        (expires_at + AFTER_EXPIRY).max(now + link::POLL_WITHOUT_WEBHOOK.min(AFTER_EXPIRY))
    } else {
        (now + link::POLL_WITHOUT_WEBHOOK).min(expires_at + AFTER_EXPIRY)
    };
    JobSpec::MonobankStatus { invoice_id: invoice }.job(at, format!("mono:status:{invoice}:{}", at.timestamp()))
}

/// Turns a report into the rows it means for link `inv`.
fn report(core: &Core, inv: &Invoice, s: &Status) -> Option<Report> {
    let status = InvoiceStatus::from_code(&s.status)?;
    // A report of another amount or currency than the link asked for is not about this link's
    // money (a hryvnia is not a dollar; an `amount` ten times the link's is not a payment of it).
    if s.amount != inv.amount_kop || s.ccy.is_some_and(|c| c != UAH) {
        tracing::error!(
            invoice = inv.id,
            reported = s.amount,
            asked = inv.amount_kop,
            ccy = ?s.ccy,
            "monobank: a report whose amount or currency is not the link's; nothing applied"
        );
        return None;
    }
    let tz = core.config().tz;
    // A date ahead of now would freeze the link (no later report would be newer) and book money
    // on a day no period shows: it counts as now.
    let now = Utc::now();
    let not_ahead = |d: DateTime<Utc>| if d > now + MAX_CLOCK_SKEW { now } else { d };
    let modified = not_ahead(s.modified_date.or(s.created_date).unwrap_or(now));
    let tr = Tr { i18n: core.i18n(), lang: Lang::Uk };
    let pid = &s.invoice_id;
    let entry = |kind: EntryKind, kop: i64, at: DateTime<Utc>, ext: String| {
        let mut e =
            NewEntry::new(kind, PayMethod::Monobank, Money::from_kopecks(kop), at.with_timezone(&tz).date_naive());
        e.order_id = Some(inv.order_id);
        e.invoice_id = Some(inv.id);
        e.external_ref = Some(ext);
        e.fiscal = fiscal::mode(core);
        let key = if kind == EntryKind::Income { "pay-timeline-income" } else { "pay-timeline-refund" };
        e.timeline = Some(tr.t_args(
            key,
            &[
                ("id", inv.order_id.into()),
                ("amount", Money::from_kopecks(kop).to_string().into()),
                ("method", tr.t(PayMethod::Monobank.label_key()).into()),
            ],
        ));
        e
    };
    let mut entries = vec![];
    if status.was_paid() && s.amount > 0 {
        let mut paid = entry(EntryKind::Income, s.amount, modified, format!("mono:{pid}:paid"));
        paid.fee = Money::from_kopecks(s.payment_info.as_ref().and_then(|p| p.fee).unwrap_or(0).max(0));
        entries.push(paid);
    }
    let cancels = s.cancel_list.clone().unwrap_or_default();
    let mut refunds = vec![];
    let mut refunded = 0;
    for c in &cancels {
        if let Some(ext) = &c.ext_ref {
            refunds.push((ext.clone(), c.status.clone()));
        }
        if c.status != "success" || !status.was_paid() {
            continue;
        }
        let kop = c.amount.unwrap_or(s.amount).min(s.amount - refunded);
        if kop <= 0 {
            continue;
        }
        refunded += kop;
        let at = not_ahead(c.modified_date.or(c.created_date).unwrap_or(modified));
        let id = c.ext_ref.clone().unwrap_or_else(|| format!("{}:{kop}", at.timestamp()));
        entries.push(entry(EntryKind::Refund, kop, at, format!("mono:{pid}:refund:{id}")));
    }
    if status == InvoiceStatus::Reversed && refunded == 0 && s.amount > 0 {
        entries.push(entry(EntryKind::Refund, s.amount, modified, format!("mono:{pid}:reversed")));
    }
    let failure = s.failure_reason.clone().filter(|_| status == InvoiceStatus::Failure).map(|r| {
        let r = crate::domain::text::ellipsize(r.trim(), 200);
        match &s.err_code {
            Some(code) if !code.is_empty() => format!("{r} ({code})"),
            _ => r,
        }
    });
    Some(Report { status, modified, final_kop: s.final_amount, failure, entries, refunds })
}

/// Applies a report (webhook body or status answer). `Unknown`: not a link of ours, or a status
/// this version does not know (logged; the webhook acknowledges it).
pub async fn apply(core: &Core, s: &Status) -> anyhow::Result<Applied> {
    apply_to(core, LinkRef::Provider(&s.invoice_id), s).await
}

async fn apply_to(core: &Core, link: LinkRef<'_>, s: &Status) -> anyhow::Result<Applied> {
    let applied = core
        .store()
        .apply_invoice_report(
            link,
            |inv| report(core, inv, s),
            |inv, before, booked| {
                let mut jobs = vec![];
                let now = Utc::now();
                for (kind, b) in booked {
                    let event = if *kind == EntryKind::Income { "paid" } else { "refunded" };
                    jobs.push(
                        JobSpec::PaymentNotice {
                            invoice_id: inv.id,
                            event: event.into(),
                            entry_id: Some(b.entry_id),
                            detail: None,
                        }
                        .job(now, format!("paynote:entry:{}", b.entry_id)),
                    );
                    jobs.extend(fiscal::receipt_jobs(b));
                }
                if inv.status != before {
                    if let s @ (InvoiceStatus::Failure | InvoiceStatus::Expired) = inv.status {
                        jobs.push(
                            JobSpec::PaymentNotice {
                                invoice_id: inv.id,
                                event: s.code().into(),
                                entry_id: None,
                                detail: None,
                            }
                            .job(now, format!("paynote:{}:{}", inv.id, s.code())),
                        );
                    }
                }
                jobs
            },
        )
        .await?;
    if matches!(applied, Applied::Unknown) {
        tracing::warn!(invoice = %s.invoice_id, status = %s.status, "monobank: a report of a link or status we do not know; acknowledged");
    }
    if let Applied::Changed { invoice, booked, .. } = &applied {
        if booked.iter().any(|(kind, _)| *kind == EntryKind::Income) {
            crate::core::attribution::referral::on_paid(core, invoice.order_id).await?;
        }
    }
    if let Applied::Changed { before, invoice, booked } = &applied {
        tracing::info!(
            invoice = invoice.id,
            from = before.code(),
            to = invoice.status.code(),
            entries = booked.len(),
            "monobank report applied"
        );
    }
    Ok(applied)
}

/// The job: reads link `invoice_id`'s status and applies it; while it is still open, reads again.
pub async fn poll(core: &Core, job: &Job, invoice_id: i64) -> Outcome {
    let Some(mono) = core.monobank() else { return Outcome::Fail { error: "MONOBANK_TOKEN is not set".into() } };
    let inv = match core.store().invoice(invoice_id).await {
        Ok(i) => i,
        Err(e) => return crate::work::retry(job.attempts, e),
    };
    let Some(pid) = inv.provider_id.clone() else { return Outcome::done("skipped: link never made") };
    let s = match mono.status(&pid).await {
        Ok(s) => s,
        Err(e) if e.retryable() => return crate::work::retry(job.attempts, e),
        Err(e) => return Outcome::Fail { error: e.to_string() },
    };
    let applied = match apply_to(core, LinkRef::Id(inv.id), &s).await {
        Ok(a) => a,
        Err(e) => return crate::work::retry(job.attempts, e),
    };
    let now_status = match &applied {
        Applied::Changed { invoice, .. } | Applied::Stale(invoice) => invoice.status,
        Applied::Unknown => inv.status,
    };
    let expires_at = inv.expires_at.unwrap_or_else(Utc::now);
    let now = Utc::now();
    // Only the link's own chain of reads goes on (the hourly check's and a refund's read once).
    let own_chain = job.idempotency_key.starts_with("mono:status:") && !job.idempotency_key.contains(":refund:");
    if own_chain && now_status.is_open() && now < expires_at + GIVE_UP_AFTER {
        let next = poll_job(core, inv.id, expires_at.max(now + AFTER_EXPIRY * 9), now);
        return Outcome::Done { result: format!("still {}", now_status.code()), follow_ups: vec![next] };
    }
    Outcome::done(now_status.code())
}

/// The hourly job: a status read for every link still open after a quarter of an hour (Monobank
/// gives up a webhook after a few attempts; the read books what it missed).
pub async fn check_open(core: &Core, job: &Job) -> Outcome {
    let open = match core.store().open_invoices(Utc::now() - chrono::Duration::minutes(15)).await {
        Ok(list) => list,
        Err(e) => return crate::work::retry(job.attempts, e),
    };
    let reads: Vec<NewJob> = open
        .iter()
        .map(|inv| {
            JobSpec::MonobankStatus { invoice_id: inv.id }.job(Utc::now(), format!("mono:check:{}:{}", inv.id, job.id))
        })
        .collect();
    Outcome::Done { result: format!("{} open link(s) to read", reads.len()), follow_ups: reads }
}
