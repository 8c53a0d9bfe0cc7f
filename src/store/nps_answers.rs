//! Client satisfaction (NPS): one answer per order (0–10, then an optional comment), and the
//! score over a period for the reports: promoters (9–10) minus detractors (0–6), in percent.

use super::{Result, Store};
use chrono::{DateTime, Utc};

/// How long after her score a client's next message in the bot is taken as the comment.
pub const COMMENT_HOURS: i64 = 24;

/// A period's answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nps {
    pub promoters: i64,
    pub passives: i64,
    pub detractors: i64,
    /// −100..=100; `None` without answers.
    pub score: Option<i64>,
}

impl Store {
    /// Stores the score of `order_id`; false when the order was answered already (one answer per
    /// order: a second tap, another link, a forged repeat change nothing). `awaiting`: her next
    /// message in the bot is the comment.
    pub async fn record_nps(&self, order_id: i64, score: u8, channel: &str, awaiting: bool) -> Result<bool> {
        Ok(sqlx::query(
            "INSERT INTO nps_answers (order_id, score, channel, awaiting, created_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(order_id)
        .bind(score as i64)
        .bind(channel)
        .bind(awaiting)
        .bind(super::now())
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Notes the owner's task a low score made.
    pub async fn set_nps_task(&self, order_id: i64, task_id: i64) -> Result<()> {
        sqlx::query("UPDATE nps_answers SET task_id = ? WHERE order_id = ?")
            .bind(task_id)
            .bind(order_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whether client `client_id` owes a comment (her next message within [`COMMENT_HOURS`] of
    /// her score is it; later, a message is just a message).
    pub async fn nps_awaiting(&self, client_id: i64) -> Result<bool> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT 1 FROM nps_answers a JOIN orders o ON o.id = a.order_id \
             WHERE o.client_id = ? AND a.awaiting = 1 AND a.created_at >= ? LIMIT 1",
        )
        .bind(client_id)
        .bind(super::now() - chrono::Duration::hours(COMMENT_HOURS))
        .fetch_optional(self.pool())
        .await?
        .is_some())
    }

    /// Stores `comment` on the answer of `client_id` that waits for one (or of `order_id` when
    /// given: the web page), ending the wait, and adds it to the owner's task of a low score.
    /// Returns (order, score) when one took it.
    pub async fn record_nps_comment(
        &self,
        client_id: Option<i64>,
        order_id: Option<i64>,
        comment: &str,
    ) -> Result<Option<(i64, i64)>> {
        let mut tx = self.begin().await?;
        let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT a.order_id, a.score, a.task_id FROM nps_answers a JOIN orders o ON o.id = a.order_id \
             WHERE a.comment IS NULL AND (o.client_id = ?1 AND a.awaiting = 1 AND a.created_at >= ?3 OR a.order_id = ?2) \
             ORDER BY a.created_at DESC LIMIT 1",
        )
        .bind(client_id)
        .bind(order_id)
        .bind(super::now() - chrono::Duration::hours(COMMENT_HOURS))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((order, score, task)) = row else { return Ok(None) };
        sqlx::query("UPDATE nps_answers SET comment = ?, awaiting = 0 WHERE order_id = ?")
            .bind(comment)
            .bind(order)
            .execute(&mut *tx)
            .await?;
        if let Some(task) = task {
            sqlx::query("UPDATE tasks SET body = body || char(10) || '💬 ' || ? WHERE id = ?")
                .bind(comment)
                .bind(task)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Some((order, score)))
    }

    /// The key that signs NPS links: `candidate` the first time, the stored one ever after.
    pub async fn nps_key(&self, candidate: &str) -> Result<String> {
        sqlx::query("INSERT INTO settings (key, value) VALUES ('nps.key', ?) ON CONFLICT (key) DO NOTHING")
            .bind(candidate)
            .execute(self.pool())
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = 'nps.key'").fetch_one(self.pool()).await?)
    }

    /// (score, comment) of an order's answer.
    pub async fn nps_answer(&self, order_id: i64) -> Result<Option<(i64, Option<String>)>> {
        Ok(sqlx::query_as("SELECT score, comment FROM nps_answers WHERE order_id = ?")
            .bind(order_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The answers given in `[from, to)`.
    pub async fn nps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Nps> {
        let (promoters, passives, detractors): (i64, i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(score >= 9), 0), COALESCE(SUM(score BETWEEN 7 AND 8), 0), COALESCE(SUM(score <= 6), 0) \
             FROM nps_answers WHERE created_at >= ? AND created_at < ?",
        )
        .bind(from)
        .bind(to)
        .fetch_one(self.pool())
        .await?;
        let total = promoters + passives + detractors;
        let score = (total > 0).then(|| ((promoters - detractors) * 100 + total / 2).div_euclid(total));
        Ok(Nps { promoters, passives, detractors, score })
    }
}
