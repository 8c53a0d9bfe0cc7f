//! A group commits whole or not at all, every write in it is answered once, and writes queued
//! while the connection is busy share one commit.

use super::*;
use std::sync::Arc;
use std::time::Instant;

/// Inserts its number into `t`; a negative one breaks the table's check. [`ENDS`] instead ends
/// the transaction without a word, as SQLite does on an I/O error in a statement whose error the
/// write ignores.
struct Insert(i64);

const ENDS: i64 = 99;

impl Write for Insert {
    type Out = i64;
    fn run(&self, c: &mut Conn) -> direct::Result<i64> {
        if self.0 == ENDS {
            if !c.autocommit() {
                c.exec("ROLLBACK")?;
            }
            return Ok(ENDS);
        }
        c.execute("INSERT INTO t (n) VALUES (?)", &[direct::Arg::Int(self.0)])?;
        Ok(self.0)
    }
}

struct Db {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    direct: Arc<Direct>,
    group: Arc<GroupCommit<Insert>>,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    // An empty file is an empty database (the connection opens files, it does not create them).
    std::fs::File::create(&path).unwrap();
    let mut c = Conn::open(&path, "PRAGMA journal_mode = WAL;", false).unwrap();
    c.exec("CREATE TABLE t (n INTEGER NOT NULL CHECK (n >= 0))").unwrap();
    drop(c);
    let direct = Arc::new(Direct::open(Some(&path), false));
    Db { _dir: dir, path, direct, group: Arc::default() }
}

fn rows(db: &Db) -> Vec<i64> {
    #[derive(serde::Deserialize)]
    struct Row {
        n: i64,
    }
    let mut c = Conn::open(&db.path, "", true).unwrap();
    c.rows::<Row>("SELECT n FROM t ORDER BY n", &[]).unwrap().into_iter().map(|r| r.n).collect()
}

/// Spawns a write of `n` that lingers `linger`.
fn spawn_write(db: &Db, n: i64, linger: Duration) -> tokio::task::JoinHandle<Option<i64>> {
    let (direct, group) = (db.direct.clone(), db.group.clone());
    tokio::spawn(async move { group.write(&direct, "test", Insert(n), linger).await })
}

/// Waits (at most 10 s: a test fails rather than hangs) until `n` writes are queued.
async fn until_queued<W: Write>(group: &GroupCommit<W>, n: usize) {
    let waited = tokio::time::timeout(Duration::from_secs(10), async {
        while group.queued() < n {
            tokio::task::yield_now().await;
        }
    });
    assert!(waited.await.is_ok(), "{n} writes were never queued together");
}

async fn within_10_s<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f).await.expect("answered within 10 s")
}

#[tokio::test]
async fn writes_queued_while_the_connection_is_busy_share_one_commit() {
    let db = db();
    let held = db.direct.hold().await;
    let writes: Vec<_> = (0..20).map(|n| spawn_write(&db, n, Duration::ZERO)).collect();
    until_queued(&db.group, 20).await;
    drop(held);
    for (n, w) in writes.into_iter().enumerate() {
        assert_eq!(w.await.unwrap(), Some(n as i64), "each write is answered with its own result");
    }
    assert_eq!(db.direct.counts(), (1, 0), "twenty writes, one unit of work");
    assert_eq!(rows(&db), (0..20).collect::<Vec<_>>());
    assert_eq!(db.group.queued(), 0);
}

#[tokio::test]
async fn a_lone_write_commits_by_itself() {
    let db = db();
    assert_eq!(db.group.write(&db.direct, "test", Insert(7), Duration::ZERO).await, Some(7));
    assert_eq!(db.group.write(&db.direct, "test", Insert(8), Duration::from_millis(1)).await, Some(8));
    assert_eq!(db.direct.counts(), (2, 0));
    assert_eq!(rows(&db), vec![7, 8]);
}

#[tokio::test]
async fn one_failing_write_leaves_its_whole_group_unwritten_and_every_writer_told() {
    let db = db();
    let held = db.direct.hold().await;
    let writes: Vec<_> = [1, 2, -3, 4].into_iter().map(|n| spawn_write(&db, n, Duration::ZERO)).collect();
    until_queued(&db.group, 4).await;
    drop(held);
    for w in writes {
        assert_eq!(w.await.unwrap(), None, "not written: the writer goes to the pool");
    }
    assert_eq!(rows(&db), Vec::<i64>::new(), "rolled back whole");
    assert_eq!(db.direct.counts(), (0, 1), "one unit that fell back");
    // The connection is usable again, outside any transaction.
    assert_eq!(db.group.write(&db.direct, "test", Insert(5), Duration::ZERO).await, Some(5));
    assert_eq!(rows(&db), vec![5]);
}

#[tokio::test]
async fn without_a_connection_every_write_is_sent_to_the_pool_at_once() {
    let direct = Direct::default();
    let group = GroupCommit::<Insert>::default();
    assert_eq!(group.write(&direct, "test", Insert(1), Duration::ZERO).await, None);
    assert_eq!(group.write(&direct, "test", Insert(2), Duration::from_millis(1)).await, None);
    assert_eq!(group.queued(), 0, "nothing is left queued");
}

#[tokio::test]
async fn a_lingering_write_is_carried_by_the_next_writer() {
    let db = db();
    let t = Instant::now();
    let lingering = spawn_write(&db, 1, Duration::from_secs(60));
    until_queued(&db.group, 1).await;
    let eager = spawn_write(&db, 2, Duration::ZERO);
    assert_eq!(within_10_s(eager).await.unwrap(), Some(2));
    assert_eq!(within_10_s(lingering).await.unwrap(), Some(1));
    assert!(t.elapsed() < Duration::from_secs(30), "carried, not waited out: {:?}", t.elapsed());
    assert_eq!(db.direct.counts(), (1, 0), "one commit for both");
    assert_eq!(rows(&db), vec![1, 2]);
}

#[tokio::test]
async fn a_transaction_sqlite_ends_inside_a_group_fails_the_whole_group() {
    let db = db();
    let held = db.direct.hold().await;
    let writes: Vec<_> = [1, ENDS, 3].into_iter().map(|n| spawn_write(&db, n, Duration::ZERO)).collect();
    until_queued(&db.group, 3).await;
    drop(held);
    for w in writes {
        assert_eq!(w.await.unwrap(), None, "each writer goes to the pool");
    }
    assert_eq!(rows(&db), Vec::<i64>::new(), "no write after the end committed alone");
}

#[tokio::test]
async fn a_write_whose_writer_went_away_is_left_out() {
    let db = db();
    let held = db.direct.hold().await;
    let gone = spawn_write(&db, 1, Duration::ZERO);
    until_queued(&db.group, 1).await;
    gone.abort();
    assert!(gone.await.unwrap_err().is_cancelled());
    let kept = spawn_write(&db, 2, Duration::ZERO);
    until_queued(&db.group, 2).await;
    drop(held);
    assert_eq!(within_10_s(kept).await.unwrap(), Some(2));
    assert_eq!(rows(&db), vec![2]);
}

async fn store() -> (tempfile::TempDir, super::super::Store) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    (dir, super::super::Store::open(&url).await.unwrap())
}

async fn ledger_row(store: &super::super::Store, id: i64) -> (i64, bool) {
    sqlx::query_as("SELECT attempts, done FROM telegram_updates WHERE update_id = ?")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chats_starting_and_finishing_at_once_on_two_threads_each_write_once() {
    use super::super::updates::Start;
    let (_dir, store) = store().await;
    let chats: Vec<_> = (0..40i64)
        .map(|chat| {
            let store = store.clone();
            tokio::spawn(async move {
                for k in 0..5 {
                    let id = chat * 100 + k;
                    assert_eq!(store.start_update(id).await.unwrap(), Start::Handle(1));
                    store.finish_update(id).await.unwrap();
                }
            })
        })
        .collect();
    for c in chats {
        within_10_s(c).await.unwrap();
    }
    for chat in 0..40 {
        for k in 0..5 {
            assert_eq!(ledger_row(&store, chat * 100 + k).await, (1, true), "update {chat}/{k}");
        }
    }
    let (direct, through_pool) = store.direct_counts();
    assert_eq!(through_pool, 0);
    assert!(direct <= 400, "at most one unit of work per write: {direct}");
}

#[tokio::test]
async fn a_group_that_meets_the_write_lock_is_written_once_each_through_the_pool() {
    use super::super::updates::Start;
    let (_dir, store) = store().await;
    let held = store.direct.hold().await;
    let mut other = store.pool().acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *other).await.unwrap();
    let starts: Vec<_> = (1..=3)
        .map(|id| {
            let store = store.clone();
            tokio::spawn(async move { store.start_update(id).await })
        })
        .collect();
    until_queued(&store.ledger, 3).await;
    drop(held);
    within_10_s(async {
        while store.direct_counts().1 == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert_eq!(store.direct_counts(), (0, 1), "the group fell back as one");
    assert!(starts.iter().all(|s| !s.is_finished()), "each waits for the lock through the pool");
    sqlx::query("COMMIT").execute(&mut *other).await.unwrap();
    drop(other);
    for s in starts {
        assert_eq!(within_10_s(s).await.unwrap().unwrap(), Start::Handle(1));
    }
    for id in 1..=3 {
        assert_eq!(ledger_row(&store, id).await, (1, false), "update {id} written once");
    }
}
