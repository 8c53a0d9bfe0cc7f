//! Backups: a consistent copy of the live database, kept nightly, and a careful restore.
//!
//! A copy is made with `VACUUM INTO` on a pooled connection: SQLite writes the database as of one
//! read transaction, so every row committed before the copy started is in it and nothing
//! half-written is, while the server goes on writing (WAL). The copy is written to
//! `<name>.partial` (created `0600` first, so it is never readable by others) and renamed into
//! place. The nightly job (`JobSpec::Backup`, enqueued by the scheduler, keyed by its fire time so
//! a night runs once and a missed night runs once after downtime) writes
//! `<BACKUP_DIR>/insoles-<UTC time>.db`, keeps the newest [`BackupSettings::keep`], and with
//! `BACKUP_TO_TELEGRAM=1` queues one document per owner in the outbox.
//!
//! Restore (`insoles-crm restore FILE`, run while the server is stopped: it takes the instance
//! lock) checks that the file is an SQLite database of ours (header, `integrity_check`, the
//! migrations table with no migration this build does not know), copies it next to the target,
//! keeps a consistent copy of the current database as `<db>.before-restore-<time>`, removes the
//! stale `-wal`/`-shm` (they belong to the old file and SQLite would replay them into the new
//! one), and renames the copy over the database.

use crate::config::BackupSettings;
use crate::store::files::{set_mode, sidecar};
use crate::store::{Store, MIGRATOR};
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};

/// Nightly files are `insoles-<time>.db`; nothing else in the folder is pruned.
const PREFIX: &str = "insoles-";
const SUFFIX: &str = ".db";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error("{0} already exists; choose another name")]
    Exists(String),
    /// The file is not a database this program made (the reason says why).
    #[error("not an Insoles CRM database: {0}")]
    NotOurs(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.display().to_string(), source }
}

/// An empty `0600` file at `path` (an earlier one is replaced).
fn create_private_file(path: &Path) -> Result<(), BackupError> {
    let _ = std::fs::remove_file(path);
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    open.open(path).map_err(io(path))?;
    set_mode(path, 0o600).map_err(io(path))
}

fn create_private_dir(dir: &Path) -> Result<(), BackupError> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        set_mode(dir, 0o700).map_err(io(dir))?;
    }
    Ok(())
}

/// A consistent copy of the live database at `target` (replaced if present), mode `0600`.
pub async fn snapshot(store: &Store, target: &Path) -> Result<(), BackupError> {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let partial = sidecar(target, ".partial");
    create_private_file(&partial)?;
    let result = sqlx::query("VACUUM INTO ?").bind(partial.to_string_lossy().to_string()).execute(store.pool()).await;
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    set_mode(&partial, 0o600).map_err(io(&partial))?;
    std::fs::rename(&partial, target).map_err(io(target))?;
    Ok(())
}

/// `insoles-crm backup FILE`: refuses to overwrite an existing file.
pub async fn backup_to(store: &Store, target: &Path) -> Result<(), BackupError> {
    if target.exists() {
        return Err(BackupError::Exists(target.display().to_string()));
    }
    snapshot(store, target).await
}

/// The nightly file for the run due at `at`: the same name when a run is retried. (`settings`
/// as the core holds them, with the folder resolved.)
pub fn nightly_path(settings: &BackupSettings, at: DateTime<Utc>) -> PathBuf {
    settings.folder("").join(format!("{PREFIX}{}{SUFFIX}", at.format("%Y%m%d-%H%M%SZ")))
}

/// Writes the nightly backup and prunes old ones; returns the new file.
pub async fn nightly(store: &Store, settings: &BackupSettings, at: DateTime<Utc>) -> Result<PathBuf, BackupError> {
    let path = nightly_path(settings, at);
    snapshot(store, &path).await?;
    let removed = prune(&settings.folder(""), settings.keep)?;
    tracing::info!(file = %path.display(), removed, "nightly backup written");
    Ok(path)
}

/// Keeps the newest `keep` nightly files in `dir`; returns how many were removed.
pub fn prune(dir: &Path, keep: usize) -> Result<usize, BackupError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        .collect();
    names.sort();
    let old = names.len().saturating_sub(keep);
    for name in &names[..old] {
        let path = dir.join(name);
        std::fs::remove_file(&path).map_err(io(&path))?;
    }
    Ok(old)
}

/// Checks that `path` is an SQLite database of ours, intact. Opens it read-write in rollback
/// mode (so give it a copy: [`restore`] does).
pub async fn validate(path: &Path) -> Result<(), BackupError> {
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head));
    if read.is_err() || &head != b"SQLite format 3\0" {
        return Err(BackupError::NotOurs("not an SQLite database".into()));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete)
        .disable_statement_logging();
    let mut conn = options.connect().await.map_err(|e| BackupError::NotOurs(format!("cannot be opened: {e}")))?;
    let outcome = async {
        let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .map_err(|e| BackupError::NotOurs(format!("integrity check failed: {e}")))?;
        if check != ["ok"] {
            return Err(BackupError::NotOurs(format!("integrity check: {}", check.join("; "))));
        }
        let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(&mut conn)
            .await
            .map_err(|_| BackupError::NotOurs("no migrations table".into()))?;
        if versions.is_empty() {
            return Err(BackupError::NotOurs("no migrations applied".into()));
        }
        if let Some(v) = versions.iter().find(|v| !MIGRATOR.iter().any(|m| m.version == **v)) {
            return Err(BackupError::NotOurs(format!("made by a newer version (migration {v})")));
        }
        // Its tables, indexes, triggers and views must be exactly what our migrations make: a
        // foreign trigger would keep acting after the restore, a missing table would break it.
        let expected = expected_schema(&versions).await?;
        let actual = schema(&mut conn).await.map_err(|e| BackupError::NotOurs(format!("schema unreadable: {e}")))?;
        if let Some(diff) = expected.symmetric_difference(&actual).next() {
            return Err(BackupError::NotOurs(format!(
                "its schema differs from what our migrations make ({} {})",
                diff.0, diff.1
            )));
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    outcome
}

type Schema = std::collections::BTreeSet<(String, String, String)>;

/// Every table, index, trigger and view (type, name, SQL with whitespace squeezed), but SQLite's
/// own and the migrations table.
async fn schema(conn: &mut sqlx::SqliteConnection) -> Result<Schema, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(t, n, sql)| (t, n, sql.unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect())
}

/// The schema our migrations `versions` make, built in memory.
async fn expected_schema(versions: &[i64]) -> Result<Schema, BackupError> {
    let failed = |e: sqlx::Error| BackupError::NotOurs(format!("cannot rebuild our schema to compare: {e}"));
    let mut mem = SqliteConnectOptions::new().in_memory(true).connect().await.map_err(failed)?;
    for m in MIGRATOR.iter().filter(|m| versions.contains(&m.version)) {
        sqlx::raw_sql(&m.sql).execute(&mut mem).await.map_err(failed)?;
    }
    let out = schema(&mut mem).await.map_err(failed);
    let _ = mem.close().await;
    out
}

/// Replaces the database at `db` with the backup `source` (the caller holds the instance lock).
/// Returns where the previous database was kept, if there was one.
pub async fn restore(source: &Path, db: &Path) -> Result<Option<PathBuf>, BackupError> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let incoming = sidecar(db, ".restoring");
    create_private_file(&incoming)?;
    let copied = std::fs::copy(source, &incoming).map_err(io(source));
    let checked = match copied {
        Ok(_) => validate(&incoming).await,
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        for suffix in ["", "-journal"] {
            let _ = std::fs::remove_file(sidecar(&incoming, suffix));
        }
        return Err(e);
    }
    std::fs::File::open(&incoming).and_then(|f| f.sync_all()).map_err(io(&incoming))?;
    let previous = if db.exists() && std::fs::metadata(db).map(|m| m.len() > 0).unwrap_or(false) {
        let kept = sidecar(db, &format!(".before-restore-{}", Utc::now().format("%Y%m%d-%H%M%S")));
        create_private_file(&kept)?;
        // Through SQLite, so whatever the old WAL still held is in the kept copy.
        let mut conn = SqliteConnectOptions::new().filename(db).disable_statement_logging().connect().await?;
        sqlx::query("VACUUM INTO ?").bind(kept.to_string_lossy().to_string()).execute(&mut conn).await?;
        conn.close().await?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm", "-journal"] {
        let stale = sidecar(db, suffix);
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&stale)(e)),
        }
    }
    std::fs::rename(&incoming, db).map_err(io(db))?;
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_the_newest_nightly_files_only() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=20 {
            std::fs::write(dir.path().join(format!("insoles-202611{day:02}-010000Z.db")), b"x").unwrap();
        }
        std::fs::write(dir.path().join("my-own-copy.db"), b"x").unwrap();
        assert_eq!(prune(dir.path(), 14).unwrap(), 6);
        let mut left: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left.len(), 15);
        assert_eq!(left[0], "insoles-20261107-010000Z.db");
        assert!(left.contains(&"my-own-copy.db".to_string()));
    }
}
