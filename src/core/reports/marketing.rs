//! Marketing: new leads (cards created) by where they came from; per source and campaign (first
//! touch, issue 16) the leads, bookings, orders and revenue of the period against the previous
//! one, from the trigger-kept `attribution_hours`; bookings by channel with how many came; and
//! what is not recorded (a lead's source when cards carry none; the cost of a channel: no channel
//! is paid for in the data, so they are compared by results only).

use super::span::{change, share, Span};
use crate::charts::{Chart, Series};
use crate::core::Core;
use crate::i18n::Tr;
use std::collections::BTreeMap;

/// The Fluent key of a source or channel code, when it has one.
fn channel_key(code: &str) -> Option<&'static str> {
    Some(match code {
        "telegram" => "report-ch-telegram",
        "instagram" => "report-ch-instagram",
        "web" | "page" => "report-ch-web",
        "calcom" => "report-ch-calcom",
        "owner" | "console" => "report-ch-owner",
        "import" => "report-ch-import",
        "referral" => "report-ch-referral",
        "" => "report-ch-unknown",
        _ => return None,
    })
}

pub fn channel_name(tr: &Tr<'_>, code: &str) -> String {
    channel_key(code).map(|k| tr.t(k)).unwrap_or_else(|| code.to_string())
}

pub async fn report(core: &Core, tr: &Tr<'_>, s: &Span) -> anyhow::Result<(String, Chart)> {
    let store = core.store();
    let leads = store.leads_by_hour(&s.whole()).await?;
    let prev = s.previous();
    let p_leads: i64 = store.leads_by_hour(&prev.whole()).await?.iter().map(|l| l.count).sum();
    let mut by_source: BTreeMap<&str, i64> = BTreeMap::new();
    for l in &leads {
        *by_source.entry(l.label.as_str()).or_default() += l.count;
    }
    let total: i64 = by_source.values().sum();
    let mut t = vec![tr.t_args(
        "report-mkt-leads",
        &[("count", total.into()), ("change", change(total as f64, p_leads as f64).into())],
    )];
    let mut sources: Vec<_> = by_source.iter().collect();
    sources.sort_by(|a, b| b.1.cmp(a.1));
    for (code, n) in &sources {
        t.push(format!("  {} — {} ({})", channel_name(tr, code), n, share(**n, total)));
    }
    if total > 0 && by_source.get("").copied().unwrap_or(0) == total {
        t.push(tr.t("report-mkt-no-source"));
    }
    attribution(core, tr, s, &mut t).await?;
    let bookings = store.bookings_by_channel(s.start, s.end).await?;
    if bookings.is_empty() {
        t.push(tr.t("report-mkt-no-bookings"));
    } else {
        t.push(tr.t("report-mkt-bookings"));
        for b in &bookings {
            t.push(tr.t_args(
                "report-mkt-booking-line",
                &[
                    ("channel", channel_name(tr, &b.channel).into()),
                    ("count", b.bookings.into()),
                    ("came", b.came.into()),
                    ("rate", share(b.came, b.came + b.no_show).into()),
                ],
            ));
        }
        let tagged: i64 = bookings.iter().map(|b| b.tagged).sum();
        let all: i64 = bookings.iter().map(|b| b.bookings).sum();
        t.push(tr.t_args("report-mkt-tagged", &[("count", tagged.into()), ("share", share(tagged, all).into())]));
    }
    t.push(tr.t("report-mkt-no-cost"));
    let names: Vec<String> = sources.iter().map(|(c, _)| channel_name(tr, c)).collect();
    let booked: Vec<f64> = sources
        .iter()
        .map(|(c, _)| {
            bookings
                .iter()
                .filter(|b| b.channel == **c || (**c == "web" && b.channel == "page"))
                .map(|b| b.bookings as f64)
                .sum()
        })
        .collect();
    let chart = Chart {
        title: tr.t("report-mkt-chart"),
        labels: names,
        series: vec![
            Series { name: tr.t("report-mkt-chart-leads"), values: sources.iter().map(|(_, n)| **n as f64).collect() },
            Series { name: tr.t("report-mkt-chart-booked"), values: booked },
        ],
        empty_note: tr.t("report-chart-empty"),
    };
    Ok((t.join("\n"), chart))
}

/// Rows shown per source and campaign (the rest are summed in one line).
const TOP: usize = 10;

/// Leads, bookings, orders and revenue per source and campaign, with the revenue's change against
/// the previous period of the same length.
async fn attribution(core: &Core, tr: &Tr<'_>, s: &Span, t: &mut Vec<String>) -> anyhow::Result<()> {
    use crate::domain::Money;
    let now = core.store().attribution(s.start, s.end).await?;
    let prev = s.previous();
    let before = core.store().attribution(prev.start, prev.end).await?;
    if now.is_empty() {
        return Ok(());
    }
    t.push(tr.t("report-mkt-attribution"));
    let line = |name: String, f: &crate::store::attribution::SourceFigures, was: i64| {
        tr.t_args(
            "report-mkt-attr-line",
            &[
                ("name", name.into()),
                ("leads", f.leads.into()),
                ("bookings", f.bookings.into()),
                ("orders", f.orders.into()),
                ("revenue", Money::from_kopecks(f.revenue_kop).to_string().into()),
                ("change", change(f.revenue_kop as f64, was as f64).into()),
            ],
        )
    };
    for f in now.iter().take(TOP) {
        let was: i64 =
            before.iter().filter(|b| b.source == f.source && b.campaign == f.campaign).map(|b| b.revenue_kop).sum();
        let mut name = channel_name(tr, &f.source);
        if !f.campaign.is_empty() {
            name = format!("{name} · {}", f.campaign);
        }
        t.push(line(name, f, was));
    }
    let mut total = crate::store::attribution::SourceFigures::default();
    for f in &now {
        total.leads += f.leads;
        total.bookings += f.bookings;
        total.orders += f.orders;
        total.revenue_kop += f.revenue_kop;
    }
    let was: i64 = before.iter().map(|b| b.revenue_kop).sum();
    t.push(line(tr.t("report-mkt-attr-total"), &total, was));
    Ok(())
}
