//! The direct connection reads what the pool reads, writes once or not at all, and hands over
//! to the pool whenever it cannot do the work itself.

use super::super::updates::Start;
use super::super::Store;
use super::*;
use chrono::{Duration, Utc};
use ffi::{Row, Value};

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::open(&url).await.unwrap();
    (dir, store)
}

async fn exec(store: &Store, sql: &str) {
    sqlx::query(sql).execute(store.pool()).await.unwrap();
}

/// A client with something in every section of the card, times written by sqlx.
async fn seed(store: &Store) -> i64 {
    let now = Utc::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO clients (full_name, name_key, phone, email, birth_date, conditions, diabetes, foot_length_mm, \
         allergies, source, created_at, updated_at) \
         VALUES ('Ольга Марʼянчук', 'ольга марянчук', '+380671234567', 'o@x.ua', '1980-02-03', 'flat', 1, 245, \
         'латекс', 'bot', ?, ?) RETURNING id",
    )
    .bind(now)
    .bind(now)
    .fetch_one(store.pool())
    .await
    .unwrap();
    exec(store, "INSERT INTO tags (name) VALUES ('vip'), ('діабет')").await;
    sqlx::query("INSERT INTO client_tags (client_id, tag_id) SELECT ?, id FROM tags")
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
    for (status, kop) in [("new", 180_000), ("prod", 99_950), ("issued", 5)] {
        sqlx::query(
            "INSERT INTO orders (client_id, product, price_kop, prepaid_kop, status, created_at, updated_at) \
             VALUES (?, 'Устілки каркасні', ?, 500, ?, ?, ?)",
        )
        .bind(id)
        .bind(kop)
        .bind(status)
        .bind(now)
        .bind(now)
        .execute(store.pool())
        .await
        .unwrap();
    }
    for (n, kind) in ["note", "call", "status"].iter().enumerate() {
        sqlx::query(
            "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) \
             VALUES (?, 'telegram', 'internal', ?, ?, ?)",
        )
        .bind(id)
        .bind(kind)
        .bind(format!("подія {n}"))
        .bind(now - Duration::minutes(n as i64))
        .execute(store.pool())
        .await
        .unwrap();
    }
    for due in [Some(now + Duration::days(1)), None] {
        sqlx::query("INSERT INTO tasks (client_id, body, due_at, created_at) VALUES (?, 'Подзвонити', ?, ?)")
            .bind(id)
            .bind(due)
            .bind(now)
            .execute(store.pool())
            .await
            .unwrap();
    }
    for (starts, status) in [(now + Duration::days(2), "booked"), (now - Duration::days(9), "came")] {
        sqlx::query(
            "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, status, channel, created_at, updated_at) \
             VALUES (?, 'Підбір устілок', ?, ?, ?, ?, 'bot', ?, ?)",
        )
        .bind(id)
        .bind(starts)
        .bind(starts + Duration::minutes(60))
        .bind(starts + Duration::minutes(70))
        .bind(status)
        .bind(now)
        .bind(now)
        .execute(store.pool())
        .await
        .unwrap();
    }
    id
}

/// Everything the card shows, as text.
fn shown(c: &crate::store::card::CardData) -> String {
    format!("{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}", c.client, c.tags, c.orders, c.recent, c.tasks, c.visits)
}

#[tokio::test]
async fn the_card_reads_the_same_on_the_direct_connection_as_through_the_pool() {
    let (_dir, store) = store().await;
    let id = seed(&store).await;
    let direct = store.direct_read("card", |c| crate::store::card::read_direct(c, id, 5)).await.unwrap().unwrap();
    let pooled = store.card_data_pooled(id, 5).await.unwrap();
    assert_eq!(shown(&direct), shown(&pooled));
    assert_eq!((direct.tags.len(), direct.orders.len(), direct.recent.len()), (2, 2, 3));
    assert_eq!((direct.tasks.len(), direct.visits.len()), (2, 2));
    assert!(direct.client.diabetes, "an integer column reads as a bool");
    assert_eq!(store.direct_counts(), (1, 0));
    // Through the public call: the direct connection, and a missing client is not found.
    assert_eq!(shown(&store.card_data(id, 5).await.unwrap()), shown(&pooled));
    assert!(matches!(store.card_data(id + 1, 5).await, Err(crate::store::StorageError::NotFound)));
    assert_eq!(store.direct_counts(), (3, 0));
}

#[tokio::test]
async fn a_search_that_finds_one_client_reads_her_card_in_the_same_turn() {
    // Each turn at the direct connection queues behind the other chats' turns in a burst: a
    // single match answered with one more turn than a list sat at the burst's tail (issue 11).
    let (_dir, store) = store().await;
    let id = seed(&store).await;
    let mut tx = store.pool().begin().await.unwrap();
    crate::store::clients::reindex(&mut tx, id, "ольга марянчук", Some("+380671234567")).await.unwrap();
    tx.commit().await.unwrap();
    store.client_with_phone("Марія Коваль", "+380675550001").await;
    store.client_with_phone("Марія Ковальчук", "+380675550002").await;
    let before = store.direct_counts().0;
    let one = store.find_clients("марянч", 21, 5).await.unwrap();
    assert_eq!(one.clients.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(store.direct_counts().0, before + 1, "the search and the card in one turn");
    let card = one.card.expect("her card came with the search");
    assert_eq!(shown(&card), shown(&store.card_data_pooled(id, 5).await.unwrap()));
    let many = store.find_clients("коваль", 21, 5).await.unwrap();
    assert_eq!((many.clients.len(), many.card.is_none()), (2, true), "a list reads no card");
    assert!(store.find_clients("1234567", 21, 5).await.unwrap().card.is_some(), "by phone too");
    let plain = store.search_clients("марянч", 21).await.unwrap();
    assert_eq!(plain.len(), 1, "other callers read no card");
    assert_eq!(store.direct_counts(), (before + 4, 0));
}

#[tokio::test]
async fn a_row_the_direct_connection_cannot_decode_is_read_through_the_pool() {
    let (_dir, store) = store().await;
    let id = seed(&store).await;
    // sqlx reads a time without an offset as UTC; the direct decoder does not, so it hands over.
    exec(&store, "UPDATE clients SET updated_at = '2023-11-14 22:13:20'").await;
    let card = store.card_data(id, 5).await.unwrap();
    assert_eq!(card.client.updated_at.timestamp(), 1_700_000_000);
    assert_eq!(store.direct_counts(), (0, 1));
}

#[tokio::test]
async fn a_ledger_write_while_another_connection_holds_the_write_lock_waits_through_the_pool_and_counts_once() {
    let (_dir, store) = store().await;
    let mut other = store.pool().acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *other).await.unwrap();
    let started = tokio::spawn({
        let store = store.clone();
        async move { store.start_update(77).await }
    });
    while store.direct_counts().1 == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(!started.is_finished(), "the pool waits for the lock the direct connection would not");
    sqlx::query("COMMIT").execute(&mut *other).await.unwrap();
    drop(other);
    assert_eq!(started.await.unwrap().unwrap(), Start::Handle(1));
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM telegram_updates WHERE update_id = 77")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 1);
    // With the lock free again, the next write is direct.
    store.finish_update(77).await.unwrap();
    assert_eq!(store.direct_counts(), (1, 1));
    assert_eq!(store.start_update(77).await.unwrap(), Start::Duplicate);
}

#[tokio::test]
async fn a_failed_direct_write_leaves_nothing_behind() {
    let (_dir, store) = store().await;
    // One statement that fails after writing its first row (the second breaks the unique
    // name): its automatic transaction is rolled back whole.
    let failed =
        store.direct_run("test", |c| c.execute("INSERT INTO tags (name) SELECT 'a' UNION ALL SELECT 'a'", &[])).await;
    assert!(failed.is_none());
    let tags: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags").fetch_one(store.pool()).await.unwrap();
    assert_eq!(tags, 0);
    assert_eq!(store.direct_counts(), (0, 1));
    // And the connection is usable afterwards, outside any transaction.
    assert!(store.direct_run("test", |c| c.execute("INSERT INTO tags (name) VALUES ('b')", &[])).await.is_some());
    let tags: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags").fetch_one(store.pool()).await.unwrap();
    assert_eq!(tags, 1);
}

#[tokio::test]
async fn a_card_open_and_its_ledger_write_build_no_temporary_b_tree() {
    // A temporary b-tree (to sort, or to gather `RETURNING` rows) sets up and tears down a
    // pager and a page cache each time: ~15 allocations and a cleared page per use (issue 11).
    let (_dir, store) = store().await;
    seed(&store).await;
    exec(&store, "ANALYZE").await;
    let card = crate::store::card::statements();
    let ledger = crate::store::updates::STATEMENTS;
    for sql in card.into_iter().chain(ledger) {
        let explain: &'static str = Box::leak(format!("EXPLAIN {sql}").into_boxed_str());
        let opcode = |row: &Row<'_>| match row.value(1)? {
            Value::Text(op) => Ok(op.to_string()),
            other => Err(format!("{other:?}")),
        };
        // NULL for every parameter: plain `?`s, or the highest `?N`.
        let numbered = (1..=9).filter(|n| sql.contains(&format!("?{n}"))).max();
        let args = vec![Arg::Null; numbered.unwrap_or_else(|| sql.matches('?').count())];
        let ops = store.direct_run("test", |c| c.query(explain, &args, opcode)).await.unwrap();
        assert!(ops.len() > 3, "{sql}");
        assert!(!ops.iter().any(|op| op == "OpenEphemeral"), "a temporary b-tree in: {sql}");
    }
}

#[tokio::test]
async fn searches_and_card_reads_keep_their_plan_whatever_values_are_bound() {
    // A statement SQLite prepares again when a bound value changes is parsed and planned on
    // every use: a `LIKE` with a parameter pattern did so on every search (issue 11).
    let (_dir, store) = store().await;
    let first = seed(&store).await;
    for (i, name) in ["Ольга Ткачук", "Марія Коваль", "Іван Ткаченко", "Олена Бондар"].iter().enumerate()
    {
        store.client_with_phone(name, &format!("+38067555{i:04}")).await;
    }
    // STAT4 samples, as the nightly `PRAGMA optimize` leaves them.
    exec(&store, "ANALYZE").await;
    let mut found = 0;
    for query in ["ткач", "ольга", "коваль", "бонд", "ол", "ма", "0675550", "55500", "1234567", "ткач"]
    {
        found += store.search_clients(query, 21).await.unwrap().len();
    }
    assert!(found >= 10, "the searches find their clients: {found}");
    for id in [first, first + 1, first + 2, first] {
        store.card_data(id, 5).await.unwrap();
    }
    let reprepared = store.direct_run("test", |c| Ok(c.reprepared())).await.unwrap();
    assert_eq!(reprepared, 0, "statements prepared again on the direct connection");
    assert_eq!(store.direct_counts().1, 0, "all on the direct connection");
}

#[tokio::test]
async fn an_update_delivered_again_right_after_it_was_handled_is_a_duplicate() {
    let (_dir, store) = store().await;
    assert_eq!(store.start_update(5).await.unwrap(), Start::Handle(1));
    // Its finish goes in front of the next start, which is the same update again.
    assert_eq!(store.start_update_after(Some(5), 5).await.unwrap(), Start::Duplicate);
    assert_eq!(store.start_update_after(Some(5), 6).await.unwrap(), Start::Handle(1));
    assert_eq!(store.start_update_after(Some(6), 7).await.unwrap(), Start::Handle(1));
    assert_eq!(store.start_update(6).await.unwrap(), Start::Duplicate);
    assert_eq!(store.direct_counts(), (5, 0));
}

#[tokio::test]
async fn an_in_memory_database_has_no_direct_connection() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    assert_eq!(store.start_update(1).await.unwrap(), Start::Handle(1));
    assert_eq!(store.direct_counts(), (0, 0));
}

#[tokio::test]
async fn the_direct_connection_leaves_checkpoints_to_the_checkpointer() {
    // Like the pool's connections: no automatic checkpoint inside a commit on the runtime's
    // thread (`store/checkpoint.rs` runs them beside the requests).
    #[derive(serde::Deserialize)]
    struct Setting {
        wal_autocheckpoint: i64,
    }
    let (_dir, store) = store().await;
    let rows = store.direct_run("test", |c| c.rows::<Setting>("PRAGMA wal_autocheckpoint", &[])).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.wal_autocheckpoint).collect::<Vec<_>>(), vec![0]);
}

#[tokio::test]
async fn the_direct_connection_reads_through_its_own_page_cache_not_a_memory_map() {
    #[derive(serde::Deserialize)]
    struct Map {
        mmap_size: i64,
    }
    #[derive(serde::Deserialize)]
    struct Cache {
        cache_size: i64,
    }
    let (_dir, store) = store().await;
    let id = seed(&store).await;
    let map = store.direct_run("test", |c| c.rows::<Map>("PRAGMA mmap_size", &[])).await.unwrap();
    assert_eq!(map.iter().map(|r| r.mmap_size).collect::<Vec<_>>(), vec![0]);
    let cache = store.direct_run("test", |c| c.rows::<Cache>("PRAGMA cache_size", &[])).await.unwrap();
    assert_eq!(cache.iter().map(|r| r.cache_size).collect::<Vec<_>>(), vec![-16384], "16 MB");
    // A card written by the pool (in the log) and then checkpointed into the file reads the same.
    let before = shown(&store.card_data(id, 5).await.unwrap());
    exec(&store, "PRAGMA wal_checkpoint(TRUNCATE)").await;
    assert_eq!(shown(&store.card_data(id, 5).await.unwrap()), before);
    assert_eq!(store.direct_counts().1, 0, "nothing fell back to the pool");
}

#[test]
fn times_are_written_as_sqlx_writes_them() {
    use sqlx::Encode;
    let t = Utc::now();
    let mut buf = vec![];
    let _ = <chrono::DateTime<Utc> as Encode<'_, sqlx::Sqlite>>::encode_by_ref(&t, &mut buf);
    match &buf[..] {
        [sqlx::sqlite::SqliteArgumentValue::Text(text)] => assert_eq!(text.as_ref(), time(t)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_read_only_store_writes_nothing_through_the_direct_connection() {
    let (dir, store) = store().await;
    store.close().await;
    let url = format!("sqlite://{}?mode=ro", dir.path().join("t.db").display());
    let store = Store::open(&url).await.unwrap();
    assert!(store.start_update(1).await.is_err(), "a read-only database takes no ledger write");
    assert!(store.ready().await.is_err(), "nor the readiness probe's");
    let ledger: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM telegram_updates").fetch_one(store.pool()).await.unwrap();
    assert_eq!(ledger, 0);
}

#[tokio::test]
async fn the_readiness_probe_waits_out_a_write_lock_held_briefly() {
    let (_dir, store) = store().await;
    assert!(store.ready().await.unwrap());
    let mut other = store.pool().acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *other).await.unwrap();
    let probe = tokio::spawn({
        let store = store.clone();
        async move { store.ready().await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    assert!(!probe.is_finished(), "the probe waits while another connection writes");
    sqlx::query("COMMIT").execute(&mut *other).await.unwrap();
    assert!(probe.await.unwrap().unwrap(), "ready once the lock is gone, within the second it waits");
}

#[tokio::test]
async fn a_statement_that_panics_on_the_direct_connection_closes_it() {
    use futures_util::FutureExt;
    let (_dir, store) = store().await;
    let id = seed(&store).await;
    let run = store.direct_run("test", |c| -> Result<()> {
        c.execute("BEGIN", &[])?;
        c.rows::<crate::store::tags::Tag>(crate::store::tags::CLIENT_TAGS, &[Arg::Int(id)])?;
        panic!("a bug beside a statement");
    });
    assert!(std::panic::AssertUnwindSafe(run).catch_unwind().await.is_err());
    // Its transaction stayed open (the next reads would see its old snapshot): closed instead.
    assert!(store.direct_run("test", |c| Ok(c.autocommit())).await.is_none(), "the connection is closed");
    assert_eq!(store.card_data(id, 5).await.unwrap().tags.len(), 2, "the pool reads the card");
}
