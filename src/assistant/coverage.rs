//! Coverage before answering (issue 13): the offline engine answers only when what was asked is
//! accounted for. Every content word of the message must be explained by one of:
//! - a lexicon concept (the engine understood it),
//! - the text of the knowledge-base entries it is about to answer from (or the studio's intro),
//! - the words clients use when they ask about those entries and are answered (learned from our
//!   labelled training messages, per topic),
//! - everyday words: ones that occur in several answered training messages (greetings,
//!   "підкажіть", "будь ласка", verbs of asking), plus a short list of function words.
//!
//! A word left over ("в євро", "Укрпоштою", "лижні черевики", "продовжити сертифікат") means the
//! question asks for something the entry does not say, so a person answers it with the reason
//! "not in the knowledge base", instead of the nearest paragraph. Typos are forgiven by one edit.

use super::model::Example;
use super::normalize::words;
use super::stems::Stems;
use std::collections::{HashMap, HashSet};

/// A word counts by its first letters (folded), so endings and cases meet.
const STEM: usize = 5;
/// A stem seen in this many answered messages is an everyday word.
const EVERYDAY_MESSAGES: usize = 1;

/// Function words and fillers of Ukrainian, Russian, surzhyk and English (folded like messages).
#[rustfmt::skip]
const FUNCTION: &[&str] = &[
    "и", "а", "але", "но", "та", "чи", "ли", "или", "або", "не", "ни", "так", "да", "нет", "ни", "це", "это", "що",
    "шо", "что", "чо", "як", "как", "де", "где", "коли", "когда", "котр", "котор", "який", "яка", "яке", "яки",
    "какой", "какая", "какие", "каки", "ви", "вы", "вас", "вам", "ваш", "ваша", "ваше", "ваши", "нас", "нам", "наш",
    "мене", "меня", "мени", "мне", "мо", "мои", "мой", "моя", "моеи", "я", "ми", "мы", "ти", "ты", "вон", "он",
    "она", "воно", "они", "вони", "його", "его", "ии", "ее", "их", "ним", "нею", "для", "про", "при", "по", "на",
    "в", "у", "из", "зи", "з", "с", "со", "до", "от", "вид", "над", "под", "пид", "без", "через", "после", "писля",
    "тоже", "теж", "також", "также", "ще", "еще", "уже", "вже", "вж", "тильки", "только", "лише", "можна", "можно",
    "можу", "могу", "можете", "мож", "треба", "нада", "надо", "нужно", "потрибн", "нужн", "буду", "будет", "буде",
    "будь", "ласка", "пожалуйста", "плиз", "есть", "е", "є", "бути", "быть", "був", "була", "было", "було", "був",
    "бы", "би", "б", "же", "ж", "то", "ось", "вот", "тут", "там", "зараз", "сейчас", "сьогодни", "сегодня",
    "завтра", "дуже", "очень", "дякую", "спасибо", "вітаю", "добрий", "добры", "доброго", "день", "дня", "вечир",
    "вечер", "ранок", "утро", "привит", "привет", "здравств", "здрасти", "скажить", "скажите", "пидкаж", "подскаж",
    "питання", "вопрос", "хочу", "хотила", "хотела", "хотив", "хотел", "хотилось", "хотелось", "цикав", "интерес",
    "дизнат", "узнат", "знат", "the", "a", "an", "is", "are", "do", "does", "you", "your", "i", "me", "my", "we",
    "our", "it", "to", "of", "for", "in", "on", "at", "and", "or", "can", "could", "would", "will", "what", "how",
    "when", "where", "which", "there", "any", "please", "hi", "hello", "thanks", "thank", "be", "with", "if", "яку",
    "якои", "якого", "якому", "якии", "яких", "якими", "какую", "каком", "какои", "каких", "каким", "чого", "чего",
    "чому", "почему", "скилки", "сколко", "скока", "скико", "кого", "кому", "тому", "того", "этого", "цього", "цеи",
    "ця", "ци", "этот", "эта", "эти", "весь", "вси", "все", "вся", "свии", "свою", "свои", "себе", "себя", "мною",
    "нами", "вами", "ними", "их", "им", "ему", "иому", "еи", "маю", "мати", "мае", "маете", "имею", "имеет", "можу",
    "может", "могу", "хоче", "хочет", "хочемо", "хотим", "хотили", "хотели", "тоби", "тебе",
    // Pronoun and determiner forms, auxiliary and modal words (folded).
    "такии", "такая", "такое", "таки", "такои", "таку", "нее", "него", "неи", "нии", "ниои", "якась", "якоись",
    "какая", "какое", "кто", "хто", "реално", "зазвичаи", "обычно", "звичаино", "загалом", "хоч", "хоть", "хот",
    // Question words of place and direction.
    "звидки", "звидкиля", "откуда", "куди", "куда", "whence", "why", "who", "whom",
];

/// Beginnings of everyday verbs and modal words (doing, seeing, finding, knowing, saying, being
/// possible or right) that carry no subject of their own.
#[rustfmt::skip]
const GENERAL_STEMS: &[&str] = &[
    "зроб", "сдел", "дела", "роби", "подив", "посмотр", "глян", "знаи", "наид", "наит", "наит", "можлив", "возмож",
    "правил", "дума", "знаю", "знает", "розум", "поним", "бач", "виж", "скаж", "пиш", "напиш", "спита", "спрос",
    "прост", "взагали", "вообщ", "вобщ", "ваобщ", "зовсим", "совсем", "трох", "немн", "дякс", "благод",
    // Units of time.
    "год", "лет", "рик", "рок", "месяц", "мисяц", "недел", "тижн", "тижд", "днив", "днеи", "годин", "минут", "хвилин",
    // Duration, validity, searching, and particles.
    "долг", "довг", "долш", "довш", "деиств", "диют", "дие", "пошук", "поиск", "шука", "ищ", "нибуд", "небуд", "чтоб",
    "щоб", "шоб",
];

/// Verb prefixes of Ukrainian and Russian (folded).
#[rustfmt::skip]
const PREFIXES: &[&str] = &[
    "ви", "вы", "по", "за", "до", "при", "пере", "на", "об", "вид", "от", "роз", "рас", "раз", "з", "с", "у", "в",
    "пид", "под", "про", "недо", "пере",
];

/// The words clients use per topic, and everyday words, learned from labelled messages.
#[derive(Debug, Default)]
pub struct Vocabulary {
    per_topic: HashMap<String, Stems>,
    everyday: Stems,
}

/// The stem a word counts by.
pub fn stem_of(word: &str) -> String {
    word.chars().take(STEM).collect()
}

/// Content words of a folded message: letters, at least three of them, no function word.
fn content(word: &str) -> bool {
    word.chars().count() >= 3 && word.chars().all(char::is_alphabetic) && !FUNCTION.contains(&word)
}

impl Vocabulary {
    /// Learns from the answered messages (`escalate: false`) of the training data.
    pub fn learn(examples: &[Example]) -> Vocabulary {
        let mut per_topic: HashMap<String, HashSet<String>> = HashMap::new();
        let mut seen: HashMap<String, (usize, HashSet<String>, usize)> = HashMap::new(); // answered, topics, escalated
        for e in examples {
            let stems: HashSet<String> = words(&e.text).iter().filter(|w| content(w)).map(|w| stem_of(w)).collect();
            for s in stems {
                let entry = seen.entry(s.clone()).or_default();
                if e.escalate {
                    entry.2 += 1;
                    continue;
                }
                for t in &e.topics {
                    per_topic.entry(t.clone()).or_default().insert(s.clone());
                    entry.1.insert(t.clone());
                }
                entry.0 += 1;
            }
        }
        let everyday = seen.into_iter().filter(|(_, (n, _, _))| *n >= EVERYDAY_MESSAGES).map(|(s, _)| s).collect();
        let per_topic = per_topic.into_iter().map(|(t, stems)| (t, Stems::new(stems))).collect();
        Vocabulary { per_topic, everyday: Stems::new(everyday) }
    }

    /// The content words of `text` that nothing accounts for, given the topics it would be
    /// answered from, their knowledge-base text (`kb_text`) and the words the lexicon understood
    /// (`understood`: folded words that matched a concept).
    /// Only the question's own sentences count when it has any (a story before the question, "я
    /// на обідній перерві, маю годину", is context), and a question is uncovered when a quarter or
    /// more of its content words are left: a few unknown words around a covered question are
    /// the client's own way of saying it, one unknown thing in a short question is what she asks.
    pub fn uncovered(
        &self,
        text: &str,
        topics: &[String],
        kb_text: &str,
        understood: &HashSet<String>,
        foreign: &HashSet<String>,
    ) -> Vec<String> {
        let question: Vec<&str> =
            super::kb::sentences(text).into_iter().filter(|s| s.trim_end().ends_with('?')).collect();
        let text = if question.is_empty() { text.to_string() } else { question.join(" ") };
        // A value she names that the entries do not have ("a certificate for 1500", "size 47")
        // is something they do not say.
        let kb_numbers = super::normalize::numbers(kb_text);
        if let Some(n) = super::normalize::numbers(&text).into_iter().find(|n| !kb_numbers.contains(n)) {
            return vec![n];
        }
        let (left, all) = self.left_over(&text, topics, kb_text, understood, foreign);
        if left.len() * 4 >= all.max(1) {
            left
        } else {
            vec![]
        }
    }

    /// The content words nothing accounts for, and the number of content words.
    fn left_over(
        &self,
        text: &str,
        topics: &[String],
        kb_text: &str,
        understood: &HashSet<String>,
        foreign: &HashSet<String>,
    ) -> (Vec<String>, usize) {
        let entry: HashSet<String> = words(kb_text).iter().map(|w| stem_of(w)).collect();
        let learned: Vec<&Stems> = topics.iter().filter_map(|t| self.per_topic.get(t)).collect();
        let known = |s: &String| entry.contains(s) || learned.iter().any(|v| v.contains(s));
        let mut out = vec![];
        let mut all = 0;
        // A transliterated message is checked in its Cyrillic reading only.
        let translit = text.chars().filter(char::is_ascii_alphabetic).count() * 2 > text.chars().count();
        for w in words(text).into_iter().filter(|w| content(w) && !(translit && w.is_ascii())) {
            let s = stem_of(&w);
            all += 1;
            if GENERAL_STEMS.iter().any(|g| w.starts_with(g)) {
                continue;
            }
            // Another topic's word: only the entry's own text accounts for it.
            if foreign.contains(&w) {
                if !entry.contains(&s) && !out.contains(&w) {
                    out.push(w);
                }
                continue;
            }
            if understood.contains(&w) || known(&s) || self.everyday.contains(&s) || out.contains(&w) {
                continue;
            }
            // A verb prefix on a known stem ("ви-сушити", "до-платити"); a compound ("укр-пошта")
            // is not a prefix and stays unknown. Then one typo.
            let unprefixed = PREFIXES
                .iter()
                .filter_map(|p| w.strip_prefix(p))
                .filter(|rest| rest.chars().count() >= 4)
                .map(stem_of)
                .any(|k| known(&k) || self.everyday.contains(&k));
            let near = |k: &str| one_edit(&s, k);
            // Any one typo against the entry's and the topic's own words; against everyday words
            // only the changes of inflection.
            let typo = s.chars().count() >= 4
                && (entry.iter().any(|k| near(k))
                    || learned.iter().any(|v| v.iter().any(near))
                    || self.everyday.iter().any(|k| inflection(&s, k)));
            if unprefixed || typo {
                continue;
            }
            out.push(w);
        }
        // An either-or question ("натуральна чи штучна?") is answered by the alternative the
        // entry covers.
        let ws = words(text);
        for i in 1..ws.len().saturating_sub(1) {
            if ["чи", "или", "або", "либо", "or"].contains(&ws[i].as_str()) {
                let (a, b) = (&ws[i - 1], &ws[i + 1]);
                if content(a) && content(b) && out.contains(a) != out.contains(b) {
                    out.retain(|w| w != a && w != b);
                }
            }
        }
        (out, all)
    }
}

/// Whether two stems differ by at most one letter inserted, removed or changed.
fn one_edit(a: &str, b: &str) -> bool {
    edit_of(a, b, |_, _| true)
}

/// Whether two stems differ as inflections of one word do: a vowel changed, added or dropped
/// ("вхід"/"входу", "Києв"/"Київ"), or a consonant alternation of Ukrainian and Russian
/// ("закажу"/"заказ", "оплачено"/"оплата"). Against the thousands of everyday stems an arbitrary
/// one-letter change is nearly always another word ("розстрочку" is not "розсунути").
fn inflection(a: &str, b: &str) -> bool {
    const VOWELS: &str = "аеиоуюя";
    const PAIRS: &[(char, char)] =
        &[('к', 'ч'), ('з', 'ж'), ('т', 'ч'), ('г', 'ж'), ('д', 'ж'), ('с', 'ш'), ('х', 'ш'), ('ц', 'ч'), ('т', 'ц')];
    edit_of(a, b, |x, y| match (x, y) {
        (Some(x), Some(y)) => {
            (VOWELS.contains(x) && VOWELS.contains(y)) || PAIRS.iter().any(|p| *p == (x, y) || *p == (y, x))
        }
        (Some(v), None) | (None, Some(v)) => VOWELS.contains(v),
        (None, None) => true,
    })
}

/// Whether two stems differ by at most one edit that `allowed` accepts (the letters of `a` and
/// `b` at the edit; `None` for the side a letter was inserted into or removed from).
fn edit_of(a: &str, b: &str, allowed: impl Fn(Option<char>, Option<char>) -> bool) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 || a.first() != b.first() {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => {
                if !allowed(Some(a[i]), None) {
                    return false;
                }
                i += 1
            }
            std::cmp::Ordering::Less => {
                if !allowed(None, Some(b[j])) {
                    return false;
                }
                j += 1
            }
            std::cmp::Ordering::Equal => {
                if !allowed(Some(a[i]), Some(b[j])) {
                    return false;
                }
                i += 1;
                j += 1;
            }
        }
    }
    let tail = a.get(i..).unwrap_or_default().iter().map(|c| (Some(*c), None));
    let tail: Vec<(Option<char>, Option<char>)> =
        tail.chain(b.get(j..).unwrap_or_default().iter().map(|c| (None, Some(*c)))).collect();
    edits + tail.len() <= 1 && tail.iter().all(|(x, y)| allowed(*x, *y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_forgives_one_typo_only() {
        assert!(one_edit("устил", "устыл") && one_edit("парко", "парк") && one_edit("парк", "парко"));
        assert!(!one_edit("евро", "пошта") && !one_edit("абвгд", "бвгде") && !one_edit("устил", "усыыл"));
    }

    #[test]
    fn inflections_are_not_any_one_letter() {
        assert!(inflection("вход", "вхид") && inflection("закаж", "заказ") && inflection("оплач", "оплат"));
        assert!(inflection("киив", "кив") && inflection("две", "два"));
        assert!(!inflection("розст", "розсм") && !inflection("розст", "розсу") && !inflection("обира", "обида"));
    }

    #[test]
    fn a_value_the_entry_does_not_list_is_not_covered() {
        let v = Vocabulary::default();
        let none = HashSet::new();
        let kb = "Сертифікати на 500, 1000, 2000 грн.";
        assert_eq!(v.uncovered("Сертифікат на 1500 грн є?", &[], kb, &none, &none), vec!["1500".to_string()]);
        assert!(v.uncovered("Сертифікат на 1000 грн є?", &[], kb, &none, &none).is_empty());
    }

    #[test]
    fn an_either_or_question_is_covered_by_one_alternative() {
        let v = Vocabulary::default();
        let none = HashSet::new();
        let kb = "Устілки з натуральної шкіри.";
        assert!(v.uncovered("Шкіра натуральна чи синтетична?", &[], kb, &none, &none).is_empty());
        // Both alternatives unknown: nothing answers it.
        assert!(!v.uncovered("Шкіра пробкова чи синтетична?", &[], kb, &none, &none).is_empty());
    }
}
