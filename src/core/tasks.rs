//! Tasks and follow-ups: `/task <text> [when]` and the task buttons on the client card.
//! (Reminders at the due time arrive with the durable jobs table.)

use super::callback::callbacks;
use super::dialog;
use super::{card, parse_error, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::card::ClientCb;
use crate::core::orders::OrderCb;
use crate::domain::text::{ellipsize, parse_free_text};
use crate::domain::when::resolve_local;
use crate::domain::{DueTime, OrderStatus};
use crate::store::tasks::{Task, TaskKind};
use serde::{Deserialize, Serialize};

/// How far a reminder is pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snooze {
    Hour,
    Tomorrow,
}

impl Snooze {
    pub const ALL: [Snooze; 2] = [Snooze::Hour, Snooze::Tomorrow];

    /// Its code in callback data: `tz:<task>:h`.
    pub fn code(self) -> &'static str {
        match self {
            Snooze::Hour => "h",
            Snooze::Tomorrow => "d",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

super::callback::coded_field!(Snooze);

callbacks! {
    /// Buttons of tasks and of the reminders.
    pub enum TaskCb {
        /// A new task for this client (the guided flow).
        New(client: i64) => "t",
        Done(id: i64) => "td",
        Snooze(id: i64, how: Snooze) => "tz",
        List => "tk",
        Today => "to",
    }
}

/// The owner pressed one of the task buttons.
pub async fn on_button(ctx: &Ctx<'_>, cb: TaskCb) -> CoreResult {
    match cb {
        TaskCb::New(id) => dialog::start(ctx, TaskDialog::Task { client: Some(id) }, "ask-task").await,
        TaskCb::Done(id) => done(ctx, id).await,
        TaskCb::Snooze(id, how) => snooze(ctx, id, how).await,
        TaskCb::List => list(ctx, true).await,
        TaskCb::Today => today(ctx, true).await,
    }
}

/// The task feature's one typed step (stored as `{"step":"task","client":3}`, see `dialog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum TaskDialog {
    Task { client: Option<i64> },
}

pub async fn answer(ctx: &Ctx<'_>, d: TaskDialog, text: &str) -> CoreResult {
    match d {
        TaskDialog::Task { client } => new_task(ctx, client, text).await,
    }
}

pub async fn new_task(ctx: &Ctx<'_>, client: Option<i64>, args: &str) -> CoreResult {
    if args.trim().is_empty() {
        return dialog::start(ctx, TaskDialog::Task { client }, "ask-task").await;
    }
    let (text, due) = DueTime::split_trailing(args, crate::store::now(), ctx.tz(), &ctx.core.config().day_parts);
    let due = match due {
        Some(Ok(d)) => Some(d.0),
        Some(Err(e)) => return Err(parse_error(e, "when")),
        None => None,
    };
    let body = parse_free_text(&text, super::clients::MAX_TEXT).map_err(|e| parse_error(e, "task"))?;
    let id = ctx.store().create_task(client, &body, due, crate::work::spec::task_jobs(due)).await?;
    tracing::info!(task = id, "task created");
    dialog::clear(ctx).await?;
    let when = due.map(|d| card::fmt_time(ctx, d)).unwrap_or_else(|| ctx.t("task-no-due"));
    let header = ctx.t_args("task-created", &[("task", body.as_str().into()), ("when", when.into())]);
    match client {
        Some(c) => Ok(Output::one(card::render(ctx, c, Some(header)).await?)),
        None => Ok(Output::one(Reply::text(header))),
    }
}

pub async fn done(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    ctx.store().complete_task(id).await?;
    let toast = ctx.t("task-done");
    match task.client_id {
        Some(c) => Ok(Output::one(card::render(ctx, c, None).await?.editing(ctx.from_button)).toast(toast)),
        None => Ok(Output::one(Reply::text(format!("{toast}: {}", task.body)).editing(ctx.from_button)).toast(toast)),
    }
}

/// +1 hour from now, or tomorrow at the task's own time of day.
pub async fn snooze(ctx: &Ctx<'_>, id: i64, how: Snooze) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    let now = crate::store::now();
    let due = match how {
        Snooze::Hour => now + chrono::Duration::hours(1),
        Snooze::Tomorrow => {
            let tz = ctx.tz();
            let time = task.due_at.unwrap_or(now).with_timezone(&tz).time();
            let date = now.with_timezone(&tz).date_naive() + chrono::Duration::days(1);
            resolve_local(tz, date, time)
        }
    };
    let jobs = vec![crate::work::spec::task_reminder(id, due)];
    if !ctx.store().reschedule_task(id, due, &crate::work::spec::task_prefix(id), jobs).await? {
        return Ok(Output::default().toast(ctx.t("task-already-done")));
    }
    let text =
        ctx.t_args("task-snoozed", &[("task", task.body.as_str().into()), ("when", card::fmt_time(ctx, due).into())]);
    let buttons = vec![vec![Button::new(ctx.t("btn-task-done"), TaskCb::Done(id))]];
    Ok(Output::one(Reply::text(text).with_buttons(buttons).editing(ctx.from_button)))
}

fn task_line(ctx: &Ctx<'_>, t: &Task, now: chrono::DateTime<chrono::Utc>) -> String {
    let due = match t.due_at {
        Some(d) if d < now => format!(" — ❗{}", card::fmt_time(ctx, d)),
        Some(d) => format!(" — {}", card::fmt_time(ctx, d)),
        None => String::new(),
    };
    format!("• {}{due}", ellipsize(&t.body, 80))
}

fn done_button(t: &Task) -> Vec<Button> {
    vec![Button::new(format!("✔️ {}", ellipsize(&t.body, 28)), TaskCb::Done(t.id))]
}

/// `/tasks`: every open task, dated first.
pub async fn list(ctx: &Ctx<'_>, edit: bool) -> CoreResult {
    let tasks = ctx.store().open_tasks(50).await?;
    if tasks.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("tasks-none")).editing(edit)));
    }
    let now = crate::store::now();
    let mut text = ctx.t_args("tasks-title", &[("count", tasks.len().into())]);
    for t in &tasks {
        text.push('\n');
        text.push_str(&task_line(ctx, t, now));
    }
    let rows = tasks.iter().take(20).map(done_button).collect();
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(edit)))
}

/// `/today`: tasks and follow-ups due by tonight (overdue included), orders ready to hand out.
pub async fn today(ctx: &Ctx<'_>, edit: bool) -> CoreResult {
    let tz = ctx.tz();
    let now = crate::store::now();
    let local = now.with_timezone(&tz);
    let midnight = resolve_local(tz, local.date_naive() + chrono::Duration::days(1), chrono::NaiveTime::MIN);
    let due = ctx.store().tasks_due_before(midnight, 50).await?;
    let ready: Vec<_> =
        ctx.store().open_orders(300).await?.into_iter().filter(|o| o.status == OrderStatus::Ready).collect();
    let (follow_ups, tasks): (Vec<&Task>, Vec<&Task>) = due.iter().partition(|t| t.kind == TaskKind::FollowUp.code());
    let start_of_day = resolve_local(tz, local.date_naive(), chrono::NaiveTime::MIN);
    let visits = ctx.store().bookings_between(start_of_day, midnight).await?;
    let mut text = ctx.t_args("today-title", &[("date", local.format("%d.%m").to_string().into())]);
    let mut rows = vec![];
    if !visits.is_empty() {
        text.push_str(&format!("\n\n{}", ctx.t_args("today-bookings", &[("count", visits.len().into())])));
        for b in &visits {
            let mark = match b.status {
                crate::domain::BookingStatus::Came => "✅ ",
                crate::domain::BookingStatus::NoShow => "🚫 ",
                _ => "",
            };
            let svc = crate::core::booking::service_label(&ctx.tr, &b.service);
            text.push_str(&format!(
                "\n{mark}{} {} — {svc}",
                b.starts_at.with_timezone(&tz).format("%H:%M"),
                b.client_name
            ));
            rows.push(vec![Button::new(
                format!("🗓 {} {}", b.starts_at.with_timezone(&tz).format("%H:%M"), ellipsize(&b.client_name, 24)),
                ClientCb::Card(b.client_id),
            )]);
        }
    }
    if tasks.is_empty() && follow_ups.is_empty() && ready.is_empty() && visits.is_empty() {
        text.push_str("\n\n");
        text.push_str(&ctx.t("today-empty"));
    }
    for (key, group) in [("today-tasks", &tasks), ("today-follow-ups", &follow_ups)] {
        if group.is_empty() {
            continue;
        }
        text.push_str(&format!("\n\n{}", ctx.t_args(key, &[("count", group.len().into())])));
        for t in group.iter() {
            text.push('\n');
            text.push_str(&task_line(ctx, t, now));
            if rows.len() < 25 {
                rows.push(done_button(t));
            }
        }
    }
    if !ready.is_empty() {
        text.push_str(&format!("\n\n{}", ctx.t_args("today-ready", &[("count", ready.len().into())])));
        for o in &ready {
            text.push_str(&format!("\n• #{} {} — {}", o.id, o.client_name, ellipsize(&o.product, 40)));
            if rows.len() < 30 {
                rows.push(vec![Button::new(
                    format!("📦 #{} {}", o.id, ellipsize(&o.client_name, 24)),
                    OrderCb::Show(o.id),
                )]);
            }
        }
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(edit)))
}
