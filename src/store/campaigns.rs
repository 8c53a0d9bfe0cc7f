//! Campaigns' rows (`migrations/0016_sequences.sql`): the campaign, the segment query over the
//! clients a marketing e-mail may go to (`MAILABLE` in `store::marketing`), the one-transaction
//! batched insert of its e-mail jobs, and the pending e-mails' due times (the SMTP rate).

use super::jobs::NewJob;
use super::marketing::{Mailable, MAILABLE};
use super::{Result, Store};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Campaign {
    pub id: i64,
    pub segment: String,
    pub subject: String,
    pub body: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub recipients: Option<i64>,
}

/// A segment resolved to instants (the core turns the owner's days into business-time bounds).
#[derive(Debug, Clone, Default)]
pub struct SegmentQuery {
    pub tag: Option<String>,
    pub visit_before: Option<DateTime<Utc>>,
    pub visit_after: Option<DateTime<Utc>>,
    /// Her last order issued at or before this (product at least N months old).
    pub issued_before: Option<DateTime<Utc>>,
    /// Her last order issued at or after this (product at most N months old).
    pub issued_after: Option<DateTime<Utc>>,
}

impl Store {
    pub async fn create_campaign(&self, segment: &str, subject: &str, body: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO campaigns (segment, subject, body, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(segment)
        .bind(subject)
        .bind(body)
        .bind(super::now())
        .fetch_one(self.pool())
        .await?)
    }

    pub async fn campaign(&self, id: i64) -> Result<Option<Campaign>> {
        Ok(sqlx::query_as("SELECT id, segment, subject, body, sent_at, recipients FROM campaigns WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The clients of a segment a marketing e-mail may go to, by id.
    pub async fn segment(&self, q: &SegmentQuery) -> Result<Vec<Mailable>> {
        let last_visit = "(SELECT MAX(b.starts_at) FROM bookings b WHERE b.client_id = c.id AND b.status = 'came')";
        let last_issue = "(SELECT MAX(h.at) FROM order_history h JOIN orders o ON o.id = h.order_id \
                          WHERE o.client_id = c.id AND h.to_status = 'issued' AND o.status = 'issued')";
        let sql = format!(
            "{MAILABLE} \
             AND (?1 IS NULL OR EXISTS (SELECT 1 FROM client_tags ct JOIN tags t ON t.id = ct.tag_id \
                                        WHERE ct.client_id = c.id AND t.name = ?1)) \
             AND (?2 IS NULL OR {last_visit} < ?2) AND (?3 IS NULL OR {last_visit} >= ?3) \
             AND (?4 IS NULL OR {last_issue} <= ?4) AND (?5 IS NULL OR {last_issue} >= ?5) ORDER BY c.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(&q.tag)
            .bind(q.visit_before)
            .bind(q.visit_after)
            .bind(q.issued_before)
            .bind(q.issued_after)
            .fetch_all(self.pool())
            .await?)
    }

    /// Sends campaign `id` to `recipients`: marks it sent and writes one e-mail job per recipient,
    /// in one transaction with multi-row inserts. Returns `None` when it was sent already (a second
    /// tap), else how many jobs were written.
    pub async fn send_campaign(&self, id: i64, jobs: &[NewJob]) -> Result<Option<usize>> {
        let mut tx = self.begin().await?;
        let now = super::now();
        let claimed = sqlx::query("UPDATE campaigns SET sent_at = ?, recipients = ? WHERE id = ? AND sent_at IS NULL")
            .bind(now)
            .bind(jobs.len() as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if !claimed {
            return Ok(None);
        }
        let mut added = 0;
        for chunk in jobs.chunks(200) {
            let values = vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = format!(
                "INSERT INTO jobs (kind, payload, due_at, idempotency_key, created_at, updated_at) VALUES {values} \
                 ON CONFLICT (idempotency_key) DO NOTHING"
            );
            let mut q = sqlx::query(&sql);
            for job in chunk {
                q = q.bind(job.kind).bind(&job.payload).bind(job.due_at).bind(&job.key).bind(now).bind(now);
            }
            added += q.execute(&mut *tx).await?.rows_affected() as usize;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(Some(added))
    }

    /// Pending jobs of `kind`, in the order they are due: (id, due).
    pub async fn pending_of_kind(&self, kind: &str) -> Result<Vec<(i64, DateTime<Utc>)>> {
        Ok(sqlx::query_as("SELECT id, due_at FROM jobs WHERE state = 'pending' AND kind = ? ORDER BY due_at, id")
            .bind(kind)
            .fetch_all(self.pool())
            .await?)
    }

    /// New due times for pending jobs, in one transaction.
    pub async fn set_due_many(&self, dues: &[(i64, DateTime<Utc>)]) -> Result<()> {
        let mut tx = self.begin().await?;
        for (id, due) in dues {
            sqlx::query("UPDATE jobs SET due_at = ? WHERE id = ? AND state = 'pending'")
                .bind(due)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The latest due time of a pending job of these kinds (where the next e-mail queues up).
    pub async fn last_pending_due(&self, kinds: &[&str]) -> Result<Option<DateTime<Utc>>> {
        let marks = vec!["?"; kinds.len()].join(", ");
        let sql = format!("SELECT MAX(due_at) FROM jobs WHERE state = 'pending' AND kind IN ({marks})");
        let mut q = sqlx::query_scalar::<_, Option<DateTime<Utc>>>(&sql);
        for k in kinds {
            q = q.bind(*k);
        }
        Ok(q.fetch_one(self.pool()).await?)
    }
}
