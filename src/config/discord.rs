//! Settings of the Discord front end (issue 17), only from the environment: `DISCORD_TOKEN` (a
//! secret, redacted), `DISCORD_OWNER_IDS` (the Discord user ids that are the owner; everyone else
//! is a client) and `DISCORD_API_URL` (replaces `https://discord.com`, for tests on loopback).
//! Without a token nothing of Discord starts.

use super::{check_url, Secret};
use anyhow::Context;

pub const DEFAULT_DISCORD_API_URL: &str = "https://discord.com";

#[derive(Debug, Clone)]
pub struct DiscordSettings {
    pub token: Option<Secret>,
    pub owner_ids: Vec<u64>,
    pub api_url: String,
    /// Discord drops an interaction not answered within 3 s: work still running after this long
    /// is deferred first ("thinking…" / a silent acknowledgement) and its answer then edits that.
    pub defer_after: std::time::Duration,
}

impl Default for DiscordSettings {
    fn default() -> Self {
        DiscordSettings {
            token: None,
            owner_ids: vec![],
            api_url: DEFAULT_DISCORD_API_URL.into(),
            defer_after: std::time::Duration::from_millis(2000),
        }
    }
}

impl DiscordSettings {
    pub fn enabled(&self) -> bool {
        self.token.is_some()
    }
}

pub(super) fn from_env(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<DiscordSettings> {
    let mut s = DiscordSettings { token: get("DISCORD_TOKEN").map(|v| Secret::new(v.trim())), ..Default::default() };
    if let Some(v) = get("DISCORD_API_URL") {
        s.api_url = check_url(&v, "DISCORD_API_URL")?;
    }
    if let Some(v) = get("DISCORD_OWNER_IDS") {
        s.owner_ids = v
            .split([',', ' ', ';'])
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                p.trim().parse::<u64>().with_context(|| format!("DISCORD_OWNER_IDS: `{p}` is not a Discord user id"))
            })
            .collect::<anyhow::Result<_>>()?;
    }
    if s.token.is_some() && s.owner_ids.is_empty() {
        tracing::warn!("DISCORD_TOKEN is set without DISCORD_OWNER_IDS: everyone on Discord is a client");
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_ids_token_and_url_come_from_the_environment() {
        let env = |k: &str| match k {
            "DISCORD_TOKEN" => Some(" abc.def ".to_string()),
            "DISCORD_OWNER_IDS" => Some("123456789012345678, 42".to_string()),
            "DISCORD_API_URL" => Some("http://127.0.0.1:9/".to_string()),
            _ => None,
        };
        let s = from_env(env).unwrap();
        assert_eq!(s.token.as_ref().map(Secret::expose), Some("abc.def"));
        assert_eq!(s.owner_ids, vec![123456789012345678, 42]);
        assert_eq!(s.api_url, "http://127.0.0.1:9");
        assert!(!format!("{s:?}").contains("abc.def"), "the token is redacted");
        assert!(from_env(|k| (k == "DISCORD_OWNER_IDS").then(|| "me".to_string())).is_err());
        assert!(!from_env(|_| None).unwrap().enabled());
    }
}
