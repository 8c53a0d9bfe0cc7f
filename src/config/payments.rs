//! Settings of payments (issue 14), all from the environment: Monobank acquiring
//! (`MONOBANK_TOKEN`, `MONOBANK_API_URL`, `MONOBANK_LINK_HOURS`) and the Checkbox cash register
//! for fiscal receipts (`CHECKBOX_LICENSE_KEY` with `CHECKBOX_PIN`, or `CHECKBOX_LOGIN` and
//! `CHECKBOX_PASSWORD`; `CHECKBOX_API_URL`). Each is off until its secret is set.

use super::{check_url, Secret};
use anyhow::{bail, Context};

pub const DEFAULT_MONOBANK_API_URL: &str = "https://api.monobank.ua";
pub const DEFAULT_CHECKBOX_API_URL: &str = "https://api.checkbox.ua";

/// Monobank acquiring: payment links and their webhooks.
#[derive(Debug, Clone)]
pub struct MonobankConfig {
    pub token: Secret,
    pub api_url: String,
    /// How long a payment link can be paid (Monobank's `validity`); 1 hour to 30 days.
    pub validity: chrono::Duration,
}

/// How the cashier signs in to Checkbox.
#[derive(Debug, Clone)]
pub enum CheckboxAuth {
    /// `CHECKBOX_PIN` with the licence key (what Checkbox recommends for a server).
    Pin(Secret),
    /// `CHECKBOX_LOGIN` and `CHECKBOX_PASSWORD`.
    Login { login: String, password: Secret },
}

/// The Checkbox cash register (ПРРО): sell and return receipts.
#[derive(Debug, Clone)]
pub struct CheckboxConfig {
    pub license_key: Secret,
    pub auth: CheckboxAuth,
    pub api_url: String,
}

#[derive(Debug, Clone, Default)]
pub struct PaymentsConfig {
    pub monobank: Option<MonobankConfig>,
    pub checkbox: Option<CheckboxConfig>,
}

/// Reads the payment variables (`get` already drops blank values).
pub fn from_env(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<PaymentsConfig> {
    let mut p = PaymentsConfig::default();
    if let Some(token) = get("MONOBANK_TOKEN") {
        let api_url =
            check_url(&get("MONOBANK_API_URL").unwrap_or_else(|| DEFAULT_MONOBANK_API_URL.into()), "MONOBANK_API_URL")?;
        let hours: i64 = match get("MONOBANK_LINK_HOURS") {
            Some(v) => {
                v.trim().parse().with_context(|| format!("MONOBANK_LINK_HOURS: `{v}` is not a number of hours"))?
            }
            None => 24,
        };
        if !(1..=720).contains(&hours) {
            bail!("MONOBANK_LINK_HOURS: {hours} is outside 1..=720 (Monobank keeps a link at most 30 days)");
        }
        p.monobank = Some(MonobankConfig {
            token: Secret::new(token.trim()),
            api_url,
            validity: chrono::Duration::hours(hours),
        });
    }
    if let Some(key) = get("CHECKBOX_LICENSE_KEY") {
        let auth = match (get("CHECKBOX_PIN"), get("CHECKBOX_LOGIN"), get("CHECKBOX_PASSWORD")) {
            (Some(pin), _, _) => CheckboxAuth::Pin(Secret::new(pin.trim())),
            (None, Some(login), Some(password)) => {
                CheckboxAuth::Login { login: login.trim().to_string(), password: Secret::new(password) }
            }
            _ => bail!("CHECKBOX_LICENSE_KEY is set: set CHECKBOX_PIN, or CHECKBOX_LOGIN and CHECKBOX_PASSWORD"),
        };
        let api_url =
            check_url(&get("CHECKBOX_API_URL").unwrap_or_else(|| DEFAULT_CHECKBOX_API_URL.into()), "CHECKBOX_API_URL")?;
        p.checkbox = Some(CheckboxConfig { license_key: Secret::new(key.trim()), auth, api_url });
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn off_until_configured_and_secrets_redacted() {
        let p = from_env(env(&[])).unwrap();
        assert!(p.monobank.is_none() && p.checkbox.is_none());
        let p = from_env(env(&[
            ("MONOBANK_TOKEN", "mono-secret"),
            ("CHECKBOX_LICENSE_KEY", "lic-secret"),
            ("CHECKBOX_PIN", "pin-secret"),
        ]))
        .unwrap();
        let m = p.monobank.as_ref().unwrap();
        assert_eq!((m.api_url.as_str(), m.validity), (DEFAULT_MONOBANK_API_URL, chrono::Duration::hours(24)));
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("secret"), "{dbg}");
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let e = from_env(env(&[("CHECKBOX_LICENSE_KEY", "k")])).unwrap_err();
        assert!(e.to_string().contains("CHECKBOX_PIN"));
        let e = from_env(env(&[("MONOBANK_TOKEN", "t"), ("MONOBANK_LINK_HOURS", "0")])).unwrap_err();
        assert!(e.to_string().contains("MONOBANK_LINK_HOURS"));
        assert!(from_env(env(&[("MONOBANK_TOKEN", "t"), ("MONOBANK_API_URL", "ftp://x")])).is_err());
        let p = from_env(env(&[("CHECKBOX_LICENSE_KEY", "k"), ("CHECKBOX_LOGIN", "l"), ("CHECKBOX_PASSWORD", "p")]))
            .unwrap();
        assert!(matches!(p.checkbox.unwrap().auth, CheckboxAuth::Login { .. }));
    }
}
