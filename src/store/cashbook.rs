//! The cash book: entries (income, expense, refund), written with what they change in the same
//! transaction: the order's paid amount, the client's timeline line, the fiscal receipt to issue,
//! and the jobs the caller made for them. Totals per day are kept by triggers (`cash_days`, see
//! migration 0009), so a period's finance reads a few rows per day however long the book is
//! (`cash_reports`).

use super::interactions::{self, Direction, Kind};
use super::{Result, StorageError, Store};
use crate::domain::cash::{EntryKind, PayMethod};
use crate::domain::Money;
use crate::work::NewJob;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Sqlite, Transaction};

/// What happens about the fiscal receipt of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fiscal {
    /// None is due (an expense).
    None,
    /// No cash register is connected: the owner issues it and marks it.
    Manual,
    /// Checkbox issues it: a receipt row (our UUID) is written with the entry.
    Checkbox,
}

/// An entry to write.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub method: PayMethod,
    pub amount: Money,
    pub fee: Money,
    pub category: String,
    pub note: Option<String>,
    pub order_id: Option<i64>,
    pub invoice_id: Option<i64>,
    pub day: NaiveDate,
    pub actor: Option<String>,
    /// A provider's event (`mono:<invoice>:paid`): written once, a repeat is ignored.
    pub external_ref: Option<String>,
    pub fiscal: Fiscal,
    /// The line on the client's timeline (entries of an order).
    pub timeline: Option<String>,
}

impl NewEntry {
    pub fn new(kind: EntryKind, method: PayMethod, amount: Money, day: NaiveDate) -> Self {
        NewEntry {
            kind,
            method,
            amount,
            fee: Money::ZERO,
            category: String::new(),
            note: None,
            order_id: None,
            invoice_id: None,
            day,
            actor: None,
            external_ref: None,
            fiscal: Fiscal::None,
            timeline: None,
        }
    }
}

/// An entry as written.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub method: String,
    pub amount_kop: i64,
    pub fee_kop: i64,
    pub category: String,
    pub note: Option<String>,
    pub order_id: Option<i64>,
    pub invoice_id: Option<i64>,
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub receipt: String,
}

pub(super) const ENTRY_COLUMNS: &str =
    "id, kind, method, amount_kop, fee_kop, category, note, order_id, invoice_id, day, at, actor, receipt";

/// What writing an entry came to: its id and, with Checkbox, its receipt's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub entry_id: i64,
    pub receipt_id: Option<String>,
}

/// A random UUID (v4), our id of a fiscal receipt.
pub fn new_uuid() -> String {
    let mut b = [0u8; 16];
    if getrandom::getrandom(&mut b).is_err() {
        // No entropy source: time and a counter still make the id unique in this database.
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let t = super::now().timestamp_nanos_opt().unwrap_or_default() as u64;
        b[..8].copy_from_slice(&t.to_le_bytes());
        b[8..].copy_from_slice(&N.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_le_bytes());
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::secret::hex(&b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// Writes `e` in `tx`; `None` when its `external_ref` was written before (a repeat).
pub(crate) async fn insert_entry_tx(tx: &mut Transaction<'_, Sqlite>, e: &NewEntry) -> Result<Option<Booked>> {
    let now = super::now();
    let receipt = match e.fiscal {
        Fiscal::None => "none",
        Fiscal::Manual => "needed",
        Fiscal::Checkbox => "queued",
    };
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO cash_entries (kind, method, amount_kop, fee_kop, category, note, order_id, invoice_id, day, at, \
         actor, external_ref, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (external_ref) DO NOTHING RETURNING id",
    )
    .bind(e.kind.code())
    .bind(e.method.code())
    .bind(e.amount.kopecks())
    .bind(e.fee.kopecks())
    .bind(&e.category)
    .bind(&e.note)
    .bind(e.order_id)
    .bind(e.invoice_id)
    .bind(e.day)
    .bind(now)
    .bind(&e.actor)
    .bind(&e.external_ref)
    .bind(receipt)
    .fetch_optional(&mut **tx)
    .await
    .map_err(StorageError::from_sqlx)?;
    let Some(id) = id else { return Ok(None) };
    if let Some(order) = e.order_id {
        let delta = match e.kind {
            EntryKind::Income => e.amount.kopecks(),
            EntryKind::Refund => -e.amount.kopecks(),
            EntryKind::Expense => 0,
        };
        let client: Option<i64> = sqlx::query_scalar(
            "UPDATE orders SET prepaid_kop = MAX(0, prepaid_kop + ?), updated_at = ? WHERE id = ? RETURNING client_id",
        )
        .bind(delta)
        .bind(now)
        .bind(order)
        .fetch_optional(&mut **tx)
        .await?;
        let client = client.ok_or(StorageError::NotFound)?;
        if let Some(line) = &e.timeline {
            interactions::insert(tx, client, "payments", Direction::Internal, Kind::Status, line).await?;
        }
    }
    let receipt_id = if e.fiscal == Fiscal::Checkbox {
        let rid = new_uuid();
        let (kind, related) = match e.kind {
            EntryKind::Refund => ("return", related_sale_tx(tx, e).await?),
            _ => ("sell", None),
        };
        sqlx::query(
            "INSERT INTO receipts (id, entry_id, kind, related_id, status, created_at, updated_at) \
             VALUES (?, ?, ?, ?, 'queued', ?, ?)",
        )
        .bind(&rid)
        .bind(id)
        .bind(kind)
        .bind(related)
        .bind(now)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Some(rid)
    } else {
        None
    };
    Ok(Some(Booked { entry_id: id, receipt_id }))
}

/// The sale receipt a return refers to: of the same Monobank payment, else the order's latest.
async fn related_sale_tx(tx: &mut Transaction<'_, Sqlite>, e: &NewEntry) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT r.id FROM receipts r JOIN cash_entries c ON c.id = r.entry_id \
         WHERE r.kind = 'sell' AND c.kind = 'income' AND ((? IS NOT NULL AND c.invoice_id = ?) OR c.order_id = ?) \
         ORDER BY (c.invoice_id IS ?) DESC, c.id DESC LIMIT 1",
    )
    .bind(e.invoice_id)
    .bind(e.invoice_id)
    .bind(e.order_id)
    .bind(e.invoice_id)
    .fetch_optional(&mut **tx)
    .await?)
}

impl Store {
    /// Writes an entry and the jobs `jobs` makes from what was written, in one transaction;
    /// `None` for a repeat of a provider's event, or for money typed for an order beyond its
    /// bound: income over what it still owes, a cash refund over its cash and terminal money
    /// not given back. The bound is read in the same transaction, so two owners booking at once
    /// cannot both pass a check made before either wrote.
    pub async fn record_entry(
        &self,
        e: &NewEntry,
        jobs: impl FnOnce(&Booked) -> Vec<NewJob>,
    ) -> Result<Option<Booked>> {
        let mut tx = self.begin().await?;
        if let (Some(order), None) = (e.order_id, e.invoice_id) {
            let bound: i64 = match e.kind {
                EntryKind::Income => {
                    sqlx::query_scalar("SELECT MAX(0, price_kop - prepaid_kop) FROM orders WHERE id = ?")
                        .bind(order)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StorageError::NotFound)?
                }
                EntryKind::Refund => {
                    sqlx::query_scalar(
                        "SELECT COALESCE(SUM(CASE kind WHEN 'income' THEN amount_kop ELSE -amount_kop END), 0) \
                     FROM cash_entries WHERE order_id = ? AND invoice_id IS NULL AND kind IN ('income', 'refund')",
                    )
                    .bind(order)
                    .fetch_one(&mut *tx)
                    .await?
                }
                EntryKind::Expense => i64::MAX,
            };
            if e.amount.kopecks() > bound {
                return Ok(None);
            }
        }
        let Some(booked) = insert_entry_tx(&mut tx, e).await? else { return Ok(None) };
        let jobs = jobs(&booked);
        for j in &jobs {
            super::jobs::enqueue_tx(&mut tx, j).await?;
        }
        tx.commit().await?;
        if !jobs.is_empty() {
            self.jobs_changed();
        }
        Ok(Some(booked))
    }

    pub async fn entry(&self, id: i64) -> Result<Entry> {
        sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM cash_entries WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StorageError::NotFound)
    }

    /// Deletes an entry the owner typed by mistake (with what it did to its order), while no
    /// receipt has been issued for it; false when it cannot be taken back.
    pub async fn delete_entry(&self, id: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let e: Option<Entry> =
            sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM cash_entries WHERE id = ? AND invoice_id IS NULL"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(e) = e.filter(|e| matches!(e.receipt.as_str(), "none" | "needed")) else { return Ok(false) };
        if let Some(order) = e.order_id {
            let delta = match e.kind.as_str() {
                "income" => -e.amount_kop,
                "refund" => e.amount_kop,
                _ => 0,
            };
            sqlx::query("UPDATE orders SET prepaid_kop = MAX(0, prepaid_kop + ?), updated_at = ? WHERE id = ?")
                .bind(delta)
                .bind(super::now())
                .bind(order)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM cash_entries WHERE id = ?").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The entries of an order, oldest first.
    pub async fn order_entries(&self, order: i64) -> Result<Vec<Entry>> {
        Ok(sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM cash_entries WHERE order_id = ? ORDER BY id"))
            .bind(order)
            .fetch_all(self.pool())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuids_are_version_4_and_differ() {
        let (a, b) = (super::new_uuid(), super::new_uuid());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }
}
