//! Turning a due task into reminder messages: one outbox message per owner chat (in that owner's
//! language, with Done / +1 h / Tomorrow buttons, through `booking::to_owners`), enqueued in the
//! same transaction that marks the reminder job done, and a line on the console when one is open.

use super::booking::to_owners;
use super::Core;
use crate::core::card::ClientCb;
use crate::core::tasks::Snooze;
use crate::core::tasks::TaskCb;
use crate::i18n::Tr;
use crate::store::jobs::Job;
use crate::store::tasks::Task;
use crate::store::StorageError;
use crate::work::{retry, Outcome};
use chrono::{DateTime, Utc};

/// The reminder text and buttons for one task, in one language.
pub fn render(core: &Core, tr: Tr<'_>, task: &Task, client: Option<&str>) -> (String, Vec<Vec<(String, String)>>) {
    let when =
        task.due_at.map(|d| d.with_timezone(&core.config().tz).format("%d.%m %H:%M").to_string()).unwrap_or_default();
    let mut text = tr.t_args("reminder-text", &[("task", task.body.as_str().into()), ("when", when.into())]);
    if let Some(name) = client {
        text.push_str(&format!("\n👤 {name}"));
    }
    let mut rows = vec![vec![
        (tr.t("btn-task-done"), TaskCb::Done(task.id).encode()),
        (tr.t("btn-snooze-hour"), TaskCb::Snooze(task.id, Snooze::Hour).encode()),
        (tr.t("btn-snooze-tomorrow"), TaskCb::Snooze(task.id, Snooze::Tomorrow).encode()),
    ]];
    let mut second = vec![(tr.t("btn-task-move-typed"), TaskCb::MoveTyped(task.id).encode())];
    if let Some(c) = task.client_id {
        second.push((tr.t("btn-open-card"), ClientCb::Card(c).encode()));
    }
    rows.push(second);
    (text, rows)
}

pub async fn task_reminder(core: &Core, job: &Job, task_id: i64, due_at: DateTime<Utc>) -> Outcome {
    let store = core.store();
    let task = match store.task(task_id).await {
        Ok(t) => t,
        Err(StorageError::NotFound) => return Outcome::done("skipped: task no longer exists"),
        Err(e) => return retry(job.attempts, e.to_string()),
    };
    if task.done_at.is_some() {
        return Outcome::done("skipped: task already done");
    }
    if task.due_at != Some(due_at) {
        return Outcome::done("skipped: task was moved");
    }
    let client = match task.client_id {
        Some(id) => store.client(id).await.ok().map(|c| c.full_name),
        None => None,
    };
    let follow_ups = to_owners(core, &job.idempotency_key, |tr| render(core, *tr, &task, client.as_deref())).await;
    Outcome::Done { result: format!("reminder queued for {} owner chat(s)", follow_ups.len()), follow_ups }
}
