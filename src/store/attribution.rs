//! Where a lead came from (first touch, on her card: `0015_attribution.sql`) and what the
//! Marketing report reads of it: leads, bookings, orders and revenue per source and campaign from
//! the trigger-kept `attribution_hours`, so a month stays a few thousand rows over a million orders.

use super::reports::hour_key;
use super::{Result, Store};
use chrono::{DateTime, Utc};

/// A first touch, already cleaned (`core::attribution::clean`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touch {
    pub source: String,
    pub campaign: Option<String>,
    pub medium: Option<String>,
}

/// A period's figures of one source and campaign (`''` when none was recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceFigures {
    pub source: String,
    pub campaign: String,
    pub leads: i64,
    pub bookings: i64,
    pub orders: i64,
    pub revenue_kop: i64,
}

impl Store {
    /// Records `touch` on card `client` when it is her first: the card has no campaign or medium
    /// yet, and no booking or order (an existing client following a later link stays where she
    /// came from). True when it was recorded.
    pub async fn attribute(&self, client: i64, touch: &Touch) -> Result<bool> {
        self.attribute_where(client, touch, "AND NOT EXISTS (SELECT 1 FROM bookings WHERE client_id = clients.id)")
            .await
    }

    /// Records `touch` on a card made just now with its first booking (the booking page's): as
    /// [`Store::attribute`], that booking aside.
    pub async fn attribute_new_card(&self, client: i64, touch: &Touch) -> Result<bool> {
        self.attribute_where(client, touch, "").await
    }

    async fn attribute_where(&self, client: i64, touch: &Touch, and: &str) -> Result<bool> {
        let sql = format!(
            "UPDATE clients SET source = ?, campaign = ?, medium = ?, updated_at = ? \
             WHERE id = ? AND campaign IS NULL AND medium IS NULL AND COALESCE(source, '') != 'deleted' \
             AND NOT EXISTS (SELECT 1 FROM orders WHERE client_id = clients.id) {and}"
        );
        let done = sqlx::query(&sql)
            .bind(&touch.source)
            .bind(&touch.campaign)
            .bind(&touch.medium)
            .bind(super::now())
            .bind(client)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The attribution of a card: (source, campaign, medium).
    pub async fn attribution_of(
        &self,
        client: i64,
    ) -> Result<Option<(Option<String>, Option<String>, Option<String>)>> {
        Ok(sqlx::query_as("SELECT source, campaign, medium FROM clients WHERE id = ?")
            .bind(client)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Leads, bookings, orders and revenue of `[start, end)` per source and campaign, biggest
    /// revenue first (forgotten cards left out).
    pub async fn attribution(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<SourceFigures>> {
        Ok(sqlx::query_as(
            "SELECT source, campaign, SUM(leads) AS leads, SUM(bookings) AS bookings, SUM(orders) AS orders, \
             SUM(revenue_kop) AS revenue_kop FROM attribution_hours \
             WHERE hour >= ? AND hour < ? AND source != 'deleted' GROUP BY source, campaign \
             HAVING SUM(leads) != 0 OR SUM(bookings) != 0 OR SUM(orders) != 0 \
             ORDER BY revenue_kop DESC, leads DESC, source, campaign",
        )
        .bind(hour_key(start))
        .bind(hour_key(end))
        .fetch_all(self.pool())
        .await?)
    }
}
