//! Monobank payment links (`invoices`) and refunds of them, and the one transaction that applies
//! what Monobank reports about a link: its status (only when the report is newer than the one
//! applied, see `domain::invoice_status`), the payment and each refund as cash-book entries (each
//! written once, by its provider reference), and the jobs the caller made for what changed.

use super::cashbook::{insert_entry_tx, Booked, NewEntry};
use super::{Result, StorageError, Store};
use crate::domain::cash::EntryKind;
use crate::domain::invoice_status::{is_newer, InvoiceStatus};
use crate::domain::Money;
use crate::work::NewJob;
use chrono::{DateTime, Utc};

super::stored_as_code!(InvoiceStatus);

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invoice {
    pub id: i64,
    pub order_id: i64,
    pub amount_kop: i64,
    /// `full` (what was due) or `prepay` (50 %).
    pub purpose: String,
    pub provider_id: Option<String>,
    pub page_url: Option<String>,
    pub status: InvoiceStatus,
    pub modified_at: Option<DateTime<Utc>>,
    pub final_kop: Option<i64>,
    pub failure: Option<String>,
    pub validity_s: i64,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Invoice {
    pub fn amount(&self) -> Money {
        Money::from_kopecks(self.amount_kop)
    }
}

const INVOICE_COLUMNS: &str = "id, order_id, amount_kop, purpose, provider_id, page_url, status, modified_at, \
     final_kop, failure, validity_s, expires_at, created_by, created_at";

/// A new link, or the open one of the same order and amount (a double tap makes one link).
#[derive(Debug)]
pub enum NewInvoice {
    Created(Invoice),
    Existing(Invoice),
}

/// What Monobank reports about one link (a webhook body or a status answer).
#[derive(Debug, Clone)]
pub struct Report {
    pub status: InvoiceStatus,
    pub modified: DateTime<Utc>,
    pub final_kop: Option<i64>,
    pub failure: Option<String>,
    /// Cash-book entries the report carries: the payment, each finished refund (by reference).
    pub entries: Vec<NewEntry>,
    /// Refunds asked for by us, by `extRef`, with the status Monobank gives them.
    pub refunds: Vec<(String, String)>,
}

/// Which link a report is about: ours, or Monobank's id of it.
#[derive(Debug, Clone, Copy)]
pub enum LinkRef<'a> {
    Id(i64),
    Provider(&'a str),
}

/// What applying a report did.
#[derive(Debug)]
pub enum Applied {
    /// No such link here, or a report of nothing to apply.
    Unknown,
    /// An older or repeated report: nothing changed.
    Stale(Invoice),
    Changed {
        before: InvoiceStatus,
        invoice: Invoice,
        /// The entries written now (a repeat of an event writes none), as (kind, booked).
        booked: Vec<(crate::domain::cash::EntryKind, Booked)>,
    },
}

/// What link `id` took and has not given back, by its cash-book entries.
async fn left_on_link_tx(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(SUM(CASE kind WHEN 'income' THEN amount_kop ELSE -amount_kop END), 0) \
         FROM cash_entries WHERE invoice_id = ? AND kind IN ('income', 'refund')",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?)
}

impl Store {
    /// A link for `amount` on `order`, written as `creating` with the jobs that make it; the open
    /// link of the same order and amount instead when there is one.
    pub async fn create_invoice(
        &self,
        order: i64,
        amount: Money,
        purpose: &str,
        validity_s: i64,
        by: &str,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
    ) -> Result<NewInvoice> {
        let mut tx = self.begin().await?;
        let open: Option<Invoice> = sqlx::query_as(&format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices WHERE order_id = ? AND amount_kop = ? \
             AND status IN ('creating', 'created', 'processing', 'hold') ORDER BY id DESC LIMIT 1"
        ))
        .bind(order)
        .bind(amount.kopecks())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(inv) = open {
            return Ok(NewInvoice::Existing(inv));
        }
        let now = super::now();
        let inv: Invoice = sqlx::query_as(&format!(
            "INSERT INTO invoices (order_id, amount_kop, purpose, status, validity_s, created_by, created_at, updated_at) \
             VALUES (?, ?, ?, 'creating', ?, ?, ?, ?) RETURNING {INVOICE_COLUMNS}"
        ))
        .bind(order)
        .bind(amount.kopecks())
        .bind(purpose)
        .bind(validity_s)
        .bind(by)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StorageError::from_sqlx)?;
        for j in &jobs(inv.id) {
            super::jobs::enqueue_tx(&mut tx, j).await?;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(NewInvoice::Created(inv))
    }

    pub async fn invoice(&self, id: i64) -> Result<Invoice> {
        sqlx::query_as(&format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StorageError::NotFound)
    }

    /// The link Monobank calls `provider_id`.
    pub async fn invoice_by_provider(&self, provider_id: &str) -> Result<Option<Invoice>> {
        Ok(sqlx::query_as(&format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE provider_id = ?"))
            .bind(provider_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Links made before `before` that are still open or have a refund under way.
    pub async fn open_invoices(&self, before: DateTime<Utc>) -> Result<Vec<Invoice>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices WHERE (status IN ('created', 'processing', 'hold') \
             OR id IN (SELECT invoice_id FROM refunds WHERE status IN ('requested', 'processing'))) \
             AND provider_id IS NOT NULL AND created_at < ? ORDER BY id LIMIT 500"
        ))
        .bind(before)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn order_invoices(&self, order: i64) -> Result<Vec<Invoice>> {
        Ok(sqlx::query_as(&format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE order_id = ? ORDER BY id"))
            .bind(order)
            .fetch_all(self.pool())
            .await?)
    }

    /// Monobank made the link: its id, address and end, with the jobs that send it (once: a
    /// link already made is left as it is and `false` returned).
    pub async fn invoice_made(
        &self,
        id: i64,
        provider_id: &str,
        page_url: &str,
        expires_at: DateTime<Utc>,
        jobs: Vec<NewJob>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE invoices SET provider_id = ?, page_url = ?, status = 'created', expires_at = ?, updated_at = ? \
             WHERE id = ? AND status = 'creating'",
        )
        .bind(provider_id)
        .bind(page_url)
        .bind(expires_at)
        .bind(super::now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StorageError::from_sqlx)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        for j in &jobs {
            super::jobs::enqueue_tx(&mut tx, j).await?;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(true)
    }

    /// Monobank refused to make the link (or never answered): it is `error` with the reason.
    pub async fn invoice_not_made(&self, id: i64, reason: &str) -> Result<()> {
        sqlx::query(
            "UPDATE invoices SET status = 'error', failure = ?, updated_at = ? WHERE id = ? AND status = 'creating'",
        )
        .bind(reason)
        .bind(super::now())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Applies what Monobank reports about a link (see the module docs), in one transaction:
    /// `report` turns the link as stored into the rows the report means (`None`: nothing to apply),
    /// `jobs` makes the jobs of what changed.
    pub async fn apply_invoice_report(
        &self,
        link: LinkRef<'_>,
        report: impl FnOnce(&Invoice) -> Option<Report>,
        jobs: impl FnOnce(&Invoice, InvoiceStatus, &[(crate::domain::cash::EntryKind, Booked)]) -> Vec<NewJob>,
    ) -> Result<Applied> {
        let mut tx = self.begin().await?;
        let before: Option<Invoice> = match link {
            LinkRef::Id(id) => {
                sqlx::query_as(&format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = ?"))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            LinkRef::Provider(p) => {
                sqlx::query_as(&format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE provider_id = ?"))
                    .bind(p)
                    .fetch_optional(&mut *tx)
                    .await?
            }
        };
        let Some(before) = before else { return Ok(Applied::Unknown) };
        let Some(report) = report(&before) else { return Ok(Applied::Unknown) };
        let id = before.id;
        // The status moves only forward (a late or repeated report leaves it); the money a report
        // shows (a payment, a finished refund) is true whenever it arrives, and written once.
        let newer = is_newer(report.status, report.modified, before.status, before.modified_at);
        let invoice: Invoice = if newer {
            sqlx::query_as(&format!(
                "UPDATE invoices SET status = ?, modified_at = ?, final_kop = COALESCE(?, final_kop), \
                 failure = COALESCE(?, failure), updated_at = ? WHERE id = ? RETURNING {INVOICE_COLUMNS}"
            ))
            .bind(report.status.code())
            .bind(report.modified)
            .bind(report.final_kop)
            .bind(&report.failure)
            .bind(super::now())
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
        } else {
            before.clone()
        };
        let mut booked = vec![];
        for e in &report.entries {
            let mut e = std::borrow::Cow::Borrowed(e);
            if e.kind == EntryKind::Refund {
                // One refund may come under two keys (a bare `reversed`, then its `cancelList`
                // item): the link never gives back more than it took.
                let left = Money::from_kopecks(left_on_link_tx(&mut tx, id).await?);
                if left == Money::ZERO {
                    continue;
                }
                if e.amount > left {
                    e.to_mut().amount = left;
                }
            }
            if let Some(b) = insert_entry_tx(&mut tx, &e).await? {
                booked.push((e.kind, b));
            }
        }
        if !newer && booked.is_empty() {
            return Ok(Applied::Stale(before));
        }
        for (ext_ref, status) in &report.refunds {
            sqlx::query(
                "UPDATE refunds SET status = ?1, updated_at = ?2 WHERE ext_ref = ?3 AND invoice_id = ?4 \
                 AND (status NOT IN ('success', 'failure') OR ?1 IN ('success', 'failure'))",
            )
            .bind(status)
            .bind(super::now())
            .bind(ext_ref)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let jobs = jobs(&invoice, before.status, &booked);
        for j in &jobs {
            super::jobs::enqueue_tx(&mut tx, j).await?;
        }
        tx.commit().await?;
        if !jobs.is_empty() {
            self.jobs_changed();
        }
        Ok(Applied::Changed { before: before.status, invoice, booked })
    }
}
