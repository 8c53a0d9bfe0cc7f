//! Answers that answer (issue 13): from each knowledge-base entry, the sentences that answer the
//! question, not the whole section; and the language a client wrote in, so an English question is
//! not answered in Ukrainian by an engine that has only Ukrainian text.

use super::coverage::stem_of;
use super::kb::Kb;
use super::normalize::words;
use std::collections::HashSet;

/// An answer longer than this is cut to fewer sentences unless several entries were asked.
pub const SHORT: usize = 350;

/// Sent (offline engine) to a client who writes in English, while the owner answers.
pub const HOLDING_EN: &str = "Thank you for your message! Our specialist will reply to you in English shortly.";
/// The offline engine's greeting in English.
pub const GREETING_EN: &str =
    "Hello! How can we help? Ask about prices, booking a diagnostics visit, our address or hours.";
/// The offline engine's thanks in English.
pub const THANKS_EN: &str = "Thank you! We will be glad to see you at the studio.";

/// Words only English has (translit Ukrainian or Russian never uses them as words).
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "are",
    "you",
    "your",
    "how",
    "what",
    "can",
    "much",
    "does",
    "have",
    "has",
    "need",
    "for",
    "with",
    "when",
    "where",
    "insoles",
    "insole",
    "price",
    "open",
    "book",
    "appointment",
    "please",
    "hello",
    "hi",
    "thanks",
    "thank",
    "want",
    "would",
    "could",
    "there",
    "any",
    "this",
    "that",
    "about",
    "long",
    "cost",
    "take",
    "make",
    "i'm",
    "it",
    "of",
    "and",
    "or",
    "an",
    "get",
    "do",
    "my",
    "will",
    "should",
    "which",
    "from",
    "feet",
    "foot",
];

/// Whether the client wrote in English (not Latin transliteration of Ukrainian or Russian).
pub fn is_english(text: &str) -> bool {
    let latin = text.chars().filter(char::is_ascii_alphabetic).count();
    let cyrillic = text.chars().filter(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'і' | 'ї' | 'є' | 'ґ' | 'ё')).count();
    if latin <= cyrillic * 2 {
        return false;
    }
    let lower = text.to_lowercase();
    let ws: Vec<&str> =
        lower.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'')).filter(|w| !w.is_empty()).collect();
    let english = ws.iter().filter(|w| ENGLISH.contains(w)).count();
    english >= 2 || (english == 1 && ws.len() <= 3)
}

/// The sentences of the entries `topics` (at most three) that answer `question`.
pub fn excerpt(kb: &Kb, topics: &[String], question: &str) -> Option<String> {
    let asked: HashSet<String> =
        words(question).iter().filter(|w| w.chars().count() >= 3).map(|w| stem_of(w)).collect();
    let wants_number = wants_number(question);
    let chosen: Vec<&String> = topics.iter().filter(|t| kb.body(t).is_some()).take(3).collect();
    let budget = SHORT.max(SHORT * chosen.len() * 2 / 3);
    let parts: Vec<String> = chosen
        .iter()
        .filter_map(|t| kb.body(t))
        .map(|body| pick(body, &asked, wants_number, budget / chosen.len().max(1)))
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Whether the question asks for a number (a price, a time, a duration, an amount).
fn wants_number(question: &str) -> bool {
    let folded = format!(" {} ", words(question).join(" "));
    [
        " скил",
        " скол",
        " скок",
        " цин",
        " цен",
        " вартист",
        " стоим",
        " кошт",
        " стои",
        " коли",
        " когда",
        " котр",
        " до якои",
        " до какого",
        " how much",
        " how long",
        " price",
        " cost",
        " when",
        " what time",
        " график",
        " графи",
        " годин",
        " час",
        " термин",
        " срок",
        " днив",
        " дней",
    ]
    .iter()
    .any(|k| folded.contains(k))
}

/// From one body: the first sentence, and the others that share a word with the question or hold
/// the number it asks for; a sentence that only restates ("Тобто ...") only when it is the one
/// that shares most. Within `budget` characters, keeping at least one sentence.
fn pick(body: &str, asked: &HashSet<String>, wants_number: bool, budget: usize) -> String {
    let sentences = super::kb::sentences(body);
    let restates = |s: &str| ["Тобто", "То есть", "Тож"].iter().any(|p| s.trim().starts_with(p));
    // A short entry is the answer as it is, without its restatements.
    let whole: Vec<&str> = sentences.iter().copied().filter(|s| !restates(s)).collect();
    let whole = whole.join(" ");
    if whole.chars().count() <= budget {
        return whole;
    }
    let score = |s: &str| -> usize {
        let own: HashSet<String> = words(s).iter().filter(|w| w.chars().count() >= 3).map(|w| stem_of(w)).collect();
        own.intersection(asked).count()
    };
    let scores: Vec<usize> = sentences.iter().map(|s| score(s)).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let mut out = String::new();
    for (i, s) in sentences.iter().enumerate() {
        let s = s.trim();
        let restates = restates(s);
        let has_digit = s.chars().any(|c| c.is_ascii_digit());
        let keep = if restates {
            scores[i] == best && best >= 2 && !out.contains(s)
        } else {
            i == 0 || scores[i] >= 1 || (wants_number && has_digit)
        };
        if !keep {
            continue;
        }
        if !out.is_empty() && out.chars().count() + s.chars().count() + 1 > budget {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_told_from_transliteration() {
        assert!(is_english("How much are custom insoles?"));
        assert!(is_english("hi, do you work on saturday"));
        assert!(!is_english("skilky koshtuyut ustilky?"));
        assert!(!is_english("pryvit, de vy znakhodytes i do kotroi pratsiuyete"));
        assert!(!is_english("Скільки коштує діагностика?"));
    }

    #[test]
    fn an_excerpt_keeps_the_sentence_with_the_asked_number_and_stays_short() {
        let kb = Kb::parse(
            "## hours: Графік\nМи працюємо Пн–Пт 9:00–18:00, Сб 10:00–15:00. Тобто у суботу до 15:00.\n\
             ## care: Догляд\nПротирати вологою ганчіркою. Не прати в машинці. Сушити подалі від батареї.",
        );
        let a = excerpt(&kb, &["hours".into()], "до котрої працюєте?").unwrap();
        assert!(a.contains("18:00") && !a.contains("Тобто"), "{a}");
        let a = excerpt(&kb, &["care".into()], "як сушити устілки?").unwrap();
        assert!(a.contains("батареї") && a.chars().count() <= SHORT, "{a}");
    }
}
