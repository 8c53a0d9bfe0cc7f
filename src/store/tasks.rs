//! The owner's tasks and follow-ups, optionally tied to a client.

use super::{Result, Store};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Task {
    pub id: i64,
    pub client_id: Option<i64>,
    pub body: String,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
}

impl Store {
    pub async fn create_task(&self, client_id: Option<i64>, body: &str, due_at: Option<DateTime<Utc>>) -> Result<i64> {
        let mut tx = self.begin().await?;
        if let Some(id) = client_id {
            self.client_exists(&mut tx, id).await?;
        }
        let id = sqlx::query_scalar(
            "INSERT INTO tasks (client_id, body, due_at, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(client_id)
        .bind(body)
        .bind(due_at)
        .bind(super::now())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn open_tasks_for_client(&self, client_id: i64) -> Result<Vec<Task>> {
        Ok(sqlx::query_as::<_, Task>(
            "SELECT id, client_id, body, due_at, done_at FROM tasks WHERE client_id = ? AND done_at IS NULL \
             ORDER BY due_at IS NULL, due_at, id LIMIT 10",
        )
        .bind(client_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn task(&self, id: i64) -> Result<Task> {
        sqlx::query_as::<_, Task>("SELECT id, client_id, body, due_at, done_at FROM tasks WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(super::StorageError::NotFound)
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
        Ok(crate::metrics::Gauges { clients, open_orders, tasks_due })
    }
}
