//! The ledger of Telegram updates being handled (see migration 0007): each update is started
//! before its handler runs and finished after, so a redelivery is recognised and an update the
//! process keeps dying on is skipped after [`MAX_STARTS`].
//!
//! Every update writes here, so the writes go to the direct connection (`direct/mod.rs`), each
//! one statement in its own (automatic) transaction: committed, or not written at all and then
//! written through the pool (which waits for the write lock where the direct connection never
//! does). Either way one statement, the same statement. (An explicit `BEGIN IMMEDIATE` …
//! `COMMIT` around it did the same work with two more statements per update: issue 11.)

use super::direct::{self, Arg};
use super::{Result, Store};

/// Starts of one update without a finish after which it is given up.
pub const MAX_STARTS: i64 = 2;
/// Finished updates are kept this long (Telegram redelivers for at most a day).
const KEEP_DAYS: i64 = 3;
/// How often finished updates past [`KEEP_DAYS`] are pruned (a scan of the ledger: it has no
/// index on time, which would double every ledger write).
const PRUNE_EVERY_SECS: i64 = 3600;

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

/// Starts `?1` (an attempt unless done), finishes `?3` (done, no attempt); both at `?2`. The
/// first row only when nothing is to be finished (`?3` NULL inserts no second row).
const START: &str = "INSERT INTO telegram_updates (update_id, attempts, done, seen_at) \
     SELECT ?1, 1, 0, ?2 UNION ALL SELECT ?3, 0, 1, ?2 WHERE ?3 IS NOT NULL \
     ON CONFLICT (update_id) DO UPDATE SET attempts = attempts + excluded.attempts * (1 - done), \
     done = MAX(done, excluded.done) \
     RETURNING update_id, attempts, done";

const FINISH: &str = "UPDATE telegram_updates SET done = 1 WHERE update_id = ?";

#[derive(serde::Deserialize, sqlx::FromRow)]
struct Ledger {
    update_id: i64,
    attempts: i64,
    done: bool,
}

impl Store {
    pub async fn start_update(&self, update_id: i64) -> Result<Start> {
        self.start_update_after(None, update_id).await
    }

    /// Finishes `finished` and starts `update_id` in one statement (one write instead of two):
    /// a shard that has its next update queued writes the previous one's finish with it, at the
    /// same moment a separate finish would have been written.
    pub async fn start_update_after(&self, finished: Option<i64>, update_id: i64) -> Result<Start> {
        let now = super::now();
        let text = direct::time(now);
        let args = [Arg::Int(update_id), Arg::Text(&text), finished.map_or(Arg::Null, Arg::Int)];
        let rows = match self.direct_run("update ledger", |c| c.rows::<Ledger>(START, &args)).await {
            Some(rows) => rows,
            None => {
                sqlx::query_as::<_, Ledger>(START)
                    .bind(update_id)
                    .bind(now)
                    .bind(finished)
                    .fetch_all(self.pool())
                    .await?
            }
        };
        self.upkeep().await?;
        let row = rows.into_iter().find(|r| r.update_id == update_id).ok_or(super::StorageError::NotFound)?;
        Ok(match (row.done, row.attempts) {
            (true, _) => Start::Duplicate,
            (false, n) if n > MAX_STARTS => Start::Poisoned,
            (false, n) => Start::Handle(n),
        })
    }

    pub async fn finish_update(&self, update_id: i64) -> Result<()> {
        if self.direct_run("update ledger", |c| c.execute(FINISH, &[Arg::Int(update_id)])).await.is_none() {
            sqlx::query(FINISH).bind(update_id).execute(self.pool()).await?;
        }
        self.upkeep().await
    }

    /// After a ledger write: prune old finished updates once an hour (the first time at the
    /// first update), through the pool.
    async fn upkeep(&self) -> Result<()> {
        let now = super::now();
        let last = self.ledger_pruned.load(std::sync::atomic::Ordering::Relaxed);
        if now.timestamp() - last >= PRUNE_EVERY_SECS
            && self
                .ledger_pruned
                .compare_exchange(
                    last,
                    now.timestamp(),
                    std::sync::atomic::Ordering::Relaxed,
                    std::sync::atomic::Ordering::Relaxed,
                )
                .is_ok()
        {
            sqlx::query("DELETE FROM telegram_updates WHERE done = 1 AND seen_at < ?")
                .bind(now - chrono::Duration::days(KEEP_DAYS))
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }
}
