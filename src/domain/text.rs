//! Text normalisation for search: the key a name is matched by.
//!
//! The owner types `марянчук` and expects to find `Мар'янчук`; she types `олена` and expects
//! `ОЛЕНА`. So both the stored name and the query go through [`search_key`]: lower case (Unicode,
//! not ASCII-only as SQLite's `lower`), every apostrophe form removed, `ё` folded to `е`.

/// Apostrophe look-alikes Ukrainians type: ASCII, modifier letter, right/left quotes, backtick.
pub const APOSTROPHES: [char; 6] = ['\'', 'ʼ', '’', '‘', '`', 'ʹ'];

pub fn search_key(input: &str) -> String {
    input
        .chars()
        .filter(|c| !APOSTROPHES.contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits `text` into pieces of at most `max` UTF-8 bytes, preferring sentence ends, then line
/// breaks, then spaces, and only then a cut inside a word (on a character boundary).
pub fn split_bytes(text: &str, max: usize) -> Vec<String> {
    let mut out = vec![];
    let mut rest = text.trim();
    while rest.len() > max {
        let mut limit = max;
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &rest[..limit];
        let cut = [". ", "! ", "? ", "… ", "\n"]
            .iter()
            .filter_map(|sep| window.rfind(sep).map(|i| i + sep.len()))
            .max()
            .filter(|i| *i > limit / 3)
            .or_else(|| window.rfind(' ').filter(|i| *i > 0))
            .unwrap_or(limit);
        out.push(rest[..cut].trim().to_string());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// Plain text for a Markdown reader (Discord): its special characters are escaped, so the text
/// shows as typed.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        if line.starts_with(['#', '>', '-']) {
            out.push('\\');
        }
        for c in line.chars() {
            if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Splits at line breaks into pieces of at most `max` characters (a longer line is cut).
pub fn split_chars(text: &str, max: usize) -> Vec<String> {
    let mut parts = vec![];
    let mut current = String::new();
    let mut len = 0;
    for line in text.split_inclusive('\n') {
        for c in line.chars().collect::<Vec<_>>().chunks(max) {
            if len + c.len() > max {
                parts.push(std::mem::take(&mut current));
                len = 0;
            }
            current.extend(c);
            len += c.len();
        }
    }
    if !current.trim().is_empty() {
        parts.push(current);
    }
    parts
}

/// Only the ASCII digits of a string (phone fragment search).
pub fn digits(input: &str) -> String {
    input.chars().filter(char::is_ascii_digit).collect()
}

/// Truncates to at most `max` characters, adding an ellipsis when cut.
pub fn ellipsize(s: &str, max: usize) -> String {
    if fits(s, max) {
        s.to_string()
    } else {
        cut(s, max)
    }
}

/// [`ellipsize`] of an owned string: a short one is returned as it is, without a copy.
pub fn ellipsize_owned(s: String, max: usize) -> String {
    if fits(&s, max) {
        s
    } else {
        cut(&s, max)
    }
}

/// At most `max` characters (no string has more characters than bytes).
fn fits(s: &str, max: usize) -> bool {
    s.len() <= max || s.chars().count() <= max
}

fn cut(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_and_case_fold() {
        for s in ["Мар'янчук", "МАРʼЯНЧУК", "мар’янчук", "Марянчук"] {
            assert_eq!(search_key(s), "марянчук");
        }
        assert_eq!(search_key("Семён"), "семен");
    }

    #[test]
    fn ellipsize_counts_chars() {
        assert_eq!(ellipsize("Привіт", 10), "Привіт");
        assert_eq!(ellipsize("Привіт світ", 6), "Приві…");
    }
}

/// A tag as stored: lower case, no `#`, letters, digits, `_` and `-` only, at most 32 characters.
pub fn parse_tag(input: &str) -> Result<String, super::ParseError> {
    let t = input.trim().trim_start_matches('#').to_lowercase();
    if t.is_empty() {
        return Err(super::ParseError::Empty);
    }
    let len = t.chars().count();
    if len > 32 {
        return Err(super::ParseError::TooLong { len, max: 32 });
    }
    if !t.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return Err(super::ParseError::Name);
    }
    Ok(t)
}

/// Free text for notes and profile fields: trimmed, non-empty, bounded.
pub fn parse_free_text(input: &str, max: usize) -> Result<String, super::ParseError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(super::ParseError::Empty);
    }
    let len = t.chars().count();
    if len > max {
        return Err(super::ParseError::TooLong { len, max });
    }
    Ok(t.chars().filter(|c| !c.is_control() || *c == '\n').collect())
}

#[cfg(test)]
mod split_tests {
    use super::split_bytes;
    use proptest::prelude::*;

    #[test]
    fn splits_at_sentences_under_the_byte_limit() {
        let text = "Діагностика коштує 400 грн. ".repeat(40);
        let parts = split_bytes(&text, 1000);
        assert!(parts.len() >= 2);
        assert!(parts.iter().all(|p| p.len() <= 1000 && p.ends_with('.')));
    }

    proptest! {
        #[test]
        fn pieces_fit_and_keep_every_word(words in proptest::collection::vec("[а-яa-z]{1,30}[.!?]?", 0..400)) {
            let text = words.join(" ");
            let parts = split_bytes(&text, 1000);
            prop_assert!(parts.iter().all(|p| p.len() <= 1000 && !p.is_empty()));
            let joined: Vec<&str> = parts.iter().flat_map(|p| p.split_whitespace()).collect();
            let original: Vec<&str> = text.split_whitespace().collect();
            prop_assert_eq!(joined, original);
        }
    }
}

#[cfg(test)]
mod tag_tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        assert_eq!(parse_tag("#VIP").unwrap(), "vip");
        assert_eq!(parse_tag("діабет_2").unwrap(), "діабет_2");
        assert!(parse_tag("two words").is_err());
        assert!(parse_tag("#").is_err());
        assert!(parse_free_text("  ", 10).is_err());
        assert!(parse_free_text(&"a".repeat(11), 10).is_err());
    }
}
