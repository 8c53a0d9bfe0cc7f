//! Marketing e-mail's rows (`migrations/0016_sequences.sql`): consent, unsubscribes, sequence
//! enrolments and their sends (campaigns in `store::campaigns`). Who may get a marketing e-mail is
//! decided here once ([`Store::mailable`]): an address, consent not withdrawn, not forgotten.

use super::jobs::{cancel_prefix_tx, enqueue_tx, NewJob};
use super::{Result, Store};
use chrono::{DateTime, Utc};

/// A client a marketing e-mail may go to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Mailable {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    /// Her Telegram chat, whose language her e-mail is written in (Ukrainian without one).
    pub telegram_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Enrolment {
    pub id: i64,
    pub client_id: i64,
    pub sequence: String,
    pub anchor: String,
    pub started_at: DateTime<Utc>,
    pub status: String,
}

/// The key prefix of every job of one enrolment (cancelled together when it stops).
pub fn enrolment_prefix(id: i64) -> String {
    format!("seq:{id}:")
}

pub(super) const MAILABLE: &str = "SELECT c.id, c.full_name, c.email, c.telegram_id FROM clients c \
    JOIN marketing_consent m ON m.client_id = c.id AND m.withdrawn_at IS NULL \
    WHERE c.email IS NOT NULL AND c.email <> '' AND c.source IS NOT 'deleted'";

async fn stop_active_tx(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, client: i64, reason: &str) -> Result<()> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE sequence_enrolments SET status = 'stopped', stop_reason = ? WHERE client_id = ? AND status = 'active' \
         RETURNING id",
    )
    .bind(reason)
    .bind(client)
    .fetch_all(&mut **tx)
    .await?;
    for id in ids {
        cancel_prefix_tx(tx, &enrolment_prefix(id)).await?;
    }
    Ok(())
}

impl Store {
    /// Records consent (again, after a withdrawal) from `source`: page, owner, import.
    pub async fn give_consent(&self, client: i64, source: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO marketing_consent (client_id, given_at, source) VALUES (?, ?, ?) \
             ON CONFLICT (client_id) DO UPDATE SET given_at = excluded.given_at, source = excluded.source, \
             withdrawn_at = NULL",
        )
        .bind(client)
        .bind(super::now())
        .bind(source)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// When and how she consented, if she has and did not withdraw.
    pub async fn consent(&self, client: i64) -> Result<Option<(DateTime<Utc>, String)>> {
        Ok(sqlx::query_as(
            "SELECT given_at, source FROM marketing_consent WHERE client_id = ? AND withdrawn_at IS NULL",
        )
        .bind(client)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Withdraws consent and stops her sequences (their pending jobs cancelled), recording an
    /// unsubscribe `via` (link, one-click, owner). False when she had no consent to withdraw.
    pub async fn unsubscribe(&self, client: i64, via: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let now = super::now();
        let changed =
            sqlx::query("UPDATE marketing_consent SET withdrawn_at = ? WHERE client_id = ? AND withdrawn_at IS NULL")
                .bind(now)
                .bind(client)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
        if changed {
            sqlx::query("INSERT INTO unsubscribes (client_id, via, at) VALUES (?, ?, ?)")
                .bind(client)
                .bind(via)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        stop_active_tx(&mut tx, client, "unsubscribed").await?;
        tx.commit().await?;
        Ok(changed)
    }

    pub async fn unsubscribe_count(&self, client: i64) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM unsubscribes WHERE client_id = ?")
            .bind(client)
            .fetch_one(self.pool())
            .await?)
    }

    /// The client, when a marketing e-mail may go to her now.
    pub async fn mailable(&self, client: i64) -> Result<Option<Mailable>> {
        Ok(sqlx::query_as(&format!("{MAILABLE} AND c.id = ?")).bind(client).fetch_optional(self.pool()).await?)
    }

    /// Enrols `client` in `sequence` from the event `anchor` at `started_at`, writing the steps'
    /// jobs with it; `None` when she was enrolled from this event already, or when her card is
    /// gone or forgotten by now. The sweep reads its events before it enrols: a merge or a
    /// "forget me" in between must not bring an enrolment back (SQLite may even reuse the
    /// deleted row's id), so the card is checked in the same statement as the insert.
    pub async fn enrol(
        &self,
        client: i64,
        sequence: &str,
        anchor: &str,
        started_at: DateTime<Utc>,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO sequence_enrolments (client_id, sequence, anchor, started_at) \
             SELECT c.id, ?, ?, ? FROM clients c WHERE c.id = ? AND c.source IS NOT ? \
             ON CONFLICT (client_id, sequence, anchor) DO NOTHING RETURNING id",
        )
        .bind(sequence)
        .bind(anchor)
        .bind(started_at)
        .bind(client)
        .bind(super::forget::DELETED)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = id {
            for job in jobs(id) {
                enqueue_tx(&mut tx, &job).await?;
            }
        }
        tx.commit().await?;
        if id.is_some() {
            self.jobs_changed();
        }
        Ok(id)
    }

    pub async fn enrolment(&self, id: i64) -> Result<Option<Enrolment>> {
        Ok(sqlx::query_as(
            "SELECT id, client_id, sequence, anchor, started_at, status FROM sequence_enrolments WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn enrolments_of(&self, client: i64) -> Result<Vec<Enrolment>> {
        Ok(sqlx::query_as(
            "SELECT id, client_id, sequence, anchor, started_at, status FROM sequence_enrolments WHERE client_id = ? \
             ORDER BY id",
        )
        .bind(client)
        .fetch_all(self.pool())
        .await?)
    }

    /// Ends an enrolment: `stopped` with a reason (its pending jobs cancelled), or `done` (the
    /// last step's e-mail still goes).
    pub async fn end_enrolment(&self, id: i64, status: &str, reason: Option<&str>) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE sequence_enrolments SET status = ?, stop_reason = ? WHERE id = ? AND status = 'active'")
            .bind(status)
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if status == "stopped" {
            cancel_prefix_tx(&mut tx, &enrolment_prefix(id)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// What she did after `since` that ends a sequence: `replied` (a message from her on any
    /// channel), `booked`, `ordered`; `None` when nothing.
    pub async fn activity_since(&self, client: i64, since: DateTime<Utc>) -> Result<Option<&'static str>> {
        let (replied, booked, ordered): (bool, bool, bool) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM interactions WHERE client_id = ?1 AND direction = 'in' AND created_at > ?2), \
                    EXISTS (SELECT 1 FROM bookings WHERE client_id = ?1 AND created_at > ?2), \
                    EXISTS (SELECT 1 FROM orders WHERE client_id = ?1 AND created_at > ?2)",
        )
        .bind(client)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok(if replied {
            Some("replied")
        } else if booked {
            Some("booked")
        } else if ordered {
            Some("ordered")
        } else {
            None
        })
    }

    /// Records step `step` of an enrolment as sent and enqueues its e-mail, in one transaction;
    /// false (and nothing enqueued) when the step was recorded before.
    pub async fn record_sequence_send(&self, enrolment: i64, step: i64, mail: &NewJob) -> Result<bool> {
        let mut tx = self.begin().await?;
        let new =
            sqlx::query("INSERT INTO sequence_sends (enrolment_id, step, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(enrolment)
                .bind(step)
                .bind(super::now())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if new {
            enqueue_tx(&mut tx, mail).await?;
        }
        tx.commit().await?;
        if new {
            self.jobs_changed();
        }
        Ok(new)
    }

    pub async fn sequence_sends(&self, enrolment: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT step FROM sequence_sends WHERE enrolment_id = ? ORDER BY step")
            .bind(enrolment)
            .fetch_all(self.pool())
            .await?)
    }

    /// Clients with consent who came to a `service` visit that started in `[from, to)`:
    /// (client, booking, its start).
    pub async fn visits_came(
        &self,
        service: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(i64, i64, DateTime<Utc>)>> {
        Ok(sqlx::query_as(
            "SELECT b.client_id, b.id, b.starts_at FROM bookings b \
             JOIN marketing_consent m ON m.client_id = b.client_id AND m.withdrawn_at IS NULL \
             WHERE b.service = ? AND b.status = 'came' AND b.starts_at >= ? AND b.starts_at < ? ORDER BY b.id",
        )
        .bind(service)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }

    /// Clients with consent whose order was issued in `[from, to)`: (client, order, when).
    pub async fn orders_issued(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(i64, i64, DateTime<Utc>)>> {
        Ok(sqlx::query_as(
            "SELECT o.client_id, o.id, MAX(h.at) FROM order_history h JOIN orders o ON o.id = h.order_id \
             JOIN marketing_consent m ON m.client_id = o.client_id AND m.withdrawn_at IS NULL \
             WHERE h.to_status = 'issued' AND o.status = 'issued' AND h.at >= ? AND h.at < ? \
             GROUP BY o.id ORDER BY o.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }
}
