//! The ledger of Telegram updates being handled (see migration 0007): each update is started
//! before its handler runs and finished after, so a redelivery is recognised and an update the
//! process keeps dying on is skipped after [`MAX_STARTS`].
//!
//! Every update writes here, so the writes go to the direct connection (`direct/mod.rs`), each
//! one statement in its own (automatic) transaction: committed, or not written at all and then
//! written through the pool (which waits for the write lock where the direct connection never
//! does). Either way one statement, the same statement; the update's row is read after it. (An
//! explicit `BEGIN IMMEDIATE` … `COMMIT` around it did the same work with two more statements
//! per update: issue 11.)
//!
//! A finish is not a write of its own: it is noted here ([`Store::finish_update`]) and written in
//! front of the next start, whichever chat's, in the same statement ([`FINISHES_AND_START`]), or
//! when the updates fall quiet ([`Store::flush_finished`]: the chats' queues call it when the last
//! chat goes idle, and closing the store does). Under load that is one write and one turn at the
//! direct connection per update instead of two (issue 11's sixteenth round). A noted finish stays
//! noted until a write that carries it has committed, so every start in between carries it too:
//! the same update delivered again is a duplicate whichever write lands first.

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

/// Starts `?1` at `?2`: an attempt, unless it is done already.
const START: &str = "INSERT INTO telegram_updates (update_id, attempts, done, seen_at) VALUES (?1, 1, 0, ?2) \
     ON CONFLICT (update_id) DO UPDATE SET attempts = attempts + excluded.attempts * (1 - done), \
     done = MAX(done, excluded.done)";

/// Finishes the updates listed in `?3` (a JSON array: done, no attempt) and then starts `?1`, all
/// at `?2`: [`START`] with the noted finishes in front (an update that is done stays done; one
/// finished in front of its own start is a duplicate).
const FINISHES_AND_START: &str = "INSERT INTO telegram_updates (update_id, attempts, done, seen_at) \
     SELECT value, 0, 1, ?2 FROM json_each(?3) UNION ALL SELECT ?1, 1, 0, ?2 WHERE true \
     ON CONFLICT (update_id) DO UPDATE SET attempts = attempts + excluded.attempts * (1 - done), \
     done = MAX(done, excluded.done)";

/// Finishes the updates listed in `?1` (a JSON array) at `?2`, when no start carries them.
const FINISHES: &str = "INSERT INTO telegram_updates (update_id, attempts, done, seen_at) \
     SELECT value, 0, 1, ?2 FROM json_each(?1) WHERE true \
     ON CONFLICT (update_id) DO UPDATE SET done = 1";

/// The ledger's row of one update, read after the write. (Not the write's `RETURNING`: SQLite
/// gathers returned rows in a temporary b-tree, set up and torn down on every update, and
/// with a finish in front it returned two rows.)
const READ: &str = "SELECT attempts, done FROM telegram_updates WHERE update_id = ?";

/// The statements every update runs, for tests of their query plans.
#[cfg(test)]
pub(super) const STATEMENTS: [&str; 4] = [START, FINISHES_AND_START, READ, FINISHES];

#[derive(serde::Deserialize, sqlx::FromRow)]
struct Ledger {
    attempts: i64,
    done: bool,
}

/// The finishes noted and not yet written (update ids, in the order they were noted).
#[derive(Debug, Default)]
pub(super) struct Finished(std::sync::Mutex<Vec<i64>>);

impl Finished {
    fn list(&self) -> std::sync::MutexGuard<'_, Vec<i64>> {
        // Only pushes and retains happen under the lock; a poisoned one is still consistent.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The noted finishes, and the same as a JSON array; `None` when there are none.
    fn snapshot(&self) -> Option<(Vec<i64>, String)> {
        let ids = self.list().clone();
        let (first, rest) = ids.split_first()?;
        let mut json = format!("[{first}");
        for id in rest {
            json.push_str(&format!(",{id}"));
        }
        json.push(']');
        Some((ids, json))
    }

    /// Forgets the finishes a write carried, once it has committed (others may have been noted,
    /// or written by another write, in between).
    fn written(&self, ids: &[i64]) {
        self.list().retain(|id| !ids.contains(id));
    }
}

impl Store {
    /// Starts `update_id`, writing every noted finish in front of it (one statement).
    pub async fn start_update(&self, update_id: i64) -> Result<Start> {
        let now = super::now();
        let text = direct::time(now);
        let finished = self.finished.snapshot();
        let (sql, args) = match &finished {
            Some((_, ids)) => (FINISHES_AND_START, vec![Arg::Int(update_id), Arg::Text(&text), Arg::Text(ids)]),
            None => (START, vec![Arg::Int(update_id), Arg::Text(&text)]),
        };
        // Written and read on the direct connection as one unit of work; once written, a read
        // that fails there is read through the pool (never written twice).
        let written = self
            .direct_run("update ledger", |c| {
                c.execute(sql, &args)?;
                Ok(c.rows::<Ledger>(READ, &[Arg::Int(update_id)]).ok().map(|mut rows| rows.pop()))
            })
            .await;
        let row = match written {
            Some(Some(row)) => row,
            Some(None) => self.read_ledger(update_id).await?,
            None => {
                let mut write = sqlx::query(sql).bind(update_id).bind(now);
                if let Some((_, ids)) = &finished {
                    write = write.bind(ids);
                }
                write.execute(self.pool()).await?;
                self.read_ledger(update_id).await?
            }
        };
        if let Some((ids, _)) = finished {
            self.finished.written(&ids);
        }
        self.upkeep().await?;
        let row = row.ok_or(super::StorageError::NotFound)?;
        Ok(match (row.done, row.attempts) {
            (true, _) => Start::Duplicate,
            (false, n) if n > MAX_STARTS => Start::Poisoned,
            (false, n) => Start::Handle(n),
        })
    }

    async fn read_ledger(&self, update_id: i64) -> Result<Option<Ledger>> {
        Ok(sqlx::query_as::<_, Ledger>(READ).bind(update_id).fetch_optional(self.pool()).await?)
    }

    /// Notes `update_id` as handled: written with the next start, or by [`Store::flush_finished`].
    pub fn finish_update(&self, update_id: i64) {
        self.finished.list().push(update_id);
    }

    /// Writes the noted finishes now (when the updates fall quiet, and on close).
    pub async fn flush_finished(&self) -> Result<()> {
        let Some((written, ids)) = self.finished.snapshot() else { return Ok(()) };
        let now = super::now();
        let text = direct::time(now);
        let args = [Arg::Text(&ids), Arg::Text(&text)];
        if self.direct_run("update ledger", |c| c.execute(FINISHES, &args)).await.is_none() {
            sqlx::query(FINISHES).bind(&ids).bind(now).execute(self.pool()).await?;
        }
        self.finished.written(&written);
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

#[cfg(test)]
mod tests {
    use super::Finished;

    #[test]
    fn a_noted_finish_is_forgotten_only_by_a_write_that_carried_it() {
        let finished = Finished::default();
        finished.list().extend([1, 2]);
        let (a, json) = finished.snapshot().unwrap();
        assert_eq!(json, "[1,2]");
        let (b, _) = finished.snapshot().unwrap();
        finished.list().push(3);
        // Two writes carried 1 and 2; 3 was noted after both read the list.
        finished.written(&a);
        finished.written(&b);
        assert_eq!(*finished.list(), [3]);
        assert_eq!(finished.snapshot().unwrap().1, "[3]");
        finished.written(&[3]);
        assert!(finished.snapshot().is_none());
    }
}
