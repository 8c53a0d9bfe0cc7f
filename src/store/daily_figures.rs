//! The figures of the owner's daily summary (`core::summary`): a day's income and orders,
//! tomorrow's visits, overdue tasks and drafts still waiting for her. Each is one indexed query
//! (`cash_days` per day, `orders_by_created`, `bookings_by_start`, `tasks_open_by_due`,
//! `drafts_by_status`), so the summary stays fast over millions of rows.

use super::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};

/// One visit of tomorrow, with whose it is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Visit {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub service: String,
    pub starts_at: DateTime<Utc>,
}

/// What the summary says about one business day.
#[derive(Debug, Clone, Default)]
pub struct DayFigures {
    /// Income minus refunds in the cash book for the day.
    pub revenue_kop: i64,
    /// Orders created during the day.
    pub orders: i64,
    /// Live visits of the next day, in time order (at most [`MAX_VISITS`]).
    pub tomorrow: Vec<Visit>,
    pub tomorrow_total: i64,
    /// Open tasks whose due time has passed.
    pub overdue_tasks: i64,
    /// The assistant's drafts still waiting for the owner (escalations not answered).
    pub open_escalations: i64,
}

pub const MAX_VISITS: i64 = 12;

impl Store {
    /// `day` is the business date; `[day_from, day_to)` its span in UTC; `[next_from, next_to)`
    /// the next day's; `now` decides which tasks are overdue.
    pub async fn day_figures(
        &self,
        day: NaiveDate,
        (day_from, day_to): (DateTime<Utc>, DateTime<Utc>),
        (next_from, next_to): (DateTime<Utc>, DateTime<Utc>),
        now: DateTime<Utc>,
    ) -> Result<DayFigures> {
        let pool = self.pool();
        let revenue_kop: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(CASE kind WHEN 'income' THEN amount_kop WHEN 'refund' THEN -amount_kop ELSE 0 END), 0) \
             FROM cash_days WHERE day = ?",
        )
        .bind(day)
        .fetch_one(pool)
        .await?;
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE created_at >= ? AND created_at < ?")
            .bind(day_from)
            .bind(day_to)
            .fetch_one(pool)
            .await?;
        let tomorrow = sqlx::query_as::<_, Visit>(
            "SELECT b.id, b.client_id, c.full_name AS client_name, b.service, b.starts_at FROM bookings b \
             JOIN clients c ON c.id = b.client_id WHERE b.starts_at >= ? AND b.starts_at < ? AND b.status = 'booked' \
             ORDER BY b.starts_at, b.id LIMIT ?",
        )
        .bind(next_from)
        .bind(next_to)
        .bind(MAX_VISITS)
        .fetch_all(pool)
        .await?;
        let tomorrow_total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM bookings WHERE starts_at >= ? AND starts_at < ? AND status = 'booked'",
        )
        .bind(next_from)
        .bind(next_to)
        .fetch_one(pool)
        .await?;
        let overdue_tasks = self.overdue_tasks(now).await?;
        let open_escalations = self.drafts_waiting().await?;
        Ok(DayFigures { revenue_kop, orders, tomorrow, tomorrow_total, overdue_tasks, open_escalations })
    }

    /// Open tasks whose due time is before `now`.
    pub async fn overdue_tasks(&self, now: DateTime<Utc>) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE done_at IS NULL AND due_at IS NOT NULL AND due_at < ?")
            .bind(now)
            .fetch_one(self.pool())
            .await?)
    }

    /// The assistant's drafts waiting for the owner.
    pub async fn drafts_waiting(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM drafts WHERE status = 'pending'").fetch_one(self.pool()).await?)
    }
}
