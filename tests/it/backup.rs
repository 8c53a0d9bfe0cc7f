//! Backups: consistent under concurrent writes, nightly once, kept 14, sent to the owner;
//! restore only into a stopped server, only from a database of ours.

use crate::helpers::*;
use insoles_crm::backup::{self, BackupError};
use insoles_crm::store::Store;
use insoles_crm::work::JobSpec;
use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_insoles-crm");

fn job_keys(n: i64) -> String {
    format!("write:{n}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_every_row_committed_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.db");
    let store = Store::open(&format!("sqlite://{}", db.display())).await.unwrap();
    // A writer commits one row after another; `committed` is the last one known committed.
    let committed = Arc::new(AtomicI64::new(-1));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let writer = {
        let (store, committed) = (store.clone(), committed.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !*stop_rx.borrow() {
                let job = JobSpec::Housekeeping.job(chrono::Utc::now() + chrono::Duration::days(1), job_keys(n));
                store.enqueue(&job).await.unwrap();
                committed.store(n, Ordering::SeqCst);
                n += 1;
            }
            n
        })
    };
    while committed.load(Ordering::SeqCst) < 200 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before = committed.load(Ordering::SeqCst);
    let copy = dir.path().join("copy.db");
    backup::backup_to(&store, &copy).await.unwrap();
    // Writes went on during the copy.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let _ = stop_tx.send(true);
    let written = writer.await.unwrap();
    assert!(written > before + 1, "the writer kept writing during the backup ({written} vs {before})");
    store.close().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Restore into a fresh place and read it back.
    let target = dir.path().join("restored").join("crm.db");
    assert_eq!(backup::restore(&copy, &target).await.unwrap(), None);
    let restored = Store::open(&format!("sqlite://{}", target.display())).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(restored.pool()).await.unwrap();
    assert_eq!(check, "ok");
    let keys: HashSet<String> = sqlx::query_scalar("SELECT idempotency_key FROM jobs")
        .fetch_all(restored.pool())
        .await
        .unwrap()
        .into_iter()
        .collect();
    let missing: Vec<i64> = (0..=before).filter(|n| !keys.contains(&job_keys(*n))).collect();
    assert!(missing.is_empty(), "rows committed before the backup are missing: {missing:?}");
    restored.close().await;
}

#[tokio::test]
async fn restore_refuses_what_is_not_our_database_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.db");
    let store = Store::open(&format!("sqlite://{}", db.display())).await.unwrap();
    store.enqueue(&JobSpec::Housekeeping.job(chrono::Utc::now(), "mine")).await.unwrap();
    store.close().await;
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all").unwrap();
    let foreign = dir.path().join("foreign.db");
    let other = Store::open(&format!("sqlite://{}", foreign.display())).await.unwrap();
    sqlx::query("DROP TABLE _sqlx_migrations").execute(other.pool()).await.unwrap();
    other.close().await;
    for (file, reason) in [(&text, "not an SQLite database"), (&foreign, "no migrations table")] {
        match backup::restore(file, &db).await {
            Err(BackupError::NotOurs(r)) => assert!(r.contains(reason), "{r}"),
            other => panic!("{}: {other:?}", file.display()),
        }
    }
    assert!(!dir.path().join("crm.db.restoring").exists());
    let store = Store::open(&format!("sqlite://{}", db.display())).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE idempotency_key = 'mine'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(n, 1, "the database is untouched");
    store.close().await;
}

#[tokio::test]
async fn the_nightly_backup_runs_once_keeps_14_and_reaches_the_owner() {
    let backups = tempfile::tempdir().unwrap();
    for day in 1..=20 {
        std::fs::write(backups.path().join(format!("insoles-202001{day:02}-010000Z.db")), b"old").unwrap();
    }
    let dir = backups.path().to_path_buf();
    let app = TestApp::spawn_custom(false, None, move |s| {
        s.backup.dir = Some(dir);
        s.backup.to_telegram = true;
    })
    .await;
    // At start-up the scheduler caught up on last night's backup (the process was not running
    // at 03:00): it runs once, and enqueuing that night again is a no-op.
    let docs = |c: &[insoles_crm::fake_telegram::Call]| {
        c.iter().filter(|c| c.method.eq_ignore_ascii_case("sendDocument")).cloned().collect::<Vec<_>>()
    };
    app.fake.wait_for(WAIT, |c| docs(c).len() == 1).await.unwrap();
    let tz = app.core.config().tz;
    let missed =
        insoles_crm::scheduler::missed_fires(&[insoles_crm::scheduler::backup_schedule()], chrono::Utc::now(), tz);
    assert_eq!(missed.len(), 1);
    assert!(!app.core.store().enqueue(&insoles_crm::scheduler::backup_job(missed[0].1)).await.unwrap());

    let added = reply_text(&app.text("/new_client Ольга Марʼянчук, 0671234567").await);
    assert!(added.contains("Клієнта додано"), "{added}");
    // Tonight's run (enqueued twice, as by a scheduler and a restart): one backup.
    let night = chrono::Utc::now() - chrono::Duration::seconds(1);
    let job = insoles_crm::scheduler::backup_job(night);
    assert!(app.core.store().enqueue(&job).await.unwrap());
    assert!(!app.core.store().enqueue(&job).await.unwrap(), "one night, one backup");
    let calls = app.fake.wait_for(WAIT, |c| docs(c).len() == 2).await.unwrap();
    let doc = docs(&calls).pop().unwrap();
    assert!(doc.body["chat_id"].to_string().contains(&OWNER.to_string()), "{:?}", doc.body);
    assert!(doc.body["caption"].as_str().unwrap_or("").contains("Резервна копія"), "{:?}", doc.body);
    let (_, name, bytes) = &doc.files[0];
    assert!(name.starts_with("insoles-") && name.ends_with(".db"), "{name}");
    assert!(bytes.starts_with(b"SQLite format 3\0"));

    let mut names: Vec<String> = std::fs::read_dir(backups.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("insoles-") && n.ends_with(".db"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 14, "{names:?}");
    assert_eq!(names.last().unwrap(), name, "the newest is kept");
    let newest = backups.path().join(name);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&newest).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // The copy holds the client created before it.
    let copy = Store::open(&format!("sqlite://{}", newest.display())).await.unwrap();
    assert_eq!(copy.client_count().await.unwrap(), 1);
    copy.close().await;
    let runs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'backup'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert_eq!(runs, 2, "last night's catch-up and tonight's, each once");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(docs(&app.fake.calls()).len(), 2, "no document twice");
    app.stop().await;
}

fn command(dir: &tempfile::TempDir, port: u16) -> Command {
    let mut c = Command::new(BIN);
    c.env("DATABASE_URL", format!("sqlite://{}", dir.path().join("crm.db").display()))
        .env("CONFIG_DIR", dir.path())
        .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("LANG", "en_US.UTF-8")
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    c
}

#[test]
fn backup_and_restore_from_the_command_line_beside_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let demo = command(&dir, port).arg("demo-data").output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let mut server = command(&dir, port).arg("serve").stderr(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while !command(&dir, port).arg("healthcheck").output().unwrap().status.success() {
        assert!(started.elapsed() < Duration::from_secs(20), "never became healthy");
        std::thread::sleep(Duration::from_millis(50));
    }
    // A second server on the same file refuses, with the reason.
    let other_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let second = command(&dir, other_port).arg("serve").output().unwrap();
    assert!(!second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("already running"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    // Backup works while the server runs; restore does not.
    let file = dir.path().join("manual.db");
    let out = command(&dir, port).args(["backup", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Backup written"));
    let again = command(&dir, port).args(["backup", file.to_str().unwrap()]).output().unwrap();
    assert!(!again.status.success(), "an existing file is not overwritten");
    let refused = command(&dir, port).args(["restore", file.to_str().unwrap()]).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is using this database"));

    Command::new("kill").arg("-TERM").arg(server.id().to_string()).status().unwrap();
    assert!(server.wait().unwrap().success());
    // Nor while a console has the database open (its writes would go to the replaced file).
    let mut console = command(&dir, port).arg("console").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 8];
    std::io::Read::read_exact(console.stdout.as_mut().unwrap(), &mut first).unwrap();
    let refused = command(&dir, port).args(["restore", file.to_str().unwrap()]).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is using this database"));
    drop(console.stdin.take());
    assert!(console.wait().unwrap().success());
    let bogus = dir.path().join("bogus.db");
    std::fs::write(&bogus, "hello").unwrap();
    let bad = command(&dir, port).args(["restore", bogus.to_str().unwrap()]).output().unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("not an Insoles CRM backup"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let ok = command(&dir, port).args(["restore", file.to_str().unwrap()]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Database restored from"));
    assert!(!dir.path().join("crm.db-wal").exists());
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("crm.db.before-restore-"))
        .count();
    assert_eq!(kept, 1, "the previous database is kept");
    // The restored database serves the demo data again.
    let again = command(&dir, port).arg("demo-data").output().unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has 40 clients"));
    let help = command(&dir, port).arg("help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("backup FILE") && help.contains("restore FILE"), "{help}");
}
