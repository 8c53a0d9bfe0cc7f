//! Text folding for matching client messages in Ukrainian, Russian, surzhyk, English and Latin
//! transliteration against one lexicon: Latin transliteration becomes Cyrillic, and letters that
//! differ between Ukrainian and Russian spellings of the same root are folded together.

/// Latin → Cyrillic, longest sequences first (Ukrainian-style transliteration).
const TRANSLIT: [(&str, &str); 34] = [
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("yu", "ю"),
    ("iu", "ю"),
    ("ya", "я"),
    ("ia", "я"),
    ("ye", "е"),
    ("ie", "е"),
    ("yi", "і"),
    ("ji", "і"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("h", "г"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("y", "и"),
    ("i", "і"),
    ("j", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
];
const TRANSLIT_REST: [(&str, &str); 6] = [("t", "т"), ("u", "у"), ("f", "ф"), ("c", "ц"), ("w", "в"), ("x", "кс")];

/// Transliterates a Latin word to Cyrillic.
fn cyrillic(word: &str) -> String {
    let mut out = String::new();
    let mut rest = word;
    'outer: while !rest.is_empty() {
        for (lat, cyr) in TRANSLIT.iter().chain(TRANSLIT_REST.iter()) {
            if let Some(r) = rest.strip_prefix(lat) {
                out.push_str(cyr);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Folds Ukrainian/Russian spelling differences: і ї й ы → и, є э ё → е, ґ → г; drops ь ъ and apostrophes.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'і' | 'ї' | 'й' | 'ы' => 'и',
        'є' | 'э' | 'ё' => 'е',
        'ґ' => 'г',
        'ь' | 'ъ' | '\'' | 'ʼ' | '’' | '`' => return None,
        c => c,
    })
}

/// A character of a word: a letter, a digit or an apostrophe (`'ʼ’` and the backtick). ASCII and
/// the Cyrillic block's letters (U+0400–U+0481) answer without `is_alphanumeric`'s Unicode tables,
/// which were most of the lexicon's folding at start-up (issue 11).
fn word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\'' | '`' | '\u{400}'..='\u{481}' | 'ʼ' | '’' => true,
        c if c.is_ascii() => false,
        c => c.is_alphanumeric(),
    }
}

/// Lower-cased, folded words. A message written mostly in Latin letters is both kept as English
/// words and transliterated (so "skilky koshtuye" and "price" both match).
pub fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let latin = lower.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let cyr = lower.chars().filter(|c| ('а'..='я').contains(c) || "іїєґёыэъ".contains(*c)).count();
    let folded = |w: &str| w.chars().filter_map(fold_char).collect::<String>();
    let raw: Vec<&str> = lower.split(|c: char| !word_char(c)).filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = raw.iter().map(|w| folded(w)).collect();
    // The transliterated reading follows as its own sequence, so phrases match in either.
    if latin > cyr {
        out.extend(raw.iter().filter(|w| w.chars().all(|c| c.is_ascii_alphabetic())).map(|w| folded(&cyrillic(w))));
    }
    out
}

/// The letter trigrams of one folded word, padded with a space at each end ("ціна" → " ци",
/// "цин", "ина", "на "), so they survive typos and mark word starts and ends.
pub fn letter_trigrams(word: &str) -> impl Iterator<Item = String> {
    let padded: Vec<char> = std::iter::once(' ').chain(word.chars()).chain([' ']).collect();
    (0..padded.len().saturating_sub(2)).map(move |i| padded[i..i + 3].iter().collect())
}

/// Folds one lexicon stem like message words (without transliterating English stems).
pub fn stem(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !word_char(c))
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().filter_map(fold_char).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs of digits in `text` ("1 800" counts as 1800).
pub fn numbers(text: &str) -> Vec<String> {
    let squeezed = text.replace(['\u{a0}', '\u{202f}'], " ");
    let mut out = vec![];
    let mut cur = String::new();
    let chars: Vec<char> = squeezed.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            cur.push(*c);
        } else if *c == ' ' && !cur.is_empty() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) && cur.len() <= 3
        {
            continue;
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_character_is_a_letter_a_digit_or_an_apostrophe_for_every_char() {
        let slow = |c: char| c.is_alphanumeric() || "'ʼ’`".contains(c);
        let mut checked = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(word_char(c), slow(c), "{c:?} (U+{:04X})", u32::from(c));
            checked += 1;
        }
        assert!(checked > 1_100_000);
    }

    #[test]
    fn ukrainian_russian_and_translit_meet() {
        assert_eq!(words("Ціна"), vec!["цина"]);
        assert_eq!(words("Сколько стоит"), vec!["сколко", "стоит"]);
        assert!(words("skilky koshtuye ustilky").contains(&"устилки".to_string()));
        assert!(words("Мар'яна").contains(&"маряна".to_string()));
    }

    #[test]
    fn numbers_are_read_like_prices() {
        assert_eq!(numbers("від 1 800 грн, 20% і 30–40 хв"), vec!["1800", "20", "30", "40"]);
    }
}
