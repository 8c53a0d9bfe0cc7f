//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `info`, quieter for libraries).
//!
//! rig-core (the LLM client) logs whole requests at debug/trace, clients' messages included, so
//! its targets (`rig`, `rig_core`) stay at `warn` even when `RUST_LOG` asks for `trace`
//! everywhere; only a `RUST_LOG` that names them explicitly turns them up.

/// Targets that may carry clients' words in their debug logs.
const PRIVATE_TARGETS: [&str; 2] = ["rig", "rig_core"];

/// The filter directives for `RUST_LOG` (None when unset or empty) and `quiet`.
pub fn directives(rust_log: Option<&str>, quiet: bool) -> String {
    let base = match rust_log.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.to_string(),
        None if quiet => "warn".to_string(),
        None => "info,sqlx=warn,teloxide=warn,hyper=warn,reqwest=warn".to_string(),
    };
    let mut out = base.clone();
    for target in PRIVATE_TARGETS {
        let named = base.split(',').any(|d| {
            let t = d.trim().split(['=', '[']).next().unwrap_or("");
            t == target || t.starts_with(&format!("{target}::"))
        });
        if !named {
            out.push_str(&format!(",{target}=warn"));
        }
    }
    out
}

/// `quiet` (the console chat) shows only warnings unless `RUST_LOG` says otherwise, so log lines
/// do not interleave with the conversation.
pub fn init(quiet: bool) {
    let wanted = directives(std::env::var("RUST_LOG").ok().as_deref(), quiet);
    let filter = tracing_subscriber::EnvFilter::try_new(&wanted)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(directives(None, quiet)));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rig_stays_at_warn_unless_named() {
        assert_eq!(directives(Some("trace"), false), "trace,rig=warn,rig_core=warn");
        assert!(directives(None, false).starts_with("info,sqlx=warn"));
        assert!(directives(None, false).ends_with(",rig=warn,rig_core=warn"));
        assert_eq!(directives(None, true), "warn,rig=warn,rig_core=warn");
        assert_eq!(directives(Some(" "), true), "warn,rig=warn,rig_core=warn");
        // Named explicitly: the operator asked for it.
        assert_eq!(directives(Some("trace,rig=trace"), false), "trace,rig=trace,rig_core=warn");
        assert_eq!(directives(Some("rig::completion=debug"), false), "rig::completion=debug,rig_core=warn");
        // A target that merely starts with the letters is not rig.
        assert_eq!(directives(Some("rigging=debug"), false), "rigging=debug,rig=warn,rig_core=warn");
        for d in [directives(Some("trace"), false), directives(None, false), directives(None, true)] {
            tracing_subscriber::EnvFilter::try_new(&d).unwrap();
        }
    }

    #[test]
    fn trace_everywhere_does_not_enable_rig_debug() {
        use tracing_subscriber::layer::SubscriberExt;
        let filter = tracing_subscriber::EnvFilter::try_new(directives(Some("trace"), false)).unwrap();
        let subscriber = tracing_subscriber::registry().with(filter);
        tracing::subscriber::with_default(subscriber, || {
            assert!(tracing::enabled!(target: "insoles_crm::core", tracing::Level::TRACE));
            assert!(!tracing::enabled!(target: "rig::completion", tracing::Level::DEBUG));
            assert!(!tracing::enabled!(target: "rig_core", tracing::Level::INFO));
            assert!(tracing::enabled!(target: "rig::completion", tracing::Level::WARN));
        });
    }
}
