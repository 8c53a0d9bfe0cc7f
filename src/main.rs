//! `insoles-crm [serve|console|demo-data|bench|help]`: parse the command line, load settings,
//! run. Everything else lives in the library.

use anyhow::Context;
use insoles_crm::config::Settings;
use insoles_crm::{bench, channels, demo, shutdown_signal, telemetry, App};
use std::io::IsTerminal;

const USAGE: &str = "\
Insoles CRM — the studio's operations system (Telegram bot, console, HTTP).

Usage: insoles-crm [COMMAND]

Commands:
  serve       run everything: HTTP, scheduler, Telegram when TELEGRAM_BOT_TOKEN is set,
              and the console chat when there is no token and stdin is a terminal (default)
  console     the owner's chat in this terminal, over the same database
  demo-data   fill a fresh database with realistic sample clients and orders
  bench       measure search, update handling, memory and start-up (see README)
  healthcheck exit 0 when this machine's running server answers /healthz (for Docker)
  help        this text

Settings: config/default.toml, then environment variables (see README).";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
            let settings = Settings::load()?;
            let app = App::build(settings).await?;
            let core = app.core();
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            channels::console::run(core.clone(), stdin, tokio::io::stdout()).await?;
            core.store().close().await;
            Ok(())
        }
        "demo-data" => {
            let settings = Settings::load()?;
            let store =
                insoles_crm::store::Store::open(&settings.database_url).await.context("opening the database")?;
            let report = demo::fill(&store, settings.business_tz).await?;
            println!("{report}");
            store.close().await;
            Ok(())
        }
        "bench" => bench::run(&args[1..]).await,
        "healthcheck" => healthcheck().await,
        other => anyhow::bail!("unknown command `{other}`\n\n{USAGE}"),
    }
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
