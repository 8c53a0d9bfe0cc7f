//! A Monobank payment link for an order: what is still due, or the 50 % prepayment. The owner's
//! tap writes the link as `creating` with a job (a double tap finds it and makes none); the job
//! asks Monobank (retrying 429, 5xx and network failures through the jobs table), stores the link,
//! sends it to the client through her channel and to the owner, and schedules the status read
//! after the link's validity (an expired link sends no webhook). Without `PUBLIC_URL` Monobank
//! cannot call us: the status is then read every few minutes while the link is open.

use super::{due, notices, PayCb};
use crate::core::orders::OrderCb;
use crate::core::{Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::{Money, OrderStatus};
use crate::i18n::{Lang, Tr};
use crate::payments::monobank::{BasketItem, InvoiceRequest, PaymInfo};
use crate::store::invoices::{Invoice, NewInvoice};
use crate::store::jobs::Job;
use crate::store::orders::Order;
use crate::work::{JobSpec, NewJob, Outcome};
use chrono::Utc;

/// Attempts at making a link before the owner is told it could not be made.
const MAX_ATTEMPTS: i64 = 6;
/// Between status reads while a link is open and Monobank cannot call us.
pub const POLL_WITHOUT_WEBHOOK: chrono::Duration = chrono::Duration::minutes(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Full,
    Prepay,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Full => "full",
            Purpose::Prepay => "prepay",
        }
    }
}

/// Half the price (rounded up to a kopeck) while nothing is paid yet.
pub fn prepay_amount(o: &Order) -> Option<Money> {
    (o.prepaid == Money::ZERO && o.price > Money::ZERO)
        .then(|| Money::from_kopecks((o.price.kopecks() + 1) / 2))
        .filter(|half| *half < o.price)
}

/// One open link as a line of the payment menu.
pub fn open_line(ctx: &Ctx<'_>, inv: &Invoice) -> String {
    let until = inv
        .expires_at
        .map(|t| t.with_timezone(&ctx.tz()).format("%d.%m %H:%M").to_string())
        .unwrap_or_else(|| "…".into());
    ctx.t_args(
        "pay-open-link",
        &[
            ("amount", inv.amount().to_string().into()),
            ("url", inv.page_url.clone().unwrap_or_default().into()),
            ("until", until.into()),
        ],
    )
}

/// The owner asked for a link (menu button or `/pay 17 50%`).
pub async fn ask(ctx: &Ctx<'_>, order: i64, purpose: Purpose) -> CoreResult {
    let Some(mono) = ctx.core.monobank() else { return Err(CoreError::user("pay-monobank-off")) };
    let o = ctx.store().order(order).await?;
    if o.status == OrderStatus::Cancelled {
        return Err(CoreError::user_with("pay-err-cancelled", vec![("id", order.into())]));
    }
    if due(&o) == Money::ZERO {
        return Err(CoreError::user_with("pay-err-paid", vec![("id", order.into())]));
    }
    let amount = match purpose {
        Purpose::Full => due(&o),
        Purpose::Prepay => prepay_amount(&o).ok_or_else(|| CoreError::user("pay-err-prepay"))?,
    };
    crate::domain::cash::check_amount(amount).map_err(super::entry_error)?;
    let validity = mono.config().validity.num_seconds();
    let made = ctx
        .store()
        .create_invoice(order, amount, purpose.code(), validity, &ctx.actor_key, |id| {
            vec![JobSpec::MonobankInvoice { invoice_id: id }.job(Utc::now(), format!("mono:create:{id}"))]
        })
        .await?;
    let back = vec![vec![
        Button::new(ctx.t("btn-pay-menu"), PayCb::Menu(order)),
        Button::new(ctx.t_args("btn-pay-order", &[("id", order.into())]), OrderCb::Show(order)),
    ]];
    let text = match made {
        NewInvoice::Created(inv) => {
            tracing::info!(order, invoice = inv.id, amount = amount.kopecks(), "payment link asked for");
            ctx.t_args("pay-link-making", &[("amount", amount.to_string().into()), ("id", order.into())])
        }
        NewInvoice::Existing(inv) => ctx.t_args("pay-link-exists", &[("line", open_line(ctx, &inv).into())]),
    };
    Ok(Output::one(Reply::text(text).with_buttons(back)))
}

/// The request for link `inv` of order `o`: the amount, the order's reference and a basket of
/// one line (its product, or the prepayment for it) that sums to the amount.
pub fn request(core: &Core, inv: &Invoice, o: &Order) -> InvoiceRequest {
    let tr = Tr { i18n: core.i18n(), lang: Lang::Uk };
    let name = if inv.purpose == Purpose::Prepay.code() {
        tr.t_args("pay-basket-prepay", &[("product", o.product.as_str().into())])
    } else {
        o.product.clone()
    };
    let destination = tr.t_args("pay-destination", &[("id", o.id.into()), ("product", o.product.as_str().into())]);
    InvoiceRequest {
        amount: inv.amount_kop,
        ccy: 980,
        merchant_paym_info: PaymInfo {
            reference: format!("order-{}-{}", o.id, inv.id),
            destination: crate::domain::text::ellipsize(&destination, 280),
            basket_order: vec![BasketItem {
                name: crate::domain::text::ellipsize(&name, 128),
                qty: 1,
                sum: inv.amount_kop,
                total: inv.amount_kop,
                code: format!("order-{}", o.id),
                unit: "шт.".into(),
            }],
        },
        web_hook_url: core.config().public_url.as_ref().map(|u| format!("{u}/webhooks/monobank")),
        validity: inv.validity_s,
        payment_type: "debit",
    }
}

/// The job: asks Monobank for the link, then sends it.
pub async fn make(core: &Core, job: &Job, invoice_id: i64) -> Outcome {
    let Some(mono) = core.monobank() else { return Outcome::Fail { error: "MONOBANK_TOKEN is not set".into() } };
    let store = core.store();
    let (inv, o) = match store.invoice(invoice_id).await {
        Ok(inv) if inv.status.code() != "creating" => return Outcome::done("skipped: link already made"),
        Ok(inv) => match store.order(inv.order_id).await {
            Ok(o) => (inv, o),
            Err(e) => return crate::work::retry(job.attempts, e),
        },
        Err(e) => return crate::work::retry(job.attempts, e),
    };
    match mono.create_invoice(&request(core, &inv, &o)).await {
        Ok(created) => {
            let expires_at = Utc::now() + chrono::Duration::seconds(inv.validity_s);
            let jobs = sends(core, &o, &inv, &created.page_url, expires_at).await;
            match store.invoice_made(inv.id, &created.invoice_id, &created.page_url, expires_at, jobs).await {
                Ok(_) => Outcome::done(serde_json::json!({ "invoiceId": created.invoice_id }).to_string()),
                Err(e) => crate::work::retry(job.attempts, e),
            }
        }
        Err(e) if e.retryable() && job.attempts < MAX_ATTEMPTS => crate::work::retry(job.attempts, e),
        Err(e) => {
            tracing::warn!(invoice = inv.id, error = %e, "monobank: link not made");
            let reason = match &e {
                crate::payments::monobank::ApiError::Http { status, code, text } => format!("{status} {code} {text}"),
                other => other.to_string(),
            };
            if let Err(e) = store.invoice_not_made(inv.id, reason.trim()).await {
                return crate::work::retry(job.attempts, e);
            }
            let notice =
                JobSpec::PaymentNotice { invoice_id: inv.id, event: "not_made".into(), entry_id: None, detail: None }
                    .job(Utc::now(), format!("paynote:{}:not_made", inv.id));
            Outcome::Done { result: format!("refused: {reason}"), follow_ups: vec![notice] }
        }
    }
}

/// What follows a link made: to the client, to the owner, and the status read after it expires.
async fn sends(core: &Core, o: &Order, inv: &Invoice, url: &str, expires_at: chrono::DateTime<Utc>) -> Vec<NewJob> {
    let key = format!("paylink:{}", inv.id);
    let until = |tr: &Tr<'_>| {
        let _ = tr;
        expires_at.with_timezone(&core.config().tz).format("%d.%m %H:%M").to_string()
    };
    let args = |tr: &Tr<'_>| -> Vec<(&'static str, crate::i18n::Arg)> {
        vec![
            ("id", o.id.into()),
            ("product", o.product.as_str().into()),
            ("amount", inv.amount().to_string().into()),
            ("url", url.into()),
            ("until", until(tr).into()),
            ("client", o.client_name.as_str().into()),
        ]
    };
    let mut jobs = vec![];
    let channel = match core.store().client(o.client_id).await {
        Ok(c) => {
            let (sent, channel) =
                notices::to_client(core, &format!("{key}:client"), &c, |tr| tr.t_args("pay-client-link", &args(tr)))
                    .await;
            jobs.extend(sent);
            channel
        }
        Err(e) => {
            tracing::warn!(error = %e, "payment link: the order's client is not readable");
            None
        }
    };
    jobs.extend(
        crate::core::booking::to_owners(core, &format!("{key}:owner"), |tr| {
            let mut a = args(tr);
            a.push(("sent", tr.t(notices::channel_key(channel)).into()));
            let rows = vec![vec![(tr.t_args("btn-pay-order", &[("id", o.id.into())]), OrderCb::Show(o.id).encode())]];
            (tr.t_args("pay-owner-link", &a), rows)
        })
        .await,
    );
    jobs.push(super::status::poll_job(core, inv.id, expires_at, Utc::now()));
    jobs
}
