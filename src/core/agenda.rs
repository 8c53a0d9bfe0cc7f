//! The owner's lists: `/tasks` (every open task) and `/today` (visits, tasks and follow-ups due
//! by tonight, orders ready to hand out). Each task names its client, with her phone in the text
//! (Telegram makes it a tap to call) and a row of buttons: done, move, her card.

use super::tasks::{TaskCb, TaskView};
use super::{card, Button, CoreResult, Ctx, Output, Reply};
use crate::core::card::ClientCb;
use crate::core::orders::OrderCb;
use crate::domain::text::ellipsize;
use crate::domain::when::resolve_local;
use crate::domain::OrderStatus;
use crate::store::tasks::{Task, TaskKind};

/// `• Подзвонити: як устілки? — 👤 Ольга Коваль, +380671234567 — ❗25.11 10:00`
pub fn task_line(ctx: &Ctx<'_>, t: &Task, now: chrono::DateTime<chrono::Utc>) -> String {
    let due = match t.due_at {
        Some(d) if d < now => format!(" — ❗{}", card::fmt_time(ctx, d)),
        Some(d) => format!(" — {}", card::fmt_time(ctx, d)),
        None => String::new(),
    };
    let who = match (&t.client_name, &t.client_phone) {
        (Some(name), Some(phone)) => format!(" — 👤 {name}, {phone}"),
        (Some(name), None) => format!(" — 👤 {name}"),
        _ => String::new(),
    };
    format!("• {}{who}{due}", ellipsize(&t.body, 80))
}

/// Done, move, and her card, in one row.
fn task_row(ctx: &Ctx<'_>, t: &Task, view: TaskView) -> Vec<Button> {
    let mut row = vec![
        Button::new(format!("✔️ {}", ellipsize(&t.body, 20)), TaskCb::DoneIn(t.id, view)),
        Button::new(ctx.t("btn-task-move"), TaskCb::Move(t.id)),
    ];
    if let (Some(c), Some(name)) = (t.client_id, &t.client_name) {
        row.push(Button::new(format!("👤 {}", ellipsize(name, 18)), ClientCb::Card(c)));
    }
    row
}

/// `/tasks` or `/today`, with `header` (what was just done) and `top` (its undo) above.
pub async fn show(ctx: &Ctx<'_>, view: TaskView, header: Option<String>, top: Vec<Button>) -> CoreResult {
    let mut out = match view {
        TaskView::List => list(ctx, true).await?,
        TaskView::Today => today(ctx, true).await?,
    };
    if let Some(reply) = out.replies.first_mut() {
        if let Some(h) = header {
            reply.text = format!("{h}\n\n{}", reply.text);
        }
        if !top.is_empty() {
            reply.buttons.insert(0, top);
        }
    }
    Ok(out)
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
    let rows = tasks.iter().take(20).map(|t| task_row(ctx, t, TaskView::List)).collect();
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
                rows.push(task_row(ctx, t, TaskView::Today));
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
