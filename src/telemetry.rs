//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `info`, quieter for libraries).

/// `quiet` (the console chat) shows only warnings unless `RUST_LOG` says otherwise, so log lines
/// do not interleave with the conversation.
pub fn init(quiet: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(if quiet {
            "warn"
        } else {
            "info,sqlx=warn,teloxide=warn,hyper=warn,reqwest=warn"
        })
    });
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).try_init();
}
