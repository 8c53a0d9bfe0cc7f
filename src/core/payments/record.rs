//! What the owner writes in the cash book herself: money taken for an order in cash or at the
//! card terminal (from the payment menu, or `/income 17 1300 термінал вчора` in one message),
//! and expenses (`/expense 350 матеріали EVA`). Each entry can be taken back right after (a typo)
//! while no receipt has been issued for it. Money that pays an order in full may earn a referrer
//! her credit (`attribution::referral::on_paid`, also called by `status.rs` for Monobank).
//!
//! Refused with the reason, never guessed: an amount that is not a number, zero or less, absurd,
//! more than the order still owes; a day that does not exist or is still ahead; an order that is
//! cancelled or not there.

use super::{due, entry_error, today, PayCb, PayDialog};
use crate::core::orders::OrderCb;
use crate::core::{dialog, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::cash::{parse_amount, EntryKind, ExpenseLine, IncomeLine, PayMethod};
use crate::domain::{Money, OrderStatus};
use crate::store::cashbook::{Entry, NewEntry};
use crate::store::orders::Order;

/// "Money taken" on the menu: asks how much, with everything still due as one tap.
pub async fn take(ctx: &Ctx<'_>, order: i64, method: PayMethod) -> CoreResult {
    let o = payable(ctx, order).await?;
    dialog::set(ctx, PayDialog::PayAmount { order, method: method.code().into() }).await?;
    let text = ctx.t_args(
        "pay-ask-amount",
        &[("id", o.id.into()), ("method", ctx.t(method.label_key()).into()), ("due", due(&o).to_string().into())],
    );
    let rows = vec![
        vec![Button::new(
            ctx.t_args("btn-pay-all-due", &[("amount", due(&o).to_string().into())]),
            PayCb::TakeDue(order, method),
        )],
        vec![Button::new(ctx.t("btn-cancel"), crate::core::callback::CommonCb::Cancel)],
    ];
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// The due amount in one tap, only while the amount step still waits (a double tap books once).
pub async fn take_due(ctx: &Ctx<'_>, order: i64, method: PayMethod) -> CoreResult {
    let waiting = dialog::Dialog::Pay(PayDialog::PayAmount { order, method: method.code().into() });
    if dialog::current(ctx).await?.as_ref() != Some(&waiting) {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    dialog::clear(ctx).await?;
    let o = payable(ctx, order).await?;
    book_income(ctx, &o, method, due(&o), today(ctx), None).await
}

/// The amount typed for money taken.
pub async fn amount_step(ctx: &Ctx<'_>, order: i64, method: PayMethod, text: &str) -> CoreResult {
    let amount = parse_amount(text).map_err(entry_error)?;
    let o = payable(ctx, order).await?;
    let out = book_income(ctx, &o, method, amount, today(ctx), None).await?;
    dialog::clear(ctx).await?;
    Ok(out)
}

/// `/income 17 1300 термінал вчора`.
pub async fn income_command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let Some(line) = IncomeLine::parse(args, today(ctx)) else {
        return Ok(Output::one(Reply::text(ctx.t("pay-income-usage"))));
    };
    let line = line.map_err(entry_error)?;
    let o = payable(ctx, line.order).await?;
    book_income(ctx, &o, line.method, line.amount, line.day, line.note).await
}

/// The order, when money can be taken for it.
async fn payable(ctx: &Ctx<'_>, id: i64) -> CoreResult<Order> {
    let o = match ctx.store().order(id).await {
        Ok(o) => o,
        Err(crate::store::StorageError::NotFound) => {
            return Err(CoreError::user_with("order-not-found", vec![("id", id.into())]))
        }
        Err(e) => return Err(e.into()),
    };
    if o.status == OrderStatus::Cancelled {
        return Err(CoreError::user_with("pay-err-cancelled", vec![("id", id.into())]));
    }
    if due(&o) == Money::ZERO {
        return Err(CoreError::user_with("pay-err-paid", vec![("id", id.into())]));
    }
    Ok(o)
}

async fn book_income(
    ctx: &Ctx<'_>,
    o: &Order,
    method: PayMethod,
    amount: Money,
    day: chrono::NaiveDate,
    note: Option<String>,
) -> CoreResult {
    if amount > due(o) {
        return Err(CoreError::user_with("pay-err-over-due", vec![("due", due(o).to_string().into())]));
    }
    let mut e = NewEntry::new(EntryKind::Income, method, amount, day);
    e.order_id = Some(o.id);
    e.note = note;
    e.actor = Some(ctx.actor_key.clone());
    e.fiscal = super::fiscal::mode(ctx.core);
    e.timeline = Some(ctx.t_args(
        "pay-timeline-income",
        &[("id", o.id.into()), ("amount", amount.to_string().into()), ("method", ctx.t(method.label_key()).into())],
    ));
    let Some(booked) = ctx.store().record_entry(&e, super::fiscal::receipt_jobs).await? else {
        // Another owner took money for it meanwhile.
        let now = ctx.store().order(o.id).await?;
        return Err(CoreError::user_with("pay-err-over-due", vec![("due", due(&now).to_string().into())]));
    };
    tracing::info!(order = o.id, entry = booked.entry_id, method = method.code(), "payment recorded");
    crate::core::attribution::referral::on_paid(ctx.core, o.id).await?;
    let mut header = ctx.t_args(
        "pay-recorded",
        &[("amount", amount.to_string().into()), ("method", ctx.t(method.label_key()).into()), ("id", o.id.into())],
    );
    // Paid in full another way while a Monobank link is still open: she could pay it too.
    let now = ctx.store().order(o.id).await?;
    let open = ctx.store().order_invoices(o.id).await?.iter().filter(|i| i.status.is_open()).count();
    if due(&now) == Money::ZERO && open > 0 {
        header.push('\n');
        header.push_str(&ctx.t_args("pay-open-links-after-paid", &[("count", (open as i64).into())]));
    }
    let mut reply = super::menu(ctx, o.id, Some(header)).await?;
    if let Some(r) = reply.replies.first_mut() {
        r.edit = false;
        r.buttons.insert(0, vec![Button::new(ctx.t("btn-pay-undo"), PayCb::Undo(booked.entry_id))]);
    }
    Ok(reply)
}

/// `/expense 350 матеріали EVA [вчора]`.
pub async fn expense_command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    if args.trim().is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("pay-expense-usage"))));
    }
    let line = ExpenseLine::parse(args, today(ctx)).map_err(entry_error)?;
    let mut e = NewEntry::new(EntryKind::Expense, PayMethod::Cash, line.amount, line.day);
    e.category = line.category.clone();
    e.note = line.note.clone();
    e.actor = Some(ctx.actor_key.clone());
    let booked = ctx
        .store()
        .record_entry(&e, |_| vec![])
        .await?
        .ok_or_else(|| anyhow::anyhow!("a typed entry has no external reference to repeat"))?;
    tracing::info!(entry = booked.entry_id, "expense recorded");
    let text = ctx.t_args(
        "pay-expense-recorded",
        &[
            ("amount", line.amount.to_string().into()),
            ("category", line.category.into()),
            ("note", line.note.unwrap_or_default().into()),
            ("day", line.day.format("%d.%m.%Y").to_string().into()),
        ],
    );
    let rows = vec![vec![Button::new(ctx.t("btn-pay-undo"), PayCb::Undo(booked.entry_id))]];
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// Takes back an entry typed by mistake.
pub async fn undo(ctx: &Ctx<'_>, entry: i64) -> CoreResult {
    let e = match ctx.store().entry(entry).await {
        Ok(e) => e,
        Err(crate::store::StorageError::NotFound) => return Ok(Output::default().toast(ctx.t("pay-undo-gone"))),
        Err(e) => return Err(e.into()),
    };
    if !ctx.store().delete_entry(entry).await? {
        return Err(CoreError::user("pay-undo-refused"));
    }
    tracing::info!(entry, "cash book entry taken back");
    let text = ctx.t_args("pay-undone", &[("line", entry_line(ctx, &e).into())]);
    let rows = match e.order_id {
        Some(o) => vec![vec![Button::new(ctx.t_args("btn-pay-order", &[("id", o.into())]), OrderCb::Show(o))]],
        None => vec![],
    };
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

/// One entry as a line: `25.11 💵 +500,00 грн · готівка 🧾`.
pub fn entry_line(ctx: &Ctx<'_>, e: &Entry) -> String {
    let (sign, icon) = match EntryKind::from_code(&e.kind) {
        Some(EntryKind::Income) => ("+", "💵"),
        Some(EntryKind::Refund) => ("−", "↩️"),
        _ => ("−", "🧾"),
    };
    let method = PayMethod::from_code(&e.method).map(|m| ctx.t(m.label_key())).unwrap_or_else(|| e.method.clone());
    let what = if e.kind == EntryKind::Expense.code() { e.category.clone() } else { method };
    let mut line = format!("{} {icon} {sign}{} · {what}", e.day.format("%d.%m"), Money::from_kopecks(e.amount_kop));
    if let Some(n) = e.note.as_deref().filter(|n| !n.is_empty()) {
        line.push_str(&format!(" · {}", crate::domain::text::ellipsize(n, 40)));
    }
    match e.receipt.as_str() {
        "needed" | "failed" => line.push_str(&format!(" · {}", ctx.t("pay-receipt-owed"))),
        "done" | "manual" => line.push_str(" · 🧾✅"),
        _ => {}
    }
    line
}
