//! The weekly and monthly reports pushed to the owner (issue 15 part E): Monday 09:00 business
//! time for the previous Monday–Sunday, the 1st at 09:00 for the previous month, by e-mail and in
//! the owner chat(s).
//!
//! Three jobs, each keyed so it runs once: the scheduler's fire enqueues `PeriodReport` keyed by
//! the period (`report:week:2026-11-23`; enqueued again after a restart it is stored once), which
//! fans out to `ReportEmail` (`…:email`) and one `ReportTelegram` chain per owner chat
//! (`…:tg:<chat>:<step>`), or for an owner on Discord only one `ReportDiscord` chain in her DM
//! (`…:dc:<user>:<step>`). The senders build the six [`ReportView`]s themselves from the period,
//! so no job row carries a chart (about 300 KB a week that the nightly backup would carry forever).
//! The e-mail's Message-ID is derived from its key, so a repeat folds into the first; the
//! Telegram chain sends one message per job, in order, the next step enqueued only when the
//! previous one was sent.

use super::pushed_switch::{paused, Target};
use super::{build, span, ReportKind, ReportView};
use crate::core::booking::lang_of;
use crate::core::Core;
use crate::domain::period::Period;
use crate::i18n::{Lang, Tr};
use crate::notify::email::InlinePng;
use crate::store::jobs::Job;
use crate::work::spec::ReportEvery;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// Telegram's limit for a photo's caption.
const MAX_CAPTION: usize = 1024;

/// The period a report that fires on local day `fire_day` covers: the Monday–Sunday before the
/// week of `fire_day`, or the calendar month before its month.
pub fn period_of(every: ReportEvery, fire_day: NaiveDate) -> Period {
    match every {
        ReportEvery::Week => {
            let monday = fire_day - Duration::days(fire_day.weekday().num_days_from_monday().into());
            Period { from: monday - Duration::days(7), to: monday - Duration::days(1) }
        }
        ReportEvery::Month => {
            let to = fire_day.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(fire_day);
            Period { from: to.with_day(1).unwrap_or(to), to }
        }
    }
}

/// The key of a period's report: `report:week:2026-11-23` (its first day).
pub fn key(every: ReportEvery, period: Period) -> String {
    format!("report:{}:{}", every.code(), period.from)
}

/// The report job of the fire at `fire`, due then.
pub fn job(every: ReportEvery, fire: DateTime<Utc>, tz: Tz) -> NewJob {
    let p = period_of(every, fire.with_timezone(&tz).date_naive());
    JobSpec::PeriodReport { every, from: p.from, to: p.to }.job(fire, key(every, p))
}

/// Whether this report is switched on.
pub fn enabled(core: &Core, every: ReportEvery) -> bool {
    let r = &core.config().reports;
    match every {
        ReportEvery::Week => r.weekly,
        ReportEvery::Month => r.monthly,
    }
}

/// Says once, at start-up, where the reports will go.
pub fn log_setup(core: &Core) {
    let c = core.config();
    if !(c.reports.weekly || c.reports.monthly) {
        return;
    }
    match (&c.reports.email, &c.notify.email) {
        (None, _) => tracing::info!("REPORT_EMAIL is not set: the weekly and monthly reports are not e-mailed"),
        (Some(_), None) => tracing::warn!("REPORT_EMAIL is set but SMTP_URL is not: the reports are not e-mailed"),
        (Some(_), Some(_)) => {}
    }
}

/// `PeriodReport`: the e-mail and one Telegram chain per owner chat, as follow-ups.
pub async fn fan_out(core: &Core, job: &Job, every: ReportEvery, period: Period) -> Outcome {
    if !enabled(core, every) {
        return Outcome::done("skipped: switched off");
    }
    if paused(core, Target::Report(every)).await {
        return Outcome::done("skipped: switched off by the owner");
    }
    let c = core.config();
    let now = Utc::now();
    let (from, to) = (period.from, period.to);
    let mut follow_ups = vec![];
    let email = match (&c.reports.email, &c.notify.email) {
        (Some(_), Some(_)) if paused(core, Target::Email).await => "switched off by the owner",
        (Some(address), Some(_)) => {
            let spec = JobSpec::ReportEmail { every, from, to, address: address.clone() };
            follow_ups.push(spec.job(now, format!("{}:email", job.idempotency_key)));
            "queued"
        }
        (Some(_), None) => "no SMTP_URL",
        (None, _) => "no REPORT_EMAIL",
    };
    let owners: &[i64] = if c.telegram_enabled { &c.owner_telegram_ids } else { &[] };
    for chat_id in owners {
        let spec = JobSpec::ReportTelegram { chat_id: *chat_id, every, from, to, index: 0 };
        follow_ups.push(spec.job(now, format!("{}:tg:{chat_id}:0", job.idempotency_key)));
    }
    // An owner on Discord only gets them in her DM (as every owner notice: `booking::to_owners`).
    let discord: &[u64] = if owners.is_empty() && c.discord_enabled { &c.owner_discord_ids } else { &[] };
    for user in discord {
        let spec = JobSpec::ReportDiscord { user: *user, every, from, to, index: 0 };
        follow_ups.push(spec.job(now, format!("{}:dc:{user}:0", job.idempotency_key)));
    }
    let result = format!("email: {email}; telegram chats: {}; discord owners: {}", owners.len(), discord.len());
    Outcome::Done { result, follow_ups }
}

/// The language the e-mail is written in: the first owner's, Ukrainian by default.
async fn owner_lang(core: &Core) -> Lang {
    match core.config().owner_telegram_ids.first() {
        Some(id) => lang_of(core, &format!("telegram:{id}")).await,
        None => lang_of(core, "console:owner").await,
    }
}

/// A composed report e-mail.
#[derive(Debug)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub images: Vec<InlinePng>,
}

/// `23–29.11`, `30.11–06.12`, `28.12.2026–03.01.2027`.
fn short_range(p: Period) -> String {
    if p.from.year() != p.to.year() {
        span::range_text(p)
    } else if p.from.month() == p.to.month() {
        format!("{}–{}", p.from.format("%d"), p.to.format("%d.%m"))
    } else {
        format!("{}–{}", p.from.format("%d.%m"), p.to.format("%d.%m"))
    }
}

fn subject(tr: &Tr<'_>, every: ReportEvery, period: Period) -> String {
    match every {
        ReportEvery::Week => tr.t_args("report-email-subject-week", &[("range", short_range(period).into())]),
        ReportEvery::Month => tr.t_args(
            "report-email-subject-month",
            &[
                ("month", crate::i18n::Arg::Num(period.from.month().into())),
                ("year", period.from.year().to_string().into()),
            ],
        ),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The e-mail of the six reports: plain text, and HTML with each chart inline by `cid:`.
pub fn compose(tr: &Tr<'_>, every: ReportEvery, period: Period, views: &[(ReportKind, ReportView)]) -> Mail {
    let subject = subject(tr, every, period);
    let range = span::range_text(period);
    let footer = tr.t("report-email-footer");
    let mut text = format!("{subject} ({range})\n\n");
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;max-width:820px;margin:auto\">\n<h1>{} ({})</h1>\n",
        tr.lang.code(),
        escape(&subject),
        escape(&subject),
        escape(&range)
    );
    let mut images = vec![];
    for (kind, view) in views {
        let title = tr.t(kind.title_key());
        let cid = format!("{}.{}@insoles-crm", kind.code(), period.from);
        text.push_str(view.text.trim_end());
        text.push_str("\n\n");
        html.push_str(&format!(
            "<h2>{t}</h2>\n<img src=\"cid:{cid}\" alt=\"{t}\" width=\"800\" style=\"max-width:100%;height:auto\">\n\
             <pre style=\"white-space:pre-wrap;font-family:inherit\">{body}</pre>\n",
            t = escape(&title),
            body = escape(view.text.trim_end())
        ));
        images.push(InlinePng { cid, png: view.chart_png.clone() });
    }
    text.push_str(&footer);
    text.push('\n');
    html.push_str(&format!("<p style=\"color:#777\">{}</p>\n</body></html>\n", escape(&footer)));
    Mail { subject, text, html, images }
}

/// `ReportEmail`: the six reports in the owner's language, sent to `address`.
pub async fn email(core: &Core, job: &Job, every: ReportEvery, period: Period, address: &str) -> Outcome {
    let Some(cfg) = &core.config().notify.email else {
        return Outcome::Fail { error: "SMTP_URL is not set".into() };
    };
    let lang = owner_lang(core).await;
    let mut views = vec![];
    for kind in ReportKind::ALL {
        match build(core, kind, period, lang).await {
            Ok(v) => views.push((kind, v)),
            Err(e) => return retry(job.attempts, format!("report {}: {e:#}", kind.code())),
        }
    }
    let tr = Tr { i18n: core.i18n(), lang };
    let mail = compose(&tr, every, period, &views);
    crate::notify::email::send_report(
        cfg,
        address,
        &mail.subject,
        &mail.text,
        &mail.html,
        mail.images,
        &job.idempotency_key,
        job.attempts,
    )
    .await
}

/// One chat message of a chain: a chart with its text (in Telegram as the caption, or, when the text is
/// longer than a caption may be, the chart with the report's first line, then the text alone).
#[derive(Debug)]
pub struct ChatStep {
    pub photo: Option<Vec<u8>>,
    pub text: String,
    /// The job of the next step, enqueued once this one is sent.
    pub next: Option<NewJob>,
}

/// Step `index` of the chain of chat `chat_id` (`2k`: report k's chart, `2k + 1`: its text
/// when it did not fit the caption); None past the last.
pub async fn telegram_step(
    core: &Core,
    job: &Job,
    chat_id: i64,
    every: ReportEvery,
    period: Period,
    index: usize,
) -> anyhow::Result<Option<ChatStep>> {
    let Some(kind) = ReportKind::ALL.get(index / 2).copied() else { return Ok(None) };
    let lang = lang_of(core, &format!("telegram:{chat_id}")).await;
    let (photo, text, next_index) = split_step(index, build(core, kind, period, lang).await?);
    let next = (next_index / 2 < ReportKind::ALL.len()).then(|| {
        let base = job.idempotency_key.rsplit_once(':').map(|(b, _)| b).unwrap_or(&job.idempotency_key);
        JobSpec::ReportTelegram { chat_id, every, from: period.from, to: period.to, index: next_index }
            .job(Utc::now(), format!("{base}:{next_index}"))
    });
    Ok(Some(ChatStep { photo, text, next }))
}

/// Step `index` of the Discord chain of owner `user`: report `index`'s chart and its whole text
/// (the sender splits it under Discord's 2,000 characters); None past the last.
pub async fn discord_step(
    core: &Core,
    job: &Job,
    user: u64,
    every: ReportEvery,
    period: Period,
    index: usize,
) -> anyhow::Result<Option<ChatStep>> {
    let Some(kind) = ReportKind::ALL.get(index).copied() else { return Ok(None) };
    let lang = lang_of(core, &format!("discord:{user}")).await;
    let view = build(core, kind, period, lang).await?;
    let next = (index + 1 < ReportKind::ALL.len()).then(|| {
        let base = job.idempotency_key.rsplit_once(':').map(|(b, _)| b).unwrap_or(&job.idempotency_key);
        JobSpec::ReportDiscord { user, every, from: period.from, to: period.to, index: index + 1 }
            .job(Utc::now(), format!("{base}:{}", index + 1))
    });
    Ok(Some(ChatStep { photo: Some(view.chart_png), text: view.text, next }))
}

/// Step `index` of a report's view: (the chart, the text that goes with it, the next step).
fn split_step(index: usize, view: ReportView) -> (Option<Vec<u8>>, String, usize) {
    let fits = view.text.chars().count() <= MAX_CAPTION;
    match (index % 2, fits) {
        (0, true) => (Some(view.chart_png), view.text, index + 2),
        (0, false) => (Some(view.chart_png), view.text.lines().next().unwrap_or_default().to_string(), index + 1),
        _ => (None, view.text, index + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_are_the_previous_week_and_month() {
        let week = period_of(ReportEvery::Week, d(2026, 11, 30));
        assert_eq!((week.from, week.to), (d(2026, 11, 23), d(2026, 11, 29)));
        // Late after downtime (a Wednesday): still the week before the fire's week.
        assert_eq!(period_of(ReportEvery::Week, d(2026, 12, 2)), week);
        let new_year = period_of(ReportEvery::Week, d(2027, 1, 4));
        assert_eq!((new_year.from, new_year.to), (d(2026, 12, 28), d(2027, 1, 3)));
        let month = period_of(ReportEvery::Month, d(2026, 12, 1));
        assert_eq!((month.from, month.to), (d(2026, 11, 1), d(2026, 11, 30)));
        let feb = period_of(ReportEvery::Month, d(2028, 3, 1));
        assert_eq!((feb.from, feb.to), (d(2028, 2, 1), d(2028, 2, 29)));
        let jan = period_of(ReportEvery::Month, d(2027, 1, 1));
        assert_eq!((jan.from, jan.to), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(key(ReportEvery::Week, week), "report:week:2026-11-23");
        assert_eq!(short_range(week), "23–29.11");
        assert_eq!(short_range(Period { from: d(2026, 11, 30), to: d(2026, 12, 6) }), "30.11–06.12");
    }

    #[test]
    fn a_text_too_long_for_a_caption_follows_its_chart() {
        let view = |text: String| ReportView { text, chart_png: vec![1] };
        let short = "📈 Продажі · 01.11–30.11.2026\nВиручка: 0".to_string();
        assert_eq!(split_step(0, view(short.clone())), (Some(vec![1]), short, 2));
        let long = format!("📈 Продажі · 01.11–30.11.2026\n{}", "ж".repeat(MAX_CAPTION));
        assert_eq!(split_step(4, view(long.clone())), (Some(vec![1]), "📈 Продажі · 01.11–30.11.2026".into(), 5));
        assert_eq!(split_step(5, view(long.clone())), (None, long, 6));
    }

    #[test]
    fn the_fire_in_business_time_names_the_period() {
        use chrono::TimeZone;
        // Monday 09:00 in Kyiv is 07:00 UTC; in Pacific/Kiritimati (UTC+14) it is Sunday 19:00 UTC.
        let kyiv = chrono_tz::Europe::Kyiv.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().with_timezone(&Utc);
        assert_eq!(job(ReportEvery::Week, kyiv, chrono_tz::Europe::Kyiv).key, "report:week:2026-11-23");
        let tz = chrono_tz::Pacific::Kiritimati;
        let fire = tz.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().with_timezone(&Utc);
        assert_eq!(fire.weekday(), chrono::Weekday::Sun);
        assert_eq!(job(ReportEvery::Week, fire, tz).key, "report:week:2026-11-23");
    }
}
