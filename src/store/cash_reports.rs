//! What the cash book says over a period and what the orders hold and owe: the totals per kind,
//! method and category (from `cash_days`, the per-day sums the triggers keep), the entries for the
//! export, and the payments still owing a fiscal receipt.

use super::cashbook::{Entry, ENTRY_COLUMNS};
use super::{Result, Store};
use chrono::NaiveDate;

/// One row of a period's totals: kind, method, category, amount, fee, entries.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Total {
    pub kind: String,
    pub method: String,
    pub category: String,
    pub amount_kop: i64,
    pub fee_kop: i64,
    pub entries: i64,
}

/// Orders' side of the finance summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderMoney {
    /// Open orders with money paid ahead (the studio holds it until the order is issued).
    pub prepaid_orders: i64,
    pub prepaid_kop: i64,
    /// Issued orders not paid in full, and what is still due on them.
    pub unpaid_issued: i64,
    pub unpaid_kop: i64,
    /// Payment links sent and not yet paid.
    pub open_links: i64,
    pub open_links_kop: i64,
}

impl Store {
    /// The cash book's totals per kind, method and category over the days `from..=to`.
    pub async fn cash_totals(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Total>> {
        Ok(sqlx::query_as(
            "SELECT kind, method, category, SUM(amount_kop) AS amount_kop, SUM(fee_kop) AS fee_kop, \
             SUM(entries) AS entries FROM cash_days WHERE day >= ? AND day <= ? AND entries > 0 \
             GROUP BY kind, method, category ORDER BY kind, SUM(amount_kop) DESC",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }

    /// What the orders owe and hold: prepayments on open orders, issued orders not paid in full,
    /// payment links still open.
    pub async fn order_money(&self) -> Result<OrderMoney> {
        let (prepaid_orders, prepaid_kop): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(prepaid_kop), 0) FROM orders \
             WHERE status IN ('new', 'prod', 'ready') AND prepaid_kop > 0",
        )
        .fetch_one(self.pool())
        .await?;
        let (unpaid_issued, unpaid_kop): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(price_kop - prepaid_kop), 0) FROM orders \
             WHERE status = 'issued' AND prepaid_kop < price_kop",
        )
        .fetch_one(self.pool())
        .await?;
        let (open_links, open_links_kop): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(amount_kop), 0) FROM invoices \
             WHERE status IN ('creating', 'created', 'processing', 'hold')",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(OrderMoney { prepaid_orders, prepaid_kop, unpaid_issued, unpaid_kop, open_links, open_links_kop })
    }

    /// The entries of the days `from..=to`, oldest first (the export), with the order's client.
    pub async fn entries_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(Entry, Option<String>)>> {
        let rows: Vec<EntryWithClient> = sqlx::query_as(
            "SELECT e.id, e.kind, e.method, e.amount_kop, e.fee_kop, e.category, e.note, e.order_id, e.invoice_id, \
             e.day, e.at, e.actor, e.receipt, c.full_name AS client FROM cash_entries e \
             LEFT JOIN orders o ON o.id = e.order_id LEFT JOIN clients c ON c.id = o.client_id \
             WHERE e.day >= ? AND e.day <= ? ORDER BY e.day, e.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|r| (r.entry, r.client)).collect())
    }

    /// Payments and refunds whose fiscal receipt the owner still has to issue (no cash register
    /// connected) or that Checkbox could not issue, oldest first.
    pub async fn receipts_owed(&self, limit: i64) -> Result<Vec<Entry>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ENTRY_COLUMNS} FROM cash_entries WHERE receipt IN ('needed', 'failed') ORDER BY id LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn receipts_owed_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cash_entries WHERE receipt IN ('needed', 'failed')")
            .fetch_one(self.pool())
            .await?)
    }

    /// The owner issued the receipt herself; false when none was owed.
    pub async fn mark_receipt_manual(&self, entry: i64) -> Result<bool> {
        let done =
            sqlx::query("UPDATE cash_entries SET receipt = 'manual' WHERE id = ? AND receipt IN ('needed', 'failed')")
                .bind(entry)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[derive(sqlx::FromRow)]
struct EntryWithClient {
    #[sqlx(flatten)]
    entry: Entry,
    client: Option<String>,
}
