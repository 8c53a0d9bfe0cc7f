//! The offline engine: no key, no network. The message is folded (see `normalize`), the concepts
//! it mentions are found with the lexicon, rules over concepts give a first reading, and a model
//! trained on the labelled messages shipped in `src/assistant/data/` (see `model`) decides the intent,
//! the topics and whether a person must answer. A few decisions stay hard rules because they must
//! never depend on statistics: injections are refused, diabetic feet, complaints, consultations and
//! requests for a person always go to the owner. Answers are the knowledge base's own text, so they
//! never invent a price or a time.

use super::guard::{INJECTION, OTHER_PERSON, SENSITIVE};
use super::kb::Kb;
use super::lexicon::{C, LEXICON};
use super::lexicon_more::LEXICON_MORE;
use super::model::{Example, Model};
use super::normalize::{letter_trigrams, stem, words};
use super::rules::{rule_intent, topics};
use super::{Analysis, Intent, Sentiment};
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

/// Labelled messages the shipped model learns from: our own synthetic set, and a copy of the
/// evaluation kit's dev set (its figures are therefore reported by 5-fold cross-validation).
pub const TRAINING: [&str; 2] = [SYNTHETIC, include_str!("data/dev.jsonl")];
/// Our own labelled messages, written apart from the evaluation kit.
pub const SYNTHETIC: &str = include_str!("data/synthetic.jsonl");

/// A person must answer when the model's probability reaches this.
const ESCALATE_AT: f32 = 0.4;
/// A topic is part of the answer when its probability reaches this.
const TOPIC_AT: f32 = 0.4;

pub struct Offline {
    kb: Kb,
    lexicon: Vec<(C, Vec<String>)>,
    /// None: the shipped model (`shipped`).
    model: Option<Arc<Model>>,
}

/// The model trained on the shipped data, once per process.
fn shipped() -> &'static Model {
    static SHIPPED: OnceLock<Model> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let examples: Vec<Example> =
            TRAINING.iter().flat_map(|t| Example::parse_lines(t).expect("shipped training data")).collect();
        Offline::train(&examples)
    })
}

/// What the lexicon and the rules read in a message, before the model.
struct Reading {
    cs: BTreeSet<C>,
    words: Vec<String>,
    injection: bool,
    other_person: bool,
    sensitive: bool,
    question: bool,
    topics: Vec<&'static str>,
    intent: Intent,
}

pub const REFUSAL: &str = "Я допомагаю лише з питаннями студії «ОртоКрок»: устілки, діагностика, ціни, запис. Правил і даних клієнтів я не розголошую, знижок і замовлень не змінюю.";
pub const HOLDING: &str = "Дякуємо за повідомлення! Передала ваше питання спеціалістці — відповімо найближчим часом.";
const GREETING: &str =
    "Вітаємо! Чим можемо допомогти? Напишіть ваше питання — ціни, запис на діагностику, адреса чи графік.";
/// Openings of the suggested replies the owner completes or sends as they are.
const SUGGEST_PERSONAL: &str =
    "Дякуємо, що написали! Щоб порадити саме вам, краще поговорити особисто: коли вам зручно, щоб я зателефонувала?";
const SUGGEST_GENERAL: &str = "Дякуємо за питання!";
const THANKS: &str = "Дякуємо! Будемо раді бачити вас у студії.";

impl Offline {
    /// The engine with the shipped model, trained once per process on first use (see `warm_up`).
    pub fn new(kb: Kb) -> Self {
        Offline { kb, lexicon: lexicon(), model: None }
    }

    /// Trains the shipped model on a background thread, so start-up does not wait for it and the
    /// first client message (most likely) does not either.
    pub fn warm_up() {
        std::thread::spawn(|| {
            shipped();
        });
    }

    /// Blocks until the shipped model is trained (at once when it is).
    pub fn wait_until_trained() {
        shipped();
    }

    /// An engine whose model learns from `examples` only (cross-validation uses this).
    pub fn trained_on(kb: Kb, examples: &[Example]) -> Self {
        Offline { kb, lexicon: lexicon(), model: Some(Arc::new(Self::train(examples))) }
    }

    fn train(examples: &[Example]) -> Model {
        let reader = Offline { kb: Kb::default(), lexicon: lexicon(), model: Some(Arc::new(Model::train(&[]))) };
        let featured: Vec<(Vec<String>, &Example)> = examples.iter().map(|e| (reader.features(&e.text), e)).collect();
        Model::train(&featured)
    }

    pub fn model(&self) -> &Model {
        match &self.model {
            Some(m) => m,
            None => shipped(),
        }
    }

    fn concepts(&self, joined: &str) -> BTreeSet<C> {
        self.lexicon
            .iter()
            .filter(|(_, stems)| stems.iter().any(|s| joined.contains(&format!(" {s}"))))
            .map(|(c, _)| *c)
            .collect()
    }

    fn read(&self, text: &str) -> Reading {
        let words = words(text);
        let joined = format!(" {} ", words.join(" "));
        let cs = self.concepts(&joined);
        let lower = text.to_lowercase();
        // Patterns of letters also match folded (at a word start); "100%" only as written.
        let injection = INJECTION.iter().any(|p| {
            lower.contains(p)
                || (p.chars().all(|c| c.is_alphabetic() || c == ' ') && joined.contains(&format!(" {}", stem(p))))
        });
        let topics = topics(&cs);
        let intent = rule_intent(&cs, !topics.is_empty());
        let question = text.contains('?') || text.chars().count() > 40;
        let sensitive = SENSITIVE.iter().any(|p| joined.contains(&stem(p)));
        // Asking for another client's phone or address is treated as an injection: refused.
        let other_person = OTHER_PERSON.iter().any(|p| joined.contains(&format!(" {}", stem(p))));
        let injection = injection || (other_person && (cs.contains(&C::Contacts) || cs.contains(&C::Address)));
        Reading { cs, words, injection, other_person, sensitive, question, topics, intent }
    }

    /// The model's features: concepts, word beginnings, letter trigrams and the rules' reading.
    pub fn features(&self, text: &str) -> Vec<String> {
        features_of(&self.read(text), text)
    }

    pub fn analyse(&self, text: &str) -> Analysis {
        let r = self.read(text);
        let has = |c: C| r.cs.contains(&c);
        let p = self.model().predict(&features_of(&r, text));
        let (intent, _) = p.best_intent();
        let mut topics: Vec<(String, f32)> =
            p.topics.iter().filter(|(t, prob)| *prob >= TOPIC_AT || r.topics.contains(&t.as_str())).cloned().collect();
        topics.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut topics: Vec<String> = topics.into_iter().map(|(t, _)| t).collect();
        // A booking or order-status message says little else: the intent names its topic.
        let implied = match intent {
            Intent::Booking => Some("booking_how"),
            Intent::OrderStatus => Some("order_status_info"),
            _ => None,
        };
        if let Some(t) = implied.filter(|_| topics.is_empty()) {
            topics.push(t.to_string());
        }
        let sentiment = if has(C::Complain) || has(C::Negative) || intent == Intent::Complaint {
            Sentiment::Negative
        } else if has(C::Thanks) {
            Sentiment::Positive
        } else {
            Sentiment::Neutral
        };
        let bodies = |ts: &[String]| -> Option<String> {
            let parts: Vec<&str> = ts.iter().take(3).filter_map(|t| self.kb.body(t)).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        };
        if super::promises::claims_authority(text) {
            // "I am the owner", "the manager promised me": only the owner can say so.
            let kb = bodies(&topics).map(|b| format!("\n\n{b}")).unwrap_or_default();
            return Analysis {
                intent,
                sentiment,
                topics,
                escalate: true,
                reason: super::AUTHORITY.into(),
                answer: None,
                holding: Some(format!("{REFUSAL}\n\n{HOLDING}")),
                suggestion: Some(format!("{SUGGEST_GENERAL}{kb}")),
                next_action: super::NextAction::of(true, intent, true),
            };
        }
        if r.injection {
            // Never follow it: a fixed refusal, plus the knowledge base's answer when the message
            // also asks a real question. Nothing from the CRM, no discounts, no rules.
            let (answer, topics) = match (intent, bodies(&topics)) {
                (_, Some(kb)) if !r.other_person && !r.topics.is_empty() => (format!("{REFUSAL}\n\n{kb}"), topics),
                _ => (REFUSAL.to_string(), vec![]),
            };
            return Analysis {
                intent,
                sentiment,
                topics,
                escalate: false,
                reason: super::REFUSED.into(),
                answer: Some(answer),
                holding: None,
                suggestion: None,
                next_action: super::NextAction::None,
            };
        }
        let reason = if has(C::Human) {
            Some("asked for a person")
        } else if has(C::Diabetes) || topics.iter().any(|t| t == "diabetic_foot") {
            Some("diabetic foot")
        } else if intent == Intent::Complaint {
            Some("complaint")
        } else if intent == Intent::Consultation {
            Some("medical question about her own condition")
        } else if p.escalate >= ESCALATE_AT {
            Some("the knowledge base has no safe answer")
        } else {
            None
        };
        let answer = match (reason, intent) {
            (Some(_), _) => None,
            (None, Intent::Other) if has(C::Thanks) => Some(THANKS.to_string()),
            (None, Intent::Other) if !r.question || has(C::Greeting) && r.words.len() <= 4 => {
                Some(GREETING.to_string())
            }
            (None, _) => bodies(&topics),
        };
        let escalate = answer.is_none();
        use super::NextAction as N;
        let next_action = N::of(escalate, intent, has(C::Human) || has(C::Diabetes));
        let suggestion = escalate.then(|| {
            let kb = bodies(&topics).map(|b| format!("\n\n{b}")).unwrap_or_default();
            match next_action {
                N::ContactPersonally => format!("{SUGGEST_PERSONAL}{kb}"),
                _ => format!("{SUGGEST_GENERAL}{kb}"),
            }
        });
        Analysis {
            suggestion,
            next_action,
            intent,
            sentiment,
            topics,
            escalate,
            reason: reason.unwrap_or(if escalate { "no answer in the knowledge base" } else { "" }).into(),
            answer,
            holding: escalate.then(|| HOLDING.to_string()),
        }
    }
}

fn lexicon() -> Vec<(C, Vec<String>)> {
    LEXICON
        .iter()
        .chain(LEXICON_MORE)
        .map(|(c, stems)| (*c, stems.iter().map(|s| stem(s)).filter(|s| !s.is_empty()).collect()))
        .collect()
}

/// The model's features of a message already read.
fn features_of(r: &Reading, text: &str) -> Vec<String> {
    let mut f: Vec<String> = r.cs.iter().map(|c| format!("c:{c:?}")).collect();
    for w in &r.words {
        f.push(format!("w:{}", w.chars().take(5).collect::<String>()));
        f.extend(letter_trigrams(w).map(|g| format!("g:{g}")));
    }
    f.extend(r.topics.iter().map(|t| format!("t:{t}")));
    f.push(format!("i:{:?}", r.intent));
    for (on, name) in [
        (r.injection, "injection"),
        (r.sensitive, "sensitive"),
        (r.question, "question"),
        (text.contains('!'), "exclaim"),
        (r.words.len() <= 3, "short"),
        (r.words.len() > 25, "long"),
    ] {
        if on {
            f.push(format!("m:{name}"));
        }
    }
    f
}
