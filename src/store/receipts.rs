//! Fiscal receipts issued through Checkbox, one per cash-book entry (a sale for a payment, a
//! return for a refund). The row (with our UUID, the receipt's id at Checkbox) is written with its
//! entry, before any call, so a retry asks for the same receipt and never makes a second one.

use super::{Result, StorageError, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Receipt {
    pub id: String,
    pub entry_id: i64,
    /// `sell` or `return`.
    pub kind: String,
    pub related_id: Option<String>,
    /// `queued` (not sent yet), `sent` (Checkbox has it), `done`, `error`.
    pub status: String,
    pub fiscal_code: Option<String>,
    pub tax_url: Option<String>,
    pub error: Option<String>,
}

impl Store {
    pub async fn receipt(&self, id: &str) -> Result<Receipt> {
        sqlx::query_as(
            "SELECT id, entry_id, kind, related_id, status, fiscal_code, tax_url, error FROM receipts WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StorageError::NotFound)
    }

    /// Checkbox has the receipt (it is being fiscalised).
    pub async fn receipt_sent(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE receipts SET status = 'sent', updated_at = ? WHERE id = ? AND status = 'queued'")
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The receipt's end: `done` with its fiscal code and tax link, or `error` with the reason;
    /// its entry follows (`done`, or `failed`: the owner sees it among the receipts owed).
    pub async fn receipt_finished(
        &self,
        id: &str,
        done: bool,
        fiscal_code: Option<&str>,
        tax_url: Option<&str>,
        error: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let changed = sqlx::query(
            "UPDATE receipts SET status = ?, fiscal_code = ?, tax_url = ?, error = ?, updated_at = ? \
             WHERE id = ? AND status IN ('queued', 'sent')",
        )
        .bind(if done { "done" } else { "error" })
        .bind(fiscal_code)
        .bind(tax_url)
        .bind(error)
        .bind(super::now())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if changed {
            sqlx::query("UPDATE cash_entries SET receipt = ? WHERE id = (SELECT entry_id FROM receipts WHERE id = ?)")
                .bind(if done { "done" } else { "failed" })
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}
