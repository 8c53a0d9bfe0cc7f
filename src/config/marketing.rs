//! Marketing e-mail (issue 16): the sequences in `<CONFIG_DIR>/sequences.toml` (each a trigger and
//! its steps, a day offset and a text key under `locales/*/marketing.ftl`), how many e-mails a
//! minute the SMTP server takes (`smtp_rate_per_min` in that file, `SMTP_RATE_PER_MIN` overrides),
//! the secret that signs unsubscribe links (`UNSUBSCRIBE_SECRET`, environment only; unset, a key
//! made once and kept in the database) and the `mailto:` address for `List-Unsubscribe`
//! (`UNSUBSCRIBE_MAILTO`, default none: the https link alone).

use super::Secret;
use anyhow::{bail, Context};
use serde::Deserialize;
use std::path::Path;

/// What starts a sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A diagnostics visit she came to, and no order since.
    DiagnosticsNoOrder,
    /// An order issued to her.
    OrderIssued,
}

/// One mail of a sequence: `day` days after the event, texts `<key>-subject` and `<key>-body`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub day: i64,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    pub code: String,
    pub trigger: Trigger,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct MarketingSettings {
    pub sequences: Vec<Sequence>,
    /// E-mails per minute the worker sends at most (campaigns are spaced to it).
    pub rate_per_min: u32,
    pub unsubscribe_secret: Option<Secret>,
    pub unsubscribe_mailto: Option<String>,
}

impl Default for MarketingSettings {
    fn default() -> Self {
        MarketingSettings { sequences: vec![], rate_per_min: 60, unsubscribe_secret: None, unsubscribe_mailto: None }
    }
}

impl MarketingSettings {
    /// The sequence named `code`.
    pub fn sequence(&self, code: &str) -> Option<&Sequence> {
        self.sequences.iter().find(|s| s.code == code)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMarketing {
    smtp_rate_per_min: Option<u32>,
    #[serde(default)]
    sequence: Vec<Sequence>,
}

fn check(s: &Sequence, src: &str) -> anyhow::Result<()> {
    let ok = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok(&s.code.replace('_', "-")) || s.steps.is_empty() {
        bail!("{src}: sequence `{}`: a code of a-z, 0-9, _ and at least one step", s.code);
    }
    for step in &s.steps {
        if !(0..=730).contains(&step.day) || !ok(&step.key) {
            bail!("{src}: sequence `{}`: step day {} (0-730) key `{}` (a-z, 0-9, -)", s.code, step.day, step.key);
        }
    }
    if s.steps.windows(2).any(|w| w[0].day >= w[1].day) {
        bail!("{src}: sequence `{}`: steps in increasing days", s.code);
    }
    Ok(())
}

fn rate(v: u32, src: &str) -> anyhow::Result<u32> {
    if !(1..=10_000).contains(&v) {
        bail!("{src}: smtp rate {v} is outside 1..=10000 per minute");
    }
    Ok(v)
}

/// Reads `dir/sequences.toml` (when present), then the environment.
pub fn load(dir: &Path, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<MarketingSettings> {
    let mut m = MarketingSettings::default();
    let path = dir.join("sequences.toml");
    if path.exists() {
        let src = path.display().to_string();
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {src}"))?;
        let file: FileMarketing = toml::from_str(&text).with_context(|| format!("{src}: invalid sequences"))?;
        for s in &file.sequence {
            check(s, &src)?;
        }
        if let Some(v) = file.smtp_rate_per_min {
            m.rate_per_min = rate(v, &src)?;
        }
        m.sequences = file.sequence;
    }
    if let Some(v) = get("SMTP_RATE_PER_MIN") {
        m.rate_per_min = rate(v.trim().parse().context("SMTP_RATE_PER_MIN: not a number")?, "SMTP_RATE_PER_MIN")?;
    }
    m.unsubscribe_secret = get("UNSUBSCRIBE_SECRET").map(|v| Secret::new(v.trim()));
    if let Some(s) = &m.unsubscribe_secret {
        if s.expose().len() < 16 {
            bail!("UNSUBSCRIBE_SECRET: at least 16 characters (it signs the unsubscribe links)");
        }
    }
    if let Some(v) = get("UNSUBSCRIBE_MAILTO") {
        let addr = v.trim();
        addr.parse::<lettre::Address>().with_context(|| format!("UNSUBSCRIBE_MAILTO: `{addr}` is not an address"))?;
        m.unsubscribe_mailto = Some(addr.to_string());
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_sequences_load_and_env_overrides_the_rate() {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config"));
        let m = load(dir, |k| (k == "SMTP_RATE_PER_MIN").then(|| "600".to_string())).unwrap();
        assert_eq!(m.rate_per_min, 600);
        let codes: Vec<&str> = m.sequences.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["after_diagnostics", "after_issue"]);
        assert_eq!(
            m.sequence("after_diagnostics").unwrap().steps.iter().map(|s| s.day).collect::<Vec<_>>(),
            [1, 3, 10]
        );
        assert!(load(dir, |k| (k == "SMTP_RATE_PER_MIN").then(|| "0".to_string())).is_err());
        assert!(load(dir, |k| (k == "UNSUBSCRIBE_SECRET").then(|| "short".to_string())).is_err());
    }

    #[test]
    fn bad_steps_are_refused() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("sequences.toml"),
            "[[sequence]]\ncode = \"x\"\ntrigger = \"order_issued\"\nsteps = [{ day = 3, key = \"a\" }, { day = 1, key = \"b\" }]\n",
        )
        .unwrap();
        assert!(format!("{:#}", load(d.path(), |_| None).unwrap_err()).contains("increasing"));
    }
}
