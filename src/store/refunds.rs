//! Refunds of Monobank payments asked for by the owner, each with our `extRef` (sent with the
//! call, so a retried call is recognised in the link's `cancelList`), and what can still be
//! refunded on a link: paid, less refunded and refunds under way.

use super::{Result, StorageError, Store};
use crate::domain::Money;
use crate::work::NewJob;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Refund {
    pub id: i64,
    pub invoice_id: i64,
    pub amount_kop: i64,
    pub ext_ref: String,
    pub status: String,
    pub error: Option<String>,
}

impl Store {
    /// What can still be given back on link `id`: paid, less refunded and refunds under way.
    pub async fn refundable(&self, id: i64) -> Result<Money> {
        refundable_on(self.pool(), id).await
    }

    /// A refund of `amount` on link `id` with its reference, written with the job that asks
    /// Monobank for it; `None` when more than is refundable.
    pub async fn create_refund(
        &self,
        id: i64,
        amount: Money,
        ext_ref: &str,
        by: &str,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        if refundable_on(&mut *tx, id).await? < amount {
            return Ok(None);
        }
        let now = super::now();
        let rid: i64 = sqlx::query_scalar(
            "INSERT INTO refunds (invoice_id, amount_kop, ext_ref, status, created_by, created_at, updated_at) \
             VALUES (?, ?, ?, 'requested', ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(amount.kopecks())
        .bind(ext_ref)
        .bind(by)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StorageError::from_sqlx)?;
        for j in &jobs(rid) {
            super::jobs::enqueue_tx(&mut tx, j).await?;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(Some(rid))
    }

    pub async fn refund(&self, id: i64) -> Result<Refund> {
        sqlx::query_as("SELECT id, invoice_id, amount_kop, ext_ref, status, error FROM refunds WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StorageError::NotFound)
    }

    /// Records Monobank's answer to a refund (`processing`, `success`, `failure`).
    pub async fn set_refund_status(&self, id: i64, status: &str, error: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE refunds SET status = ?, error = COALESCE(?, error), updated_at = ? WHERE id = ?")
            .bind(status)
            .bind(error)
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

async fn refundable_on<'e>(e: impl sqlx::SqliteExecutor<'e>, id: i64) -> Result<Money> {
    let kop: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT SUM(CASE kind WHEN 'income' THEN amount_kop ELSE -amount_kop END) \
         FROM cash_entries WHERE invoice_id = ?1 AND kind IN ('income', 'refund')), 0) \
         - COALESCE((SELECT SUM(amount_kop) FROM refunds WHERE invoice_id = ?1 \
         AND status IN ('requested', 'processing')), 0)",
    )
    .bind(id)
    .fetch_one(e)
    .await?;
    Ok(Money::from_kopecks(kop.max(0)))
}
