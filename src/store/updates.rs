//! The ledger of Telegram updates being handled (see migration 0007): each update is started
//! before its handler runs and finished after, so a redelivery is recognised and an update the
//! process keeps dying on is skipped after [`MAX_STARTS`].
//!
//! Every update writes here, so the writes go to the direct connection (`direct/mod.rs`), one
//! statement each, committed together with whatever other chats' ledger writes are queued at
//! that moment (`group_commit.rs`; alone, a statement is its own transaction: an explicit
//! `BEGIN IMMEDIATE` … `COMMIT` around one statement did the same work with two more statements,
//! issue 11): committed, or not written at all and then written through the pool (which waits
//! for the write lock where the direct connection never does). Either way the same statement;
//! the update's row is read after it.

use super::direct::{self, Arg};
use super::group_commit::Write;
use super::{Result, Store};
use std::time::Duration;

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

/// Finishes `?3` (done, no attempt) and then starts `?1`, both at `?2`: [`START`] with the
/// previous update's finish in front.
const FINISH_AND_START: &str = "INSERT INTO telegram_updates (update_id, attempts, done, seen_at) \
     VALUES (?3, 0, 1, ?2), (?1, 1, 0, ?2) \
     ON CONFLICT (update_id) DO UPDATE SET attempts = attempts + excluded.attempts * (1 - done), \
     done = MAX(done, excluded.done)";

/// The ledger's row of one update, read after the write. (Not the write's `RETURNING`: SQLite
/// gathers returned rows in a temporary b-tree, set up and torn down on every update, and
/// with a finish in front it returned two rows.)
const READ: &str = "SELECT attempts, done FROM telegram_updates WHERE update_id = ?";

const FINISH: &str = "UPDATE telegram_updates SET done = 1 WHERE update_id = ?";

/// The statements every update runs, for tests of their query plans.
#[cfg(test)]
pub(super) const STATEMENTS: [&str; 4] = [START, FINISH_AND_START, READ, FINISH];

/// How long a finish waits for another ledger write to be committed with before it commits
/// by itself: in a burst another chat starts an update every fraction of a millisecond. Alone,
/// it costs a millisecond at most to the chat's next update if that one arrives meanwhile (the
/// answer to this one has gone already).
const FINISH_LINGERS: Duration = Duration::from_millis(1);

#[derive(serde::Deserialize, sqlx::FromRow)]
pub(super) struct Ledger {
    attempts: i64,
    done: bool,
}

/// One ledger write as the group commit runs it (`group_commit.rs`).
pub(super) enum LedgerWrite {
    /// [`START`] (or [`FINISH_AND_START`] with `finished`), then the update's row read back:
    /// `None` when that read failed.
    Start {
        id: i64,
        finished: Option<i64>,
        at: String,
    },
    Finish {
        id: i64,
    },
}

impl Write for LedgerWrite {
    type Out = Option<Option<Ledger>>;

    fn run(&self, c: &mut direct::Conn) -> direct::Result<Self::Out> {
        match self {
            LedgerWrite::Start { id, finished, at } => {
                let args = [Arg::Int(*id), Arg::Text(at), finished.map_or(Arg::Null, Arg::Int)];
                let (sql, args) = if finished.is_some() { (FINISH_AND_START, &args[..]) } else { (START, &args[..2]) };
                c.execute(sql, args)?;
                Ok(c.rows::<Ledger>(READ, &[Arg::Int(*id)]).ok().map(|mut rows| rows.pop()))
            }
            LedgerWrite::Finish { id } => c.execute(FINISH, &[Arg::Int(*id)]).map(|()| None),
        }
    }
}

impl Store {
    pub async fn start_update(&self, update_id: i64) -> Result<Start> {
        self.start_update_after(None, update_id).await
    }

    /// Finishes `finished` and starts `update_id` in one statement (one write instead of two):
    /// a chat whose next update is already queued writes the previous one's finish with it, at the
    /// same moment a separate finish would have been written.
    pub async fn start_update_after(&self, finished: Option<i64>, update_id: i64) -> Result<Start> {
        let now = super::now();
        // Written and read on the direct connection as one unit of work, possibly committed with
        // other chats' ledger writes; once written, a read that fails there is read through the
        // pool (never written twice).
        let write = LedgerWrite::Start { id: update_id, finished, at: direct::time(now) };
        let row = match self.ledger.write(&self.direct, "update ledger", write, Duration::ZERO).await {
            Some(Some(row)) => row,
            Some(None) => self.read_ledger(update_id).await?,
            None => {
                let sql = if finished.is_some() { FINISH_AND_START } else { START };
                let mut write = sqlx::query(sql).bind(update_id).bind(now);
                if let Some(f) = finished {
                    write = write.bind(f);
                }
                write.execute(self.pool()).await?;
                self.read_ledger(update_id).await?
            }
        };
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

    /// Marks `update_id` handled. Its answer has gone already, so the write first lingers
    /// ([`FINISH_LINGERS`]) for another chat's ledger write to commit it with.
    pub async fn finish_update(&self, update_id: i64) -> Result<()> {
        let write = LedgerWrite::Finish { id: update_id };
        if self.ledger.write(&self.direct, "update ledger", write, FINISH_LINGERS).await.is_none() {
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
