//! Tasks and follow-ups: `/task <text> [when]` and the task buttons on the client card.
//! (Reminders at the due time arrive with the durable jobs table.)

use super::dialog::{self, Dialog};
use super::{card, parse_error, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::text::parse_free_text;
use crate::domain::DueTime;

pub async fn new_task(ctx: &Ctx<'_>, client: Option<i64>, args: &str) -> CoreResult {
    if args.trim().is_empty() {
        return dialog::start(ctx, Dialog::Task { client }, "ask-task").await;
    }
    let (text, due) = DueTime::split_trailing(args, crate::store::now(), ctx.tz());
    let due = match due {
        Some(Ok(d)) => Some(d.0),
        Some(Err(e)) => return Err(parse_error(e, "when")),
        None => None,
    };
    let body = parse_free_text(&text, super::clients::MAX_TEXT).map_err(|e| parse_error(e, "task"))?;
    let id = ctx.store().create_task(client, &body, due).await?;
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
        None => Ok(Output::one(Reply::text(toast))),
    }
}
