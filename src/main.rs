//! `insoles-crm [serve|console|demo-data|bench|import|export|backup|restore|help]`: parse the command line, load settings,
//! run. Everything else lives in the library.

use anyhow::Context;
use insoles_crm::config::Settings;
use insoles_crm::instance_lock::UsersLock;
use insoles_crm::memory::thread_cache;
use insoles_crm::{channels, demo, shutdown_signal, telemetry, App};
use std::io::IsTerminal;

const USAGE: &str = "\
Insoles CRM — the studio's operations system (Telegram bot, console, HTTP).

Usage: insoles-crm [COMMAND]

Commands:
  serve       run everything: HTTP, scheduler, Telegram when TELEGRAM_BOT_TOKEN is set,
              and the console chat when there is no token and stdin is a terminal (default)
  console     the owner's chat in this terminal, over the same database
  demo-data   fill a fresh database with realistic sample clients and orders
  bench [crm|jobs|import|slots|assistant|payments|summary|campaign|ask|all]
              measure search, updates, memory, start-up, jobs and import (see README)
  healthcheck exit 0 when this machine's running server answers /healthz (for Docker)
  import clients FILE [--dry-run] [--stats]
              import clients from .xlsx/.xls/.ods/.csv: prints the preview, then imports all
              valid rows in one transaction (--dry-run: preview only)
  assistant classify [--kb FILE]
              JSON lines with id and text on stdin, one prediction per line on stdout
              (offline engine; knowledge base config/knowledge.md by default)
  assistant crossval [--kb FILE] [--folds N]
              labelled JSON lines on stdin; each predicted by a model trained without its
              fold (N = 5 by default): the honest figure for data the model learned from
  export FILE.xlsx
              write clients, orders and the timeline to a workbook
  backup FILE a consistent copy of the database (safe while the server runs); the server
              also writes one nightly to BACKUP_DIR (default data/backups), keeping 14
  restore FILE
              replace the database with a backup (the server must be stopped); the
              current database is kept beside it as <db>.before-restore-<time>
  help        this text

Settings: config/default.toml, then environment variables (see README).";

#[global_allocator]
static ALLOCATOR: thread_cache::ThreadCache = thread_cache::ThreadCache;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    // The benchmarks' own processes (the load, the fake Bot API, the echo floor of `bench crm`)
    // stay on glibc's defaults, as the figures before this cache were measured; the server they
    // start is `serve`.
    if args.first().map(String::as_str) != Some("bench") {
        runtime.on_thread_start(thread_cache::enable).on_thread_stop(thread_cache::flush);
    }
    let runtime = runtime.build().expect("the tokio runtime starts");
    runtime.block_on(async_main(args));
}

async fn async_main(args: Vec<String>) {
    let console = match args.first().map(String::as_str) {
        Some("console") => true,
        None | Some("serve") => {
            std::env::var("TELEGRAM_BOT_TOKEN").map(|t| t.trim().is_empty()).unwrap_or(true)
                && std::io::stdin().is_terminal()
        }
        _ => false,
    };
    telemetry::init(console);
    if let Err(e) = run(args).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run(args: Vec<String>) -> anyhow::Result<()> {
    let command = args.first().map(String::as_str).unwrap_or("serve");
    match command {
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        "--version" | "-V" => {
            println!("insoles-crm {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "serve" => serve().await,
        "console" => {
            // Beside a running server: same database, no jobs worker, nothing reclaimed.
            let settings = Settings::load()?;
            let _users = UsersLock::shared_for_url(&settings.database_url)?;
            let core = App::console_core(&settings).await?;
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            channels::console::run(core.clone(), stdin, tokio::io::stdout()).await?;
            core.store().close().await;
            Ok(())
        }
        "demo-data" => {
            let settings = Settings::load()?;
            let _users = UsersLock::shared_for_url(&settings.database_url)?;
            let store =
                insoles_crm::store::Store::open(&settings.database_url).await.context("opening the database")?;
            let report = demo::fill(&store, settings.business_tz).await?;
            println!("{report}");
            store.close().await;
            Ok(())
        }
        #[cfg(feature = "bench")]
        "bench" => insoles_crm::bench::run(&args[1..]).await,
        #[cfg(not(feature = "bench"))]
        "bench" => anyhow::bail!(
            "this build has no benchmarks (they bring test fakes the server does not need): \
             cargo run --release --features bench -- bench all"
        ),
        "healthcheck" => healthcheck().await,
        "import" => import(&args[1..]).await,
        "export" => export(&args[1..]).await,
        "backup" => backup(&args[1..]).await,
        "restore" => restore(&args[1..]).await,
        "assistant" => assistant(&args[1..]).await,
        other => anyhow::bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// `assistant classify|crossval|bench`: the assistant's offline tools.
async fn assistant(rest: &[String]) -> anyhow::Result<()> {
    const USAGE: &str = "usage: insoles-crm assistant classify|crossval [--kb FILE] [--folds N]";
    let option = |name: &str| -> anyhow::Result<Option<String>> {
        match rest.iter().position(|a| a == name) {
            Some(i) => Ok(Some(rest.get(i + 1).cloned().with_context(|| format!("{name} needs a value"))?)),
            None => Ok(None),
        }
    };
    let kb = option("--kb")?.unwrap_or_else(|| "config/knowledge.md".into());
    let text = std::fs::read_to_string(&kb).with_context(|| format!("reading the knowledge base {kb}"))?;
    match rest.first().map(String::as_str) {
        Some("classify") => {
            let llm = insoles_crm::config::llm_from_env(|k| std::env::var(k).ok())?;
            let n = match llm {
                Some(l) => {
                    insoles_crm::assistant::classify_llm(&text, l, std::io::stdin().lock(), std::io::stdout().lock())
                        .await?
                }
                None => insoles_crm::assistant::classify(&text, std::io::stdin().lock(), std::io::stdout().lock())?,
            };
            eprintln!("classified {n} messages");
        }
        Some("crossval") => {
            let folds = option("--folds")?.map(|f| f.parse::<usize>()).transpose().context("--folds")?.unwrap_or(5);
            let gold = std::io::read_to_string(std::io::stdin().lock())?;
            let n = insoles_crm::assistant::cross_validate(&text, &gold, folds, std::io::stdout().lock())?;
            eprintln!("predicted {n} messages, each by a model that did not learn from it ({folds} folds)");
        }
        _ => anyhow::bail!(USAGE),
    }
    Ok(())
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    let app = App::build(settings).await?;
    let console = !app.has_bot() && std::io::stdin().is_terminal();
    if !console {
        return app.run(shutdown_signal()).await;
    }
    println!("No TELEGRAM_BOT_TOKEN: opening the console chat. HTTP on http://{}/healthz", app.http_addr());
    let core = app.core();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run(async move {
        tokio::select! { _ = shutdown_signal() => {}, _ = done_rx => {} }
    }));
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    let result = channels::console::run(core, stdin, tokio::io::stdout()).await;
    let _ = done_tx.send(());
    server.await.context("server task")??;
    result
}

/// GET /healthz on the configured HTTP_ADDR (a wildcard address is asked on loopback).
async fn healthcheck() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    let mut addr = settings.http_addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(3)).build()?;
    let response = client.get(format!("http://{addr}/healthz")).send().await.context("no answer from /healthz")?;
    anyhow::ensure!(response.status().is_success(), "/healthz answered {}", response.status());
    println!("ok");
    Ok(())
}

fn cli_lang() -> insoles_crm::i18n::Lang {
    insoles_crm::i18n::Lang::from_hint(std::env::var("LANG").ok().as_deref())
}

/// `import clients FILE [--dry-run] [--stats]`
async fn import(args: &[String]) -> anyhow::Result<()> {
    use insoles_crm::core::{import, CoreError};
    use insoles_crm::i18n::{I18n, Tr};
    let started = std::time::Instant::now();
    let (kind, rest) =
        args.split_first().ok_or_else(|| anyhow::anyhow!("usage: insoles-crm import clients FILE [--dry-run]"))?;
    anyhow::ensure!(kind == "clients", "only `import clients FILE` is supported");
    let file = rest
        .iter()
        .find(|a| !a.starts_with("--"))
        .ok_or_else(|| anyhow::anyhow!("usage: insoles-crm import clients FILE [--dry-run]"))?;
    let dry_run = rest.iter().any(|a| a == "--dry-run");
    let stats = rest.iter().any(|a| a == "--stats");
    let i18n = I18n::load()?;
    let tr = Tr { i18n: &i18n, lang: cli_lang() };
    let size = std::fs::metadata(file).with_context(|| format!("reading {file}"))?.len();
    let refuse = |e: CoreError| -> anyhow::Error {
        match e {
            CoreError::User { key, args } => anyhow::anyhow!("{file}: {}", tr.t_args(key, &args)),
            other => anyhow::anyhow!(other),
        }
    };
    import::check_size(size).map_err(refuse)?;
    let name = std::path::Path::new(file).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let bytes = std::fs::read(file).with_context(|| format!("reading {file}"))?;
    let rows = import::read(bytes).await.map_err(|e| refuse(import::sheet_error(&e)))?;
    let settings = Settings::load()?;
    let _users = UsersLock::shared_for_url(&settings.database_url)?;
    let store = insoles_crm::store::Store::open(&settings.database_url).await.context("opening the database")?;
    let today = chrono::Utc::now().with_timezone(&settings.business_tz).date_naive();
    let then = if dry_run { import::Then::Preview } else { import::Then::ImportNow { channel: "import" } };
    let run = import::run(&store, &tr, &name, rows, today, then).await.map_err(refuse)?;
    println!("{}", run.preview);
    if let import::After::Imported(done) = run.after {
        println!("\n{}", done.text(&tr));
    }
    store.close().await;
    if stats {
        let peak = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
            })
            .unwrap_or_default();
        println!("\nstats: {} rows in {:.2} s, peak RSS {} kB", run.rows_read, started.elapsed().as_secs_f64(), peak);
    }
    Ok(())
}

/// `export FILE.xlsx`
async fn export(args: &[String]) -> anyhow::Result<()> {
    let file = args.first().ok_or_else(|| anyhow::anyhow!("usage: insoles-crm export FILE.xlsx"))?;
    let settings = Settings::load()?;
    let _users = UsersLock::shared_for_url(&settings.database_url)?;
    let store = insoles_crm::store::Store::open(&settings.database_url).await.context("opening the database")?;
    let i18n = insoles_crm::i18n::I18n::load()?;
    let tr = insoles_crm::i18n::Tr { i18n: &i18n, lang: cli_lang() };
    let bytes = insoles_crm::spreadsheet::export::workbook(&store, tr, settings.business_tz).await?;
    std::fs::write(file, &bytes).with_context(|| format!("writing {file}"))?;
    println!("{}", tr.t_args("export-done", &[("count", store.client_count().await?.into())]));
    store.close().await;
    Ok(())
}

/// `backup FILE`: a consistent copy while the server may be running (no instance lock needed).
async fn backup(args: &[String]) -> anyhow::Result<()> {
    let file = args.first().ok_or_else(|| anyhow::anyhow!("usage: insoles-crm backup FILE"))?;
    let settings = Settings::load()?;
    let _users = UsersLock::shared_for_url(&settings.database_url)?;
    let store = insoles_crm::store::Store::open(&settings.database_url).await.context("opening the database")?;
    let result = insoles_crm::backup::backup_to(&store, std::path::Path::new(file)).await;
    store.close().await;
    result?;
    let i18n = insoles_crm::i18n::I18n::load()?;
    let tr = insoles_crm::i18n::Tr { i18n: &i18n, lang: cli_lang() };
    println!("{}", tr.t_args("backup-done", &[("file", file.as_str().into())]));
    Ok(())
}

/// `restore FILE`: only while no server runs on the database (the instance lock says so).
async fn restore(args: &[String]) -> anyhow::Result<()> {
    use insoles_crm::backup::BackupError;
    use insoles_crm::instance_lock::{InstanceLock, LockError};
    let file = args.first().ok_or_else(|| anyhow::anyhow!("usage: insoles-crm restore FILE"))?;
    let settings = Settings::load()?;
    let i18n = insoles_crm::i18n::I18n::load()?;
    let tr = insoles_crm::i18n::Tr { i18n: &i18n, lang: cli_lang() };
    let db = insoles_crm::store::files::db_path(&settings.database_url)
        .ok_or_else(|| anyhow::anyhow!("DATABASE_URL names no file: nothing to restore into"))?;
    let _lock = match InstanceLock::acquire(&db) {
        Ok(lock) => lock,
        Err(e @ LockError::Held { .. }) => anyhow::bail!("{}\n({e})", tr.t("restore-running")),
        Err(e) => return Err(e.into()),
    };
    let _users = match UsersLock::exclusive(&db) {
        Ok(lock) => lock,
        Err(e @ LockError::InUse { .. }) => anyhow::bail!("{}\n({e})", tr.t("restore-running")),
        Err(e) => return Err(e.into()),
    };
    match insoles_crm::backup::restore(std::path::Path::new(file), &db).await {
        Ok(previous) => {
            let previous = previous.map(|p| p.display().to_string()).unwrap_or_else(|| "—".into());
            println!("{}", tr.t_args("restore-done", &[("file", file.as_str().into()), ("previous", previous.into())]));
            Ok(())
        }
        Err(BackupError::NotOurs(reason)) => {
            anyhow::bail!(
                "{}",
                tr.t_args("restore-not-ours", &[("file", file.as_str().into()), ("reason", reason.into())])
            )
        }
        Err(e) => Err(e.into()),
    }
}
