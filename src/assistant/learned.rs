//! Answers the owner saved from Telegram ("save to knowledge base"): the next message that asks
//! the same thing is answered with her words. Matching is by letter trigrams of the folded words,
//! so word order, case, typos and Ukrainian/Russian spelling differences do not matter much.

use super::normalize::{letter_trigrams, words};
use std::collections::HashSet;
use std::sync::RwLock;

/// Share of trigrams two questions must have in common (Jaccard) to count as the same question.
const SAME_QUESTION: f32 = 0.6;

#[derive(Default)]
pub struct Learned {
    entries: RwLock<Vec<(HashSet<String>, String)>>,
}

fn trigrams(text: &str) -> HashSet<String> {
    words(text).iter().flat_map(|w| letter_trigrams(w)).collect()
}

impl Learned {
    pub fn add(&self, question: &str, answer: &str) {
        let grams = trigrams(question);
        if grams.len() >= 4 && !answer.trim().is_empty() {
            self.entries.write().expect("learned answers lock").push((grams, answer.trim().to_string()));
        }
    }

    /// Replaces every entry with `rows` (question, answer): at start-up, and after forgetting a
    /// client took out the answers that named her.
    pub fn replace(&self, rows: &[(String, String)]) {
        let fresh = Learned::default();
        for (q, a) in rows {
            fresh.add(q, a);
        }
        let entries = fresh.entries.into_inner().expect("learned answers lock");
        *self.entries.write().expect("learned answers lock") = entries;
    }

    /// The saved answer to the most similar saved question, when similar enough.
    pub fn find(&self, text: &str) -> Option<String> {
        let grams = trigrams(text);
        if grams.len() < 4 {
            return None;
        }
        let entries = self.entries.read().expect("learned answers lock");
        entries
            .iter()
            .map(|(q, a)| (q.intersection(&grams).count() as f32 / q.union(&grams).count().max(1) as f32, a))
            .filter(|(s, _)| *s >= SAME_QUESTION)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, a)| a.clone())
    }

    pub fn len(&self) -> usize {
        self.entries.read().expect("learned answers lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_question_in_other_words_finds_the_saved_answer() {
        let l = Learned::default();
        l.add("Чи працюєте ви 31 грудня?", "31 грудня працюємо до 13:00.");
        assert_eq!(l.find("чи працюєте ви 31 грудня").as_deref(), Some("31 грудня працюємо до 13:00."));
        assert_eq!(l.find("Працюєте ви 31 грудня?").as_deref(), Some("31 грудня працюємо до 13:00."));
        assert_eq!(l.find("Скільки коштує діагностика?"), None);
        assert_eq!(l.find("ок"), None);
    }
}
