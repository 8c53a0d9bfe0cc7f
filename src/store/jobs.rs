//! The jobs table: durable work with an idempotency key, claimed with a lease.
//!
//! - `enqueue` inserts or, when the key exists, does nothing: scheduling the same reminder twice
//!   is harmless, and a job can be enqueued in the same transaction as the change that caused it.
//! - `claim_due` flips due jobs to `running` atomically (one `UPDATE ... RETURNING`).
//! - a crash leaves jobs `running`; `reclaim_running` at start-up puts them back and counts the
//!   reclaim, so a send that was in flight is known to be "in doubt".

use super::{Result, Store};
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

pub use crate::work::NewJob;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub due_at: DateTime<Utc>,
    pub attempts: i64,
    pub reclaims: i64,
    pub idempotency_key: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct JobCounts {
    pub due: i64,
    pub failed: i64,
    pub in_doubt: i64,
}

pub(crate) async fn enqueue_tx(tx: &mut Transaction<'_, Sqlite>, job: &NewJob) -> Result<bool> {
    insert_tx(tx, job, "DO NOTHING").await
}

/// [`enqueue_tx`], except that a job with the key that was cancelled comes back, pending, with
/// `job`'s due time and payload (one already done or failed stays as it is: never sent twice).
pub(crate) async fn enqueue_or_revive_tx(tx: &mut Transaction<'_, Sqlite>, job: &NewJob) -> Result<()> {
    insert_tx(
        tx,
        job,
        "DO UPDATE SET state = 'pending', due_at = excluded.due_at, payload = excluded.payload, attempts = 0, \
         updated_at = excluded.updated_at WHERE jobs.state = 'cancelled'",
    )
    .await?;
    Ok(())
}

/// Inserts `job`; `on_conflict` says what a job with the same key becomes. Whether a row was written.
async fn insert_tx(tx: &mut Transaction<'_, Sqlite>, job: &NewJob, on_conflict: &'static str) -> Result<bool> {
    let now = super::now();
    let sql = format!(
        "INSERT INTO jobs (kind, payload, due_at, idempotency_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (idempotency_key) {on_conflict}"
    );
    let done = sqlx::query(&sql)
        .bind(job.kind)
        .bind(&job.payload)
        .bind(job.due_at)
        .bind(&job.key)
        .bind(now)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels the pending jobs whose key starts with `prefix` (e.g. every reminder of one task).
pub(crate) async fn cancel_prefix_tx(tx: &mut Transaction<'_, Sqlite>, prefix: &str) -> Result<u64> {
    let mut upper = prefix.to_string();
    upper.push(char::MAX);
    let done = sqlx::query(
        "UPDATE jobs SET state = 'cancelled', updated_at = ? WHERE idempotency_key >= ? AND idempotency_key < ? AND state = 'pending'",
    )
    .bind(super::now())
    .bind(prefix)
    .bind(upper)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

impl Store {
    /// Adds a job unless one with the same key exists; returns whether it was added.
    pub async fn enqueue(&self, job: &NewJob) -> Result<bool> {
        let mut tx = self.begin().await?;
        let added = enqueue_tx(&mut tx, job).await?;
        tx.commit().await?;
        self.jobs_changed();
        Ok(added)
    }

    /// Adds many jobs in one transaction; returns how many were new.
    pub async fn enqueue_many(&self, jobs: &[NewJob]) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut added = 0;
        for job in jobs {
            added += enqueue_tx(&mut tx, job).await? as usize;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(added)
    }

    /// Claims up to `limit` jobs due by `now`; the lease runs from the real clock.
    pub async fn claim_due(&self, now: DateTime<Utc>, limit: i64, lease: chrono::Duration) -> Result<Vec<Job>> {
        let real_now = super::now();
        let mut tx = self.begin().await?;
        let jobs = sqlx::query_as::<_, Job>(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?, updated_at = ? \
             WHERE id IN (SELECT id FROM jobs WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?) \
             RETURNING id, kind, payload, due_at, attempts, reclaims, idempotency_key",
        )
        .bind(real_now + lease)
        .bind(real_now)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(jobs)
    }

    /// Marks a job done with the provider's answer, enqueuing follow-on jobs in the same
    /// transaction (a reminder becomes an outgoing message exactly once).
    pub async fn complete_job(&self, id: i64, result: &str, follow_ups: &[NewJob]) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE jobs SET state = 'done', result = ?, lease_until = NULL, updated_at = ? WHERE id = ?")
            .bind(result)
            .bind(super::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for job in follow_ups {
            enqueue_tx(&mut tx, job).await?;
        }
        tx.commit().await?;
        if !follow_ups.is_empty() {
            self.jobs_changed();
        }
        Ok(())
    }

    pub async fn retry_job(&self, id: i64, at: DateTime<Utc>, error: &str) -> Result<()> {
        sqlx::query("UPDATE jobs SET state = 'pending', due_at = ?, last_error = ?, lease_until = NULL, updated_at = ? WHERE id = ?")
            .bind(at)
            .bind(error)
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        self.jobs_changed();
        Ok(())
    }

    pub async fn fail_job(&self, id: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET state = 'failed', last_error = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
        )
        .bind(error)
        .bind(super::now())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// After a crash: jobs left `running` go back to `pending`, their reclaim counted.
    pub async fn reclaim_running(&self) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'pending', reclaims = reclaims + 1, lease_until = NULL, updated_at = ? WHERE state = 'running'",
        )
        .bind(super::now())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Jobs whose lease ran out while this process kept running (a stuck send): back to pending.
    pub async fn reclaim_expired(&self, now: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'pending', reclaims = reclaims + 1, lease_until = NULL, updated_at = ? \
             WHERE state = 'running' AND lease_until < ?",
        )
        .bind(now)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn next_due_at(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(sqlx::query_scalar("SELECT MIN(due_at) FROM jobs WHERE state = 'pending'").fetch_one(self.pool()).await?)
    }

    pub async fn job_counts(&self, now: DateTime<Utc>) -> Result<JobCounts> {
        let (due, failed, in_doubt): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND due_at <= ?), \
                    (SELECT COUNT(*) FROM jobs WHERE state = 'failed'), \
                    (SELECT COUNT(*) FROM jobs WHERE reclaims > 0)",
        )
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(JobCounts { due, failed, in_doubt })
    }

    pub async fn job_by_key(&self, key: &str) -> Result<Option<(String, Option<String>)>> {
        Ok(sqlx::query_as("SELECT state, result FROM jobs WHERE idempotency_key = ?")
            .bind(key)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Whether any job of `kind` was ever enqueued (an installation that already does this work).
    pub async fn has_job_kind(&self, kind: &str) -> Result<bool> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT 1 FROM jobs WHERE kind = ? LIMIT 1")
            .bind(kind)
            .fetch_optional(self.pool())
            .await?
            .is_some())
    }

    /// Wakes the worker: something was enqueued.
    pub fn jobs_changed(&self) {
        self.jobs_notify.notify_one();
    }

    pub fn jobs_notify(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.jobs_notify.clone()
    }
}
