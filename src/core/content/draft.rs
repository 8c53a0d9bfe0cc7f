//! Drafting one Instagram post from what the studio knows: the knowledge base entries that match
//! the topic, the season of the business date (`content.toml`'s table), the owner's voice.
//!
//! With an LLM configured the draft is one call (`assistant::narrate::complete`), and its answer
//! is checked before the owner sees it ([`check`]): a caption, 5–15 hashtags that start with `#`,
//! room within Instagram's 2,200 characters for the hashtags and the link, a photo idea, and no
//! number the knowledge base excerpts and the season line do not state (an invented price is the
//! one mistake a post must never make). Anything else gives the offline draft, with the reason.
//! Offline (or rejected), [`offline`] builds the draft from the entries' own sentences, the
//! season's line and a call to action: deterministic, so a variant is a different slice of them.

use crate::assistant::kb::{self, Kb, Topic};
use crate::config::{ContentSettings, ContentTopic, Season};
use crate::core::Core;
use crate::store::content::PostText;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeSet;

pub const PROMPT: &str = include_str!("../../../prompts/content.md");
/// Instagram's limit for a caption, hashtags included.
pub const CAPTION_MAX: usize = 2200;
/// Kept free for the campaign link added on approval.
pub const LINK_ROOM: usize = 200;
pub const MIN_TAGS: usize = 5;
pub const MAX_TAGS: usize = 15;
/// Offline captions take at most this many of the entries' sentences.
const SENTENCES: usize = 3;
/// Words too common in the knowledge base to pick an entry.
const STOP: &[&str] = &["устіл", "ортоп", "для", "про", "при", "від", "наші", "ваші", "пост", "the"];

/// Why an LLM draft was not used (each a `post-reason-*` text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    Unavailable,
    Unreadable,
    NoCaption,
    Hashtags,
    TooLong,
    NoImage,
    Number(String),
}

impl Rejected {
    pub fn key(&self) -> &'static str {
        match self {
            Rejected::Unavailable => "post-reason-unavailable",
            Rejected::Unreadable => "post-reason-unreadable",
            Rejected::NoCaption => "post-reason-no-caption",
            Rejected::Hashtags => "post-reason-hashtags",
            Rejected::TooLong => "post-reason-too-long",
            Rejected::NoImage => "post-reason-no-image",
            Rejected::Number(_) => "post-reason-number",
        }
    }
}

/// A draft and, when the LLM's was refused, why.
#[derive(Debug, Clone)]
pub struct Drafted {
    pub text: PostText,
    pub rejected: Option<Rejected>,
    pub season: String,
}

/// The season of a business date.
pub fn season(cfg: &ContentSettings, date: NaiveDate) -> &Season {
    cfg.season(date.month())
}

/// Lower-cased words of three letters or more, apostrophes dropped.
fn words(s: &str) -> Vec<String> {
    crate::domain::text::search_key(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// The first five letters: a crude Ukrainian stem (`дитячі`, `дитячих` → `дитяч`).
fn stem(w: &str) -> String {
    w.chars().take(5).collect()
}

/// The knowledge base entries a topic is about (at most two) and its configured topic, if any.
pub fn matching<'a>(kb: &Kb, cfg: &'a ContentSettings, topic: &str) -> (Vec<Topic>, Option<&'a ContentTopic>) {
    let stems: Vec<String> =
        words(topic).iter().map(|w| stem(w)).filter(|s| !STOP.iter().any(|x| s.starts_with(x))).collect();
    let hits = |w: &str| stems.iter().any(|s| w.starts_with(s.as_str()));
    let configured = cfg.topics.iter().find(|t| {
        t.words
            .iter()
            .map(|w| crate::domain::text::search_key(w))
            .any(|w| stems.iter().any(|s| s.starts_with(&w) || w.starts_with(s.as_str())))
    });
    let mut scored: Vec<(usize, &Topic)> = kb
        .topics
        .iter()
        .filter(|t| t.id != "about")
        .map(|t| {
            let title = words(&t.title).iter().filter(|w| hits(w)).count()
                + words(&t.id.replace('_', " ")).iter().filter(|w| hits(w)).count();
            let body = words(&t.body).iter().filter(|w| hits(w)).map(|w| stem(w)).collect::<BTreeSet<_>>().len();
            let chosen = configured.is_some_and(|c| c.kb == t.id);
            (usize::from(chosen) * 10 + title * 3 + body, t)
        })
        .filter(|(score, _)| *score >= 3)
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    (scored.into_iter().take(2).map(|(_, t)| t.clone()).collect(), configured)
}

/// Sentences fit for a post (none about the chat assistant, a command, or the test studio).
fn post_sentences(entries: &[Topic]) -> Vec<String> {
    entries
        .iter()
        .flat_map(|t| kb::sentences(&t.body))
        .filter(|s| !["асистент", "/", "вигадан", "заглушк"].iter().any(|w| s.to_lowercase().contains(w)))
        .map(str::to_string)
        .collect()
}

/// The topic's hashtags, the season's, then the ones every post gets: unique, at most 15.
fn hashtags(cfg: &ContentSettings, season: &Season, configured: Option<&ContentTopic>) -> String {
    let mut seen = BTreeSet::new();
    configured
        .map(|t| t.hashtags.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(&season.hashtags)
        .chain(&cfg.hashtags)
        .filter(|t| seen.insert(t.to_lowercase()))
        .take(MAX_TAGS)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The offline draft: the season's line, up to three of the entries' sentences (a variant starts
/// further on), a call to action.
pub fn offline(
    cfg: &ContentSettings,
    season: &Season,
    entries: &[Topic],
    configured: Option<&ContentTopic>,
    variant: usize,
) -> PostText {
    let all = post_sentences(entries);
    let tags = hashtags(cfg, season, configured);
    let cta = &cfg.calls_to_action[variant % cfg.calls_to_action.len()];
    let mut take = SENTENCES.min(all.len());
    let caption = loop {
        let start = if all.is_empty() { 0 } else { variant % all.len() };
        let body: Vec<&str> = (0..take).map(|i| all[(start + i) % all.len()].as_str()).collect();
        let caption = format!("{}\n\n{}\n\n{cta}", season.line, body.join(" "));
        if take <= 1 || fits(&caption, &tags) {
            break caption;
        }
        take -= 1;
    };
    let image = configured.and_then(|t| t.image.clone()).unwrap_or_else(|| season.image.clone());
    PostText { caption, hashtags: tags, image_idea: image, source: "offline" }
}

fn fits(caption: &str, tags: &str) -> bool {
    caption.chars().count() + 2 + tags.chars().count() + LINK_ROOM <= CAPTION_MAX
}

fn numbers(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// What the model must return.
#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(default)]
    caption: String,
    #[serde(default)]
    hashtags: Vec<String>,
    #[serde(default)]
    image_idea: String,
}

/// The model's answer as a draft, or why not. `grounds` is every text it was given facts from.
pub fn check(answer: &str, grounds: &str) -> Result<PostText, Rejected> {
    let json = match (answer.find('{'), answer.rfind('}')) {
        (Some(a), Some(b)) if a < b => &answer[a..=b],
        _ => return Err(Rejected::Unreadable),
    };
    let a: Answer = serde_json::from_str(json).map_err(|_| Rejected::Unreadable)?;
    let caption = a.caption.trim().to_string();
    if caption.is_empty() {
        return Err(Rejected::NoCaption);
    }
    let ok_tag =
        |t: &String| t.len() > 1 && t.starts_with('#') && !t[1..].contains(|c: char| c.is_whitespace() || c == '#');
    if !(MIN_TAGS..=MAX_TAGS).contains(&a.hashtags.len()) || !a.hashtags.iter().all(ok_tag) {
        return Err(Rejected::Hashtags);
    }
    let tags = a.hashtags.join(" ");
    if !fits(&caption, &tags) {
        return Err(Rejected::TooLong);
    }
    let image = a.image_idea.trim().to_string();
    if image.is_empty() {
        return Err(Rejected::NoImage);
    }
    let known = numbers(grounds);
    if let Some(n) = numbers(&format!("{caption} {tags} {image}")).into_iter().find(|n| !known.contains(n)) {
        return Err(Rejected::Number(n));
    }
    Ok(PostText { caption, hashtags: tags, image_idea: image, source: "llm" })
}

/// The model's message: topic, season, voice, samples, the excerpts, the variant.
fn message(cfg: &ContentSettings, season: &Season, entries: &[Topic], topic: &str, variant: usize) -> String {
    let mut m = format!("TOPIC: {topic}\nSEASON: {}\nVOICE: {}\nSAMPLES:\n", season.line, cfg.voice);
    for s in &cfg.samples {
        m.push_str(&format!("- {s}\n"));
    }
    m.push_str("KNOWLEDGE:\n");
    for t in entries {
        m.push_str(&format!("## {}\n{}\n", t.title, t.body));
    }
    m.push_str(&format!("VARIANT: {variant}\n"));
    m
}

/// A draft of `topic` for business date `date`; `None` when no knowledge base entry matches.
pub async fn draft_for(core: &Core, topic: &str, date: NaiveDate, variant: usize) -> Option<Drafted> {
    let cfg = &core.config().content;
    let kb = Kb::parse(&core.config().knowledge);
    let season = season(cfg, date);
    let (entries, configured) = matching(&kb, cfg, topic);
    if entries.is_empty() {
        return None;
    }
    let fallback = || offline(cfg, season, &entries, configured, variant);
    let Some(llm) = &core.config().llm else {
        return Some(Drafted { text: fallback(), rejected: None, season: season.code.clone() });
    };
    let answer = crate::assistant::narrate::complete(
        llm,
        core.store(),
        PROMPT,
        &message(cfg, season, &entries, topic, variant),
        0.7,
    )
    .await;
    let grounds = format!("{} {}", season.line, entries.iter().map(|t| t.body.as_str()).collect::<Vec<_>>().join(" "));
    let checked = match answer {
        Ok(a) => check(&a, &grounds),
        Err(e) => {
            tracing::warn!(error = %e, "content draft: no LLM answer");
            Err(Rejected::Unavailable)
        }
    };
    Some(match checked {
        Ok(text) => Drafted { text, rejected: None, season: season.code.clone() },
        Err(why) => {
            tracing::warn!(?why, topic, "content draft: the LLM's draft was rejected");
            Drafted { text: fallback(), rejected: Some(why), season: season.code.clone() }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KB: &str = include_str!("../../../config/knowledge.md");

    #[test]
    fn topics_pick_their_entries_and_nonsense_picks_none() {
        let (kb, cfg) = (Kb::parse(KB), ContentSettings::default());
        let ids = |t: &str| matching(&kb, &cfg, t).0.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids("дитячі устілки").first().map(String::as_str), Some("children"));
        assert_eq!(ids("біг").first().map(String::as_str), Some("sport"));
        assert_eq!(ids("п'яткова шпора").first().map(String::as_str), Some("heel_spur"));
        assert_eq!(ids("Догляд за устілками").first().map(String::as_str), Some("care"));
        assert!(ids("криптовалюта").is_empty());
        assert!(ids("устілки").is_empty(), "a word every entry has picks none");
    }

    #[test]
    fn an_answer_with_an_invented_number_or_bad_hashtags_is_rejected() {
        let grounds = "Дитячі устілки робимо для дітей з 3 років, їхня вартість — 1500 грн.";
        let tags = r##"["#a", "#b", "#c", "#d", "#e"]"##;
        let good = format!(r#"{{"caption": "Устілки з 3 років.", "hashtags": {tags}, "image_idea": "Кеди."}}"#);
        assert_eq!(check(&good, grounds).unwrap().source, "llm");
        let price = format!(r#"{{"caption": "Лише 999 грн!", "hashtags": {tags}, "image_idea": "Кеди."}}"#);
        assert_eq!(check(&price, grounds), Err(Rejected::Number("999".into())));
        let few = r##"{"caption": "Так.", "hashtags": ["#a", "b"], "image_idea": "Кеди."}"##;
        assert_eq!(check(few, grounds), Err(Rejected::Hashtags));
        let long = format!(r#"{{"caption": "{}", "hashtags": {tags}, "image_idea": "Кеди."}}"#, "а".repeat(2100));
        assert_eq!(check(&long, grounds), Err(Rejected::TooLong));
        assert_eq!(check("no json", grounds), Err(Rejected::Unreadable));
        let empty = format!(r#"{{"caption": " ", "hashtags": {tags}, "image_idea": "Кеди."}}"#);
        assert_eq!(check(&empty, grounds), Err(Rejected::NoCaption));
    }
}
