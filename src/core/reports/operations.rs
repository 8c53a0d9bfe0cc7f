//! Operations: visits of the period (came, no-show, cancelled, still ahead) and the show-up rate,
//! average production time (order taken → ready), open orders older than two weeks, overdue
//! tasks, and the service's uptime from its own heartbeat (one every five minutes while up).

use super::span::{change, share, Span};
use crate::charts::{Chart, Series};
use crate::core::Core;
use crate::i18n::Tr;
use crate::store::goals::HEARTBEAT_SECS;
use chrono::{DateTime, Utc};

/// Open orders older than this are counted as overdue (no due date is recorded per order).
const ORDER_OVERDUE_DAYS: i64 = 14;

pub async fn report(core: &Core, tr: &Tr<'_>, s: &Span, now: DateTime<Utc>) -> anyhow::Result<(String, Chart)> {
    let store = core.store();
    let visits = store.visits_by_hour(&s.windows()).await?;
    let prev = s.previous();
    let p_visits = store.visits_by_hour(&prev.whole()).await?;
    let count = |rows: &[crate::store::reports::HourCount], status: &str| -> i64 {
        rows.iter().filter(|r| r.label == status).map(|r| r.count).sum()
    };
    let (came, no_show, cancelled, booked) =
        (count(&visits, "came"), count(&visits, "no_show"), count(&visits, "cancelled"), count(&visits, "booked"));
    let total = came + no_show + cancelled + booked;
    let p_total: i64 = p_visits.iter().map(|r| r.count).sum();
    let mut t = vec![
        tr.t_args(
            "report-ops-visits",
            &[
                ("count", total.into()),
                ("change", change(total as f64, p_total as f64).into()),
                ("came", came.into()),
                ("no_show", no_show.into()),
                ("cancelled", cancelled.into()),
                ("ahead", booked.into()),
            ],
        ),
        tr.t_args(
            "report-ops-show-up",
            &[
                ("rate", share(came, came + no_show).into()),
                (
                    "before",
                    share(count(&p_visits, "came"), count(&p_visits, "came") + count(&p_visits, "no_show")).into(),
                ),
            ],
        ),
    ];
    let (ready, days) = store.production_time(s.start, s.end).await?;
    t.push(if ready > 0 {
        tr.t_args(
            "report-ops-production",
            &[("days", format!("{days:.1}").replace('.', ",").into()), ("count", ready.into())],
        )
    } else {
        tr.t("report-ops-production-none")
    });
    let overdue_orders = store.orders_open_since(now - chrono::Duration::days(ORDER_OVERDUE_DAYS)).await?;
    t.push(
        tr.t_args(
            "report-ops-orders-overdue",
            &[("count", overdue_orders.into()), ("days", ORDER_OVERDUE_DAYS.into())],
        ),
    );
    t.push(tr.t_args("report-ops-tasks-overdue", &[("count", store.tasks_overdue(now).await?.into())]));
    t.push(uptime_line(core, tr, s, now).await?);
    let by = |status: &'static str| {
        s.fold(visits.iter().filter(move |r| r.label == status).map(|r| (r.hour.as_str(), r.count as f64)))
    };
    let chart = Chart {
        title: tr.t("report-ops-chart"),
        labels: s.labels(),
        series: vec![
            Series { name: tr.t("report-ops-chart-came"), values: by("came") },
            Series { name: tr.t("report-ops-chart-no-show"), values: by("no_show") },
        ],
        empty_note: tr.t("report-chart-empty"),
    };
    Ok((t.join("\n"), chart))
}

/// Share of the five-minute slots of the period (since the first heartbeat, up to now) in which
/// the scheduler recorded that the process was up.
pub async fn uptime(core: &Core, s: &Span, now: DateTime<Utc>) -> anyhow::Result<Option<f64>> {
    let slot = |t: DateTime<Utc>| t.timestamp().div_euclid(HEARTBEAT_SECS);
    // The slot of `now` counts once the process is in it; the end of the period is exclusive.
    let to = if s.end > now { slot(now) + 1 } else { slot(s.end) };
    let (_, first) = core.store().heartbeats(0, 0).await?;
    let Some(first) = first else { return Ok(None) };
    let from = slot(s.start).max(first);
    let (present, _) = core.store().heartbeats(from, to).await?;
    let expected = to - from;
    if expected <= 0 {
        return Ok(None);
    }
    Ok(Some((present as f64 / expected as f64).min(1.0)))
}

async fn uptime_line(core: &Core, tr: &Tr<'_>, s: &Span, now: DateTime<Utc>) -> anyhow::Result<String> {
    Ok(match uptime(core, s, now).await? {
        Some(u) => tr.t_args("report-ops-uptime", &[("pct", format!("{:.1}", u * 100.0).replace('.', ",").into())]),
        None => tr.t("report-ops-uptime-none"),
    })
}
