//! The database's files on disk: where they are, and that only the owner of the process can read
//! them. Client records are medical data: a fresh data folder is `0700`, a fresh database file
//! `0600` (SQLite gives its `-wal` and `-shm` files the database file's mode, and we tighten them
//! too after opening).

use std::path::{Path, PathBuf};

pub use crate::config::db_path;

/// Creates the data folder (`0700`) and an empty database file (`0600`) when they are missing.
/// Existing ones keep their modes: the owner may have chosen them.
pub fn create_private(db: &Path) -> std::io::Result<()> {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            std::fs::create_dir_all(parent)?;
            set_mode(parent, 0o700)?;
        }
    }
    if !db.exists() {
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        match open.open(db) {
            Ok(_) => set_mode(db, 0o600)?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// After opening: the `-wal` and `-shm` files get no more access than the database file has.
pub fn tighten_sidecars(db: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(db) else { return };
        let mode = meta.permissions().mode() & 0o777;
        for suffix in ["-wal", "-shm"] {
            let side = sidecar(db, suffix);
            if let Ok(m) = std::fs::metadata(&side) {
                if m.permissions().mode() & 0o777 & !mode != 0 {
                    let _ = set_mode(&side, mode);
                }
            }
        }
    }
}

/// `<db>-wal`, `<db>-shm`, `<db>.lock`: a file beside the database.
pub fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

pub fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_urls_have_no_file() {
        assert_eq!(db_path("sqlite::memory:"), None);
        assert_eq!(db_path("sqlite://data/x.db"), Some(PathBuf::from("data/x.db")));
        assert_eq!(sidecar(Path::new("data/x.db"), ".lock"), PathBuf::from("data/x.db.lock"));
    }
}
