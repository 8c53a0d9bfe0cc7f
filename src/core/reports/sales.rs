//! Sales: revenue (orders' prices, cancelled left out, by the day the order was taken), orders,
//! average check, the best-selling products, how far new leads went (card → visit → order), the
//! month's goal, and the forecast of next month.

use super::span::{change, next_month, share, Span};
use crate::charts::{Chart, Series};
use crate::core::Core;
use crate::domain::forecast;
use crate::domain::Money;
use crate::i18n::Tr;
use chrono::{DateTime, Datelike, Utc};

/// Orders and revenue (kopecks) of a span, from the hourly summary; with the chart's buckets
/// (summed per bucket when `per_bucket`, else over the whole span).
async fn totals(core: &Core, s: &Span, per_bucket: bool) -> anyhow::Result<(i64, i64, i64, Vec<f64>)> {
    let windows = if per_bucket { s.windows() } else { s.whole() };
    let rows = core.store().order_hours(&windows).await?;
    let live = rows.iter().filter(|r| r.status != "cancel");
    let (orders, revenue) = live.clone().fold((0, 0), |(n, r), h| (n + h.orders, r + h.revenue_kop));
    let cancelled = rows.iter().filter(|r| r.status == "cancel").map(|r| r.orders).sum();
    let by_bucket = s.fold(live.map(|h| (h.hour.as_str(), h.revenue_kop as f64 / 100.0)));
    Ok((orders, revenue, cancelled, by_bucket))
}

fn money(kop: i64) -> String {
    Money::from_kopecks(kop).to_string()
}

pub async fn report(core: &Core, tr: &Tr<'_>, s: &Span, now: DateTime<Utc>) -> anyhow::Result<(String, Chart)> {
    let store = core.store();
    let prev = s.previous();
    // Side by side on the pool's connections: a report is several independent reads.
    let ((orders, revenue, cancelled, buckets), (p_orders, p_revenue, _, _), products, f) = tokio::try_join!(
        totals(core, s, true),
        totals(core, &prev, false),
        async { Ok(store.product_sales(s.start, s.end, 5).await?) },
        async { Ok(store.funnel(s.start, s.end).await?) },
    )?;
    let avg = if orders > 0 { revenue / orders } else { 0 };
    let p_avg = if p_orders > 0 { p_revenue / p_orders } else { 0 };
    let mut t = vec![
        tr.t_args(
            "report-sales-revenue",
            &[("amount", money(revenue).into()), ("change", change(revenue as f64, p_revenue as f64).into())],
        ),
        tr.t_args(
            "report-sales-orders",
            &[("count", orders.into()), ("change", change(orders as f64, p_orders as f64).into())],
        ),
        tr.t_args(
            "report-sales-average",
            &[("amount", money(avg).into()), ("change", change(avg as f64, p_avg as f64).into())],
        ),
    ];
    if cancelled > 0 {
        t.push(tr.t_args("report-sales-cancelled", &[("count", cancelled.into())]));
    }
    if !products.is_empty() {
        t.push(tr.t("report-sales-products"));
        for p in &products {
            t.push(format!("  {} — {} · {}", p.product, p.orders, money(p.revenue_kop)));
        }
    }
    t.push(tr.t_args(
        "report-sales-funnel",
        &[
            ("leads", f.leads.into()),
            ("booked", f.booked.into()),
            ("ordered", f.ordered.into()),
            ("rate", share(f.ordered, f.leads).into()),
        ],
    ));
    t.push(goal_line(core, tr, s).await?);
    t.push(forecast_line(core, tr, now).await?);
    let chart = Chart {
        title: tr.t("report-sales-chart"),
        labels: s.labels(),
        series: vec![Series { name: tr.t("report-sales-chart"), values: buckets }],
        empty_note: tr.t("report-chart-empty"),
    };
    Ok((t.join("\n"), chart))
}

/// The goal of the month the period ends in, and how far the month has got.
pub async fn goal_line(core: &Core, tr: &Tr<'_>, s: &Span) -> anyhow::Result<String> {
    let first = s.period.to.with_day(1).unwrap_or(s.period.to);
    let key = first.format("%Y-%m").to_string();
    let (orders_goal, revenue_goal) = core.store().goals(&key).await?;
    if orders_goal.is_none() && revenue_goal.is_none() {
        return Ok(tr.t("report-goal-none"));
    }
    let month = Span::new(
        crate::domain::period::Period { from: first, to: next_month(first).pred_opt().unwrap_or(first) },
        s.tz,
    );
    let (orders, revenue, _, _) = totals(core, &month, false).await?;
    let mut parts = vec![];
    if let Some(g) = orders_goal {
        parts.push(tr.t_args(
            "report-goal-orders",
            &[("done", orders.into()), ("target", g.into()), ("pct", share(orders, g).into())],
        ));
    }
    if let Some(g) = revenue_goal {
        parts.push(tr.t_args(
            "report-goal-revenue",
            &[("done", money(revenue).into()), ("target", money(g).into()), ("pct", share(revenue, g).into())],
        ));
    }
    Ok(tr.t_args("report-goal", &[("month", key.into()), ("progress", parts.join(" · ").into())]))
}

/// Complete months before this one (up to three years; UTC months), oldest first: (orders,
/// revenue kopecks), from the first month with an order.
pub async fn monthly_history(core: &Core, now: DateTime<Utc>) -> anyhow::Result<Vec<(i64, i64)>> {
    let this_month = now.with_timezone(&core.config().tz).date_naive().with_day(1).unwrap_or_default();
    let mut months = vec![];
    let mut m = this_month;
    for _ in 0..36 {
        m = m.pred_opt().unwrap_or(m).with_day(1).unwrap_or(m);
        months.push(m.format("%Y-%m").to_string());
    }
    months.reverse();
    let rows = core.store().order_months(&months[0], &this_month.format("%Y-%m").to_string()).await?;
    let totals: Vec<(i64, i64)> = months
        .iter()
        .map(|k| rows.iter().find(|(m, _, _)| m == k).map(|(_, n, r)| (*n, *r)).unwrap_or((0, 0)))
        .collect();
    let start = totals.iter().position(|(n, _)| *n > 0).unwrap_or(totals.len());
    Ok(totals[start..].to_vec())
}

async fn forecast_line(core: &Core, tr: &Tr<'_>, now: DateTime<Utc>) -> anyhow::Result<String> {
    let history = monthly_history(core, now).await?;
    let next =
        next_month(next_month(now.with_timezone(&core.config().tz).date_naive().with_day(1).unwrap_or_default()));
    let month = next.pred_opt().unwrap_or(next).format("%m.%Y").to_string();
    let two_ahead = |values: Vec<f64>| {
        let f1 = forecast::next_month(&values)?;
        let mut v = values;
        v.push(f1.value);
        forecast::next_month(&v)
    };
    let orders = two_ahead(history.iter().map(|(n, _)| *n as f64).collect());
    let revenue = two_ahead(history.iter().map(|(_, r)| *r as f64).collect());
    let (Some(o), Some(r)) = (orders, revenue) else {
        return Ok(tr.t_args(
            "report-forecast-none",
            &[("months", history.len().into()), ("needed", forecast::MIN_MONTHS.into())],
        ));
    };
    let hrn = |k: f64| crate::charts::compact((k / 100.0).round());
    Ok(tr.t_args(
        "report-forecast",
        &[
            ("month", month.into()),
            ("revenue", hrn(r.value).into()),
            ("revenue_low", hrn(r.low).into()),
            ("revenue_high", hrn(r.high).into()),
            ("orders", (o.value.round() as i64).into()),
            ("orders_low", (o.low.floor() as i64).into()),
            ("orders_high", (o.high.ceil() as i64).into()),
            ("months", history.len().into()),
        ],
    ))
}
