//! How the offline engine reads a message before its model: folded words, the lexicon's concepts
//! (and which words carried them), the guards (injection, another person's data, sensitive words),
//! and the rules' first reading; then the model's features of that reading.

use super::guard::{INJECTION, OTHER_PERSON, SENSITIVE};
use super::lexicon::{C, LEXICON};
use super::lexicon_exceptions::LEXICON_EXCEPTIONS;
use super::lexicon_more::LEXICON_MORE;
use super::lexicon_owner::LEXICON_OWNER;
use super::normalize::{letter_trigrams, stem, words};
use super::offline::Offline;
use super::rules::{rule_intent, topics};
use super::Intent;
use std::collections::{BTreeSet, HashMap};

/// Whether she orders many pairs at once ("20 пар", "10 pairs", "п'ятнадцять пар"): from five up
/// it is a bulk order, the owner's to price.
fn many_pairs(words: &[String]) -> bool {
    const MANY: &[&str] = &["пять", "пят", "шист", "шест", "десят", "двадц", "тридц", "five", "six", "ten", "twenty"];
    words.windows(2).any(|w| {
        let pairs = ["пар", "пари", "пары", "pairs"].contains(&w[1].as_str());
        let n = w[0].parse::<u32>().map(|n| n >= 5).unwrap_or_else(|_| MANY.iter().any(|m| w[0].starts_with(m)));
        pairs && n
    })
}

/// Words that make a clause a supposition (folded).
const SUPPOSING: &[&str] = &["якщо", "якшо", "если", "if", "раптом", "вдруг", "рази", "случае", "case"];

/// Beginnings of words that put the damage on her old pair or another maker's, anywhere in the
/// message, not on the studio's work (folded).
#[rustfmt::skip]
const OLD: &[&str] = &[
    "стари", "стара", "старе", "старо", "старую", "old", "попередн", "предыдущ", "прежн", "колишн", "previous",
    "фирм", "чуж", "elsewhere",
];

/// What the lexicon and the rules read in a message, before the model.
pub(super) struct Reading {
    pub(super) cs: BTreeSet<C>,
    pub(super) words: Vec<String>,
    pub(super) injection: bool,
    pub(super) other_person: bool,
    pub(super) sensitive: bool,
    pub(super) question: bool,
    pub(super) topics: Vec<&'static str>,
    pub(super) intent: Intent,
    /// Folded words that matched a lexicon concept, with the concepts they carry.
    pub(super) understood: HashMap<String, BTreeSet<C>>,
    /// A person asked for by a pair of words (`lexicon_pairs`): a call, "give me a human", refusing
    /// the bot. Unlike a single word ("the owner"), this holds even inside an injection attempt.
    pub(super) asks_person: bool,
}

impl Offline {
    /// The concepts a message mentions, and the words that carried them.
    fn concepts(&self, joined: &str, words: &[String]) -> (BTreeSet<C>, HashMap<String, BTreeSet<C>>) {
        let mut cs = BTreeSet::new();
        let mut understood: HashMap<String, BTreeSet<C>> = HashMap::new();
        for (c, stems) in self.lexicon {
            for s in stems.iter().filter(|s| joined.contains(&format!(" {s}"))) {
                cs.insert(*c);
                for part in s.split(' ') {
                    for w in words.iter().filter(|w| w.starts_with(part)) {
                        understood.entry(w.clone()).or_default().insert(*c);
                    }
                }
            }
        }
        (cs, understood)
    }

    pub(super) fn read(&self, text: &str) -> Reading {
        let words = words(text);
        let joined = format!(" {} ", words.join(" "));
        let (mut cs, understood) = self.concepts(&joined, &words);
        let pairs = super::lexicon_pairs::pair_concepts(&words, &joined);
        let asks_person = pairs.contains(&C::Human);
        cs.extend(pairs);
        if many_pairs(&words) {
            cs.insert(C::Business);
        }
        if cs.contains(&C::WrongItem) && self.damage_only_supposed(text) {
            cs.remove(&C::WrongItem);
        }
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
        let their_data = super::guard::DATA.iter().any(|p| joined.contains(&format!(" {}", stem(p))));
        let injection =
            injection || (other_person && (cs.contains(&C::Contacts) || cs.contains(&C::Address) || their_data));
        Reading { cs, words, injection, other_person, sensitive, question, topics, intent, understood, asks_person }
    }

    /// Whether every clause that reports damage or a wrong item only supposes it ("а якщо не
    /// підійдуть, можна повернути?", "can I return them if they don't fit?") or tells of her old
    /// pair anywhere in the message ("старі устілки в мене є, вони вже розвалились"): a question about the policy, or why she comes, not
    /// a complaint about what the studio made.
    fn damage_only_supposed(&self, text: &str) -> bool {
        let clauses = text.split(['.', '!', '?', ';', ',', '\n', '—', '–', ':', '(', ')']);
        let old = words(text).iter().any(|w| OLD.iter().any(|o| w.starts_with(o)));
        let mut any = false;
        for clause in clauses {
            let ws = words(clause);
            let joined = format!(" {} ", ws.join(" "));
            let (cs, _) = self.concepts(&joined, &ws);
            if !cs.contains(&C::WrongItem) {
                continue;
            }
            any = true;
            let supposed = text.contains('?') && ws.iter().any(|w| SUPPOSING.contains(&w.as_str()));
            let honestly = ws.iter().any(|w| ["чесно", "честно", "honestly"].contains(&w.as_str()));
            if !(supposed && !honestly || old) {
                return false;
            }
        }
        any
    }

    /// The model's features: concepts, word beginnings, letter trigrams and the rules' reading.
    pub fn features(&self, text: &str) -> Vec<String> {
        features_of(&self.read(text), text)
    }
}

pub(super) fn lexicon() -> Vec<(C, Vec<String>)> {
    LEXICON
        .iter()
        .chain(LEXICON_MORE)
        .chain(LEXICON_OWNER)
        .chain(LEXICON_EXCEPTIONS)
        .map(|(c, stems)| (*c, stems.iter().map(|s| stem(s)).filter(|s| !s.is_empty()).collect()))
        .collect()
}

/// The model's features of a message already read.
pub(super) fn features_of(r: &Reading, text: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_pairs_or_more_is_a_bulk_order() {
        for text in ["Нам потрібно 20 пар для команди", "we need 12 pairs", "Десять пар можна?"]
        {
            assert!(many_pairs(&words(text)), "{text}");
        }
        for text in ["2 пари для мене і чоловіка", "Друга пара зі знижкою?", "п'ятка болить"]
        {
            assert!(!many_pairs(&words(text)), "{text}");
        }
    }
}
