//! Tasks and follow-ups: `/task <text> [when]`, the task buttons (done with an undo, move by an
//! hour, to tomorrow or to a typed time). The lists are `agenda`; reminders at the due time are
//! jobs (`work::spec::task_reminder`, sent by `reminders`).

use super::callback::callbacks;
use super::dialog;
use super::{card, parse_error, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::text::parse_free_text;
use crate::domain::when::resolve_local;
use crate::domain::DueTime;
use crate::store::tasks::Task;
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

/// Which list a button was pressed in, so the answer shows that list again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskView {
    List,
    Today,
}

impl TaskView {
    pub const ALL: [TaskView; 2] = [TaskView::List, TaskView::Today];

    pub fn code(self) -> &'static str {
        match self {
            TaskView::List => "l",
            TaskView::Today => "t",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

super::callback::coded_field!(Snooze, TaskView);

callbacks! {
    /// Buttons of tasks and of the reminders.
    pub enum TaskCb {
        /// A new task for this client (the guided flow).
        New(client: i64) => "t",
        Done(id: i64) => "td",
        Snooze(id: i64, how: Snooze) => "tz",
        List => "tk",
        Today => "to",
        /// Done in `/tasks` or `/today`: the list again, with an undo.
        DoneIn(id: i64, view: TaskView) => "tv",
        /// Open a done task again.
        Undo(id: i64) => "tu",
        /// The move menu: +1 h, tomorrow, a typed time.
        Move(id: i64) => "tm",
        /// Move to a time she types.
        MoveTyped(id: i64) => "tt",
    }
}

/// The owner pressed one of the task buttons.
pub async fn on_button(ctx: &Ctx<'_>, cb: TaskCb) -> CoreResult {
    match cb {
        TaskCb::New(id) => dialog::start(ctx, TaskDialog::Task { client: Some(id) }, "ask-task").await,
        TaskCb::Done(id) => done(ctx, id).await,
        TaskCb::Snooze(id, how) => snooze(ctx, id, how).await,
        TaskCb::List => super::agenda::list(ctx, true).await,
        TaskCb::Today => super::agenda::today(ctx, true).await,
        TaskCb::DoneIn(id, view) => done_in(ctx, id, view).await,
        TaskCb::Undo(id) => undo(ctx, id).await,
        TaskCb::Move(id) => move_menu(ctx, id).await,
        TaskCb::MoveTyped(id) => dialog::start(ctx, TaskDialog::TaskMove { id }, "ask-task-when").await,
    }
}

/// The task feature's one typed step (stored as `{"step":"task","client":3}`, see `dialog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum TaskDialog {
    Task {
        client: Option<i64>,
    },
    /// A new due time for task `id` (stored as `{"step":"task_move","id":7}`).
    TaskMove {
        id: i64,
    },
}

pub async fn answer(ctx: &Ctx<'_>, d: TaskDialog, text: &str) -> CoreResult {
    match d {
        TaskDialog::Task { client } => new_task(ctx, client, text).await,
        TaskDialog::TaskMove { id } => {
            let due = DueTime::parse_with(text, crate::store::now(), ctx.tz(), &ctx.core.config().day_parts)
                .map_err(|e| parse_error(e, "when"))?;
            dialog::clear(ctx).await?;
            move_to(ctx, id, due.0).await
        }
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

/// The undo row under a task just done.
fn undo_row(ctx: &Ctx<'_>, id: i64) -> Vec<Button> {
    vec![Button::new(ctx.t("btn-task-undo"), TaskCb::Undo(id))]
}

fn done_header(ctx: &Ctx<'_>, task: &Task) -> String {
    let who = task.client_name.as_deref().map(|n| format!(" (👤 {n})")).unwrap_or_default();
    format!("{}: {}{who}", ctx.t("task-done"), task.body)
}

/// Done from the card or a reminder: the card again (or the task), with an undo.
pub async fn done(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    ctx.store().complete_task(id).await?;
    let toast = ctx.t("task-done");
    let mut reply = match task.client_id {
        Some(c) => card::render(ctx, c, Some(done_header(ctx, &task))).await?,
        None => Reply::text(done_header(ctx, &task)),
    };
    reply.buttons.insert(0, undo_row(ctx, id));
    Ok(Output::one(reply.editing(ctx.from_button)).toast(toast))
}

/// Done in a list: the same list again, with an undo on top.
async fn done_in(ctx: &Ctx<'_>, id: i64, view: TaskView) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    ctx.store().complete_task(id).await?;
    let out = super::agenda::show(ctx, view, Some(done_header(ctx, &task)), undo_row(ctx, id)).await?;
    Ok(out.toast(ctx.t("task-done")))
}

/// Opens a done task again; its reminder, if still ahead, was never cancelled and fires.
async fn undo(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    if !ctx.store().reopen_task(id).await? {
        return Ok(Output::default().toast(ctx.t("task-already-open")));
    }
    let when = task.due_at.map(|d| card::fmt_time(ctx, d)).unwrap_or_else(|| ctx.t("task-no-due"));
    let text = ctx.t_args("task-reopened", &[("task", task.body.as_str().into()), ("when", when.into())]);
    Ok(Output::one(Reply::text(text).with_buttons(vec![task_buttons(ctx, &task)]).editing(ctx.from_button))
        .toast(ctx.t("task-reopened-toast")))
}

/// Done, move and (for a client's task) her card.
fn task_buttons(ctx: &Ctx<'_>, task: &Task) -> Vec<Button> {
    let mut row = vec![
        Button::new(ctx.t("btn-task-done"), TaskCb::Done(task.id)),
        Button::new(ctx.t("btn-task-move"), TaskCb::Move(task.id)),
    ];
    if let Some(c) = task.client_id {
        row.push(Button::new(ctx.t("btn-open-card"), super::card::ClientCb::Card(c)));
    }
    row
}

/// Where to move a task: +1 h, tomorrow, or a time she types.
async fn move_menu(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    if task.done_at.is_some() {
        return Ok(Output::default().toast(ctx.t("task-already-done")));
    }
    let text = ctx.t_args("task-move-title", &[("task", task.body.as_str().into())]);
    let rows = vec![
        vec![
            Button::new(ctx.t("btn-snooze-hour"), TaskCb::Snooze(id, Snooze::Hour)),
            Button::new(ctx.t("btn-snooze-tomorrow"), TaskCb::Snooze(id, Snooze::Tomorrow)),
        ],
        vec![Button::new(ctx.t("btn-task-move-typed"), TaskCb::MoveTyped(id))],
    ];
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

/// +1 hour from now, or tomorrow at the task's own time of day.
pub async fn snooze(ctx: &Ctx<'_>, id: i64, how: Snooze) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    if task.done_at.is_some() {
        return Ok(Output::default().toast(ctx.t("task-already-done")));
    }
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
    move_to(ctx, id, due).await
}

/// Moves task `id` to `due`: its old reminder goes, a new one comes, in one transaction.
async fn move_to(ctx: &Ctx<'_>, id: i64, due: chrono::DateTime<chrono::Utc>) -> CoreResult {
    let task = ctx.store().task(id).await.map_err(|_| CoreError::NotFound)?;
    let jobs = vec![crate::work::spec::task_reminder(id, due)];
    if !ctx.store().reschedule_task(id, due, &crate::work::spec::task_prefix(id), jobs).await? {
        return Ok(Output::default().toast(ctx.t("task-already-done")));
    }
    let text =
        ctx.t_args("task-snoozed", &[("task", task.body.as_str().into()), ("when", card::fmt_time(ctx, due).into())]);
    Ok(Output::one(Reply::text(text).with_buttons(vec![task_buttons(ctx, &task)]).editing(ctx.from_button)))
}
