//! The Listmonk sync's rows (`migrations/0019_listmonk.sql`): what Listmonk was last told about
//! each client, and the one query of what it must be told now ([`Store::listmonk_due`]): consent
//! it does not have yet, a withdrawal it did not get, a forgotten client it still holds.

use super::marketing::MAILABLE;
use super::{Result, Store};
use chrono::{DateTime, Utc};

/// What the sync must do for one client; `since` names the change (its job's key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Subscribe,
    Unsubscribe,
    Delete,
}

impl Due {
    pub fn code(self) -> &'static str {
        match self {
            Due::Subscribe => "subscribe",
            Due::Unsubscribe => "unsubscribe",
            Due::Delete => "delete",
        }
    }
}

/// A client's row: her subscriber id in Listmonk and the state last pushed or read back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Mapped {
    pub subscriber_id: i64,
    pub state: String,
}

impl Store {
    /// Every client whose Listmonk state differs from the CRM's: (client, what, since when).
    pub async fn listmonk_due(&self) -> Result<Vec<(i64, Due, DateTime<Utc>)>> {
        let rows: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(&format!(
            "SELECT c.id, 'subscribe', m.given_at FROM clients c \
             JOIN marketing_consent m ON m.client_id = c.id \
             LEFT JOIN listmonk_subscribers l ON l.client_id = c.id \
             WHERE c.id IN (SELECT id FROM ({MAILABLE})) AND (l.state IS NULL OR l.state <> 'subscribed') \
             UNION ALL \
             SELECT l.client_id, CASE WHEN c.source IS 'deleted' THEN 'delete' ELSE 'unsubscribe' END, l.synced_at \
             FROM listmonk_subscribers l JOIN clients c ON c.id = l.client_id \
             WHERE c.source IS 'deleted' OR (l.state = 'subscribed' AND c.id NOT IN (SELECT id FROM ({MAILABLE}))) \
             ORDER BY 1"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(client, what, at)| {
                let due = match what.as_str() {
                    "subscribe" => Due::Subscribe,
                    "delete" => Due::Delete,
                    _ => Due::Unsubscribe,
                };
                (client, due, at)
            })
            .collect())
    }

    pub async fn listmonk_mapped(&self, client: i64) -> Result<Option<Mapped>> {
        Ok(sqlx::query_as("SELECT subscriber_id, state FROM listmonk_subscribers WHERE client_id = ?")
            .bind(client)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Records what Listmonk now holds for her: `subscribed` or `unsubscribed`.
    pub async fn set_listmonk(&self, client: i64, subscriber_id: i64, state: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO listmonk_subscribers (client_id, subscriber_id, state, synced_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (client_id) DO UPDATE SET subscriber_id = excluded.subscriber_id, state = excluded.state, \
             synced_at = excluded.synced_at",
        )
        .bind(client)
        .bind(subscriber_id)
        .bind(state)
        .bind(super::now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forgets her Listmonk row (Listmonk deleted her).
    pub async fn drop_listmonk(&self, client: i64) -> Result<()> {
        sqlx::query("DELETE FROM listmonk_subscribers WHERE client_id = ?").bind(client).execute(self.pool()).await?;
        Ok(())
    }

    /// Whether client `id` was forgotten (`/forget`).
    pub async fn is_forgotten(&self, client: i64) -> Result<bool> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT 1 FROM clients WHERE id = ? AND source IS 'deleted'")
            .bind(client)
            .fetch_optional(self.pool())
            .await?
            .is_some())
    }

    /// The clients a Listmonk subscriber is: those the CRM stored her subscriber id for (two
    /// cards with one address share it), else the card her `crm_id` names when it still has her
    /// address (an id alone, which anyone with access to Listmonk may edit, names no client).
    pub async fn clients_for_subscriber(
        &self,
        subscriber_id: i64,
        crm_id: Option<i64>,
        email: &str,
    ) -> Result<Vec<i64>> {
        let mapped: Vec<i64> =
            sqlx::query_scalar("SELECT client_id FROM listmonk_subscribers WHERE subscriber_id = ? ORDER BY client_id")
                .bind(subscriber_id)
                .fetch_all(self.pool())
                .await?;
        let Some(crm_id) = crm_id.filter(|_| mapped.is_empty()) else { return Ok(mapped) };
        Ok(sqlx::query_scalar(
            "SELECT id FROM clients WHERE id = ? AND lower(trim(email)) = lower(trim(?)) AND source IS NOT 'deleted'",
        )
        .bind(crm_id)
        .bind(email)
        .fetch_all(self.pool())
        .await?)
    }

    /// For `/listmonk`: clients subscribed there, and the sync's jobs pending and failed.
    pub async fn listmonk_counts(&self) -> Result<(i64, i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM listmonk_subscribers WHERE state = 'subscribed'), \
                    (SELECT COUNT(*) FROM jobs WHERE kind LIKE 'listmonk%' AND state IN ('pending', 'running')), \
                    (SELECT COUNT(*) FROM jobs WHERE kind LIKE 'listmonk%' AND state = 'failed')",
        )
        .fetch_one(self.pool())
        .await?)
    }
}
