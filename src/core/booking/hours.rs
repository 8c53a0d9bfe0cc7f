//! The studio's opening hours from the chat: `/hours` (the week, every upcoming day off or short
//! day, each with a button that removes it), `/hours пн 10-18`, `/dayoff 31.12`, `/dayoff 24.12
//! 10-14`, `/dayoff remove 31.12`, `/vacation 01.08-14.08`. The same schedule is what the booking
//! page offers and what the assistant tells clients: every change re-grounds the assistant's
//! knowledge base (`Core::reground`, `kb_hours`).

use super::callback::BookingCb;
use super::{fmt_when, weekday_label};
use crate::core::{Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::schedule::DayHours;
use crate::i18n::Tr;
use chrono::{Datelike, Duration, NaiveDate};

/// A date in a button (`20261231`).
pub fn ymd(d: NaiveDate) -> u32 {
    d.year() as u32 * 10_000 + d.month() * 100 + d.day()
}

pub fn from_ymd(v: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((v / 10_000) as i32, (v / 100) % 100, v % 100)
}

/// Runs of consecutive days with the same hours and reason: (from, to, hours, reason).
type Run = (NaiveDate, NaiveDate, Option<DayHours>, String);

fn runs(days: Vec<(NaiveDate, Option<DayHours>, String)>) -> Vec<Run> {
    let mut out: Vec<Run> = vec![];
    for (d, h, r) in days {
        match out.last_mut() {
            Some(last) if last.1.succ_opt() == Some(d) && last.2 == h && last.3 == r => last.1 = d,
            _ => out.push((d, d, h, r)),
        }
    }
    out
}

fn run_dates(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        from.format("%d.%m.%Y").to_string()
    } else {
        format!("{}–{}", from.format("%d.%m"), to.format("%d.%m.%Y"))
    }
}

/// `Пн–Пт 10:00–18:00, Сб 10:00–14:00, Нд вихідний`: the week with equal days joined.
pub fn week_line(tr: &Tr<'_>, weekly: &[Option<DayHours>; 7]) -> String {
    let monday = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let label = |i: usize| {
        let l = weekday_label(tr, monday + Duration::days(i as i64));
        let mut c = l.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    let mut parts = vec![];
    let mut i = 0;
    while i < 7 {
        let mut j = i;
        while j + 1 < 7 && weekly[j + 1] == weekly[i] {
            j += 1;
        }
        let days = if i == j { label(i) } else { format!("{}–{}", label(i), label(j)) };
        let hours = weekly[i].map(|h| h.format().replace('-', "–")).unwrap_or_else(|| tr.t("hours-closed"));
        parts.push(format!("{days} {hours}"));
        i = j + 1;
    }
    parts.join(", ")
}

/// The `hours` topic of the knowledge base, from the schedule the owner keeps: the week and the
/// days off and short days of the next 60 days.
pub async fn kb_hours(core: &Core, tr: &Tr<'_>) -> anyhow::Result<String> {
    let today = super::today(core);
    let schedule = core.store().schedule(&core.config().booking.weekly, today).await?;
    let mut text = tr.t_args("kb-hours", &[("week", week_line(tr, &schedule.weekly).into())]);
    let soon: Vec<_> = core
        .store()
        .exceptions_from(today)
        .await?
        .into_iter()
        .filter(|(d, _, _)| *d <= today + Duration::days(60))
        .collect();
    let lines: Vec<String> = runs(soon)
        .into_iter()
        .map(|(from, to, h, _)| {
            let v = h.map(|h| h.format().replace('-', "–")).unwrap_or_else(|| tr.t("hours-closed"));
            format!("{} — {v}", run_dates(from, to))
        })
        .collect();
    if !lines.is_empty() {
        text.push(' ');
        text.push_str(&tr.t_args("kb-hours-exceptions", &[("days", lines.join("; ").into())]));
    }
    Ok(text)
}

/// Re-grounds the assistant after a change of hours; a failure is logged, the change stands.
async fn changed(ctx: &Ctx<'_>) {
    if let Err(e) = ctx.core.reground().await {
        tracing::error!(error = format!("{e:#}"), "the assistant keeps the previous hours");
    }
}

fn weekday_index(word: &str) -> Option<u32> {
    let w = crate::domain::text::search_key(word);
    let all: [&[&str]; 7] = [
        &["пн", "mon"],
        &["вт", "tue"],
        &["ср", "wed"],
        &["чт", "thu"],
        &["пт", "fri"],
        &["сб", "sat"],
        &["нд", "вс", "sun"],
    ];
    all.iter().position(|names| names.iter().any(|n| w.starts_with(n))).map(|i| i as u32)
}

/// `/hours` shows the week; `/hours пн 10-18` or `/hours сб вихідний` changes one day.
pub async fn hours(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let args = args.trim();
    if !args.is_empty() {
        let (day, value) = args.split_once(char::is_whitespace).ok_or(CoreError::user("hours-usage"))?;
        let wd = weekday_index(day).ok_or(CoreError::user("hours-usage"))?;
        let value = value.trim().to_lowercase();
        let h = if ["вихідний", "выходной", "off", "closed", "-"].contains(&value.as_str()) {
            None
        } else {
            Some(DayHours::parse(&value).map_err(|_| CoreError::user("hours-usage"))?)
        };
        ctx.store().set_weekday_hours(wd, h).await?;
        changed(ctx).await;
    }
    let schedule = ctx.store().schedule(&ctx.core.config().booking.weekly, super::today(ctx.core)).await?;
    let mut text = ctx.t("hours-title");
    let monday = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    for (i, h) in schedule.weekly.iter().enumerate() {
        let d = monday + Duration::days(i as i64);
        let v = h.map(|h| h.format()).unwrap_or_else(|| ctx.t("hours-closed"));
        text.push_str(&format!("\n{}: {v}", weekday_label(&ctx.tr, d)));
    }
    let mut rows = vec![];
    let upcoming = runs(ctx.store().exceptions_from(super::today(ctx.core)).await?);
    if !upcoming.is_empty() {
        text.push_str(&format!("\n\n{}", ctx.t_args("hours-exceptions", &[("count", upcoming.len().into())])));
    }
    for (from, to, h, _) in &upcoming {
        let v = h.map(|h| h.format()).unwrap_or_else(|| ctx.t("hours-closed"));
        let day = if from == to { format!("{} ", weekday_label(&ctx.tr, *from)) } else { String::new() };
        text.push_str(&format!("\n{day}{}: {v}", run_dates(*from, *to)));
        // Telegram allows 100 buttons; the rest are removed by `/dayoff remove`, as the text says.
        if rows.len() < 40 {
            rows.push(vec![Button::new(
                format!("❌ {}", run_dates(*from, *to)),
                BookingCb::RemoveDaysOff(ymd(*from), ymd(*to)),
            )]);
        }
    }
    text.push_str(&format!("\n\n{}", ctx.t("hours-usage")));
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

fn parse_day(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.trim().split(['.', '/']).collect();
    let (d, m) = (parts.first()?.parse().ok()?, parts.get(1)?.parse().ok()?);
    let date = match parts.get(2) {
        Some(y) => NaiveDate::from_ymd_opt(y.parse::<i32>().ok().map(|y| if y < 100 { y + 2000 } else { y })?, m, d)?,
        None => NaiveDate::from_ymd_opt(today.year(), m, d)
            .filter(|x| *x >= today)
            .or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, m, d))?,
    };
    // A year typo (`31.12.20266`) would store a day nobody sees: days off are for the next two years.
    (date.year() <= today.year() + 2).then_some(date)
}

/// `/dayoff 31.12` (or `/dayoff 31.12 10-14` for a short day); `/vacation 01.08-14.08`.
pub async fn days_off(ctx: &Ctx<'_>, args: &str, vacation: bool) -> CoreResult {
    let today = super::today(ctx.core);
    let usage = if vacation { "vacation-usage" } else { "dayoff-usage" };
    let mut words = args.split_whitespace();
    let mut first = words.next().ok_or(CoreError::user(usage))?;
    let remove = ["remove", "видалити", "прибрати", "удалить"].contains(&first.to_lowercase().as_str());
    if remove {
        first = words.next().ok_or(CoreError::user(usage))?;
    }
    let (from, to) = if vacation || first.contains('-') && remove {
        let (a, b) = first.split_once('-').ok_or(CoreError::user(usage))?;
        (
            parse_day(a, today).ok_or(CoreError::user("err-when"))?,
            parse_day(b, today).ok_or(CoreError::user("err-when"))?,
        )
    } else {
        let d = parse_day(first, today).ok_or(CoreError::user("err-when"))?;
        (d, d)
    };
    if remove {
        return remove_days(ctx, from, to).await;
    }
    if from < today {
        return Err(CoreError::user("err-in-past"));
    }
    if to < from || (to - from).num_days() > 92 {
        return Err(CoreError::user(usage));
    }
    let short = match words.next() {
        Some(h) if !vacation => Some(DayHours::parse(h).map_err(|_| CoreError::user(usage))?),
        _ => None,
    };
    let reason = if vacation {
        "vacation"
    } else if short.is_some() {
        "short"
    } else {
        "day off"
    };
    ctx.store().set_exception(from, to, short, reason).await?;
    changed(ctx).await;
    let tz = ctx.tz();
    let start = crate::domain::when::resolve_local(tz, from, chrono::NaiveTime::MIN);
    let end = crate::domain::when::resolve_local(tz, to + Duration::days(1), chrono::NaiveTime::MIN);
    let affected =
        ctx.store().bookings_between(start, end).await?.into_iter().filter(|b| b.status.is_live()).collect::<Vec<_>>();
    let mut text = ctx.t_args(
        "days-off-set",
        &[("from", from.format("%d.%m.%Y").to_string().into()), ("to", to.format("%d.%m.%Y").to_string().into())],
    );
    let mut rows = vec![];
    if !affected.is_empty() {
        text.push_str(&format!("\n\n{}", ctx.t_args("days-off-conflicts", &[("count", affected.len().into())])));
        for b in &affected {
            text.push_str(&format!("\n• {} — {}", fmt_when(ctx.core, &ctx.tr, b.starts_at), b.client_name));
            rows.push(vec![Button::new(
                format!("❌ {} {}", b.starts_at.with_timezone(&tz).format("%d.%m %H:%M"), b.client_name),
                BookingCb::OwnerCancel(b.id),
            )]);
        }
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// Removes the days off or short days `from..=to`: they are working days again.
pub async fn remove_days(ctx: &Ctx<'_>, from: NaiveDate, to: NaiveDate) -> CoreResult {
    let removed = ctx.store().remove_exceptions(from, to).await?;
    if removed == 0 {
        return Err(CoreError::user("days-off-none"));
    }
    changed(ctx).await;
    let note = ctx.t_args("days-off-removed", &[("days", run_dates(from, to).into())]);
    let mut out = hours(ctx, "").await?;
    if let Some(r) = out.replies.first_mut() {
        r.text = format!("{note}\n\n{}", r.text);
        r.edit = ctx.from_button;
    }
    Ok(out)
}

/// The ❌ button of a day off.
pub async fn remove_button(ctx: &Ctx<'_>, from: u32, to: u32) -> CoreResult {
    match (from_ymd(from), from_ymd(to)) {
        (Some(f), Some(t)) if f <= t => remove_days(ctx, f, t).await,
        _ => Err(CoreError::NotFound),
    }
}
