//! Marketing: new leads (cards created) by where they came from, bookings by channel with how
//! many came, and what is not recorded (a lead's source when cards carry none; the cost of a
//! channel: no channel is paid for in the data, so they are compared by results only).

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
