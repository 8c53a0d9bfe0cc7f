//! The reports' other reads (production time, what is overdue, clients due for new insoles,
//! birthdays, open escalations, reminders sent, the cash position), the owner's monthly goals,
//! and the scheduler's heartbeat the uptime is measured from.

use super::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};

type Utc_ = DateTime<Utc>;

/// What a goal counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalMetric {
    Orders,
    /// Kopecks.
    Revenue,
}

impl GoalMetric {
    pub fn code(self) -> &'static str {
        match self {
            GoalMetric::Orders => "orders",
            GoalMetric::Revenue => "revenue",
        }
    }
}

/// Seconds a heartbeat slot covers.
pub const HEARTBEAT_SECS: i64 = 300;

impl Store {
    /// Orders that reached "ready" in `[start, end)`: how many, and their mean days from creation
    /// (over the latest 1,000 of them: each needs its order's row).
    pub async fn production_time(&self, start: Utc_, end: Utc_) -> Result<(i64, f64)> {
        let (n, days): (i64, Option<f64>) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM order_history WHERE to_status = 'ready' AND kind = 'step' AND at >= ? AND at < ?), \
             (SELECT AVG(julianday(h.at) - julianday(o.created_at)) FROM (SELECT order_id, at FROM order_history \
             WHERE to_status = 'ready' AND kind = 'step' AND at >= ? AND at < ? ORDER BY at DESC LIMIT 1000) h \
             JOIN orders o ON o.id = h.order_id)",
        )
        .bind(start)
        .bind(end)
        .bind(start)
        .bind(end)
        .fetch_one(self.pool())
        .await?;
        Ok((n, days.unwrap_or(0.0)))
    }

    /// Orders still new or in production that were created before `before`.
    pub async fn orders_open_since(&self, before: Utc_) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM orders WHERE status = 'new' AND created_at < ?) \
             + (SELECT COUNT(*) FROM orders WHERE status = 'prod' AND created_at < ?)",
        )
        .bind(before)
        .bind(before)
        .fetch_one(self.pool())
        .await?)
    }

    /// Open tasks whose due time has passed.
    pub async fn tasks_overdue(&self, now: Utc_) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE done_at IS NULL AND due_at IS NOT NULL AND due_at < ?")
            .bind(now)
            .fetch_one(self.pool())
            .await?)
    }

    /// Clients whose last order was taken in `[start, end)` and was issued (their insoles).
    pub async fn replacement_due_count(&self, start: Utc_, end: Utc_) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM client_orders c WHERE c.last_at >= ? AND c.last_at < ? AND EXISTS \
             (SELECT 1 FROM orders o WHERE o.client_id = c.client_id AND o.created_at = c.last_at AND o.status = 'issued')",
        )
        .bind(start)
        .bind(end)
        .fetch_one(self.pool())
        .await?)
    }

    /// Clients born in `month` (1–12), and whether any birth date is known at all.
    pub async fn birthdays(&self, month: u32) -> Result<(i64, bool)> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM clients WHERE birth_date IS NOT NULL AND substr(birth_date, 6, 2) = ?",
        )
        .bind(format!("{month:02}"))
        .fetch_one(self.pool())
        .await?;
        let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM clients WHERE birth_date IS NOT NULL)")
            .fetch_one(self.pool())
            .await?;
        Ok((n, any))
    }

    /// Client messages given to the owner and not yet answered or ignored.
    pub async fn open_escalations(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM drafts WHERE status = 'pending'").fetch_one(self.pool()).await?)
    }

    /// Reminders (visits, tasks, "insoles ready") sent by the jobs table with due times in `[start, end)`.
    pub async fn reminders_sent(&self, start: Utc_, end: Utc_) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND due_at >= ? AND due_at < ? \
             AND kind IN ('booking_reminder', 'task_reminder', 'order_ready', 'send_sms', 'send_email')",
        )
        .bind(start)
        .bind(end)
        .fetch_one(self.pool())
        .await?)
    }

    /// The cash book per day and kind over `from..=to`: (day, kind, amount, fees).
    pub async fn cash_by_day(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, String, i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT day, kind, SUM(amount_kop), SUM(fee_kop) FROM cash_days WHERE day >= ? AND day <= ? \
             GROUP BY day, kind ORDER BY day",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }

    /// Money in the till at the end of `day`: income − refunds − expenses − fees since the start.
    pub async fn cash_position(&self, day: NaiveDate) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COALESCE(SUM(CASE kind WHEN 'income' THEN amount_kop ELSE -amount_kop END - fee_kop), 0) \
             FROM cash_days WHERE day <= ?",
        )
        .bind(day)
        .fetch_one(self.pool())
        .await?)
    }

    /// Sets the target of `metric` for `month` (`YYYY-MM`), replacing an earlier one.
    pub async fn set_goal(&self, month: &str, metric: GoalMetric, target: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO goals (month, metric, target, updated_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (month, metric) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at",
        )
        .bind(month)
        .bind(metric.code())
        .bind(target)
        .bind(super::now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The month's targets: (orders, revenue in kopecks).
    pub async fn goals(&self, month: &str) -> Result<(Option<i64>, Option<i64>)> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT metric, target FROM goals WHERE month = ?")
            .bind(month)
            .fetch_all(self.pool())
            .await?;
        let get = |m: GoalMetric| rows.iter().find(|(k, _)| k == m.code()).map(|(_, v)| *v);
        Ok((get(GoalMetric::Orders), get(GoalMetric::Revenue)))
    }

    /// Records that the process is up in the slot of `now`.
    pub async fn heartbeat(&self, now: Utc_) -> Result<()> {
        sqlx::query("INSERT OR IGNORE INTO heartbeats (slot) VALUES (?)")
            .bind(now.timestamp().div_euclid(HEARTBEAT_SECS))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Heartbeat slots present in `[from, to)` (slot numbers), and the first slot ever recorded.
    pub async fn heartbeats(&self, from: i64, to: i64) -> Result<(i64, Option<i64>)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM heartbeats WHERE slot >= ? AND slot < ?), (SELECT MIN(slot) FROM heartbeats)",
        )
        .bind(from)
        .bind(to)
        .fetch_one(self.pool())
        .await?)
    }
}

impl Store {
    /// The value of setting `key`, storing `fresh` first when there is none (two callers racing
    /// both get the one that was stored).
    pub async fn setting_or_insert(&self, key: &str, fresh: &str) -> Result<String> {
        sqlx::query("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)")
            .bind(key)
            .bind(fresh)
            .execute(self.pool())
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_one(self.pool()).await?)
    }
}
