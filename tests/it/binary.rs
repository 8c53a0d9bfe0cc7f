//! The real binary as a user runs it: subcommands, a clean SIGTERM, the benchmark.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_insoles-crm");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn command(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::new(BIN);
    c.env("DATABASE_URL", format!("sqlite://{}", dir.path().join("crm.db").display()))
        .env("CONFIG_DIR", dir.path())
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    c
}

#[test]
fn demo_data_fills_a_fresh_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(&dir).arg("demo-data").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("demo data: 40 clients"));
    let again = command(&dir).arg("demo-data").output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has 40 clients"));
}

#[test]
fn unknown_subcommand_prints_usage_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(&dir).arg("frobnicate").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown command `frobnicate`") && err.contains("demo-data"), "{err}");
}

/// Reads a child's stderr on a thread from the start, so a chatty log never fills the pipe and
/// blocks the child (it would then never stop); the text comes back when the child has exited.
fn drain_stderr(child: &mut std::process::Child) -> std::thread::JoinHandle<String> {
    let mut err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut log = String::new();
        err.read_to_string(&mut log).unwrap();
        log
    })
}

#[test]
fn serve_without_a_token_runs_http_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let started = Instant::now();
    let mut child = command(&dir)
        .arg("serve")
        .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = drain_stderr(&mut child);
    let health = loop {
        let ok = command(&dir).arg("healthcheck").env("HTTP_ADDR", format!("127.0.0.1:{port}")).output().unwrap();
        if ok.status.success() {
            break ok;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "never became healthy");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(String::from_utf8_lossy(&health.stdout).trim(), "ok");
    assert!(dir.path().join("crm.db").exists(), "the database file is created on first run");
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let status = child.wait().unwrap();
    let log = stderr.join().unwrap();
    assert!(status.success(), "{log}");
    assert!(log.contains("TELEGRAM_BOT_TOKEN is not set"), "{log}");
    assert!(log.contains("stopped cleanly"), "{log}");
}

/// Secrets the process is given (the parts that must never reach its log).
const SECRETS: [(&str, &str, &str); 4] = [
    ("TELEGRAM_BOT_TOKEN", "7123456789:AAH-secret-bot-token-x9", "AAH-secret-bot-token-x9"),
    ("SMTP_URL", "smtp://studio:SMTP-pass-w0rd@127.0.0.1:1", "SMTP-pass-w0rd"),
    ("TURBOSMS_TOKEN", "TURBOSMS-secret-token-0123", "TURBOSMS-secret-token-0123"),
    ("CALENDAR_FEED_SECRET", "feed-secret-abcdef0123456789", "feed-secret-abcdef0123456789"),
];

/// The token goes into every Bot API URL; with the API unreachable, each failed request is
/// logged (at debug level, libraries included): none of those lines may carry a secret.
#[test]
fn serve_with_secrets_never_logs_them_even_when_requests_fail() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let dead_api = format!("http://127.0.0.1:{}", free_port());
    let started = Instant::now();
    let mut serve = command(&dir);
    serve
        .arg("serve")
        .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("TELEGRAM_API_URL", &dead_api)
        .env("OWNER_TELEGRAM_IDS", "4242")
        .env("TURBOSMS_SENDER", "Insoles")
        .env("RUST_LOG", "debug")
        .stderr(Stdio::piped());
    for (name, value, _) in SECRETS {
        serve.env(name, value);
    }
    let mut child = serve.spawn().unwrap();
    let stderr = drain_stderr(&mut child);
    loop {
        let ok = command(&dir).arg("healthcheck").env("HTTP_ADDR", format!("127.0.0.1:{port}")).output().unwrap();
        if ok.status.success() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "never became healthy");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The first getUpdates fails at once; give the log a moment.
    std::thread::sleep(Duration::from_millis(800));
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let status = child.wait().unwrap();
    let log = stderr.join().unwrap();
    assert!(status.success(), "{log}");
    assert!(log.contains("getUpdates failed"), "a Bot API request was made and its failure logged: {log}");
    for (name, _, secret) in SECRETS {
        assert!(!log.contains(secret), "{name} leaked into the log:\n{log}");
    }
}

#[test]
fn bench_runs_end_to_end_on_a_small_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(&dir)
        .args(["bench", "--clients", "300", "--orders", "900", "--updates", "200", "--idle-secs", "1"])
        .env("TMPDIR", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("200 updates from 100 owner chats") && stdout.contains("0 HTTP errors, 0 server errors"),
        "{stdout}"
    );
    assert!(stdout.contains("name fragment") && stdout.contains("start-up to ready"));
    // The echo-bot floor ran on the same updates and the ratio is printed.
    assert!(stdout.contains("echo floor") && stdout.contains("ratio"), "{stdout}");
    // The burst answered every update, and each lean target has a verdict.
    assert!(stdout.contains("burst of 2000") && stdout.contains("2000 answered"), "{stdout}");
    // The load generator's own CPU (senders and fake Bot API) is measured beside each server.
    let load = stdout
        .split_once("the senders and the fake Bot API (this process) ")
        .and_then(|(_, rest)| rest.split_once(" ms per update beside the CRM (beside the echo "))
        .and_then(|(crm, rest)| Some((crm.parse::<f64>().ok()?, rest.split_once(" ms)")?.0.parse::<f64>().ok()?)));
    let (beside_crm, beside_echo) = load.unwrap_or_else(|| panic!("no load generator CPU: {stdout}"));
    assert!(beside_crm > 0.0 && beside_echo > 0.0, "{stdout}");
    assert_eq!(stdout.matches("PASS").count() + stdout.matches("FAIL").count(), 4, "{stdout}");
}

#[test]
fn jobs_and_import_benches_run_on_small_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = command(&dir).args(["bench", "jobs", "--jobs", "300"]).env("TMPDIR", dir.path()).output().unwrap();
    let out = String::from_utf8_lossy(&jobs.stdout);
    assert!(jobs.status.success(), "{out}\n{}", String::from_utf8_lossy(&jobs.stderr));
    assert!(out.contains("300 marked done, 300 sends"), "{out}");
    let import = command(&dir).args(["bench", "import", "--rows", "500"]).env("TMPDIR", dir.path()).output().unwrap();
    let out = String::from_utf8_lossy(&import.stdout);
    assert!(import.status.success(), "{out}\n{}", String::from_utf8_lossy(&import.stderr));
    assert!(out.contains("stats: 500 rows") && out.contains("Імпортовано клієнтів: 500"), "{out}");
}
