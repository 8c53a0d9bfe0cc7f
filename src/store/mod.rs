//! Storage: repositories over sqlx, one file per aggregate.
//!
//! Queries are runtime `query_as` with bound parameters (never string-built SQL), kept to the
//! portable subset except the FTS5 search index, so a PostgreSQL implementation can follow.
//! Every write that belongs to one user action happens in one transaction, begun with
//! `BEGIN IMMEDIATE` so concurrent writers queue on the busy timeout instead of failing on a
//! lock upgrade.

pub mod aftercare;
pub mod ai_decisions;
pub mod assistant;
pub mod attribution;
pub mod bookings;
pub mod campaigns;
pub mod card;
pub mod cash_reports;
pub mod cashbook;
mod checkpoint;
pub mod clients;
pub mod content;
pub mod daily_figures;
pub mod direct;
pub mod export;
pub mod files;
pub mod forget;
pub mod goals;
mod group_commit;
pub mod identity;
pub mod imports;
pub mod interactions;
pub mod invoices;
pub mod jobs;
pub mod listmonk;
pub mod marketing;
pub mod nps_answers;
pub mod order_edits;
pub mod orders;
pub mod prefs;
pub mod products;
pub mod receipts;
pub mod recommend;
pub mod referrals;
pub mod refunds;
pub mod reports;
pub mod schedule;
pub mod search;
pub mod tags;
pub mod tasks;
pub mod updates;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Stores a status enum (with `code()` and `from_code()`) as its code, a TEXT column.
macro_rules! stored_as_code {
    ($t:ty) => {
        impl sqlx::Type<sqlx::Sqlite> for $t {
            fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
                <&str as sqlx::Type<sqlx::Sqlite>>::type_info()
            }

            fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for $t {
            fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> std::result::Result<Self, sqlx::error::BoxDynError> {
                let code = <&str as sqlx::Decode<sqlx::Sqlite>>::decode(value)?;
                <$t>::from_code(code).ok_or_else(|| format!("unknown {} {code:?}", stringify!($t)).into())
            }
        }

        /// The same code, read by the direct connection (`store/direct`).
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$t>::from_code(&code)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown {} {code:?}", stringify!($t))))
            }
        }
    };
}
pub(crate) use stored_as_code;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("conflict on {0}")]
    Conflict(String),
    #[error(transparent)]
    Other(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// From the direct connection (`direct/`), where the caller does not go on through the pool.
    #[error(transparent)]
    Direct(#[from] direct::SqliteFailure),
}

impl StorageError {
    /// Maps unique-constraint violations to `Conflict` so callers can answer "already exists".
    pub fn from_sqlx(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StorageError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Conflict(db.message().to_string()),
            _ => StorageError::Other(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    jobs_notify: std::sync::Arc<tokio::sync::Notify>,
    /// How the pool connects; the readiness probe opens its own connection with these.
    options: SqliteConnectOptions,
    /// One readiness probe at a time, however often `/readyz` is asked.
    probe: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Telegram actors' language and dialog step (see `prefs.rs`).
    prefs: prefs::PrefsCache,
    /// The hot statements without a thread hop (see `direct/mod.rs`).
    direct: std::sync::Arc<direct::Direct>,
    /// The update ledger's writes waiting to be committed together (`group_commit.rs`).
    ledger: std::sync::Arc<group_commit::GroupCommit<updates::LedgerWrite>>,
    /// When the update ledger was last pruned (Unix seconds; see `updates.rs`).
    ledger_pruned: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

/// How long the readiness probe waits for the write lock before calling the database not ready.
const PROBE_BUSY_TIMEOUT: Duration = Duration::from_secs(1);

/// The readiness probe's write: one statement, its own transaction.
const PROBE_WRITE: &str = "INSERT INTO settings (key, value) VALUES ('readiness_probe', ?) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// The migrations applied, for the readiness probe: ready only when that is all embedded ones.
const APPLIED: &str = "SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success = 1";

fn all_applied(applied: i64) -> bool {
    applied as usize == MIGRATOR.iter().count()
}

/// One readiness probe on the direct connection: whether every embedded migration is applied
/// and, when they are, the probe's write.
fn probe(c: &mut direct::Conn, at: &str) -> direct::Result<bool> {
    #[derive(serde::Deserialize)]
    struct Applied {
        n: i64,
    }
    let applied = c.rows::<Applied>(APPLIED, &[])?;
    if !all_applied(applied.first().map_or(0, |a| a.n)) {
        return Ok(false);
    }
    c.execute(PROBE_WRITE, &[direct::Arg::Text(at)])?;
    Ok(true)
}

/// How long a pooled connection beyond the first may sit idle (sqlx's reaper looks this often).
pub const POOL_IDLE: Duration = Duration::from_secs(5);

impl Store {
    /// Opens (creating when missing) the database and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Checkpoints run beside the requests, not inside a commit (`checkpoint.rs`).
            .pragma("wal_autocheckpoint", "0");
        let path = files::db_path(url);
        if let Some(path) = &path {
            files::create_private(path).map_err(|e| StorageError::Other(sqlx::Error::Io(e)))?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            // A local file connection does not go stale: no ping before each query (sqlx still
            // pings on release, which catches a connection left mid-statement).
            .test_before_acquire(false)
            // Start-up's concurrent work (migrations, seeding, the worker, the scheduler, the
            // checkpointer, the menu) opens several connections; each keeps a thread, its
            // schema and page cache (~0.4 MB), and costs ~3 ms of CPU to open (why the worker,
            // the scheduler and the menu start `CATCH_UP_AFTER` after the HTTP server). Idle
            // ones beyond the first close after a few seconds (the hot statements use the
            // direct connection, not the pool).
            .idle_timeout(POOL_IDLE)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&pool).await?;
        if let Some(path) = &path {
            files::tighten_sidecars(path);
        }
        let read_only = url.split_once('?').is_some_and(|(_, query)| query.split('&').any(|kv| kv == "mode=ro"));
        let direct = std::sync::Arc::new(direct::Direct::open(path.as_deref(), read_only));
        checkpoint::spawn(pool.clone());
        Ok(Store {
            pool,
            jobs_notify: Default::default(),
            options,
            probe: Default::default(),
            prefs: Default::default(),
            direct,
            ledger: Default::default(),
            ledger_pruned: Default::default(),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn begin(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Ready means: the database answers, every embedded migration is applied, and a write
    /// goes through. The probe runs on the direct connection (`direct/`), which never waits for
    /// the write lock: while another connection holds it, the probe tries again every
    /// millisecond, and a database still locked after [`PROBE_BUSY_TIMEOUT`] (by another
    /// process, say) or opened read-only (a read-only volume, a full disk) says "not ready"
    /// instead of queueing behind the pool. (It used to open a connection of its own per probe:
    /// a thread, the file and the schema, ~5 ms, and SQLite's busy handler sleeping 1, 2, 5, 10
    /// ms... while start-up's first writes held the lock; issue 11.) Without a direct connection
    /// (an in-memory database), or when it fails otherwise than busy, the pool decides, as for
    /// every statement the direct connection does not do itself (`direct/mod.rs`).
    pub async fn ready(&self) -> Result<bool> {
        let _one = self.probe.lock().await;
        let deadline = tokio::time::Instant::now() + PROBE_BUSY_TIMEOUT;
        let at = direct::time(now());
        loop {
            match self.direct.try_run("readiness probe", |c| probe(c, &at)).await {
                Some(Ok(applied)) => return Ok(applied),
                Some(Err(e)) if e.is_busy() && tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                // Still locked after the second the pool's probe would also wait: not ready.
                Some(Err(e)) if e.is_busy() => return Err(e.into()),
                None | Some(Err(_)) => break,
            }
        }
        if !all_applied(sqlx::query_scalar(APPLIED).fetch_one(&self.pool).await?) {
            return Ok(false);
        }
        let mut conn = self.options.clone().busy_timeout(PROBE_BUSY_TIMEOUT).connect().await?;
        let probe = sqlx::query(PROBE_WRITE).bind(&at).execute(&mut conn).await;
        let _ = conn.close().await;
        probe?;
        Ok(true)
    }

    pub async fn close(&self) {
        self.direct.close().await;
        self.pool.close().await;
    }
}

/// The current time; one place so that storage code never calls the clock ad hoc.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
