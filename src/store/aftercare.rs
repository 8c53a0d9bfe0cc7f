//! Reminders tied to the product's life (`core::product_life`): rows written with their jobs in
//! one transaction when an order is issued, read back when a job runs, closed when sent, and
//! cancelled when the order is reopened (cancelled, refunded) or the client forgotten.
//! `lifecycle_effect` counts what came after the reminders sent: a visit booked or an order
//! placed by the same client within [`EFFECT_DAYS`].

use super::{jobs, Result, Store};
use crate::work::NewJob;
use chrono::{DateTime, Utc};

/// A booking or order this many days after a reminder counts as its effect (written into the
/// triggers of `migrations/0014_report_effects.sql`; a test keeps them equal).
pub const EFFECT_DAYS: i64 = 30;

/// A reminder to schedule.
#[derive(Debug, Clone)]
pub struct NewAftercare {
    pub order_id: i64,
    pub kind: &'static str,
    pub mode: &'static str,
    pub due_at: DateTime<Utc>,
}

/// A reminder with what its job needs to decide and say.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Aftercare {
    pub id: i64,
    pub order_id: i64,
    pub kind: String,
    pub mode: String,
    pub due_at: DateTime<Utc>,
    pub status: String,
    pub client_id: i64,
    pub client_name: String,
    pub product: String,
    pub order_status: String,
    pub telegram_id: Option<i64>,
    pub phone: Option<String>,
    pub opt_out: bool,
    pub forgotten: bool,
    /// Money in minus money refunded on the order, and whether any refund was booked.
    pub paid_net_kop: i64,
    pub refunds: i64,
}

const SELECT: &str = "SELECT a.id, a.order_id, a.kind, a.mode, a.due_at, a.status, o.client_id, \
     c.full_name AS client_name, o.product, o.status AS order_status, c.telegram_id, c.phone, \
     c.aftercare_opt_out AS opt_out, (c.source IS 'deleted') AS forgotten, \
     (SELECT COALESCE(SUM(CASE e.kind WHEN 'income' THEN e.amount_kop WHEN 'refund' THEN -e.amount_kop ELSE 0 END), 0) \
        FROM cash_entries e WHERE e.order_id = o.id) AS paid_net_kop, \
     (SELECT COUNT(*) FROM cash_entries e WHERE e.order_id = o.id AND e.kind = 'refund') AS refunds \
     FROM aftercare a JOIN orders o ON o.id = a.order_id JOIN clients c ON c.id = o.client_id";

/// Sent, and what followed within [`EFFECT_DAYS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LifecycleEffect {
    pub sent: i64,
    /// Reminders after which the client booked a visit.
    pub rebooked: i64,
    /// Reminders after which the client placed another order.
    pub reordered: i64,
}

/// Key prefix of every job of one order's reminders (cancelled together).
pub fn order_prefix(order_id: i64) -> String {
    format!("aftercare:o{order_id}:")
}

/// Writes the rows and, for each new one, the job `job(id, row)` made for it; a row already there
/// (same order, kind and due time) is left alone. Returns the new ids.
pub(crate) async fn insert_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    rows: &[NewAftercare],
    job: &(dyn Fn(i64, &NewAftercare) -> NewJob + Send + Sync),
) -> Result<Vec<i64>> {
    let mut ids = vec![];
    for r in rows {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO aftercare (order_id, kind, mode, due_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (order_id, kind, due_at) DO NOTHING RETURNING id",
        )
        .bind(r.order_id)
        .bind(r.kind)
        .bind(r.mode)
        .bind(r.due_at)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = id {
            jobs::enqueue_tx(tx, &job(id, r)).await?;
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A new order of `client_id` (order `new_id`): her older orders' replacement offers are moot.
pub(crate) async fn supersede_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    client_id: i64,
    new_id: i64,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE aftercare SET status = 'cancelled' WHERE kind = 'replacement' AND status = 'pending' \
         AND order_id IN (SELECT id FROM orders WHERE client_id = ? AND id < ?)",
    )
    .bind(client_id)
    .bind(new_id)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Cancels an order's pending reminders and their jobs.
pub(crate) async fn cancel_tx(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, order_id: i64) -> Result<u64> {
    let n = sqlx::query("UPDATE aftercare SET status = 'cancelled' WHERE order_id = ? AND status = 'pending'")
        .bind(order_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    jobs::cancel_prefix_tx(tx, &order_prefix(order_id)).await?;
    Ok(n)
}

impl Store {
    /// Schedules reminders (see [`insert_tx`]) in one transaction.
    pub async fn schedule_aftercare(
        &self,
        rows: &[NewAftercare],
        job: &(dyn Fn(i64, &NewAftercare) -> NewJob + Send + Sync),
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let ids = insert_tx(&mut tx, rows, job).await?;
        tx.commit().await?;
        self.jobs_changed();
        Ok(ids)
    }

    /// Replaces each pending reminder `id` by `row` (due sooner, say), in one transaction; a
    /// reminder no longer pending is left alone. Returns how many were replaced.
    pub async fn bring_forward_aftercare(
        &self,
        moved: &[(i64, NewAftercare)],
        job: &(dyn Fn(i64, &NewAftercare) -> NewJob + Send + Sync),
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut n = 0;
        for (id, row) in moved {
            let done = sqlx::query("UPDATE aftercare SET status = 'cancelled' WHERE id = ? AND status = 'pending'")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                n += insert_tx(&mut tx, std::slice::from_ref(row), job).await?.len();
            }
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(n)
    }

    pub async fn aftercare(&self, id: i64) -> Result<Option<Aftercare>> {
        Ok(sqlx::query_as(&format!("{SELECT} WHERE a.id = ?")).bind(id).fetch_optional(self.pool()).await?)
    }

    /// An order's reminders, by due time.
    pub async fn aftercare_for_order(&self, order_id: i64) -> Result<Vec<Aftercare>> {
        Ok(sqlx::query_as(&format!("{SELECT} WHERE a.order_id = ? ORDER BY a.due_at, a.id"))
            .bind(order_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// Closes a pending reminder as `status` (`sent`, `skipped`, `cancelled`); false when it was
    /// not pending any more.
    pub async fn close_aftercare(&self, id: i64, status: &str) -> Result<bool> {
        let sent_at = (status == "sent").then(super::now);
        Ok(sqlx::query("UPDATE aftercare SET status = ?, sent_at = ? WHERE id = ? AND status = 'pending'")
            .bind(status)
            .bind(sent_at)
            .bind(id)
            .execute(self.pool())
            .await?
            .rows_affected()
            == 1)
    }

    /// Marks reminder `id` sent and makes the owner's task for it (`jobs(task id)`: its reminder),
    /// in one transaction; `None` when it was not pending (a rerun makes no second task).
    pub async fn aftercare_task(
        &self,
        id: i64,
        client_id: i64,
        body: &str,
        due_at: DateTime<Utc>,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let closed =
            sqlx::query("UPDATE aftercare SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'pending'")
                .bind(super::now())
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if closed == 0 {
            return Ok(None);
        }
        let task = super::tasks::NewTask {
            client_id: Some(client_id),
            body,
            due_at: Some(due_at),
            kind: super::tasks::TaskKind::Task,
            order_id: None,
        };
        let task_id = super::tasks::insert_tx(&mut tx, task, jobs).await?;
        tx.commit().await?;
        self.jobs_changed();
        Ok(Some(task_id))
    }

    pub async fn cancel_aftercare(&self, order_id: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        let n = cancel_tx(&mut tx, order_id).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The client's choice: no more reminders (STOP), or again.
    pub async fn set_aftercare_opt_out(&self, client_id: i64, out: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE clients SET aftercare_opt_out = ? WHERE id = ?")
            .bind(out)
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        if out {
            sqlx::query(
                "UPDATE aftercare SET status = 'cancelled' WHERE status = 'pending' AND mode = 'message' \
                 AND order_id IN (SELECT id FROM orders WHERE client_id = ?)",
            )
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Reminders sent in `[from, to)` and how many were followed by a booking or an order of the
    /// same client within [`EFFECT_DAYS`].
    pub async fn lifecycle_effect(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<LifecycleEffect> {
        // `rebooked` and `reordered` are set by 0014_report_effects.sql's triggers when the
        // booking or order comes (within EFFECT_DAYS of the reminder).
        let (sent, rebooked, reordered): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(rebooked), 0), COALESCE(SUM(reordered), 0) FROM aftercare \
             WHERE status = 'sent' AND sent_at >= ? AND sent_at < ?",
        )
        .bind(from)
        .bind(to)
        .fetch_one(self.pool())
        .await?;
        Ok(LifecycleEffect { sent, rebooked, reordered })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_triggers_count_the_same_days_as_the_report_says() {
        let sql = include_str!("../../migrations/0014_report_effects.sql");
        let days = format!("'+{} days'", super::EFFECT_DAYS);
        assert_eq!(sql.matches("days'").count(), 4, "the trigger on sending and the two on what follows name it");
        assert_eq!(sql.matches(days.as_str()).count(), 4, "every window is EFFECT_DAYS");
    }
}
