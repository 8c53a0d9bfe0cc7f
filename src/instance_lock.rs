//! One job-running process per database file.
//!
//! Two `serve` processes on one file would both claim jobs (the second even reclaims the first's
//! in-flight ones at start-up), so the owner would get every reminder twice. `serve` (and
//! `restore`, which replaces the file) hold an exclusive advisory lock (`flock`) on
//! `<database file>.lock` for their whole life. The kernel drops the lock when the process ends,
//! however it ends, so a lock file left behind by a crash blocks nothing. The console, `import`,
//! `export`, `backup` and `demo-data` do not take it: they are ordinary SQLite clients and never
//! run or reclaim jobs. They hold a *shared* lock on `<database file>.users.lock` instead, which
//! `restore` takes exclusively: a file is never replaced under an open console, whose writes
//! would otherwise go to the old, unlinked file and be lost.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

/// Held while alive; dropping it (or the process ending) releases the lock.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another insoles-crm process is already running on the database {db} (lock {lock} is held); \
         stop it first — two servers on one database would send every reminder twice"
    )]
    Held { db: String, lock: String },
    #[error(
        "another insoles-crm command (the console, import, export or backup) has the database {db} open \
         (lock {lock}); finish it first"
    )]
    InUse { db: String, lock: String },
    #[error("the database {db} is being restored (lock {lock}); try again when that is done")]
    Restoring { db: String, lock: String },
    #[error("could not create the lock file {lock}: {source}")]
    Io { lock: String, source: std::io::Error },
}

/// Opens (creating it `0600`, and a missing data folder `0700`) the lock file `<db><suffix>`;
/// returns it with its path, and that path as text for messages.
fn open_beside(db: &Path, suffix: &str) -> Result<(File, PathBuf, String), LockError> {
    let path = crate::store::files::sidecar(db, suffix);
    let lock = path.display().to_string();
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            std::fs::create_dir_all(parent).map_err(|source| LockError::Io { lock: lock.clone(), source })?;
            let _ = crate::store::files::set_mode(parent, 0o700);
        }
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let file = open.open(&path).map_err(|source| LockError::Io { lock: lock.clone(), source })?;
    Ok((file, path, lock))
}

impl InstanceLock {
    /// Takes the lock beside `db`, or says which process-wide lock is in the way.
    pub fn acquire(db: &Path) -> Result<Self, LockError> {
        let (file, path, lock) = open_beside(db, ".lock")?;
        match file.try_lock() {
            Ok(()) => Ok(InstanceLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(LockError::Held { db: db.display().to_string(), lock }),
            Err(TryLockError::Error(source)) => Err(LockError::Io { lock, source }),
        }
    }

    /// For the database named by a `sqlite://` URL; `None` for an in-memory database.
    pub fn acquire_for_url(url: &str) -> Result<Option<Self>, LockError> {
        crate::store::files::db_path(url).map(|p| Self::acquire(&p)).transpose()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock of the database's other users (see the module docs): shared for them, exclusive
/// for `restore`.
#[derive(Debug)]
pub struct UsersLock {
    _file: File,
}

impl UsersLock {
    fn open(db: &Path) -> Result<(File, String), LockError> {
        let (file, _, lock) = open_beside(db, ".users.lock")?;
        Ok((file, lock))
    }

    /// For the console, import, export, backup and demo-data.
    pub fn shared(db: &Path) -> Result<Self, LockError> {
        let (file, lock) = Self::open(db)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(UsersLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::Restoring { db: db.display().to_string(), lock }),
            Err(TryLockError::Error(source)) => Err(LockError::Io { lock, source }),
        }
    }

    /// For `restore`: nobody else has the database open.
    pub fn exclusive(db: &Path) -> Result<Self, LockError> {
        let (file, lock) = Self::open(db)?;
        match file.try_lock() {
            Ok(()) => Ok(UsersLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::InUse { db: db.display().to_string(), lock }),
            Err(TryLockError::Error(source)) => Err(LockError::Io { lock, source }),
        }
    }

    /// [`UsersLock::shared`] for a `sqlite://` URL; `None` for an in-memory database.
    pub fn shared_for_url(url: &str) -> Result<Option<Self>, LockError> {
        crate::store::files::db_path(url).map(|p| Self::shared(&p)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_the_first_drops() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("crm.db");
        let first = InstanceLock::acquire(&db).unwrap();
        let err = InstanceLock::acquire(&db).unwrap_err();
        assert!(matches!(err, LockError::Held { .. }), "{err}");
        assert!(err.to_string().contains("already running"), "{err}");
        drop(first);
        // The lock file stays behind (as after a crash) and blocks nothing.
        assert!(dir.path().join("crm.db.lock").exists());
        InstanceLock::acquire(&db).unwrap();
    }

    #[test]
    fn restore_waits_for_the_consoles_and_they_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("crm.db");
        let console = UsersLock::shared(&db).unwrap();
        let import = UsersLock::shared(&db).unwrap();
        assert!(matches!(UsersLock::exclusive(&db).unwrap_err(), LockError::InUse { .. }));
        drop((console, import));
        let restore = UsersLock::exclusive(&db).unwrap();
        assert!(matches!(UsersLock::shared(&db).unwrap_err(), LockError::Restoring { .. }));
        drop(restore);
        UsersLock::shared(&db).unwrap();
    }
}
