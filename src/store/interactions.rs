//! The per-client timeline: every note, call, status change and message from any channel.

use super::{Result, Store};
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    Internal,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::Internal => "internal",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Note,
    Call,
    Status,
    Message,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Call => "call",
            Kind::Status => "status",
            Kind::Message => "message",
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct Interaction {
    pub id: i64,
    pub client_id: i64,
    pub channel: String,
    pub direction: String,
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    client_id: i64,
    channel: &str,
    direction: Direction,
    kind: Kind,
    body: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(client_id)
    .bind(channel)
    .bind(direction.code())
    .bind(kind.code())
    .bind(body)
    .bind(super::now())
    .fetch_one(&mut **tx)
    .await?)
}

impl Store {
    pub async fn add_interaction(
        &self,
        client_id: i64,
        channel: &str,
        direction: Direction,
        kind: Kind,
        body: &str,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        // Refuse a timeline entry for a client that does not exist (foreign keys would too).
        self.client_exists(&mut tx, client_id).await?;
        let id = insert(&mut tx, client_id, channel, direction, kind, body).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn recent_interactions(&self, client_id: i64, limit: i64) -> Result<Vec<Interaction>> {
        recent_interactions_on(self.pool(), client_id, limit).await
    }

    /// When the client last wrote on `channel` (the messaging window opens on her messages).
    pub async fn last_inbound(&self, client_id: i64, channel: &str) -> Result<Option<DateTime<Utc>>> {
        Ok(sqlx::query_scalar(
            "SELECT MAX(created_at) FROM interactions WHERE client_id = ? AND channel = ? AND direction = 'in'",
        )
        .bind(client_id)
        .bind(channel)
        .fetch_one(self.pool())
        .await?)
    }

    /// The client's message on `channel` before her latest one, when it came within `within`
    /// of it: the context a follow-up ("а для дітей?") is read with.
    pub async fn previous_message(
        &self,
        client_id: i64,
        channel: &str,
        within: chrono::Duration,
    ) -> Result<Option<String>> {
        let rows: Vec<(String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT body, created_at FROM interactions WHERE client_id = ? AND channel = ? AND direction = 'in' \
             AND kind = 'message' ORDER BY created_at DESC, id DESC LIMIT 2",
        )
        .bind(client_id)
        .bind(channel)
        .fetch_all(self.pool())
        .await?;
        Ok(match rows.as_slice() {
            [(_, last), (body, at)] if *last - *at <= within && !body.trim().is_empty() => Some(body.clone()),
            _ => None,
        })
    }

    pub(crate) async fn client_exists(&self, tx: &mut Transaction<'_, Sqlite>, client_id: i64) -> Result<()> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM clients WHERE id = ?").bind(client_id).fetch_optional(&mut **tx).await?;
        found.map(|_| ()).ok_or(super::StorageError::NotFound)
    }
}

/// A client's last events, newest first (bind her id and how many).
pub(super) const RECENT_INTERACTIONS: &str = "SELECT id, client_id, channel, direction, kind, body, created_at \
     FROM interactions WHERE client_id = ? ORDER BY created_at DESC, id DESC LIMIT ?";

pub(super) async fn recent_interactions_on<'e>(
    e: impl sqlx::SqliteExecutor<'e>,
    client_id: i64,
    limit: i64,
) -> Result<Vec<Interaction>> {
    Ok(sqlx::query_as::<_, Interaction>(RECENT_INTERACTIONS).bind(client_id).bind(limit).fetch_all(e).await?)
}
