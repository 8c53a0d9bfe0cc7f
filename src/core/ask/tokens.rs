//! The words of an owner's sentence, ready to match: each token kept as typed (for names and
//! task texts), as a search key (lower case, no apostrophes: what the due-time reader takes), and
//! folded like the assistant folds client messages (`assistant::normalize::stem`: і/и, є/е, ё
//! and the soft sign), so Ukrainian, Russian and surzhyk spellings of one root meet. A Latin `i`
//! typed inside a Cyrillic word is read as `і`. Numbers said as words ("двісті гривень") are
//! read here too.

use crate::assistant::normalize::stem;

#[derive(Debug, Clone)]
pub struct Tok {
    /// As typed, without the punctuation around it.
    pub raw: String,
    /// `text::search_key`: lower case, apostrophes dropped.
    pub key: String,
    /// Folded (`normalize::stem`).
    pub f: String,
}

fn latin_i(word: &str) -> String {
    let cyr = word.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)) || "іїєґ".contains(c));
    if !cyr {
        return word.to_string();
    }
    word.chars()
        .map(|c| match c {
            'i' => 'і',
            'I' => 'І',
            c => c,
        })
        .collect()
}

/// Typed forms of time and number words the due-time vocabulary does not hold, and what they mean.
const TYPOS: &[(&str, &str)] = &[
    ("сьодня", "сьогодні"),
    ("сёдня", "сегодня"),
    ("седня", "сегодня"),
    ("сення", "сегодня"),
    ("завтро", "завтра"),
    ("тищу", "тисячу"),
    ("тищі", "тисячі"),
    ("тищ", "тисяч"),
    ("тыщу", "тысячу"),
    ("тыщи", "тысячи"),
];

/// A weekday typed with a typo (`пятніцу`, `воскрєсєньє`), by its first letters.
const WEEKDAY_ROOTS: &[(&str, &str)] = &[
    ("понед", "понеділок"),
    ("вівт", "вівторок"),
    ("вторн", "вторник"),
    ("серед", "середу"),
    ("сред", "среду"),
    ("четв", "четвер"),
    ("пятн", "пятницю"),
    ("пятн", "пятницу"),
    ("субот", "суботу"),
    ("суббот", "субботу"),
    ("воскр", "неділю"),
];

fn fix(key: String) -> String {
    if let Some((_, to)) = TYPOS.iter().find(|(from, _)| *from == key) {
        return to.to_string();
    }
    if crate::domain::when::within(&[key.as_str()], chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default())
        .is_empty()
    {
        if let Some((_, to)) = WEEKDAY_ROOTS.iter().find(|(root, _)| key.starts_with(root)) {
            return to.to_string();
        }
    }
    key
}

/// The sentence's tokens; at most 60 (the rest is not read).
pub fn tokens(text: &str) -> Vec<Tok> {
    let spaced: String = text.chars().map(|c| if "?!,;«»\"()…“”–—".contains(c) { ' ' } else { c }).collect();
    let mut out = vec![];
    for w in spaced.split_whitespace().take(60) {
        let raw = latin_i(w.trim_matches(|c: char| c == '.' || c == '-' || c == ':' || c == '*'));
        if raw.is_empty() {
            continue;
        }
        let key = crate::domain::text::search_key(&raw);
        // `полтретьего`, `півпятої`: the half and the hour as two words.
        let half = ["пол", "пів"].iter().find_map(|h| {
            key.strip_prefix(h)
                .filter(|rest| crate::domain::when::ordinal_hour(rest).is_some())
                .map(|rest| (*h, rest.to_string()))
        });
        let keys = match half {
            Some((h, rest)) => vec![h.to_string(), rest],
            None => vec![fix(key)],
        };
        for key in keys {
            let f = stem(&key).replace(' ', "");
            out.push(Tok { raw: raw.clone(), key, f });
        }
    }
    out
}

/// Folded stems (space-separated in the grammar's tables), compared as prefixes of folded words.
/// The tables are constants: each is folded once and kept.
pub fn fold_all(stems: &str) -> std::sync::Arc<Vec<String>> {
    type Cache = std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<Vec<String>>>>;
    static CACHE: std::sync::LazyLock<Cache> = std::sync::LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = cache.get(stems) {
        return v.clone();
    }
    let v: std::sync::Arc<Vec<String>> = std::sync::Arc::new(
        stems.split_whitespace().map(|s| stem(s).replace(' ', "")).filter(|s| !s.is_empty()).collect(),
    );
    if cache.len() < 2000 {
        cache.insert(stems.to_string(), v.clone());
    }
    v
}

/// True when a folded word starts with one of the (folded) stems.
pub fn starts(word: &str, stems: &[String]) -> bool {
    stems.iter().any(|s| word.starts_with(s.as_str()))
}

/// A number said in words, and how many tokens it took ("двісті п'ятдесят" → 250, 2).
pub fn number_words(toks: &[Tok]) -> Option<(i64, usize)> {
    const UNITS: &[(&str, i64)] = &[
        ("один", 1),
        ("одна", 1),
        ("два", 2),
        ("дві", 2),
        ("две", 2),
        ("три", 3),
        ("чотири", 4),
        ("четыре", 4),
        ("пять", 5),
        ("шість", 6),
        ("шесть", 6),
        ("сім", 7),
        ("семь", 7),
        ("вісім", 8),
        ("восемь", 8),
        ("девять", 9),
        ("десять", 10),
        ("двадцять", 20),
        ("двадцать", 20),
        ("тридцять", 30),
        ("тридцать", 30),
        ("сорок", 40),
        ("пятдесят", 50),
        ("пятьдесят", 50),
        ("шістдесят", 60),
        ("шестьдесят", 60),
        ("сімдесят", 70),
        ("семьдесят", 70),
        ("вісімдесят", 80),
        ("восемьдесят", 80),
        ("девяносто", 90),
        ("сто", 100),
        ("двісті", 200),
        ("двести", 200),
        ("триста", 300),
        ("чотириста", 400),
        ("четыреста", 400),
        ("пятсот", 500),
        ("пятьсот", 500),
        ("шістсот", 600),
        ("шестьсот", 600),
        ("сімсот", 700),
        ("семьсот", 700),
        ("вісімсот", 800),
        ("восемьсот", 800),
        ("девятсот", 900),
        ("девятьсот", 900),
        ("півтори", -15),
        ("полторы", -15),
    ];
    const THOUSAND: &[&str] =
        &["тисяча", "тисячі", "тисяч", "тисячу", "тысяча", "тысячи", "тысяч", "тысячу", "тис", "тыс"];
    let (mut total, mut cur, mut took, mut half) = (0i64, 0i64, 0usize, false);
    for t in toks {
        if let Some((_, v)) = UNITS.iter().find(|(w, _)| *w == t.key) {
            if *v < 0 {
                half = true;
            } else {
                cur += v;
            }
        } else if THOUSAND.contains(&t.key.as_str()) {
            total += if half { 1500 } else { cur.max(1) * 1000 };
            cur = 0;
            half = false;
        } else {
            break;
        }
        took += 1;
    }
    let n = total + cur;
    (took > 0 && n > 0).then_some((n, took))
}

/// The nominative of a name as typed in a sentence ("Марію" → "Марія", "Ользі" → "Ольга",
/// "Олену" → "Олена"), capitalised; surnames and unknown forms stay as typed.
pub fn nominative(word: &str) -> String {
    let lower = word.to_lowercase();
    let n = lower.chars().count();
    let cut = |k: usize| lower.chars().take(n - k).collect::<String>();
    let base = if n < 3 {
        lower.clone()
    } else if lower.ends_with("ові") || lower.ends_with("еві") || lower.ends_with("єві") {
        cut(1)
    } else if lower.ends_with("зі") {
        format!("{}га", cut(2))
    } else if lower.ends_with("ці") && n > 4 {
        format!("{}ка", cut(2))
    } else if lower.ends_with("ії") || lower.ends_with("ію") {
        format!("{}ія", cut(2))
    } else if lower.ends_with("ию") || lower.ends_with("ии") {
        format!("{}ия", cut(2))
    } else if lower.ends_with("ю") && !lower.ends_with("рю") {
        format!("{}я", cut(1))
    } else if lower.ends_with("рю") {
        cut(1)
    } else if lower.ends_with('у') && !lower.ends_with("ку")
        || lower.ends_with("ку") && n > 4
        || lower.ends_with('і') && n > 3
    {
        format!("{}а", cut(1))
    } else {
        lower.clone()
    };
    let mut c = base.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_back_to_the_nominative() {
        for (typed, want) in [
            ("Марію", "Марія"),
            ("Олю", "Оля"),
            ("олену", "Олена"),
            ("Ользі", "Ольга"),
            ("Ігорю", "Ігор"),
            ("Коваль", "Коваль"),
            ("Марії", "Марія"),
            ("Наталці", "Наталка"),
            ("Марийку", "Марийка"),
        ] {
            assert_eq!(nominative(typed), want, "{typed}");
        }
    }

    #[test]
    fn numbers_in_words() {
        let n = |s: &str| number_words(&tokens(s)).map(|(n, _)| n);
        assert_eq!(n("двісті гривень"), Some(200));
        assert_eq!(n("пятсот"), Some(500));
        assert_eq!(n("півтори тисячі"), Some(1500));
        assert_eq!(n("дві тисячі триста"), Some(2300));
        assert_eq!(n("гривень"), None);
    }

    #[test]
    fn latin_i_inside_cyrillic_words() {
        let t = tokens("скiльки заробили?");
        assert_eq!(t[0].key, "скільки");
        assert_eq!(t.len(), 2);
    }
}
