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
//! Finishes ride with the next write (issue 11, a group commit): a handled update's finish is
//! queued ([`Store::finish_update_soon`]) and written in front of the next start of any chat,
//! in the same statement, or by the ledger's flusher [`FLUSH_AFTER`] later when no start comes
//! (and when the store closes). Under load that is one write per update instead of two. A write
//! takes the queued finishes and marks them in flight until it has committed; a start whose own
//! finish is in flight waits for that write, so a start never overtakes a finish queued before
//! it: the same update delivered again right after its handling is a duplicate, as before. (No
//! lock is held across the write: a first version serialised every ledger write behind one, and
//! the burst's first wave of 100 starts queued through it.) A crash in that moment leaves the update
//! started and not finished, as a crash just before an immediate finish did: delivered again, it
//! is handled again (its second start).

use super::direct::{self, Arg, Direct};
use super::{Result, Store};
use sqlx::SqlitePool;
use std::sync::{Arc, LazyLock, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// Starts of one update without a finish after which it is given up.
pub const MAX_STARTS: i64 = 2;
/// Finished updates are kept this long (Telegram redelivers for at most a day).
const KEEP_DAYS: i64 = 3;
/// How often finished updates past [`KEEP_DAYS`] are pruned (a scan of the ledger: it has no
/// index on time, which would double every ledger write).
const PRUNE_EVERY_SECS: i64 = 3600;
/// Queued finishes written in one statement at most (more are written in several).
const MAX_BATCH: usize = 8;
/// How long a queued finish waits for a start to ride with before the flusher writes it.
const FLUSH_AFTER: Duration = Duration::from_millis(5);

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

/// `n` finishes (done, no attempt; `?2`…) and, with `start`, then the start of `?(n + 2)` (an
/// attempt, unless it is done already), all at `?1`. Rows apply in order, so a finish in front
/// of its own update's start makes that start a duplicate.
fn write_sql(n: usize, start: bool) -> String {
    let mut rows: Vec<String> = (0..n).map(|i| format!("(?{}, 0, 1, ?1)", i + 2)).collect();
    if start {
        rows.push(format!("(?{}, 1, 0, ?1)", n + 2));
    }
    format!(
        "INSERT INTO telegram_updates (update_id, attempts, done, seen_at) VALUES {} \
         ON CONFLICT (update_id) DO UPDATE SET attempts = attempts + excluded.attempts * (1 - done), \
         done = MAX(done, excluded.done)",
        rows.join(", ")
    )
}

/// `STARTS[n]`: `n` queued finishes and a start; `FINISHES[n - 1]`: `n` finishes alone.
static STARTS: LazyLock<Vec<String>> = LazyLock::new(|| (0..=MAX_BATCH).map(|n| write_sql(n, true)).collect());
static FINISHES: LazyLock<Vec<String>> = LazyLock::new(|| (1..=MAX_BATCH).map(|n| write_sql(n, false)).collect());

/// The ledger's row of one update, read after the write. (Not the write's `RETURNING`: SQLite
/// gathers returned rows in a temporary b-tree, set up and torn down on every update, and
/// with a finish in front it returned two rows.)
const READ: &str = "SELECT attempts, done FROM telegram_updates WHERE update_id = ?";

/// The statements every update runs, for tests of their query plans.
#[cfg(test)]
pub(super) fn statements() -> Vec<&'static str> {
    let (starts, finishes) = (&*STARTS, &*FINISHES);
    vec![&starts[0], &starts[1], &starts[MAX_BATCH], &finishes[0], &finishes[MAX_BATCH - 1], READ]
}

#[derive(serde::Deserialize, sqlx::FromRow)]
struct Row {
    attempts: i64,
    done: bool,
}

/// The ledger's state in the process: finishes not written yet, and when it was last pruned.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    pending: std::sync::Mutex<Pending>,
    /// Wakes the flusher: a finish was queued.
    due: Arc<Notify>,
    /// When the ledger was last pruned (Unix seconds).
    pruned: std::sync::atomic::AtomicI64,
}

/// Finishes queued, and finishes a write has taken and not yet committed.
#[derive(Debug, Default)]
struct Pending {
    queued: Vec<i64>,
    in_flight: Vec<i64>,
}

impl Ledger {
    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        // Pushes and takes cannot panic half-way: poisoned lists are still whole.
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The queued finishes, now in flight; `None` while `start`'s own finish is in flight.
    fn take(&self, start: Option<i64>) -> Option<Vec<i64>> {
        let mut p = self.pending();
        if start.is_some_and(|id| p.in_flight.contains(&id)) {
            return None;
        }
        let taken = std::mem::take(&mut p.queued);
        p.in_flight.extend_from_slice(&taken);
        Some(taken)
    }

    /// Queues `id`'s finish.
    fn queue(&self, id: i64) {
        self.pending().queued.push(id);
    }

    /// Starts the flusher; it ends once the store's pool is closed (or the store is gone).
    pub(super) fn spawn_flusher(self: &Arc<Self>, direct: &Arc<Direct>, pool: &SqlitePool) {
        let (ledger, direct, pool, due) =
            (Arc::downgrade(self), Arc::downgrade(direct), pool.clone(), self.due.clone());
        tokio::spawn(flush_loop(ledger, direct, pool, due));
    }
}

async fn flush_loop(ledger: Weak<Ledger>, direct: Weak<Direct>, pool: SqlitePool, due: Arc<Notify>) {
    loop {
        due.notified().await;
        tokio::time::sleep(FLUSH_AFTER).await;
        let (Some(ledger), Some(direct)) = (ledger.upgrade(), direct.upgrade()) else { return };
        if pool.is_closed() {
            return;
        }
        if let Err(e) = write(&ledger, &direct, &pool, None).await {
            tracing::warn!(error = %e, "telegram update ledger: finishes not written; trying again");
            tokio::time::sleep(Duration::from_secs(1)).await;
            due.notify_one();
        }
    }
}

/// One ledger write: the queued finishes, then `start` when given (whose row it returns), in as
/// few statements as [`MAX_BATCH`] allows. Finishes not written are queued again.
async fn write(ledger: &Ledger, direct: &Direct, pool: &SqlitePool, start: Option<i64>) -> Result<Option<Row>> {
    // An update delivered again while another write commits its finish waits for that write
    // (rare: a redelivery right behind its own handling).
    let finishes = loop {
        match ledger.take(start) {
            Some(taken) => break taken,
            None => tokio::time::sleep(Duration::from_millis(1)).await,
        }
    };
    let result = write_batches(direct, pool, &finishes, start).await;
    let mut p = ledger.pending();
    p.in_flight.retain(|id| !finishes.contains(id));
    if let Err((_, unwritten)) = &result {
        p.queued.extend_from_slice(unwritten);
    }
    result.map_err(|(e, _)| e)
}

/// `finishes` in statements of at most [`MAX_BATCH`], `start` with the last; on failure, the
/// error and the finishes not written.
async fn write_batches<'f>(
    direct: &Direct,
    pool: &SqlitePool,
    finishes: &'f [i64],
    start: Option<i64>,
) -> std::result::Result<Option<Row>, (super::StorageError, &'f [i64])> {
    let mut rest = finishes;
    while rest.len() > MAX_BATCH || (start.is_none() && !rest.is_empty()) {
        let (now, later) = rest.split_at(rest.len().min(MAX_BATCH));
        write_one(direct, pool, now, None).await.map_err(|e| (e, rest))?;
        rest = later;
    }
    let Some(id) = start else { return Ok(None) };
    write_one(direct, pool, rest, Some(id)).await.map_err(|e| (e, rest))
}

/// One statement: `finishes` (at most [`MAX_BATCH`]) and `start`, on the direct connection or
/// else through the pool; then `start`'s row.
async fn write_one(direct: &Direct, pool: &SqlitePool, finishes: &[i64], start: Option<i64>) -> Result<Option<Row>> {
    let now = super::now();
    let text = direct::time(now);
    let sql: &'static str = match start {
        Some(_) => &STARTS[finishes.len()],
        None => &FINISHES[finishes.len() - 1],
    };
    let mut args = Vec::with_capacity(finishes.len() + 2);
    args.push(Arg::Text(&text));
    args.extend(finishes.iter().map(|&f| Arg::Int(f)));
    args.extend(start.map(Arg::Int));
    // Written and read on the direct connection as one unit of work; once written, a read
    // that fails there is read through the pool (never written twice).
    let written = direct
        .run("update ledger", |c| {
            c.execute(sql, &args)?;
            Ok(match start {
                Some(id) => c.rows::<Row>(READ, &[Arg::Int(id)]).ok().map(|mut rows| rows.pop()),
                None => Some(None),
            })
        })
        .await;
    match written {
        Some(Some(row)) => return Ok(row),
        Some(None) => {}
        None => {
            let mut write = sqlx::query(sql).bind(now);
            for &f in finishes {
                write = write.bind(f);
            }
            if let Some(id) = start {
                write = write.bind(id);
            }
            write.execute(pool).await?;
        }
    }
    match start {
        Some(id) => Ok(sqlx::query_as::<_, Row>(READ).bind(id).fetch_optional(pool).await?),
        None => Ok(None),
    }
}

impl Store {
    /// Starts `update_id`, writing the queued finishes in front of it (one statement).
    pub async fn start_update(&self, update_id: i64) -> Result<Start> {
        let row = write(&self.ledger, &self.direct, self.pool(), Some(update_id)).await?;
        self.upkeep().await?;
        let row = row.ok_or(super::StorageError::NotFound)?;
        Ok(match (row.done, row.attempts) {
            (true, _) => Start::Duplicate,
            (false, n) if n > MAX_STARTS => Start::Poisoned,
            (false, n) => Start::Handle(n),
        })
    }

    /// Finishes `update_id` now (with any queued finishes).
    pub async fn finish_update(&self, update_id: i64) -> Result<()> {
        self.ledger.queue(update_id);
        write(&self.ledger, &self.direct, self.pool(), None).await?;
        self.upkeep().await
    }

    /// Queues the finish of `update_id`: written with the next start, or by the flusher a few
    /// milliseconds later (see the module's docs). A start made after this call sees it.
    pub fn finish_update_soon(&self, update_id: i64) {
        self.ledger.queue(update_id);
        self.ledger.due.notify_one();
    }

    /// Writes the queued finishes (the store is closing).
    pub(super) async fn flush_finishes(&self) {
        if let Err(e) = write(&self.ledger, &self.direct, self.pool(), None).await {
            tracing::warn!(error = %e, "telegram update ledger: finishes not written at close");
        }
        self.ledger.due.notify_one();
    }

    /// After a ledger write: prune old finished updates once an hour (the first time at the
    /// first update), through the pool.
    async fn upkeep(&self) -> Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        let now = super::now();
        let last = self.ledger.pruned.load(Relaxed);
        if now.timestamp() - last >= PRUNE_EVERY_SECS
            && self.ledger.pruned.compare_exchange(last, now.timestamp(), Relaxed, Relaxed).is_ok()
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
    use super::*;

    async fn store() -> (tempfile::TempDir, String, Store) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.unwrap();
        (dir, url, store)
    }

    async fn row(store: &Store, id: i64) -> (i64, bool) {
        sqlx::query_as("SELECT attempts, done FROM telegram_updates WHERE update_id = ?")
            .bind(id)
            .fetch_one(store.pool())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn queued_finishes_ride_with_the_next_start_in_one_statement() {
        let (_dir, _url, store) = store().await;
        // A ledger of its own (no flusher), on the store's connection: nothing writes beside it.
        let ledger = Ledger::default();
        let start = |id| write(&ledger, &store.direct, store.pool(), Some(id));
        for id in 1..=21 {
            start(id).await.unwrap();
        }
        ledger.pending().queued.extend([1, 2]);
        let units = store.direct_counts().0;
        let third = start(22).await.unwrap().unwrap();
        assert_eq!((third.attempts, third.done), (1, false));
        assert_eq!(store.direct_counts().0, units + 1, "two finishes and a start: one statement");
        assert_eq!([row(&store, 1).await, row(&store, 2).await], [(1, true), (1, true)]);
        // More than one statement holds: batches of MAX_BATCH in front, the start with the rest.
        ledger.pending().queued.extend(3..=21);
        let units = store.direct_counts().0;
        start(23).await.unwrap();
        assert_eq!(store.direct_counts().0, units + 3, "19 finishes and a start: 8 + 8 + (3 and the start)");
        for id in 3..=21 {
            assert_eq!(row(&store, id).await, (1, true), "update {id}");
        }
        assert!(ledger.pending().queued.is_empty() && ledger.pending().in_flight.is_empty());
    }

    #[tokio::test]
    async fn a_finish_queued_alone_is_written_moments_later() {
        let (_dir, _url, store) = store().await;
        assert_eq!(store.start_update(5).await.unwrap(), Start::Handle(1));
        store.finish_update_soon(5);
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while !row(&store, 5).await.1 {
            assert!(std::time::Instant::now() < deadline, "the flusher never wrote the finish");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert!(store.ledger.pending().queued.is_empty());
    }

    #[tokio::test]
    async fn an_update_delivered_again_right_after_its_finish_was_queued_is_a_duplicate() {
        let (_dir, _url, store) = store().await;
        for _ in 0..20 {
            let id = store.direct_counts().0 as i64 + 100;
            assert_eq!(store.start_update(id).await.unwrap(), Start::Handle(1));
            store.finish_update_soon(id);
            assert_eq!(store.start_update(id).await.unwrap(), Start::Duplicate);
            assert_eq!(row(&store, id).await, (1, true), "the finish went first: no second attempt");
        }
    }

    #[tokio::test]
    async fn a_start_waits_while_its_own_finish_is_being_written_by_another_write() {
        let (_dir, _url, store) = store().await;
        assert_eq!(store.start_update(5).await.unwrap(), Start::Handle(1));
        // Another write has taken 5's finish and not committed it yet.
        store.ledger.queue(5);
        assert_eq!(store.ledger.take(None), Some(vec![5]));
        let again = tokio::spawn({
            let store = store.clone();
            async move { store.start_update(5).await }
        });
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert!(!again.is_finished(), "the start overtook its own finish");
        // That write commits; the start then sees the update done.
        write_one(&store.direct, store.pool(), &[5], None).await.unwrap();
        store.ledger.pending().in_flight.clear();
        assert_eq!(again.await.unwrap().unwrap(), Start::Duplicate);
        assert_eq!(row(&store, 5).await, (1, true));
    }

    #[tokio::test]
    async fn closing_the_store_writes_the_queued_finishes() {
        let (_dir, url, store) = store().await;
        for id in 1..=3 {
            store.start_update(id).await.unwrap();
        }
        for id in 1..=3 {
            store.finish_update_soon(id);
        }
        store.close().await;
        let store = Store::open(&url).await.unwrap();
        for id in 1..=3 {
            assert_eq!(row(&store, id).await, (1, true), "update {id}");
        }
    }
}
