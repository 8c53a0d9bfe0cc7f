//! The direct connection: one more SQLite connection to the database file, called on the
//! calling thread, for the statements every Telegram update runs (the update ledger, the
//! client card).
//!
//! Why: sqlx runs each connection on a thread of its own, and every statement, every row and
//! every pool checkout and release is a hand-off between that thread and the runtime's (two
//! thread wake-ups, ~20–30 µs of CPU each on a small VM); and a connection that another one
//! wrote past re-reads its pages. A card open cost ~8 hand-offs and a page re-read, several
//! times what the indexed reads cost and several times an echo bot's whole update. Here the
//! same SQL runs in place, on a page cache that stays warm (the ledger writes are its own).
//!
//! The rules that keep it safe:
//! - It only ever speeds a statement up: when it is absent (an in-memory database), busy
//!   (another connection holds the write lock: it never waits for one), or fails in any way,
//!   nothing was written (a write is one statement, which commits or leaves no trace) and
//!   the caller runs the same statement through sqlx, which then decides exactly as before.
//! - The same SQL, the same settings (`synchronous`, `foreign_keys`), the same text for times
//!   ([`time`]), rows decoded into the same structs by column name (`de.rs`).
//! - It never blocks on anyone: no busy timeout, and it does not checkpoint the write-ahead log
//!   on the runtime's thread (no automatic checkpoint, as on the pool's connections: the
//!   store's checkpointer, `checkpoint.rs`, checkpoints beside the requests).

mod de;
mod ffi;

pub use ffi::{Arg, Conn, Result, SqliteFailure};

use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::sync::Mutex;

/// The settings the pool's connections have (`Store::open`) that matter to these statements,
/// and a page cache of its own of 16 MB, filled as pages are read (so not at idle): the hot pages
/// of a studio's database and of the benchmark's 20,000 clients (SQLite's default is 2 MB: a card
/// open read ~5 pages outside it, a search more, each with a `pread` and a copy).
///
/// Not a memory map of the file (`mmap_size`, the choice until issue 11's eighth round): with a
/// map, SQLite looks every page it touches up in the write-ahead log's index first, even a page
/// it has just used; and while updates keep coming, the ledger's page is written again with every
/// update, so the log's current index block holds thousands of frames of that one page, one long
/// run in its open-addressing table that lookups of other pages walk through. In the benchmark's
/// burst `walFindFrame` was the server's top function (5.2 % of its CPU). A page the cache holds
/// is found without looking at the log (SQLite resets the cache when another connection has
/// written since).
const PRAGMAS: &str = concat!(
    "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0; ",
    "PRAGMA wal_autocheckpoint = 0; PRAGMA mmap_size = 0; PRAGMA cache_size = -16384;"
);

/// The direct connection of a store; absent for an in-memory database.
#[derive(Default)]
pub struct Direct {
    conn: Mutex<Option<Conn>>,
    /// One warning in the log the first time a statement falls back to sqlx on an error.
    warned: AtomicBool,
    /// Units of work done here, and ones that went through the pool although the connection is
    /// open (busy, failed): `/metrics` shows both.
    done: AtomicU64,
    fell_back: AtomicU64,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Direct")
    }
}

impl Direct {
    /// Opens the database file (after the migrations ran), read-only when the store's URL says
    /// so (`mode=ro`): then its writes fail as the pool's do; without a file, or when it does
    /// not open, every statement goes through sqlx.
    pub fn open(path: Option<&Path>, read_only: bool) -> Direct {
        let conn = path.and_then(|p| match Conn::open(p, PRAGMAS, read_only) {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!(error = %e, "the direct database connection did not open; using the pool only");
                None
            }
        });
        Direct {
            conn: Mutex::new(conn),
            warned: AtomicBool::new(false),
            done: AtomicU64::new(0),
            fell_back: AtomicU64::new(0),
        }
    }

    /// Runs `f` on the connection; `None` (logged) when there is none or `f` failed: then the
    /// caller runs the statement through sqlx. While another task is using the connection this
    /// waits its turn (tens of microseconds, during which the thread runs other tasks: cheaper
    /// than a hand-off to sqlx, and the page cache stays the warm one). A connection left inside
    /// a transaction (which would hold its snapshot or the write lock) is closed, and so is one
    /// whose `f` panicked (it may have left one open).
    ///
    /// The mutex is tokio's fair one on purpose: each turn goes to the task that waited longest,
    /// so in a burst every chat's update waits about as long as every other's. A plain
    /// `std::sync::Mutex` answered a burst 15 % sooner on average but unevenly, some updates
    /// overtaken again and again: the slowest of the updates sent within the same 25 ms waited
    /// 14 ms longer than their mean, against 3 ms with this one, and the p99 was worse (issue
    /// 11's fourteenth and fifteenth rounds, `docs/operations.md`).
    pub async fn run<T>(&self, what: &str, f: impl FnOnce(&mut Conn) -> Result<T>) -> Option<T> {
        let result = self.try_run(what, f).await?;
        self.verdict(what, result)
    }

    /// What [`Direct::run`] makes of a unit of work's result: counted, a failure logged, and
    /// `None` for the caller to run it through the pool.
    pub fn verdict<T>(&self, what: &str, result: Result<T>) -> Option<T> {
        let counter = if result.is_ok() { &self.done } else { &self.fell_back };
        counter.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(v) => Some(v),
            Err(e) if e.is_busy() => {
                tracing::debug!(what, error = %e, "direct connection busy; through the pool");
                None
            }
            Err(e) => {
                if !self.warned.swap(true, Ordering::Relaxed) {
                    tracing::warn!(what, error = %e, "direct connection failed; through the pool (logged once)");
                } else {
                    tracing::debug!(what, error = %e, "direct connection failed; through the pool");
                }
                None
            }
        }
    }

    /// [`Direct::run`] without its verdict: `f`'s own result, for a caller that decides itself
    /// what a failure means (the readiness probe waits out a busy database); `None`: there is no
    /// connection. Neither counted nor logged.
    pub async fn try_run<T>(&self, what: &str, f: impl FnOnce(&mut Conn) -> Result<T>) -> Option<Result<T>> {
        let mut guard = self.conn.lock().await;
        // Out of its place while `f` runs: a panic in `f` drops (closes) it as it unwinds.
        let mut conn = guard.take()?;
        let result = f(&mut conn);
        if conn.autocommit() {
            *guard = Some(conn);
        } else {
            tracing::error!(what, "the direct connection stayed inside a transaction; closed");
        }
        Some(result)
    }

    /// Holds the connection, as a unit of work would, until the guard is dropped.
    #[cfg(test)]
    pub async fn hold(&self) -> tokio::sync::MutexGuard<'_, Option<Conn>> {
        self.conn.lock().await
    }

    /// Units of work done on the direct connection, and ones that fell back to the pool.
    pub fn counts(&self) -> (u64, u64) {
        (self.done.load(Ordering::Relaxed), self.fell_back.load(Ordering::Relaxed))
    }

    /// Closes the connection; statements go through sqlx from now on.
    pub async fn close(&self) {
        drop(self.conn.lock().await.take());
    }
}

impl Conn {
    /// Every row of `sql` as a `T` (columns by name, see `de.rs`).
    pub fn rows<T: DeserializeOwned>(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<Vec<T>> {
        self.query(sql, args, de::from_row)
    }

    /// Runs `f` in one read transaction: its statements see one snapshot of the database (and
    /// take the snapshot's locks once).
    pub fn read<T>(&mut self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        self.execute("BEGIN", &[])?;
        let result = f(self).and_then(|v| self.execute("COMMIT", &[]).map(|()| v));
        if result.is_err() && !self.autocommit() {
            let _ = self.exec("ROLLBACK");
        }
        result
    }
}

impl super::Store {
    /// Units of work done on the direct connection, and ones that fell back to the pool.
    pub fn direct_counts(&self) -> (u64, u64) {
        self.direct.counts()
    }

    /// Runs one statement with `f` on the direct connection; `None`: run it through the pool.
    pub(super) async fn direct_run<T>(&self, what: &str, f: impl FnOnce(&mut Conn) -> Result<T>) -> Option<T> {
        self.direct.run(what, f).await
    }

    /// Reads with `f` on the direct connection in one snapshot; `None`: read through the pool.
    pub(super) async fn direct_read<T>(&self, what: &str, f: impl FnOnce(&mut Conn) -> Result<T>) -> Option<T> {
        self.direct.run(what, |c| c.read(f)).await
    }
}

/// A time as sqlx stores a `DateTime<Utc>` (RFC 3339, as many fraction digits as needed), so
/// text comparisons in SQL agree whichever connection wrote it.
pub fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests;
