//! A group commits whole or not at all, every write in it is answered once, and writes queued
//! while the connection is busy share one commit.

use super::*;
use std::sync::Arc;
use std::time::Instant;

/// Inserts its number into `t`; a negative one breaks the table's check.
struct Insert(i64);

impl Write for Insert {
    type Out = i64;
    fn run(&self, c: &mut Conn) -> direct::Result<i64> {
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

async fn until_queued(db: &Db, n: usize) {
    while db.group.queued() < n {
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn writes_queued_while_the_connection_is_busy_share_one_commit() {
    let db = db();
    let held = db.direct.hold().await;
    let writes: Vec<_> = (0..20).map(|n| spawn_write(&db, n, Duration::ZERO)).collect();
    until_queued(&db, 20).await;
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
    until_queued(&db, 4).await;
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
    until_queued(&db, 1).await;
    let eager = spawn_write(&db, 2, Duration::ZERO);
    assert_eq!(eager.await.unwrap(), Some(2));
    assert_eq!(lingering.await.unwrap(), Some(1));
    assert!(t.elapsed() < Duration::from_secs(30), "carried, not waited out: {:?}", t.elapsed());
    assert_eq!(db.direct.counts(), (1, 0), "one commit for both");
    assert_eq!(rows(&db), vec![1, 2]);
}
