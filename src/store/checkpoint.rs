//! WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit that
//! crosses 1,000 WAL pages: that one commit writes the pages back and fsyncs the database file,
//! a few milliseconds on this disk, once every ~80 payment webhooks (the p99 of `bench payments`
//! was that fsync). The store turns it off (`wal_autocheckpoint = 0` on every connection) and
//! this task runs a passive checkpoint (it waits for no reader or writer) about once a second
//! while anything was written, every few seconds when idle, until the pool closes. (Idle used to
//! mean an empty WAL, which it never is after a write: the query ran every second for good, and
//! the pool, handing out its oldest idle connection first, never let one stay idle long enough
//! to close (`store::POOL_IDLE`).) The nightly
//! housekeeping still truncates the WAL; a process that ends checkpoints when it closes.

use sqlx::SqlitePool;
use std::time::Duration;

/// Between checkpoints while writes come in, and while the WAL stays empty.
const BUSY: Duration = Duration::from_secs(1);
const IDLE: Duration = Duration::from_secs(5);

pub(super) fn spawn(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut wait = BUSY;
        // The WAL's frame count at the last checkpoint: it stays above zero after a complete
        // checkpoint (the log restarts with the next write), so "written since" is a change.
        let mut last_log = 0;
        loop {
            tokio::time::sleep(wait).await;
            if pool.is_closed() {
                return;
            }
            // (busy, frames in the WAL, frames checkpointed)
            match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&pool).await {
                Ok((_, log, _)) => {
                    wait = if log != last_log { BUSY } else { IDLE };
                    last_log = log;
                }
                Err(sqlx::Error::PoolClosed) => return,
                Err(e) => {
                    tracing::debug!(error = %e, "wal checkpoint skipped");
                    wait = IDLE;
                }
            }
        }
    });
}
