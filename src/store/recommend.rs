//! The facts behind the recommendations (`core::summary::advice`): who is due for a
//! replacement, which diagnostics led to no order, how no-shows moved. Each query is bounded by
//! an index on time (`order_history_by_status`, `bookings_by_start`) so it reads one window of
//! the history, not all of it.

use super::{Result, Store};
use chrono::{DateTime, Utc};

/// The replacement offers still pending (reminder, order, client) that fall due in `[from, to)`:
/// insoles issued 11–12 months ago whose client has not ordered since (a new order cancels the
/// older orders' offers), is still a client and did not opt out. One range of `aftercare_by_due`.
const REPLACEMENT_DUE: &str = "SELECT a.id, o.id, o.client_id FROM aftercare a JOIN orders o ON o.id = a.order_id \
     JOIN clients c ON c.id = o.client_id \
     WHERE a.kind = 'replacement' AND a.status = 'pending' AND a.due_at >= ? AND a.due_at < ? \
     AND o.status = 'issued' AND c.source IS NOT 'deleted' AND c.aftercare_opt_out = 0";

/// Visits the client came to in `[from, to)` (id, client) with no order created since the visit
/// and no open task for her yet.
const DIAGNOSTICS_WITHOUT_ORDER: &str =
    "SELECT b.id, b.client_id FROM bookings b JOIN clients c ON c.id = b.client_id \
     WHERE b.starts_at >= ? AND b.starts_at < ? AND b.status = 'came' AND c.source IS NOT 'deleted' \
     AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.client_id = b.client_id AND o.created_at >= b.starts_at) \
     AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.client_id = b.client_id AND t.done_at IS NULL)";

impl Store {
    /// (reminder, order, client) of every replacement offer due soon (see [`REPLACEMENT_DUE`]).
    pub async fn replacement_due(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(i64, i64, i64)>> {
        Ok(sqlx::query_as(REPLACEMENT_DUE).bind(from).bind(to).fetch_all(self.pool()).await?)
    }

    /// (booking, client) of visits that led to no order (see [`DIAGNOSTICS_WITHOUT_ORDER`]).
    pub async fn visits_without_order(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(DIAGNOSTICS_WITHOUT_ORDER).bind(from).bind(to).fetch_all(self.pool()).await?)
    }

    /// (no-shows, visits that came or not) among visits that started in `[from, to)`.
    pub async fn no_show_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT COALESCE(SUM(status = 'no_show'), 0), COUNT(*) FROM bookings \
             WHERE starts_at >= ? AND starts_at < ? AND status IN ('came', 'no_show')",
        )
        .bind(from)
        .bind(to)
        .fetch_one(self.pool())
        .await?)
    }
}
