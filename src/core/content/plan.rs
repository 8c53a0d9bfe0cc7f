//! The content calendar: `/plan` lists the next 30 days (the posts planned, how many days are
//! free, the drafts with no date yet), `/plan 12.12 <id>` or the 📅 button's next 14 days
//! schedule a post. Each scheduled post has one reminder job, due on its day at
//! `content.reminder_hour` business time and keyed `content:<id>:<date>`: written with the
//! schedule in one transaction (`store::content::schedule_post`), so a repeat or a restart never
//! sends it twice, moving the post replaces it and discarding cancels it. The reminder carries the
//! text to copy and a "✅ published" button.

use super::{card, post_or_gone, publish_text, ContentCb};
use crate::core::booking::{date_code, to_owners, today, weekday_label};
use crate::core::{parse_error, Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::when::{resolve_local, DayParts, DueTime};
use crate::domain::ParseError;
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::{Duration, NaiveDate, NaiveTime};

/// Days `/plan` shows.
pub const PLAN_DAYS: i64 = 30;
/// Days the 📅 button offers.
pub const PICK_DAYS: i64 = 14;

/// Every reminder of one post shares this key prefix.
pub fn key_prefix(post: i64) -> String {
    format!("content:{post}:")
}

/// The publish-day reminder of `post` on `date`.
pub fn reminder_job(core: &Core, post: i64, date: NaiveDate) -> NewJob {
    let hour = NaiveTime::from_hms_opt(core.config().content.reminder_hour, 0, 0).unwrap_or_default();
    let due = resolve_local(core.config().tz, date, hour);
    JobSpec::ContentReminder { post, date }.job(due, format!("{}{date}", key_prefix(post)))
}

/// `/plan`, or `/plan <day> <post id>`.
pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let args = args.trim();
    if args.is_empty() {
        return list(ctx).await;
    }
    let Some((day, id)) = args.rsplit_once(char::is_whitespace) else {
        return Err(CoreError::user("post-plan-usage"));
    };
    let Ok(id) = id.trim_start_matches('#').parse::<i64>() else {
        return Err(CoreError::user("post-plan-usage"));
    };
    // A day with no time is the end of that day: today stays allowed until it is over.
    let parts = DayParts { no_time: 23, ..ctx.core.config().day_parts };
    let date = match DueTime::parse_with(day, crate::store::now(), ctx.tz(), &parts) {
        Ok(d) => d.0.with_timezone(&ctx.tz()).date_naive(),
        Err(ParseError::InPast) => return Err(CoreError::user("post-plan-past")),
        Err(e) => return Err(parse_error(e, "date")),
    };
    schedule(ctx, id, date).await
}

/// The next 30 days: planned posts (a button each), free days, drafts waiting for a date.
pub async fn list(ctx: &Ctx<'_>) -> CoreResult {
    let from = today(ctx.core);
    let to = from + Duration::days(PLAN_DAYS - 1);
    let planned = ctx.store().planned_posts(from, to).await?;
    let fmt = |d: NaiveDate| d.format("%d.%m").to_string();
    let mut text = ctx.t_args("post-plan-title", &[("from", fmt(from).into()), ("to", fmt(to).into())]);
    let mut rows = vec![];
    if planned.is_empty() {
        text.push_str(&format!("\n{}", ctx.t("post-plan-none")));
    }
    for p in &planned {
        let Some(d) = p.publish_date else { continue };
        let day = format!("{} {}", weekday_label(&ctx.tr, d), fmt(d));
        text.push_str(&format!(
            "\n{}",
            ctx.t_args(
                "post-plan-row",
                &[
                    ("date", day.as_str().into()),
                    ("topic", p.topic.as_str().into()),
                    ("state", p.state.as_str().into())
                ]
            )
        ));
        if rows.len() < 20 {
            rows.push(vec![Button::new(format!("{day} · {}", p.topic), ContentCb::Open(p.id))]);
        }
    }
    let busy: std::collections::BTreeSet<NaiveDate> = planned.iter().filter_map(|p| p.publish_date).collect();
    text.push_str(&format!(
        "\n{}",
        ctx.t_args("post-plan-free", &[("count", (PLAN_DAYS as usize - busy.len()).into())])
    ));
    let waiting = ctx.store().unplanned_posts(10).await?;
    if !waiting.is_empty() {
        text.push_str(&format!("\n\n{}", ctx.t("post-plan-drafts")));
        for p in &waiting {
            rows.push(vec![Button::new(format!("📅 #{} {}", p.id, p.topic), ContentCb::Schedule(p.id))]);
        }
    }
    text.push_str(&format!("\n\n{}", ctx.t("post-plan-hint")));
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// 📅: the next 14 days as buttons.
pub async fn pick_day(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let post = post_or_gone(ctx, id).await?;
    if !matches!(post.state.as_str(), "draft" | "approved" | "scheduled") {
        return super::closed(&post);
    }
    let first = today(ctx.core);
    let days: Vec<Button> = (0..PICK_DAYS)
        .map(|i| first + Duration::days(i))
        .map(|d| {
            let label = format!("{} {}", weekday_label(&ctx.tr, d), d.format("%d.%m"));
            Button::new(label, ContentCb::Day(id, date_code(d)))
        })
        .collect();
    let rows = days.chunks(4).map(<[Button]>::to_vec).collect();
    Ok(Output::one(Reply::text(ctx.t_args("post-pick-day", &[("id", id.into())])).with_buttons(rows)))
}

/// Schedules post `id` on `date` (today or later), replacing its reminder.
pub async fn schedule(ctx: &Ctx<'_>, id: i64, date: NaiveDate) -> CoreResult {
    if date < today(ctx.core) {
        return Err(CoreError::user("post-plan-past"));
    }
    let post = post_or_gone(ctx, id).await?;
    let job = reminder_job(ctx.core, id, date);
    if !ctx.store().schedule_post(id, date, &key_prefix(id), &job).await? {
        return super::closed(&post);
    }
    tracing::info!(post = id, %date, "content post scheduled");
    let post = post_or_gone(ctx, id).await?;
    let text = ctx.t_args(
        "post-scheduled",
        &[
            ("id", id.into()),
            ("date", date.format("%d.%m.%Y").to_string().into()),
            ("hour", format!("{:02}", ctx.core.config().content.reminder_hour).into()),
        ],
    );
    Ok(Output::many(vec![card(ctx, &post, None).editing(ctx.from_button), Reply::text(text)]))
}

/// ✖: discarded, its reminder cancelled.
pub async fn discard(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let post = post_or_gone(ctx, id).await?;
    if !ctx.store().discard_post(id, &key_prefix(id)).await? {
        return super::closed(&post);
    }
    tracing::info!(post = id, "content post discarded");
    Ok(Output::one(Reply::text(ctx.t_args("post-discarded", &[("id", id.into())])).editing(ctx.from_button)))
}

/// "✅ published" (on the reminder or the card).
pub async fn published(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let post = post_or_gone(ctx, id).await?;
    if !ctx.store().set_post_state(id, &["approved", "scheduled"], "published").await? {
        return super::closed(&post);
    }
    tracing::info!(post = id, "content post published");
    Ok(Output::one(Reply::text(ctx.t_args("post-published", &[("id", id.into())])).editing(ctx.from_button)))
}

/// The job: the reminder to every owner chat, unless the post moved, was discarded or published.
pub async fn reminder(core: &Core, job: &Job, id: i64, date: NaiveDate) -> Outcome {
    let post = match core.store().post(id).await {
        Ok(Some(p)) => p,
        Ok(None) => return Outcome::done("skipped: no such post"),
        Err(e) => return retry(job.attempts, e),
    };
    if post.state != "scheduled" || post.publish_date != Some(date) {
        return Outcome::done(format!("skipped: the post is {} on {:?}", post.state, post.publish_date));
    }
    let body = publish_text(core, &post);
    let follow_ups = to_owners(core, &job.idempotency_key, |tr| {
        let head = tr.t_args("post-reminder", &[("id", id.into()), ("topic", post.topic.as_str().into())]);
        let button = (tr.t("btn-content-published"), ContentCb::Published(id).encode());
        (format!("{head}\n\n{body}"), vec![vec![button]])
    })
    .await;
    Outcome::Done { result: format!("reminder queued for {} owner chat(s)", follow_ups.len()), follow_ups }
}
