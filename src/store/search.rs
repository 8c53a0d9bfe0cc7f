//! Client search: part of a name (every word, in any order), part of a phone, or the start of a
//! name for fragments too short for the trigram index. The owner types one on most messages,
//! so it runs on the direct connection (`direct/mod.rs`), through the pool only when that is
//! unavailable; the statements are fixed strings (one per number of words), so both keep them
//! prepared. A search that finds exactly one client opens her card, so the owner's search
//! ([`Store::find_clients`]) reads the card in the same turn at that connection.

use super::card::CardData;
use super::clients::ClientSummary;
use super::direct::Arg;
use super::{Result, Store};
use crate::domain::text::{digits, search_key};
use std::sync::LazyLock;

/// Words of a query that count; more are ignored.
const MAX_WORDS: usize = 5;

const BY_PHONE: &str = "SELECT c.id, c.full_name, c.phone FROM client_search s JOIN clients c ON c.id = -s.rowid \
     WHERE s.phone_digits LIKE ? ORDER BY s.rowid LIMIT ?";

const BY_NAME_START: &str =
    "SELECT id, full_name, phone FROM clients WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT ?";

/// By name, for 1 to [`MAX_WORDS`] words: every word a `LIKE` the trigram index serves, newest
/// first in the index's own rowid order ([`index_row`]), so `LIMIT` stops the scan early.
static BY_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    (1..=MAX_WORDS)
        .map(|n| {
            format!(
                "SELECT c.id, c.full_name, c.phone FROM client_search s JOIN clients c ON c.id = -s.rowid WHERE {} \
                 ORDER BY s.rowid LIMIT ?",
                vec!["s.name_key LIKE ?"; n].join(" AND ")
            )
        })
        .collect()
});

/// What a search found.
#[derive(Default)]
pub struct Found {
    /// Newest first.
    pub clients: Vec<ClientSummary>,
    /// When exactly one client matched and her card was read with the search; `None` otherwise
    /// (also when the search went through the pool: the caller reads the card itself).
    pub card: Option<CardData>,
}

/// A client's row in the search index: minus her id, so that the index's own ascending order
/// (which FTS5 reads forward) is newest first. Read backwards (`ORDER BY rowid DESC`), FTS5
/// first walks each trigram's list to its end and builds an array of offsets for every page it
/// turns: a third of a search's cost over 20,000 clients (issue 11, migration 0022).
pub(crate) fn index_row(client: i64) -> i64 {
    -client
}

/// Removes a client's entry from the search index (before she is indexed again, merged away or
/// forgotten).
pub(crate) async fn unindex<'e>(e: impl sqlx::SqliteExecutor<'e>, client: i64) -> Result<()> {
    sqlx::query("DELETE FROM client_search WHERE rowid = ?").bind(index_row(client)).execute(e).await?;
    Ok(())
}

/// `%fragment%` for LIKE. The wildcards `%` and `_` are dropped from the fragment instead of
/// escaped: an `ESCAPE` clause would stop SQLite from handing the LIKE to the trigram index.
fn like_fragment(s: &str) -> String {
    format!("%{}%", s.replace(['%', '_'], ""))
}

/// The statement for `query` and its text arguments (the limit goes last); `None`: no query.
fn plan(query: &str) -> Option<(&'static str, Vec<String>)> {
    let key = search_key(query);
    let query_digits = digits(query);
    let phone_like =
        !query_digits.is_empty() && key.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    if phone_like {
        return (query_digits.len() >= 3).then(|| (BY_PHONE, vec![like_fragment(&query_digits)]));
    }
    let cleaned = key.replace(['%', '_'], "");
    let words: Vec<&str> = cleaned.split(' ').filter(|w| !w.is_empty()).take(MAX_WORDS).collect();
    if words.is_empty() {
        return None;
    }
    // The trigram index serves fragments of three or more characters. A query made only of
    // shorter fragments ("ol") matches name prefixes through the plain index instead of
    // scanning every row.
    if words.iter().all(|w| w.chars().count() < 3) {
        let start = words.join(" ");
        let mut upper = start.clone();
        upper.push(char::MAX);
        return Some((BY_NAME_START, vec![start, upper]));
    }
    Some((BY_WORDS[words.len() - 1].as_str(), words.iter().map(|w| like_fragment(w)).collect()))
}

/// FTS5 `optimize` on the client search index: one segment, and no segment keeps a deleted
/// entry (`forget.rs` runs it inside its transaction).
pub(super) async fn merge_index<'e>(e: impl sqlx::SqliteExecutor<'e>) -> Result<()> {
    sqlx::query("INSERT INTO client_search (client_search) VALUES ('optimize')").execute(e).await?;
    Ok(())
}

impl Store {
    /// Merges the search index into one segment ([`merge_index`]). Every new or renamed client
    /// adds a small segment, merged in batches as they pile up; a search reads each segment's
    /// list of rows for each trigram, and newest first (backwards) a list spread over several
    /// segments costs about twice what one costs (issue 11: the benchmark's name and phone
    /// searches over 20,000 clients became ~3× cheaper, `docs/operations.md`). Run nightly and
    /// after an import; ~50 ms for 20,000 clients.
    pub async fn compact_search(&self) -> Result<()> {
        merge_index(self.pool()).await
    }

    /// Finds clients whose name contains every word of `query`, or whose phone contains its
    /// digits. At most `limit` rows, newest first.
    pub async fn search_clients(&self, query: &str, limit: i64) -> Result<Vec<ClientSummary>> {
        Ok(self.search(query, limit, None).await?.clients)
    }

    /// [`Store::search_clients`] for the owner's `/client` and free text: when exactly one
    /// client matches, her card (with `recent` events) is read in the same turn at the direct
    /// connection. Each turn queues behind every other chat's turn in a burst, and a single
    /// match used to take one more than a list (issue 11: +11 ms at the burst's tail).
    pub async fn find_clients(&self, query: &str, limit: i64, recent: i64) -> Result<Found> {
        self.search(query, limit, Some(recent)).await
    }

    async fn search(&self, query: &str, limit: i64, card: Option<i64>) -> Result<Found> {
        let Some((sql, texts)) = plan(query) else { return Ok(Found::default()) };
        let mut args: Vec<Arg<'_>> = texts.iter().map(|t| Arg::Text(t)).collect();
        args.push(Arg::Int(limit));
        let direct = self.direct_run("search", |c| {
            let clients: Vec<ClientSummary> = c.rows(sql, &args)?;
            let card = match (clients.as_slice(), card) {
                ([one], Some(recent)) => c.read(|c| super::card::read_direct(c, one.id, recent))?,
                _ => None,
            };
            Ok(Found { clients, card })
        });
        if let Some(found) = direct.await {
            return Ok(found);
        }
        let mut q = sqlx::query_as::<_, ClientSummary>(sql);
        for t in &texts {
            q = q.bind(t);
        }
        Ok(Found { clients: q.bind(limit).fetch_all(self.pool()).await?, card: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_dropped() {
        assert_eq!(like_fragment("50%_a"), "%50a%");
    }

    #[test]
    fn each_kind_of_query_has_its_statement() {
        assert_eq!(plan("067 12"), Some((BY_PHONE, vec!["%06712%".to_string()])));
        assert_eq!(plan("06"), None, "two digits are too few");
        assert_eq!(plan("ol ma").map(|p| p.0), Some(BY_NAME_START));
        let (sql, args) = plan("Мар'янчук ольга").unwrap();
        assert_eq!(sql, BY_WORDS[1]);
        assert_eq!(args, vec!["%марянчук%", "%ольга%"]);
        assert_eq!(plan("абв бвг вгд где деж ежз жзи").unwrap().1.len(), MAX_WORDS);
        assert_eq!(plan("  %_ "), None);
    }

    async fn open(dir: &tempfile::TempDir) -> Store {
        Store::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap()
    }

    #[tokio::test]
    async fn searches_read_the_trigram_index_forward_and_list_the_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir).await;
        let mut newest_first = vec![];
        for i in 0..3 {
            newest_first.insert(0, store.client_with_phone("Ольга Ткачук", &format!("+38067123450{i}")).await);
        }
        for query in ["ткач", "ольга ткачук", "6712345"] {
            let found: Vec<i64> = store.search_clients(query, 21).await.unwrap().iter().map(|c| c.id).collect();
            assert_eq!(found, newest_first, "{query}");
        }
        // FTS5's plan number: 0x40 ordered by rowid (no sorting of its own), 0x80 backwards.
        for sql in std::iter::once(BY_PHONE).chain(BY_WORDS.iter().map(String::as_str)) {
            let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                .fetch_all(store.pool())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            let plan = plan.into_iter().map(|(.., detail)| detail).collect::<Vec<_>>().join("; ");
            let index: u32 = plan
                .split("VIRTUAL TABLE INDEX ")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no index in the plan of {sql}: {plan}"));
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
            assert_eq!(index & 0xC0, 0x40, "the index read forward in its own order: {plan}");
        }
    }

    #[tokio::test]
    async fn the_index_holds_one_row_per_live_client_through_import_rename_merge_and_forget() {
        use crate::store::clients::{FieldValue, TextField};
        use crate::store::imports::ImportRow;
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir).await;
        let a = store.client_with_phone("Ольга Ткачук", "+380671110001").await;
        let b = store.client_with_phone("Марія Коваль", "+380671110002").await;
        let c = store.client_with_phone("Ірина Бондар", "+380671110003").await;
        let row = |name: &str, phone: &str| ImportRow {
            line: 2,
            name: name.into(),
            phone: Some(phone.into()),
            note: None,
            birth_date: None,
            email: None,
            instagram: None,
            shoe_size: None,
            tags: vec![],
            consent: false,
        };
        let rows = [row("Олена Шевчук", "+380671110004"), row("Анна Мельник", "+380671110005")];
        assert_eq!(store.import_clients(&rows, "test", None).await.unwrap(), 2);
        store.set_client_field(a, TextField::Name, FieldValue::Text(Some("Ольга Ткаченко".into()))).await.unwrap();
        store.merge_clients(b, a, "test").await.unwrap();
        store.forget_client(c, "Клієнтка", "test").await.unwrap();
        // A card made after the merge may take the merged-away card's id: the old entry is gone.
        let d = store.client_with_phone("Софія Лисенко", "+380671110006").await;

        let index: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT -rowid, name_key, phone_digits FROM client_search ORDER BY -rowid")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let live: Vec<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT id, name_key, phone FROM clients WHERE source IS NOT 'deleted' ORDER BY id")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let expected: Vec<(i64, String, String)> = live
            .into_iter()
            .map(|(id, key, phone)| (id, key, phone.as_deref().map(digits).unwrap_or_default()))
            .collect();
        assert_eq!(index, expected);
        assert_eq!(index.len(), 4, "{index:?}");
        assert!(index.iter().any(|(id, key, _)| *id == a && key == "ольга ткаченко"), "{index:?}");
        assert!(index.iter().any(|(id, ..)| *id == d));
        for gone in ["ткачук", "коваль", "бондар", "0671110003"] {
            assert!(store.search_clients(gone, 21).await.unwrap().is_empty(), "{gone}");
        }
    }

    #[tokio::test]
    async fn clients_indexed_before_migration_0022_are_found_newest_first_after_it() {
        // The migrations up to 0021 (the index's rowid was the client's id), a copy of each file.
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        std::fs::create_dir(&old).unwrap();
        for m in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap() {
            let path = m.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if name.as_str() < "0022" {
                std::fs::copy(&path, old.join(name)).unwrap();
            }
        }
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::migrate::Migrator::new(old.as_path()).await.unwrap().run(&pool).await.unwrap();
        for (id, name, phone) in [(1, "ольга ткачук", "380671234500"), (2, "ольга ткаченко", "380671234501")]
        {
            sqlx::query("INSERT INTO clients (id, full_name, name_key, phone, created_at, updated_at) VALUES (?, ?, ?, ?, '', '')")
                .bind(id)
                .bind(name)
                .bind(name)
                .bind(format!("+{phone}"))
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO client_search (rowid, name_key, phone_digits) VALUES (?, ?, ?)")
                .bind(id)
                .bind(name)
                .bind(phone)
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;
        let store = open(&dir).await;
        let ids = |v: Vec<ClientSummary>| v.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(store.search_clients("ткач", 21).await.unwrap()), vec![2, 1]);
        assert_eq!(ids(store.search_clients("6712345", 21).await.unwrap()), vec![2, 1]);
        assert_eq!(ids(store.search_clients("234500", 21).await.unwrap()), vec![1]);
        // A client added after the migration is the newest.
        let third = store.client_with_phone("Ольга Ткачук", "+380671234502").await;
        assert_eq!(ids(store.search_clients("ткачук", 21).await.unwrap()), vec![third, 1]);
    }

    #[tokio::test]
    async fn housekeeping_merges_the_search_index_and_finds_the_same_clients() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir).await;
        // One client at a time, as the owner adds them: each leaves a segment.
        for i in 0..40 {
            store.client_with_phone("Ольга Ткачук", &format!("+3806712{i:05}")).await;
        }
        let segments = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(DISTINCT segid) FROM client_search_idx")
                .fetch_one(store.pool())
                .await
                .unwrap()
        };
        let before = segments().await;
        assert!(before > 1, "{before} segments");
        let (names, phones) =
            (store.search_clients("ткач", 21).await.unwrap(), store.search_clients("67120000", 21).await.unwrap());
        store.housekeeping().await.unwrap();
        assert_eq!(segments().await, 1);
        let ids = |v: &[ClientSummary]| v.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(names.len(), 21);
        assert_eq!(ids(&store.search_clients("ткач", 21).await.unwrap()), ids(&names));
        assert_eq!(ids(&store.search_clients("67120000", 21).await.unwrap()), ids(&phones));
        assert_eq!(phones.len(), 10, "+380671200000 to +380671200009");
    }
}
