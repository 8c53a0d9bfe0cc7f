//! Limits and access rules of the HTTP server (`[http]` in the settings file, `HTTP_*`,
//! `TRUSTED_PROXIES` and `METRICS_TOKEN` in the environment).
//!
//! Defaults are chosen so that a studio's server cannot be exhausted by idle or slow connections:
//! a client has 10 s to send its request headers (also the idle limit of a kept-alive connection),
//! a request 30 s to be read and answered, at most 512 connections are open at once (more wait in
//! the kernel's queue, costing no file descriptor), and a shutdown waits at most 10 s for them.

use super::Secret;
use crate::channels::client_ip::TrustedProxies;
use anyhow::{bail, Context};
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Time to receive a request's headers, and the idle limit between kept-alive requests
    /// (`HTTP_HEADER_TIMEOUT_SECS`, 1..=30).
    pub header_read_timeout: Duration,
    /// Time to read a request's body and answer it (`HTTP_REQUEST_TIMEOUT_SECS`, 1..=300).
    pub request_timeout: Duration,
    /// Connections served at once (`HTTP_MAX_CONNECTIONS`, 1..=10000).
    pub max_connections: usize,
    /// How long a shutdown waits for open connections (`HTTP_SHUTDOWN_DEADLINE_SECS`, 0..=120).
    pub shutdown_deadline: Duration,
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`: IPs or CIDRs).
    pub trusted_proxies: TrustedProxies,
    /// When set, `/metrics` wants `Authorization: Bearer <token>` (`METRICS_TOKEN`, env only).
    pub metrics_token: Option<Secret>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
            shutdown_deadline: Duration::from_secs(10),
            trusted_proxies: TrustedProxies::default(),
            metrics_token: None,
        }
    }
}

/// `[http]` in a settings file (the metrics token is a secret: environment only).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileHttp {
    header_timeout_secs: Option<u64>,
    request_timeout_secs: Option<u64>,
    max_connections: Option<u64>,
    shutdown_deadline_secs: Option<u64>,
    trusted_proxies: Option<Vec<String>>,
}

fn in_range(v: u64, what: &str, range: std::ops::RangeInclusive<u64>) -> anyhow::Result<u64> {
    if !range.contains(&v) {
        bail!("{what} = {v} is outside {range:?}");
    }
    Ok(v)
}

fn proxies(raw: &str, what: &str) -> anyhow::Result<TrustedProxies> {
    TrustedProxies::parse(raw)
        .map_err(|bad| anyhow::anyhow!("{what}: `{bad}` is not an IP address or a network like 10.0.0.0/8"))
}

impl HttpSettings {
    pub(super) fn apply_file(&mut self, f: FileHttp, src: &str) -> anyhow::Result<()> {
        let at = |k: &str| format!("{src}: http.{k}");
        if let Some(v) = f.header_timeout_secs {
            self.header_read_timeout = Duration::from_secs(in_range(v, &at("header_timeout_secs"), 1..=30)?);
        }
        if let Some(v) = f.request_timeout_secs {
            self.request_timeout = Duration::from_secs(in_range(v, &at("request_timeout_secs"), 1..=300)?);
        }
        if let Some(v) = f.max_connections {
            self.max_connections = in_range(v, &at("max_connections"), 1..=10_000)? as usize;
        }
        if let Some(v) = f.shutdown_deadline_secs {
            self.shutdown_deadline = Duration::from_secs(in_range(v, &at("shutdown_deadline_secs"), 0..=120)?);
        }
        if let Some(v) = f.trusted_proxies {
            self.trusted_proxies = proxies(&v.join(","), &at("trusted_proxies"))?;
        }
        Ok(())
    }

    pub(super) fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        let num = |k: &str, range: std::ops::RangeInclusive<u64>| -> anyhow::Result<Option<u64>> {
            match get(k) {
                Some(v) => {
                    let n = v.trim().parse().with_context(|| format!("{k}: `{v}` is not a whole number"))?;
                    Ok(Some(in_range(n, k, range)?))
                }
                None => Ok(None),
            }
        };
        if let Some(v) = num("HTTP_HEADER_TIMEOUT_SECS", 1..=30)? {
            self.header_read_timeout = Duration::from_secs(v);
        }
        if let Some(v) = num("HTTP_REQUEST_TIMEOUT_SECS", 1..=300)? {
            self.request_timeout = Duration::from_secs(v);
        }
        if let Some(v) = num("HTTP_MAX_CONNECTIONS", 1..=10_000)? {
            self.max_connections = v as usize;
        }
        if let Some(v) = num("HTTP_SHUTDOWN_DEADLINE_SECS", 0..=120)? {
            self.shutdown_deadline = Duration::from_secs(v);
        }
        if let Some(v) = get("TRUSTED_PROXIES") {
            self.trusted_proxies = proxies(&v, "TRUSTED_PROXIES")?;
        }
        self.metrics_token = get("METRICS_TOKEN").map(|v| Secret::new(v.trim()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::env;
    use super::super::Settings;
    use std::time::Duration;

    #[test]
    fn http_limits_come_from_file_then_env_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.toml"),
            "[http]\nheader_timeout_secs = 5\nmax_connections = 64\ntrusted_proxies = [\"10.0.0.0/8\"]\n",
        )
        .unwrap();
        let s = Settings::load_from(dir.path(), env(&[("HTTP_MAX_CONNECTIONS", "100"), ("METRICS_TOKEN", "m-secret")]))
            .unwrap();
        assert_eq!(s.http.header_read_timeout, Duration::from_secs(5));
        assert_eq!(s.http.request_timeout, Duration::from_secs(30));
        assert_eq!(s.http.max_connections, 100);
        assert_eq!(s.http.shutdown_deadline, Duration::from_secs(10));
        assert!(s.http.trusted_proxies.contains("10.9.8.7".parse().unwrap()));
        assert_eq!(s.http.metrics_token.as_ref().map(|t| t.expose()), Some("m-secret"));
        assert!(!format!("{s:?}").contains("m-secret"));

        let empty = tempfile::tempdir().unwrap();
        let err = |pairs: &[(&str, &str)]| format!("{:#}", Settings::load_from(empty.path(), env(pairs)).unwrap_err());
        assert!(err(&[("HTTP_HEADER_TIMEOUT_SECS", "60")]).contains("HTTP_HEADER_TIMEOUT_SECS"));
        assert!(err(&[("HTTP_MAX_CONNECTIONS", "many")]).contains("HTTP_MAX_CONNECTIONS"));
        assert!(err(&[("TRUSTED_PROXIES", "10.0.0.1, proxy.local")]).contains("proxy.local"));
        std::fs::write(dir.path().join("default.toml"), "[http]\nmetrics_token = \"x\"\n").unwrap();
        assert!(Settings::load_from(dir.path(), env(&[])).is_err(), "the token is refused in a file");
    }
}
