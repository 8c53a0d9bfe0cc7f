//! The assistant's state: per-conversation pause, drafts waiting for the owner, answers she
//! saved to the knowledge base, and the LLM's daily call count.

use super::{Result, Store};
use crate::domain::DraftStatus;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Draft {
    pub id: i64,
    pub client_id: i64,
    pub channel: String,
    pub question: String,
    pub suggestion: String,
    pub status: crate::domain::DraftStatus,
    pub final_text: Option<String>,
    pub saved: bool,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub async fn set_conversation_paused(&self, client_id: i64, paused: bool) -> Result<()> {
        sqlx::query("UPDATE clients SET assistant_paused = ? WHERE id = ?")
            .bind(paused)
            .bind(client_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn conversation_paused(&self, client_id: i64) -> Result<bool> {
        Ok(sqlx::query_scalar("SELECT assistant_paused FROM clients WHERE id = ?")
            .bind(client_id)
            .fetch_optional(self.pool())
            .await?
            .unwrap_or(false))
    }

    pub async fn create_draft(&self, client_id: i64, channel: &str, question: &str, suggestion: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO drafts (client_id, channel, question, suggestion, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(client_id)
        .bind(channel)
        .bind(question)
        .bind(suggestion)
        .bind(super::now())
        .fetch_one(self.pool())
        .await?)
    }

    pub async fn draft(&self, id: i64) -> Result<Option<Draft>> {
        Ok(sqlx::query_as(
            "SELECT id, client_id, channel, question, suggestion, status, final_text, saved, created_at FROM drafts WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Marks a pending draft sent (with the text that went out) or ignored; false when it was
    /// already resolved (a second tap, or two owners at once), so nothing goes out twice.
    pub async fn resolve_draft(&self, id: i64, status: DraftStatus, final_text: Option<&str>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE drafts SET status = ?, final_text = ?, resolved_at = ? WHERE id = ? AND status = 'pending'",
        )
        .bind(status.code())
        .bind(final_text)
        .bind(super::now())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Saves the owner's answer to a sent draft as a learned knowledge-base entry, once.
    pub async fn save_draft_to_kb(&self, id: i64) -> Result<Option<(String, String)>> {
        let mut tx = self.begin().await?;
        let row: Option<(String, String)> = sqlx::query_as(
            "UPDATE drafts SET saved = 1 WHERE id = ? AND status = 'sent' AND saved = 0 RETURNING question, final_text",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((q, a)) = &row {
            sqlx::query("INSERT INTO kb_learned (question, answer, created_at) VALUES (?, ?, ?)")
                .bind(q)
                .bind(a)
                .bind(super::now())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(row)
    }

    pub async fn learned_answers(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT question, answer FROM kb_learned ORDER BY id").fetch_all(self.pool()).await?)
    }

    /// Counts one LLM call against today's budget; false (and nothing counted) when spent.
    pub async fn take_llm_call(&self, day: &str, budget: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO llm_usage (day, calls) VALUES (?, 1) \
             ON CONFLICT (day) DO UPDATE SET calls = calls + 1 WHERE calls < ?",
        )
        .bind(day)
        .bind(budget)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1 && budget > 0)
    }

    /// A Telegram chat's client card: the booked client, or else the lead the assistant made.
    pub async fn lead_by_telegram(&self, telegram_id: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM clients WHERE telegram_id = ? ORDER BY phone IS NULL, id LIMIT 1")
            .bind(telegram_id)
            .fetch_optional(self.pool())
            .await?)
    }
}

impl Store {
    /// Sending failed after the draft was claimed: it waits for the owner again.
    pub async fn reopen_draft(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE drafts SET status = 'pending', final_text = NULL, resolved_at = NULL WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

impl Store {
    /// Drafts still waiting for the owner, oldest first, with the client's name.
    pub async fn pending_drafts(&self, limit: i64) -> Result<(i64, Vec<(i64, String, String)>)> {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM drafts WHERE status = 'pending'").fetch_one(self.pool()).await?;
        let rows = sqlx::query_as(
            "SELECT d.id, c.full_name, d.question FROM drafts d JOIN clients c ON c.id = d.client_id \
             WHERE d.status = 'pending' ORDER BY d.id LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok((total, rows))
    }
}

super::stored_as_code!(DraftStatus);
