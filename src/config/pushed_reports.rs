//! The weekly and monthly reports pushed to the owner (`[reports]`, issue 15 part E): which of
//! them run, and the address they are e-mailed to. The address is not a secret, so a file may set
//! it; the environment overrides (`REPORT_EMAIL`, `REPORTS_WEEKLY`, `REPORTS_MONTHLY`).

use anyhow::{bail, Context};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSettings {
    /// Monday 09:00 business time: the previous Monday–Sunday.
    pub weekly: bool,
    /// The 1st at 09:00 business time: the previous calendar month.
    pub monthly: bool,
    /// Where the reports are e-mailed (besides Telegram); unset, nothing is e-mailed.
    pub email: Option<String>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings { weekly: true, monthly: true, email: None }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileReports {
    weekly: Option<bool>,
    monthly: Option<bool>,
    email: Option<String>,
}

fn check_address(raw: &str, source: &str) -> anyhow::Result<String> {
    let addr = raw.trim();
    addr.parse::<lettre::Address>().with_context(|| format!("{source}: `{raw}` is not an e-mail address"))?;
    Ok(addr.to_string())
}

fn flag(raw: &str, source: &str) -> anyhow::Result<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("{source}: `{raw}` is not true or false"),
    }
}

impl ReportSettings {
    pub(super) fn apply_file(&mut self, f: FileReports, src: &str) -> anyhow::Result<()> {
        self.weekly = f.weekly.unwrap_or(self.weekly);
        self.monthly = f.monthly.unwrap_or(self.monthly);
        if let Some(v) = f.email.filter(|v| !v.trim().is_empty()) {
            self.email = Some(check_address(&v, &format!("{src}: [reports] email"))?);
        }
        Ok(())
    }

    pub(super) fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = get("REPORT_EMAIL") {
            self.email = Some(check_address(&v, "REPORT_EMAIL")?);
        }
        if let Some(v) = get("REPORTS_WEEKLY") {
            self.weekly = flag(&v, "REPORTS_WEEKLY")?;
        }
        if let Some(v) = get("REPORTS_MONTHLY") {
            self.monthly = flag(&v, "REPORTS_MONTHLY")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_env_and_bad_values_refused() {
        let mut r = ReportSettings::default();
        let f: FileReports = toml::from_str("weekly = false\nemail = \"owner@example.com\"").unwrap();
        r.apply_file(f, "local.toml").unwrap();
        assert_eq!(r, ReportSettings { weekly: false, monthly: true, email: Some("owner@example.com".into()) });
        r.apply_env(|k| (k == "REPORTS_MONTHLY").then(|| "off".to_string())).unwrap();
        assert!(!r.monthly);
        let err = r.apply_env(|k| (k == "REPORT_EMAIL").then(|| "not an address".to_string())).unwrap_err();
        assert!(err.to_string().contains("REPORT_EMAIL"), "{err}");
    }
}
