//! Turning a due task into reminder messages: one outbox message per owner chat (in that owner's
//! language, with Done / +1 h / Tomorrow buttons), enqueued in the same transaction that marks the
//! reminder job done, and a line on the console when one is open.

use super::callback::{Cb, Snooze};
use super::Core;
use crate::i18n::{Lang, Tr};
use crate::jobs::spec::JobSpec;
use crate::jobs::{backoff, Outcome};
use crate::store::jobs::Job;
use crate::store::tasks::Task;
use crate::store::StorageError;
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
        (tr.t("btn-task-done"), Cb::TaskDone(task.id).encode()),
        (tr.t("btn-snooze-hour"), Cb::TaskSnooze(task.id, Snooze::Hour).encode()),
        (tr.t("btn-snooze-tomorrow"), Cb::TaskSnooze(task.id, Snooze::Tomorrow).encode()),
    ]];
    if let Some(c) = task.client_id {
        rows.push(vec![(tr.t("btn-open-card"), Cb::Card(c).encode())]);
    }
    (text, rows)
}

async fn lang_of(core: &Core, actor: &str) -> Lang {
    match core.store().lang(actor).await {
        Ok(Some(code)) => Lang::from_code(&code).unwrap_or_default(),
        _ => Lang::Uk,
    }
}

pub async fn task_reminder(core: &Core, has_bot: bool, job: &Job, task_id: i64, due_at: DateTime<Utc>) -> Outcome {
    let store = core.store();
    let task = match store.task(task_id).await {
        Ok(t) => t,
        Err(StorageError::NotFound) => return Outcome::done("skipped: task no longer exists"),
        Err(e) => return Outcome::Retry { after: backoff(job.attempts), error: e.to_string() },
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
    let mut follow_ups = vec![];
    if has_bot {
        for owner in &core.config().owner_telegram_ids {
            let tr = Tr { i18n: core.i18n(), lang: lang_of(core, &format!("telegram:{owner}")).await };
            let (text, buttons) = render(core, tr, &task, client.as_deref());
            let key = format!("{}:tg:{owner}", job.idempotency_key);
            follow_ups.push(JobSpec::SendTelegram { chat_id: *owner, text, buttons }.job(Utc::now(), key));
        }
    }
    let tr = Tr { i18n: core.i18n(), lang: lang_of(core, "console:owner").await };
    let (text, _) = render(core, tr, &task, client.as_deref());
    core.notice(text);
    Outcome::Done { result: format!("reminder queued for {} owner chat(s)", follow_ups.len()), follow_ups }
}
