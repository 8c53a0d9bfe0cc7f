//! WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit that
//! crosses 1,000 WAL pages: that one commit writes the pages back and fsyncs the database file,
//! a few milliseconds on this disk, once every ~80 payment webhooks (the p99 of `bench payments`
//! was that fsync). The store turns it off (`wal_autocheckpoint = 0` on every connection) and
//! this task runs a passive checkpoint (it waits for no reader or writer) about once a second
//! while anything was written, every few seconds when idle, until the pool closes. The nightly
//! housekeeping still truncates the WAL; a process that ends checkpoints when it closes.

use sqlx::SqlitePool;
use std::time::Duration;

/// Between checkpoints while writes come in, and while the WAL stays empty.
const BUSY: Duration = Duration::from_secs(1);
const IDLE: Duration = Duration::from_secs(5);

pub(super) fn spawn(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut wait = BUSY;
        loop {
            tokio::time::sleep(wait).await;
            if pool.is_closed() {
                return;
            }
            // (busy, frames in the WAL, frames checkpointed)
            match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&pool).await {
                Ok((_, log, _)) => wait = if log > 0 { BUSY } else { IDLE },
                Err(sqlx::Error::PoolClosed) => return,
                Err(e) => {
                    tracing::debug!(error = %e, "wal checkpoint skipped");
                    wait = IDLE;
                }
            }
        }
    });
}
