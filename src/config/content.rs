//! Instagram drafts and the content calendar (issue 16, Content): `<CONFIG_DIR>/content.toml`
//! when present, else the shipped `config/content.toml` built in. The owner edits it: her voice
//! (a description and one to three sample posts), calls to action, the hashtags every post gets,
//! the season table (months → an opening line, topics to suggest, hashtags, a photo idea), the
//! topics (words → a knowledge base entry, its hashtags and photo idea) and the hour of the
//! publish-day reminder (`reminder_hour`; `CONTENT_REMINDER_HOUR` overrides).

use anyhow::{bail, Context};
use serde::Deserialize;
use std::path::Path;

/// The shipped file, also the default when the config directory has none.
pub const DEFAULT_FILE: &str = include_str!("../../config/content.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Season {
    pub code: String,
    pub months: Vec<u32>,
    pub line: String,
    pub topics: Vec<String>,
    pub hashtags: Vec<String>,
    pub image: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentTopic {
    /// A section id of the knowledge base.
    pub kb: String,
    /// Beginnings of words that pick this topic.
    pub words: Vec<String>,
    #[serde(default)]
    pub hashtags: Vec<String>,
    #[serde(default)]
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    pub reminder_hour: u32,
    pub voice: String,
    pub samples: Vec<String>,
    pub calls_to_action: Vec<String>,
    pub hashtags: Vec<String>,
    #[serde(rename = "season")]
    pub seasons: Vec<Season>,
    #[serde(rename = "topic", default)]
    pub topics: Vec<ContentTopic>,
}

impl Default for ContentSettings {
    fn default() -> Self {
        parse(DEFAULT_FILE, "config/content.toml (built in)").expect("the shipped content.toml is valid")
    }
}

impl ContentSettings {
    /// The season of a month (every month has one: checked when loading).
    pub fn season(&self, month: u32) -> &Season {
        self.seasons.iter().find(|s| s.months.contains(&month)).unwrap_or(&self.seasons[0])
    }
}

fn hashtag_ok(t: &str) -> bool {
    t.len() > 1 && t.starts_with('#') && !t[1..].contains(|c: char| c.is_whitespace() || c == '#')
}

/// Parses and checks a content file.
pub fn parse(text: &str, src: &str) -> anyhow::Result<ContentSettings> {
    let c: ContentSettings = toml::from_str(text).with_context(|| format!("{src}: invalid content settings"))?;
    if c.reminder_hour > 23 {
        bail!("{src}: reminder_hour {} is outside 0..=23", c.reminder_hour);
    }
    if c.voice.trim().is_empty() || !(1..=3).contains(&c.samples.len()) || c.calls_to_action.is_empty() {
        bail!("{src}: a voice, one to three samples and at least one call to action");
    }
    if c.hashtags.len() < 5 {
        bail!("{src}: at least five hashtags every post gets");
    }
    let tags = c
        .hashtags
        .iter()
        .chain(c.seasons.iter().flat_map(|s| &s.hashtags))
        .chain(c.topics.iter().flat_map(|t| &t.hashtags));
    if let Some(bad) = tags.into_iter().find(|t| !hashtag_ok(t)) {
        bail!("{src}: hashtag `{bad}`: a # then one word");
    }
    for month in 1..=12 {
        let n = c.seasons.iter().filter(|s| s.months.contains(&month)).count();
        if n != 1 {
            bail!("{src}: month {month} is in {n} seasons (each month in exactly one)");
        }
    }
    for s in &c.seasons {
        if !(3..=5).contains(&s.topics.len())
            || s.line.trim().is_empty()
            || s.months.iter().any(|m| !(1..=12).contains(m))
        {
            bail!("{src}: season `{}`: months 1-12, a line and three to five topics", s.code);
        }
    }
    if c.topics.iter().any(|t| t.kb.trim().is_empty() || t.words.iter().any(|w| w.trim().chars().count() < 3)) {
        bail!("{src}: every topic names a knowledge base section and words of three letters or more");
    }
    Ok(c)
}

/// Reads `dir/content.toml` (else the built-in default), then `CONTENT_REMINDER_HOUR`.
pub fn load(dir: &Path, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<ContentSettings> {
    let path = dir.join("content.toml");
    let mut c = if path.exists() {
        let src = path.display().to_string();
        parse(&std::fs::read_to_string(&path).with_context(|| format!("reading {src}"))?, &src)?
    } else {
        ContentSettings::default()
    };
    if let Some(v) = get("CONTENT_REMINDER_HOUR") {
        let h: u32 = v.trim().parse().with_context(|| format!("CONTENT_REMINDER_HOUR: `{v}` is not an hour"))?;
        if h > 23 {
            bail!("CONTENT_REMINDER_HOUR: {h} is outside 0..=23");
        }
        c.reminder_hour = h;
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_gives_every_month_its_season() {
        let c = ContentSettings::default();
        assert_eq!(c.reminder_hour, 10);
        assert_eq!(c.season(9).code, "school");
        assert_eq!(c.season(8).code, "school");
        assert_eq!(c.season(4).code, "running");
        assert_eq!(c.season(1).code, "winter");
        assert_eq!(c.season(12).code, "winter");
        assert_eq!(c.season(7).code, "summer");
    }

    #[test]
    fn a_month_in_two_seasons_or_a_bad_hashtag_is_refused() {
        let twice = DEFAULT_FILE.replace("months = [10]", "months = [10, 11]");
        assert!(parse(&twice, "t").unwrap_err().to_string().contains("month 11"));
        let missing = DEFAULT_FILE.replace("months = [10]", "months = []");
        assert!(parse(&missing, "t").unwrap_err().to_string().contains("month 10"));
        let tag = DEFAULT_FILE.replace("\"#зима\"", "\"зима\"");
        assert!(parse(&tag, "t").unwrap_err().to_string().contains("hashtag"));
        let hour = DEFAULT_FILE.replace("reminder_hour = 10", "reminder_hour = 24");
        assert!(parse(&hour, "t").is_err());
    }
}
