//! Customers: new cards, buyers of the period who are new or came back (the repeat purchase rate),
//! clients whose insoles turn a year old (their last order, issued, taken 12–13 months ago), and
//! birthdays this month when birth dates are known; client satisfaction (NPS, against the vision's
//! month-6 target of over 70) and what followed the reminders over the product's life (a visit
//! booked, another order within `store::aftercare::EFFECT_DAYS`), each against the previous period.

use super::span::{change, midnight, share, Span};
use crate::charts::{Chart, Series};
use crate::core::Core;
use crate::i18n::Tr;
use crate::store::aftercare::{LifecycleEffect, EFFECT_DAYS};
use crate::store::nps_answers::Nps;
use chrono::{DateTime, Datelike, Months, Utc};

pub async fn report(core: &Core, tr: &Tr<'_>, s: &Span, now: DateTime<Utc>) -> anyhow::Result<(String, Chart)> {
    let store = core.store();
    let prev = s.previous();
    // Side by side on the pool's connections: a report is several independent reads.
    let (w, pw) = (s.windows(), prev.whole());
    let (leads, p_leads, (buyers, new), (p_buyers, p_new_buyers)) = tokio::try_join!(
        store.leads_by_hour(&w),
        store.leads_by_hour(&pw),
        store.buyers(s.start, s.end),
        store.buyers(prev.start, prev.end),
    )?;
    let new_cards: i64 = leads.iter().map(|l| l.count).sum();
    let p_new: i64 = p_leads.iter().map(|l| l.count).sum();
    let (returning, p_returning) = (buyers - new, p_buyers - p_new_buyers);
    let mut t = vec![
        tr.t_args(
            "report-cust-new",
            &[("count", new_cards.into()), ("change", change(new_cards as f64, p_new as f64).into())],
        ),
        tr.t_args(
            "report-cust-buyers",
            &[
                ("count", buyers.into()),
                ("new", new.into()),
                ("returning", returning.into()),
                ("change", change(buyers as f64, p_buyers as f64).into()),
            ],
        ),
        tr.t_args(
            "report-cust-repeat",
            &[("rate", share(returning, buyers).into()), ("before", share(p_returning, p_buyers).into())],
        ),
    ];
    let today = now.with_timezone(&s.tz).date_naive();
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let month_more = today.checked_sub_months(Months::new(13)).unwrap_or(today);
    let due = store.replacement_due_count(midnight(month_more, s.tz), midnight(year_ago, s.tz)).await?;
    t.push(tr.t_args("report-cust-replacement", &[("count", due.into())]));
    let (born, known) = store.birthdays(today.month()).await?;
    t.push(if known {
        tr.t_args("report-cust-birthdays", &[("count", born.into())])
    } else {
        tr.t("report-cust-no-birthdays")
    });
    let (nps, p_nps, effect, p_effect) = tokio::try_join!(
        store.nps(s.start, s.end),
        store.nps(prev.start, prev.end),
        store.lifecycle_effect(s.start, s.end),
        store.lifecycle_effect(prev.start, prev.end),
    )?;
    t.push(nps_line(tr, nps, p_nps));
    t.push(lifecycle_line(tr, effect, p_effect));
    let chart = Chart {
        title: tr.t("report-cust-chart"),
        labels: s.labels(),
        series: vec![Series {
            name: tr.t("report-cust-chart"),
            values: s.fold(leads.iter().map(|l| (l.hour.as_str(), l.count as f64))),
        }],
        empty_note: tr.t("report-chart-empty"),
    };
    Ok((t.join("\n"), chart))
}

/// The vision's month-6 criterion: NPS over this.
pub const NPS_TARGET: i64 = 70;

fn nps_line(tr: &Tr<'_>, now: Nps, before: Nps) -> String {
    let before_text = before.score.map_or_else(|| "—".to_string(), |b| b.to_string());
    let Some(score) = now.score else {
        return tr.t_args("report-cust-nps-none", &[("before", before_text.into()), ("target", NPS_TARGET.into())]);
    };
    let answers = now.promoters + now.passives + now.detractors;
    tr.t_args(
        "report-cust-nps",
        &[
            ("score", score.to_string().into()),
            ("mark", (if score > NPS_TARGET { "✅" } else { "⚠️" }).into()),
            ("before", before_text.into()),
            ("target", NPS_TARGET.into()),
            ("count", answers.into()),
            ("promoters", now.promoters.into()),
            ("passives", now.passives.into()),
            ("detractors", now.detractors.into()),
        ],
    )
}

fn lifecycle_line(tr: &Tr<'_>, now: LifecycleEffect, before: LifecycleEffect) -> String {
    if now.sent == 0 {
        return tr.t_args("report-cust-lifecycle-none", &[("before", before.sent.into())]);
    }
    tr.t_args(
        "report-cust-lifecycle",
        &[
            ("sent", now.sent.into()),
            ("change", change(now.sent as f64, before.sent as f64).into()),
            ("days", EFFECT_DAYS.into()),
            ("rebooked", now.rebooked.into()),
            ("rebooked_rate", share(now.rebooked, now.sent).into()),
            ("rebooked_before", share(before.rebooked, before.sent).into()),
            ("reordered", now.reordered.into()),
            ("reordered_rate", share(now.reordered, now.sent).into()),
            ("reordered_before", share(before.reordered, before.sent).into()),
        ],
    )
}
