//! Finance, from the cash book: income by method, expenses by category, refunds and fees, profit,
//! the cash position at the end of the period, and operating costs as a share of income (the
//! vision's target: under 30 %).

use super::span::{change, share, Span};
use crate::charts::{Chart, Series};
use crate::core::Core;
use crate::domain::cash::{EntryKind, PayMethod};
use crate::domain::Money;
use crate::i18n::Tr;

fn money(kop: i64) -> String {
    if kop < 0 {
        format!("−{}", Money::from_kopecks(-kop))
    } else {
        Money::from_kopecks(kop).to_string()
    }
}

/// (income, refunds, expenses, fees) of a span.
async fn sums(core: &Core, s: &Span) -> anyhow::Result<(i64, i64, i64, i64)> {
    let totals = core.store().cash_totals(s.period.from, s.period.to).await?;
    let sum =
        |k: EntryKind| totals.iter().filter(|t| EntryKind::from_code(&t.kind) == Some(k)).map(|t| t.amount_kop).sum();
    Ok((
        sum(EntryKind::Income),
        sum(EntryKind::Refund),
        sum(EntryKind::Expense),
        totals.iter().map(|t| t.fee_kop).sum(),
    ))
}

pub async fn report(core: &Core, tr: &Tr<'_>, s: &Span) -> anyhow::Result<(String, Chart)> {
    let store = core.store();
    let totals = store.cash_totals(s.period.from, s.period.to).await?;
    let (income, refunds, expenses, fees) = sums(core, s).await?;
    let (p_income, p_refunds, p_expenses, p_fees) = sums(core, &s.previous()).await?;
    let profit = income - refunds - expenses - fees;
    let p_profit = p_income - p_refunds - p_expenses - p_fees;
    let mut t = vec![tr.t_args(
        "report-fin-income",
        &[("amount", money(income).into()), ("change", change(income as f64, p_income as f64).into())],
    )];
    for method in PayMethod::ALL {
        let kop: i64 = totals
            .iter()
            .filter(|t| t.kind == EntryKind::Income.code() && t.method == method.code())
            .map(|t| t.amount_kop)
            .sum();
        if kop > 0 {
            t.push(format!("  {} — {}", tr.t(method.label_key()), money(kop)));
        }
    }
    t.push(tr.t_args(
        "report-fin-expenses",
        &[("amount", money(expenses).into()), ("change", change(expenses as f64, p_expenses as f64).into())],
    ));
    for e in totals.iter().filter(|t| t.kind == EntryKind::Expense.code()) {
        t.push(format!("  {} — {}", e.category, money(e.amount_kop)));
    }
    if refunds + fees > 0 {
        t.push(
            tr.t_args("report-fin-refunds-fees", &[("refunds", money(refunds).into()), ("fees", money(fees).into())]),
        );
    }
    t.push(tr.t_args(
        "report-fin-profit",
        &[("amount", money(profit).into()), ("change", change(profit as f64, p_profit as f64).into())],
    ));
    t.push(tr.t_args("report-fin-position", &[("amount", money(store.cash_position(s.period.to).await?).into())]));
    let ok = income > 0 && expenses * 100 < income * 30;
    t.push(tr.t_args(
        "report-fin-costs",
        &[("share", share(expenses, income).into()), ("mark", (if ok { "✅" } else { "⚠️" }).into())],
    ));
    if income == 0 && expenses == 0 {
        t.push(tr.t("report-fin-empty"));
    }
    let days = store.cash_by_day(s.period.from, s.period.to).await?;
    let mut inc = vec![0.0; s.labels().len()];
    let mut exp = inc.clone();
    for (day, kind, amount, _) in &days {
        let Some(i) = s.bucket_of_day(*day) else { continue };
        match EntryKind::from_code(kind) {
            Some(EntryKind::Income) => inc[i] += *amount as f64 / 100.0,
            Some(EntryKind::Expense) => exp[i] += *amount as f64 / 100.0,
            _ => {}
        }
    }
    let chart = Chart {
        title: tr.t("report-fin-chart"),
        labels: s.labels(),
        series: vec![
            Series { name: tr.t("report-fin-chart-income"), values: inc },
            Series { name: tr.t("report-fin-chart-expenses"), values: exp },
        ],
        empty_note: tr.t("report-chart-empty"),
    };
    Ok((t.join("\n"), chart))
}
