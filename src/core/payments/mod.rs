//! Payments and the cash book (issue 14): the order's payment menu (a Monobank link for what is
//! due or the 50 % prepayment, cash or card-terminal money taken, refunds), `/pay <order>`,
//! `/income`, `/expense`, `/finance` and the receipts still owed.
//!
//! Layout: this file has the buttons (`PayCb`), the typed steps (`PayDialog`) and the menu;
//! `record` writes what the owner took or spent; `link` makes a Monobank link (through the jobs
//! table) and sends it; `status` applies what Monobank reports (webhook or status call) in one
//! transaction; `refund` takes money back with a confirmation; `notices` tells the owner and the
//! client; `finance` sums a period and exports the book; `fiscal` issues receipts through Checkbox.

pub mod finance;
pub mod fiscal;
pub mod link;
pub mod notices;
pub mod record;
pub mod refund;
pub mod status;

use super::callback::callbacks;
use super::{dialog, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::card::status_label;
use crate::core::orders::OrderCb;
use crate::domain::cash::PayMethod;
use crate::domain::period::Preset;
use crate::domain::{Money, OrderStatus};
use crate::store::orders::Order;
use serde::{Deserialize, Serialize};

crate::core::callback::coded_field!(PayMethod, Preset);

callbacks! {
    /// Buttons of payments and the cash book.
    pub enum PayCb {
        /// The order's payment menu.
        Menu(order: i64) => "ym",
        /// A Monobank link for everything still due, or for the 50 % prepayment.
        LinkFull(order: i64) => "ylf",
        LinkPrepay(order: i64) => "ylp",
        /// Money taken in cash or at the terminal: asks how much.
        Take(order: i64, method: PayMethod) => "yt",
        /// ... everything still due, one tap (consumes the amount step: a double tap books once).
        TakeDue(order: i64, method: PayMethod) => "ytd" keeps_dialog,
        /// Takes back an entry just typed (a typo).
        Undo(entry: i64) => "yu",
        /// The order's refunds: what can be given back and how.
        Refund(order: i64) => "yr",
        RefundFull(invoice: i64) => "yrf",
        RefundPart(invoice: i64) => "yrp",
        RefundCash(order: i64) => "yrc",
        /// The confirmation of the refund waiting in the dialog.
        RefundDo(order: i64) => "yrd" keeps_dialog,
        Finance(preset: Preset) => "yf",
        /// The cash book of days `from..=to` (YYYYMMDD) as a workbook.
        Export(from: u32, to: u32) => "yx",
        /// Payments still owing a fiscal receipt, and "issued" for one of them.
        Owed => "yo",
        ReceiptDone(entry: i64) => "yok",
    }
}

/// The typed steps of payments (stored as `{"step":"pay_amount","order":3,"method":"cash"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum PayDialog {
    PayAmount { order: i64, method: String },
    PayRefundAmount { order: i64, invoice: Option<i64> },
    PayRefundConfirm { order: i64, invoice: Option<i64>, kop: i64 },
}

pub async fn on_button(ctx: &Ctx<'_>, cb: PayCb) -> CoreResult {
    match cb {
        PayCb::Menu(order) => menu(ctx, order, None).await,
        PayCb::LinkFull(order) => link::ask(ctx, order, link::Purpose::Full).await,
        PayCb::LinkPrepay(order) => link::ask(ctx, order, link::Purpose::Prepay).await,
        PayCb::Take(order, method) => record::take(ctx, order, method).await,
        PayCb::TakeDue(order, method) => record::take_due(ctx, order, method).await,
        PayCb::Undo(entry) => record::undo(ctx, entry).await,
        PayCb::Refund(order) => refund::menu(ctx, order).await,
        PayCb::RefundFull(invoice) => refund::full(ctx, invoice).await,
        PayCb::RefundPart(invoice) => refund::ask_part(ctx, invoice).await,
        PayCb::RefundCash(order) => refund::ask_cash(ctx, order).await,
        PayCb::RefundDo(order) => refund::confirm(ctx, order).await,
        PayCb::Finance(p) => finance::show(ctx, p.period(today(ctx))).await,
        PayCb::Export(from, to) => finance::export(ctx, from, to).await,
        PayCb::Owed => finance::owed(ctx).await,
        PayCb::ReceiptDone(entry) => finance::receipt_done(ctx, entry).await,
    }
}

/// The owner typed `text` while step `d` was waiting for it.
pub async fn answer(ctx: &Ctx<'_>, d: PayDialog, text: &str) -> CoreResult {
    match d {
        PayDialog::PayAmount { order, method } => {
            let method = PayMethod::from_code(&method).unwrap_or(PayMethod::Cash);
            record::amount_step(ctx, order, method, text).await
        }
        PayDialog::PayRefundAmount { order, invoice } => refund::amount_step(ctx, order, invoice, text).await,
        PayDialog::PayRefundConfirm { order, .. } => {
            dialog::clear(ctx).await?;
            menu(ctx, order, None).await
        }
    }
}

/// Today in the business time zone.
pub fn today(ctx: &Ctx<'_>) -> chrono::NaiveDate {
    crate::store::now().with_timezone(&ctx.tz()).date_naive()
}

/// What is still due on an order (never below zero).
pub fn due(o: &Order) -> Money {
    o.price.checked_sub(o.prepaid).unwrap_or(Money::ZERO)
}

/// The refusal of a cash-book value, with what was expected.
pub fn entry_error(e: crate::domain::cash::EntryError) -> CoreError {
    use crate::domain::cash::{EntryError as E, MAX_ENTRY};
    match e {
        E::NoAmount | E::Amount => CoreError::user("pay-err-amount"),
        E::NotPositive => CoreError::user("pay-err-not-positive"),
        E::Absurd => CoreError::user_with("pay-err-absurd", vec![("max", MAX_ENTRY.to_string().into())]),
        E::BadDate => CoreError::user("pay-err-date"),
        E::FutureDate => CoreError::user("pay-err-future"),
        E::NoCategory => CoreError::user("pay-err-category"),
        E::TooLong => CoreError::user("pay-err-too-long"),
    }
}

/// The line the order card shows about payments, when there is anything to say.
pub fn card_line(ctx: &Ctx<'_>, o: &Order) -> Option<String> {
    if o.price > Money::ZERO && o.prepaid >= o.price {
        return Some(ctx.t("pay-card-paid"));
    }
    None
}

/// The order card's payment button.
pub fn card_rows(ctx: &Ctx<'_>, o: &Order) -> Vec<Vec<Button>> {
    if o.status == OrderStatus::Cancelled && o.prepaid == Money::ZERO {
        return vec![];
    }
    vec![vec![Button::new(ctx.t("btn-pay-menu"), PayCb::Menu(o.id))]]
}

/// The order's payment menu: what is paid and due, the payments so far, open links, and one
/// tap each for a Monobank link, money taken in cash or at the terminal, and a refund.
pub async fn menu(ctx: &Ctx<'_>, order: i64, header: Option<String>) -> CoreResult {
    let o = ctx.store().order(order).await?;
    let mut t = header.map(|h| format!("{h}\n\n")).unwrap_or_default();
    t.push_str(&ctx.t_args(
        "pay-menu-title",
        &[("id", o.id.into()), ("product", o.product.as_str().into()), ("client", o.client_name.as_str().into())],
    ));
    t.push('\n');
    t.push_str(&ctx.t_args(
        "pay-menu-sums",
        &[
            ("price", o.price.to_string().into()),
            ("paid", o.prepaid.to_string().into()),
            ("due", due(&o).to_string().into()),
        ],
    ));
    t.push_str(&format!("\n{}: {}", ctx.t("order-status"), status_label(ctx, o.status)));
    let entries = ctx.store().order_entries(o.id).await?;
    for e in entries.iter().rev().take(10).rev() {
        t.push('\n');
        t.push_str(&record::entry_line(ctx, e));
    }
    for inv in ctx.store().order_invoices(o.id).await?.iter().filter(|i| i.status.is_open()) {
        t.push('\n');
        t.push_str(&link::open_line(ctx, inv));
    }
    let mut rows = vec![];
    let payable = o.status != OrderStatus::Cancelled && due(&o) > Money::ZERO;
    if payable {
        if ctx.core.config().payments.monobank.is_some() {
            let mut row = vec![Button::new(
                ctx.t_args("btn-pay-link-full", &[("amount", due(&o).to_string().into())]),
                PayCb::LinkFull(o.id),
            )];
            if let Some(half) = link::prepay_amount(&o) {
                row.push(Button::new(
                    ctx.t_args("btn-pay-link-prepay", &[("amount", half.to_string().into())]),
                    PayCb::LinkPrepay(o.id),
                ));
            }
            rows.push(row);
        } else {
            t.push_str(&format!("\n\n{}", ctx.t("pay-monobank-off")));
        }
        rows.push(vec![
            Button::new(ctx.t("btn-pay-cash"), PayCb::Take(o.id, PayMethod::Cash)),
            Button::new(ctx.t("btn-pay-terminal"), PayCb::Take(o.id, PayMethod::Terminal)),
        ]);
    } else if o.status == OrderStatus::Cancelled {
        t.push_str(&format!("\n\n{}", ctx.t("pay-order-cancelled")));
    }
    if o.prepaid > Money::ZERO {
        rows.push(vec![Button::new(ctx.t("btn-pay-refund"), PayCb::Refund(o.id))]);
    }
    rows.push(vec![Button::new(ctx.t_args("btn-pay-order", &[("id", o.id.into())]), OrderCb::Show(o.id))]);
    Ok(Output::one(Reply::text(t).with_buttons(rows).editing(ctx.from_button)))
}

/// `/pay <order>`: the payment menu; `/pay <order> 50%` or `/pay <order> full` makes that link
/// right away.
pub async fn pay_command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let mut words = args.split_whitespace();
    let Some(first) = words.next() else { return Ok(Output::one(Reply::text(ctx.t("pay-usage")))) };
    let order: i64 = first
        .trim_start_matches(['#', '№'])
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| CoreError::user("pay-usage"))?;
    if let Err(crate::store::StorageError::NotFound) = ctx.store().order(order).await {
        return Err(CoreError::user_with("order-not-found", vec![("id", order.into())]));
    }
    match words.next().map(str::to_lowercase).as_deref() {
        None => menu(ctx, order, None).await,
        Some("50%" | "50" | "половина" | "передоплата" | "prepay" | "prepayment" | "half") => {
            link::ask(ctx, order, link::Purpose::Prepay).await
        }
        Some("full" | "все" | "всю" | "повна" | "повністю" | "решта" | "rest" | "100%") => {
            link::ask(ctx, order, link::Purpose::Full).await
        }
        Some(_) => Err(CoreError::user("pay-usage")),
    }
}
