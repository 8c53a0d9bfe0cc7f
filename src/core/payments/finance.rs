//! `/finance [today|week|month|01.11-15.11]`: income by method, refunds, expenses by category,
//! Monobank's fees, profit, and what the orders hold and owe (prepayments on open orders, issued
//! orders not paid in full, links still open), for calendar days in the business time zone; the
//! same days of the cash book as a workbook; the payments still owing a fiscal receipt.

use super::{entry_error, PayCb};
use crate::core::{Attachment, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::cash::{EntryKind, PayMethod};
use crate::domain::period::{Period, PeriodError, Preset};
use crate::domain::Money;

/// `YYYYMMDD` of a day (the export button's fields).
fn ymd(d: chrono::NaiveDate) -> u32 {
    crate::core::booking::date_code(d)
}

pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let period = Period::parse(args, super::today(ctx)).map_err(|e| match e {
        PeriodError::Unknown => CoreError::user("pay-finance-usage"),
        PeriodError::Date(e) => entry_error(e),
        PeriodError::Reversed => CoreError::user("pay-err-period-reversed"),
        PeriodError::Future => CoreError::user("pay-err-future"),
    })?;
    show(ctx, period).await
}

/// The summary of `p`.
pub async fn show(ctx: &Ctx<'_>, p: Period) -> CoreResult {
    let store = ctx.store();
    let totals = store.cash_totals(p.from, p.to).await?;
    let money = store.order_money().await?;
    let owed = store.receipts_owed_count().await?;
    let kind_of = |t: &crate::store::cash_reports::Total| EntryKind::from_code(&t.kind);
    let sum = |k: EntryKind| -> i64 { totals.iter().filter(|t| kind_of(t) == Some(k)).map(|t| t.amount_kop).sum() };
    let (income, refunds, expenses) = (sum(EntryKind::Income), sum(EntryKind::Refund), sum(EntryKind::Expense));
    let fees: i64 = totals.iter().map(|t| t.fee_kop).sum();
    let m = |k: i64| Money::from_kopecks(k).to_string();
    let mut t = ctx.t_args(
        "pay-finance-title",
        &[("from", p.from.format("%d.%m.%Y").to_string().into()), ("to", p.to.format("%d.%m.%Y").to_string().into())],
    );
    t.push_str(&format!("\n\n{}", ctx.t_args("pay-finance-income", &[("amount", m(income).into())])));
    for method in PayMethod::ALL {
        let (kop, n): (i64, i64) = totals
            .iter()
            .filter(|t| kind_of(t) == Some(EntryKind::Income) && t.method == method.code())
            .fold((0, 0), |(a, n), t| (a + t.amount_kop, n + t.entries));
        if n > 0 {
            t.push_str(&format!(
                "\n  {}",
                ctx.t_args(
                    "pay-finance-line",
                    &[("what", ctx.t(method.label_key()).into()), ("amount", m(kop).into()), ("count", n.into())]
                )
            ));
        }
    }
    if refunds > 0 {
        t.push_str(&format!("\n{}", ctx.t_args("pay-finance-refunds", &[("amount", m(refunds).into())])));
    }
    t.push_str(&format!("\n{}", ctx.t_args("pay-finance-expenses", &[("amount", m(expenses).into())])));
    for e in totals.iter().filter(|t| kind_of(t) == Some(EntryKind::Expense)) {
        t.push_str(&format!(
            "\n  {}",
            ctx.t_args(
                "pay-finance-line",
                &[
                    ("what", e.category.as_str().into()),
                    ("amount", m(e.amount_kop).into()),
                    ("count", e.entries.into())
                ]
            )
        ));
    }
    if fees > 0 {
        t.push_str(&format!("\n{}", ctx.t_args("pay-finance-fees", &[("amount", m(fees).into())])));
    }
    let profit = income - refunds - expenses - fees;
    let profit_text = if profit < 0 { format!("−{}", m(-profit)) } else { m(profit) };
    t.push_str(&format!("\n{}", ctx.t_args("pay-finance-profit", &[("amount", profit_text.into())])));
    t.push_str(&format!(
        "\n\n{}\n{}\n{}",
        ctx.t_args(
            "pay-finance-prepaid",
            &[("count", money.prepaid_orders.into()), ("amount", m(money.prepaid_kop).into())]
        ),
        ctx.t_args(
            "pay-finance-unpaid",
            &[("count", money.unpaid_issued.into()), ("amount", m(money.unpaid_kop).into())]
        ),
        ctx.t_args(
            "pay-finance-links",
            &[("count", money.open_links.into()), ("amount", m(money.open_links_kop).into())]
        ),
    ));
    if owed > 0 {
        t.push_str(&format!("\n{}", ctx.t_args("pay-finance-owed", &[("count", owed.into())])));
    }
    let presets = [
        (Preset::Today, "btn-pay-today"),
        (Preset::Week, "btn-pay-week"),
        (Preset::Month, "btn-pay-month"),
        (Preset::LastMonth, "btn-pay-last-month"),
    ];
    let mut rows = vec![presets.iter().map(|(p, k)| Button::new(ctx.t(k), PayCb::Finance(*p))).collect::<Vec<_>>()];
    rows.push(vec![Button::new(ctx.t("btn-pay-export"), PayCb::Export(ymd(p.from), ymd(p.to)))]);
    if owed > 0 {
        rows.push(vec![Button::new(ctx.t("btn-pay-owed"), PayCb::Owed)]);
    }
    Ok(Output::one(Reply::text(t).with_buttons(rows).editing(ctx.from_button)))
}

/// The cash book of the days `from..=to` as an `.xlsx`.
pub async fn export(ctx: &Ctx<'_>, from: u32, to: u32) -> CoreResult {
    let (Some(from), Some(to)) = (crate::core::booking::date_from_code(from), crate::core::booking::date_from_code(to))
    else {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    };
    let rows = ctx.store().entries_between(from, to).await?;
    let count = rows.len();
    let bytes = crate::spreadsheet::cash_export::workbook(&rows, ctx.tr, ctx.tz()).map_err(anyhow::Error::from)?;
    let name = format!("cashbook-{}-{}.xlsx", from.format("%Y-%m-%d"), to.format("%Y-%m-%d"));
    let mut reply = Reply::text(ctx.t_args("pay-export-done", &[("count", count.into())]));
    reply.attachment = Some(Attachment { name, bytes });
    Ok(Output::one(reply))
}

/// Payments and refunds whose fiscal receipt is still owed, each with "issued".
pub async fn owed(ctx: &Ctx<'_>) -> CoreResult {
    let list = ctx.store().receipts_owed(30).await?;
    if list.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("pay-owed-none")).editing(ctx.from_button)));
    }
    let total = ctx.store().receipts_owed_count().await?;
    let mut text = ctx.t_args("pay-owed-title", &[("count", total.into())]);
    let mut rows = vec![];
    for e in &list {
        let line = super::record::entry_line(ctx, e);
        let order = e.order_id.map(|o| format!(" #{o}")).unwrap_or_default();
        text.push_str(&format!("\n{line}{order}"));
        rows.push(vec![Button::new(
            ctx.t_args(
                "btn-pay-receipt-done",
                &[
                    ("amount", Money::from_kopecks(e.amount_kop).to_string().into()),
                    ("day", e.day.format("%d.%m").to_string().into()),
                ],
            ),
            PayCb::ReceiptDone(e.id),
        )]);
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

pub async fn receipt_done(ctx: &Ctx<'_>, entry: i64) -> CoreResult {
    if !ctx.store().mark_receipt_manual(entry).await? {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    let mut out = owed(ctx).await?;
    out.toast = Some(ctx.t("pay-receipt-marked"));
    Ok(out)
}
