//! What the six reports read, each query bounded by a UTC window `[start, end)` and served by an
//! index or a summary table of `0011_reports.sql` (so a month over a million orders and three
//! million messages stays in milliseconds).
//!
//! Series are summed in SQL over [`Windows`]: the chart's buckets (the owner's calendar days or
//! months, as `[lo, hi)` UTC hour keys), so a month comes back as ~30 rows per label, not ~720
//! hourly ones: every row is a hand-off from sqlx's connection thread to the runtime, and those
//! hand-offs, not the summing, were most of a report's time on a busy machine.

use super::{Result, Store};
use chrono::{DateTime, Utc};

type Utc_ = DateTime<Utc>;

/// The hour key of an instant, as the summary tables store it.
pub fn hour_key(t: Utc_) -> String {
    t.format("%Y-%m-%dT%H").to_string()
}

/// Windows to sum a series over, each `[lo, hi)` in UTC hour keys (local midnights in a
/// whole-hour time zone), as the JSON array the statements read with `json_each`. A row of a
/// series names its window by `lo`. Stored times (RFC 3339, UTC) compare with hour keys as text:
/// `2026-10-31T22` sorts before every instant of that hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Windows(String);

impl Windows {
    pub fn new(windows: impl IntoIterator<Item = (Utc_, Utc_)>) -> Self {
        let parts: Vec<String> =
            windows.into_iter().map(|(lo, hi)| format!("[\"{}\",\"{}\"]", hour_key(lo), hour_key(hi))).collect();
        Windows(format!("[{}]", parts.join(",")))
    }

    /// Windows as their JSON text (tests).
    #[cfg(test)]
    pub fn new_raw(json: &str) -> Self {
        Windows(json.to_string())
    }

    /// One window `[start, end)`.
    pub fn one(start: Utc_, end: Utc_) -> Self {
        Windows::new([(start, end)])
    }
}

/// The windows of `?1` as a table `w(lo, hi)`.
macro_rules! windowed {
    ($sql:literal) => {
        concat!(
            "WITH w(lo, hi) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1)) ",
            $sql
        )
    };
}

/// Orders of one window and status (from `order_hours`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderHour {
    pub hour: String,
    pub status: String,
    pub orders: i64,
    pub revenue_kop: i64,
}

/// A count per window (`hour`: its first hour) and a label (a channel, a source, a status).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HourCount {
    pub hour: String,
    pub label: String,
    pub count: i64,
}

/// One product's orders over a period.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProductSales {
    pub product: String,
    pub orders: i64,
    pub revenue_kop: i64,
}

/// New leads of a period and how far they went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funnel {
    pub leads: i64,
    pub booked: i64,
    pub ordered: i64,
}

/// Bookings made in a period through one channel, and what became of them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChannelBookings {
    pub channel: String,
    pub bookings: i64,
    pub came: i64,
    pub no_show: i64,
    pub tagged: i64,
}

impl Store {
    /// Orders per window and status.
    pub async fn order_hours(&self, w: &Windows) -> Result<Vec<OrderHour>> {
        Ok(sqlx::query_as(windowed!(
            "SELECT w.lo AS hour, h.status, SUM(h.orders) AS orders, SUM(h.revenue_kop) AS revenue_kop \
             FROM w JOIN order_hours h ON h.hour >= w.lo AND h.hour < w.hi \
             GROUP BY w.lo, h.status HAVING SUM(h.orders) > 0"
        ))
        .bind(&w.0)
        .fetch_all(self.pool())
        .await?)
    }

    /// Orders (not cancelled) and revenue per UTC month (`YYYY-MM`) in `[from, to)`, from the
    /// monthly summary: the forecast's history.
    pub async fn order_months(&self, from: &str, to: &str) -> Result<Vec<(String, i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT month, SUM(orders), SUM(revenue_kop) FROM order_months \
             WHERE month >= ? AND month < ? AND status != 'cancel' GROUP BY month ORDER BY month",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }

    /// The best-selling products of `[start, end)` (cancelled orders left out).
    pub async fn product_sales(&self, start: Utc_, end: Utc_, limit: i64) -> Result<Vec<ProductSales>> {
        Ok(sqlx::query_as(
            "SELECT product, COUNT(*) AS orders, SUM(price_kop) AS revenue_kop FROM orders \
             WHERE created_at >= ? AND created_at < ? AND status != 'cancel' \
             GROUP BY product ORDER BY revenue_kop DESC, orders DESC LIMIT ?",
        )
        .bind(start)
        .bind(end)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// Clients who ordered in `[start, end)` (cancelled orders left out), and how many of them
    /// are new: their first order ever (from `client_orders`) was taken in the period.
    pub async fn buyers(&self, start: Utc_, end: Utc_) -> Result<(i64, i64)> {
        let buyers: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT client_id) FROM orders WHERE created_at >= ? AND created_at < ? AND status != 'cancel'",
        )
        .bind(start)
        .bind(end)
        .fetch_one(self.pool())
        .await?;
        let new: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM client_orders WHERE first_at >= ? AND first_at < ?")
            .bind(start)
            .bind(end)
            .fetch_one(self.pool())
            .await?;
        Ok((buyers, new.min(buyers)))
    }

    /// Cards created in `[start, end)`, how many of them booked a visit and how many ordered
    /// (any order, from `client_orders`).
    pub async fn funnel(&self, start: Utc_, end: Utc_) -> Result<Funnel> {
        let (leads, booked, ordered): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), \
             COALESCE(SUM(EXISTS (SELECT 1 FROM bookings b WHERE b.client_id = c.id)), 0), \
             COALESCE(SUM(EXISTS (SELECT 1 FROM client_orders o WHERE o.client_id = c.id)), 0) \
             FROM clients c WHERE c.created_at >= ? AND c.created_at < ?",
        )
        .bind(start)
        .bind(end)
        .fetch_one(self.pool())
        .await?;
        Ok(Funnel { leads, booked, ordered })
    }

    /// Cards created per window and source (`''` when the source was not recorded).
    pub async fn leads_by_hour(&self, w: &Windows) -> Result<Vec<HourCount>> {
        Ok(sqlx::query_as(windowed!(
            "SELECT w.lo AS hour, COALESCE(c.source, '') AS label, COUNT(*) AS count \
             FROM w JOIN clients c ON c.created_at >= w.lo AND c.created_at < w.hi GROUP BY w.lo, label"
        ))
        .bind(&w.0)
        .fetch_all(self.pool())
        .await?)
    }

    /// Bookings made in `[start, end)` per channel: how many came, did not come, carried a ref/UTM.
    pub async fn bookings_by_channel(&self, start: Utc_, end: Utc_) -> Result<Vec<ChannelBookings>> {
        Ok(sqlx::query_as(
            "SELECT channel, COUNT(*) AS bookings, SUM(status = 'came') AS came, SUM(status = 'no_show') AS no_show, \
             SUM(ref_code IS NOT NULL OR utm IS NOT NULL) AS tagged FROM bookings \
             WHERE created_at >= ? AND created_at < ? GROUP BY channel ORDER BY bookings DESC",
        )
        .bind(start)
        .bind(end)
        .fetch_all(self.pool())
        .await?)
    }

    /// Visits starting per window and status.
    pub async fn visits_by_hour(&self, w: &Windows) -> Result<Vec<HourCount>> {
        Ok(sqlx::query_as(windowed!(
            "SELECT w.lo AS hour, b.status AS label, COUNT(*) AS count \
             FROM w JOIN bookings b ON b.starts_at >= w.lo AND b.starts_at < w.hi GROUP BY w.lo, label"
        ))
        .bind(&w.0)
        .fetch_all(self.pool())
        .await?)
    }

    /// Clients' messages received per window and channel.
    pub async fn messages_in_by_hour(&self, w: &Windows) -> Result<Vec<HourCount>> {
        Ok(sqlx::query_as(windowed!(
            "SELECT w.lo AS hour, m.channel AS label, SUM(m.count) AS count \
             FROM w JOIN message_hours m ON m.hour >= w.lo AND m.hour < w.hi \
             WHERE m.direction = 'in' AND m.kind = 'message' GROUP BY w.lo, label"
        ))
        .bind(&w.0)
        .fetch_all(self.pool())
        .await?)
    }

    /// Messages given to the owner (drafts) per window and channel.
    pub async fn escalations_by_hour(&self, w: &Windows) -> Result<Vec<HourCount>> {
        Ok(sqlx::query_as(windowed!(
            "SELECT w.lo AS hour, d.channel AS label, COUNT(*) AS count \
             FROM w JOIN drafts d ON d.created_at >= w.lo AND d.created_at < w.hi GROUP BY w.lo, label"
        ))
        .bind(&w.0)
        .fetch_all(self.pool())
        .await?)
    }
}
