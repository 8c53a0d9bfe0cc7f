//! The owner's daily summary (issue 15): at a time she sets (`/summary 21:30`, `/summary off`;
//! 20:00 business time until she does), one message with the day's income and orders,
//! tomorrow's visits (a button to each client's card), overdue tasks, drafts waiting for her and
//! the most valuable recommendation (`advice`, also listed by `/advice`).
//!
//! Delivery goes through the jobs table: the scheduler enqueues `DailySummary { date }` at the
//! fire time with the key `summary:<date>`, so a business day gets at most one summary however
//! often it is enqueued (a restart's catch-up, a time changed after it went). The job checks the
//! day when it runs: after downtime it is sent late the same day, and skipped (logged) on a later
//! one. The catch-up at start-up only runs on an installation that has sent summaries before, so
//! a fresh start in the evening does not greet the owner with one.

pub mod advice;

use super::booking::{service_label, to_owners};
use super::callback::callbacks;
use super::card::ClientCb;
use super::{Button, Core, CoreResult, Ctx, Output, Reply};
use crate::domain::money::Money;
use crate::domain::when::resolve_local;
use crate::i18n::Tr;
use crate::store::daily_figures::DayFigures;
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use advice::{AdviceKind, Recommendation};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

callbacks! {
    /// Buttons of the summary and the recommendations (owner only).
    pub enum SummaryCb {
        /// The list of recommendations (`/advice`).
        Advice => "av",
        /// Do what recommendation `kind` says.
        Act(kind: AdviceKind) => "aa",
    }
}

/// Where the owner's choice is kept: `HH:MM`, or `off`.
pub const TIME_SETTING: &str = "summary.time";
const DEFAULT_TIME: (u32, u32) = (20, 0);

/// The time of the summary, `None` when she switched it off.
pub async fn summary_time(core: &Core) -> anyhow::Result<Option<NaiveTime>> {
    let default = NaiveTime::from_hms_opt(DEFAULT_TIME.0, DEFAULT_TIME.1, 0).unwrap_or_default();
    Ok(match core.store().setting(TIME_SETTING).await?.as_deref() {
        Some("off") => None,
        Some(t) => Some(NaiveTime::parse_from_str(t, "%H:%M").unwrap_or(default)),
        None => Some(default),
    })
}

/// The job of business day `date`'s summary, due at `due`.
pub fn job(date: NaiveDate, due: DateTime<Utc>) -> NewJob {
    JobSpec::DailySummary { date }.job(due, format!("summary:{date}"))
}

/// The next fire strictly after `now` (`None` when off).
pub async fn next_fire(core: &Core, now: DateTime<Utc>) -> anyhow::Result<Option<DateTime<Utc>>> {
    let Some(time) = summary_time(core).await? else { return Ok(None) };
    let tz = core.config().tz;
    let today = now.with_timezone(&tz).date_naive();
    let at = resolve_local(tz, today, time);
    Ok(Some(if at > now { at } else { resolve_local(tz, today + Duration::days(1), time) }))
}

/// At start-up: today's summary when its time has passed and this installation sends summaries
/// (an earlier day's is in the jobs table); its key makes it a no-op when it went already.
pub async fn catch_up(core: &Core, now: DateTime<Utc>) -> anyhow::Result<Option<NewJob>> {
    let Some(time) = summary_time(core).await? else { return Ok(None) };
    let tz = core.config().tz;
    let today = now.with_timezone(&tz).date_naive();
    let at = resolve_local(tz, today, time);
    if at > now || !core.store().has_job_kind(JobSpec::DailySummary { date: today }.kind()).await? {
        return Ok(None);
    }
    Ok(Some(job(today, at)))
}

/// Everything one summary says.
pub struct Summary {
    pub date: NaiveDate,
    pub figures: DayFigures,
    pub top: Option<Recommendation>,
}

/// Computes the summary of `date` as of `now`.
pub async fn compute(core: &Core, date: NaiveDate, now: DateTime<Utc>) -> anyhow::Result<Summary> {
    let tz = core.config().tz;
    let day =
        |d: NaiveDate| (resolve_local(tz, d, NaiveTime::MIN), resolve_local(tz, d + Duration::days(1), NaiveTime::MIN));
    let figures = core.store().day_figures(date, day(date), day(date + Duration::days(1)), now).await?;
    let top = advice::recommendations(core, now).await?.into_iter().next();
    Ok(Summary { date, figures, top })
}

/// The message: text and buttons (label, callback data).
pub fn render(core: &Core, tr: &Tr<'_>, s: &Summary) -> (String, Vec<Vec<(String, String)>>) {
    let f = &s.figures;
    let revenue = Money::from_kopecks(f.revenue_kop.abs());
    let sign = if f.revenue_kop < 0 { "−" } else { "" };
    let mut text = tr.t_args("summary-title", &[("date", s.date.format("%d.%m").to_string().into())]);
    text.push('\n');
    text.push_str(
        &tr.t_args("summary-money", &[("revenue", format!("{sign}{revenue}").into()), ("orders", f.orders.into())]),
    );
    text.push('\n');
    let mut rows = vec![];
    if f.tomorrow_total == 0 {
        text.push_str(&tr.t("summary-tomorrow-none"));
    } else {
        text.push_str(&tr.t_args("summary-tomorrow", &[("count", f.tomorrow_total.into())]));
        for v in &f.tomorrow {
            let at = v.starts_at.with_timezone(&core.config().tz).format("%H:%M").to_string();
            text.push_str(&format!("\n  {at} {} — {}", v.client_name, service_label(tr, &v.service)));
            rows.push(vec![(format!("👤 {at} {}", v.client_name), ClientCb::Card(v.client_id).encode())]);
        }
        if f.tomorrow_total > f.tomorrow.len() as i64 {
            text.push_str("\n  …");
        }
    }
    text.push('\n');
    text.push_str(&tr.t_args("summary-overdue", &[("count", f.overdue_tasks.into())]));
    text.push('\n');
    text.push_str(&tr.t_args("summary-escalations", &[("count", f.open_escalations.into())]));
    match &s.top {
        Some(r) => {
            text.push_str("\n\n💡 ");
            text.push_str(&r.text(tr));
            rows.push(vec![
                (tr.t(r.kind.button_key()), SummaryCb::Act(r.kind).encode()),
                (tr.t("btn-advice-all"), SummaryCb::Advice.encode()),
            ]);
        }
        None => {
            text.push_str("\n\n");
            text.push_str(&tr.t("summary-no-advice"));
        }
    }
    (text, rows)
}

fn to_reply(text: String, rows: Vec<Vec<(String, String)>>) -> Reply {
    let buttons =
        rows.into_iter().map(|row| row.into_iter().map(|(label, data)| Button { label, data }).collect()).collect();
    Reply::text(text).with_buttons(buttons)
}

/// The job: the summary of `date` to every owner, unless its day is over.
pub async fn run(core: &Core, job: &Job, date: NaiveDate, now: DateTime<Utc>) -> Outcome {
    let today = now.with_timezone(&core.config().tz).date_naive();
    if today != date {
        tracing::warn!(%date, %today, "daily summary skipped: its day is over (the service was down)");
        return Outcome::done("skipped: its day is over");
    }
    match summary_time(core).await {
        Ok(None) => return Outcome::done("skipped: switched off"),
        Ok(Some(_)) => {}
        Err(e) => return retry(job.attempts, e),
    }
    let summary = match compute(core, date, now).await {
        Ok(s) => s,
        Err(e) => return retry(job.attempts, e),
    };
    let follow_ups = to_owners(core, &job.idempotency_key, |tr| render(core, tr, &summary)).await;
    Outcome::Done { result: format!("summary queued for {} owner chat(s)", follow_ups.len()), follow_ups }
}

/// `/summary`: today's summary now; `/summary 21:30` sets the time, `/summary off` / `on`.
pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let arg = args.trim().to_lowercase();
    let store = ctx.store();
    let set = match arg.as_str() {
        "" => None,
        "off" | "вимк" | "ні" => Some("off".to_string()),
        "on" | "увімк" | "так" => Some(format!("{:02}:{:02}", DEFAULT_TIME.0, DEFAULT_TIME.1)),
        t => Some(parse_time(t).ok_or_else(|| super::CoreError::user("summary-bad-time"))?.format("%H:%M").to_string()),
    };
    if let Some(value) = set {
        store.set_setting(TIME_SETTING, &value).await?;
        let text = if value == "off" {
            ctx.t("summary-off")
        } else {
            ctx.t_args("summary-set", &[("time", value.as_str().into())])
        };
        return Ok(Output::one(Reply::text(text)));
    }
    let now = crate::store::now();
    let today = now.with_timezone(&ctx.tz()).date_naive();
    let summary = compute(ctx.core, today, now).await?;
    let (mut text, rows) = render(ctx.core, &ctx.tr, &summary);
    text.push_str("\n\n");
    text.push_str(&match summary_time(ctx.core).await? {
        Some(t) => ctx.t_args("summary-when", &[("time", t.format("%H:%M").to_string().into())]),
        None => ctx.t("summary-when-off"),
    });
    Ok(Output::one(to_reply(text, rows)))
}

/// `21:30`, `21.30`, `9:05`, `21`.
fn parse_time(t: &str) -> Option<NaiveTime> {
    let t = t.replace('.', ":");
    NaiveTime::parse_from_str(&t, "%H:%M")
        .ok()
        .or_else(|| t.parse::<u32>().ok().and_then(|h| NaiveTime::from_hms_opt(h, 0, 0)))
}

/// `/advice`: every recommendation, explained, each with its button.
pub async fn advice_list(ctx: &Ctx<'_>) -> CoreResult {
    let list = advice::recommendations(ctx.core, crate::store::now()).await?;
    if list.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("advice-none"))));
    }
    let mut items = String::new();
    let mut rows = vec![];
    for (i, r) in list.iter().enumerate() {
        items.push_str(&format!("\n\n{}. {}", i + 1, r.text(&ctx.tr)));
        rows.push(vec![Button::new(format!("{}. {}", i + 1, ctx.t(r.kind.button_key())), SummaryCb::Act(r.kind))]);
    }
    let mut text = ctx.t("advice-title");
    // With an LLM configured, a short narrative on top (checked: only the list's numbers).
    if let Some(llm) = &ctx.core.config().llm {
        if let Some(story) = crate::assistant::narrate::narrate(llm, ctx.store(), items.trim()).await {
            text.push_str(&format!("\n\n🧠 {story}"));
        }
    }
    text.push_str(&items);
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

pub async fn on_button(ctx: &Ctx<'_>, cb: SummaryCb) -> CoreResult {
    match cb {
        SummaryCb::Advice => advice_list(ctx).await,
        SummaryCb::Act(kind) => advice::act(ctx, kind).await,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn times_she_types() {
        assert_eq!(parse_time("21:30").unwrap().to_string(), "21:30:00");
        assert_eq!(parse_time("9.05").unwrap().to_string(), "09:05:00");
        assert_eq!(parse_time("21").unwrap().to_string(), "21:00:00");
        assert!(parse_time("25:00").is_none());
        assert!(parse_time("вечір").is_none());
    }
}
