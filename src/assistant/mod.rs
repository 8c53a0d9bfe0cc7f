//! The client assistant: for each client message the intent, sentiment, knowledge-base topics,
//! whether a person must answer (and why), and an answer when it is safe to give one.
//!
//! Two engines behind one trait (`Engine`): `offline::Offline` needs no key and no network (the
//! default, and the fallback), `llm::Llm` asks an OpenAI-compatible model. `Assistant` puts the
//! owner's saved answers (`learned`) first, then the configured engine. `classify` is the
//! `insoles-crm assistant classify` command: JSON lines in, JSON lines out, in the evaluation
//! kit's prediction format.

pub mod answer;
pub mod coverage;
mod coverage_words;
pub mod guard;
mod half;
pub mod kb;
pub mod learned;
pub mod lexicon;
pub mod lexicon_exceptions;
pub mod lexicon_more;
pub mod lexicon_owner;
pub mod lexicon_pairs;
pub mod llm;
pub mod model;
pub mod narrate;
pub mod normalize;
pub mod offline;
mod places;
pub mod promises;
pub mod reading;
pub mod rules;
mod stems;
pub mod transport;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Faq,
    Booking,
    Consultation,
    Complaint,
    OrderStatus,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Positive,
    Neutral,
    Negative,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub intent: Intent,
    pub sentiment: Sentiment,
    pub topics: Vec<String>,
    pub escalate: bool,
    pub reason: String,
    /// The answer to send when not escalated.
    pub answer: Option<String>,
    /// A polite holding answer when escalated.
    pub holding: Option<String>,
    /// What the owner could send when escalated (she edits or sends it with one tap).
    pub suggestion: Option<String>,
    /// The next best action for the owner, in a few words.
    pub next_action: NextAction,
}

/// The reason of an analysis that refused an attempt to change the rules or extract data. Such a
/// message is never sent to the LLM nor answered with a saved answer.
pub const REFUSED: &str = "attempt to change the rules or extract data: refused";

/// The reason of an analysis of a message that speaks as (or invokes) the owner or staff: the
/// owner always sees it, and the LLM never does.
pub const AUTHORITY: &str = "speaks for the owner or staff: the owner decides";

impl Analysis {
    pub fn refused(&self) -> bool {
        self.reason.starts_with(REFUSED)
    }

    /// One of the kinds that always go to the owner, whatever an engine would answer (a refund, a
    /// money dispute, business, partnership, medical, a request for a person, a diabetic foot).
    pub fn owners_kind(&self) -> bool {
        self.escalate && rules::OWNERS_KINDS.contains(&self.reason.as_str())
    }

    /// Settled by the rules alone (refused, or for the owner): the LLM is not asked.
    pub fn settled_by_rules(&self) -> bool {
        self.refused() || self.reason == AUTHORITY
    }
}

/// What the owner should do next with this conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextAction {
    /// Nothing: answered automatically.
    None,
    /// Offer a diagnostics slot.
    OfferBooking,
    /// Check the order and tell the client.
    CheckOrder,
    /// Call or write to her personally (consultation, complaint, sensitive).
    ContactPersonally,
    /// Answer the question (the knowledge base has no answer yet).
    Answer,
    /// Look at the photo or listen to the voice message.
    ReviewAttachment,
}

impl NextAction {
    /// From the decision: `personal` marks an escalation she should answer in person (a request
    /// for a person, a diabetic foot) whatever the intent.
    pub fn of(escalate: bool, intent: Intent, personal: bool) -> NextAction {
        match (escalate, intent) {
            (_, Intent::Booking) => NextAction::OfferBooking,
            (false, _) => NextAction::None,
            (true, Intent::OrderStatus) => NextAction::CheckOrder,
            (true, Intent::Consultation | Intent::Complaint) => NextAction::ContactPersonally,
            (true, _) if personal => NextAction::ContactPersonally,
            (true, _) => NextAction::Answer,
        }
    }
}

/// An engine reads one client message.
/// `previous` is the same chat's previous client message, when it came shortly before: a
/// follow-up ("а в суботу?") is read with it.
pub trait Engine: Send + Sync {
    fn analyse_in(&self, text: &str, previous: Option<&str>) -> impl std::future::Future<Output = Analysis> + Send;

    /// A message without context.
    fn analyse(&self, text: &str) -> impl std::future::Future<Output = Analysis> + Send {
        self.analyse_in(text, None)
    }
}

impl Engine for offline::Offline {
    async fn analyse_in(&self, text: &str, previous: Option<&str>) -> Analysis {
        offline::Offline::analyse_in(self, text, previous)
    }
}

/// The assistant the product uses: the owner's saved answers, then the engine (the LLM when
/// configured, which falls back to the offline engine by itself).
pub struct Assistant {
    pub offline: offline::Offline,
    pub llm: Option<llm::Llm>,
    /// The owner's saved answers; shared, so a re-grounded assistant keeps them.
    pub learned: std::sync::Arc<learned::Learned>,
}

impl Assistant {
    pub fn new(kb: kb::Kb) -> Self {
        Assistant { offline: offline::Offline::new(kb), llm: None, learned: Default::default() }
    }

    pub fn with_llm(kb: kb::Kb, settings: llm::LlmSettings, http: reqwest::Client) -> Self {
        let llm = llm::Llm::new(settings, kb.clone(), http);
        Assistant { llm: Some(llm), ..Assistant::new(kb) }
    }

    /// The LLM's daily budget is counted in the database from now on.
    pub fn counting_in(mut self, store: crate::store::Store) -> Self {
        self.llm = self.llm.map(|l| l.with_store(store));
        self
    }

    pub async fn analyse(&self, text: &str) -> Analysis {
        self.analyse_in(text, None).await
    }

    /// `analyse` with the chat's previous client message as context (see `Engine`).
    pub async fn analyse_in(&self, text: &str, previous: Option<&str>) -> Analysis {
        let a = match &self.llm {
            Some(llm) => Engine::analyse_in(llm, text, previous).await,
            None => Engine::analyse_in(&self.offline, text, previous).await,
        };
        if a.refused() {
            return a;
        }
        match self.learned.find(text) {
            Some(answer) => Analysis {
                escalate: false,
                reason: "answered with the owner's saved answer".into(),
                answer: Some(answer),
                holding: None,
                ..a
            },
            None => a,
        }
    }
}

/// `insoles-crm assistant classify [--kb FILE]`: reads `{"id", "text"}` lines, writes predictions.
pub fn classify(kb_text: &str, input: impl std::io::BufRead, mut output: impl std::io::Write) -> anyhow::Result<usize> {
    let engine = offline::Offline::new(kb::Kb::parse(kb_text));
    let mut n = 0;
    for line in input.lines() {
        let Some((id, text)) = message(&line?) else { continue };
        writeln!(output, "{}", prediction(id, &engine.analyse(&text)))?;
        n += 1;
    }
    Ok(n)
}

/// `classify` with the LLM engine (`LLM_API_KEY` set): one message at a time, falling back to the
/// offline engine whenever the model fails.
pub async fn classify_llm(
    kb_text: &str,
    settings: llm::LlmSettings,
    input: impl std::io::BufRead,
    mut output: impl std::io::Write,
) -> anyhow::Result<usize> {
    let assistant = Assistant::with_llm(kb::Kb::parse(kb_text), settings, reqwest::Client::new());
    let mut n = 0;
    for line in input.lines() {
        let Some((id, text)) = message(&line?) else { continue };
        writeln!(output, "{}", prediction(id, &assistant.analyse(&text).await))?;
        n += 1;
    }
    Ok(n)
}

/// One input line's id and text; None (and a note on stderr) for a blank or non-JSON line.
fn message(line: &str) -> Option<(serde_json::Value, String)> {
    if line.trim().is_empty() {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(v) => Some((
            v.get("id").cloned().unwrap_or(serde_json::Value::Null),
            v.get("text").and_then(serde_json::Value::as_str).unwrap_or("").to_string(),
        )),
        Err(e) => {
            eprintln!("skipped a line that is not JSON: {e}");
            None
        }
    }
}

fn prediction(id: serde_json::Value, a: &Analysis) -> serde_json::Value {
    serde_json::json!({
        "id": id, "intent": a.intent, "topics": a.topics, "sentiment": a.sentiment,
        "escalate": a.escalate, "reason": a.reason, "next_action": a.next_action, "answer": a.answer,
    })
}

/// `insoles-crm assistant crossval [--kb FILE] [--folds N]`: reads labelled messages (gold
/// format) and writes, for each, the prediction of a model that learned from our synthetic set
/// and the other folds only, never from the message itself. Fold of line i is i mod N.
pub fn cross_validate(
    kb_text: &str,
    gold: &str,
    folds: usize,
    mut output: impl std::io::Write,
) -> anyhow::Result<usize> {
    anyhow::ensure!(folds >= 2, "at least 2 folds");
    let gold = model::Example::parse_lines(gold)?;
    let mut synthetic = vec![];
    for t in offline::TRAINING {
        synthetic.extend(model::Example::parse_lines(t)?);
    }
    let mut n = 0;
    for fold in 0..folds {
        let train: Vec<model::Example> = synthetic
            .iter()
            .chain(gold.iter().enumerate().filter(|(i, _)| i % folds != fold).map(|(_, e)| e))
            .cloned()
            .collect();
        let engine = offline::Offline::trained_on(kb::Kb::parse(kb_text), &train);
        for (_, e) in gold.iter().enumerate().filter(|(i, _)| i % folds == fold) {
            writeln!(output, "{}", prediction(serde_json::json!(e.id), &engine.analyse(&e.text)))?;
            n += 1;
        }
    }
    Ok(n)
}
