//! The offline engine: no key, no network. The message is read (see `reading`: folded words,
//! lexicon concepts, guards), a model trained on the labelled messages shipped in
//! `src/assistant/data/` (see `model`) decides the intent, the topics and whether a person must
//! answer, and then three checks decide whether the engine may answer at all (issue 13):
//! - some kinds always go to the owner (`rules::owner_only`): refunds, money disputes, a wrong item,
//!   business and partnership offers, medical questions; and requests for a person, diabetic feet,
//!   complaints and consultations, as before;
//! - coverage (`coverage`): every content word of the question is accounted for by the entries it
//!   would be answered from, or the owner answers with the reason "not in the knowledge base";
//! - language: an English message gets a short English holding answer and goes to the owner, since
//!   the knowledge base is Ukrainian.
//!
//! Answers are the knowledge base's own sentences (`answer::excerpt`), so they never invent a
//! price or a time. A follow-up ("а для дітей?") is read together with the chat's previous message.

use super::answer::{self, excerpt, is_english};
use super::coverage::Vocabulary;
use super::kb::Kb;
use super::lexicon::C;
use super::model::{Example, Model};
use super::reading::{features_of, lexicon};
use super::{Analysis, Intent, NextAction as N, Sentiment};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// Labelled messages the shipped model learns from, all our own: none of the evaluation kit's
/// messages nor near-copies of them (`tests/it/assistant.rs` checks), so the kit's dev set is
/// unseen material for the shipped model.
pub const TRAINING: [&str; 2] = [SYNTHETIC, CLIENTS];
/// Our own labelled messages, written apart from the evaluation kit.
pub const SYNTHETIC: &str = include_str!("data/synthetic.jsonl");
/// Messages written for issue 13 by someone who saw only the kit's README, its knowledge base and
/// the kinds of messages that must reach the owner (never the kit's messages).
pub const CLIENTS: &str = include_str!("data/clients.jsonl");

/// A person must answer when the model's probability reaches this.
const ESCALATE_AT: f32 = 0.5;
/// With entries to answer from, coverage decides, unless the model is this sure a person must
/// (0.75 until round 14 of issue 13: 0.65 catches about one escalation per fact answer it costs).
const SURE: f32 = 0.65;
/// A topic is part of the answer when its probability reaches this.
const TOPIC_AT: f32 = 0.4;
/// The reason of an escalation whose question the knowledge base does not cover.
pub const NOT_IN_KB: &str = "not in the knowledge base";

pub struct Offline {
    pub(super) kb: Kb,
    /// The lexicon's stems and the topics each concept takes part in: the same for every
    /// engine, so worked out once per process (`shared`).
    pub(super) lexicon: &'static Lexicon,
    /// None: the shipped model and vocabulary (`shipped`).
    trained: Option<Arc<(Model, Vocabulary)>>,
    /// The topics each concept takes part in (`rules::topics_of`, worked out by `topics_by_concept`).
    concept_topics: &'static ConceptTopics,
    /// The knowledge base's text, folded like messages (" word word ").
    kb_folded: String,
}

fn folded(kb: &Kb) -> String {
    let text: Vec<&str> = kb.topics.iter().map(|t| t.body.as_str()).collect();
    format!(" {} ", super::normalize::words(&text.join(" ")).join(" "))
}

/// Each concept with the stems that signal it (`reading::lexicon`).
pub(super) type Lexicon = [(C, Vec<String>)];
/// The topics each concept takes part in.
type ConceptTopics = HashMap<C, Vec<&'static str>>;

fn concept_topics(lexicon: &Lexicon) -> ConceptTopics {
    let all: Vec<C> = lexicon.iter().map(|(c, _)| *c).collect::<std::collections::BTreeSet<C>>().into_iter().collect();
    super::rules::topics_by_concept(&all).into_iter().collect()
}

/// The lexicon and its concepts' topics, once per process: every engine built (start-up builds
/// two before the server listens, and one more whenever the owner's hours change) reads the same
/// tables; working them out for each engine was among the largest parts of start-up's CPU
/// (issue 11).
fn shared() -> (&'static Lexicon, &'static ConceptTopics) {
    static SHARED: OnceLock<(Box<Lexicon>, ConceptTopics)> = OnceLock::new();
    let (lexicon, topics) = SHARED.get_or_init(|| {
        let lexicon = lexicon().into_boxed_slice();
        let topics = concept_topics(&lexicon);
        (lexicon, topics)
    });
    (lexicon, topics)
}

/// The model and vocabulary learned from the shipped data, once per process.
static SHIPPED: OnceLock<(Model, Vocabulary)> = OnceLock::new();

/// The shipped model: trained here, on the caller's thread, unless `warm_up`'s thread has
/// finished it (a caller that finds another caller training waits for it, at the same priority).
fn shipped() -> &'static (Model, Vocabulary) {
    SHIPPED.get_or_init(train_shipped)
}

fn train_shipped() -> (Model, Vocabulary) {
    let examples: Vec<Example> =
        TRAINING.iter().flat_map(|t| Example::parse_lines(t).expect("shipped training data")).collect();
    Offline::train(&examples)
}

/// Makes the calling thread the last the kernel runs (nice 19): it runs on a core nothing else
/// wants. Returns whether the kernel took it.
fn lowest_priority() -> bool {
    // SAFETY: `gettid` and `setpriority` only read their arguments; a thread may always lower
    // its own priority.
    unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19) == 0 }
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
        let (lexicon, concept_topics) = shared();
        Offline { kb_folded: folded(&kb), kb, concept_topics, lexicon, trained: None }
    }

    /// Whether a server with this knowledge base runs an assistant at all (a blank one means
    /// none): start-up prepares and warms the model only then.
    #[inline]
    pub fn serves(knowledge: &str) -> bool {
        !knowledge.trim().is_empty()
    }

    /// Works out the tables every engine shares (`shared`), so that building engines later
    /// finds them ready.
    pub fn prepare() {
        shared();
    }

    /// Trains the shipped model on a background thread, so start-up does not wait for it and the
    /// first client message (most likely) does not either.
    ///
    /// That thread runs at the lowest priority: its ~16 ms of CPU used to take a core from
    /// start-up's own work, which has a deadline (`/readyz` within 50 ms, issue 11). Nothing
    /// waits for its training: it trains outside `SHIPPED` and only stores the result (a move),
    /// so a message that needs the model first trains it on its own thread, at its own priority,
    /// instead of waiting behind a thread the kernel may starve. The tables every engine shares
    /// are worked out here, on the caller's thread, for the same reason (the engines start-up
    /// builds next need them).
    pub fn warm_up() {
        shared();
        let spawned = std::thread::Builder::new().name("model-training".into()).spawn(|| {
            lowest_priority();
            if SHIPPED.get().is_none() {
                let _ = SHIPPED.set(train_shipped());
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "could not start the assistant's training thread: the first message trains it");
        }
    }

    /// Blocks until the shipped model is trained (at once when it is).
    pub fn wait_until_trained() {
        shipped();
    }

    /// An engine whose model learns from `examples` only (cross-validation uses this).
    pub fn trained_on(kb: Kb, examples: &[Example]) -> Self {
        let (lexicon, concept_topics) = shared();
        let trained = Some(Arc::new(Self::train(examples)));
        Offline { kb_folded: folded(&kb), kb, concept_topics, lexicon, trained }
    }

    fn train(examples: &[Example]) -> (Model, Vocabulary) {
        let reader = Offline::new(Kb::default());
        let featured: Vec<(Vec<String>, &Example)> = examples.iter().map(|e| (reader.features(&e.text), e)).collect();
        (Model::train(&featured), Vocabulary::learn(examples))
    }

    pub fn model(&self) -> &Model {
        &self.trained().0
    }

    fn trained(&self) -> &(Model, Vocabulary) {
        match &self.trained {
            Some(t) => t,
            None => shipped(),
        }
    }

    pub fn analyse(&self, text: &str) -> Analysis {
        self.analyse_in(text, None)
    }

    /// Reads `text`, with the same chat's previous client message when there is one: a follow-up
    /// that names no topic of its own ("а для дітей?", "а в суботу?") is read together with it.
    pub fn analyse_in(&self, text: &str, previous: Option<&str>) -> Analysis {
        match previous.filter(|p| follows_up(&self.read(text), text) && !self.read(p).topics.is_empty()) {
            Some(p) => self.decide(&format!("{p}\n{text}"), text),
            None => self.decide(text, text),
        }
    }

    /// Decides on `read` (the message, or the previous one and the message) for `text`.
    fn decide(&self, read: &str, text: &str) -> Analysis {
        let r = self.read(read);
        let has = |c: C| r.cs.contains(&c);
        let (model, vocabulary) = self.trained();
        let p = model.predict(&features_of(&r, read));
        let (mut intent, _) = p.best_intent();
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
        let owner_only = super::rules::owner_only(&r.cs, self.medical_beyond_kb(&r.words));
        if let Some((_, kind)) = owner_only {
            if matches!(intent, Intent::Faq | Intent::Other | Intent::Booking) || kind == Intent::Complaint {
                intent = if intent == Intent::Complaint { Intent::Complaint } else { kind };
            }
        }
        let sentiment = if has(C::Complain) || has(C::Negative) || intent == Intent::Complaint {
            Sentiment::Negative
        } else if has(C::Thanks) {
            Sentiment::Positive
        } else {
            Sentiment::Neutral
        };
        let whole = |ts: &[String]| -> Option<String> {
            let parts: Vec<&str> = ts.iter().take(3).filter_map(|t| self.kb.body(t)).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        };
        let english = is_english(text);
        let refusal = if english { answer::REFUSAL_EN } else { REFUSAL };
        let holding = if english { answer::HOLDING_EN } else { HOLDING };
        if super::promises::claims_authority(text) {
            // "I am the owner", "the manager promised me": only the owner can say so.
            let kb = whole(&topics).map(|b| format!("\n\n{b}")).unwrap_or_default();
            return Analysis {
                intent,
                sentiment,
                topics,
                escalate: true,
                reason: super::AUTHORITY.into(),
                answer: None,
                holding: Some(format!("{refusal}\n\n{holding}")),
                suggestion: Some(format!("{SUGGEST_GENERAL}{kb}")),
                next_action: N::of(true, intent, true),
            };
        }
        if r.injection {
            // Never follow it: a fixed refusal, plus the knowledge base's answer when the message
            // also asks a real question. Nothing from the CRM, no discounts, no rules.
            let (answer, topics) = match (intent, excerpt(&self.kb, &topics, text)) {
                (_, Some(kb)) if !r.other_person && !r.topics.is_empty() => (format!("{refusal}\n\n{kb}"), topics),
                _ => (refusal.to_string(), vec![]),
            };
            // Refused, yet what else she wrote is the owner's (a refund, a double charge, her health,
            // a person asked for in so many words).
            let owner_only = owner_only
                .or(r.asks_person.then_some(("asked for a person", Intent::Other)))
                .or((intent == Intent::Consultation).then_some(("medical question", Intent::Consultation)));
            if let Some((why, kind)) = owner_only {
                return Analysis {
                    intent: if intent == Intent::Complaint { intent } else { kind },
                    sentiment,
                    topics,
                    escalate: true,
                    reason: format!("{}; {why}", super::REFUSED),
                    answer: None,
                    holding: Some(format!("{refusal}\n\n{holding}")),
                    suggestion: Some(SUGGEST_PERSONAL.to_string()),
                    next_action: N::ContactPersonally,
                };
            }
            return Analysis {
                intent,
                sentiment,
                topics,
                escalate: false,
                reason: super::REFUSED.into(),
                answer: Some(answer),
                holding: None,
                suggestion: None,
                next_action: N::None,
            };
        }
        let chat = matches!(intent, Intent::Other) && (!r.question || has(C::Greeting) && r.words.len() <= 4);
        let uncovered = || {
            // An exact figure asked for ("точну суму скажіть") where the entries give a rule, not a
            // number ("за тарифами перевізника").
            let mut kb_text: Vec<&str> = topics.iter().take(3).filter_map(|t| self.kb.body(t)).collect();
            let figures = kb_text.iter().any(|b| b.chars().any(|c| c.is_ascii_digit()));
            if !figures && r.words.iter().any(|w| EXACT.iter().any(|e| w.starts_with(e))) {
                return vec!["an exact figure".to_string()];
            }
            kb_text.extend(self.kb.body("about"));
            // A concept word counts for the answer when its concept is of no topic or of one being
            // answered, or when the entry says the concept in its own words ("обстеження" where the
            // entry says "діагностика"); a word of another topic's concept ("сертифікат" in a
            // discounts answer) is something the entry does not say.
            let entry = format!(" {} ", super::normalize::words(&kb_text.join(" ")).join(" "));
            // An entry that states a cost (an amount, "free", the carrier's tariff) answers "how much".
            let costs = ["грн", "тариф", "безкоштовн", "бесплатн"].iter().any(|p| entry.contains(&format!(" {p}")));
            let said = |c: &C| {
                *c == C::Price && costs
                    || self
                        .lexicon
                        .iter()
                        .filter(|(x, _)| x == c)
                        .flat_map(|(_, stems)| stems)
                        .any(|s| entry.contains(&format!(" {s}")))
            };
            let (mut mine, mut foreign) = (HashSet::new(), HashSet::new());
            for (w, cs) in &r.understood {
                let fits = |c: &C| {
                    let ts = self.concept_topics.get(c).map(Vec::as_slice).unwrap_or_default();
                    ts.is_empty() || ts.iter().any(|t| topics.iter().any(|x| x == t)) || said(c)
                };
                if cs.iter().any(fits) { &mut mine } else { &mut foreign }.insert(w.clone());
            }
            // A name the knowledge base does not have is an option it does not list.
            if let Some(name) = vocabulary.unknown_name(text, &topics, &self.kb_folded, &mine) {
                return vec![name];
            }
            vocabulary.uncovered(text, &topics, &kb_text.join(" "), &mine, &foreign)
        };
        let not_covered: String;
        let reason = if has(C::Human) {
            Some("asked for a person")
        } else if has(C::Gift) && self.certificate_with_money_rule(text) {
            // Each entry states its own rule; how they combine is the owner's.
            Some("not in the knowledge base: a certificate with a discount or a prepayment")
        } else if has(C::Diabetes) || topics.iter().any(|t| t == "diabetic_foot") {
            Some("diabetic foot")
        } else if let Some((why, _)) = owner_only {
            Some(why)
        } else if intent == Intent::Complaint {
            Some("complaint")
        } else if intent == Intent::Consultation {
            Some("medical question about her own condition")
        } else if p.escalate >= ESCALATE_AT && (topics.is_empty() || intent != Intent::Faq) || p.escalate >= SURE {
            // With entries to answer from, coverage (below) decides, not the model's guess.
            Some(NOT_IN_KB)
        } else if intent == Intent::Faq && {
            let left = uncovered();
            not_covered = format!("{NOT_IN_KB}: {}", left.join(", "));
            !left.is_empty()
        } {
            Some(not_covered.as_str())
        } else {
            None
        };
        let answer = match (reason, intent) {
            (Some(_), _) => None,
            (None, Intent::Other) if has(C::Thanks) => {
                Some(if english { answer::THANKS_EN } else { THANKS }.to_string())
            }
            (None, Intent::Other) if chat => Some(if english { answer::GREETING_EN } else { GREETING }.to_string()),
            (None, _) if english => excerpt(&self.kb, &topics, read)
                .map(|kb| format!("{}\n\n{kb}\n\n{}", answer::FROM_KB_EN, answer::MORE_EN)),
            (None, _) => excerpt(&self.kb, &topics, read),
        };
        let escalate = answer.is_none();
        let next_action = N::of(escalate, intent, has(C::Human) || has(C::Diabetes));
        let suggestion = escalate.then(|| {
            let kb = whole(&topics).map(|b| format!("\n\n{b}")).unwrap_or_default();
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
            reason: reason.unwrap_or(if escalate { NOT_IN_KB } else { "" }).into(),
            answer,
            holding: escalate.then(|| holding.to_string()),
        }
    }
}

impl Offline {
    /// Whether one sentence joins the gift certificate with another money rule: a discount on it,
    /// or paying a prepayment or an order with it ("сертифікатом можна оплатити передоплату?").
    /// Each sentence is read again, so the caller asks only when the whole message names a
    /// certificate (a sentence's concepts are among the whole message's).
    fn certificate_with_money_rule(&self, text: &str) -> bool {
        super::kb::sentences(text).into_iter().any(|s| {
            let r = self.read(s);
            let by_certificate = r.words.iter().any(|w| ["сертификатом", "сертифікатом"].contains(&w.as_str()))
                || s.to_lowercase().contains("with a certificate")
                || s.to_lowercase().contains("with the certificate");
            r.cs.contains(&C::Gift) && (r.cs.contains(&C::Discount) || r.cs.contains(&C::Prepay) || by_certificate)
        })
    }

    /// Whether the message names a diagnosis or injury (the `Diagnosis` concept) that no entry of
    /// the knowledge base mentions.
    fn medical_beyond_kb(&self, words: &[String]) -> bool {
        let joined = format!(" {} ", words.join(" "));
        let kb = &self.kb_folded;
        super::lexicon_owner::LEXICON_OWNER
            .iter()
            .filter(|(c, _)| *c == C::Diagnosis)
            .flat_map(|(_, stems)| stems.iter())
            .map(|s| format!(" {}", super::normalize::stem(s)))
            .any(|s| joined.contains(&s) && !kb.contains(&s))
    }
}

/// Words that ask for an exact figure (folded beginnings): the adjectives, not "точно" (surely).
const EXACT: &[&str] =
    &["точну", "точна", "точнои", "точную", "точни", "точнише", "точнее", "exact", "конкретн", "precise"];

/// Whether a message only continues the previous one: short, names no topic of its own, or opens
/// with "а"/"і"/"and"/"what about".
fn follows_up(r: &super::reading::Reading, text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let opens = ["а ", "і ", "и ", "а що", "а якщо", "а если", "and ", "what about", "how about"]
        .iter()
        .any(|p| lower.starts_with(p));
    r.words.len() <= 6 && (opens || r.topics.is_empty()) && !r.cs.contains(&C::Greeting) && !r.cs.contains(&C::Thanks)
}

#[cfg(test)]
mod priority_tests {
    fn nice() -> i32 {
        // SAFETY: reads the calling thread's priority.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    #[test]
    fn the_training_thread_takes_the_lowest_priority_and_only_for_itself() {
        let before = nice();
        let trained_at = std::thread::spawn(|| (super::lowest_priority(), nice())).join().unwrap();
        assert_eq!(trained_at, (true, 19));
        assert_eq!(nice(), before, "the caller keeps its own priority");
    }
}
