//! Refunds from the order's payment menu, full or partial, always through a confirmation step:
//! a Monobank payment is refunded through Monobank (`invoice/cancel` with our `extRef`, from a job;
//! the cash book and the order follow when Monobank reports the refund done, as for any report);
//! money taken in cash or at the terminal is given back by hand and written as a refund entry.
//!
//! Never more than was paid and not yet refunded (refunds under way count); the confirmation is a
//! dialog step the first tap consumes, so a double tap refunds once.

use super::{entry_error, fiscal, PayCb, PayDialog};
use crate::core::callback::CommonCb;
use crate::core::{dialog, Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::cash::{parse_amount, EntryKind, PayMethod};
use crate::domain::Money;
use crate::payments::monobank::CancelRequest;
use crate::store::cashbook::NewEntry;
use crate::store::jobs::Job;
use crate::work::{JobSpec, Outcome};
use chrono::Utc;

const MAX_ATTEMPTS: i64 = 6;

/// What an order's cash and terminal payments left to give back.
async fn cash_refundable(ctx: &Ctx<'_>, order: i64) -> CoreResult<Money> {
    let kop: i64 = ctx
        .store()
        .order_entries(order)
        .await?
        .iter()
        .filter(|e| e.invoice_id.is_none())
        .map(|e| match e.kind.as_str() {
            "income" => e.amount_kop,
            "refund" => -e.amount_kop,
            _ => 0,
        })
        .sum();
    Ok(Money::from_kopecks(kop.max(0)))
}

/// The order's refund menu: every Monobank payment with what can still be refunded, and cash.
pub async fn menu(ctx: &Ctx<'_>, order: i64) -> CoreResult {
    let o = ctx.store().order(order).await?;
    let mut rows = vec![];
    let mut text = ctx.t_args("pay-refund-title", &[("id", o.id.into()), ("paid", o.prepaid.to_string().into())]);
    for inv in ctx.store().order_invoices(order).await?.into_iter().filter(|i| i.status.was_paid()) {
        let left = ctx.store().refundable(inv.id).await?;
        text.push_str(&format!(
            "\n{}",
            ctx.t_args(
                "pay-refund-monobank-line",
                &[("amount", inv.amount().to_string().into()), ("left", left.to_string().into())]
            )
        ));
        if left > Money::ZERO {
            rows.push(vec![
                Button::new(
                    ctx.t_args("btn-pay-refund-full", &[("amount", left.to_string().into())]),
                    PayCb::RefundFull(inv.id),
                ),
                Button::new(ctx.t("btn-pay-refund-part"), PayCb::RefundPart(inv.id)),
            ]);
        }
    }
    let cash = cash_refundable(ctx, order).await?;
    if cash > Money::ZERO {
        text.push_str(&format!("\n{}", ctx.t_args("pay-refund-cash-line", &[("left", cash.to_string().into())])));
        rows.push(vec![Button::new(ctx.t("btn-pay-refund-cash"), PayCb::RefundCash(order))]);
    }
    if rows.is_empty() {
        text.push_str(&format!("\n\n{}", ctx.t("pay-refund-nothing")));
    }
    rows.push(vec![Button::new(ctx.t("btn-pay-menu"), PayCb::Menu(order))]);
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

/// Everything still refundable on a Monobank payment: straight to the confirmation.
pub async fn full(ctx: &Ctx<'_>, invoice: i64) -> CoreResult {
    let inv = ctx.store().invoice(invoice).await?;
    let left = ctx.store().refundable(invoice).await?;
    if left == Money::ZERO {
        return Err(CoreError::user("pay-refund-nothing"));
    }
    ask_confirm(ctx, inv.order_id, Some(invoice), left).await
}

pub async fn ask_part(ctx: &Ctx<'_>, invoice: i64) -> CoreResult {
    let inv = ctx.store().invoice(invoice).await?;
    let left = ctx.store().refundable(invoice).await?;
    let prompt = ctx.t_args("pay-refund-ask", &[("id", inv.order_id.into()), ("max", left.to_string().into())]);
    dialog::prompt(ctx, PayDialog::PayRefundAmount { order: inv.order_id, invoice: Some(invoice) }, prompt).await
}

pub async fn ask_cash(ctx: &Ctx<'_>, order: i64) -> CoreResult {
    let left = cash_refundable(ctx, order).await?;
    let prompt = ctx.t_args("pay-refund-ask", &[("id", order.into()), ("max", left.to_string().into())]);
    dialog::prompt(ctx, PayDialog::PayRefundAmount { order, invoice: None }, prompt).await
}

/// The amount typed for a partial refund: at most what is left.
pub async fn amount_step(ctx: &Ctx<'_>, order: i64, invoice: Option<i64>, text: &str) -> CoreResult {
    let amount = parse_amount(text).map_err(entry_error)?;
    ask_confirm(ctx, order, invoice, amount).await
}

async fn left(ctx: &Ctx<'_>, order: i64, invoice: Option<i64>) -> CoreResult<Money> {
    match invoice {
        Some(i) => Ok(ctx.store().refundable(i).await?),
        None => cash_refundable(ctx, order).await,
    }
}

async fn ask_confirm(ctx: &Ctx<'_>, order: i64, invoice: Option<i64>, amount: Money) -> CoreResult {
    let max = left(ctx, order, invoice).await?;
    if amount > max {
        return Err(CoreError::user_with("pay-err-refund-over", vec![("max", max.to_string().into())]));
    }
    dialog::set(ctx, PayDialog::PayRefundConfirm { order, invoice, kop: amount.kopecks() }).await?;
    let how = ctx.t(if invoice.is_some() { "pay-refund-via-monobank" } else { "pay-refund-via-cash" });
    let text = ctx.t_args(
        "pay-refund-confirm",
        &[("amount", amount.to_string().into()), ("id", order.into()), ("how", how.into())],
    );
    let rows = vec![vec![
        Button::new(ctx.t("btn-pay-refund-do"), PayCb::RefundDo(order)),
        Button::new(ctx.t("btn-cancel"), CommonCb::Cancel),
    ]];
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// "Yes, refund": only while the confirmation waits (the first tap takes it).
pub async fn confirm(ctx: &Ctx<'_>, order: i64) -> CoreResult {
    let Some(dialog::Dialog::Pay(PayDialog::PayRefundConfirm { order: o, invoice, kop })) =
        dialog::current(ctx).await?
    else {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    };
    if o != order {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    dialog::clear(ctx).await?;
    let amount = Money::from_kopecks(kop);
    match invoice {
        Some(inv) => {
            let ext_ref = crate::store::cashbook::new_uuid().replace('-', "");
            let made = ctx
                .store()
                .create_refund(inv, amount, &ext_ref, &ctx.actor_key, |rid| {
                    vec![JobSpec::MonobankRefund { refund_id: rid }.job(Utc::now(), format!("mono:refund:{rid}"))]
                })
                .await?;
            if made.is_none() {
                let max = ctx.store().refundable(inv).await?;
                return Err(CoreError::user_with("pay-err-refund-over", vec![("max", max.to_string().into())]));
            }
            tracing::info!(order, invoice = inv, amount = kop, "refund asked for");
            let text = ctx.t_args("pay-refund-asked", &[("amount", amount.to_string().into()), ("id", order.into())]);
            Ok(Output::one(
                Reply::text(text).with_buttons(vec![vec![Button::new(ctx.t("btn-pay-menu"), PayCb::Menu(order))]]),
            ))
        }
        None => {
            let max = cash_refundable(ctx, order).await?;
            if amount > max {
                return Err(CoreError::user_with("pay-err-refund-over", vec![("max", max.to_string().into())]));
            }
            let mut e = NewEntry::new(EntryKind::Refund, PayMethod::Cash, amount, super::today(ctx));
            e.order_id = Some(order);
            e.actor = Some(ctx.actor_key.clone());
            e.fiscal = fiscal::mode(ctx.core);
            e.timeline = Some(ctx.t_args(
                "pay-timeline-refund",
                &[
                    ("id", order.into()),
                    ("amount", amount.to_string().into()),
                    ("method", ctx.t(PayMethod::Cash.label_key()).into()),
                ],
            ));
            if ctx.store().record_entry(&e, fiscal::receipt_jobs).await?.is_none() {
                // Another owner gave it back meanwhile.
                let max = cash_refundable(ctx, order).await?;
                return Err(CoreError::user_with("pay-err-refund-over", vec![("max", max.to_string().into())]));
            }
            tracing::info!(order, amount = kop, "cash refund recorded");
            let header = ctx.t_args("pay-refund-done-cash", &[("amount", amount.to_string().into())]);
            super::menu(ctx, order, Some(header)).await
        }
    }
}

/// The job: asks Monobank for the refund. A retry first looks for our `extRef` in the link's
/// refunds, so a call whose answer was lost is not made twice.
pub async fn run(core: &Core, job: &Job, refund_id: i64) -> Outcome {
    let Some(mono) = core.monobank() else { return Outcome::Fail { error: "MONOBANK_TOKEN is not set".into() } };
    let store = core.store();
    let (r, inv) = match store.refund(refund_id).await {
        Ok(r) if r.status != "requested" => return Outcome::done(format!("skipped: {}", r.status)),
        Ok(r) => match store.invoice(r.invoice_id).await {
            Ok(inv) => (r, inv),
            Err(e) => return crate::work::retry(job.attempts, e),
        },
        Err(e) => return crate::work::retry(job.attempts, e),
    };
    let Some(pid) = inv.provider_id.clone() else { return Outcome::Fail { error: "link never made".into() } };
    let read_status = || {
        JobSpec::MonobankStatus { invoice_id: inv.id }
            .job(Utc::now() + chrono::Duration::seconds(3), format!("mono:status:{}:refund:{refund_id}", inv.id))
    };
    if job.attempts > 1 || job.reclaims > 0 {
        if let Ok(s) = mono.status(&pid).await {
            if let Some(c) = s.cancel_list.iter().flatten().find(|c| c.ext_ref.as_deref() == Some(&r.ext_ref)) {
                let _ = store.set_refund_status(refund_id, &c.status, None).await;
                return Outcome::Done { result: format!("found: {}", c.status), follow_ups: vec![read_status()] };
            }
        }
    }
    // The whole payment is a full refund (no amount); anything less, a partial one.
    let amount = (r.amount_kop != inv.amount_kop).then_some(r.amount_kop);
    match mono.cancel(&CancelRequest { invoice_id: pid, ext_ref: r.ext_ref.clone(), amount }).await {
        Ok(answer) => {
            if let Err(e) = store.set_refund_status(refund_id, &answer.status, None).await {
                return crate::work::retry(job.attempts, e);
            }
            let mut follow = vec![read_status()];
            if answer.status == "failure" {
                follow.push(refund_failed(inv.id, refund_id, None));
            }
            Outcome::Done { result: answer.status, follow_ups: follow }
        }
        Err(e) if e.retryable() && job.attempts < MAX_ATTEMPTS => crate::work::retry(job.attempts, e),
        Err(e) => {
            let reason = match &e {
                crate::payments::monobank::ApiError::Http { status, code, text } => format!("{status} {code} {text}"),
                other => other.to_string(),
            };
            if let Err(e) = store.set_refund_status(refund_id, "failure", Some(reason.trim())).await {
                return crate::work::retry(job.attempts, e);
            }
            Outcome::Done {
                result: format!("refused: {reason}"),
                follow_ups: vec![refund_failed(inv.id, refund_id, Some(reason))],
            }
        }
    }
}

fn refund_failed(invoice: i64, refund: i64, detail: Option<String>) -> crate::work::NewJob {
    JobSpec::PaymentNotice { invoice_id: invoice, event: "refund_failed".into(), entry_id: None, detail }
        .job(Utc::now(), format!("paynote:refund:{refund}:failed"))
}
