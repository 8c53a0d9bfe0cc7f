//! Settings of the services beyond this machine: the LLM engine and the SMS, e-mail and
//! Instagram senders. Plain data read from the environment (secrets never from files).

use super::{check_url, Secret};
use anyhow::Context;

/// The LLM engine (`LLM_*`).
#[derive(Debug, Clone)]
pub struct LlmSettings {
    pub api_url: String,
    pub api_key: Secret,
    pub model: String,
    pub timeout: std::time::Duration,
    pub retries: u32,
    pub daily_budget: u64,
}

/// SMS, e-mail and Instagram senders (see `notify`); each is off until configured.
#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub token: Secret,
    pub sender: String,
    pub api_url: String,
}

#[derive(Debug, Clone)]
pub struct EmailConfig {
    pub url: Secret,
    pub from: String,
}

/// The Graph API for Instagram Direct (`INSTAGRAM_API_URL`, `INSTAGRAM_ACCESS_TOKEN`).
#[derive(Debug, Clone)]
pub struct InstagramConfig {
    pub api_url: String,
    pub token: Secret,
}

#[derive(Debug, Clone, Default)]
pub struct NotifyConfig {
    pub sms: Option<SmsConfig>,
    pub email: Option<EmailConfig>,
    pub instagram: Option<InstagramConfig>,
}

/// The LLM engine's settings (`LLM_*` variables, all from the environment); None without
/// `LLM_API_KEY`.
pub fn llm_from_env(env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<LlmSettings>> {
    let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    let Some(key) = get("LLM_API_KEY") else { return Ok(None) };
    let num = |k: &str, default: u64| -> anyhow::Result<u64> {
        match get(k) {
            Some(v) => v.trim().parse().with_context(|| format!("{k} must be a whole number, got {v:?}")),
            None => Ok(default),
        }
    };
    Ok(Some(LlmSettings {
        api_url: check_url(
            &get("LLM_API_URL").unwrap_or_else(|| "https://openrouter.ai/api/v1".into()),
            "LLM_API_URL",
        )?,
        api_key: Secret::new(key.trim()),
        model: get("LLM_MODEL").unwrap_or_else(|| "openai/gpt-4o-mini".into()),
        timeout: std::time::Duration::from_millis(num("LLM_TIMEOUT_MS", 8000)?),
        retries: num("LLM_RETRIES", 1)? as u32,
        daily_budget: num("LLM_DAILY_BUDGET", 500)?,
    }))
}

/// The SMS, e-mail and Instagram senders from the environment (`TURBOSMS_*`, `SMTP_*`,
/// `INSTAGRAM_API_URL`, `INSTAGRAM_ACCESS_TOKEN`); each is off until its key is set.
pub fn notify_from_env(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<NotifyConfig> {
    let mut n = NotifyConfig::default();
    if let Some(token) = get("TURBOSMS_TOKEN") {
        let sender = get("TURBOSMS_SENDER")
            .context("TURBOSMS_SENDER: the approved sender name is required with TURBOSMS_TOKEN")?;
        let api_url = check_url(
            &get("TURBOSMS_API_URL").unwrap_or_else(|| "https://api.turbosms.ua".into()),
            "TURBOSMS_API_URL",
        )?;
        n.sms = Some(SmsConfig { token: Secret::new(token.trim()), sender: sender.trim().to_string(), api_url });
    }
    if let Some(url) = get("SMTP_URL") {
        anyhow::ensure!(
            url.starts_with("smtp://") || url.starts_with("smtps://"),
            "SMTP_URL: must start with smtp:// or smtps://"
        );
        let from = get("SMTP_FROM").unwrap_or_else(|| "Insoles CRM <noreply@localhost>".into());
        n.email = Some(EmailConfig { url: Secret::new(url.trim()), from });
    }
    if let Some(token) = get("INSTAGRAM_ACCESS_TOKEN") {
        let api_url = check_url(
            &get("INSTAGRAM_API_URL").unwrap_or_else(|| "https://graph.instagram.com/v22.0".into()),
            "INSTAGRAM_API_URL",
        )?;
        n.instagram = Some(InstagramConfig { api_url, token: Secret::new(token.trim()) });
    }
    Ok(n)
}
