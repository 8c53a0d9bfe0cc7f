//! Recommendations: a few rules over the data, each explained in a sentence and with a button
//! that does what it says, ranked by how much they are worth today. `/advice` lists them all; the
//! daily summary shows the first.
//!
//! Rules (windows in business days, counts from `store::recommend`):
//! - replacement: insoles issued 11–12 months ago, nothing ordered since (their replacement offer,
//!   scheduled at issue for 12 months, falls due within 30 days) → the button sends each client
//!   the offer now (brought forward as a message through the jobs table, in her channel; a task
//!   when she has none);
//! - diagnostics: visits of the last 7 days she came to, with no order since → the button makes a
//!   follow-up task for each client;
//! - escalations: the assistant's drafts waiting for the owner → the button opens them;
//! - overdue tasks → the button opens `/tasks`;
//! - no-shows up: the share of no-shows of the last 30 days at least 10 points above the 30 days
//!   before (and at least 3) → the button opens the week's visits.

use super::super::{CoreResult, Ctx};
use crate::core::Core;
use crate::i18n::Tr;
use chrono::{DateTime, Duration, Utc};

/// What a recommendation is about, and what its button does (stored in the button as its code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdviceKind {
    Replacement,
    Diagnostics,
    Escalations,
    OverdueTasks,
    NoShows,
}

impl AdviceKind {
    pub const ALL: [AdviceKind; 5] = [
        AdviceKind::Replacement,
        AdviceKind::Diagnostics,
        AdviceKind::Escalations,
        AdviceKind::OverdueTasks,
        AdviceKind::NoShows,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AdviceKind::Replacement => "r",
            AdviceKind::Diagnostics => "d",
            AdviceKind::Escalations => "e",
            AdviceKind::OverdueTasks => "t",
            AdviceKind::NoShows => "n",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    fn key(self) -> &'static str {
        match self {
            AdviceKind::Replacement => "advice-replacement",
            AdviceKind::Diagnostics => "advice-diagnostics",
            AdviceKind::Escalations => "advice-escalations",
            AdviceKind::OverdueTasks => "advice-overdue",
            AdviceKind::NoShows => "advice-no-shows",
        }
    }

    pub fn button_key(self) -> &'static str {
        match self {
            AdviceKind::Replacement => "btn-advice-replacement",
            AdviceKind::Diagnostics => "btn-advice-diagnostics",
            AdviceKind::Escalations => "btn-advice-escalations",
            AdviceKind::OverdueTasks => "btn-advice-overdue",
            AdviceKind::NoShows => "btn-advice-no-shows",
        }
    }
}

crate::core::callback::coded_field!(AdviceKind);

/// One recommendation: what, how many, and its weight in the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub kind: AdviceKind,
    pub count: i64,
    /// For no-shows: the shares (percent) now and before.
    pub now_pct: i64,
    pub before_pct: i64,
    pub weight: i64,
}

impl Recommendation {
    /// The explained sentence, in `tr`'s language.
    pub fn text(&self, tr: &Tr<'_>) -> String {
        tr.t_args(
            self.kind.key(),
            &[("count", self.count.into()), ("now", self.now_pct.into()), ("before", self.before_pct.into())],
        )
    }
}

/// The windows of the rules, from `now`: replacement offers falling due within 30 days (insoles
/// issued 11–12 months ago).
pub fn replacement_window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now, now + Duration::days(30))
}

fn diagnostics_window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now - Duration::days(7), now)
}

/// Every recommendation that applies at `now`, the most valuable first.
pub async fn recommendations(core: &Core, now: DateTime<Utc>) -> anyhow::Result<Vec<Recommendation>> {
    let store = core.store();
    let mut out = vec![];
    let mut push = |kind, count: i64, weight_each: i64, now_pct, before_pct| {
        if count > 0 {
            out.push(Recommendation { kind, count, now_pct, before_pct, weight: count * weight_each });
        }
    };
    let (from, to) = replacement_window(now);
    push(AdviceKind::Replacement, store.replacement_due(from, to).await?.len() as i64, 30, 0, 0);
    let (from, to) = diagnostics_window(now);
    push(AdviceKind::Diagnostics, distinct_clients(&store.visits_without_order(from, to).await?), 40, 0, 0);
    push(AdviceKind::Escalations, store.drafts_waiting().await?, 25, 0, 0);
    push(AdviceKind::OverdueTasks, store.overdue_tasks(now).await?, 10, 0, 0);
    let (recent, recent_all) = store.no_show_counts(now - Duration::days(30), now).await?;
    let (before, before_all) = store.no_show_counts(now - Duration::days(60), now - Duration::days(30)).await?;
    let pct = |n: i64, all: i64| if all > 0 { n * 100 / all } else { 0 };
    let (now_pct, before_pct) = (pct(recent, recent_all), pct(before, before_all));
    if recent >= 3 && now_pct >= before_pct + 10 {
        push(AdviceKind::NoShows, recent, 20, now_pct, before_pct);
    }
    out.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.kind.code().cmp(b.kind.code())));
    Ok(out)
}

fn distinct_clients(rows: &[(i64, i64)]) -> i64 {
    rows.iter().map(|(_, c)| *c).collect::<std::collections::BTreeSet<_>>().len() as i64
}

/// The button of a recommendation: does what it says, recomputed now (a second tap finds the
/// work done and says so).
pub async fn act(ctx: &Ctx<'_>, kind: AdviceKind) -> CoreResult {
    use super::super::{Output, Reply};
    let now = crate::store::now();
    match kind {
        AdviceKind::Replacement => {
            let (from, to) = replacement_window(now);
            let due = ctx.store().replacement_due(from, to).await?;
            let n = crate::core::product_life::offer_replacement(ctx.core, &due, now).await?;
            Ok(Output::one(Reply::text(ctx.t_args("advice-replacement-done", &[("count", n.into())]))))
        }
        AdviceKind::Diagnostics => {
            let (from, to) = diagnostics_window(now);
            let rows = ctx.store().visits_without_order(from, to).await?;
            let clients: std::collections::BTreeSet<i64> = rows.iter().map(|(_, c)| *c).collect();
            let due = now + Duration::hours(1);
            for client in &clients {
                let body = ctx.t("advice-diagnostics-task");
                ctx.store()
                    .create_task(Some(*client), &body, Some(due), crate::work::spec::task_jobs(Some(due)))
                    .await?;
            }
            Ok(Output::one(Reply::text(ctx.t_args("advice-diagnostics-done", &[("count", clients.len().into())]))))
        }
        AdviceKind::Escalations => crate::core::instagram::switch(ctx, "").await,
        AdviceKind::OverdueTasks => crate::core::agenda::list(ctx, false).await,
        AdviceKind::NoShows => crate::core::booking::owner::week(ctx, false).await,
    }
}
