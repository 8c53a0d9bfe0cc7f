//! The assistant's decisions on clients' messages (intent, sentiment, handed to the owner and
//! why), kept for the AI report: the intents asked about, escalations by reason, and the share of
//! negative messages. The assistant's types stay out of the store: it gets their wire names.

use super::{Result, Store};
use chrono::{DateTime, Utc};

/// A period's decisions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AiDecisions {
    /// Messages analysed.
    pub analysed: i64,
    pub negative: i64,
    /// (intent, messages), most first.
    pub intents: Vec<(String, i64)>,
    /// (reason, escalations), most first, at most [`TOP_REASONS`].
    pub reasons: Vec<(String, i64)>,
}

/// How many escalation reasons the report lists.
pub const TOP_REASONS: i64 = 5;

impl Store {
    /// Notes the decision on one message of `client_id`.
    pub async fn record_ai_decision(
        &self,
        client_id: i64,
        channel: &str,
        intent: &str,
        sentiment: &str,
        escalated: bool,
        reason: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO ai_decisions (client_id, channel, intent, sentiment, escalated, reason, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(client_id)
        .bind(channel)
        .bind(intent)
        .bind(sentiment)
        .bind(escalated)
        .bind(if escalated { reason } else { "" })
        .bind(super::now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The decisions made in `[from, to)`.
    pub async fn ai_decisions(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<AiDecisions> {
        let intents: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT intent, COUNT(*), COALESCE(SUM(sentiment = 'negative'), 0) FROM ai_decisions \
             WHERE created_at >= ? AND created_at < ? GROUP BY intent ORDER BY COUNT(*) DESC, intent",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let reasons: Vec<(String, i64)> = sqlx::query_as(
            "SELECT reason, COUNT(*) FROM ai_decisions WHERE created_at >= ? AND created_at < ? AND escalated = 1 \
             GROUP BY reason ORDER BY COUNT(*) DESC, reason LIMIT ?",
        )
        .bind(from)
        .bind(to)
        .bind(TOP_REASONS)
        .fetch_all(self.pool())
        .await?;
        Ok(AiDecisions {
            analysed: intents.iter().map(|i| i.1).sum(),
            negative: intents.iter().map(|i| i.2).sum(),
            intents: intents.into_iter().map(|(i, n, _)| (i, n)).collect(),
            reasons,
        })
    }
}
