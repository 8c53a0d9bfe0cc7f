//! `/report розсилка`: the owner's own switches for the pushed reports (`pushed.rs`), beside the
//! configuration's. The configuration decides what may run at all (`[reports]`, `REPORT_EMAIL`);
//! within that, she pauses the weekly or the monthly report, or only their e-mail, from the chat
//! (`/report розсилка пошта вимк`, `/report email off`). Kept in the `settings` table; the report
//! job reads them when it runs, so a switch applies to the next report.

use super::super::{CoreResult, Ctx, Output, Reply};
use crate::core::Core;
use crate::work::spec::ReportEvery;

/// What a switch pauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Report(ReportEvery),
    Email,
}

impl Target {
    fn key(self) -> &'static str {
        match self {
            Target::Report(ReportEvery::Week) => "reports.weekly.paused",
            Target::Report(ReportEvery::Month) => "reports.monthly.paused",
            Target::Email => "reports.email.paused",
        }
    }

    fn from_word(w: &str) -> Option<Self> {
        Some(match w {
            "пошта" | "пошту" | "почта" | "email" | "e-mail" | "мейл" => Target::Email,
            "тиждень" | "щотижня" | "тижневий" | "неделя" | "week" | "weekly" => {
                Target::Report(ReportEvery::Week)
            }
            "місяць" | "щомісяця" | "місячний" | "месяц" | "month" | "monthly" => {
                Target::Report(ReportEvery::Month)
            }
            _ => return None,
        })
    }
}

/// Whether the owner paused `target` (a store error counts as not paused: the report goes).
pub async fn paused(core: &Core, target: Target) -> bool {
    core.store().switch_on(target.key()).await.unwrap_or(false)
}

/// The first word of `/report` that opens the switches.
pub fn is_command(first: &str) -> bool {
    matches!(first, "розсилка" | "рассылка" | "push" | "mailing") || Target::from_word(first) == Some(Target::Email)
}

/// `/report розсилка [тиждень|місяць|пошта] [вимк|увімк]`: flips one switch, then shows them all.
pub async fn command(ctx: &Ctx<'_>, first: &str, rest: &[&str]) -> CoreResult {
    let words: Vec<String> = std::iter::once(first).chain(rest.iter().copied()).map(|w| w.to_lowercase()).collect();
    let target = words.iter().find_map(|w| Target::from_word(w));
    let state = words.iter().find_map(|w| match w.as_str() {
        "off" | "вимк" | "вимкнути" | "выкл" | "ні" | "стоп" => Some(true),
        "on" | "увімк" | "увімкнути" | "вкл" | "так" | "старт" => Some(false),
        _ => None,
    });
    match (target, state) {
        (Some(t), Some(pause)) => ctx.core.store().set_setting(t.key(), if pause { "on" } else { "off" }).await?,
        (None, Some(_)) => return Err(crate::core::CoreError::user("report-push-usage")),
        _ => {}
    }
    let c = ctx.core.config();
    let report = |every: ReportEvery, on_in_config: bool| async move {
        if !on_in_config {
            ctx.t("report-push-off-config")
        } else if paused(ctx.core, Target::Report(every)).await {
            ctx.t("report-push-off")
        } else {
            ctx.t("report-push-on")
        }
    };
    let weekly = report(ReportEvery::Week, c.reports.weekly).await;
    let monthly = report(ReportEvery::Month, c.reports.monthly).await;
    let email = match (&c.reports.email, &c.notify.email) {
        (Some(address), Some(_)) if paused(ctx.core, Target::Email).await => {
            format!("{} ({})", ctx.t("report-push-off"), address)
        }
        (Some(address), Some(_)) => address.clone(),
        _ => ctx.t("report-push-email-unset"),
    };
    let text = ctx.t_args(
        "report-push-status",
        &[("weekly", weekly.into()), ("monthly", monthly.into()), ("email", email.into())],
    );
    Ok(Output::one(Reply::text(text)))
}
