//! The ledger of Telegram updates being handled (see migration 0007): each update is started
//! before its handler runs and finished after, so a redelivery is recognised and an update the
//! process keeps dying on is skipped after [`MAX_STARTS`].

use super::{Result, Store};

/// Starts of one update without a finish after which it is given up.
pub const MAX_STARTS: i64 = 2;
/// Finished updates are kept this long (Telegram redelivers for at most a day).
const KEEP_DAYS: i64 = 3;

/// What the ledger says about an update about to be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Handle it (the n-th start).
    Handle(i64),
    /// Handled already: a redelivery.
    Duplicate,
    /// Started `MAX_STARTS` times and never finished: skip it.
    Poisoned,
}

impl Store {
    pub async fn start_update(&self, update_id: i64) -> Result<Start> {
        let (attempts, done): (i64, bool) = sqlx::query_as(
            "INSERT INTO telegram_updates (update_id, attempts, seen_at) VALUES (?, 1, ?) \
             ON CONFLICT (update_id) DO UPDATE SET attempts = attempts + (1 - done) \
             RETURNING attempts, done",
        )
        .bind(update_id)
        .bind(super::now())
        .fetch_one(self.pool())
        .await?;
        Ok(match (done, attempts) {
            (true, _) => Start::Duplicate,
            (false, n) if n > MAX_STARTS => Start::Poisoned,
            (false, n) => Start::Handle(n),
        })
    }

    /// Finishes `finished` and starts `update_id` in one statement (one round trip to SQLite
    /// instead of two): a shard that has its next update queued writes the previous one's finish
    /// with it, at the same moment a separate finish would have been written.
    pub async fn start_update_after(&self, finished: Option<i64>, update_id: i64) -> Result<Start> {
        let Some(finished) = finished else { return self.start_update(update_id).await };
        let now = super::now();
        // A finished row adds no attempt and sets done; a started row adds an attempt unless done.
        let rows: Vec<(i64, i64, bool)> = sqlx::query_as(
            "INSERT INTO telegram_updates (update_id, attempts, done, seen_at) VALUES (?, 1, 0, ?), (?, 0, 1, ?) \
             ON CONFLICT (update_id) DO UPDATE SET attempts = attempts + excluded.attempts * (1 - done), \
             done = MAX(done, excluded.done) \
             RETURNING update_id, attempts, done",
        )
        .bind(update_id)
        .bind(now)
        .bind(finished)
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        if finished % 200 == 0 {
            self.forget_old_updates().await?;
        }
        let (attempts, done) = rows
            .into_iter()
            .find(|(id, _, _)| *id == update_id)
            .map(|(_, a, d)| (a, d))
            .ok_or(super::StorageError::NotFound)?;
        Ok(match (done, attempts) {
            (true, _) => Start::Duplicate,
            (false, n) if n > MAX_STARTS => Start::Poisoned,
            (false, n) => Start::Handle(n),
        })
    }

    pub async fn finish_update(&self, update_id: i64) -> Result<()> {
        sqlx::query("UPDATE telegram_updates SET done = 1 WHERE update_id = ?")
            .bind(update_id)
            .execute(self.pool())
            .await?;
        if update_id % 200 == 0 {
            self.forget_old_updates().await?;
        }
        Ok(())
    }

    async fn forget_old_updates(&self) -> Result<()> {
        sqlx::query("DELETE FROM telegram_updates WHERE done = 1 AND seen_at < ?")
            .bind(super::now() - chrono::Duration::days(KEEP_DAYS))
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
