//! Instagram posts and the content calendar (`migrations/0018_content.sql`): a draft's text, its
//! state and publish date. Scheduling and discarding change the post and its publish-day
//! reminder (a job the core builds) in one transaction, so a post never has two reminders and a
//! discarded one none.

use super::jobs::{cancel_prefix_tx, enqueue_or_revive_tx, NewJob};
use super::{Result, Store};
use chrono::NaiveDate;

/// A post as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub topic: String,
    pub caption: String,
    /// Space-separated, each starting with `#`.
    pub hashtags: String,
    pub image_idea: String,
    /// `draft`, `approved`, `scheduled`, `published` or `discarded`.
    pub state: String,
    pub publish_date: Option<NaiveDate>,
    pub campaign: String,
    /// `offline` or `llm`.
    pub source: String,
    pub variant: i64,
}

/// A draft's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostText {
    pub caption: String,
    pub hashtags: String,
    pub image_idea: String,
    pub source: &'static str,
}

const COLUMNS: &str = "id, topic, caption, hashtags, image_idea, state, publish_date, campaign, source, variant";

impl Store {
    /// A new draft; returns its id.
    pub async fn insert_post(&self, topic: &str, campaign: &str, text: &PostText) -> Result<i64> {
        let now = super::now();
        Ok(sqlx::query_scalar(
            "INSERT INTO content_posts (topic, caption, hashtags, image_idea, campaign, source, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(topic)
        .bind(&text.caption)
        .bind(&text.hashtags)
        .bind(&text.image_idea)
        .bind(campaign)
        .bind(text.source)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool())
        .await?)
    }

    pub async fn post(&self, id: i64) -> Result<Option<Post>> {
        Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM content_posts WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Another variant of a draft (only while it is a draft): its text and variant number.
    pub async fn replace_draft(&self, id: i64, variant: i64, text: &PostText) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE content_posts SET caption = ?, hashtags = ?, image_idea = ?, source = ?, variant = ?, updated_at = ? \
             WHERE id = ? AND state = 'draft'",
        )
        .bind(&text.caption)
        .bind(&text.hashtags)
        .bind(&text.image_idea)
        .bind(text.source)
        .bind(variant)
        .bind(super::now())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves a post to `to` when it is in one of `from`; returns whether it moved.
    pub async fn set_post_state(&self, id: i64, from: &[&str], to: &str) -> Result<bool> {
        let marks = vec!["?"; from.len()].join(", ");
        let sql = format!("UPDATE content_posts SET state = ?, updated_at = ? WHERE id = ? AND state IN ({marks})");
        let mut q = sqlx::query(&sql).bind(to).bind(super::now()).bind(id);
        for f in from {
            q = q.bind(*f);
        }
        Ok(q.execute(self.pool()).await?.rows_affected() == 1)
    }

    /// Schedules a post (not published or discarded) for `date`: its other reminders (keys under
    /// `prefix`) cancelled, `reminder` written (a cancelled one with the same key, from an earlier
    /// schedule of that day, comes back; one already sent does not).
    pub async fn schedule_post(&self, id: i64, date: NaiveDate, prefix: &str, reminder: &NewJob) -> Result<bool> {
        let mut tx = self.begin().await?;
        let now = super::now();
        let done = sqlx::query(
            "UPDATE content_posts SET state = 'scheduled', publish_date = ?, updated_at = ? \
             WHERE id = ? AND state IN ('draft', 'approved', 'scheduled')",
        )
        .bind(date)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        cancel_prefix_tx(&mut tx, prefix).await?;
        enqueue_or_revive_tx(&mut tx, reminder).await?;
        tx.commit().await?;
        self.jobs_changed();
        Ok(true)
    }

    /// Discards a post (not published): its pending reminders (keys under `prefix`) cancelled.
    pub async fn discard_post(&self, id: i64, prefix: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE content_posts SET state = 'discarded', updated_at = ? WHERE id = ? AND state IN ('draft', 'approved', 'scheduled')",
        )
        .bind(super::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        cancel_prefix_tx(&mut tx, prefix).await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Posts scheduled or published for `from..=to`, by date.
    pub async fn planned_posts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Post>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM content_posts WHERE publish_date >= ? AND publish_date <= ? \
             AND state IN ('scheduled', 'published') ORDER BY publish_date, id"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?)
    }

    /// Drafts and approved posts with no date yet, newest first.
    pub async fn unplanned_posts(&self, limit: i64) -> Result<Vec<Post>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM content_posts WHERE state IN ('draft', 'approved') ORDER BY id DESC LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }
}
