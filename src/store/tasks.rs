//! The owner's tasks and follow-ups, optionally tied to a client.

use super::{jobs, Result, Store};
use crate::work::NewJob;
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

/// A task with its client's name and phone, so every list can say whose task it is.
const TASK_SELECT: &str = "SELECT t.id, t.client_id, t.body, t.due_at, t.done_at, t.kind, t.order_id, \
     c.full_name AS client_name, c.phone AS client_phone FROM tasks t LEFT JOIN clients c ON c.id = t.client_id";

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct Task {
    pub id: i64,
    pub client_id: Option<i64>,
    pub body: String,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub kind: String,
    pub order_id: Option<i64>,
    pub client_name: Option<String>,
    pub client_phone: Option<String>,
}

/// What a task is for: the owner's own, or the automatic follow-up of an issued order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    Task,
    FollowUp,
}

impl TaskKind {
    pub fn code(self) -> &'static str {
        match self {
            TaskKind::Task => "task",
            TaskKind::FollowUp => "follow_up",
        }
    }
}

/// Inserts a task and the jobs the caller made for it (`jobs(id)`: its reminder), in the
/// caller's transaction. The store writes jobs; it never decides them.
pub(crate) async fn insert_tx(
    tx: &mut Transaction<'_, Sqlite>,
    task: NewTask<'_>,
    jobs: impl FnOnce(i64) -> Vec<NewJob>,
) -> Result<i64> {
    let NewTask { client_id, body, due_at, kind, order_id } = task;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tasks (client_id, body, due_at, created_at, kind, order_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(client_id)
    .bind(body)
    .bind(due_at)
    .bind(super::now())
    .bind(kind.code())
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    for job in jobs(id) {
        jobs::enqueue_tx(tx, &job).await?;
    }
    Ok(id)
}

/// A task to insert.
pub(crate) struct NewTask<'a> {
    pub client_id: Option<i64>,
    pub body: &'a str,
    pub due_at: Option<DateTime<Utc>>,
    pub kind: TaskKind,
    pub order_id: Option<i64>,
}

impl Store {
    /// A task with the jobs the caller made for it (`work::spec::task_jobs`: its reminder).
    pub async fn create_task(
        &self,
        client_id: Option<i64>,
        body: &str,
        due_at: Option<DateTime<Utc>>,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        if let Some(id) = client_id {
            self.client_exists(&mut tx, id).await?;
        }
        let task = NewTask { client_id, body, due_at, kind: TaskKind::Task, order_id: None };
        let id = insert_tx(&mut tx, task, jobs).await?;
        tx.commit().await?;
        self.jobs_changed();
        Ok(id)
    }

    /// Moves an open task to `due_at`: its pending jobs (keys starting with `cancel_prefix`) are
    /// cancelled and `jobs` scheduled instead, in one transaction. Returns false when the task is
    /// already done.
    pub async fn reschedule_task(
        &self,
        id: i64,
        due_at: DateTime<Utc>,
        cancel_prefix: &str,
        jobs: Vec<NewJob>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE tasks SET due_at = ? WHERE id = ? AND done_at IS NULL")
            .bind(due_at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        jobs::cancel_prefix_tx(&mut tx, cancel_prefix).await?;
        for job in &jobs {
            jobs::enqueue_tx(&mut tx, job).await?;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(true)
    }

    /// Open tasks due before `until` (overdue included), earliest first.
    pub async fn tasks_due_before(&self, until: DateTime<Utc>, limit: i64) -> Result<Vec<Task>> {
        Ok(sqlx::query_as::<_, Task>(&format!(
            "{TASK_SELECT} WHERE t.done_at IS NULL AND t.due_at IS NOT NULL AND t.due_at < ? ORDER BY t.due_at, t.id LIMIT ?"
        ))
        .bind(until)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// Every open task: dated ones first by due time, then undated ones.
    pub async fn open_tasks(&self, limit: i64) -> Result<Vec<Task>> {
        Ok(sqlx::query_as::<_, Task>(&format!(
            "{TASK_SELECT} WHERE t.done_at IS NULL ORDER BY t.due_at IS NULL, t.due_at, t.id LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn open_tasks_for_client(&self, client_id: i64) -> Result<Vec<Task>> {
        open_tasks_for_client_on(self.pool(), client_id).await
    }

    pub async fn task(&self, id: i64) -> Result<Task> {
        sqlx::query_as::<_, Task>(&format!("{TASK_SELECT} WHERE t.id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(super::StorageError::NotFound)
    }

    /// Opens a done task again (the owner's undo). False when it was not done.
    pub async fn reopen_task(&self, id: i64) -> Result<bool> {
        let r = sqlx::query("UPDATE tasks SET done_at = NULL WHERE id = ? AND done_at IS NOT NULL")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected() > 0)
    }

    pub async fn complete_task(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE tasks SET done_at = ? WHERE id = ? AND done_at IS NULL")
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

impl Store {
    /// Counts for `/metrics`: clients, open orders, overdue open tasks.
    pub async fn gauges(&self) -> Result<crate::metrics::Gauges> {
        let (clients, open_orders, tasks_due): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM clients), \
                    (SELECT COUNT(*) FROM orders WHERE status IN ('new', 'prod', 'ready')), \
                    (SELECT COUNT(*) FROM tasks WHERE done_at IS NULL AND due_at IS NOT NULL AND due_at <= ?)",
        )
        .bind(super::now())
        .fetch_one(self.pool())
        .await?;
        let jobs = self.job_counts(super::now()).await?;
        let (direct, direct_fallbacks) = self.direct_counts();
        Ok(crate::metrics::Gauges {
            direct: direct as i64,
            direct_fallbacks: direct_fallbacks as i64,
            clients,
            open_orders,
            tasks_due,
            jobs_due: jobs.due,
            jobs_failed: jobs.failed,
            jobs_in_doubt: jobs.in_doubt,
            ..Default::default()
        })
    }
}

/// A client's open tasks, dated ones first (bind her id).
pub(super) fn open_tasks_for_client_sql() -> String {
    format!(
        "{TASK_SELECT} WHERE t.client_id = ? AND t.done_at IS NULL ORDER BY t.due_at IS NULL, t.due_at, t.id LIMIT 10"
    )
}

pub(super) async fn open_tasks_for_client_on<'e>(
    e: impl sqlx::SqliteExecutor<'e>,
    client_id: i64,
) -> Result<Vec<Task>> {
    Ok(sqlx::query_as::<_, Task>(&open_tasks_for_client_sql()).bind(client_id).fetch_all(e).await?)
}
