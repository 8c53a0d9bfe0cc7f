//! The LLM engine: any OpenAI-compatible chat endpoint (OpenRouter by default) through rig-core,
//! with the prompt in `prompts/assistant.md`. The model must answer with one JSON object that is
//! checked before anything reaches a client: known intent and sentiment, topics that exist in the
//! knowledge base, an answer when not escalated, no number that the knowledge base does not have
//! (so no invented price or time), no prompt marker. Each call has a timeout, failed calls are
//! retried, calls per day are capped, and whenever the model fails the offline engine answers.
//! Injections are refused by the offline rules before the model sees them.

use super::kb::Kb;
use super::normalize::numbers;
use super::offline::Offline;
use super::{Analysis, Engine, Intent, NextAction, Sentiment};
use rig_core::completion::CompletionRequest;
use serde::Deserialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub const PROMPT: &str = include_str!("../../prompts/assistant.md");
/// A marker in the prompt: an answer that contains it leaks the prompt and is never sent.
const CANARY: &str = "ORTO-CANARY-51d2";

pub use crate::config::LlmSettings;

pub struct Llm {
    model: rig_core::Model<rig_core::providers::openai::wire::Chat>,
    settings: LlmSettings,
    prompt: String,
    kb: Kb,
    /// Every number the knowledge base states; an answer may use only these (or the client's).
    kb_numbers: std::collections::HashSet<String>,
    offline: Offline,
    /// (day number, calls that day), when there is no database to count in.
    used: std::sync::Mutex<(i64, u64)>,
    /// Where the day's calls are counted, so a restart does not reset the budget.
    store: Option<crate::store::Store>,
    pub calls: AtomicU64,
    pub fallbacks: AtomicU64,
}

/// What the model must return.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reply {
    intent: Intent,
    sentiment: Sentiment,
    #[serde(default)]
    topics: Vec<String>,
    escalate: bool,
    #[serde(default)]
    reason: String,
    answer: Option<String>,
}

impl Llm {
    pub fn new(settings: LlmSettings, kb: Kb, http: reqwest::Client) -> Self {
        let config = rig_core::providers::openai::OpenAIConfig::new(settings.api_key.expose().to_string())
            .with_base_url(settings.api_url.trim_end_matches('/'));
        let model = config.connect(super::transport::Transport(http)).chat(settings.model.clone());
        let topics: Vec<&str> = kb.topics.iter().map(|t| t.id.as_str()).filter(|t| *t != "about").collect();
        let kb_text: String = kb.topics.iter().map(|t| format!("## {}: {}\n{}\n\n", t.id, t.title, t.body)).collect();
        let prompt =
            PROMPT.replace("{{canary}}", CANARY).replace("{{topics}}", &topics.join(", ")).replace("{{kb}}", &kb_text);
        Llm {
            model,
            settings,
            prompt,
            offline: Offline::new(kb.clone()),
            kb_numbers: numbers(&kb.topics.iter().map(|t| t.body.as_str()).collect::<Vec<_>>().join(" "))
                .into_iter()
                .collect(),
            kb,
            used: std::sync::Mutex::new((0, 0)),
            store: None,
            calls: AtomicU64::new(0),
            fallbacks: AtomicU64::new(0),
        }
    }

    /// Counts the day's calls in the database (the running service does; `classify` has none).
    pub fn with_store(mut self, store: crate::store::Store) -> Self {
        self.store = Some(store);
        self
    }

    /// Takes one call from today's budget (UTC days).
    async fn take_budget(&self) -> bool {
        if let Some(store) = &self.store {
            let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
            return match store.take_llm_call(&day, self.settings.daily_budget as i64).await {
                Ok(ok) => ok,
                Err(e) => {
                    tracing::warn!(error = %e, "LLM budget unreadable: not calling");
                    false
                }
            };
        }
        let day = chrono::Utc::now().timestamp() / 86_400;
        let mut used = self.used.lock().expect("budget lock");
        if used.0 != day {
            *used = (day, 0);
        }
        if used.1 >= self.settings.daily_budget {
            return false;
        }
        used.1 += 1;
        true
    }

    async fn ask(&self, text: &str, previous: Option<&str>) -> Result<Analysis, String> {
        // The previous message is context only: quoted, and marked as not to be answered.
        let message = match previous {
            Some(p) => format!("CONTEXT (the client's previous message, already answered): {p}\n\nMESSAGE: {text}"),
            None => text.to_string(),
        };
        let mut last = String::new();
        for attempt in 0..=self.settings.retries {
            if !self.take_budget().await {
                return Err("daily budget spent".into());
            }
            self.calls.fetch_add(1, Ordering::Relaxed);
            let request = CompletionRequest::new(message.clone()).preamble(self.prompt.clone()).temperature(0.0);
            let outcome = tokio::time::timeout(self.settings.timeout, self.model.call(request)).await;
            last = match outcome {
                Err(_) => format!("timed out after {:?}", self.settings.timeout),
                Ok(Err(e)) => format!("provider error: {e}"),
                Ok(Ok(response)) => match self.validate(&response.text(), text) {
                    Ok(a) => return Ok(a),
                    Err(e) => e,
                },
            };
            tracing::warn!(attempt, error = %last, "LLM call failed");
            if attempt < self.settings.retries {
                tokio::time::sleep(Duration::from_millis(200 * (attempt as u64 + 1))).await;
            }
        }
        Err(last)
    }

    /// Parses and checks the model's JSON (see the module docs).
    fn validate(&self, raw: &str, question: &str) -> Result<Analysis, String> {
        let body = raw.trim().trim_start_matches("```json").trim_start_matches("```").trim_end_matches("```").trim();
        let r: Reply = serde_json::from_str(body).map_err(|e| format!("not the JSON asked for: {e}"))?;
        if let Some(t) = r.topics.iter().find(|t| self.kb.body(t).is_none()) {
            return Err(format!("unknown topic {t}"));
        }
        let answer = r.answer.map(|a| a.trim().to_string()).filter(|a| !a.is_empty());
        if !r.escalate && answer.is_none() {
            return Err("not escalated but no answer".into());
        }
        if let Some(a) = answer.as_deref().filter(|_| !r.escalate) {
            if super::answer::is_english(question) && !a.chars().any(|c| c.is_ascii_alphabetic()) {
                return Err("an English question answered in another language".into());
            }
        }
        // Coverage: a question answered without citing the knowledge base is not sent.
        let uncited = !r.escalate && r.intent == Intent::Faq && r.topics.is_empty();
        if let Some(a) = &answer {
            let lower = a.to_lowercase();
            if a.contains(CANARY)
                || ["system prompt", "системний промпт", "системный промпт"].iter().any(|p| lower.contains(p))
            {
                return Err("the answer leaks the prompt".into());
            }
            let asked = numbers(question);
            if let Some(n) = numbers(a).into_iter().find(|n| !self.kb_numbers.contains(n) && !asked.contains(n)) {
                return Err(format!("the answer has a number the knowledge base does not: {n}"));
            }
        }
        // Discounts, free work, refunds, order changes: the owner's to give. A client asking for
        // one, or an answer granting one the cited knowledge base does not state, goes to her.
        let asked = super::promises::grants(question);
        let promise = answer.as_deref().and_then(|a| self.promise_beyond_kb(a, &r.topics));
        let owner_only = if !asked.is_empty() {
            Some(format!(
                "asks for {}: the owner decides",
                asked.iter().map(|g| g.code()).collect::<Vec<_>>().join(", ")
            ))
        } else {
            promise
        };
        let owner_only = owner_only.or(uncited.then(|| super::offline::NOT_IN_KB.to_string()));
        let reason = match &owner_only {
            Some(why) if !r.escalate => why.clone(),
            _ => r.reason,
        };
        let escalate =
            r.escalate || owner_only.is_some() || matches!(r.intent, Intent::Consultation | Intent::Complaint);
        let next_action = NextAction::of(escalate, r.intent, false);
        Ok(Analysis {
            intent: r.intent,
            sentiment: r.sentiment,
            topics: r.topics,
            escalate,
            reason: if escalate && reason.is_empty() { "the model asked for a person".into() } else { reason },
            suggestion: escalate.then(|| answer.clone()).flatten(),
            answer: if escalate { None } else { answer },
            holding: escalate.then(|| {
                let english = super::answer::is_english(question);
                if english { super::answer::HOLDING_EN } else { super::offline::HOLDING }.to_string()
            }),
            next_action,
        })
    }
}

impl Llm {
    /// Why `answer` may not go out by itself: it confirms something, or grants what the knowledge
    /// base topics it cites do not state.
    fn promise_beyond_kb(&self, answer: &str, topics: &[String]) -> Option<String> {
        let granted = super::promises::grants(answer);
        let confirms = granted.is_empty();
        if confirms && !super::promises::agrees(answer) {
            return None;
        }
        let cited: String = topics.iter().filter_map(|t| self.kb.body(t)).collect::<Vec<_>>().join(" ");
        let stated = super::promises::grants(&cited);
        let beyond: Vec<&str> = granted.into_iter().filter(|g| !stated.contains(g)).map(|g| g.code()).collect();
        (confirms || !beyond.is_empty()).then(|| {
            format!(
                "the answer promises {}: the owner decides",
                if confirms { "what was asked".into() } else { beyond.join(", ") }
            )
        })
    }
}

impl Engine for Llm {
    async fn analyse_in(&self, text: &str, previous: Option<&str>) -> Analysis {
        let offline = self.offline.analyse_in(text, previous);
        // Injections never reach the model; nor do messages the rules must give to a person.
        if offline.settled_by_rules() || offline.owners_kind() {
            return offline;
        }
        match self.ask(text, previous).await {
            Ok(a) => a,
            Err(e) => {
                self.fallbacks.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, "LLM engine failed; the offline engine answers");
                offline
            }
        }
    }
}
